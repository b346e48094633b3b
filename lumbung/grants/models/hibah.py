"""Hibah: organisations, grant programmes with a yearly ceiling, proposals with their cost
breakdown (RAB), the amount at every stage, checklists, disbursements and the LPJ."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped, WorkflowCase

from .common import Bilingual, money


class OrganisationKind(models.TextChoices):
    YAYASAN = "yayasan", _("Foundation (yayasan)")
    PERKUMPULAN = "perkumpulan", _("Association (perkumpulan)")
    ORMAS = "ormas", _("Community organisation (ormas)")
    COMMUNITY = "community", _("Community group (kelompok masyarakat)")
    WORSHIP = "worship", _("House of worship")
    GOVERNMENT = "government", _("Government body")


class Verification(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Organisation(RegionScoped):
    """An applicant for hibah, with its legal facts. Staff verify it once; later proposals
    reuse that verification until a legal fact changes."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    legal_number = models.CharField(_("legal registration number"), max_length=80)
    legal_date = models.DateField(_("legal registration date"))
    npwp = models.CharField(_("NPWP"), max_length=16)  # digits only, 15 or 16
    address = models.CharField(_("address"), max_length=300)
    kelurahan_code = models.CharField(_("kelurahan/desa"), max_length=13, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # [{"position": "ketua", "name": "…"}]: the chair, secretary and treasurer at least.
    officers = models.JSONField(_("officers"), default=list)
    bank_name = models.CharField(_("bank"), max_length=80)
    bank_account_number = models.CharField(_("bank account number"), max_length=30)
    bank_account_name = models.CharField(_("bank account holder"), max_length=200)
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.PENDING
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_note = models.TextField(blank=True)
    # The citizen accounts that may act for it (its officers' logins).
    accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "legal_number"], name="grants_org_legal_number"
            )
        ]
        indexes = [
            models.Index(fields=["region", "npwp"], name="grants_org_npwp"),
            models.Index(fields=["region", "bank_account_number"], name="grants_org_bank"),
        ]

    def __str__(self) -> str:
        return self.name


class Document(RegionScoped):
    """A file attached to an organisation or a proposal (checked by content on upload)."""

    class Kind(models.TextChoices):
        DEED = "deed", _("Deed of establishment")
        LEGAL = "legal", _("Legal registration decree")
        NPWP = "npwp", _("NPWP card")
        DOMICILE = "domicile", _("Certificate of domicile")
        BANK = "bank", _("Bank account statement")
        PROPOSAL = "proposal", _("Proposal document")
        RAB = "rab", _("Cost breakdown (RAB)")
        FIELD = "field", _("Field verification record")
        NPHD = "nphd", _("Signed NPHD")
        TRANSFER = "transfer", _("Transfer proof")
        LPJ = "lpj", _("Accountability report (LPJ)")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="documents"
    )
    # A transfer proof names the payment it proves (older proofs, and other kinds, none).
    tranche = models.ForeignKey(
        "Tranche", null=True, blank=True, on_delete=models.PROTECT, related_name="proofs"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to="grants/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.filename}"


class HibahProgramme(Bilingual, RegionScoped):
    """A grant programme of one budget year. The approved total never exceeds its ceiling."""

    code = models.SlugField(_("code"), max_length=40)
    year = models.PositiveSmallIntegerField(_("budget year"))
    ceiling = money(_("ceiling"))
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("accepts proposals from"), null=True, blank=True)
    closes_on = models.DateField(_("accepts proposals until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "code"], name="grants_hibah_programme_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Stage(models.TextChoices):
    """The stages that carry an amount, in order; each may not exceed the one before
    without a recorded justification."""

    REQUESTED = "requested", _("Requested")
    RECOMMENDED = "recommended", _("Recommended by the evaluating unit")
    CONSIDERED = "considered", _("Considered by the consideration team")
    FINAL = "final", _("Final (TAPD)")


class Proposal(WorkflowCase):
    """A hibah proposal. Every stage's amount is kept; the register shows them all."""

    WORKFLOW_KEY = "grants.hibah"

    number = models.CharField(_("number"), max_length=40)
    programme = models.ForeignKey(
        HibahProgramme, on_delete=models.PROTECT, related_name="proposals"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    location = models.CharField(_("location"), max_length=300)
    kelurahan_code = models.CharField(_("kelurahan/desa"), max_length=13, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    evaluating_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_requested = money(_("requested amount"))
    amount_recommended = money(_("recommended amount"), null=True, blank=True)
    amount_considered = money(_("considered amount"), null=True, blank=True)
    amount_final = money(_("final amount"), null=True, blank=True)
    amount_disbursed = money(_("disbursed amount"), default=0)
    decision_number = models.CharField(_("head of region's decision"), max_length=80, blank=True)
    nphd_number = models.CharField(_("NPHD number"), max_length=80, blank=True)
    nphd_signed_on = models.DateField(_("NPHD signed on"), null=True, blank=True)
    lpj_due_on = models.DateField(_("LPJ due on"), null=True, blank=True)
    lpj_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The public register's stable address (the number is public too; this also is).
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="grants_proposal_number"),
            models.CheckConstraint(
                condition=models.Q(amount_disbursed__lte=models.F("amount_final"))
                | models.Q(amount_disbursed=0),
                name="grants_disbursed_within_final",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "state"], name="grants_proposal_state"),
            models.Index(fields=["region", "programme"], name="grants_proposal_programme"),
            models.Index(fields=["region", "organisation"], name="grants_proposal_org"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def amount_at(self, stage: str) -> object:
        return getattr(self, f"amount_{stage}")


class BudgetLine(RegionScoped):
    """One line of the proposal's cost breakdown (RAB)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("item"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    unit_price = money(_("unit price"))
    total = money(_("total"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class AmountChange(RegionScoped):
    """The amount set at one stage: by whom, from what, and why when it rose."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amounts")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    amount = money(_("amount"))
    previous = money(_("previous stage's amount"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.stage}={self.amount}"


class ChecklistItem(Bilingual, RegionScoped):
    """One question a role answers at one workflow state. A computed item (its `computed_check`
    names a function in checks.py) is answered by the system, never ticked by hand."""

    state = models.CharField(_("stage"), max_length=40)
    key = models.SlugField(max_length=60)
    computed_check = models.CharField(_("computed check"), max_length=60, blank=True)
    needs_date = models.BooleanField(_("asks for a date"), default=False)
    required = models.BooleanField(_("must pass"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["state", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "state", "key"], name="grants_check_key")
        ]

    def __str__(self) -> str:
        return f"{self.state}:{self.key}"


class ChecklistAnswer(RegionScoped):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    passed = models.BooleanField()
    on_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    computed = models.BooleanField(default=False)
    # What the system looked at for a computed answer (ids, dates), shown as its reason.
    evidence = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item"], name="grants_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.item_id}={self.passed}"


class Tranche(RegionScoped):
    """One disbursement of a hibah; their sum never exceeds the final amount."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField()
    amount = money(_("amount"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("SP2D / transfer reference"), max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="grants_tranche_number")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}#{self.number}"
