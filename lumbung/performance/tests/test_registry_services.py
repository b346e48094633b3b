"""The staff registry's services: registering with a checked NIP, moving with history,
refusing cycles and foreign supervisors, ending an employment, the NIK kept masked and its
reads audited, the TPP bases by effective date, and who sees whom."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.models import AuditEvent, Unit
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import UserFactory

from ..errors import PerformanceError
from ..models import Employee, Period, PeriodState, Posting
from ..registry.errors import RegistryError
from ..registry.nip import nip_error
from ..registry.provider import civil_servant_niks
from ..registry.selectors import (
    employee_get,
    postings_of,
    staff_search,
    tpp_base_on,
    tpp_bases_on,
    visible_units,
)
from ..registry.services import (
    EmployeeChanges,
    EmployeeInput,
    employee_change,
    employee_create,
    employee_end,
    employee_nik_read,
)
from ..registry.tpp import tpp_base_add
from ..selectors import region_today
from .factories import PerfWorld

pytestmark = pytest.mark.django_db

NIP = "199105052015031007"
NIK = "3273014505910002"
TODAY = dt.date(2026, 3, 10)


def events(perf: PerfWorld, action: str) -> list[AuditEvent]:
    with region_scope(perf.region):
        found = AuditEvent.objects.filter(region=perf.region, action=f"performance.{action}")
        return list(found)


def new_person(perf: PerfWorld, **overrides: Any) -> Employee:
    data: dict[str, Any] = {
        "nip": NIP, "name": "Rina Marlina", "unit": perf.world.unit, "position": "Pranata",
        "job_grade": 6, "employment_type": "pns", "active_from": dt.date(2021, 1, 4),
        "supervisor": perf.people["kabid"],
    }  # fmt: skip
    data.update(overrides)
    with region_scope(perf.region):
        return employee_create(region=perf.region, actor=perf.admin, data=EmployeeInput(**data))


def code_of(error: pytest.ExceptionInfo[DomainError]) -> str:
    return str(error.value.code)


# The NIP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nip",
    [
        "19910505201503100",  # 17 digits
        "19910505201503100x",
        "199102302015031007",  # 30 February
        "183001012015031007",  # born 1830
        "199105052015131007",  # month 13
        "199105052005031007",  # appointed at 13
        "199105052099031007",  # appointed in the future
        "199105052015033007",  # sex 3
        "199105052015031000",  # serial 000
        "199105052015211007",  # month 21 is PPPK only
    ],
)
def test_an_implausible_nip_is_refused_with_words(nip):
    assert nip_error(nip, today=TODAY) is not None


def test_plausible_nips_pass_and_pppk_writes_21_for_the_month():
    assert nip_error(NIP, today=TODAY) is None
    assert nip_error("199203122022212004", today=TODAY, pppk=True) is None
    assert nip_error("199203122022212004", today=TODAY) is not None


# Registering -------------------------------------------------------------------------------


def test_registering_a_person_opens_their_first_posting_and_is_audited(perf_a):
    person = new_person(perf_a, nik=NIK, email="Rina@Example.go.id")
    with region_scope(perf_a.region):
        postings = list(postings_of(person))
    assert [(p.valid_from, p.valid_to, p.unit_id, p.supervisor_id) for p in postings] == [
        (dt.date(2021, 1, 4), None, perf_a.world.unit.pk, perf_a.people["kabid"].pk)
    ]
    assert person.email == "rina@example.go.id"
    (event,) = events(perf_a, "employee_create")
    assert event.changes["nip"] == NIP
    assert NIK not in str(event.changes)
    assert event.changes["nik"].endswith(NIK[-4:])


def test_registering_links_the_account_with_that_email(perf_a):
    account = UserFactory.create(email="rina@example.go.id")
    person = new_person(perf_a, email="RINA@example.go.id")
    assert person.user_id == account.pk


def test_bad_fields_are_all_reported_and_nothing_is_written(perf_a):
    with pytest.raises(DomainError) as error:
        new_person(perf_a, nip="199105052015031000", nik="123", job_grade=18)
    assert set(error.value.field_errors) == {"nip", "nik", "job_grade"}
    assert code_of(error) == PerformanceError.NIP_INVALID
    with region_scope(perf_a.region):
        assert not Employee.objects.filter(region=perf_a.region, nip="199105052015031000")
    assert not events(perf_a, "employee_create")


def test_a_nip_a_nik_or_an_account_already_registered_is_a_conflict(perf_a):
    new_person(perf_a, nik=NIK)
    with pytest.raises(DomainError) as error:
        new_person(perf_a)
    assert code_of(error) == PerformanceError.NIP_TAKEN
    assert error.value.status == 409
    with pytest.raises(DomainError) as error:
        new_person(perf_a, nip="199105052015031008", nik=NIK)
    assert code_of(error) == RegistryError.NIK_TAKEN
    staff_email = perf_a.user("staff").email
    with pytest.raises(DomainError) as error:
        new_person(perf_a, nip="199105052015031008", email=staff_email)
    assert code_of(error) == RegistryError.ACCOUNT_TAKEN


def test_a_supervisor_of_another_region_is_not_found(perf_a, perf_b):
    with pytest.raises(NotFound):
        new_person(perf_a, supervisor=perf_b.people["kabid"])
    with pytest.raises(NotFound):
        new_person(perf_a, unit=perf_b.world.unit)


# Moving ------------------------------------------------------------------------------------


def move(
    perf: PerfWorld, who: str | Employee, day: dt.date | None = None, **changes: Any
) -> Employee:
    person = perf.people[who] if isinstance(who, str) else who
    with region_scope(perf.region):
        return employee_change(
            region=perf.region,
            actor=perf.admin,
            employee=person,
            changes=EmployeeChanges(**changes),  # type: ignore[typeddict-item]
            effective=day,
        )


def test_a_move_closes_the_posting_the_day_before_and_opens_a_new_one(perf_a):
    other = perf_a.world.other_unit
    day = region_today(perf_a.region) - dt.timedelta(days=3)
    person = move(
        perf_a, "staff", day, unit=other, job_grade=8, supervisor=perf_a.people["outsider"]
    )
    assert (person.unit_id, person.job_grade) == (other.pk, 8)
    with region_scope(perf_a.region):
        history = [(p.valid_from, p.valid_to, p.unit_id, p.job_grade) for p in postings_of(person)]
    assert history == [
        (day, None, other.pk, 8),
        (dt.date(2020, 1, 1), day - dt.timedelta(days=1), perf_a.world.unit.pk, 7),
    ]
    (event,) = events(perf_a, "employee_move")
    assert event.changes["job_grade"] == [7, 8]
    assert event.changes["effective"] == day.isoformat()


def test_a_second_move_on_the_same_day_corrects_the_new_posting(perf_a):
    day = region_today(perf_a.region)
    move(perf_a, "staff", day, position="Analis Kebijakan")
    move(perf_a, "staff", day, position="Analis Kebijakan Ahli Muda")
    with region_scope(perf_a.region):
        history = list(postings_of(perf_a.people["staff"]))
    assert [(p.valid_from, p.position) for p in history] == [
        (day, "Analis Kebijakan Ahli Muda"),
        (dt.date(2020, 1, 1), "Analis Perizinan"),
    ]


def test_details_change_without_a_new_posting(perf_a):
    move(perf_a, "staff", name="Staff Baru", nik=NIK)
    with region_scope(perf_a.region):
        assert (
            Posting.objects.filter(region=perf_a.region, employee=perf_a.people["staff"]).count()
            == 1
        )
    (event,) = events(perf_a, "employee_update")
    assert set(event.changes) == {"name", "nik"}


@pytest.mark.parametrize(
    ("offset", "code"),
    [(1, PerformanceError.FUTURE_DATE), (None, RegistryError.EFFECTIVE_DATE)],
)
def test_a_move_in_the_future_or_before_the_posting_is_refused(perf_a, offset, code):
    today = region_today(perf_a.region)
    day = today + dt.timedelta(days=offset) if offset else dt.date(2019, 12, 31)
    with pytest.raises(DomainError) as error:
        move(perf_a, "staff", day, job_grade=9)
    assert code_of(error) == code
    assert set(error.value.field_errors) == {"effective_date"}


def test_a_move_into_a_closed_month_is_refused(perf_a):
    with region_scope(perf_a.region):
        Period.objects.create(region=perf_a.region, year=2024, month=1, state=PeriodState.CLOSED)
    with pytest.raises(DomainError) as error:
        move(perf_a, "staff", dt.date(2024, 1, 15), job_grade=9)
    assert code_of(error) == PerformanceError.MONTH_CLOSED


def test_a_supervisor_cycle_is_refused_and_nothing_changes(perf_a):
    with pytest.raises(DomainError) as error:
        move(perf_a, "head", supervisor=perf_a.people["staff"])
    assert code_of(error) == PerformanceError.SUPERVISOR_CYCLE
    assert error.value.status == 409
    with pytest.raises(DomainError) as error:
        move(perf_a, "staff", supervisor=perf_a.people["staff"])
    assert code_of(error) == PerformanceError.SUPERVISOR_CYCLE
    with region_scope(perf_a.region):
        assert Employee.objects.get(pk=perf_a.people["head"].pk).supervisor_id is None


def test_a_supervisor_from_another_region_is_not_found(perf_a, perf_b):
    with pytest.raises(NotFound):
        move(perf_a, "staff", supervisor=perf_b.people["head"])


# Ending ------------------------------------------------------------------------------------


def test_ending_closes_the_posting_and_a_supervisor_with_reports_must_hand_them_over(perf_a):
    today = region_today(perf_a.region)
    with region_scope(perf_a.region), pytest.raises(DomainError) as error:
        employee_end(region=perf_a.region, actor=perf_a.admin, employee=perf_a.people["kabid"],
                     day=today)  # fmt: skip
    assert code_of(error) == RegistryError.STILL_SUPERVISES
    with region_scope(perf_a.region):
        ended = employee_end(
            region=perf_a.region, actor=perf_a.admin, employee=perf_a.people["peer"],
            day=today - dt.timedelta(days=1), reason="Pensiun",
        )  # fmt: skip
        (posting,) = postings_of(ended)
    assert ended.active_to == today - dt.timedelta(days=1)
    assert posting.valid_to == ended.active_to
    assert events(perf_a, "employee_end")[0].reason == "Pensiun"
    with pytest.raises(DomainError) as error:
        move(perf_a, ended, today, job_grade=9)
    assert code_of(error) == RegistryError.EMPLOYMENT_ENDED
    with pytest.raises(DomainError) as error:
        move(perf_a, "staff", supervisor=ended)
    assert code_of(error) == RegistryError.SUPERVISOR_INACTIVE


# The NIK -----------------------------------------------------------------------------------


def test_reading_the_full_nik_is_audited_with_its_purpose(perf_a):
    person = new_person(perf_a, nik=NIK)
    with region_scope(perf_a.region):
        shown = employee_nik_read(region=perf_a.region, actor=perf_a.admin, employee=person,
                                  purpose="Verifikasi data bansos")  # fmt: skip
    assert shown == NIK
    with region_scope(perf_a.region):
        (event,) = AuditEvent.objects.filter(region=perf_a.region, action="pdp.read")
    assert event.changes == {"fields": ["nik"]}
    assert event.reason == "Verifikasi data bansos"


def test_the_civil_servant_provider_gives_the_niks_of_active_people_only(perf_a, perf_b):
    new_person(perf_a, nik=NIK)
    ended = new_person(perf_a, nip="199105052015031008", nik="3273014505910003", supervisor=None)
    with region_scope(perf_a.region):
        employee_end(region=perf_a.region, actor=None, employee=ended, day=dt.date(2022, 1, 1))
    assert civil_servant_niks(perf_a.region) == {NIK}
    assert civil_servant_niks(perf_b.region) == set()


# TPP bases ---------------------------------------------------------------------------------


def test_the_base_in_effect_on_a_day_is_the_latest_one_started(perf_a):
    with region_scope(perf_a.region):
        tpp_base_add(region=perf_a.region, actor=perf_a.admin, job_grade=7,
                     amount=Decimal("4750000"), effective_from=dt.date(2025, 1, 1))  # fmt: skip
        assert tpp_base_on(perf_a.region, 7, dt.date(2024, 12, 31)) == Decimal("4500000")
        assert tpp_base_on(perf_a.region, 7, dt.date(2025, 1, 1)) == Decimal("4750000")
        assert tpp_base_on(perf_a.region, 7, dt.date(2019, 1, 1)) is None
        assert tpp_base_on(perf_a.region, 3, dt.date(2025, 1, 1)) is None
        assert tpp_bases_on(perf_a.region, dt.date(2025, 6, 1)) == {
            7: Decimal("4750000"), 11: Decimal("9000000"), 14: Decimal("18000000")
        }  # fmt: skip
    (event,) = events(perf_a, "tpp_base_add")
    assert event.changes["amount"] == [None, "4750000"]


def test_a_bad_or_duplicate_base_is_refused(perf_a):
    with region_scope(perf_a.region), pytest.raises(DomainError) as error:
        tpp_base_add(region=perf_a.region, actor=None, job_grade=0, amount=Decimal("-1"),
                     effective_from=dt.date(2025, 1, 1))  # fmt: skip
    assert set(error.value.field_errors) == {"job_grade", "amount"}
    with region_scope(perf_a.region), pytest.raises(DomainError) as error:
        tpp_base_add(region=perf_a.region, actor=None, job_grade=7, amount=Decimal("1"),
                     effective_from=dt.date(2020, 1, 1))  # fmt: skip
    assert code_of(error) == RegistryError.TPP_BASE_EXISTS


# Who sees whom -----------------------------------------------------------------------------


def test_a_unit_head_sees_their_units_people_and_subunits_only(perf_a):
    region, head = perf_a.region, perf_a.world.users[Role.UNIT_HEAD]
    with region_scope(region):
        sub = Unit.objects.create(region=region, code="DPMPTSP-1", name="Bidang", kind="bagian",
                                  parent=perf_a.world.unit)  # fmt: skip
        new_person(perf_a, unit=sub)
        assert visible_units(region, head) == {perf_a.world.unit.pk, sub.pk}
        names = {p.name for p in staff_search(region, head)}
        assert "Rina Marlina" in names
        assert perf_a.people["outsider"].name not in names
        with pytest.raises(NotFound):
            employee_get(region, head, perf_a.people["outsider"].pk)
        assert visible_units(region, perf_a.auditor) is None
        assert visible_units(region, perf_a.user("peer")) == set()
