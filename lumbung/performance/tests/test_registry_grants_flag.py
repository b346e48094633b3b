"""The staff registry is the grants module's list of civil servants: social aid listed for
a person whose NIK an active ASN of the same region gave is flagged; another region's ASN,
or one whose employment ended, is not."""

from __future__ import annotations

import datetime as dt

import pytest

from lumbung.core.tenancy import region_scope
from lumbung.grants.flags import detect_all
from lumbung.grants.models import FlagKind
from lumbung.grants.tests import flag_factories as f

from ..models import Employee
from .factories import PerfWorld

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def civil_servant_flags(perf: PerfWorld) -> list[int | None]:
    with region_scope(perf.region):
        return [
            x.person_id for x in detect_all(perf.region, TODAY) if x.kind == FlagKind.CIVIL_SERVANT
        ]


def test_aid_listed_for_an_active_civil_servant_is_flagged(
    perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    f.enable_grants(perf_a.world)
    region = perf_a.region
    with region_scope(region):
        servant, retired, citizen = f.person(region), f.person(region), f.person(region)
        cycle = f.bansos_cycle(region, 2026)
        for someone in (servant, retired, citizen):
            f.entitlement(region, someone, cycle, status="listed")
        Employee.objects.filter(pk=perf_a.people["staff"].pk).update(nik=servant.nik)
        Employee.objects.filter(pk=perf_a.people["peer"].pk).update(
            nik=retired.nik, active_to=dt.date(2020, 6, 30)
        )
    with region_scope(perf_b.region):
        Employee.objects.filter(pk=perf_b.people["staff"].pk).update(nik=citizen.nik)
    assert civil_servant_flags(perf_a) == [servant.pk]
