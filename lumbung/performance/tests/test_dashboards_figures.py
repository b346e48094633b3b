"""The dashboards' figures: per unit (people, minutes per person, the target reached, idle
staff, overloaded units) against the formula's target, in the unit of each person's posting
that month; the pending queues per supervisor; the trend; one person's month; the viewer's
units; and nothing of another region."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.utils import timezone

from lumbung.core.errors import NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..dashboards import month as month_module
from ..dashboards.month import Month, month_parse, yardstick
from ..dashboards.person import person_month, person_visible
from ..dashboards.scope import scope_of, unit_in_scope
from ..dashboards.selectors import pending_by_reviewer, trend, unit_figures, unit_people
from ..models import Employee, Entry, Period, PeriodState, Posting, TppFormula, TppResult
from ..workflow import APPROVED, REJECTED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
SEPT = Month(2026, 9)
DAY = dt.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region):
        yield


def minutes(
    perf: PerfWorld, who: str, amount: int, *, day: dt.date = DAY, state: str = APPROVED
) -> Entry:
    """One entry of `amount` minutes (letters of 30 minutes) in the given state."""
    return entry_make(perf, who, day=day, quantity=amount // 30, state=state)


def figures_of(perf: PerfWorld, month: Month = SEPT) -> dict[str, object]:
    scope = scope_of(perf.region, perf.admin)
    return {u.name: u for u in unit_figures(perf.region, scope, yardstick(perf.region, month))}


def test_per_unit_people_average_target_reached_and_idle(perf_a: PerfWorld) -> None:
    # given a past month: staff reached 6000, kabid 3600, peer 600, the head nothing
    minutes(perf_a, "staff", 6000)
    minutes(perf_a, "kabid", 3600)
    minutes(perf_a, "peer", 600)
    minutes(perf_a, "peer", 900, state=REJECTED)
    # when the region's figures are read
    found = figures_of(perf_a)
    # then the office has 4 people, 2550 minutes each on average, one reached the target,
    # two are idle (below half of it), and it is not overloaded
    office = found["DPMPTSP"]
    assert (office.people, office.approved, office.average) == (4, 10200, 2550)
    assert (office.reached, office.reached_share, office.idle) == (1, Decimal("0.25"), 2)
    assert not office.overloaded
    assert (found["Dinas Sosial"].people, found["Dinas Sosial"].idle) == (1, 1)


def test_minutes_awaiting_review_keep_a_person_from_idling(perf_a: PerfWorld) -> None:
    # given peer's 600 approved and 2400 still waiting: 3000, exactly half of the target
    minutes(perf_a, "peer", 600)
    minutes(perf_a, "peer", 2400, state="submitted")
    # when the office's people are read
    stick = yardstick(perf_a.region, SEPT)
    people = {p.name: p for p in unit_people(perf_a.region, perf_a.world.unit.pk, stick)}
    # then peer is not idle, but has not reached the target either
    peer = people[perf_a.people["peer"].name]
    assert (peer.approved, peer.pending, peer.idle, peer.reached) == (600, 2400, False, False)
    assert people[perf_a.people["head"].name].idle


def test_a_unit_above_120_percent_of_the_target_is_overloaded(perf_a: PerfWorld) -> None:
    # given the outsider alone in the social office with 7230 minutes, just above 7200
    minutes(perf_a, "outsider", 7230)
    # then their unit is overloaded; at exactly 7200 it would not be
    assert figures_of(perf_a)["Dinas Sosial"].overloaded
    Entry.objects.filter(region=perf_a.region).update(approved_minutes=7200)
    assert not figures_of(perf_a)["Dinas Sosial"].overloaded


def test_the_target_is_the_formulas_in_force_on_the_first_of_the_month(perf_a: PerfWorld) -> None:
    # given a formula of 3000 minutes from September on
    TppFormula.objects.create(
        region=perf_a.region, name="Lower", kind="minutes", effective_from=DAY, target_minutes=3000
    )
    minutes(perf_a, "kabid", 3600)
    # then September counts kabid as reaching it, and August still uses 6000
    assert yardstick(perf_a.region, SEPT).target == 3000
    assert figures_of(perf_a)["DPMPTSP"].reached == 1
    assert yardstick(perf_a.region, SEPT.back(1)).target == 6000


def test_a_running_month_prorates_the_target_to_the_working_days_over(
    perf_a: PerfWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given today is Tuesday 15 September 2026 (10 working days before it: 1-4, 7-11, 14)
    monkeypatch.setattr(month_module, "region_today", lambda region: dt.date(2026, 9, 15))
    # when the month's yardstick is read
    stick = yardstick(perf_a.region, SEPT)
    # then 6000 is prorated to the days over; half of that is the idle line
    assert stick.elapsed_days == 10
    assert stick.running
    assert stick.expected == round(6000 * 10 / stick.working_days)
    assert stick.idle_minutes == round(stick.expected / 2)


def test_a_person_counts_in_the_unit_of_their_posting_that_month(perf_a: PerfWorld) -> None:
    # given staff moved to the social office on 1 October, after a September of 6000 minutes
    staff = perf_a.people["staff"]
    Posting.objects.filter(region=perf_a.region, employee=staff).update(
        valid_to=dt.date(2026, 9, 30)
    )
    Posting.objects.create(
        region=perf_a.region, employee=staff, unit=perf_a.world.other_unit, position="Analis",
        job_grade=7, valid_from=dt.date(2026, 10, 1),
    )  # fmt: skip
    Employee.objects.filter(pk=staff.pk).update(unit=perf_a.world.other_unit)
    minutes(perf_a, "staff", 6000)
    # then September still counts them in DPMPTSP, October in the social office
    assert figures_of(perf_a)["DPMPTSP"].approved == 6000
    assert figures_of(perf_a)["Dinas Sosial"].people == 1
    assert figures_of(perf_a, Month(2026, 10))["Dinas Sosial"].people == 2


def test_a_unit_head_sees_their_own_unit_only(perf_a: PerfWorld) -> None:
    # given the world's unit head, who heads DPMPTSP
    head = perf_a.world.users[Role.UNIT_HEAD]
    scope = scope_of(perf_a.region, head)
    # then the figures and the pending queues are of DPMPTSP only
    found = unit_figures(perf_a.region, scope, yardstick(perf_a.region, SEPT))
    assert [u.name for u in found] == ["DPMPTSP"]
    assert scope.sees_people(perf_a.world.unit.pk)
    with pytest.raises(PermissionDenied):
        unit_in_scope(perf_a.region, scope, perf_a.world.other_unit.pk)


def test_the_head_of_region_sees_every_unit_but_not_the_people(perf_a: PerfWorld) -> None:
    from lumbung.core.services.people import membership_grant
    from lumbung.core.tests.factories import UserFactory

    boss = UserFactory.create(email="bupati@example.test")
    membership_grant(region=perf_a.region, actor=None, user=boss, role=Role.REGION_HEAD)
    scope = scope_of(perf_a.region, boss)
    assert scope.units is None
    assert not scope.sees_people(perf_a.world.unit.pk)


def test_pending_reviews_per_supervisor_oldest_deadline_first(perf_a: PerfWorld) -> None:
    # given two entries of staff and one of peer awaiting kabid, one of the outsider awaiting
    # nobody (no supervisor), and an approved one
    late = minutes(perf_a, "staff", 60, state="submitted")
    Entry.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    minutes(perf_a, "staff", 90, state="submitted")
    minutes(perf_a, "peer", 30, state="submitted")
    minutes(perf_a, "outsider", 30, state="submitted")
    minutes(perf_a, "staff", 300)
    # when the region's queues are read
    queues = pending_by_reviewer(perf_a.region, scope_of(perf_a.region, perf_a.admin), SEPT)
    # then kabid's queue comes first, with its overdue entry; the outsider's waits on nobody
    kabid = perf_a.people["kabid"]
    assert [(q.reviewer_id, q.entries, q.minutes, q.overdue) for q in queues] == [
        (kabid.pk, 3, 180, 1), (None, 1, 30, 0)
    ]  # fmt: skip
    # and the unit head of DPMPTSP sees their supervisors' queues only
    head = scope_of(perf_a.region, perf_a.world.users[Role.UNIT_HEAD])
    assert [q.reviewer_id for q in pending_by_reviewer(perf_a.region, head, SEPT)] == [kabid.pk]


def test_the_trend_reads_entries_or_a_closed_months_results(perf_a: PerfWorld) -> None:
    # given 6000 minutes of staff in September and 2000 in August, August closed and computed
    minutes(perf_a, "staff", 6000)
    minutes(perf_a, "staff", 2000, day=dt.date(2026, 8, 3))
    august = Period.objects.create(
        region=perf_a.region, year=2026, month=8, state=PeriodState.CLOSED,
        computed_at=timezone.now(),
    )  # fmt: skip
    TppResult.objects.create(
        region=perf_a.region, period=august, employee=perf_a.people["staff"],
        unit=perf_a.world.unit, job_grade=7, formula=perf_a.formula,
        base_amount=Decimal(4500000), approved_minutes=1800, target_minutes=6000,
        performance_share=Decimal("0.3"), attendance_share=Decimal(0),
        deduction_percent=Decimal(0), working_days=21, days_present=21, late_minutes=0,
        amount=Decimal(1350000), computed_at=timezone.now(),
    )  # fmt: skip
    # when the trend up to September is read
    months, rows = trend(perf_a.region, scope_of(perf_a.region, perf_a.admin), SEPT)
    # then six months, August from its one result (1800), September from entries (6000 / 4)
    assert [m.key for m in months] == [
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    office = next(r for r in rows if r.unit_id == perf_a.world.unit.pk)
    assert office.averages == [0, 0, 0, 0, 1800, 1500]


def test_a_persons_month_per_day_by_state(perf_a: PerfWorld) -> None:
    minutes(perf_a, "staff", 120)
    minutes(perf_a, "staff", 60, state="submitted")
    minutes(perf_a, "staff", 30, day=dt.date(2026, 9, 2), state=REJECTED)
    withdrawn = minutes(perf_a, "staff", 30, day=dt.date(2026, 9, 2), state="withdrawn")
    found = person_month(perf_a.region, perf_a.people["staff"], SEPT)
    days = [(d.work_date.day, d.entries, d.approved, d.pending, d.rejected) for d in found.days]
    assert days == [(1, 2, 120, 60, 0), (2, 1, 0, 0, 30)]
    assert withdrawn.pk not in {e.pk for e in found.entries}
    assert len(found.entries) == 3


def test_a_persons_month_is_for_whom_can_see_pay_allows(
    perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    staff = perf_a.people["staff"]
    assert person_visible(perf_a.region, perf_a.user("kabid"), staff.pk) == staff
    with pytest.raises(PermissionDenied):
        person_visible(perf_a.region, perf_a.user("peer"), staff.pk)
    with pytest.raises(NotFound):
        person_visible(perf_a.region, perf_a.admin, perf_b.people["staff"].pk)


def test_another_regions_entries_and_units_count_nowhere(
    perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    # given the other region's staff with 9000 minutes and a waiting entry in September
    with region_scope(perf_b.region):
        minutes(perf_b, "staff", 9000)
        minutes(perf_b, "staff", 60, state="submitted")
    # then region A's figures have none of it
    found = figures_of(perf_a)
    assert set(found) == {"DPMPTSP", "Dinas Sosial"}
    assert found["DPMPTSP"].approved == 0
    assert found["DPMPTSP"].people == 4
    assert pending_by_reviewer(perf_a.region, scope_of(perf_a.region, perf_a.admin), SEPT) == []
    with pytest.raises(NotFound):
        unit_in_scope(perf_a.region, scope_of(perf_a.region, perf_a.admin), perf_b.world.unit.pk)


@pytest.mark.parametrize("text", ["2026-13", "26-09", "september", "2026-00", "1999-12"])
def test_a_malformed_month_is_refused_on_its_field(perf_a: PerfWorld, text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        month_parse(perf_a.region, text)
    assert set(caught.value.field_errors) == {"month"}


def test_a_future_month_is_refused(perf_a: PerfWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(month_module, "region_today", lambda region: dt.date(2026, 9, 15))
    assert month_parse(perf_a.region, "2026-09") == SEPT
    assert month_parse(perf_a.region, "") == SEPT
    with pytest.raises(ValidationFailed):
        month_parse(perf_a.region, "2026-10")
