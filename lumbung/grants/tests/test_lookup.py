"""'Am I on the list?': yes or no, the programme and the status, nothing else; a wrong
name answers like an unknown NIK; limited per address and per NIK."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lumbung.core.errors import ValidationFailed
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.grants.services.cycles import cycle_approve
from lumbung.grants.services.lookup import LookupAnswer, LookupLimited, bansos_lookup

from .bansos_factories import make_nik
from .test_cycles import computed_cycle, gworld  # noqa: F401 - the fixture


def ask(world, nik, name, address="198.51.100.9"):
    with region_scope(world.region):
        return bansos_lookup(region=world.region, nik=nik, name=name, address=address)


@pytest.fixture
def approved(gworld):  # noqa: F811
    cycle, _n, old = computed_cycle(gworld)
    with region_scope(gworld.region):
        cycle_approve(region=gworld.region, actor=gworld.users[Role.UNIT_HEAD], cycle=cycle)
    return gworld, old[0]


def test_a_listed_person_learns_the_programme_and_status(approved, english: Any) -> None:
    world, person = approved
    answer = ask(world, person.nik, f"  {person.name.upper()} ")
    assert answer.on_list
    assert [(e.programme, e.cycle, e.status) for e in answer.entries] == [
        ("Elderly aid", 1, "Listed")  # the programme's English name, in English
    ]


def test_a_wrong_name_answers_like_an_unknown_nik_after_the_same_queries(approved) -> None:
    world, person = approved
    with CaptureQueriesContext(connection) as wrong:
        wrong_name = ask(world, person.nik, "Orang Lain", address="198.51.100.1")
    with CaptureQueriesContext(connection) as unknown:
        unknown_nik = ask(
            world, make_nik(dt.date(1951, 3, 3)), "Orang Lain", address="198.51.100.2"
        )
    assert wrong_name == unknown_nik == LookupAnswer(False)
    assert len(wrong.captured_queries) == len(unknown.captured_queries)


def test_a_malformed_nik_is_a_field_error(approved) -> None:
    world, _person = approved
    with pytest.raises(ValidationFailed):
        ask(world, "1234", "Siapa")


def test_lookups_are_limited_per_address(approved, settings) -> None:
    world, person = approved
    settings.LUMBUNG_BANSOS_LOOKUP_LIMITS = {"address": "3/h", "nik": "100/h"}
    for _ in range(3):
        ask(world, person.nik, person.name)
    with pytest.raises(LookupLimited) as refused:
        ask(world, person.nik, person.name)
    assert refused.value.code == "bansos_lookup_limited"
    assert ask(world, person.nik, person.name, address="203.0.113.5").on_list


def test_another_regions_list_is_never_answered(approved, world_b) -> None:
    from .bansos_factories import enable_grants

    _world, person = approved
    other = enable_grants(world_b)
    assert ask(other, person.nik, person.name) == LookupAnswer(False)
