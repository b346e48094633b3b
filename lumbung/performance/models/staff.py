"""The staff registry: each civil servant (ASN) of the region, their postings over time, and
the TPP base amount per job grade."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lumbung.core.models.fields import money
from lumbung.core.models.tenancy import RegionScoped


class EmploymentType(models.TextChoices):
    PNS = "pns", _("Civil servant (PNS)")
    PPPK = "pppk", _("Contract civil servant (PPPK)")


class Employee(RegionScoped):
    """One ASN. The current unit, position, grade and supervisor are kept here for fast
    queues and rollups; every change is also a Posting row, so history is never lost."""

    nip = models.CharField(_("NIP"), max_length=18)
    name = models.CharField(_("name"), max_length=200)
    # Optional: only so that grants can flag a civil servant among aid recipients.
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=200)
    job_grade = models.PositiveSmallIntegerField(_("job grade (kelas jabatan)"))
    employment_type = models.CharField(
        _("employment type"), max_length=4, choices=EmploymentType.choices
    )
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "nip"], name="perf_employee_nip"),
            models.UniqueConstraint(
                fields=["region", "user"],
                condition=models.Q(user__isnull=False),
                name="perf_employee_user",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "unit"], name="perf_employee_unit"),
            models.Index(fields=["region", "supervisor"], name="perf_employee_supervisor"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})"


class Posting(RegionScoped):
    """Where an employee was, from when to when: unit, position, grade and supervisor."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="postings")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    position = models.CharField(max_length=200)
    job_grade = models.PositiveSmallIntegerField()
    supervisor = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)  # None: the current posting

    class Meta:
        ordering = ["employee", "valid_from", "id"]
        indexes = [models.Index(fields=["region", "employee"], name="perf_posting_employee")]


class TppBase(RegionScoped):
    """The full monthly allowance of a job grade from a date on (region data)."""

    job_grade = models.PositiveSmallIntegerField(_("job grade (kelas jabatan)"))
    amount = money(_("amount (Rupiah)"))
    effective_from = models.DateField(_("effective from"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job_grade", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "job_grade", "effective_from"], name="perf_tppbase_unique"
            )
        ]
