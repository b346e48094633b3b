"""Human-readable numbers (tickets, proposal and permit numbers) without gaps."""

from __future__ import annotations

from django.db import models

from .tenancy import RegionScoped


class NumberSeries(RegionScoped):
    """The last number given in one region, series (a module's kind of document) and year.
    One row per series and year, written in one upsert per number."""

    series = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "series", "year"], name="number_series_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.series}:{self.year}={self.last}"
