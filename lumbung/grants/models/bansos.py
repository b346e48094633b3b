"""Bansos: the recipient registry keyed by NIK, programmes with eligibility rules as data,
cycles whose recipient list is computed, approved by someone else, then disbursed with
proof; and bulk imports of recipient lists."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped, WorkflowCase

from .common import Bilingual, money


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class PersonSource(models.TextChoices):
    NATIONAL = "national", _("National register (DTSEN/DTKS)")
    REGION = "region", _("Region's own survey")
    PROPOSAL = "proposal", _("Proposed by the kelurahan")
    IMPORT = "import", _("Imported list")


class Person(RegionScoped):
    """One person in the region's social-aid registry. NIK, KK, address and phone are
    personal data: masked outside authorised staff screens, and staff reads are audited."""

    nik = models.CharField(_("NIK"), max_length=16)
    kk = models.CharField(_("family card number (KK)"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    kelurahan_code = models.CharField(_("kelurahan/desa"), max_length=13, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # 1 (poorest tenth) to 10, as the national register ranks households.
    welfare_decile = models.PositiveSmallIntegerField(_("welfare decile"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=PersonSource.choices)
    # A list of a million persons is written in one statement; a database foreign key
    # would check each row against its region and its job at commit (about 11 s per
    # million rows each). Regions are never deleted (PROTECT, here too: Django's collector
    # still refuses), and the import writes only the region and job it was given (see
    # docs/grants.md, "Import speed"). No index of its own: (region, nik) leads with it.
    region = models.ForeignKey(
        "core.Region",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    # Which import last wrote the person: shown, never searched by; SET_NULL is done by
    # Django when a job is deleted.
    import_job = models.ForeignKey(
        "ImportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Retired: kept for the record (a person who was on a list is never deleted) but left
    # out of every list computed from then on. The import's INSERT names its columns, so
    # the reason has a database default and the rest may be NULL; who retired them has no
    # foreign key for the same reason as `region` (a constraint per imported row).
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_reason = models.CharField(
        _("why retired"), max_length=300, blank=True, default="", db_default=""
    )
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "nik"], name="grants_person_nik")]
        # No index on (region, kk): nothing searches by KK, and each index costs a
        # million-row import several seconds.
        indexes = [
            # The duplicate checks compare names case-insensitively (UPPER(name) = …): the
            # index has that expression, so they use it.
            models.Index(
                "region",
                Upper("name"),
                "birth_date",
                "kelurahan_code",
                name="grants_person_identity",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def nik_masked(self) -> str:
        return "•" * 12 + self.nik[-4:]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class BenefitKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class BansosProgramme(Bilingual, RegionScoped):
    """A social-aid programme: who is eligible (rules as data), what each recipient gets,
    and how many cycles a year."""

    code = models.SlugField(_("code"), max_length=40)
    year = models.PositiveSmallIntegerField(_("budget year"))
    benefit_kind = models.CharField(_("benefit"), max_length=8, choices=BenefitKind.choices)
    benefit_amount = money(_("amount per recipient per cycle"), default=0)
    benefit_item = models.CharField(_("item"), max_length=200, blank=True)
    cycles_per_year = models.PositiveSmallIntegerField(_("cycles a year"), default=1)
    # [{"field": "welfare_decile", "op": "lte", "value": 4}, …]: every rule must hold.
    eligibility = models.JSONField(_("eligibility rules"), default=list)
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "code"], name="grants_bansos_programme_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class Cycle(WorkflowCase):
    """One round of a programme: its list is computed, reviewed, approved by a person other
    than whoever computed it, then disbursed."""

    WORKFLOW_KEY = "grants.bansos_cycle"

    programme = models.ForeignKey(BansosProgramme, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveSmallIntegerField(_("cycle"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="grants_cycle_number")
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}#{self.number}"


class Entitlement(RegionScoped):
    """A person on a cycle's list, and what became of it."""

    class Status(models.TextChoices):
        LISTED = "listed", _("Listed")
        REMOVED = "removed", _("Removed at review")
        DISBURSED = "disbursed", _("Received")
        FAILED = "failed", _("Not received")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="entitlements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="entitlements")
    amount = money(_("amount"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LISTED)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="grants_entitlement_once")
        ]
        indexes = [models.Index(fields=["region", "person"], name="grants_entitlement_person")]

    def __str__(self) -> str:
        return f"{self.cycle_id}:{self.person_id}"


class Handover(RegionScoped):
    """Proof that an entitlement reached its person."""

    class Channel(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        POST = "post", _("Post office")
        CASH = "cash", _("Handed over in person")
        GOODS = "goods", _("Goods delivered")

    entitlement = models.OneToOneField(
        Entitlement, on_delete=models.PROTECT, related_name="handover"
    )
    paid_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=80)
    photo = models.ImageField(upload_to="grants/handover/%Y/%m/", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.entitlement_id}@{self.paid_on}"


class ImportJob(RegionScoped):
    """A bulk import of a recipient list: its file, progress, outcome and error report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported: errors found")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All rows or none")
        VALID_ONLY = "valid", _("Only the valid rows")

    file = models.FileField(upload_to="grants/imports/%Y/%m/")
    filename = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=PersonSource.choices)
    mode = models.CharField(max_length=5, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    # The row-level error report (CSV: row, column, value, message), kept for download.
    error_report = models.FileField(upload_to="grants/imports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
