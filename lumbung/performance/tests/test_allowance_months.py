"""Formula versions, closing months (by hand from the cut-off, and by the periodic task),
authorised corrections that recompute one person, and the explanation of an amount."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..allowance import months as months_module
from ..allowance.compute import month_compute
from ..allowance.corrections import attendance_correct, entry_correct
from ..allowance.errors import AllowanceError
from ..allowance.explain import tpp_explain
from ..allowance.formulas import FormulaInput, bandung_barat_example, formula_add
from ..allowance.months import close_due, cutoff_of, month_close
from ..allowance.tasks import close_months_all
from ..errors import PerformanceError
from ..models import AttendanceDay, Correction, DayKind, Entry, Period, TppResult
from .factories import BASES, PerfWorld, entry_make

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 3, 2)


def events(perf: PerfWorld, action: str) -> list[AuditEvent]:
    with region_scope(perf.region):
        return list(AuditEvent.objects.filter(region=perf.region, action=f"performance.{action}"))


def result_of(perf: PerfWorld, who: str, year: int = 2026, month: int = 3) -> TppResult:
    with region_scope(perf.region):
        return TppResult.objects.get(
            region=perf.region, employee=perf.people[who], period__year=year, period__month=month
        )


def today_is(day: dt.date) -> mock._patch[mock.MagicMock]:
    return mock.patch.object(months_module, "region_today", return_value=day)


# Formula versions -------------------------------------------------------------------------


def test_a_weighted_version_is_added_and_audited(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        saved = formula_add(region=perf_a.region, actor=perf_a.admin,
                            data=bandung_barat_example(dt.date(2026, 4, 1)))  # fmt: skip
    assert saved.late_bands[0] == [1, 30, "0.5"]
    assert saved.late_bands[-1] == [91, None, "1.5"]
    assert events(perf_a, "formula_add")[0].changes["kind"] == "weighted"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"attendance_weight": Decimal(30)}, "attendance_weight"),  # 60 + 30 != 100
        ({"late_bands": [[1, 30, "0.5"], [20, 60, "1"]]}, "late_bands"),  # overlap
        ({"early_bands": [[1, None, "1"], [5, 9, "1"]]}, "early_bands"),  # open end first
        ({"late_bands": [[0, 30, "0.5"]]}, "late_bands"),  # starts at 0
        ({"effective_from": dt.date(2026, 4, 15)}, "effective_from"),  # not a 1st
        ({"kind": "minutes"}, "kind"),  # minutes only, with bands
    ],
)
def test_a_malformed_version_is_refused_by_field(
    perf_a: PerfWorld, changes: dict[str, object], field: str
) -> None:
    values = {**bandung_barat_example(dt.date(2026, 4, 1)).__dict__, **changes}
    with region_scope(perf_a.region), pytest.raises(DomainError) as refused:
        formula_add(region=perf_a.region, actor=None, data=FormulaInput(**values))
    assert refused.value.code == AllowanceError.FORMULA_INVALID
    assert field in refused.value.field_errors
    assert events(perf_a, "formula_add") == []


def test_a_version_in_or_before_a_closed_month_is_refused(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        Period.objects.create(region=perf_a.region, year=2026, month=3, state="closed")
        for day in (dt.date(2026, 3, 1), dt.date(2026, 1, 1)):
            with pytest.raises(DomainError) as refused:
                formula_add(region=perf_a.region, actor=None,
                            data=bandung_barat_example(day))  # fmt: skip
            assert refused.value.code == PerformanceError.MONTH_CLOSED
        formula_add(
            region=perf_a.region, actor=None, data=bandung_barat_example(dt.date(2026, 4, 1))
        )


# Closing ----------------------------------------------------------------------------------


def test_a_month_closes_from_its_cut_off_and_is_locked(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=MON, quantity=100, state="approved")
        period = month_compute(region=perf_a.region, actor=None, year=2026, month=3)
        assert cutoff_of(perf_a.region, 2026, 3) == dt.date(2026, 4, 5)
        with today_is(dt.date(2026, 4, 4)), pytest.raises(DomainError) as early:
            month_close(region=perf_a.region, actor=perf_a.admin, period=period)
        assert early.value.code == AllowanceError.NOT_DUE
        entry_make(perf_a, "staff", day=MON, quantity=10, state="approved")  # before closing
        with today_is(dt.date(2026, 4, 5)):
            closed = month_close(region=perf_a.region, actor=perf_a.admin, period=period)
        with pytest.raises(DomainError) as again:
            month_compute(region=perf_a.region, actor=None, year=2026, month=3)
    assert again.value.code == PerformanceError.MONTH_CLOSED
    assert closed.state == "closed"
    assert closed.closed_by == perf_a.admin
    assert result_of(perf_a, "staff").approved_minutes == 3300  # computed a final time
    assert events(perf_a, "month_close")[0].changes["state"] == ["open", "closed"]


def test_the_task_closes_every_month_past_its_cut_off(perf_a: PerfWorld) -> None:
    # given: February open, March open (cut-off 5 April), today 10 April
    with region_scope(perf_a.region):
        Period.objects.create(region=perf_a.region, year=2026, month=2)
        with today_is(dt.date(2026, 4, 10)):
            closed = close_due(perf_a.region)
        states = dict(Period.objects.filter(region=perf_a.region).values_list("month", "state"))
    assert closed == 2
    assert states == {2: "closed", 3: "closed"}
    assert events(perf_a, "month_close")[0].actor_id is None


def test_the_periodic_task_runs_region_by_region(perf_a: PerfWorld, perf_b: PerfWorld) -> None:
    with today_is(dt.date(2026, 4, 10)):
        assert close_months_all.call() == 2  # last month (March) in each region
    with region_scope(perf_b.region):
        assert Period.objects.filter(region=perf_b.region, state="closed").count() == 1
        assert TppResult.objects.filter(region=perf_b.region).count() == 5


# Corrections ------------------------------------------------------------------------------


def closed_march(perf: PerfWorld) -> Period:
    with region_scope(perf.region):
        period = month_compute(region=perf.region, actor=None, year=2026, month=3)
        with today_is(dt.date(2026, 4, 6)):
            return month_close(region=perf.region, actor=perf.admin, period=period)


def test_a_correction_turns_an_approval_round_and_recomputes_the_person(perf_a: PerfWorld) -> None:
    # given: a closed March with one approved and one rejected entry
    with region_scope(perf_a.region):
        approved = entry_make(perf_a, "staff", day=MON, quantity=100, state="approved")
        rejected = entry_make(perf_a, "staff", day=MON, quantity=60, state="rejected")
    closed_march(perf_a)
    assert result_of(perf_a, "staff").approved_minutes == 3000
    payroll = perf_a.world.users[Role.PAYROLL]
    # when: payroll approves the rejected one for 40 of 60, then rejects the approved one
    with region_scope(perf_a.region):
        entry_correct(region=perf_a.region, actor=payroll, entry=rejected, approve=True,
                      quantity=40, reason="Bukti menyusul")  # fmt: skip
        assert result_of(perf_a, "staff").approved_minutes == 4200
        correction = entry_correct(region=perf_a.region, actor=payroll, entry=approved,
                                   approve=False, reason="Duplikat")  # fmt: skip
        entry = Entry.objects.get(pk=approved.pk)
    # then
    assert entry.state == "rejected"
    assert entry.approved_minutes == 0
    assert correction.changes["approved_minutes"] == [3000, 0]
    assert result_of(perf_a, "staff").approved_minutes == 1200
    assert result_of(perf_a, "staff").amount == BASES[7] * Decimal("0.2")
    assert [e.reason for e in events(perf_a, "entry_correct")] == ["Bukti menyusul", "Duplikat"]


def test_a_correction_needs_a_reason_a_role_and_a_reviewed_entry(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        waiting = entry_make(perf_a, "staff", day=MON, state="submitted")
        approved = entry_make(perf_a, "staff", day=MON, state="approved")
        payroll = perf_a.world.users[Role.PAYROLL]
        with pytest.raises(DomainError) as no_reason:
            entry_correct(region=perf_a.region, actor=payroll, entry=approved, approve=False,
                          reason=" ")  # fmt: skip
        with pytest.raises(DomainError) as not_reviewed:
            entry_correct(region=perf_a.region, actor=payroll, entry=waiting, approve=True,
                          reason="x")  # fmt: skip
        with pytest.raises(DomainError) as not_allowed:
            entry_correct(region=perf_a.region, actor=perf_a.user("kabid"), entry=approved,
                          approve=False, reason="x")  # fmt: skip
        assert not Correction.objects.filter(region=perf_a.region).exists()
    assert no_reason.value.code == ErrorCode.VALIDATION
    assert not_reviewed.value.code == AllowanceError.CORRECTION_INVALID
    assert not_allowed.value.code == ErrorCode.ACTION_NOT_ALLOWED


def test_an_attendance_day_is_corrected_in_a_closed_month(perf_a: PerfWorld) -> None:
    # given: KBB's formula; staff absent on Monday in a closed March
    with region_scope(perf_a.region):
        formula_add(
            region=perf_a.region, actor=None, data=bandung_barat_example(dt.date(2026, 3, 1))
        )
    closed_march(perf_a)
    before = result_of(perf_a, "staff")
    # when: the day was official duty after all
    with region_scope(perf_a.region):
        attendance_correct(region=perf_a.region, actor=perf_a.admin,
                           employee=perf_a.people["staff"], work_date=MON, kind=DayKind.DUTY,
                           reason="Surat tugas")  # fmt: skip
        day = AttendanceDay.objects.get(region=perf_a.region, work_date=MON,
                                        employee=perf_a.people["staff"])  # fmt: skip
    after = result_of(perf_a, "staff")
    # then: one absence (3%) less
    assert day.kind == DayKind.DUTY
    assert day.source == "correction"
    assert after.deduction_percent == before.deduction_percent - 3
    assert after.amount > before.amount
    assert events(perf_a, "attendance_correct")[0].reason == "Surat tugas"


def test_a_day_that_is_not_a_working_day_cannot_be_corrected(perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region), pytest.raises(DomainError) as refused:
        attendance_correct(region=perf_a.region, actor=perf_a.admin,
                           employee=perf_a.people["staff"], work_date=dt.date(2026, 3, 7),
                           kind=DayKind.PRESENT,
                           check_in=dt.time(8), reason="x")  # fmt: skip
    assert refused.value.code == AllowanceError.CORRECTION_INVALID


# Explanation ------------------------------------------------------------------------------


def test_the_explanation_adds_up_to_the_stored_amount(perf_a: PerfWorld) -> None:
    # given: KBB; entries approved, adjusted and rejected; a late day and a missing day
    with region_scope(perf_a.region):
        formula_add(
            region=perf_a.region, actor=None, data=bandung_barat_example(dt.date(2026, 3, 1))
        )
        entry_make(perf_a, "staff", day=MON, quantity=100, state="approved")
        adjusted = entry_make(perf_a, "staff", day=MON, quantity=10, state="approved")
        Entry.objects.filter(pk=adjusted.pk).update(approved_quantity=5, approved_minutes=150)
        entry_make(perf_a, "staff", day=MON, quantity=7, state="rejected")
        entry_make(perf_a, "staff", day=MON, quantity=7, state="submitted")
        AttendanceDay.objects.create(region=perf_a.region, employee=perf_a.people["staff"],
                                     work_date=MON, kind=DayKind.PRESENT, check_in=dt.time(8, 45),
                                     check_out=dt.time(16), late_minutes=75)  # fmt: skip
        month_compute(region=perf_a.region, actor=None, year=2026, month=3)
        explained = tpp_explain(perf_a.region, perf_a.people["staff"], 2026, 3)
    stored = result_of(perf_a, "staff")
    assert explained is not None
    assert [e.outcome for e in explained.entries] == ["approved", "adjusted", "rejected"]
    assert explained.minutes == stored.approved_minutes == 3150
    monday = explained.days[0]
    assert (monday.day, monday.late_minutes, monday.percent) == (MON, 75, Decimal("1.25"))
    assert explained.absent_days == len(explained.days) - 1
    assert explained.figures.amount == stored.amount
    assert explained.figures.deduction_percent == stored.deduction_percent
    assert explained.result == stored


def test_no_explanation_for_a_month_after_the_person_left(perf_a: PerfWorld) -> None:
    staff = perf_a.people["staff"]
    with region_scope(perf_a.region):
        staff.__class__.objects.filter(pk=staff.pk).update(active_to=dt.date(2026, 1, 31))
        assert tpp_explain(perf_a.region, staff, 2026, 3) is None
