"""The review API: the caller's queue of entries waiting for their review, and the review
actions (approve, reject, approve a smaller quantity, approve a selection or a person's
day). The services decide who may act: only the entry's current reviewer, never its
author, never in a closed month."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.pagination import paginate

from lumbung.api.context import require
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound

from ..models import Employee, Entry
from ..selectors import employee_of
from . import selectors, services
from .schemas import (
    PerfAdjustIn,
    PerfDayIn,
    PerfQueueEntryOut,
    PerfQueueQuery,
    PerfRejectIn,
    PerfReviewBatchOut,
    PerfReviewedOut,
    PerfSelectedIn,
)

router = Router()
CODES = (
    " Codes: performance_not_reviewer, performance_own_entry (403), "
    "performance_month_closed (409), not_found (404)."
)


class _Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read."""

    def __init__(self, rows: Any) -> None:
        self.rows, self.now = rows, timezone.now()

    def __len__(self) -> int:
        return int(self.rows.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_queued(entry, self.now) for entry in self.rows[index]]


def _queued(entry: Entry, now: Any) -> dict[str, Any]:
    person, activity = entry.employee, entry.activity
    return {
        **{f: getattr(entry, f) for f in _PLAIN},
        # A wall-clock time as the activity log sends it: JSON Schema's "time" format is
        # RFC 3339's, with an offset that a local time of the region does not have.
        "start_time": f"{entry.start_time:%H:%M}",
        "end_time": f"{entry.end_time:%H:%M}",
        "employee": {"id": person.pk, "name": person.name, "position": person.position},
        "activity": {"id": activity.pk, "name": activity.name, "output_unit": activity.output_unit},
        "overdue": entry.due_at is not None and entry.due_at < now,
    }


_PLAIN = (
    *("id", "work_date", "quantity", "standard_minutes"),
    *("claimed_minutes", "note", "overtime", "due_at", "escalation_level", "version"),
)


@router.get(
    "/approvals",
    response=list[PerfQueueEntryOut],
    summary="Entries waiting for my review",
    description="Entries whose current reviewer is the caller, by person, day and time; "
    "filter by the author (`person`) or the day. Someone who reviews nobody gets an empty list.",
)
@paginate(Page, page_size=100, max_page_size=500)
def queue(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PerfQueueQuery]
):
    region, user = require(request, "performance.use")
    me = employee_of(region, user)
    wanted = selectors.QueueFilter(person=filters.person, day=filters.day)
    return _Shown(selectors.queue(region, me, wanted))


def _entry(request: HttpRequest, entry_id: int) -> tuple[Any, Any, Entry]:
    region, user = require(request, "performance.use")
    return region, user, selectors.review_entry(region, entry_id)


@router.post(
    "/approvals/{int:entry_id}/approve",
    response=PerfReviewedOut,
    summary="Approve an entry as claimed",
    description="Also: performance_already_reviewed (409)." + CODES,
)
def approve(request: HttpRequest, region_slug: Path[str], entry_id: int) -> Entry:
    region, user, entry = _entry(request, entry_id)
    return services.entry_approve(region=region, actor=user, entry=entry)


@router.post(
    "/approvals/{int:entry_id}/reject",
    response=PerfReviewedOut,
    summary="Reject an entry, with the reason",
    description="The author is told, with the reason. Also: performance_already_reviewed "
    "(409), note_required (422)." + CODES,
)
def reject(
    request: HttpRequest, region_slug: Path[str], entry_id: int, payload: PerfRejectIn
) -> Entry:
    region, user, entry = _entry(request, entry_id)
    return services.entry_reject(region=region, actor=user, entry=entry, reason=payload.reason)


@router.post(
    "/approvals/{int:entry_id}/adjust",
    response=PerfReviewedOut,
    summary="Approve a smaller quantity, with the reason",
    description="approved_minutes = quantity x the entry's standard minutes; the author is "
    "told. Also: performance_adjust_quantity (422: not smaller than claimed), "
    "performance_already_reviewed (409)." + CODES,
)
def adjust(
    request: HttpRequest, region_slug: Path[str], entry_id: int, payload: PerfAdjustIn
) -> Entry:
    region, user, entry = _entry(request, entry_id)
    return services.entry_adjust(
        region=region, actor=user, entry=entry, quantity=payload.quantity, reason=payload.reason
    )


def _batch_out(batch: services.ReviewBatch) -> dict[str, list[int]]:
    return {"approved": batch.moved, "already_reviewed": batch.already_reviewed}


@router.post(
    "/approvals/approve",
    response=PerfReviewBatchOut,
    summary="Approve selected entries",
    description="All of them must wait for the caller's review, else nothing is approved; "
    "those reviewed before the call are listed in `already_reviewed`." + CODES,
)
def approve_selected(
    request: HttpRequest, region_slug: Path[str], payload: PerfSelectedIn
) -> dict[str, list[int]]:
    region, user = require(request, "performance.use")
    batch = services.entries_approve(region=region, actor=user, ids=payload.entries)
    return _batch_out(batch)


@router.post(
    "/approvals/approve-day",
    response=PerfReviewBatchOut,
    summary="Approve a person's whole day",
    description="Every entry of the person on the day that waits for the caller's review." + CODES,
)
def approve_day(
    request: HttpRequest, region_slug: Path[str], payload: PerfDayIn
) -> dict[str, list[int]]:
    region, user = require(request, "performance.use")
    employee = Employee.objects.filter(region=region, pk=payload.employee_id).first()
    if employee is None:
        raise NotFound()
    batch = services.day_approve(
        region=region, actor=user, employee=employee, day=payload.work_date
    )
    return _batch_out(batch)
