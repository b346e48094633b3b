"""Anomalies for auditors in a month: each rule is one SQL aggregate over the month's entries
(on the (region, work_date) index), its findings explained in plain words with links to a
sample of the entries behind them. Thresholds live in thresholds.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import Length, RowNumber
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lumbung.core.models import Region

from ..models import Activity, Employee, Entry
from ..workflow import WITHDRAWN
from . import thresholds as t
from .month import Month, Yardstick


class AnomalyKind(StrEnum):
    COPIED_ENTRIES = "copied_entries"
    SHARED_NOTE = "shared_note"
    AT_CAP = "at_cap"
    LARGE_QUANTITY = "large_quantity"
    FAST_REVIEWER = "fast_reviewer"
    BULK_BEFORE_CUTOFF = "bulk_before_cutoff"


KIND_LABELS: dict[AnomalyKind, str | Promise] = {
    AnomalyKind.COPIED_ENTRIES: _("Identical entries on many days"),
    AnomalyKind.SHARED_NOTE: _("The same note by several people on one day"),
    AnomalyKind.AT_CAP: _("At the daily cap on most working days"),
    AnomalyKind.LARGE_QUANTITY: _("Quantities far above the usual"),
    AnomalyKind.FAST_REVIEWER: _("Approvals within seconds"),
    AnomalyKind.BULK_BEFORE_CUTOFF: _("Entries made in bulk just before the cut-off"),
}


@dataclass(frozen=True)
class EntryRef:
    """An entry behind a finding: enough to link it on its author's month page."""

    id: int
    employee_id: int
    work_date: dt.date


@dataclass
class Finding:
    kind: AnomalyKind
    explanation: str
    people: list[tuple[int, str]]  # (employee id, name) of those it concerns
    count: int  # entries (or reviews) involved
    entries: list[EntryRef] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def month_entries(region: Region, month: Month) -> QuerySet[Entry]:
    """The month's entries that still stand (withdrawn ones are their author's to drop)."""
    return Entry.objects.filter(
        region=region, work_date__gte=month.start, work_date__lte=month.end
    ).exclude(state=WITHDRAWN)


def samples(found: QuerySet[Entry], *keys: str) -> dict[tuple[Any, ...], list[EntryRef]]:
    """Up to SAMPLE_ENTRIES entries per group of `keys`, in one query (a window)."""
    ranked = found.annotate(
        rank=Window(RowNumber(), partition_by=[F(k) for k in keys], order_by=F("id").asc())
    ).filter(rank__lte=t.SAMPLE_ENTRIES)
    grouped: dict[tuple[Any, ...], list[EntryRef]] = {}
    for row in ranked.values("id", "employee_id", "work_date", *keys).order_by("work_date", "id"):
        ref = EntryRef(row["id"], row["employee_id"], row["work_date"])
        grouped.setdefault(tuple(row[k] for k in keys), []).append(ref)
    return grouped


def names_of(region: Region, ids: set[int]) -> dict[int, str]:
    people = Employee.objects.filter(region=region, pk__in=ids).values_list("pk", "name")
    return dict(people)


def activity_names(region: Region, ids: set[int]) -> dict[int, str]:
    return {a.pk: a.name for a in Activity.objects.filter(region=region, pk__in=ids)}


def excerpt(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _noted(region: Region, month: Month) -> QuerySet[Entry]:
    return (
        month_entries(region, month)
        .annotate(note_length=Length("note"))
        .filter(note_length__gte=t.NOTE_MIN_LENGTH)
    )


_COPY_KEYS = ("employee_id", "activity_id", "quantity", "start_time", "end_time", "note")


def copied_entries(region: Region, month: Month) -> list[Finding]:
    """One person, the same activity, quantity, hours and note on many days."""
    noted = _noted(region, month)
    groups = list(
        noted.values(*_COPY_KEYS)
        .annotate(days=Count("work_date", distinct=True), n=Count("id"))
        .filter(days__gte=t.COPY_MIN_DAYS)
        .order_by("-days", "employee_id")[: t.MAX_FINDINGS]
    )
    if not groups:
        return []
    refs = samples(
        noted.filter(
            employee_id__in={g["employee_id"] for g in groups}, note__in={g["note"] for g in groups}
        ),
        *_COPY_KEYS,
    )
    people = names_of(region, {g["employee_id"] for g in groups})
    activities = activity_names(region, {g["activity_id"] for g in groups})
    return [_copied(g, people, activities, refs) for g in groups]


def _copied(
    group: dict[str, Any],
    people: dict[int, str],
    activities: dict[int, str],
    refs: dict[tuple[Any, ...], list[EntryRef]],
) -> Finding:
    name = people.get(group["employee_id"], "?")
    text = _(
        "%(name)s logged the same entry (%(activity)s, %(start)s-%(end)s, quantity "
        "%(quantity)s, note “%(note)s”) on %(days)s days."
    ) % {
        "name": name,
        "activity": activities.get(group["activity_id"], "?"),
        "start": group["start_time"].strftime("%H:%M"),
        "end": group["end_time"].strftime("%H:%M"),
        "quantity": group["quantity"],
        "note": excerpt(group["note"]),
        "days": group["days"],
    }
    return Finding(
        kind=AnomalyKind.COPIED_ENTRIES,
        explanation=text,
        people=[(group["employee_id"], name)],
        count=group["n"],
        entries=refs.get(tuple(group[k] for k in _COPY_KEYS), []),
    )


def shared_notes(region: Region, month: Month) -> list[Finding]:
    """Several people writing the very same note on the same day."""
    noted = _noted(region, month)
    groups = list(
        noted.values("work_date", "note")
        .annotate(people=Count("employee_id", distinct=True), n=Count("id"))
        .filter(people__gte=t.SHARED_NOTE_MIN_PEOPLE)
        .order_by("-people", "work_date")[: t.MAX_FINDINGS]
    )
    if not groups:
        return []
    found = noted.filter(
        work_date__in={g["work_date"] for g in groups}, note__in={g["note"] for g in groups}
    )
    authors: dict[tuple[Any, ...], set[int]] = {}
    for day, note, person in found.values_list("work_date", "note", "employee_id").distinct():
        authors.setdefault((day, note), set()).add(person)
    refs = samples(found, "work_date", "note")
    people = names_of(region, set().union(*authors.values()))
    findings = []
    for g in groups:
        who = sorted(
            authors.get((g["work_date"], g["note"]), set()), key=lambda p: people.get(p, "")
        )
        text = _("%(people)s people wrote the same note “%(note)s” on %(date)s.") % {
            "people": g["people"],
            "note": excerpt(g["note"]),
            "date": g["work_date"].strftime("%d/%m/%Y"),
        }
        findings.append(
            Finding(
                kind=AnomalyKind.SHARED_NOTE,
                explanation=text,
                people=[(p, people.get(p, "?")) for p in who],
                count=g["n"],
                entries=refs.get((g["work_date"], g["note"]), []),
            )
        )
    return findings


def anomalies(region: Region, stick: Yardstick) -> list[Finding]:
    """Every rule's findings for the month, rule by rule."""
    from .anomalies_volume import at_cap, bulk_before_cutoff, fast_reviewers, large_quantities

    month = stick.month
    return [
        *copied_entries(region, month),
        *shared_notes(region, month),
        *at_cap(region, stick),
        *large_quantities(region, month),
        *fast_reviewers(region, month),
        *bulk_before_cutoff(region, month),
    ]
