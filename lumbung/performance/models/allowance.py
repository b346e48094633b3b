"""Attendance, the TPP formula (versioned region data), month periods and their results."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lumbung.core.models.fields import money
from lumbung.core.models.tenancy import RegionScoped

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class DayKind(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent without leave")
    LEAVE = "leave", _("On leave (cuti)")
    DUTY = "duty", _("Official duty (dinas luar)")
    SICK = "sick", _("Sick leave")


class AttendanceDay(RegionScoped):
    """One person's working day as the attendance machine and the leave records tell it.
    Times are local (the region's time zone); lateness is computed on import."""

    employee = models.ForeignKey(
        "performance.Employee", on_delete=models.CASCADE, related_name="attendance"
    )
    work_date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    check_in = models.TimeField(_("check-in"), null=True, blank=True)
    check_out = models.TimeField(_("check-out"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(default=0)
    early_minutes = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, blank=True)  # machine, leave, duty, correction
    note = models.CharField(max_length=300, blank=True)
    import_run = models.ForeignKey(
        "performance.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["work_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "employee", "work_date"], name="perf_attendance_day"
            )
        ]
        indexes = [models.Index(fields=["region", "work_date"], name="perf_attendance_region_day")]


class FormulaKind(models.TextChoices):
    # Bandung: the share of the target minutes reached, capped at 1.
    MINUTES = "minutes", _("Approved minutes only")
    # Kab. Bandung Barat: a weighted mix of performance and attendance, less lateness bands.
    WEIGHTED = "weighted", _("Performance and attendance, weighted")


class TppFormula(RegionScoped):
    """How a month's allowance is computed, from `effective_from` on. Bands are lists of
    [from_minutes, to_minutes_or_null, percent] deducted per occurrence (per day late)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=FormulaKind.choices)
    effective_from = models.DateField(_("effective from"))
    target_minutes = models.PositiveIntegerField(_("target minutes per month"), default=6000)
    performance_weight = models.DecimalField(
        _("performance weight (%)"), max_digits=5, decimal_places=2, default=100, validators=PERCENT
    )
    attendance_weight = models.DecimalField(
        _("attendance weight (%)"), max_digits=5, decimal_places=2, default=0, validators=PERCENT
    )
    late_bands = models.JSONField(default=list, blank=True)
    early_bands = models.JSONField(default=list, blank=True)
    absence_percent = models.DecimalField(
        _("deduction per day absent without leave (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=PERCENT,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"], name="perf_formula_effective"
            )
        ]


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Period(RegionScoped):
    """A month of the allowance. Once closed it is locked: a change needs a correction."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "month"], name="perf_period_month")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class TppResult(RegionScoped):
    """One person's computed allowance for one month, with every input it came from."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results")
    employee = models.ForeignKey(
        "performance.Employee", on_delete=models.PROTECT, related_name="tpp_results"
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    job_grade = models.PositiveSmallIntegerField()
    formula = models.ForeignKey(TppFormula, on_delete=models.PROTECT, related_name="+")
    base_amount = money(_("base amount"))
    approved_minutes = models.PositiveIntegerField()
    target_minutes = models.PositiveIntegerField()
    performance_share = models.DecimalField(max_digits=7, decimal_places=4)
    attendance_share = models.DecimalField(max_digits=7, decimal_places=4)
    deduction_percent = models.DecimalField(max_digits=6, decimal_places=2)
    working_days = models.PositiveSmallIntegerField()
    days_present = models.PositiveSmallIntegerField()
    late_minutes = models.PositiveIntegerField()
    amount = money(_("allowance"))
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "employee"], name="perf_result_person")
        ]
        indexes = [models.Index(fields=["region", "period", "unit"], name="perf_result_unit")]


class Correction(RegionScoped):
    """An authorised change to a closed month, with its reason (also an audit event)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="corrections")
    entry = models.ForeignKey(
        "performance.Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attendance = models.ForeignKey(
        AttendanceDay, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changes = models.JSONField(default=dict)
    reason = models.TextField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ImportKind(models.TextChoices):
    STAFF = "staff", _("Staff registry")
    ATTENDANCE = "attendance", _("Attendance machine export")
    LEAVE = "leave", _("Leave and official duty")


class ImportRun(RegionScoped):
    """One uploaded file and what became of each row: all or nothing, errors kept."""

    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    filename = models.CharField(max_length=200)
    rows_total = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "field": f, "message": m}]
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
