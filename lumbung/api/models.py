"""Storage of the API's fair-share counters when no Redis is configured."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests counted in the current fixed window of one (scope, identity, period)."""

    key = models.CharField(max_length=120, primary_key=True)
    bucket = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True)  # epoch second the window ends

    def __str__(self) -> str:
        return f"{self.key}@{self.bucket}={self.count}"
