"""Bansos API: the registry (masked NIKs, the audited personal-data route, field errors with
nothing written), the import journey (multipart, progress, the report), programmes and
cycles with four-eyes approval and handovers, the public aggregates and lookup, and
another region's ids as 404 problems."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conftest import login
from lumbung.core.models import AuditEvent, ModuleActivation
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import RegionWorld

from ..models import BansosProgramme, Cycle, Entitlement, ImportJob, Person
from .bansos_factories import KELURAHAN_A, add_person, enable_grants, make_nik
from .test_bansos_views import approved, computed, entitlement_of, programme
from .test_imports import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def api(world: RegionWorld, path: str) -> str:
    return f"/api/v1/regions/{world.region.slug}/grants/bansos{path}"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def as_(client: Client, world: RegionWorld, role: Role) -> Client:
    return login(client, world.users[role])


def audits(action: str, object_id: Any) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action, object_id=str(object_id)))


# Registry ----------------------------------------------------------------------------------


def test_persons_are_listed_with_masked_niks(client: Client, ga: RegionWorld) -> None:
    siti = add_person(ga, name="Siti Aminah", phone="081234567890", address="Jl. Cihampelas 1")
    add_person(ga, name="Budi Santoso")
    response = as_(client, ga, Role.OFFICER).get(api(ga, "/persons"), {"q": "siti"})
    assert response.status_code == 200
    data = response.json()
    assert [p["name"] for p in data["items"]] == ["Siti Aminah"]
    assert data["items"][0]["nik_masked"] == siti.nik_masked
    text = response.content.decode()
    for secret in (siti.nik, "Jl. Cihampelas", "0812345"):
        assert secret not in text


def test_personal_data_is_its_own_audited_route(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga, address="Jl. Dago 10")
    officer = as_(client, ga, Role.OFFICER)
    detail = officer.get(api(ga, f"/persons/{person.pk}"))
    assert person.nik not in detail.content.decode()
    assert audits("pdp.read", person.pk) == []
    shown = post(officer, api(ga, f"/persons/{person.pk}/personal-data"), {"purpose": "survei"})
    assert shown.status_code == 200
    assert shown.json()["nik"] == person.nik
    assert shown.json()["address"] == "Jl. Dago 10"
    (event,) = audits("pdp.read", person.pk)
    assert event.reason == "survei"


def test_registry_routes_need_the_registry_permission(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    assert problem_of(auditor.get(api(ga, "/persons")))["code"] == "permission_denied"
    refused = post(auditor, api(ga, f"/persons/{person.pk}/personal-data"), {})
    assert refused.status_code == 403
    client.logout()
    assert client.get(api(ga, "/persons")).status_code == 401


def test_adding_and_changing_a_person(client: Client, ga: RegionWorld) -> None:
    nik = make_nik(dt.date(1980, 2, 3), "L")
    officer = as_(client, ga, Role.OFFICER)
    body = {"nik": nik, "name": "Asep", "kelurahan_code": KELURAHAN_A, "welfare_decile": 3}
    added = post(officer, api(ga, "/persons"), body)
    assert added.status_code == 201
    assert added.json()["created"] is True
    assert added.json()["person"]["nik_masked"].endswith(nik[-4:])
    assert nik not in added.content.decode()
    person_id = added.json()["person"]["id"]
    again = post(officer, api(ga, "/persons"), {**body, "name": "Asep Sunandar"})
    assert (again.status_code, again.json()["created"]) == (200, False)
    changed = put(officer, api(ga, f"/persons/{person_id}"), {**body, "welfare_decile": 1})
    assert changed.status_code == 200
    assert Person.objects.get(region=ga.region, pk=person_id).welfare_decile == 1


def test_a_bad_person_is_refused_field_by_field_and_nothing_is_written(
    client: Client, ga: RegionWorld
) -> None:
    officer = as_(client, ga, Role.OFFICER)
    nik = make_nik(dt.date(1980, 2, 3), "L")
    body = {"nik": nik, "name": "Asep", "kk": "12", "kelurahan_code": "99.99"}
    response = post(officer, api(ga, "/persons"), body)
    problem = problem_of(response)
    assert (response.status_code, problem["code"]) == (422, "validation_error")
    assert set(problem["errors"]) == {"kk", "kelurahan_code"}
    assert not Person.objects.filter(region=ga.region).exists()
    taken = add_person(ga)
    other = add_person(ga)
    clash = put(officer, api(ga, f"/persons/{other.pk}"), {"nik": taken.nik, "name": "X"})
    assert (clash.status_code, problem_of(clash)["code"]) == (409, "bansos_nik_taken")


# Imports -----------------------------------------------------------------------------------


def start(client: Client, world: RegionWorld, capture: Any, mode: str) -> dict[str, Any]:
    upload = csv_file([row(1), row(2, nik="123"), row(3)])
    with capture(execute=True):
        response = client.post(
            api(world, "/imports"), {"file": upload, "source": "import", "mode": mode}
        )
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["status"] == "queued"  # the answer is written before the task runs
    return dict(client.get(api(world, f"/imports/{started['id']}")).json())


def test_an_all_or_nothing_import_fails_with_a_report(
    client: Client, ga: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    officer = as_(client, ga, Role.OFFICER)
    job = start(officer, ga, django_capture_on_commit_callbacks, "all")
    assert (job["status"], job["progress"], job["has_report"]) == ("failed", 100, True)
    assert (job["total_rows"], job["imported_rows"], job["error_rows"]) == (3, 0, 1)
    assert not Person.objects.filter(region=ga.region).exists()
    report = officer.get(api(ga, f"/imports/{job['id']}/report"))
    assert report.status_code == 200
    lines = b"".join(report.streaming_content).decode().splitlines()
    assert lines[0] == "row,column,value,message,kind"
    assert lines[1].startswith("3,nik,123,")
    assert len(audits("pdp.read", job["id"])) == 1


def test_a_valid_only_import_imports_the_rest(
    client: Client, ga: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    officer = as_(client, ga, Role.OFFICER)
    job = start(officer, ga, django_capture_on_commit_callbacks, "valid")
    assert (job["status"], job["imported_rows"], job["error_rows"]) == ("done", 2, 1)
    assert Person.objects.filter(region=ga.region).count() == 2
    listed = officer.get(api(ga, "/imports")).json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]


def test_a_running_import_reports_its_progress(client: Client, ga: RegionWorld) -> None:
    job = ImportJob.objects.create(
        region=ga.region,
        filename="besar.csv",
        source="import",
        status=ImportJob.Status.RUNNING,
        total_rows=1000,
        processed_rows=250,
    )
    data = as_(client, ga, Role.OFFICER).get(api(ga, f"/imports/{job.pk}")).json()
    assert (data["status"], data["progress"], data["has_report"]) == ("running", 25, False)
    no_report = client.get(api(ga, f"/imports/{job.pk}/report"))
    assert problem_of(no_report)["code"] == "not_found"


def test_a_file_that_is_no_list_is_refused(client: Client, ga: RegionWorld) -> None:
    officer = as_(client, ga, Role.OFFICER)
    binary = SimpleUploadedFile("daftar.csv", b"\x00\x01binary", "text/csv")
    response = officer.post(api(ga, "/imports"), {"file": binary, "mode": "all"})
    assert (response.status_code, problem_of(response)["code"]) == (400, "bansos_import_file")
    bad_mode = officer.post(api(ga, "/imports"), {"file": csv_file([row(1)]), "mode": "some"})
    assert bad_mode.status_code == 422
    assert not ImportJob.objects.filter(region=ga.region).exists()


# Programmes and cycles ---------------------------------------------------------------------


def test_a_programme_with_rules_is_created_by_the_admin_only(
    client: Client, ga: RegionWorld
) -> None:
    body = {
        "code": "sembako",
        "year": 2026,
        "name_id": "Sembako Daerah",
        "benefit_kind": "in_kind",
        "benefit_item": "Paket sembako",
        "cycles_per_year": 12,
        "eligibility": [{"field": "welfare_decile", "op": "lte", "value": 3}],
    }
    officer = as_(client, ga, Role.OFFICER)
    assert post(officer, api(ga, "/programmes"), body).status_code == 403
    admin = as_(client, ga, Role.REGION_ADMIN)
    created = post(admin, api(ga, "/programmes"), body)
    assert created.status_code == 201
    assert created.json()["eligibility"] == body["eligibility"]
    bad = {**body, "code": "lain", "eligibility": [{"field": "age", "op": "in", "value": 5}]}
    refused = post(admin, api(ga, "/programmes"), bad)
    assert refused.status_code == 422
    assert list(problem_of(refused)["errors"]) == ["eligibility"]
    assert BansosProgramme.objects.filter(region=ga.region).count() == 1


def test_a_cycle_through_the_api_with_four_eyes(client: Client, ga: RegionWorld) -> None:
    prog = programme(ga)
    old = add_person(ga, birth_date=dt.date(1950, 1, 1), name="Nenek Ijah")
    officer = as_(client, ga, Role.OFFICER)
    opened = post(
        officer,
        api(ga, f"/programmes/{prog.pk}/cycles"),
        {"period_start": "2026-01-01", "period_end": "2026-03-31"},
    )
    assert opened.status_code == 201
    cycle_id = opened.json()["id"]
    done = post(officer, api(ga, f"/cycles/{cycle_id}/compute"), {})
    assert done.status_code == 200
    assert (done.json()["listed"], Decimal(done.json()["total"])) == (1, Decimal("300000"))
    listed = officer.get(api(ga, f"/cycles/{cycle_id}/entitlements")).json()["items"]
    assert [(e["name"], e["nik_masked"]) for e in listed] == [("Nenek Ijah", old.nik_masked)]
    # the one who computed it may not approve it
    refused = post(officer, api(ga, f"/cycles/{cycle_id}/approve"), {})
    assert (refused.status_code, problem_of(refused)["code"]) == (
        403,
        "bansos_same_person_approves",
    )
    head = as_(client, ga, Role.UNIT_HEAD)
    assert post(head, api(ga, f"/cycles/{cycle_id}/approve"), {}).json()["state"] == "approved"


def test_handover_with_a_photo_once_then_close(client: Client, ga: RegionWorld) -> None:
    cycle, old = approved(ga)
    first = entitlement_of(cycle, old[0])
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(photo, "JPEG")
    form = {"paid_on": "2026-02-01", "channel": "post", "reference": "POS-9"}
    officer = as_(client, ga, Role.OFFICER)
    upload = SimpleUploadedFile("bukti.jpg", photo.getvalue(), "image/jpeg")
    done = officer.post(api(ga, f"/entitlements/{first.pk}/handover"), {**form, "photo": upload})
    assert done.status_code == 201, done.content
    assert done.json()["status"] == "disbursed"
    assert done.json()["handover"]["has_photo"] is True
    twice = officer.post(api(ga, f"/entitlements/{first.pk}/handover"), form)
    assert problem_of(twice)["code"] == "bansos_already_handed_over"
    unnoted = post(officer, api(ga, f"/cycles/{cycle.pk}/close"), {})
    assert problem_of(unnoted)["code"] == "bansos_entitlements_open"
    closed = post(officer, api(ga, f"/cycles/{cycle.pk}/close"), {"note": "Tidak ditemukan"})
    assert (closed.json()["state"], closed.json()["failed"]) == ("closed", 1)


def test_removal_needs_a_reason(client: Client, ga: RegionWorld) -> None:
    cycle, old = computed(ga)
    target = entitlement_of(cycle, old[0])
    officer = as_(client, ga, Role.OFFICER)
    blank = post(officer, api(ga, f"/entitlements/{target.pk}/remove"), {"reason": " "})
    assert problem_of(blank)["code"] == "validation_error"
    done = post(officer, api(ga, f"/entitlements/{target.pk}/remove"), {"reason": "Pindah"})
    assert (done.json()["status"], done.json()["note"]) == ("removed", "Pindah")


def test_another_regions_ids_are_404_problems(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    cycle, old = computed(gb)
    with region_scope(gb.region):
        target = entitlement_of(cycle, old[0])
        job = ImportJob.objects.create(region=gb.region, filename="b.csv", source="import")
    officer = as_(client, ga, Role.OFFICER)
    for path in (
        f"/persons/{old[0].pk}",
        f"/imports/{job.pk}",
        f"/imports/{job.pk}/report",
        f"/programmes/{cycle.programme_id}",
        f"/programmes/{cycle.programme_id}/cycles",
        f"/cycles/{cycle.pk}",
        f"/cycles/{cycle.pk}/entitlements",
    ):
        assert problem_of(officer.get(api(ga, path)))["code"] == "not_found", path
    for path, body in (
        (f"/persons/{old[0].pk}/personal-data", {}),
        (f"/cycles/{cycle.pk}/compute", {}),
        (f"/entitlements/{target.pk}/remove", {"reason": "x"}),
    ):
        assert post(officer, api(ga, path), body).status_code == 404, path
    with region_scope(gb.region):
        assert Entitlement.objects.get(pk=target.pk).status == "listed"
        assert Cycle.objects.get(pk=cycle.pk).state == "computed"
    assert audits("pdp.read", old[0].pk) == []


# Public ------------------------------------------------------------------------------------


def test_public_aggregates_and_names(client: Client, ga: RegionWorld, gb: RegionWorld) -> None:
    cycle, old = approved(ga)
    theirs, _ = approved(gb)
    by_cycle = client.get(api(ga, "/public/aggregates"), {"by": "cycle"}).json()
    assert [(r["programme"], r["cycle"], r["recipients"]) for r in by_cycle] == [
        ("Bantuan Lansia", 1, 2)
    ]
    assert Decimal(by_cycle[0]["total"]) == Decimal("600000")
    by_kelurahan = client.get(api(ga, "/public/aggregates"), {"by": "kelurahan"}).json()
    assert [r["kelurahan_code"] for r in by_kelurahan] == [KELURAHAN_A]
    hidden = client.get(api(ga, f"/public/cycles/{cycle.pk}/recipients")).json()
    assert hidden == {"published": False, "recipients": []}
    ModuleActivation.objects.filter(region=ga.region, module="grants").update(
        settings={"publish_bansos_names": True}
    )
    shown = client.get(api(ga, f"/public/cycles/{cycle.pk}/recipients"))
    assert {r["nik"] for r in shown.json()["recipients"]} == {"*" * 12 + p.nik[-4:] for p in old}
    assert old[0].nik not in shown.content.decode()
    foreign = client.get(api(ga, f"/public/cycles/{theirs.pk}/recipients"))
    assert problem_of(foreign)["code"] == "not_found"


def test_the_lookup_answers_only_yes_or_no(client: Client, ga: RegionWorld) -> None:
    _cycle, old = approved(ga)
    yes = post(client, api(ga, "/lookup"), {"nik": old[0].nik, "name": " LANSIA  1 "})
    assert yes.status_code == 200
    assert yes.json()["on_list"] is True
    assert [(e["programme"], e["cycle"]) for e in yes.json()["entries"]] == [("Bantuan Lansia", 1)]
    assert old[0].nik not in yes.content.decode()
    wrong = post(client, api(ga, "/lookup"), {"nik": old[0].nik, "name": "Lansia 2"})
    unknown = post(client, api(ga, "/lookup"), {"nik": make_nik(), "name": "Lansia 2"})
    assert wrong.json() == unknown.json() == {"on_list": False, "entries": []}


def test_the_lookup_is_limited_with_retry_after(
    client: Client, ga: RegionWorld, settings: Any
) -> None:
    settings.LUMBUNG_BANSOS_LOOKUP_LIMITS = {"address": "50/h", "nik": "2/h"}
    nik = make_nik()
    for name in ("A", "B"):
        assert post(client, api(ga, "/lookup"), {"nik": nik, "name": name}).status_code == 200
    limited = post(client, api(ga, "/lookup"), {"nik": nik, "name": "C"})
    assert (limited.status_code, problem_of(limited)["code"]) == (429, "bansos_lookup_limited")
    assert int(limited["Retry-After"]) > 0
