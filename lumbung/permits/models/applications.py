"""An application for a permit (a workflow case), its activities, its documents and its
field inspection."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped, WorkflowCase

from .catalogue import Kbli, PermitType, Requirement
from .common import Lane, Scale, money


class Application(WorkflowCase):
    """A business applying: its identity, activities, capital and the lane they lead to.
    The owner's NIK is personal data: staff screens only, never on public output."""

    WORKFLOW_KEY = "permits.application"

    number = models.CharField(_("number"), max_length=40)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    business_name = models.CharField(_("business name"), max_length=200)
    nib = models.CharField(_("NIB"), max_length=13, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=16)  # digits only, 15 or 16
    owner_name = models.CharField(_("owner's name"), max_length=150)
    owner_nik = models.CharField(_("owner's NIK"), max_length=16)
    business_address = models.CharField(_("business address"), max_length=300)
    kelurahan_code = models.CharField(_("kelurahan/desa"), max_length=13)
    capital = money(_("capital excluding land and buildings"))
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit_count = models.PositiveIntegerField(_("units"), null=True, blank=True)
    scale = models.CharField(max_length=8, choices=Scale.choices)
    lane = models.CharField(max_length=32, choices=Lane.choices)
    permit_type = models.ForeignKey(
        PermitType, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    fee_amount = money(_("levy"), default=Decimal(0))
    payment_reference = models.CharField(_("payment reference"), max_length=80, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.TextField(_("technical recommendation"), blank=True)
    recommendation_favourable = models.BooleanField(null=True, blank=True)
    approved_by_default = models.BooleanField(default=False)
    # Some stage of it passed its deadline (for the share within deadline).
    missed_deadline = models.BooleanField(default=False)
    renews = models.ForeignKey(
        "Permit", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="permits_app_number"),
        ]
        indexes = [
            models.Index(fields=["region", "state", "due_at"], name="permits_app_queue"),
            models.Index(fields=["region", "applicant"], name="permits_app_applicant"),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationActivity(RegionScoped):
    """One KBLI activity of an application (the first is its main activity)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="activities"
    )
    kbli = models.ForeignKey(Kbli, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "application", "kbli"], name="permits_activity_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.kbli_id}"


class ApplicationDocument(RegionScoped):
    """A file for one requirement, checked by content on upload and ticked at the
    document check. A resubmitted file replaces the current one (which is kept)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(Requirement, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="permits/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_passed = models.BooleanField(null=True, blank=True)
    check_note = models.CharField(max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.requirement_id}:{self.filename}"


class Inspection(RegionScoped):
    """The field inspection of an application: when, by whom, and what was found."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="inspections"
    )
    scheduled_at = models.DateTimeField(_("scheduled at"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)
    passed = models.BooleanField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-scheduled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}@{self.scheduled_at:%Y-%m-%d}"


class InspectionPhoto(RegionScoped):
    """A photo taken at the inspection, re-encoded without location metadata."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.ImageField(upload_to="permits/inspections/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.pk}"
