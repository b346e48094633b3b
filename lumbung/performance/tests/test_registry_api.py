"""The staff registry through its API and pages: register, move with an effective date, end,
the audited NIK, imports with their report, TPP bases; problems with field errors; who may
read and write; another region's ids are a 404."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lumbung.core.models import AuditEvent, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import Employee
from .factories import NIPS, PerfWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    """Pages and messages in English (Indonesian is the default)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


NIP, NIK = "199105052015031007", "3273014505910002"


class Api:
    def __init__(self, client: Client, perf: PerfWorld, user: User) -> None:
        self.client, self.base = client, f"/api/v1/regions/{perf.region.slug}/performance"
        _token, secret = token_issue(user=user, name="test")
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> HttpResponseBase:
        call = getattr(self.client, method)
        return call(
            self.base + path,
            json.dumps(body),
            content_type="application/json",
            headers=self.headers,
        )

    def upload(self, path: str, text: str) -> HttpResponseBase:
        file = SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")
        return self.client.post(self.base + path, {"file": file}, headers=self.headers)


def body(perf: PerfWorld, **overrides: Any) -> dict[str, Any]:
    data = {
        "nip": NIP,
        "name": "Rina Marlina",
        "unit_id": perf.world.unit.pk,
        "position": "Pranata",
        "job_grade": 6,
        "employment_type": "pns",
        "supervisor_id": perf.people["kabid"].pk,
        "active_from": "2021-01-04",
        "nik": NIK,
    }
    return {**data, **overrides}


def test_register_move_and_end_through_the_api(client, perf_a):
    admin = Api(client, perf_a, perf_a.admin)
    created = admin.send("post", "/staff", body(perf_a))
    assert created.status_code == 201, created.content
    person = created.json()
    assert NIK not in created.content.decode()
    assert person["nik_masked"].endswith(NIK[-4:])
    moved = admin.send(
        "patch", f"/staff/{person['id']}", {"job_grade": 7, "effective_date": "2024-02-01"}
    )
    assert moved.status_code == 200, moved.content
    assert [(p["valid_from"], p["job_grade"]) for p in moved.json()["postings"]] == [
        ("2024-02-01", 7),
        ("2021-01-04", 6),
    ]
    removed = admin.send(
        "patch", f"/staff/{person['id']}", {"supervisor_id": None, "effective_date": "2024-03-01"}
    )
    assert removed.json()["supervisor_id"] is None
    ended = admin.send("post", f"/staff/{person['id']}/end", {"active_to": "2024-03-31"})
    assert ended.status_code == 200, ended.content
    assert ended.json()["active_to"] == "2024-03-31"
    assert admin.get("/staff", q="Rina").json()["count"] == 0
    assert admin.get("/staff", q="Rina", status="ended").json()["count"] == 1


def test_bad_input_is_a_problem_with_field_errors(client, perf_a):
    admin = Api(client, perf_a, perf_a.admin)
    bad = admin.send("post", "/staff", body(perf_a, nip="199105052015031000", job_grade=20))
    assert bad.status_code == 422
    problem = problem_of(bad)
    assert problem["code"] == "performance_nip_invalid"
    assert set(problem["errors"]) == {"nip", "job_grade"}
    cycle = admin.send(
        "patch", f"/staff/{perf_a.people['head'].pk}", {"supervisor_id": perf_a.people["staff"].pk}
    )
    assert cycle.status_code == 409
    assert problem_of(cycle)["code"] == "performance_supervisor_cycle"
    null = admin.send("patch", f"/staff/{perf_a.people['staff'].pk}", {"name": None})
    assert null.status_code == 422
    assert set(problem_of(null)["errors"]) == {"name"}


def test_another_regions_people_units_and_supervisors_are_not_found(client, perf_a, perf_b):
    admin = Api(client, perf_a, perf_a.admin)
    foreign = perf_b.people["staff"].pk
    assert admin.get(f"/staff/{foreign}").status_code == 404
    assert admin.send("patch", f"/staff/{foreign}", {"position": "X"}).status_code == 404
    assert (
        admin.send("post", "/staff", body(perf_a, unit_id=perf_b.world.unit.pk)).status_code == 404
    )
    sup = admin.send(
        "patch", f"/staff/{perf_a.people['staff'].pk}", {"supervisor_id": perf_b.people["head"].pk}
    )
    assert problem_of(sup)["code"] == "not_found"
    names = {p["name"] for p in admin.get("/staff", status="all").json()["items"]}
    assert names == {p.name for p in perf_a.people.values()}


def test_the_full_nik_is_for_the_keeper_and_every_read_is_audited(client, perf_a):
    admin = Api(client, perf_a, perf_a.admin)
    person = admin.send("post", "/staff", body(perf_a)).json()
    shown = admin.send("post", f"/staff/{person['id']}/personal-data", {"purpose": "Cek bansos"})
    assert shown.json()["nik"] == NIK
    with region_scope(perf_a.region):
        assert AuditEvent.objects.filter(region=perf_a.region, action="pdp.read").count() == 1
    head = Api(client, perf_a, perf_a.world.users[Role.UNIT_HEAD])
    denied = head.send("post", f"/staff/{person['id']}/personal-data", {"purpose": "Cek"})
    assert denied.status_code == 403


def test_a_unit_head_reads_their_unit_only_and_writes_nothing(client, perf_a):
    head = Api(client, perf_a, perf_a.world.users[Role.UNIT_HEAD])
    names = {p["name"] for p in head.get("/staff").json()["items"]}
    assert perf_a.people["staff"].name in names
    assert perf_a.people["outsider"].name not in names
    assert head.get(f"/staff/{perf_a.people['outsider'].pk}").status_code == 404
    assert head.send("post", "/staff", body(perf_a)).status_code == 403
    officer = Api(client, perf_a, perf_a.world.users[Role.OFFICER])
    assert officer.get("/staff").status_code == 403


def test_import_and_its_report_through_the_api(client, perf_a):
    admin = Api(client, perf_a, perf_a.admin)
    text = (
        "nip,name,unit_code,position,job_grade,employment_type,active_from\n"
        f"{NIP},Rina,NOPE,Analis,7,PNS,2021-01-04\n"
    )
    failed = admin.upload("/staff/imports", text)
    assert failed.status_code == 201
    run = failed.json()
    assert run["succeeded"] is False
    assert run["errors"][0] | {"message": ""} == {"row": 2, "column": "unit_code", "message": ""}
    report = admin.get(f"/staff/imports/{run['id']}/errors")
    assert report["Content-Type"].startswith("text/csv")
    assert b"2,unit_code" in report.content
    ok = admin.upload("/staff/imports", text.replace("NOPE", "DINSOS")).json()
    assert ok["succeeded"] is True
    assert [r["id"] for r in admin.get("/staff/imports").json()["items"]] == [ok["id"], run["id"]]


def test_tpp_bases_through_the_api(client, perf_a):
    admin = Api(client, perf_a, perf_a.admin)
    added = admin.send(
        "post",
        "/tpp-bases",
        {"job_grade": 9, "amount": "6250000.00", "effective_from": "2025-01-01"},
    )
    assert added.status_code == 201, added.content
    assert added.json()["amount"] == "6250000.00"
    again = admin.send(
        "post", "/tpp-bases", {"job_grade": 9, "amount": "1", "effective_from": "2025-01-01"}
    )
    assert problem_of(again)["code"] == "performance_tpp_base_exists"
    grades = [b["job_grade"] for b in admin.get("/tpp-bases").json()["items"]]
    assert grades == [7, 9, 11, 14]


# Pages -------------------------------------------------------------------------------------


def page(perf: PerfWorld, name: str, *args: Any) -> str:
    return reverse(f"core:performance:{name}", args=[perf.region.slug, *args])


def test_the_pages_register_move_and_show_the_history(client, perf_a, english):
    client.force_login(perf_a.admin)
    form = {
        "nip": NIP,
        "name": "Rina Marlina",
        "employment_type": "pns",
        "unit": perf_a.world.unit.pk,
        "position": "Pranata",
        "job_grade": 6,
        "supervisor": NIPS["kabid"],
        "active_from": "2021-01-04",
        "nik": NIK,
    }
    created = client.post(page(perf_a, "person_new"), form)
    assert created.status_code == 302
    with region_scope(perf_a.region):
        person = Employee.objects.get(region=perf_a.region, nip=NIP)
    moved = client.post(
        page(perf_a, "person_move", person.pk),
        {
            "unit": perf_a.world.other_unit.pk,
            "position": "Analis",
            "job_grade": 7,
            "supervisor": "",
            "effective_date": "2024-02-01",
        },
    )
    assert moved.status_code == 302
    shown = client.get(page(perf_a, "person", person.pk)).content.decode()
    assert "Dinas Sosial" in shown
    assert "Pranata" in shown  # the earlier posting
    assert NIK not in shown
    revealed = client.post(page(perf_a, "person_nik", person.pk), {"purpose": "Cek bansos"})
    assert NIK in revealed.content.decode()
    listed = client.get(page(perf_a, "staff"), {"q": "Rina"}).content.decode()
    assert "Rina Marlina" in listed


def test_a_page_form_shows_the_services_field_errors(client, perf_a, english):
    client.force_login(perf_a.admin)
    head = perf_a.people["head"]
    response = client.post(
        page(perf_a, "person_move", head.pk),
        {
            "unit": head.unit_id,
            "position": head.position,
            "job_grade": 14,
            "supervisor": NIPS["staff"],
            "effective_date": "2024-02-01",
        },
    )
    assert response.status_code == 422
    assert "cycle" in response.content.decode()
    unknown = client.post(
        page(perf_a, "person_move", head.pk),
        {
            "unit": head.unit_id,
            "position": head.position,
            "job_grade": 14,
            "supervisor": "199912312020121999",
            "effective_date": "2024-02-01",
        },
    )
    assert "No person in the registry has this NIP." in unknown.content.decode()


def test_the_import_and_tpp_pages(client, perf_a, english):
    client.force_login(perf_a.admin)
    text = (
        "nip,name,unit_code,position,job_grade,employment_type,active_from\n"
        f"{NIP},Rina,NOPE,Analis,7,PNS,2021-01-04\n"
    )
    upload = SimpleUploadedFile("staff.csv", text.encode(), content_type="text/csv")
    done = client.post(page(perf_a, "staff_import"), {"file": upload}, follow=True)
    assert "Nothing was imported" in done.content.decode()
    assert "No unit has the code NOPE." in done.content.decode()
    added = client.post(
        page(perf_a, "tpp_bases"),
        {"job_grade": 9, "amount": "6250000", "effective_from": "2025-01-01"},
    )
    assert added.status_code == 302
    assert "6.250.000" in client.get(page(perf_a, "tpp_bases")).content.decode()


def test_a_unit_head_reads_the_pages_but_not_the_forms(client, perf_a):
    client.force_login(perf_a.world.users[Role.UNIT_HEAD])
    assert client.get(page(perf_a, "staff")).status_code == 200
    assert client.get(page(perf_a, "person", perf_a.people["staff"].pk)).status_code == 200
    assert client.get(page(perf_a, "person", perf_a.people["outsider"].pk)).status_code == 404
    assert client.get(page(perf_a, "person_new")).status_code == 403
    assert client.get(page(perf_a, "staff_import")).status_code == 403
