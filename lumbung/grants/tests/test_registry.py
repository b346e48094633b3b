"""One person at a time: validated against the NIK, the same NIK is the same person, a
possible duplicate is reported, and staff reads of full personal data are audited."""

from __future__ import annotations

import datetime as dt

import pytest

from lumbung.core.errors import DomainError, PermissionDenied, ValidationFailed
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.grants.models import Person
from lumbung.grants.services.registry import PersonInput, person_personal_read, person_save

from .bansos_factories import KELURAHAN_A, add_person, enable_grants, make_nik


@pytest.fixture
def gworld(world_a):
    return enable_grants(world_a)


def save(world, data: PersonInput, person=None, role=Role.OFFICER):
    with region_scope(world.region):
        return person_save(region=world.region, actor=world.users[role], data=data, person=person)


def test_a_person_is_added_with_the_nik_facts_and_audited(gworld) -> None:
    nik = make_nik(dt.date(1990, 2, 3), "P")
    saved = save(
        gworld,
        PersonInput(
            nik=nik,
            name="  Siti   Aminah ",
            kk="3273010101900001",
            phone="0812-1111-2222",
            kelurahan_code="3273011001",
        ),
    )
    person = saved.person
    assert saved.created
    assert (person.birth_date, person.sex, person.name) == (dt.date(1990, 2, 3), "P", "Siti Aminah")
    assert (person.phone, person.kelurahan_code) == ("+6281211112222", KELURAHAN_A)
    with dangerously_unscoped():
        event = AuditEvent.objects.get(action="grants.person_add", object_id=str(person.pk))
    assert nik not in str(event.changes)  # masked in the log


def test_the_same_nik_updates_the_person(gworld) -> None:
    person = add_person(gworld, name="Budi")
    saved = save(
        gworld, PersonInput(nik=person.nik, name="Budi Santoso", birth_date=person.birth_date)
    )
    assert not saved.created
    assert saved.person.pk == person.pk
    with region_scope(gworld.region):
        assert Person.objects.filter(region=gworld.region).count() == 1


def test_the_same_name_date_and_kelurahan_with_another_nik_is_reported(gworld) -> None:
    first = add_person(gworld, name="Dewi Lestari", birth_date=dt.date(1980, 5, 17), sex="P")
    nik = make_nik(dt.date(1980, 5, 17), "P")
    saved = save(gworld, PersonInput(nik=nik, name="DEWI LESTARI", kelurahan_code=KELURAHAN_A))
    assert saved.created
    assert saved.possible_duplicates == [first]


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("nik", {"nik": "123"}),
        ("birth_date", {"birth_date": dt.date(1981, 5, 17)}),
        ("sex", {"sex": "P"}),
        ("kk", {"kk": "12"}),
        ("welfare_decile", {"welfare_decile": 0}),
        ("kelurahan_code", {"kelurahan_code": "36.71.01.1001"}),
        ("name", {"name": " "}),
    ],
)
def test_bad_input_is_refused_and_nothing_written(gworld, field, data) -> None:
    values = {"nik": make_nik(dt.date(1980, 5, 17), "L"), "name": "Agus", **data}
    with pytest.raises(ValidationFailed) as refused:
        save(gworld, PersonInput(**values))
    assert field in refused.value.field_errors
    with region_scope(gworld.region):
        assert not Person.objects.filter(region=gworld.region).exists()


def test_another_persons_nik_cannot_be_taken(gworld) -> None:
    one, two = add_person(gworld), add_person(gworld)
    with pytest.raises(DomainError) as refused:
        save(gworld, PersonInput(nik=two.nik, name=one.name, birth_date=two.birth_date), person=one)
    assert refused.value.code == "bansos_nik_taken"


def test_a_full_read_is_for_registry_staff_and_audited(gworld) -> None:
    person = add_person(gworld, phone="081299998888", address="Jl. Asia Afrika 1")
    with region_scope(gworld.region):
        shown = person_personal_read(
            region=gworld.region,
            actor=gworld.users[Role.OFFICER],
            person=person,
            purpose="verifikasi",
        )
        with pytest.raises(PermissionDenied):
            person_personal_read(
                region=gworld.region, actor=gworld.users[Role.CITIZEN], person=person
            )
    assert shown["nik"] == person.nik
    with dangerously_unscoped():
        event = AuditEvent.objects.get(action="pdp.read", object_id=str(person.pk))
    assert event.reason == "verifikasi"
    assert event.changes["fields"] == ["address", "kk", "nik", "phone"]


def test_another_regions_person_is_not_found(gworld, world_b) -> None:
    from lumbung.core.errors import NotFound

    other = add_person(enable_grants(world_b), kelurahan_code="36.71.01.1001")
    with region_scope(gworld.region), pytest.raises(NotFound):
        person_personal_read(region=gworld.region, actor=gworld.users[Role.OFFICER], person=other)
