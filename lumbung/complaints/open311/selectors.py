"""What Open311 reads: the region's public reports with the little extra each request
shows (its latest public note, its first public photo), and a category's service notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from lumbung.core.errors import NotFound
from lumbung.core.models import Region
from lumbung.core.services.workflow import sla_days

from ..models import Category, Complaint, ComplaintPhoto, ComplaintUpdate, UpdateKind
from ..selectors import PUBLIC_STATES
from ..workflow import IN_PROGRESS, OPEN311_STATUS, REPORT_FLOW, SUBMITTED

MAX_REQUESTS = 1000
OPEN_STATES = tuple(s for s in PUBLIC_STATES if OPEN311_STATUS.get(s) == "open")
CLOSED_STATES = tuple(s for s in PUBLIC_STATES if s not in OPEN_STATES)


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters; `tickets`, when given, overrides every other one."""

    tickets: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()  # "open" and/or "closed"
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def _public(region: Region) -> QuerySet[Complaint]:
    notes = ComplaintUpdate.objects.filter(
        region=region,
        complaint=OuterRef("pk"),
        is_public=True,
        kind__in=(UpdateKind.STATUS, UpdateKind.ANSWER),
    ).exclude(body="")
    photos = ComplaintPhoto.objects.filter(region=region, complaint=OuterRef("pk")).filter(
        Q(update__isnull=True) | Q(update__is_public=True)
    )
    return (
        Complaint.objects.filter(region=region, is_public=True, state__in=PUBLIC_STATES)
        .select_related("category", "unit")
        .annotate(
            open311_note=Subquery(notes.order_by("-created_at", "-id").values("body")[:1]),
            open311_photo=Subquery(photos.order_by("created_at", "id").values("pk")[:1]),
        )
    )


def open311_requests(region: Region, query: RequestQuery) -> list[Complaint]:
    """The region's public reports matching `query`, newest first, at most 1000."""
    reports = _public(region)
    if query.tickets:
        reports = reports.filter(ticket__in=query.tickets)
    else:
        if query.service_codes:
            reports = reports.filter(category__code__in=query.service_codes)
        if set(query.statuses) == {"open"}:
            reports = reports.filter(state__in=OPEN_STATES)
        elif set(query.statuses) == {"closed"}:
            reports = reports.filter(state__in=CLOSED_STATES)
        if query.start is not None:
            reports = reports.filter(created_at__gte=query.start)
        if query.end is not None:
            reports = reports.filter(created_at__lte=query.end)
    return list(reports.order_by("-created_at", "-id")[:MAX_REQUESTS])


def open311_request_get(region: Region, ticket: str) -> Complaint:
    """One public report by ticket; private, spam and other regions' reports are not found."""
    found = _public(region).filter(ticket=ticket).first()
    if found is None:
        raise NotFound(_("service_request_id not found."))
    return found


def open311_services(region: Region) -> QuerySet[Category]:
    return Category.objects.filter(region=region, is_active=True).order_by("order", "code")


def open311_service_get(region: Region, code: str) -> Category:
    found = open311_services(region).filter(code=code).first()
    if found is None:
        raise NotFound(_("service_code not found."))
    return found


class Notices:
    """What happens next to a report, by its category's deadline class, with the region's
    own deadlines: read once per class and answer, so a list costs the same at any length."""

    def __init__(self, region: Region) -> None:
        self.region = region
        self._first: int | None = None
        self._known: dict[str, str] = {}

    def of(self, category: Category) -> str:
        sla_class = category.sla_class
        if sla_class not in self._known:
            if self._first is None:
                self._first = sla_days(self.region, REPORT_FLOW, SUBMITTED)
            days = sla_days(self.region, REPORT_FLOW, IN_PROGRESS, sla_class)
            self._known[sla_class] = _(
                "Not for emergencies: call 112. A first response within %(first)s working "
                "days; resolution within %(days)s working days."
            ) % {"first": self._first, "days": days}
        return self._known[sla_class]
