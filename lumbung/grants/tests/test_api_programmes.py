"""The region admin's hibah API: programmes listed with their use of the ceiling, created
and changed with the service's codes, and the review steps' checklist items."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import ChecklistItem, HibahProgramme
from .factories import FINAL, GrantsWorld, proposal_at
from .test_api_hibah import as_, ok, refused

pytestmark = pytest.mark.django_db

PROGRAMME = {
    "name_id": "Hibah Olahraga",
    "name_en": "Sports grants",
    "code": "olahraga",
    "year": 2026,
    "ceiling": "750000000.00",
    "opens_on": "2026-01-02",
    "closes_on": "2026-05-29",
}


def programmes(gw: GrantsWorld) -> int:
    with region_scope(gw.region):
        return HibahProgramme.objects.filter(region=gw.region).count()


def test_programmes_are_listed_with_their_use_of_the_ceiling(
    client: Client, gworld_a: GrantsWorld
) -> None:
    proposal_at(gworld_a, "nominative")
    citizen = as_(client, gworld_a, Role.CITIZEN)

    [row] = ok(citizen.get("/programmes"))

    assert row["id"] == gworld_a.programme.pk
    assert (row["ceiling"], row["approved"]) == ("1000000000.00", f"{FINAL:.2f}")
    assert row["remaining"] == "960000000.00"
    assert row["funded_count"] == 1
    refused(citizen.get("/programmes", include_inactive="true"), 403, "permission_denied")


def test_the_admin_creates_and_changes_a_programme_and_both_are_audited(
    client: Client, gworld_a: GrantsWorld
) -> None:
    admin = as_(client, gworld_a, Role.REGION_ADMIN)

    created = ok(admin.post("/programmes", {**PROGRAMME, "unit_id": gworld_a.world.unit.pk}), 201)
    changed = ok(
        admin.patch(f"/programmes/{created['id']}", {"ceiling": 800000000, "unit_id": None})
    )

    assert created["ceiling"] == "750000000.00"
    assert created["unit_id"] == gworld_a.world.unit.pk
    assert (changed["ceiling"], changed["unit_id"]) == ("800000000.00", None)
    assert changed["closes_on"] == "2026-05-29"
    with region_scope(gworld_a.region):
        actions = set(
            AuditEvent.objects.filter(region=gworld_a.region, object_id=str(created["id"]))
            .filter(action__startswith="grants.programme.")
            .values_list("action", flat=True)
        )
    assert actions == {"grants.programme.create", "grants.programme.update"}


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"ceiling": 1.5}, 422, "validation_error", "ceiling"),
        ({"ceiling": "-1"}, 422, "grants_amount_invalid", "ceiling"),
        ({"ceiling": "1" + "0" * 19}, 422, "grants_amount_invalid", "ceiling"),
        ({"year": "dua ribu"}, 422, "validation_error", "year"),
        ({"code": "Bukan Kode"}, 422, "validation_error", "code"),
        ({"closes_on": "2026-01-01"}, 422, "validation_error", "closes_on"),
        ({"unit_id": 2**31 - 1}, 422, "validation_error", "unit"),
    ],
)
def test_bad_programmes_are_refused_and_nothing_is_written(
    client: Client,
    gworld_a: GrantsWorld,
    change: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    admin = as_(client, gworld_a, Role.REGION_ADMIN)

    problem = refused(admin.post("/programmes", {**PROGRAMME, **change}), status, code)

    assert field in problem["errors"]
    assert programmes(gworld_a) == 1  # the world's own


def test_a_taken_code_and_a_ceiling_below_the_approved_total_are_conflicts(
    client: Client, gworld_a: GrantsWorld
) -> None:
    proposal_at(gworld_a, "nominative")
    admin, programme = as_(client, gworld_a, Role.REGION_ADMIN), gworld_a.programme
    taken = {**PROGRAMME, "code": programme.code, "year": programme.year}

    refused(admin.post("/programmes", taken), 409, "duplicate")
    low = refused(
        admin.patch(f"/programmes/{programme.pk}", {"ceiling": "1000"}),
        409,
        "grants_ceiling_exceeded",
    )

    assert "ceiling" in low["errors"]
    with region_scope(gworld_a.region):
        assert (
            HibahProgramme.objects.get(region=gworld_a.region, pk=programme.pk).ceiling
            == programme.ceiling
        )


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.CITIZEN, Role.BUDGET_TEAM])
def test_only_the_region_admin_keeps_programmes_and_checklists(
    client: Client, gworld_a: GrantsWorld, role: Role
) -> None:
    api = as_(client, gworld_a, role)

    refused(api.post("/programmes", PROGRAMME), 403, "permission_denied")
    refused(
        api.patch(f"/programmes/{gworld_a.programme.pk}", {"name_en": "x"}),
        403,
        "permission_denied",
    )
    item = {"state": "submitted", "key": "baru", "name_id": "Baru", "name_en": "New"}
    refused(api.post("/checklist-items", item), 403, "permission_denied")
    assert programmes(gworld_a) == 1


def test_another_regions_programme_and_item_are_not_found(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    admin_b = as_(client, gworld_b, Role.REGION_ADMIN)
    their_items = ok(admin_b.get("/checklist-items"))
    admin = as_(client, gworld_a, Role.REGION_ADMIN)

    refused(admin.patch(f"/programmes/{gworld_b.programme.pk}", {"name_en": "x"}), 404, "not_found")
    refused(
        admin.patch(f"/checklist-items/{their_items[0]['id']}", {"name_en": "x"}), 404, "not_found"
    )
    assert gworld_b.programme.pk not in [p["id"] for p in ok(admin.get("/programmes"))]
    with region_scope(gworld_b.region):
        assert HibahProgramme.objects.get(pk=gworld_b.programme.pk).name_en == "Community grants"


def test_checklists_are_listed_per_step_added_and_changed(
    client: Client, gworld_a: GrantsWorld
) -> None:
    officer, admin = as_(client, gworld_a, Role.OFFICER), as_(client, gworld_a, Role.REGION_ADMIN)

    evaluation = ok(officer.get("/checklist-items", state="evaluation"))
    added = admin.post(
        "/checklist-items",
        {
            "state": "evaluation",
            "key": "foto-lokasi",
            "name_id": "Foto lokasi",
            "name_en": "Site photo",
        },
    )
    item = ok(added, 201)
    off = ok(admin.patch(f"/checklist-items/{item['id']}", {"is_active": False, "required": False}))
    duplicate = admin.post(
        "/checklist-items",
        {"state": "evaluation", "key": "foto-lokasi", "name_id": "a", "name_en": "b"},
    )
    unknown_check = admin.patch(f"/checklist-items/{item['id']}", {"computed_check": "nope"})

    assert {i["state"] for i in evaluation} == {"evaluation"}
    assert "not-fictitious" in {i["key"] for i in evaluation}
    assert (off["is_active"], off["required"]) == (False, False)
    assert "key" in refused(duplicate, 422, "validation_error")["errors"]
    assert "computed_check" in problem_of(unknown_check)["errors"]
    active = ok(officer.get("/checklist-items", state="evaluation"))
    assert "foto-lokasi" not in {i["key"] for i in active}
    everything = ok(admin.get("/checklist-items", include_inactive="true"))
    assert "foto-lokasi" in {i["key"] for i in everything}
    refused(officer.get("/checklist-items", include_inactive="true"), 403, "permission_denied")
    with region_scope(gworld_a.region):
        assert ChecklistItem.objects.filter(region=gworld_a.region, key="foto-lokasi").count() == 1


def test_signed_out_callers_are_unauthenticated(client: Client, gworld_a: GrantsWorld) -> None:
    base = f"/api/v1/regions/{gworld_a.region.slug}/grants"

    for path in ("/programmes", "/checklist-items", "/proposals", "/my/proposals"):
        refused(client.get(base + path), 401, "unauthenticated")
