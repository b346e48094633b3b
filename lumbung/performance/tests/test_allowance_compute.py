"""The month's allowance: approved minutes (Bandung), the weighted formula with lateness
bands and absence (Kab. Bandung Barat), grades and bases on the month's first day, bulk
results, refusals that leave nothing written, and the audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError
from lumbung.core.models import AuditEvent
from lumbung.core.tenancy import region_scope

from ..allowance.compute import month_compute
from ..allowance.errors import AllowanceError
from ..allowance.formulas import bandung_barat_example, formula_add
from ..errors import PerformanceError
from ..models import AttendanceDay, DayKind, Period, Posting, TppBase, TppFormula, TppResult
from .factories import BASES, PerfWorld, entry_make

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 2  # a past month: its cut-off (5 March) has passed


def working_days(perf: PerfWorld) -> list[dt.date]:
    calendar = RegionCalendar(perf.region)
    days = (dt.date(YEAR, MONTH, 1) + dt.timedelta(days=n) for n in range(28))
    with region_scope(perf.region):
        return [d for d in days if calendar.is_working_day(d)]


def results(perf: PerfWorld) -> dict[str, TppResult]:
    names = {p.pk: key for key, p in perf.people.items()}
    found = TppResult.objects.filter(region=perf.region, period__year=YEAR, period__month=MONTH)
    return {names[r.employee_id]: r for r in found}


def present_every_day(perf: PerfWorld, who: str, late: dict[dt.date, int] | None = None) -> None:
    for day in working_days(perf):
        AttendanceDay.objects.create(
            region=perf.region, employee=perf.people[who], work_date=day, kind=DayKind.PRESENT,
            check_in=dt.time(7, 30), check_out=dt.time(16, 30),
            late_minutes=(late or {}).get(day, 0),
        )  # fmt: skip


def test_bandung_pays_the_share_of_6000_approved_minutes(perf_a: PerfWorld) -> None:
    # given: staff with 4,500 approved minutes, and entries that must not count
    day = working_days(perf_a)[0]
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=day, quantity=100, state="approved")  # 3,000 min
        entry_make(perf_a, "staff", day=day, quantity=50, state="approved")  # 1,500 min
        entry_make(perf_a, "staff", day=day, quantity=80, state="submitted")
        entry_make(perf_a, "staff", day=day, quantity=80, state="rejected")
        entry_make(perf_a, "staff", day=dt.date(YEAR, 3, 2), quantity=80, state="approved")
        entry_make(perf_a, "peer", day=day, quantity=300, state="approved")  # 9,000: capped
        # when
        period = month_compute(region=perf_a.region, actor=perf_a.admin, year=YEAR, month=MONTH)
        found = results(perf_a)
    # then: everyone active is computed; amount = base x min(1, minutes / 6000)
    assert set(found) == {"head", "kabid", "staff", "peer", "outsider"}
    staff = found["staff"]
    assert staff.approved_minutes == 4500
    assert staff.performance_share == Decimal("0.7500")
    assert staff.amount == BASES[7] * Decimal("0.75")
    assert found["peer"].performance_share == Decimal(1)
    assert found["peer"].amount == BASES[7]
    assert found["head"].amount == 0
    assert found["head"].base_amount == BASES[14]
    assert period.computed_at is not None


def test_amounts_are_rounded_half_up_to_whole_rupiah(perf_a: PerfWorld) -> None:
    # given: 1 approved minute of 6,000 on a base of 4,500,003: 750.0005 -> 750
    #        and 2 minutes on 4,500,003: 1,500.001 -> 1,500; base 4,503,000 x 1/6000 = 750.5
    with region_scope(perf_a.region):
        TppBase.objects.create(region=perf_a.region, job_grade=7, amount=Decimal("4503000"),
                               effective_from=dt.date(YEAR, 1, 1))  # fmt: skip
        e = entry_make(perf_a, "staff", day=working_days(perf_a)[0], quantity=1, state="approved")
        e.__class__.objects.filter(pk=e.pk).update(approved_minutes=1)
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        staff = results(perf_a)["staff"]
    assert staff.amount == Decimal(751)  # 750.5 rounds up


def test_kbb_weights_performance_and_attendance_with_bands(perf_a: PerfWorld) -> None:
    # given: the KBB formula; staff reaches the target, is late twice (20 and 95 minutes)
    #        and misses one working day without leave; peer is on leave that day instead
    days = working_days(perf_a)
    with region_scope(perf_a.region):
        formula_add(region=perf_a.region, actor=None,
                    data=bandung_barat_example(dt.date(YEAR, 1, 1)))  # fmt: skip
        entry_make(perf_a, "staff", day=days[0], quantity=200, state="approved")
        present_every_day(perf_a, "staff", late={days[1]: 20, days[2]: 95})
        AttendanceDay.objects.filter(employee=perf_a.people["staff"], work_date=days[3]).delete()
        present_every_day(perf_a, "peer")
        AttendanceDay.objects.filter(employee=perf_a.people["peer"], work_date=days[3]).update(
            kind=DayKind.LEAVE
        )
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        found = results(perf_a)
    # then: staff loses 0.5 + 1.5 + 3 = 5 points of the 40% attendance part
    staff = found["staff"]
    assert staff.deduction_percent == Decimal("5.00")
    assert staff.attendance_share == Decimal("0.9500")
    assert staff.amount == BASES[7] * (Decimal("0.6") + Decimal("0.4") * Decimal("0.95"))
    assert staff.working_days == len(days)
    assert staff.days_present == len(days) - 1
    assert staff.late_minutes == 115
    # peer's leave covers the day: no deduction, no minutes
    assert found["peer"].deduction_percent == 0
    assert found["peer"].amount == BASES[7] * Decimal("0.4")
    # the outsider has no attendance at all: 3% for every working day absent
    share = 1 - Decimal("0.03") * len(days)
    assert found["outsider"].attendance_share == share
    assert found["outsider"].amount == BASES[7] * Decimal("0.4") * share


def test_only_the_days_a_person_was_active_count(perf_a: PerfWorld) -> None:
    # given: the KBB formula; everyone's attendance on record for every working day, but
    #        peer started on the 6th working day and staff left after the 11th
    days = working_days(perf_a)
    with region_scope(perf_a.region):
        formula_add(region=perf_a.region, actor=None,
                    data=bandung_barat_example(dt.date(YEAR, 1, 1)))  # fmt: skip
        for who in ("staff", "peer", "kabid"):
            present_every_day(perf_a, who, late={day: 20 for day in days})
        people = perf_a.people
        people["peer"].__class__.objects.filter(pk=people["peer"].pk).update(active_from=days[5])
        people["staff"].__class__.objects.filter(pk=people["staff"].pk).update(active_to=days[10])
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        found = results(perf_a)
    # then: each counts the working days of their own dates, present and late on each
    for who, counted in (("peer", len(days) - 5), ("staff", 11), ("kabid", len(days))):
        assert (found[who].working_days, found[who].days_present) == (counted, counted)
        assert found[who].late_minutes == 20 * counted
        assert found[who].deduction_percent == Decimal("0.5") * counted  # never absent


def test_grade_and_base_are_those_in_force_on_the_first_day(perf_a: PerfWorld) -> None:
    # given: staff promoted to grade 11 on 1 February; a higher base for grade 11 from
    #        1 March (not yet in force in February)
    staff = perf_a.people["staff"]
    with region_scope(perf_a.region):
        Posting.objects.filter(employee=staff).update(valid_to=dt.date(YEAR, 1, 31))
        Posting.objects.create(region=perf_a.region, employee=staff, unit=staff.unit,
                               position="Kepala Seksi", job_grade=11,
                               valid_from=dt.date(YEAR, 2, 1))  # fmt: skip
        TppBase.objects.create(region=perf_a.region, job_grade=11, amount=Decimal("9999999"),
                               effective_from=dt.date(YEAR, 3, 1))  # fmt: skip
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        result = results(perf_a)["staff"]
    assert result.job_grade == 11
    assert result.base_amount == BASES[11]


def test_a_grade_without_a_base_refuses_the_month_and_writes_nothing(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        TppBase.objects.filter(region=perf_a.region, job_grade=7).delete()
        with pytest.raises(DomainError) as refused:
            month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        assert refused.value.code == AllowanceError.BASE_MISSING
        assert not TppResult.objects.filter(region=perf_a.region).exists()
        assert not Period.objects.filter(region=perf_a.region).exists()


def test_no_formula_in_force_refuses_the_month(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        TppFormula.objects.filter(region=perf_a.region).update(effective_from=dt.date(2030, 1, 1))
        with pytest.raises(DomainError) as refused:
            month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
    assert refused.value.code == PerformanceError.FORMULA_MISSING


def test_computing_again_replaces_the_results_and_is_audited(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        month_compute(region=perf_a.region, actor=perf_a.admin, year=YEAR, month=MONTH)
        entry_make(perf_a, "staff", day=working_days(perf_a)[0], quantity=10, state="approved")
        month_compute(region=perf_a.region, actor=perf_a.admin, year=YEAR, month=MONTH)
        assert TppResult.objects.filter(region=perf_a.region).count() == 5
        assert results(perf_a)["staff"].approved_minutes == 300
        events = AuditEvent.objects.filter(region=perf_a.region, action="performance.month_compute")
        assert events.count() == 2
        assert events.last().changes["people"] == 5  # type: ignore[union-attr]


def test_computing_again_rewrites_only_what_changed(perf_a: PerfWorld) -> None:
    # given: a computed month
    with region_scope(perf_a.region):
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        before = {key: r.pk for key, r in results(perf_a).items()}
        # when staff gets approved minutes, peer turns out to have left before the month,
        # and the month is computed again
        entry_make(perf_a, "staff", day=working_days(perf_a)[0], quantity=10, state="approved")
        peer = perf_a.people["peer"]
        peer.__class__.objects.filter(pk=peer.pk).update(active_to=dt.date(YEAR, 1, 31))
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        after = results(perf_a)
    # then: the unchanged results are the same rows, staff's is new, peer's is gone
    assert set(after) == {"head", "kabid", "staff", "outsider"}
    assert {k: after[k].pk for k in ("head", "kabid", "outsider")} == {
        k: before[k] for k in ("head", "kabid", "outsider")
    }
    assert after["staff"].pk != before["staff"]
    assert after["staff"].approved_minutes == 300
    assert after["staff"].amount == BASES[7] * Decimal(300) / Decimal(6000)


def test_a_closed_month_is_not_computed_again(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        Period.objects.create(region=perf_a.region, year=YEAR, month=MONTH, state="closed")
        with pytest.raises(DomainError) as refused:
            month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
    assert refused.value.code == PerformanceError.MONTH_CLOSED


def test_another_regions_entries_and_people_never_count(
    perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    with region_scope(perf_b.region):
        entry_make(perf_b, "staff", day=working_days(perf_b)[0], quantity=100, state="approved")
    with region_scope(perf_a.region):
        month_compute(region=perf_a.region, actor=None, year=YEAR, month=MONTH)
        found = TppResult.objects.filter(region=perf_a.region)
        assert found.count() == 5
        assert {r.employee.region_id for r in found} == {perf_a.region.pk}
        assert results(perf_a)["staff"].approved_minutes == 0
