"""Hibah programmes kept by the region administrator: validated (code unique per year, the
window, an exact ceiling), audited with before and after, and a ceiling that never drops
below what the programme has already approved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lumbung.core.errors import ErrorCode
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..errors import GrantsError
from ..models import HibahProgramme
from ..models.common import MONEY_MAX
from ..services.programmes import programme_save
from .factories import FINAL, GrantsWorld, enable_grants, events, proposal_at, refusal, reload

VALID: dict[str, Any] = {
    "name_id": "Hibah Kepemudaan",
    "name_en": "Youth grants",
    "code": "kepemudaan",
    "year": 2026,
    "ceiling": "2500000000.00",
    "opens_on": dt.date(2026, 1, 5),
    "closes_on": dt.date(2026, 6, 30),
}


def save(world: RegionWorld, role: Role = Role.REGION_ADMIN, **kwargs: Any) -> HibahProgramme:
    region = world.region
    with region_scope(region):
        return programme_save(region=region, actor=world.users[role], **kwargs)


def count(world: RegionWorld) -> int:
    with region_scope(world.region):
        return HibahProgramme.objects.filter(region=world.region).count()


def test_the_admin_creates_a_programme_with_an_exact_ceiling_and_it_is_audited(
    world_a: RegionWorld,
) -> None:
    # given the module on
    enable_grants(world_a)

    # when the region administrator creates a programme, its unit given by id
    programme = save(world_a, data={**VALID, "unit": world_a.unit.pk})

    # then the ceiling is exact and the creation is an audit event with every value
    assert programme.ceiling == Decimal("2500000000.00")
    assert programme.unit == world_a.unit
    assert programme.is_active is True
    [event] = events(world_a.region, "grants.programme.create", programme)
    assert event.actor_id == world_a.users[Role.REGION_ADMIN].pk
    assert event.changes["code"] == [None, "kepemudaan"]
    assert event.changes["opens_on"] == [None, "2026-01-05"]
    assert Decimal(event.changes["ceiling"][1]) == Decimal("2500000000")


def test_a_change_keeps_the_before_and_after_of_each_changed_field(
    gworld_a: GrantsWorld,
) -> None:
    programme = gworld_a.programme

    saved = save(
        gworld_a.world,
        programme=programme,
        data={"name_en": "Community grants 2", "is_active": False},
    )

    assert saved.name_en == "Community grants 2"
    assert reload_programme(gworld_a).is_active is False
    [event] = events(gworld_a.region, "grants.programme.update", programme)
    assert event.changes == {
        "name_en": ["Community grants", "Community grants 2"],
        "is_active": [True, False],
    }


def reload_programme(gw: GrantsWorld) -> HibahProgramme:
    with region_scope(gw.region):
        return HibahProgramme.objects.get(region=gw.region, pk=gw.programme.pk)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.UNIT_HEAD, Role.AUDITOR, Role.CITIZEN])
def test_only_the_region_administrator_keeps_programmes(world_a: RegionWorld, role: Role) -> None:
    enable_grants(world_a)

    error = refusal(world_a.region, programme_save, actor=world_a.users[role], data=VALID)

    assert error.code == ErrorCode.PERMISSION_DENIED
    assert count(world_a) == 0


def test_the_code_is_unique_within_a_budget_year_only(world_a: RegionWorld) -> None:
    enable_grants(world_a)
    save(world_a, data=VALID)

    error = refusal(
        world_a.region, programme_save, actor=world_a.users[Role.REGION_ADMIN], data=VALID
    )
    next_year = save(world_a, data={**VALID, "year": 2027})

    assert error.code == ErrorCode.DUPLICATE
    assert error.status == 409
    assert "code" in error.field_errors
    assert next_year.year == 2027
    assert count(world_a) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", "Bukan Slug"),
        ("code", ""),
        ("name_id", "  "),
        ("year", 1999),
        ("year", "2026"),
        ("year", True),
        ("opens_on", "2026-01-01"),
        ("closes_on", dt.date(2026, 1, 4)),
        ("unit", 10**9),
        ("unit", "1"),
        ("is_active", "yes"),
    ],
)
def test_a_bad_field_is_named_and_nothing_is_written(
    world_a: RegionWorld, field: str, value: Any
) -> None:
    enable_grants(world_a)

    error = refusal(
        world_a.region,
        programme_save,
        actor=world_a.users[Role.REGION_ADMIN],
        data={**VALID, field: value},
    )

    assert error.code == ErrorCode.VALIDATION
    assert field in error.field_errors
    assert count(world_a) == 0
    assert events(world_a.region, "grants.programme.create") == []


@pytest.mark.parametrize(
    "ceiling", [0, -1, "-5000", 1.5, "abc", "NaN", "Infinity", "10.001", MONEY_MAX + 1, None]
)
def test_an_absurd_or_inexact_ceiling_is_refused_with_the_amount_code(
    world_a: RegionWorld, ceiling: Any
) -> None:
    enable_grants(world_a)

    error = refusal(
        world_a.region,
        programme_save,
        actor=world_a.users[Role.REGION_ADMIN],
        data={**VALID, "ceiling": ceiling},
    )

    assert error.code == GrantsError.AMOUNT_INVALID
    assert "ceiling" in error.field_errors
    assert count(world_a) == 0


def test_a_new_programme_needs_its_names_code_year_and_ceiling(world_a: RegionWorld) -> None:
    enable_grants(world_a)

    error = refusal(
        world_a.region,
        programme_save,
        actor=world_a.users[Role.REGION_ADMIN],
        data={"description": "Tanpa nama"},
    )

    assert set(error.field_errors) == {"name_id", "name_en", "code", "year", "ceiling"}


def test_an_unknown_field_is_refused(gworld_a: GrantsWorld) -> None:
    error = refusal(
        gworld_a.region,
        programme_save,
        actor=gworld_a.user(Role.REGION_ADMIN),
        programme=gworld_a.programme,
        data={"region": 1},
    )

    assert error.code == ErrorCode.VALIDATION
    assert set(error.field_errors) == {"region"}


def test_the_ceiling_never_drops_below_the_approved_total(gworld_a: GrantsWorld) -> None:
    # given one proposal funded at FINAL (40,000,000)
    proposal_at(gworld_a, "nominative")
    programme = gworld_a.programme

    # when the administrator lowers the ceiling below it
    error = refusal(
        gworld_a.region,
        programme_save,
        actor=gworld_a.user(Role.REGION_ADMIN),
        programme=programme,
        data={"ceiling": FINAL - 1},
    )

    # then it is refused with the ceiling's code and the ceiling stays
    assert error.code == GrantsError.CEILING_EXCEEDED
    assert error.status == 409
    assert "ceiling" in error.field_errors
    assert reload_programme(gworld_a).ceiling == programme.ceiling
    # and exactly the approved total is allowed
    assert save(gworld_a.world, programme=programme, data={"ceiling": FINAL}).ceiling == FINAL


def test_a_programme_with_proposals_keeps_its_year(gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, "submitted")

    error = refusal(
        gworld_a.region,
        programme_save,
        actor=gworld_a.user(Role.REGION_ADMIN),
        programme=gworld_a.programme,
        data={"year": gworld_a.programme.year + 1},
    )

    assert "year" in error.field_errors
    assert reload(proposal).programme.year == gworld_a.programme.year


def test_another_regions_programme_or_unit_is_not_found(
    gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    theirs = gworld_b.programme

    error = refusal(
        gworld_a.region,
        programme_save,
        actor=gworld_a.user(Role.REGION_ADMIN),
        programme=theirs,
        data={"name_en": "Taken over"},
    )
    foreign_unit = refusal(
        gworld_a.region,
        programme_save,
        actor=gworld_a.user(Role.REGION_ADMIN),
        data={**VALID, "unit": gworld_b.world.unit},
    )

    assert error.code == ErrorCode.NOT_FOUND
    assert reload_programme(gworld_b).name_en == "Community grants"
    assert "unit" in foreign_unit.field_errors
