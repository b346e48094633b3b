"""The SKP (Sasaran Kinerja Pegawai, PermenPANRB 6/2022): a civil servant's yearly plan of
results and indicators agreed with their appraiser, the catalogue activities linked to each
result as evidence, and the appraiser's periodic evaluations with their predicate.

A plan moves through core's workflow engine (workflow.PLAN_FLOW): draft, proposed to the
appraiser, agreed (locked) or returned to draft. The evidence (approved minutes of the
linked activities) is read from the entries when shown, never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lumbung.core.models.tenancy import RegionScoped
from lumbung.core.models.workflow import WorkflowCase

from .worklog import Activity

QUARTERS = (1, 2, 3, 4)
ANNUAL = 4  # the last quarter's evaluation gives the year's predicate


class ResultKind(models.TextChoices):
    MAIN = "main", _("Main result (utama)")
    ADDITIONAL = "additional", _("Additional result (tambahan)")


class Rating(models.TextChoices):
    ABOVE = "above", _("Above expectation")
    AS_EXPECTED = "as_expected", _("As expected")
    BELOW = "below", _("Below expectation")


class Predicate(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", pgettext_lazy("performance", "Very good")
    BAIK = "baik", pgettext_lazy("performance", "Good")
    BUTUH_PERBAIKAN = "butuh_perbaikan", pgettext_lazy("performance", "Needs improvement")
    KURANG = "kurang", pgettext_lazy("performance", "Poor (misconduct)")
    SANGAT_KURANG = "sangat_kurang", pgettext_lazy("performance", "Very poor")


class SkpPlan(WorkflowCase):
    """One ASN's plan for one year. The appraiser, unit and position are those of the
    registry when the plan was made or last proposed: the document says who agreed to it."""

    WORKFLOW_KEY = "performance.skp"

    employee = models.ForeignKey(
        "performance.Employee", on_delete=models.PROTECT, related_name="skp_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    appraiser = models.ForeignKey(
        "performance.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="skp_plans_to_appraise",
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=200)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "employee", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "employee", "year"], name="perf_skp_plan_year"
            )
        ]
        indexes = [
            models.Index(fields=["region", "appraiser", "state"], name="perf_skp_plan_appraiser"),
            models.Index(fields=["region", "year", "state"], name="perf_skp_plan_year_state"),
        ]

    def __str__(self) -> str:
        return f"SKP {self.year} {self.employee_id}"


class SkpResult(RegionScoped):
    """A result (hasil kerja) of a plan: main or additional, with its indicators."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("kind"), max_length=10, choices=ResultKind.choices)
    text = models.CharField(_("result"), max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)
    activities: models.ManyToManyField[Activity, SkpResultActivity] = models.ManyToManyField(
        Activity, through="SkpResultActivity", related_name="+"
    )

    class Meta:
        ordering = ["plan", "kind", "position", "id"]
        indexes = [models.Index(fields=["region", "plan"], name="perf_skp_result_plan")]

    def __str__(self) -> str:
        return self.text[:60]


class SkpIndicator(RegionScoped):
    """A performance indicator of a result, with its target: an exact number and its unit
    ("12 dokumen", "100 %")."""

    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indicator"), max_length=500)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_unit = models.CharField(_("unit"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["result", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(target__gt=0), name="perf_skp_target_pos")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class SkpResultActivity(RegionScoped):
    """A catalogue activity whose approved minutes are evidence for a result."""

    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="links")
    activity = models.ForeignKey("performance.Activity", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "result", "activity"], name="perf_skp_result_activity"
            )
        ]


class SkpEvaluation(RegionScoped):
    """The appraiser's evaluation of one period (a quarter) of an agreed plan. The predicate
    is the PermenPANRB 6/2022 matrix's answer to the two ratings, kept as given."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.PROTECT, related_name="evaluations")
    period = models.PositiveSmallIntegerField(_("period"))
    appraiser = models.ForeignKey(
        "performance.Employee", on_delete=models.PROTECT, related_name="+"
    )
    result_rating = models.CharField(_("result rating"), max_length=12, choices=Rating.choices)
    behaviour_rating = models.CharField(
        _("behaviour rating"), max_length=12, choices=Rating.choices
    )
    predicate = models.CharField(_("predicate"), max_length=16, choices=Predicate.choices)
    feedback = models.TextField(_("feedback"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "plan", "period"], name="perf_skp_evaluation_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period__gte=1, period__lte=4), name="perf_skp_period_range"
            ),
        ]

    def __str__(self) -> str:
        return f"SKP {self.plan_id} Q{self.period}"

    @property
    def annual(self) -> bool:
        return self.period == ANNUAL
