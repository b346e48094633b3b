"""Public figures per permit type and unit: applications, issued, rejected, median
processing time in working days (the region's own time only: days with the applicant, in
correction or paying the levy, are not counted), share decided within every deadline,
approvals by default. Counts only; nothing about any applicant."""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region, Transition

from .models import INSTANT_LANES, Application
from .workflow import GRANTED, PAYMENT, REJECTED, RETURNED

WAITING = (RETURNED, PAYMENT)  # the applicant's time, not the region's


@dataclass
class Figures:
    key: str  # permit type code, or the lane of the instant registrations
    name: str
    unit: str
    applications: int = 0
    issued: int = 0
    rejected: int = 0
    by_default: int = 0
    within_deadline: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.issued + self.rejected

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def share_within_deadline(self) -> float | None:
        return round(self.within_deadline / self.decided, 4) if self.decided else None

    def as_row(self) -> dict[str, object]:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "applications": self.applications,
            "issued": self.issued,
            "rejected": self.rejected,
            "median_working_days": self.median_days,
            "share_within_deadline": self.share_within_deadline,
            "approved_by_default": self.by_default,
        }


def _waiting_days(calendar: RegionCalendar, steps: list[Transition]) -> int:
    """Working days the application spent with the applicant (correction, payment)."""
    waited = 0
    for step, following in itertools.pairwise(steps):
        if step.to_state in WAITING:
            waited += calendar.working_days_between(step.created_at, following.created_at)
    return waited


def _group(application: Application) -> tuple[str, str, str]:
    permit_type = application.permit_type
    if application.lane in INSTANT_LANES or permit_type is None:
        return application.lane, application.get_lane_display(), ""
    unit = permit_type.verifying_unit
    return permit_type.code, permit_type.name, unit.name if unit else ""


def permits_stats(region: Region) -> list[dict[str, object]]:
    """One row per permit type (with its verifying unit) and one per instant lane."""
    calendar = RegionCalendar(region)
    applications = list(
        Application.objects.filter(region=region).select_related(
            "permit_type", "permit_type__verifying_unit"
        )
    )
    steps: dict[str, list[Transition]] = defaultdict(list)
    moves = Transition.objects.filter(region=region, case_type="permits.application").filter(
        Q(to_state__in=WAITING) | Q(from_state__in=WAITING)
    )
    for step in moves:
        steps[step.case_id].append(step)
    figures: dict[tuple[str, str, str], Figures] = {}
    for app in applications:
        key = _group(app)
        row = figures.setdefault(key, Figures(*key))
        row.applications += 1
        row.by_default += app.approved_by_default
        if app.state in GRANTED or app.state == REJECTED:
            row.issued += app.state in GRANTED
            row.rejected += app.state == REJECTED
            row.within_deadline += not app.missed_deadline
            if app.decided_at is not None:
                own = sorted(steps[str(app.pk)], key=lambda s: (s.created_at, s.pk))
                total = calendar.working_days_between(app.created_at, app.decided_at)
                row.days.append(max(0, total - _waiting_days(calendar, own)))
    return [f.as_row() for f in sorted(figures.values(), key=lambda f: f.key)]
