"""The performance part of `lumbung demo`: in each demo region with the module on, an office
of civil servants with supervisor chains, three months of entries in every state written
by the services within their rules, attendance imported, the months before this one closed
with their TPP, the demo accounts, the anomalies auditors look for; nothing added the
second time. And the plan's own pieces: plausible NIPs, days that keep the entry rules."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db.models import F, Model
from django.utils import timezone

from lumbung.core import demo as core_demo
from lumbung.core.calendar import RegionCalendar
from lumbung.core.demo import DEMO_PASSWORD, DemoRegion, demo_accounts, demo_load
from lumbung.core.models import AuditEvent, Membership, ModuleActivation, Region, Transition
from lumbung.core.models.people import Role
from lumbung.core.services.audit import audit_verify_chain, chain_key
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from .. import demo_data as d
from ..allowance.months import cutoff_of
from ..dashboards.anomalies import AnomalyKind, anomalies
from ..dashboards.month import Month, yardstick
from ..dashboards.scope import Scope
from ..dashboards.selectors import unit_figures
from ..models import (
    Activity,
    AttendanceDay,
    DayKind,
    Employee,
    Entry,
    FormulaKind,
    ImportRun,
    Period,
    PeriodState,
    TppBase,
    TppFormula,
    TppResult,
)
from ..registry.nip import nip_error
from ..selectors import region_today, supervisor_chain
from ..workflow import APPROVED, PROPOSED, REJECTED, SUBMITTED, WITHDRAWN
from ..worklog import rules

pytestmark = pytest.mark.django_db

WITH_PERFORMANCE = ("kota-bandung", "kota-tangerang")
# Enough people for every part of the demo (a permit office whose verifications make a
# sample the quantity rule judges), few enough to load in seconds.
STAFF = 60
MODELS: tuple[type[Model], ...] = (
    Employee, Entry, Activity, AttendanceDay, ImportRun, Period, TppResult, TppBase, TppFormula,
    Transition, AuditEvent, Membership,
)  # fmt: skip


@pytest.fixture
def demo(settings: Any) -> list[Region]:
    settings.LUMBUNG_DEMO_PERFORMANCE_STAFF = STAFF
    return demo_load()


def counts() -> dict[str, int]:
    with dangerously_unscoped():
        return {model.__name__: model.objects.count() for model in MODELS}


def months_of(region: Region) -> list[Month]:
    today = Month.of(region_today(region))
    return [today.back(2), today.back(1), today]


def test_each_region_has_its_office_three_months_and_tpp_and_a_second_run_adds_nothing(
    demo: list[Region],
) -> None:
    for slug in WITH_PERFORMANCE:
        region = Region.objects.get(slug=slug)
        with region_scope(region):
            _office(region)
            _entries(region)
            _months(region)
            _accounts(region)
    with dangerously_unscoped():
        assert not Employee.objects.filter(region__slug__in=("banten", "kabupaten-serang"))
    # when the demo is loaded again, nothing is added, not even an audit event
    before = counts()
    demo_load()
    assert counts() == before
    for slug in WITH_PERFORMANCE:
        region = Region.objects.get(slug=slug)
        assert audit_verify_chain(chain_key(region)) is None


def _office(region: Region) -> None:
    """A few hundred (here STAFF) ASN in every unit, one chain, bases, formula, catalogue."""
    people = Employee.objects.filter(region=region).select_related("supervisor")
    assert STAFF <= people.count() <= STAFF + 15
    assert people.values("unit").distinct().count() >= 11
    tops = [p for p in people if p.supervisor_id is None]
    assert len(tops) == 1  # the regional secretary
    for person in people.exclude(pk=tops[0].pk).order_by("pk")[::7]:
        assert supervisor_chain(person)[-1] == tops[0]
    assert set(TppBase.objects.filter(region=region).values_list("job_grade", flat=True)) == set(
        range(1, 18)
    )
    kind = FormulaKind.MINUTES if region.code == "32.73" else FormulaKind.WEIGHTED
    assert TppFormula.objects.get(region=region).kind == kind
    states = list(Activity.objects.filter(region=region).values_list("state", flat=True))
    assert states.count(APPROVED) == len(d.ACTIVITIES) + 1  # a proposal accepted
    assert (states.count(PROPOSED), states.count(REJECTED)) == (1, 1)


def _entries(region: Region) -> None:
    """Entries in every state, over three months, each made within the entry rules by the
    batch service at the time (the demo clock), reviewed by the reviewer."""
    found = Entry.objects.filter(region=region)
    assert set(found.values_list("state", flat=True)) == {SUBMITTED, APPROVED, REJECTED, WITHDRAWN}
    assert found.filter(state=APPROVED, approved_quantity__lt=F("quantity")).exists()
    months = {(y, m) for y, m in found.values_list("work_date__year", "work_date__month")}
    assert {(m.year, m.month) for m in months_of(region)[:2]} <= months
    calendar = RegionCalendar(region)
    now = timezone.now()
    rows = found.values_list("work_date", "created_at", "overtime", "reviewed_at", "state")
    for day, created, overtime, reviewed, state in rows:
        sent = calendar.local_date(created)
        assert day <= sent
        assert rules.backdate_allowed(calendar, day, sent, 3)
        assert overtime or calendar.is_working_day(day)
        assert created <= now
        assert reviewed is None or created < reviewed <= now
        assert (reviewed is None) == (state in (SUBMITTED, WITHDRAWN))
    assert found.filter(overtime=True).exists()
    assert AuditEvent.objects.filter(region=region, action="performance.entries_create").exists()
    # the last days' entries wait for their reviewer; some waited too long and went up
    assert found.filter(state=SUBMITTED, created_at__gte=now - dt.timedelta(days=7)).exists()
    assert found.filter(state=SUBMITTED, escalation_level__gte=1).exists()


def _months(region: Region) -> None:
    """Attendance imported, lateness among it; the months before this one closed (last
    month once its cut-off has come) with TPP amounts; the office and people that stand
    out; every anomaly but the bulk before the cut-off (see test_bulk_...)."""
    first, second, _this = months_of(region)
    assert ImportRun.objects.filter(region=region, succeeded=True).count() >= 4
    days = AttendanceDay.objects.filter(region=region)
    assert {DayKind.PRESENT, DayKind.LEAVE} <= set(days.values_list("kind", flat=True))
    assert days.filter(late_minutes__gt=0).exists()
    due = region_today(region) >= cutoff_of(region, second.year, second.month)
    closed = {
        Month(y, m)
        for y, m in Period.objects.filter(region=region, state=PeriodState.CLOSED).values_list(
            "year", "month"
        )
    }
    assert closed == ({first, second} if due else {first})
    people = Employee.objects.filter(region=region).count()
    for period in Period.objects.filter(region=region, state=PeriodState.CLOSED):
        results = TppResult.objects.filter(region=region, period=period)
        assert results.count() == people
        assert results.filter(amount__gt=0).count() > people * 0.9
        if region.code != "32.73":  # the weighted formula deducts for lateness
            assert results.filter(deduction_percent__gt=0).exists()
    everyone = Scope(None, True, frozenset())
    figures = {m: unit_figures(region, everyone, yardstick(region, m)) for m in (first, second)}
    overloaded = {u.name for units in figures.values() for u in units if u.overloaded}
    assert overloaded == {"Dinas Penanaman Modal dan PTSP"}
    assert all(sum(u.idle for u in units) >= 2 for units in figures.values())
    stick = yardstick(region, first)
    kinds = {f.kind for f in anomalies(region, stick)}
    assert {
        AnomalyKind.COPIED_ENTRIES,
        AnomalyKind.SHARED_NOTE,
        AnomalyKind.AT_CAP,
        AnomalyKind.LARGE_QUANTITY,
        AnomalyKind.FAST_REVIEWER,
    } <= kinds
    assert AnomalyKind.BULK_BEFORE_CUTOFF not in kinds  # 3 working days allow none


def _accounts(region: Region) -> None:
    """asn@ logs, atasan@ (their supervisor) reviews, payroll@ pays: all with the demo
    password, listed on the demo's home page."""
    slug = region.slug
    asn = Employee.objects.select_related("user", "supervisor__user").get(
        region=region, user__email=f"asn@{slug}.demo"
    )
    assert asn.user is not None
    assert asn.user.check_password(DEMO_PASSWORD)
    assert asn.supervisor is not None
    assert asn.supervisor.user is not None
    assert asn.supervisor.user.email == f"atasan@{slug}.demo"
    mine = Entry.objects.filter(region=region, employee=asn)
    assert {SUBMITTED, APPROVED, REJECTED} <= set(mine.values_list("state", flat=True))
    assert mine.filter(state=APPROVED, approved_quantity__lt=F("quantity")).exists()
    payroll = Membership.objects.get(region=region, user__email=f"payroll@{slug}.demo")
    assert payroll.role == Role.PAYROLL
    assert payroll.user.check_password(DEMO_PASSWORD)
    listed = {email for email, _label in demo_accounts()}
    assert {f"{k}@{slug}.demo" for k in ("asn", "atasan", "payroll")} <= listed


@pytest.fixture
def tangerang_allows_ten_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only Kota Tangerang, whose setting lets an entry be back-dated 10 working days (set
    as the module's settings page would, once core has a service for it)."""
    monkeypatch.setattr(core_demo, "DEMO_REGIONS", (DemoRegion("36.71", ("performance",), "E-RK"),))
    real = core_demo._module_demos

    def with_setting(region: Region) -> None:
        row = ModuleActivation.objects.get(region=region, module="performance")
        row.settings = {**row.settings, "backdate_working_days": 10}
        row.save(update_fields=["settings"])
        real(region)

    monkeypatch.setattr(core_demo, "_module_demos", with_setting)


@pytest.mark.usefixtures("tangerang_allows_ten_days")
def test_bulk_before_the_cut_off_appears_where_the_region_allows_back_dating_it(
    settings: Any,
) -> None:
    # given a region that allows 10 working days of back-dating
    settings.LUMBUNG_DEMO_PERFORMANCE_STAFF = STAFF
    (region,) = demo_load()
    with region_scope(region):
        first = months_of(region)[0]
        # then one person logged the middle of the first month two days before its close
        findings = [
            f
            for f in anomalies(region, yardstick(region, first))
            if f.kind == AnomalyKind.BULK_BEFORE_CUTOFF
        ]
        assert len(findings) == 1
        assert findings[0].count >= 10
        calendar = RegionCalendar(region)
        late = Entry.objects.filter(region=region, pk__in=[e.id for e in findings[0].entries])
        assert late.count() == min(findings[0].count, 20)
        for day, created in late.values_list("work_date", "created_at"):
            # within the region's rule, beyond the default one
            sent = calendar.local_date(created)
            assert rules.backdate_allowed(calendar, day, sent, 10)
            assert not rules.backdate_allowed(calendar, day, sent, 3)


# The plan's pieces -------------------------------------------------------------------------


def test_the_people_have_plausible_nips_and_one_chain() -> None:
    units = [*d.UNITS, "32.73.01", "32.73.02"]
    people = d.people(units, 120, random.Random(1), 2025, "kota-bandung")
    today = dt.date(2026, 3, 1)
    assert [p.nip for p in people if nip_error(p.nip, today=today, pppk=p.kind == "pppk")] == []
    assert len({p.nip for p in people}) == len(people)
    assert all(p.active_from <= dt.date(2025, 12, 1) for p in people)
    by_nip = {p.nip: p for p in people}
    assert len([p for p in people if not p.supervisor]) == 1
    assert {p.account for p in people} >= {"head", "atasan", "asn"}
    asn = next(p for p in people if p.account == "asn")
    assert by_nip[asn.supervisor].account == "atasan"
    assert asn.kind == "pns"


@pytest.mark.parametrize("seed", range(20))
def test_a_planned_day_keeps_the_entry_rules(seed: int) -> None:
    rng = random.Random(seed)
    person = d.Person("199001012015031001", "A", "DPMPTSP", "Analis Perizinan", 8, "pns")
    for profile in ("normal", "busy", "lead", "idle", "cap", "copy"):
        person.profile, person.lead = profile, profile == "lead"
        planned = d.day_entries(rng, person, dt.date(2026, 3, 2), shared=seed % 2 == 0)
        spans = [(e.start, e.end) for e in planned]
        claimed = [d.ACTIVITIES[e.activity][4] * e.quantity for e in planned]
        assert sum(claimed) <= 420
        for n, entry in enumerate(planned):
            assert rules.fits_span(entry.quantity, d.ACTIVITIES[entry.activity][4], *spans[n])
            assert not rules.overlaps(spans[n], spans[:n])
    days = d.days_between(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    for chunk in d.chunks(rng, days):
        assert len(chunk) <= 4
        assert len({x.month for x in chunk}) == 1
