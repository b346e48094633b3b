"""The module's figures: received, open, resolved, medians of response and resolution,
share within the deadline and satisfaction, per region, unit and month, and a province's
kabupaten/kota side by side. Counts only: no personal data."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lumbung.core import rls
from lumbung.core.models import Region
from lumbung.core.selectors import region_children_active, region_modules_enabled
from lumbung.core.tenancy import region_scope

from .models import Complaint
from .selectors import PublicFilters
from .workflow import DUPLICATE, OPEN_STATES, REJECTED


class _Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass
class Stats:
    received: int = 0
    open: int = 0
    resolved: int = 0
    rejected: int = 0
    resolved_on_time: int = 0
    median_first_response_hours: float | None = None
    median_resolution_hours: float | None = None
    satisfaction: float | None = None
    ratings: int = 0
    label: str = ""
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def on_time_share(self) -> float | None:
        return round(self.resolved_on_time / self.resolved, 3) if self.resolved else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "received": self.received,
            "open": self.open,
            "resolved": self.resolved,
            "rejected": self.rejected,
            "resolved_on_time": self.resolved_on_time,
            "on_time_share": self.on_time_share,
            "median_first_response_hours": self.median_first_response_hours,
            "median_resolution_hours": self.median_resolution_hours,
            "satisfaction": self.satisfaction,
            "ratings": self.ratings,
        }


_COUNTS = {
    "received": Count("id"),
    "open": Count("id", filter=Q(state__in=OPEN_STATES)),
    "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
    "rejected": Count("id", filter=Q(state__in=(REJECTED, DUPLICATE))),
    "resolved_on_time": Count("id", filter=Q(resolved_on_time=True)),
    "ratings": Count("rating"),
    "satisfaction": Avg("rating"),
}


def _window(region: Region, since: dt.date | None, until: dt.date | None) -> QuerySet[Complaint]:
    return PublicFilters(since=since, until=until).apply(
        Complaint.objects.filter(region=region), region
    )


def report_stats(
    region: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> Stats:
    """The region's figures over every report (public or not; counts carry no personal
    data), filed between `since` and `until`: one pass over the region's rows."""
    reports = _window(region, since, until)
    row = reports.aggregate(**_aggregates())
    medians = _medians_of(row) if _in_database() else _python_medians(reports, None)[None]
    return _stats(row, medians, region.title, region.slug)


def report_stats_by_unit(
    region: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[Stats]:
    """The same figures per responsible unit (reports not routed yet form their own row),
    in one grouped pass."""
    reports = _window(region, since, until)
    rows = list(
        reports.values("unit_id", "unit__name", "unit__short_name")
        .annotate(**_aggregates())
        .order_by("unit__name")
    )
    python = None if _in_database() else _python_medians(reports, "unit_id")
    found: list[Stats] = []
    for row in rows:
        medians = _medians_of(row) if python is None else python.get(row["unit_id"], (None, None))
        label = row["unit__short_name"] or row["unit__name"] or ""
        found.append(_stats(row, medians, label, str(row["unit_id"] or "")))
    return found


Medians = tuple[float | None, float | None]


def _in_database() -> bool:
    """PostgreSQL computes medians in the same pass (PERCENTILE_CONT); SQLite has none."""
    return connection.vendor == "postgresql"


def _aggregates() -> dict[str, Any]:
    found: dict[str, Any] = dict(_COUNTS)
    if _in_database():
        found.update(
            first_median=_Median("first_response_seconds"),
            resolution_median=_Median("resolution_seconds"),
        )
    return found


def _medians_of(row: dict[str, Any]) -> Medians:
    return _hours(row["first_median"]), _hours(row["resolution_median"])


def _python_medians(reports: QuerySet[Complaint], group: str | None) -> dict[Any, Medians]:
    buckets: dict[Any, tuple[list[int], list[int]]] = {}
    fields = ("first_response_seconds", "resolution_seconds")
    rows = reports.values_list(group, *fields) if group else reports.values_list(*fields)
    for values in rows:
        key, first, resolution = values if group else (None, *values)
        firsts, resolutions = buckets.setdefault(key, ([], []))
        if first is not None:
            firsts.append(first)
        if resolution is not None:
            resolutions.append(resolution)
    found = {key: (_hours(_median(a)), _hours(_median(b))) for key, (a, b) in buckets.items()}
    found.setdefault(None, (None, None))
    return found


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 1) if seconds is not None else None


def _stats(row: dict[str, Any], medians: Medians, label: str, key: str) -> Stats:
    satisfaction = row.get("satisfaction")
    return Stats(
        received=row["received"],
        open=row["open"],
        resolved=row["resolved"],
        rejected=row["rejected"],
        resolved_on_time=row["resolved_on_time"],
        ratings=row["ratings"],
        satisfaction=round(float(satisfaction), 2) if satisfaction is not None else None,
        median_first_response_hours=medians[0],
        median_resolution_hours=medians[1],
        label=label,
        key=key,
    )


def report_stats_by_month(
    region: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[dict[str, Any]]:
    """Received and resolved per month, in the region's time zone, for the chart."""
    from zoneinfo import ZoneInfo

    reports = _window(region, since, until)
    rows = (
        reports.annotate(month=TruncMonth("created_at", tzinfo=ZoneInfo(region.timezone)))
        .values("month")
        .annotate(received=Count("id"), resolved=Count("id", filter=Q(resolved_at__isnull=False)))
        .order_by("month")
    )
    return [
        {
            "month": r["month"].strftime("%Y-%m"),
            "received": r["received"],
            "resolved": r["resolved"],
        }
        for r in rows
    ]


def province_stats(
    province: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> list[Stats]:
    """Each kabupaten/kota of a province that runs the module, side by side: aggregates
    only, read inside each region's own scope (and, on PostgreSQL, its row-level wall)."""
    found: list[Stats] = []
    for child in region_children_active(province):
        # Module switches are region rows too: read them behind the child's own wall.
        with region_scope(child), rls.switched(child):
            if "complaints" in region_modules_enabled(child):
                found.append(figures(child, since=since, until=until).region)
    return found


# --- The figures pages' snapshot -------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Everything a figures page shows, and when it was counted."""

    region: Stats
    units: list[Stats]
    months: list[dict[str, Any]]
    as_of: dt.datetime


def figures_key(region: Region) -> str:
    return f"complaints:figures:{region.pk}"


def figures_compute(
    region: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> Figures:
    """Count now: three passes over the region's reports in the period."""
    return Figures(
        region=report_stats(region, since=since, until=until),
        units=report_stats_by_unit(region, since=since, until=until),
        months=report_stats_by_month(region, since=since, until=until),
        as_of=timezone.now(),
    )


def figures(
    region: Region, *, since: dt.date | None = None, until: dt.date | None = None
) -> Figures:
    """The all-time figures from the snapshot the worker keeps (a region of 200,000 reports
    takes a second to count, too long for every visit), or counted now when there is none
    yet or a period was chosen."""
    if since is None and until is None:
        snapshot = cache.get(figures_key(region))
        if isinstance(snapshot, Figures):
            return snapshot
    return figures_compute(region, since=since, until=until)
