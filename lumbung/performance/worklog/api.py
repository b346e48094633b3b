"""The activity log's API, under /api/v1/regions/{region_slug}/performance/: the catalogue
(list, add, propose, accept, decline, retire) and the caller's own entries (log one or a
batch, list a month or a day, read one, withdraw, attach evidence). The web page's offline
queue posts entries here with the session cookie and its CSRF token; a phone app uses a
bearer token."""

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.context import actor_of, region_of, require
from lumbung.api.errors import PROBLEM_CONTENT_TYPE, problem_response
from lumbung.api.pagination import Page
from lumbung.core.errors import DomainError, PermissionDenied
from lumbung.core.permissions import can

from ..errors import PerformanceError
from ..models import Activity, Employee
from ..selectors import employee_of, region_today
from . import activities as catalogue
from . import batch, selectors, services
from .schemas import (
    PerfActivityAcceptIn,
    PerfActivityIn,
    PerfActivityListQuery,
    PerfActivityOut,
    PerfEntryBatchIn,
    PerfEntryBatchOut,
    PerfEntryIn,
    PerfEntryListQuery,
    PerfEntryOut,
    PerfReasonIn,
    activity_out,
    entry_out,
)

router = Router()
ENTRY_CODES = (
    " Codes (each names the rule broken, with a field error naming the field): "
    "performance_not_an_employee (403), performance_future_date, "
    "performance_backdated_too_far, performance_not_working_day, "
    "performance_activity_not_allowed, performance_minutes_exceed_span, "
    "performance_daily_cap (422), performance_overlap, performance_month_closed (409)."
)
CURATE_CODES = " Also: performance_own_proposal (403), invalid_transition (409)."


class _Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.show(row) for row in self.rows[index]]


def _me(request: HttpRequest) -> Employee:
    region, user = require(request, "performance.use")
    person = employee_of(region, user)
    if person is None:
        raise DomainError(
            PerformanceError.NOT_AN_EMPLOYEE,
            _("You are not an active civil servant in this region's staff registry."),
            status=403,
        )
    return person


# The catalogue -----------------------------------------------------------------------------


@router.get(
    "/activities",
    response=list[PerfActivityOut],
    summary="The activity catalogue (or, for curators, the proposals waiting)",
)
@paginate(Page, page_size=100, max_page_size=100)
def activity_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PerfActivityListQuery]
):
    region, user = require(request, "performance.use")
    curator = can(user, "performance.curate_activities", region)
    if filters.state == "proposed" and not curator:
        raise PermissionDenied()
    found = selectors.activities(region, query=filters.q, state=filters.state)
    return _Shown(found.select_related("proposed_by"), lambda a: activity_out(a, curator=curator))


@router.post(
    "/activities",
    response={201: PerfActivityOut},
    summary="Add an activity (administrator; in use at once)",
)
def activity_create(
    request: HttpRequest, region_slug: Path[str], payload: PerfActivityIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "performance.manage_catalogue")
    made = catalogue.activity_create(
        region=region, actor=user, data=catalogue.ActivityInput(**payload.dict())
    )
    return Status(201, activity_out(made, curator=True))


@router.post(
    "/activities/proposals",
    response={201: PerfActivityOut},
    summary="Propose an activity (a civil servant; counts once a curator accepts it)",
    description="Codes: performance_not_an_employee (403).",
)
def activity_propose(
    request: HttpRequest, region_slug: Path[str], payload: PerfActivityIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "performance.use")
    made = catalogue.activity_propose(
        region=region, actor=user, data=catalogue.ActivityInput(**payload.dict())
    )
    return Status(201, activity_out(made))


@router.post(
    "/activities/{int:activity_id}/accept",
    response=PerfActivityOut,
    summary="Accept a proposed activity (unit head or administrator)",
    description="Optionally with the proposal corrected." + CURATE_CODES,
)
def activity_accept(
    request: HttpRequest, region_slug: Path[str], activity_id: int, payload: PerfActivityAcceptIn
) -> dict[str, Any]:
    region, user = require(request, "performance.curate_activities")
    changes = payload.changes
    done = catalogue.activity_accept(
        region=region,
        actor=user,
        activity=selectors.activity_get(region, activity_id),
        data=catalogue.ActivityInput(**changes.dict()) if changes else None,
    )
    return activity_out(done, curator=True)


def _closing(
    request: HttpRequest, activity_id: int, perm: str, step: Callable[..., Activity], reason: str
) -> dict[str, Any]:
    """A curating step that ends an activity's use with a reason (decline, retire)."""
    region, user = require(request, perm)
    activity = selectors.activity_get(region, activity_id)
    done = step(region=region, actor=user, activity=activity, reason=reason)
    return activity_out(done, curator=True)


@router.post(
    "/activities/{int:activity_id}/decline",
    response=PerfActivityOut,
    summary="Decline a proposed activity, with the reason (unit head or administrator)",
    description=CURATE_CODES.strip(),
)
def activity_decline(
    request: HttpRequest, region_slug: Path[str], activity_id: int, payload: PerfReasonIn
) -> dict[str, Any]:
    return _closing(
        request, activity_id, "performance.curate_activities", catalogue.activity_decline,
        payload.reason,
    )  # fmt: skip


@router.post(
    "/activities/{int:activity_id}/retire",
    response=PerfActivityOut,
    summary="Retire an activity, with the reason (administrator)",
    description="Entries already made keep it. Codes: invalid_transition (409).",
)
def activity_retire(
    request: HttpRequest, region_slug: Path[str], activity_id: int, payload: PerfReasonIn
) -> dict[str, Any]:
    return _closing(
        request, activity_id, "performance.manage_catalogue", catalogue.activity_retire,
        payload.reason,
    )  # fmt: skip


# The caller's entries ----------------------------------------------------------------------


@router.post(
    "/entries",
    response={201: PerfEntryOut, 200: PerfEntryOut},
    summary="Log an entry (201), or get the one already logged under this client_key (200)",
    description="Idempotent by `client_key`: an offline queue may send an entry again until "
    "it hears back; the first answer is 201, a replay 200 with the same body. Evidence is "
    "attached afterwards (POST /entries/{id}/evidence)." + ENTRY_CODES,
)
def entry_create(
    request: HttpRequest, region_slug: Path[str], payload: PerfEntryIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "performance.use")
    entry, created = services.entry_create(
        region=region, actor=user, data=services.EntryInput(**payload.dict())
    )
    return Status(201 if created else 200, entry_out(entry))


@router.post(
    "/entries/batch",
    response={201: PerfEntryBatchOut, 200: PerfEntryBatchOut},
    summary='Log many entries at once, all or none (the offline queue\'s "send all")',
    description="Each entry is checked by exactly the rules of POST /entries, against the "
    "day as it stands with the batch's earlier entries in it, and is idempotent by its own "
    "`client_key`: 201 when any entry is new, 200 when every one was logged before. One "
    "refused entry refuses the batch, nothing written: the problem "
    "(performance_batch_refused; the entries' status when they agree, else 422) names each "
    "as `items.<index>.<field>` in `errors` and lists them in `items` (index, client_key, "
    "code, status, detail, errors), with the codes of POST /entries." + ENTRY_CODES,
)
def entry_create_batch(
    request: HttpRequest, region_slug: Path[str], payload: PerfEntryBatchIn
) -> HttpResponse | Status[dict[str, Any]]:
    region, user = require(request, "performance.use")
    items = [services.EntryInput(**item.dict()) for item in payload.items]
    try:
        done = batch.entries_create_batch(region=region, actor=user, items=items)
    except batch.BatchRefused as refused:
        return _batch_problem(request, refused)
    shown = [
        {**entry_out(entry), "created": created}
        for entry, created in zip(done.entries, done.created, strict=True)
    ]
    body = {"created": done.created_count, "replayed": len(shown) - done.created_count,
            "items": shown}  # fmt: skip
    return Status(201 if done.created_count else 200, body)


def _batch_problem(request: HttpRequest, refused: batch.BatchRefused) -> HttpResponse:
    """The problem document of a refused batch, with each entry's own problem as the
    `items` extension member (RFC 9457 section 3.2)."""
    response = problem_response(
        request, refused.status, refused.code, str(refused.message), errors=refused.field_errors
    )
    document = json.loads(response.content)
    document["items"] = [p.as_json() for p in refused.problems]
    return JsonResponse(document, status=refused.status, content_type=PROBLEM_CONTENT_TYPE)


@router.get(
    "/entries",
    response=list[PerfEntryOut],
    summary="My entries of a month (default: this month) or of one day",
    description="Codes: performance_not_an_employee (403).",
)
@paginate(Page, page_size=100, max_page_size=100)
def entry_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PerfEntryListQuery]
):
    person = _me(request)
    region = region_of(request)
    if filters.day is not None:
        found = selectors.day_entries(region, person, filters.day)
        found = found.filter(state=filters.state) if filters.state else found
    else:
        year, month = _month(filters.month, region_today(region))
        found = selectors.month_entries(region, person, year, month, filters.state)
    return _Shown(found, entry_out)


def _month(text: str | None, today: dt.date) -> tuple[int, int]:
    if not text:
        return today.year, today.month
    year, month = text.split("-")
    return int(year), int(month)


@router.get(
    "/entries/{int:entry_id}",
    response=PerfEntryOut,
    summary="One of my entries",
)
def entry_detail(request: HttpRequest, region_slug: Path[str], entry_id: int) -> dict[str, Any]:
    region, user = require(request, "performance.use")
    return entry_out(selectors.entry_of(region, user, entry_id))


@router.post(
    "/entries/{int:entry_id}/withdraw",
    response=PerfEntryOut,
    summary="Withdraw one of my entries while it awaits review",
    description="Codes: invalid_transition (409: already reviewed), "
    "performance_month_closed (409).",
)
def entry_withdraw(request: HttpRequest, region_slug: Path[str], entry_id: int) -> dict[str, Any]:
    region, user = require(request, "performance.use")
    entry = services.entry_withdraw(
        region=region, actor=user, entry=selectors.entry_of(region, user, entry_id)
    )
    return entry_out(entry)


@router.post(
    "/entries/{int:entry_id}/evidence",
    response=PerfEntryOut,
    summary="Attach the evidence file of one of my entries awaiting review (multipart)",
    description="A PDF or an image (JPEG, PNG, WebP) up to 5 MB, checked by its content; "
    "an image's location metadata is removed. Replaces an earlier file. Codes: "
    "validation_error (422), invalid_transition, performance_month_closed (409).",
)
def entry_evidence(
    request: HttpRequest, region_slug: Path[str], entry_id: int, evidence: File[UploadedFile]
) -> dict[str, Any]:
    region, user = require(request, "performance.use")
    entry = services.entry_evidence_attach(
        region=region, actor=actor_of(request), entry=selectors.entry_of(region, user, entry_id),
        upload=evidence,
    )  # fmt: skip
    return entry_out(entry)
