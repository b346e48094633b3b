"""Red flags the system computes, and suspicions the public raises."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped


class FlagKind(models.TextChoices):
    CONSECUTIVE_YEARS = "consecutive", _("Funded in consecutive years")
    SHARED_BANK = "shared_bank", _("Bank account shared by different recipients")
    SHARED_PHONE = "shared_phone", _("Phone shared by different recipients")
    SHARED_ADDRESS = "shared_address", _("Address shared by different recipients")
    RECENT_ORGANISATION = "recent_org", _("Organisation registered recently")
    CIVIL_SERVANT = "civil_servant", _("Recipient is a civil servant")
    DUPLICATE_PERSON = "duplicate_person", _("Possible duplicate person")
    AMOUNT_RISE = "amount_rise", _("Amount rose between stages")
    EARLY_DISBURSEMENT = "early_disbursement", _("Disbursed before the NPHD was signed")
    LPJ_OVERDUE = "lpj_overdue", _("Accountability report (LPJ) overdue")


class RedFlag(RegionScoped):
    """One computed warning about a proposal, organisation or person. `key` identifies the
    finding, so recomputing never duplicates it, and a dismissed flag stays dismissed."""

    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    key = models.CharField(max_length=200)
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    person = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    # What was found, for the explanation ({"years": [2025, 2026], "proposals": [ids]}).
    evidence = models.JSONField(default=dict)
    detected_at = models.DateTimeField(default=timezone.now)
    # Still true at the last computation; a flag whose cause went away is kept, not deleted.
    is_current = models.BooleanField(default=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismissal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "key"], name="grants_flag_key")
        ]
        indexes = [models.Index(fields=["region", "dismissed_at"], name="grants_flag_open")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Suspicion(RegionScoped):
    """A member of the public says a proposal or recipient looks wrong. It becomes a
    complaint when the complaints module is on, otherwise a review task for the auditor."""

    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="suspicions"
    )
    programme = models.ForeignKey(
        "BansosProgramme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient_name = models.CharField(_("recipient named"), max_length=150, blank=True)
    kelurahan_code = models.CharField(max_length=13, blank=True)
    text = models.TextField(_("what looks wrong"))
    contact_email = models.EmailField(_("email (optional)"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"suspicion {self.pk}"
