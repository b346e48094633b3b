"""In-app notifications; email goes out on commit alongside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .tenancy import RegionScoped


class Notification(RegionScoped):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region", "recipient", "read_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title
