"""The dashboards' API routes, gathered by lumbung/performance/api.py: a month's figures per
unit with the pending queues and the trend, one unit with its people, one person's month,
and the auditors' anomalies. The same rules as the pages: a unit head sees their units, a
person's figures only whoever can_see_pay allows, another region's ids are a 404."""

from django.http import HttpRequest
from ninja import Path, Query, Router

from lumbung.api.context import require
from lumbung.core.models import Region

from .anomalies import Finding, anomalies
from .month import Yardstick, month_parse, yardstick
from .person import person_month, person_visible
from .schemas import (
    PerfAnomaliesOut,
    PerfDashboardMonthQuery,
    PerfDashboardOut,
    PerfDayOut,
    PerfEntryRefOut,
    PerfFindingOut,
    PerfMonthEntryOut,
    PerfPendingOut,
    PerfPersonFiguresOut,
    PerfPersonMonthOut,
    PerfTrendOut,
    PerfUnitDetailOut,
    PerfUnitFiguresOut,
    PerfYardstickOut,
)
from .scope import scope_of, unit_in_scope
from .selectors import (
    PersonFigures,
    UnitFigures,
    pending_by_reviewer,
    trend,
    unit_figures,
    unit_people,
)

router = Router()
CODES = " Codes: validation_error (422: month), permission_denied (403)."


def _stick(region: Region, query: PerfDashboardMonthQuery) -> Yardstick:
    return yardstick(region, month_parse(region, query.month))


def stick_out(stick: Yardstick) -> PerfYardstickOut:
    return PerfYardstickOut(
        month=stick.month.key, target_minutes=stick.target, working_days=stick.working_days,
        elapsed_working_days=stick.elapsed_days, expected_minutes=stick.expected,
        overload_minutes=stick.overload_minutes, idle_minutes=stick.idle_minutes,
    )  # fmt: skip


def unit_out(u: UnitFigures) -> PerfUnitFiguresOut:
    return PerfUnitFiguresOut(
        id=u.unit_id, name=u.name, people=u.people, approved_minutes=u.approved,
        average_minutes=u.average, pending_minutes=u.pending, reached_target=u.reached,
        reached_share=u.reached_share, idle=u.idle, overloaded=u.overloaded,
    )  # fmt: skip


def person_out(p: PersonFigures) -> PerfPersonFiguresOut:
    return PerfPersonFiguresOut(
        id=p.employee_id, nip=p.nip, name=p.name, position=p.position, entries=p.entries,
        approved_minutes=p.approved, pending_minutes=p.pending, rejected_minutes=p.rejected,
        reached_target=p.reached, idle=p.idle,
    )  # fmt: skip


@router.get(
    "/dashboard",
    response=PerfDashboardOut,
    summary="A month's figures per unit, pending reviews and the trend",
    description="Per unit the caller may see (a unit head: their units; overseers: all): "
    "people, approved minutes per person, who reached the target, who idles, whether the "
    "unit is overloaded; the month's entries awaiting review per supervisor; approved "
    "minutes per person per unit over the last six months." + CODES,
)
def dashboard(
    request: HttpRequest, region_slug: Path[str], query: Query[PerfDashboardMonthQuery]
) -> PerfDashboardOut:
    region, user = require(request, "performance.view_dashboards")
    stick = _stick(region, query)
    scope = scope_of(region, user)
    months, rows = trend(region, scope, stick.month)
    return PerfDashboardOut(
        yardstick=stick_out(stick),
        items=[unit_out(u) for u in unit_figures(region, scope, stick)],
        pending=[
            PerfPendingOut(
                reviewer_id=q.reviewer_id,
                reviewer=q.name,
                unit=q.unit,
                entries=q.entries,
                minutes=q.minutes,
                overdue=q.overdue,
                oldest_due=q.oldest_due,
            )
            for q in pending_by_reviewer(region, scope, stick.month)
        ],
        months=[m.key for m in months],
        trend=[PerfTrendOut(unit_id=r.unit_id, unit=r.name, averages=r.averages) for r in rows],
    )


@router.get(
    "/dashboard/units/{int:unit_id}",
    response=PerfUnitDetailOut,
    summary="One unit's month, with its people",
    description="The unit's figures and each person's minutes by state. The head of region "
    "sees the figures only (people_shown false). Another unit than the caller's own is a "
    "403 for a unit head; another region's unit a 404." + CODES,
)
def unit_detail(
    request: HttpRequest,
    region_slug: Path[str],
    unit_id: int,
    query: Query[PerfDashboardMonthQuery],
) -> PerfUnitDetailOut:
    region, user = require(request, "performance.view_dashboards")
    scope = scope_of(region, user)
    unit = unit_in_scope(region, scope, unit_id)
    stick = _stick(region, query)
    shown = scope.sees_people(unit.pk)
    figures = unit_figures(region, scope, stick, unit_id=unit.pk)
    return PerfUnitDetailOut(
        id=unit.pk,
        name=unit.name,
        yardstick=stick_out(stick),
        figures=unit_out(figures[0]) if figures else None,
        people_shown=shown,
        people=[person_out(p) for p in unit_people(region, unit.pk, stick)] if shown else [],
    )


@router.get(
    "/dashboard/people/{int:employee_id}",
    response=PerfPersonMonthOut,
    summary="One person's month: minutes per day and every entry",
    description="For the person, their supervisors' chain, the head of their unit, payroll "
    "staff, auditors and the region administrator; anyone else gets a 403, and another "
    "region's person is a 404." + CODES,
)
def person_detail(
    request: HttpRequest,
    region_slug: Path[str],
    employee_id: int,
    query: Query[PerfDashboardMonthQuery],
) -> PerfPersonMonthOut:
    region, user = require(request, "performance.use")
    employee = person_visible(region, user, employee_id)
    stick = _stick(region, query)
    found = person_month(region, employee, stick.month)
    return PerfPersonMonthOut(
        id=employee.pk, name=employee.name, unit=str(employee.unit), month=stick.month.key,
        target_minutes=stick.target, approved_minutes=found.approved,
        pending_minutes=found.pending, rejected_minutes=found.rejected,
        days=[
            PerfDayOut(date=d.work_date, entries=d.entries, approved_minutes=d.approved,
                       pending_minutes=d.pending, rejected_minutes=d.rejected)
            for d in found.days
        ],
        entries=[
            PerfMonthEntryOut(
                id=e.pk, date=e.work_date, start=f"{e.start_time:%H:%M}",
                end=f"{e.end_time:%H:%M}",
                activity_id=e.activity_id, activity=e.activity.name, quantity=e.quantity,
                claimed_minutes=e.claimed_minutes, approved_minutes=e.approved_minutes,
                state=e.state, note=e.note,
            )
            for e in found.entries
        ],
    )  # fmt: skip


def finding_out(f: Finding) -> PerfFindingOut:
    return PerfFindingOut(
        kind=f.kind.value, label=f.label, explanation=f.explanation,
        people=[pk for pk, _name in f.people], count=f.count,
        entries=[PerfEntryRefOut(id=e.id, employee_id=e.employee_id, date=e.work_date)
                 for e in f.entries],
    )  # fmt: skip


@router.get(
    "/anomalies",
    response=PerfAnomaliesOut,
    summary="Anomalies of a month, for auditors",
    description="Identical entries on many days or by several people, people at the daily "
    "cap on most days, quantities above the region's 99th percentile for the activity, "
    "reviewers approving within seconds, entries made in bulk just before the close; each "
    "explained in words, with a sample of the entries behind it." + CODES,
)
def anomaly_list(
    request: HttpRequest, region_slug: Path[str], query: Query[PerfDashboardMonthQuery]
) -> PerfAnomaliesOut:
    region, _user = require(request, "performance.view_anomalies")
    stick = _stick(region, query)
    items = [finding_out(f) for f in anomalies(region, stick)]
    return PerfAnomaliesOut(month=stick.month.key, count=len(items), items=items)
