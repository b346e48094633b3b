"""Calendar data: nationally decreed cuti bersama, and each region's own holidays."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import RegionScoped


class CollectiveLeaveDay(models.Model):
    """A cuti bersama day decreed for the whole country (SKB 3 Menteri)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200)
    decree = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RegionHoliday(RegionScoped):
    """A day the region's offices are closed on top of national holidays (local holidays,
    regional anniversaries); `is_working_day=True` marks a declared make-up working day."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    is_working_day = models.BooleanField(_("declared working day"), default=False)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "date"], name="region_holiday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
