"""Test data for bansos, made through its own services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.db import transaction

from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Person
from ..nik import encode
from ..services.registry import PersonInput, person_save

KELURAHAN_A = "32.73.01.1001"  # in Kota Bandung (world_a)
KELURAHAN_A2 = "32.73.01.1002"
_serials = itertools.count(1)


def enable_grants(world: RegionWorld) -> RegionWorld:
    """Switch the grants module on for the world's region."""
    with region_scope(world.region), transaction.atomic():
        region_modules_set(region=world.region, actor=None, enable=["grants"])
    return world


def make_nik(
    birth: dt.date = dt.date(1980, 5, 17), sex: str = "L", region_code: str = "32.73"
) -> str:
    return encode(region_code, birth, sex, kecamatan=1, serial=next(_serials) % 9999 + 1)


def add_person(world: RegionWorld, **fields: Any) -> Person:
    birth = fields.pop("birth_date", dt.date(1980, 5, 17))
    sex = fields.pop("sex", "L")
    nik = fields.pop("nik", None) or make_nik(birth, sex)
    fields.setdefault("name", f"Warga {nik[-4:]}")
    fields.setdefault("kelurahan_code", KELURAHAN_A if world.region.code == "32.73" else "")
    actor: User = fields.pop("actor", world.users[Role.OFFICER])
    data = PersonInput(nik=nik, birth_date=birth, sex=sex, **fields)
    with region_scope(world.region):
        return person_save(region=world.region, actor=actor, data=data).person


def reload_person(region: Region, person: Person) -> Person:
    with region_scope(region):
        return Person.objects.get(region=region, pk=person.pk)
