"""Reads of the activity log: a person's day and month with their totals, one entry of
theirs, and the catalogue (in use, or waiting for a curator)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from lumbung.core.errors import NotFound
from lumbung.core.models import Region, Transition, User

from ..common import month_bounds
from ..models import Activity, Employee, Entry
from ..workflow import APPROVED, PROPOSED, REJECTED, SUBMITTED


@dataclass(frozen=True)
class Totals:
    """Minutes of a set of entries by where they stand."""

    entries: int = 0
    claimed: int = 0
    approved: int = 0
    waiting: int = 0
    rejected: int = 0


def entries_of(region: Region, person: Employee) -> QuerySet[Entry]:
    return Entry.objects.filter(region=region, employee=person).select_related("activity")


def day_entries(region: Region, person: Employee, day: dt.date) -> QuerySet[Entry]:
    return entries_of(region, person).filter(work_date=day)


def month_entries(
    region: Region, person: Employee, year: int, month: int, state: str = ""
) -> QuerySet[Entry]:
    first, last = month_bounds(year, month)
    found = entries_of(region, person).filter(work_date__range=(first, last))
    return found.filter(state=state) if state else found


def totals(entries: QuerySet[Entry]) -> Totals:
    """Entries and minutes by state, in one aggregate query."""

    def minutes(field: str, state: str) -> Coalesce:
        return Coalesce(Sum(field, filter=Q(state=state)), 0)

    row = entries.order_by().aggregate(
        entries=Count("id"),
        claimed=Coalesce(Sum("claimed_minutes", filter=Q(state__in=(SUBMITTED, APPROVED))), 0),
        approved=minutes("approved_minutes", APPROVED),
        waiting=minutes("claimed_minutes", SUBMITTED),
        rejected=minutes("claimed_minutes", REJECTED),
    )
    return Totals(**row)


def entry_of(region: Region, user: User, pk: int) -> Entry:
    """One of the signed-in person's own entries; anyone else's is a 404."""
    entry = (
        Entry.objects.filter(region=region, pk=pk, employee__user=user)
        .select_related("activity")
        .first()
    )
    if entry is None:
        raise NotFound()
    return entry


def activities(region: Region, *, query: str = "", state: str = APPROVED) -> QuerySet[Activity]:
    """The catalogue in one state (default: in use), searched by name in either language."""
    found = Activity.objects.filter(region=region, state=state)
    for word in query.split()[:5]:
        found = found.filter(Q(name_id__icontains=word) | Q(name_en__icontains=word))
    return found


def usable_activities(region: Region, person: Employee) -> list[Activity]:
    """Activities in use that the person's position may log (few per region)."""
    return [a for a in activities(region) if not a.positions or person.position in a.positions]


def proposals(region: Region) -> QuerySet[Activity]:
    """Proposals waiting for a curator, oldest first, with who proposed them."""
    return (
        Activity.objects.filter(region=region, state=PROPOSED)
        .select_related("proposed_by", "proposed_by__unit")
        .order_by("created_at", "id")
    )


def proposals_of(region: Region, person: Employee) -> list[dict[str, object]]:
    """The person's own proposals with where each stands and a curator's reason, if any."""
    mine = list(Activity.objects.filter(region=region, proposed_by=person).order_by("-id")[:20])
    notes = dict(
        Transition.objects.filter(
            region=region,
            case_type=Activity._meta.label_lower,
            case_id__in=[str(a.pk) for a in mine],
            action="decline",
        ).values_list("case_id", "note")
    )
    return [{"activity": a, "reason": notes.get(str(a.pk), "")} for a in mine]


def activity_get(region: Region, pk: int) -> Activity:
    found = Activity.objects.filter(region=region, pk=pk).select_related("proposed_by").first()
    if found is None:
        raise NotFound()
    return found
