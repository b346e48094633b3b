"""The module's API at /api/v1/regions/{region_slug}/complaints/: the public list, filing
and tracking by ticket (with the secret key for anonymous reporters), the staff's queue and
case work, figures, and the region admin's categories, templates and Open311 clients.
Schemas are in api_schemas.py, what the handlers share in api_common.py."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import region_of, require
from lumbung.api.pagination import Page
from lumbung.api.ratelimit import client_address
from lumbung.core.errors import ValidationFailed
from lumbung.core.services.audit import personal_data_read

from . import services
from .api_admin import router as admin_router
from .api_common import (
    OPTIONAL_AUTH,
    OPTIONAL_SECURITY,
    body_doc,
    caller,
    decimal_of,
    read_body,
    shown,
    summary_out,
    timeline_out,
    units_of,
    visible,
)
from .api_schemas import (
    AnswerIn,
    AssignIn,
    ConfirmIn,
    ContactOut,
    DisputeIn,
    FiledOut,
    NearbyQuery,
    Period,
    PublicQuery,
    QueueItemOut,
    QueueQuery,
    ReportIn,
    ReportOut,
    ReportPageOut,
    ReportSummaryOut,
    RouteIn,
    StatsOut,
    SupportOut,
    TimelineOut,
    TransitionIn,
)
from .models import Source
from .selectors import (
    Cursor,
    PublicFilters,
    QueueFilters,
    report_get,
    report_public_page,
    reports_nearby,
    staff_queue,
)
from .selectors_stats import figures

router = Router(tags=["complaints"], auth=AUTH)
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}
Ticket = Path[str]
# The region admin's routes (categories, templates, Open311 clients) live in api_admin.py.
router.add_router("", admin_router)


# Public: categories, the list, filing, tracking -------------------------------------------


@router.get("/reports", response=ReportPageOut, summary="Public reports, newest first", **PUBLIC)
def reports_public(
    request: HttpRequest, region_slug: Path[str], filters: Query[PublicQuery]
) -> dict[str, Any]:
    """Public reports only, never personal data. Read page by page with `cursor`: every
    page costs the same, however deep."""
    region = region_of(request)
    after = Cursor.decode(filters.cursor) if filters.cursor else None
    if filters.cursor and after is None:
        raise ValidationFailed({"cursor": [_("Use next_cursor from the previous page.")]})
    wanted = filters.dict(exclude={"cursor", "size"})
    rows, more = report_public_page(region, PublicFilters(**wanted), after=after, size=filters.size)
    units = units_of(region, rows)
    return {
        "items": [summary_out(c, units) for c in rows],
        "next_cursor": more.encode() if more else None,
    }


@router.post(
    "/reports",
    response={201: FiledOut},
    summary="File a report (JSON, or a form with up to 5 photos)",
    auth=OPTIONAL_AUTH,
    openapi_extra={**OPTIONAL_SECURITY, **body_doc(ReportIn, photos=True)},
)
def report_create(request: HttpRequest, region_slug: Path[str]) -> Status[dict[str, Any]]:
    """Anonymous or signed in. The answer holds the tracking key once: with it (and no
    account) the reporter follows, confirms or disputes the report."""
    payload, photos = read_body(request, ReportIn)
    data = services.ReportInput(
        **payload.dict(exclude={"latitude", "longitude"}),
        latitude=decimal_of(payload.latitude),
        longitude=decimal_of(payload.longitude),
    )
    filed = services.report_file(
        region=region_of(request),
        actor=caller(request),
        data=data,
        photos=photos,
        source=Source.API,
        address=client_address(request),
    )
    c = filed.complaint
    return Status(
        201,
        {
            "id": c.pk,
            "ticket": c.ticket,
            "tracking_key": filed.secret,
            "tracking_url": services.tracking_url(c, filed.secret),
            "state": c.state,
            "is_public": c.is_public,
            "due_at": c.due_at,
        },
    )


@router.get("/reports/{ticket}", response=ReportOut, summary="One report by ticket", **PUBLIC)
def report_detail(
    request: HttpRequest,
    region_slug: Path[str],
    ticket: Ticket,
    key: str = Query("", max_length=100, description="The tracking key"),
) -> dict[str, Any]:
    """A public report for anyone; a private one for its reporter (signed in, or with the
    key) and staff. Staff also see internal notes, routing and the case's version."""
    complaint, viewer = visible(request, ticket, key)
    return shown(region_of(request), complaint.ticket, viewer)


@router.post("/reports/{ticket}/confirm", response=ReportOut, summary="It is fixed", **PUBLIC)
def report_confirm(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket, payload: ConfirmIn
) -> dict[str, Any]:
    complaint, _viewer = visible(request, ticket, payload.key)
    region = region_of(request)
    services.report_confirm(
        region=region,
        actor=caller(request),
        complaint=complaint,
        rating=payload.rating,
        comment=payload.comment,
        key=payload.key,
    )
    return shown(region, ticket, "reporter")


@router.post("/reports/{ticket}/dispute", response=ReportOut, summary="Not fixed", **PUBLIC)
def report_dispute(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket, payload: DisputeIn
) -> dict[str, Any]:
    """The report reopens, with the reason on its timeline."""
    complaint, _viewer = visible(request, ticket, payload.key)
    region = region_of(request)
    services.report_dispute(
        region=region,
        actor=caller(request),
        complaint=complaint,
        reason=payload.reason,
        rating=payload.rating,
        key=payload.key,
    )
    return shown(region, ticket, "reporter")


@router.post("/reports/{ticket}/support", response=SupportOut, summary="Me too")
def report_support(request: HttpRequest, region_slug: Path[str], ticket: Ticket) -> dict[str, int]:
    """Support an open public report instead of filing the same problem again."""
    complaint, _viewer = visible(request, ticket)
    count = services.report_support(
        region=region_of(request), actor=caller(request), complaint=complaint
    )
    return {"supporters_count": count}


@router.get(
    "/nearby", response=list[ReportSummaryOut], summary="Similar open reports nearby", **PUBLIC
)
def nearby(
    request: HttpRequest, region_slug: Path[str], near: Query[NearbyQuery]
) -> list[dict[str, Any]]:
    """Open public reports of the category within 100 m, filed in the last 30 days: check
    before filing, and support one of them instead."""
    region = region_of(request)
    found = reports_nearby(
        region,
        category=near.category,
        latitude=decimal_of(near.lat),  # type: ignore[arg-type]
        longitude=decimal_of(near.lng),  # type: ignore[arg-type]
    )
    units = units_of(region, found)
    return [summary_out(c, units) for c in found]


@router.get(
    "/stats", response=StatsOut, summary="Figures: whole region, per unit, per month", **PUBLIC
)
def stats(request: HttpRequest, region_slug: Path[str], period: Query[Period]) -> dict[str, Any]:
    """Counts over every report filed in the period, public or not; no personal data."""
    counted = figures(region_of(request), **period.dict())
    return {
        **counted.region.as_dict(),
        "by_unit": [s.as_dict() for s in counted.units],
        "by_month": counted.months,
        "as_of": counted.as_of,
    }


# Staff: the queue and the case ------------------------------------------------------------


@router.get("/queue", response=list[QueueItemOut], summary="The staff's queue, most urgent first")
@paginate(Page, page_size=50, max_page_size=100)
def queue(request: HttpRequest, region_slug: Path[str], filters: Query[QueueQuery]):  # type: ignore[no-untyped-def]
    region, user = require(request, "complaints.view_queue")
    return staff_queue(region, user, QueueFilters(**filters.dict()))


@router.get("/reports/{ticket}/contact", response=ContactOut, summary="Contact (audited)")
def report_contact(
    request: HttpRequest,
    region_slug: Path[str],
    ticket: Ticket,
    purpose: str = Query("", max_length=200, description="Why, for the audit log"),
) -> dict[str, str]:
    """The reporter's contact details. Every read is an audit event (UU 27/2022)."""
    region, user = require(request, "complaints.view_queue")
    complaint = report_get(region, ticket)
    fields = ["contact_name", "contact_email", "contact_phone"]
    with transaction.atomic():
        personal_data_read(region=region, actor=user, obj=complaint, fields=fields, purpose=purpose)
    return {f: getattr(complaint, f) for f in fields}


@router.post(
    "/reports/{ticket}/transitions",
    response=ReportOut,
    summary="Verify, reject, mark duplicate or resolve",
    openapi_extra=body_doc(TransitionIn, photos=True),
)
def report_transition(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket
) -> dict[str, Any]:
    """A rejection and a resolution need a note (it is public). Send the report's
    `version` as expected_version to refuse acting on a stale view. A resolution may carry
    after-photos when sent as a form."""
    region, user = require(request, "complaints.work_case")
    payload, photos = read_body(request, TransitionIn)
    complaint = report_get(region, ticket)
    if payload.action == "mark_duplicate":
        services.report_mark_duplicate(
            region=region,
            actor=user,
            complaint=complaint,
            original_ticket=payload.original,
            note=payload.note,
            expected_version=payload.expected_version,
        )
    else:
        services.report_transition(
            region=region,
            actor=user,
            complaint=complaint,
            action=payload.action,
            note=payload.note,
            photos=photos,
            expected_version=payload.expected_version,
        )
    return shown(region, ticket, "staff")


@router.post(
    "/reports/{ticket}/answers",
    response={201: TimelineOut},
    summary="A public answer or an internal note",
    openapi_extra=body_doc(AnswerIn, photos=True),
)
def report_answer(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket
) -> Status[dict[str, Any]]:
    region, user = require(request, "complaints.work_case")
    payload, photos = read_body(request, AnswerIn)
    update = services.report_answer(
        region=region,
        actor=user,
        complaint=report_get(region, ticket),
        body=payload.body,
        public=payload.public,
        photos=photos,
        photo_kind=payload.photo_kind,  # type: ignore[arg-type]
    )
    return Status(201, timeline_out(update, staff=True))


@router.post("/reports/{ticket}/route", response=ReportOut, summary="Route to a unit")
def report_route(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket, payload: RouteIn
) -> dict[str, Any]:
    region, user = require(request, "complaints.route_case")
    complaint = report_get(region, ticket)
    services.report_route(
        region=region, actor=user, complaint=complaint, unit_id=payload.unit_id, note=payload.note
    )
    return shown(region, ticket, "staff")


@router.post("/reports/{ticket}/assign", response=ReportOut, summary="Assign to an officer")
def report_assign(
    request: HttpRequest, region_slug: Path[str], ticket: Ticket, payload: AssignIn
) -> dict[str, Any]:
    region, user = require(request, "complaints.assign_case")
    complaint = report_get(region, ticket)
    services.report_assign(
        region=region, actor=user, complaint=complaint, assignee_id=payload.assignee_id
    )
    return shown(region, ticket, "staff")
