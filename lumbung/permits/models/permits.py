"""What an application yields: a registration receipt, a standard certificate or a permit,
with its number and the random half of its verification code."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import RegionScoped

from .applications import Application
from .catalogue import PermitType
from .common import Lane


class PermitStatus(models.TextChoices):
    """Stored status; "expired" is computed from valid_until and the region's today."""

    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class Permit(RegionScoped):
    """An issued document. Its verification code is `token` plus an HMAC of the region and
    the token (see codes.py): the token alone, which is what is stored, verifies nothing."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="permit")
    permit_type = models.ForeignKey(
        PermitType, null=True, blank=True, on_delete=models.PROTECT, related_name="permits"
    )
    lane = models.CharField(max_length=32, choices=Lane.choices)
    number = models.CharField(_("number"), max_length=40)
    token = models.CharField(max_length=32)
    # Copied from the application: what the verification page states about the holder.
    business_name = models.CharField(max_length=200)
    issued_at = models.DateTimeField()
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)  # None: does not expire
    status = models.CharField(
        max_length=10, choices=PermitStatus.choices, default=PermitStatus.VALID
    )
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    by_default = models.BooleanField(_("issued by default (fiktif positif)"), default=False)
    default_reason = models.TextField(blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_30_at = models.DateTimeField(null=True, blank=True)
    reminded_7_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="permits_permit_number"),
            models.UniqueConstraint(fields=["region", "token"], name="permits_permit_token"),
        ]
        indexes = [
            models.Index(fields=["region", "valid_until"], name="permits_permit_expiry"),
        ]

    def __str__(self) -> str:
        return self.number
