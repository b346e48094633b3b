"""Reads of the permits module: routing and requirements before applying, an
application or permit by id (a foreign id is a 404), the queues, and verification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, NotFound
from lumbung.core.models import Region, Unit, User
from lumbung.core.selectors import module_settings

from .codes import token_of
from .errors import PermitsError
from .models import (
    INSTANT_LANES,
    Application,
    Kbli,
    Lane,
    Permit,
    PermitStatus,
    PermitType,
    Requirement,
    RoutingRule,
)
from .models.common import LANE_ORDER, english
from .routing import DEFAULT_RULES, Route, RuleSpec, route, scale_for
from .workflow import STAFF_STAGES


def region_rules(region: Region) -> list[RuleSpec]:
    """The region's active routing rules; the pinned defaults while it has none."""
    rows = RoutingRule.objects.filter(region=region)
    if not rows.exists():
        return list(DEFAULT_RULES)
    return [
        RuleSpec(
            priority=r.priority,
            lane=r.lane,
            kbli_prefix=r.kbli_prefix,
            risk=r.risk,
            scale=r.scale,
            capital_min=r.capital_min,
            capital_max=r.capital_max,
            below_threshold=r.below_threshold,
            permit_type_id=r.permit_type_id,
            rule_id=r.pk,
        )
        for r in rows.filter(is_active=True)
    ]


def threshold_of(region: Region) -> Decimal:
    return Decimal(int(module_settings(region, "permits")["report_only_capital_threshold"]))


def lane_for(region: Region, kbli: Kbli, scale: str, capital: Decimal) -> Route:
    """The lane the region's rules give one activity at a scale and capital."""
    return route(
        region_rules(region),
        kbli_code=kbli.code,
        risk=kbli.risk_at(scale),
        scale=scale,
        capital=capital,
        threshold=threshold_of(region),
    )


@dataclass
class Plan:
    """What an application for these activities needs, before anything is uploaded."""

    lane: Lane
    scale: str
    permit_type: PermitType | None
    requirements: list[Requirement] = field(default_factory=list)
    activities: list[Kbli] = field(default_factory=list)

    @property
    def instant(self) -> bool:
        return self.lane in INSTANT_LANES


def activities_of(region: Region, codes: Sequence[str]) -> list[Kbli]:
    """The region's active activities for `codes`, in the order given; unknown codes refused."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {k.code: k for k in Kbli.objects.filter(region=region, code__in=wanted, is_active=True)}
    unknown = [c for c in wanted if c not in found]
    if not wanted or unknown:
        message = _("Unknown activity (KBLI): %(codes)s") % {"codes": ", ".join(unknown) or "-"}
        raise DomainError(
            PermitsError.KBLI_UNKNOWN, message, field_errors={"kbli": [message]}, status=422
        )
    return [found[c] for c in wanted]


def requirements_for(region: Region, kbli: Sequence[str], capital: Decimal) -> Plan:
    """The lane, permit type and documents an application for `kbli` (KBLI codes, the main
    one first) with `capital` needs. The heaviest lane among the activities decides; the
    permit type is that lane's rule's, or else the activity's own."""
    activities = activities_of(region, kbli)
    scale = scale_for(capital)
    routes = [(lane_for(region, k, scale, capital), k) for k in activities]
    heaviest = max(LANE_ORDER[r.lane] for r, _k in routes)
    chosen = next((r, k) for r, k in routes if LANE_ORDER[r.lane] == heaviest)
    plan = Plan(lane=chosen[0].lane, scale=scale, permit_type=None, activities=activities)
    if plan.instant:
        return plan
    type_id = chosen[0].permit_type_id or chosen[1].permit_type_id
    plan.permit_type = PermitType.objects.filter(region=region, pk=type_id).first()
    if plan.permit_type is not None:
        plan.requirements = list(
            Requirement.objects.filter(region=region, permit_type=plan.permit_type)
        )
    return plan


def application_get(region: Region, pk: int) -> Application:
    found = Application.objects.filter(region=region, pk=pk).select_related("permit_type").first()
    if found is None:
        raise NotFound()
    return found


def permit_get(region: Region, pk: int) -> Permit:
    found = Permit.objects.filter(region=region, pk=pk).select_related("permit_type").first()
    if found is None:
        raise NotFound()
    return found


def applications_of(region: Region, user: User) -> QuerySet[Application]:
    """An applicant's own applications in the region, newest first."""
    return Application.objects.filter(region=region, applicant=user).select_related("permit_type")


def permits_of(region: Region, user: User) -> QuerySet[Permit]:
    """An applicant's permits and registrations in the region, newest first."""
    return Permit.objects.filter(region=region, application__applicant=user).select_related(
        "permit_type"
    )


def registrations(region: Region) -> QuerySet[Application]:
    """Every instant registration, for the region to see and audit afterwards."""
    return Application.objects.filter(region=region, lane__in=INSTANT_LANES).order_by("-created_at")


def queue(
    region: Region, *, stage: str | None = None, unit: Unit | None = None
) -> QuerySet[Application]:
    """Applications waiting on staff, soonest deadline first (no deadline last); `unit`
    keeps those whose permit type that unit verifies (or, at signing, signs)."""
    rows = Application.objects.filter(region=region, state__in=(stage,) if stage else STAFF_STAGES)
    if unit is not None:
        rows = rows.filter(
            Q(permit_type__verifying_unit=unit) | Q(state="signing", permit_type__signing_unit=unit)
        )
    return rows.select_related("permit_type").order_by("due_at", "created_at")


def due_in(region: Region, application: Application, now: dt.datetime | None = None) -> int | None:
    """Working days until the deadline; negative: overdue by that many; None: no deadline."""
    if application.due_at is None:
        return None
    now = now or timezone.now()
    calendar = RegionCalendar(region)
    if now <= application.due_at:
        return calendar.working_days_between(now, application.due_at)
    return -calendar.working_days_between(application.due_at, now)


# --- verification ---------------------------------------------------------------------------

UNKNOWN = "unknown"
EXPIRED = "expired"


@dataclass(frozen=True)
class Verification:
    """What the public verification page states: no personal data beyond the business."""

    status: str  # valid / expired / suspended / revoked / unknown
    number: str = ""
    business_name: str = ""
    permit_type: str = ""
    lane: str = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    by_default: bool = False


def permit_status(region: Region, permit: Permit, today: dt.date | None = None) -> str:
    """The stored status, or "expired" for a valid permit past its last day."""
    return _live_status(region, permit.status, permit.valid_until, today)


def _live_status(
    region: Region, stored: str, valid_until: dt.date | None, today: dt.date | None = None
) -> str:
    if stored != PermitStatus.VALID:
        return stored
    today = today or RegionCalendar(region).local_date(timezone.now())
    if valid_until is not None and today > valid_until:
        return EXPIRED
    return PermitStatus.VALID.value


# The verification lookup, one probe of the unique (region, token) index. Written as SQL
# because it runs on every scan of a printed QR code: building the same statement through
# the ORM (the scope's filter, the join, the queryset clones) cost about 0.7 ms of CPU per
# scan, against 0.2 ms for sending it and reading the row (bench/README.md). It reads only
# what the page states, nothing personal; table names come from the models and the values
# go as parameters. The ORM's region scope does not see raw SQL, so `region_id = %s` is
# that wall written out; the region's transaction and row-level security still apply
# (RegionMiddleware). test_verify_fast.py holds it to the ORM's answer.
_VERIFY_SQL = (
    "SELECT p.status, p.number, p.business_name, p.lane, p.valid_from, p.valid_until, "  # noqa: S608
    "p.by_default, t.name_id, t.name_en "
    f"FROM {Permit._meta.db_table} p "
    f"LEFT OUTER JOIN {PermitType._meta.db_table} t ON t.id = p.permit_type_id "
    "WHERE p.region_id = %s AND p.token = %s"
)


def _verified_row(region: Region, token: str) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(_VERIFY_SQL, [region.pk, token])
        return cursor.fetchone()


def verify(region: Region, code: str) -> Verification:
    """Check a printed code: a forged, altered or another region's code is "unknown"."""
    token = token_of(region.pk, code)
    row = _verified_row(region, token) if token else None
    if row is None:
        return Verification(status=UNKNOWN)
    status, number, business_name, lane, valid_from, valid_until, by_default, name_id, name_en = row
    return Verification(
        status=_live_status(region, status, valid_until),
        number=number,
        business_name=business_name,
        permit_type=((name_en if english() else name_id) or name_id or ""),  # Bilingual.name
        lane=lane,
        valid_from=valid_from,
        valid_until=valid_until,
        by_default=by_default,
    )
