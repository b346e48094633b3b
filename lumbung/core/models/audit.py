"""The append-only audit log, hash-chained per region so that edits and deletions show."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .tenancy import RegionScopedManager

PLATFORM_CHAIN = "platform"


class AuditEvent(models.Model):
    """One recorded write (or audited read). Never updated or deleted by the application."""

    # Null for platform-level events (a region being added is recorded in its own chain).
    region = models.ForeignKey(
        "core.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chain = models.CharField(max_length=10)
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = RegionScopedManager()

    class Meta:
        ordering = ["chain", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")
        ]
        indexes = [
            models.Index(fields=["region", "-created_at"], name="audit_region_time"),
            models.Index(fields=["region", "action"], name="audit_region_action"),
            models.Index(fields=["region", "object_type", "object_id"], name="audit_region_object"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The last sequence number and hash of a chain: locked while appending, and the
    reference that lets `audit verify` notice a truncated tail."""

    chain = models.CharField(max_length=10, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.chain}@{self.last_seq}"
