"""Reads of the SKP area: who may read a plan and who appraises it, the plans a person may
see, wait to agree or to evaluate, the periods of a year, and the evidence — the approved
minutes of the activities linked to each result, read from the entries when shown.

Reading a plan follows the pay-data rule (selectors.can_see_pay): the person, their
supervisors' chain, the head of their unit, payroll, auditors and the region administrator;
the plan's appraiser too. Anyone else, like another region, gets a 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from lumbung.core.errors import NotFound
from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of

from ..common import month_bounds
from ..models import Activity, Employee, Entry, SkpEvaluation, SkpPlan, SkpResult
from ..selectors import MAX_CHAIN, can_see_pay, employee_of, region_today
from ..workflow import AGREED, APPROVED, PROPOSED

ID_MAX = 2**31 - 1
OVERSEERS = frozenset({Role.PAYROLL, Role.AUDITOR, Role.REGION_ADMIN})


def period_bounds(year: int, period: int | None) -> tuple[dt.date, dt.date]:
    """The first and last day of quarter `period` of `year`; None: the whole year."""
    if period is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year, 3 * period - 2, 1), month_bounds(year, 3 * period)[1]


def periods_begun(region: Region, year: int) -> list[int]:
    """The quarters of `year` that have begun in the region's calendar."""
    today = region_today(region)
    return [q for q in (1, 2, 3, 4) if period_bounds(year, q)[0] <= today]


def _plans(region: Region) -> QuerySet[SkpPlan]:
    return SkpPlan.objects.filter(region=region).select_related(
        "employee", "employee__unit", "appraiser", "unit"
    )


def plan_get(region: Region, pk: int) -> SkpPlan:
    """The region's plan `pk`, with its results, indicators, activities and evaluations."""
    results = SkpResult.objects.filter(region=region).prefetch_related("indicators", "activities")
    found = (
        _plans(region)
        .filter(pk=pk)
        .prefetch_related(
            Prefetch("results", queryset=results),
            Prefetch(
                "evaluations",
                queryset=SkpEvaluation.objects.filter(region=region).select_related("appraiser"),
            ),
        )
        .first()
        if 0 < pk <= ID_MAX
        else None
    )
    if found is None:
        raise NotFound()
    return found


def appraises(region: Region, user: User, plan: SkpPlan) -> bool:
    """Whether `user` may agree to and evaluate `plan`: the supervisor it was proposed to,
    or whoever the registry says supervises the person now; never the person."""
    me = employee_of(region, user)
    if me is None or me.pk == plan.employee_id:
        return False
    return me.pk in (plan.appraiser_id, plan.employee.supervisor_id)


def may_read(region: Region, user: User, plan: SkpPlan) -> bool:
    if plan.region_id != region.pk:
        return False
    return can_see_pay(region, user, plan.employee) or appraises(region, user, plan)


def plan_for(region: Region, user: User, pk: int) -> SkpPlan:
    """The plan, if `user` may read it; else a 404, as for another region's plan."""
    plan = plan_get(region, pk)
    if not may_read(region, user, plan):
        raise NotFound()
    return plan


def reports_of(region: Region, me: Employee) -> list[int]:
    """Everyone below `me` in the supervisor chain, one query per level."""
    found: list[int] = []
    level = [me.pk]
    for _depth in range(MAX_CHAIN):
        level = list(
            Employee.objects.filter(region=region, supervisor_id__in=level)
            .exclude(pk__in=[me.pk, *found])
            .values_list("pk", flat=True)
        )
        if not level:
            break
        found.extend(level)
    return found


def plans_visible(region: Region, user: User) -> QuerySet[SkpPlan]:
    """Every plan `user` may read (may_read's rule, as one query)."""
    found = _plans(region)
    if roles_of(user, region) & OVERSEERS:
        return found
    me = employee_of(region, user)
    headed = Membership.objects.filter(
        user=user, region=region, role=Role.UNIT_HEAD, is_active=True, unit__isnull=False
    ).values("unit_id")
    allowed = Q(employee__unit_id__in=headed)
    if me is not None:
        allowed |= Q(employee=me) | Q(appraiser=me) | Q(employee_id__in=reports_of(region, me))
    return found.filter(allowed)


def plans_of(region: Region, person: Employee) -> QuerySet[SkpPlan]:
    """The person's own plans, newest year first, with their evaluations."""
    evaluations = SkpEvaluation.objects.filter(region=region)
    return (
        _plans(region)
        .filter(employee=person)
        .prefetch_related(Prefetch("evaluations", queryset=evaluations))
        .order_by("-year")
    )


def _appraised_by(me: Employee) -> Q:
    return (Q(appraiser=me) | Q(employee__supervisor=me)) & ~Q(employee=me)


def plans_to_agree(region: Region, me: Employee | None) -> QuerySet[SkpPlan]:
    """Plans proposed to `me`, the longest waiting first."""
    if me is None:
        return SkpPlan.objects.none()
    return (
        _plans(region).filter(_appraised_by(me), state=PROPOSED).order_by("state_entered_at", "pk")
    )


@dataclass
class ToEvaluate:
    plan: SkpPlan
    missing: list[int]  # begun quarters without an evaluation


def plans_to_evaluate(region: Region, me: Employee | None, year: int) -> list[ToEvaluate]:
    """Agreed plans of `year` that `me` appraises, with the begun quarters not evaluated."""
    if me is None:
        return []
    begun = periods_begun(region, year)
    plans = list(
        _plans(region)
        .filter(_appraised_by(me), state=AGREED, year=year)
        .order_by("employee__name", "pk")
    )
    done: dict[int, set[int]] = defaultdict(set)
    for plan_id, period in SkpEvaluation.objects.filter(
        region=region, plan__in=[p.pk for p in plans]
    ).values_list("plan_id", "period"):
        done[plan_id].add(period)
    rows = [ToEvaluate(p, [q for q in begun if q not in done[p.pk]]) for p in plans]
    return [row for row in rows if row.missing]


def yearly_predicate(plan: SkpPlan) -> str | None:
    """The year's predicate: the last quarter's evaluation's, once it is made."""
    annual = [e for e in plan.evaluations.all() if e.annual]
    return annual[0].predicate if annual else None


# Evidence ----------------------------------------------------------------------------------


@dataclass
class ResultEvidence:
    """Approved minutes and entries of a result's linked activities, per quarter (1-4)."""

    result: SkpResult
    activities: list[Activity]
    minutes: dict[int, int] = field(default_factory=dict)
    entries: dict[int, int] = field(default_factory=dict)

    @property
    def year_minutes(self) -> int:
        return sum(self.minutes.values())

    @property
    def year_entries(self) -> int:
        return sum(self.entries.values())

    def by_quarter(self) -> list[int]:
        return [self.minutes.get(q, 0) for q in (1, 2, 3, 4)]


@dataclass
class Evidence:
    results: list[ResultEvidence]
    # Every approved minute of the person per quarter, linked to a result or not.
    total: dict[int, int]

    def total_by_quarter(self) -> list[int]:
        return [self.total.get(q, 0) for q in (1, 2, 3, 4)]

    @property
    def year_total(self) -> int:
        return sum(self.total.values())


def evidence(region: Region, plan: SkpPlan) -> Evidence:
    """Each result's evidence over the plan's year, in one GROUP BY over the person's
    approved entries (by activity and month). An activity linked to two results counts for
    both; a revised link counts for the whole year, as the plan now stands."""
    first, last = period_bounds(plan.year, None)
    rows = (
        Entry.objects.filter(
            region=region,
            employee_id=plan.employee_id,
            state=APPROVED,
            work_date__range=(first, last),
        )
        .order_by()
        .values("activity_id", month=ExtractMonth("work_date"))
        .annotate(minutes=Sum("approved_minutes"), entries=Count("pk"))
    )
    per_activity: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    total: dict[int, int] = defaultdict(int)
    for row in rows:
        quarter = (row["month"] - 1) // 3 + 1
        minutes, entries = per_activity[row["activity_id"]].get(quarter, (0, 0))
        per_activity[row["activity_id"]][quarter] = (
            minutes + (row["minutes"] or 0),
            entries + row["entries"],
        )
        total[quarter] += row["minutes"] or 0
    shown = []
    for result in plan.results.all():
        linked = list(result.activities.all())
        item = ResultEvidence(result, linked)
        for activity in linked:
            for quarter, (minutes, entries) in per_activity.get(activity.pk, {}).items():
                item.minutes[quarter] = item.minutes.get(quarter, 0) + minutes
                item.entries[quarter] = item.entries.get(quarter, 0) + entries
        shown.append(item)
    return Evidence(shown, dict(total))
