"""The catalogue a region keeps as data: permit types with their requirements, fee
formula and stage deadlines; business activities (KBLI 2020) with their risk per scale;
and the routing rules that pick an application's lane."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes.manager import DisabledQuerySet

from lumbung.core.models import RegionScoped
from lumbung.core.models.tenancy import RegionScopedManager

from .common import Bilingual, Lane, Risk, Scale, english, money

KBLI_CODE = RegexValidator(r"^[0-9]{5}$", _("A KBLI 2020 code has five digits."))
KBLI_PREFIX = RegexValidator(r"^[0-9]{0,5}$", _("Up to five digits of a KBLI code."))


class FeeKind(models.TextChoices):
    ZERO = "zero", _("No levy")
    FIXED = "fixed", _("Fixed amount")
    PER_M2 = "per_m2", _("Per square metre")
    PER_UNIT = "per_unit", _("Per unit")


class PermitType(Bilingual, RegionScoped):
    """A kind of permit the region issues, with its legal basis, levy (retribusi) formula,
    validity, deadlines and the units that verify and sign it."""

    code = models.SlugField(_("code"), max_length=40)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("validity in months"), default=0, help_text=_("0: the permit does not expire.")
    )
    # fee = fee_amount + fee_rate x (area in m² | units), by kind; see services/fees.py.
    fee_kind = models.CharField(max_length=10, choices=FeeKind.choices, default=FeeKind.ZERO)
    fee_rate = money(_("rate per m² or unit"), default=Decimal(0))
    fee_amount = money(_("fixed amount"), default=Decimal(0))
    default_approval = models.BooleanField(
        _("approval by default when a deadline passes (fiktif positif)"), default=False
    )
    inspection_required = models.BooleanField(_("field inspection required"), default=False)
    verifying_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signing_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="permits_type_code"),
        ]

    def __str__(self) -> str:
        return self.name


class DocumentFormat(models.TextChoices):
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("Image (JPEG, PNG or WebP)")


class CurrentRequirements(RegionScopedManager):
    """The requirements asked of applicants now. A removed requirement that documents were
    uploaded for is retired, not deleted, so those documents keep it; only
    `Requirement.with_retired` (the admin's page, the restore) sees it."""

    def get_queryset(self) -> models.QuerySet[Any]:
        found = super().get_queryset()
        # Outside a region scope the query must still fail loudly, not here.
        return found if isinstance(found, DisabledQuerySet) else found.filter(is_active=True)


class Requirement(Bilingual, RegionScoped):
    """A document an applicant for one permit type uploads."""

    permit_type = models.ForeignKey(
        PermitType, on_delete=models.CASCADE, related_name="requirements"
    )
    code = models.SlugField(_("code"), max_length=40)
    format = models.CharField(max_length=5, choices=DocumentFormat.choices)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # False: removed by the admin, kept for the documents already uploaded for it.
    is_active = models.BooleanField(default=True)

    objects: ClassVar[CurrentRequirements] = CurrentRequirements()
    with_retired: ClassVar[RegionScopedManager] = RegionScopedManager()

    class Meta:
        default_manager_name = "objects"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "permit_type", "code"], name="permits_requirement_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageSla(RegionScoped):
    """A permit type's deadline for one stage, in working days (over the workflow's)."""

    permit_type = models.ForeignKey(PermitType, on_delete=models.CASCADE, related_name="slas")
    stage = models.CharField(max_length=40)
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "permit_type", "stage"], name="permits_stage_sla"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type_id}.{self.stage}={self.working_days}"


class Kbli(RegionScoped):
    """A business activity by its KBLI 2020 code, with its risk level at each scale."""

    code = models.CharField(_("KBLI code"), max_length=5, validators=[KBLI_CODE])
    title_id = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    risk_micro = models.CharField(max_length=16, choices=Risk.choices)
    risk_small = models.CharField(max_length=16, choices=Risk.choices)
    risk_medium = models.CharField(max_length=16, choices=Risk.choices)
    risk_large = models.CharField(max_length=16, choices=Risk.choices)
    # The permit an application for this activity asks for, where its lane needs one.
    permit_type = models.ForeignKey(
        PermitType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="permits_kbli_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return (self.title_en if english() else self.title_id) or self.title_id

    def risk_at(self, scale: str) -> str:
        return str(getattr(self, f"risk_{Scale(scale).value}"))


class RoutingRule(RegionScoped):
    """KBLI (or a prefix of it) x risk x scale x capital -> lane. The rules are tried in
    priority order; the first that matches decides. Empty criteria match anything."""

    priority = models.PositiveSmallIntegerField(_("priority"))
    kbli_prefix = models.CharField(max_length=5, blank=True, validators=[KBLI_PREFIX])
    risk = models.CharField(max_length=16, choices=Risk.choices, blank=True)
    scale = models.CharField(max_length=8, choices=Scale.choices, blank=True)
    capital_min = money(_("capital from (inclusive)"), null=True, blank=True)
    capital_max = money(_("capital below (exclusive)"), null=True, blank=True)
    # Capital under the region's report_only_capital_threshold setting (Hayu's Rp 500 juta).
    below_threshold = models.BooleanField(default=False)
    lane = models.CharField(max_length=32, choices=Lane.choices)
    permit_type = models.ForeignKey(
        PermitType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    # Whether it may have routed an application (only a rule that cannot have is deleted).
    # Null for rules from before the date was kept: they count as used.
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return f"#{self.priority} -> {self.lane}"
