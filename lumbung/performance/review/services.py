"""The supervisor's review of activity entries: approve, reject with a reason, approve a
smaller quantity, and approve a person's whole day or a selection at once.

Who may act: only the entry's current reviewer (Entry.reviewer: the author's direct
supervisor, or whoever the entry was escalated to), never its author, never in a closed
month. Supervisors higher up get an entry only by escalation (tasks.py): one person answers
for each entry at a time, the per-reviewer review statistics stay honest, and the check is
one filter on the locked rows rather than a chain walk per entry.

Every action, on one entry or many, is one locked read, one UPDATE and one insert of
transitions (core's cases_transition_bulk), one audit event, and for a rejection or an
adjustment one in-app notification to the author. An entry someone already reviewed is
reported as such, never approved twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import Conflict, DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.workflow_bulk import cases_transition_bulk

from ..common import record, require_open_month, same_region
from ..errors import PerformanceError
from ..models import Employee, Entry
from ..selectors import employee_of
from ..workflow import SUBMITTED
from .errors import ReviewError
from .notices import authors_notify

# A selection larger than a queue page is a script, not a reviewer: it goes by days.
MAX_SELECTED = 500


@dataclass(frozen=True)
class ReviewBatch:
    """What an action did: the entries it moved, and those already reviewed before it."""

    moved: list[int] = field(default_factory=list)
    already_reviewed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    pk: int
    employee_id: int
    reviewer_id: int | None
    state: str
    work_date: dt.date
    quantity: int


def _reviewer(region: Region, actor: User) -> Employee:
    me = employee_of(region, actor)
    if me is None:
        raise DomainError(
            PerformanceError.NOT_REVIEWER,
            _("Only the entry's reviewer may review it."),
            status=403,
        )
    return me


def _locked(region: Region, ids: Collection[int]) -> list[_Row]:
    """The entries, locked in id order (so two reviewers' batches cannot deadlock); any id
    that is not the region's is a 404 for the whole batch."""
    wanted = set(ids)
    rows = [
        _Row(*values)
        for values in Entry.objects.select_for_update()
        .filter(region=region, pk__in=wanted)
        .order_by("pk")
        .values_list("pk", "employee_id", "reviewer_id", "state", "work_date", "quantity")
    ]
    if len(rows) != len(wanted):
        raise NotFound()
    return rows


def _vet(region: Region, me: Employee, rows: list[_Row]) -> tuple[list[int], list[int]]:
    """Refuse the whole batch if any entry is the reviewer's own or not theirs to review,
    or falls in a closed month; split the rest into waiting and already reviewed."""
    if any(row.employee_id == me.pk for row in rows):
        raise DomainError(
            PerformanceError.OWN_ENTRY, _("Nobody reviews their own entries."), status=403
        )
    if any(row.reviewer_id != me.pk for row in rows):
        raise DomainError(
            PerformanceError.NOT_REVIEWER,
            _("Some of these entries are not waiting for your review (any more)."),
            status=403,
        )
    waiting = [row for row in rows if row.state == SUBMITTED]
    for first in sorted({row.work_date.replace(day=1) for row in waiting}):
        require_open_month(region, first)
    return [row.pk for row in waiting], [row.pk for row in rows if row.state != SUBMITTED]


def _move(
    region: Region,
    actor: User,
    ids: list[int],
    action: str,
    note: str,
    updates: Mapping[str, Any],
) -> list[int]:
    if not ids:
        return []
    return cases_transition_bulk(
        region=region,
        actor=actor,
        model=Entry,
        ids=ids,
        action=action,
        note=note,
        vetted=True,
        updates={
            "reviewed_at": timezone.now(),
            "reviewed_by": actor,
            "review_note": note,
            **updates,
        },
    )


APPROVE = {"approved_quantity": F("quantity"), "approved_minutes": F("claimed_minutes")}
REJECT = {"approved_quantity": None, "approved_minutes": 0}


def _batch(
    *, region: Region, actor: User, ids: Collection[int], obj: Any, extra: dict[str, Any]
) -> ReviewBatch:
    me = _reviewer(region, actor)
    waiting, already = _vet(region, me, _locked(region, ids))
    moved = _move(region, actor, waiting, "approve", "", APPROVE)
    if moved:
        changes = {"entries": moved, "already_reviewed": already, **extra}
        record(region, actor, obj, "entries.approve", changes)
    return ReviewBatch(moved, already)


@transaction.atomic
def entries_approve(*, region: Region, actor: User, ids: Collection[int]) -> ReviewBatch:
    """Approve the selected entries (all of them the actor's to review) in one step."""
    chosen = set(ids)
    if not chosen:
        raise ValidationFailed({"entries": [_("Choose at least one entry.")]})
    if len(chosen) > MAX_SELECTED:
        message = _("Choose at most %(n)d entries at once.") % {"n": MAX_SELECTED}
        raise ValidationFailed({"entries": [message]})
    return _batch(region=region, actor=actor, ids=chosen, obj=None, extra={})


@transaction.atomic
def day_approve(*, region: Region, actor: User, employee: Employee, day: dt.date) -> ReviewBatch:
    """Approve every entry of `employee` on `day` that waits for the actor's review."""
    same_region(region, employee)
    me = _reviewer(region, actor)
    if employee.pk == me.pk:
        raise DomainError(
            PerformanceError.OWN_ENTRY, _("Nobody reviews their own entries."), status=403
        )
    ids = Entry.objects.filter(
        region=region, employee=employee, work_date=day, reviewer=me, state=SUBMITTED
    ).values_list("pk", flat=True)
    extra = {"work_date": day.isoformat()}
    return _batch(region=region, actor=actor, ids=list(ids), obj=employee, extra=extra)


def _one(region: Region, actor: User, entry: Entry) -> _Row:
    """The entry, locked and vetted, still waiting: else ALREADY_REVIEWED (409)."""
    same_region(region, entry)
    me = _reviewer(region, actor)
    rows = _locked(region, [entry.pk])
    waiting, _already = _vet(region, me, rows)
    if not waiting:
        raise Conflict(
            ReviewError.ALREADY_REVIEWED,
            _("This entry was already reviewed; nothing was changed."),
        )
    return rows[0]


def _reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError(
            ErrorCode.NOTE_REQUIRED,
            _("Give the reason; the author reads it."),
            field_errors={"reason": [_("This field is required.")]},
            status=422,
        )
    return reason.strip()


@transaction.atomic
def entry_approve(*, region: Region, actor: User, entry: Entry) -> Entry:
    """Approve one entry as claimed."""
    _one(region, actor, entry)
    _move(region, actor, [entry.pk], "approve", "", APPROVE)
    record(region, actor, entry, "entries.approve", {"entries": [entry.pk]})
    entry.refresh_from_db()
    return entry


@transaction.atomic
def entry_reject(*, region: Region, actor: User, entry: Entry, reason: str) -> Entry:
    """Reject one entry with the reason its author reads: it counts no minutes."""
    note = _reason(reason)
    _one(region, actor, entry)
    _move(region, actor, [entry.pk], "reject", note, REJECT)
    record(region, actor, entry, "entries.reject", {"entries": [entry.pk]}, note)
    entry.refresh_from_db()
    authors_notify(region, [entry], "reject")
    return entry


@transaction.atomic
def entry_adjust(*, region: Region, actor: User, entry: Entry, quantity: int, reason: str) -> Entry:
    """Approve a smaller quantity than claimed, with the reason: the approved minutes are
    that quantity times the entry's standard minutes. A larger quantity is refused."""
    note = _reason(reason)
    row = _one(region, actor, entry)
    if not 0 < quantity < row.quantity:
        message = _("Approve between 1 and %(most)d (less than claimed); reject it for 0.") % {
            "most": row.quantity - 1
        }
        raise DomainError(
            ReviewError.ADJUST_QUANTITY, message, field_errors={"quantity": [message]}, status=422
        )
    updates = {
        "approved_quantity": quantity,
        "approved_minutes": F("standard_minutes") * Value(quantity),
    }
    _move(region, actor, [entry.pk], "adjust", note, updates)
    changes = {"entries": [entry.pk], "quantity": [row.quantity, quantity]}
    record(region, actor, entry, "entries.adjust", changes, note)
    entry.refresh_from_db()
    authors_notify(region, [entry], "adjust")
    return entry
