"""The permits API's public side and the report-only lane end to end: a small warung applies
by JSON, gets its receipt at once, and anyone verifies it; the catalogue, the KBLI search,
"what do I need", figures; another region's code is unknown; nothing personal is public."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client

from lumbung.core.models import User
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.testing.problems import problem_of

from .factories import NIK, NPWP, PHARMACY, WARUNG, PermitsWorld, issue

pytestmark = pytest.mark.django_db


class Api:
    """A client calling the permits API as one user (a bearer token), or anonymously."""

    def __init__(self, client: Client, pw: PermitsWorld, user: User | None = None) -> None:
        self.client, self.base = client, f"/api/v1/regions/{pw.region.slug}/permits"
        self.headers: dict[str, str] = {}
        if user is not None:
            _token, secret = token_issue(user=user, name="test")
            self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> HttpResponseBase:
        data = json.dumps(body if body is not None else {})
        return self.client.post(
            self.base + path, data, content_type="application/json", headers=self.headers, **kwargs
        )

    def form(self, path: str, fields: dict[str, Any]) -> HttpResponseBase:
        return self.client.post(self.base + path, fields, headers=self.headers)

    def send(self, method: str, path: str, body: Any) -> HttpResponseBase:
        call = getattr(self.client, method)
        return call(
            self.base + path, json.dumps(body), content_type="application/json",
            headers=self.headers,
        )  # fmt: skip


def as_(client: Client, pw: PermitsWorld, role: Role | None) -> Api:
    return Api(client, pw, pw.user(role) if role else None)


def warung_body(pw: PermitsWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "business_name": "Warung Nasi Bu Euis",
        "npwp": NPWP,
        "owner_name": "Euis Komariah",
        "owner_nik": NIK,
        "business_address": "Jl. Braga No. 10",
        "kelurahan_code": pw.kelurahan,
        "kbli": [WARUNG],
        "capital": "50000000",
    }
    body.update(overrides)
    return body


def code_of(permit: dict[str, Any]) -> str:
    return str(permit["verification_url"]).rstrip("/").rsplit("/", 1)[-1]


def test_report_only_lane_gets_its_receipt_at_once_and_verifies_valid(client, pworld_a):
    citizen = as_(client, pworld_a, Role.CITIZEN)
    response = citizen.post("/applications", warung_body(pworld_a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "registered"
    assert body["lane"] == "report_only"
    assert body["waiting_on"] == "nobody"
    assert body["permit"]["number"].startswith("REG-")
    assert body["permit"]["status"] == "valid"
    assert NIK not in response.content.decode()  # masked even for the applicant
    assert body["owner_nik_masked"].endswith(NIK[-4:])
    assert [s["action"] for s in body["timeline"]] == ["start", "register"]

    answer = as_(client, pworld_a, None).get("/verify", code=code_of(body["permit"]))
    assert answer.status_code == 200
    verified = answer.json()
    assert verified["status"] == "valid"
    assert verified["business_name"] == "Warung Nasi Bu Euis"
    assert verified["number"] == body["permit"]["number"]
    assert "Euis Komariah" not in answer.content.decode()
    assert NIK not in answer.content.decode()
    assert not {"owner_name", "owner_nik", "owner_nik_masked", "business_address"} & set(verified)

    pdf = citizen.get(f"/issued/{body['permit']['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_a_form_with_repeated_kbli_applies_as_json_does(client, pworld_a):
    body = warung_body(pworld_a, kbli=f"{WARUNG}")
    response = as_(client, pworld_a, Role.CITIZEN).form("/applications", body)
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "registered"


def test_another_regions_code_and_a_forged_code_are_unknown(client, pworld_a, pworld_b):
    theirs = issue(pworld_b)
    from ..documents import verification_url

    url = verification_url(pworld_b.region, theirs)
    code = url.rstrip("/").rsplit("/", 1)[-1]
    anyone_a, anyone_b = as_(client, pworld_a, None), as_(client, pworld_b, None)
    assert anyone_b.get("/verify", code=code).json()["status"] == "valid"
    foreign = anyone_a.get("/verify", code=code)
    assert foreign.status_code == 200
    assert foreign.json() == {
        "status": "unknown", "number": "", "business_name": "", "permit_type": "", "lane": "",
        "valid_from": None, "valid_until": None, "by_default": False,
    }  # fmt: skip
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert anyone_b.get("/verify", code=forged).json()["status"] == "unknown"


def test_catalogue_lists_types_with_requirements_fees_and_deadlines(client, pworld_a):
    response = as_(client, pworld_a, None).get("/types")
    assert response.status_code == 200
    (pharmacy,) = response.json()
    assert pharmacy["code"] == "apotek"
    assert pharmacy["fee_kind"] == "per_m2"
    assert Decimal(pharmacy["fee_rate"]) == Decimal("2500")
    assert pharmacy["validity_months"] == 60
    assert [(r["code"], r["mandatory"]) for r in pharmacy["requirements"]] == [
        ("denah", True), ("ktp", True), ("foto", False),
    ]  # fmt: skip
    assert pharmacy["sla_working_days"]["document_check"] == 2


def test_kbli_search_by_code_and_title(client, pworld_a):
    anyone = as_(client, pworld_a, None)
    by_code = anyone.get("/kbli", q="4772").json()["items"]
    assert [k["code"] for k in by_code] == [PHARMACY]
    assert by_code[0]["permit_type"] == "apotek"
    assert set(by_code[0]["risk"]) == {"micro", "small", "medium", "large"}
    assert anyone.get("/kbli").json()["count"] >= 20


def test_plan_says_lane_and_documents_before_applying(client, pworld_a):
    anyone = as_(client, pworld_a, None)
    small = anyone.get("/plan", kbli=[WARUNG], capital="50000000").json()
    assert (small["lane"], small["instant"], small["scale"]) == ("report_only", True, "micro")
    assert small["requirements"] == []
    assert small["permit_type"] is None
    pharmacy = anyone.get("/plan", kbli=[WARUNG, PHARMACY], capital="300000000").json()
    assert pharmacy["lane"] == "permit"
    assert not pharmacy["instant"]
    assert pharmacy["permit_type"]["code"] == "apotek"
    assert [r["code"] for r in pharmacy["requirements"]] == ["denah", "ktp", "foto"]


def test_plan_refusals(client, pworld_a):
    anyone = as_(client, pworld_a, None)
    unknown = anyone.get("/plan", kbli=["99999"], capital="1000")
    assert unknown.status_code == 422
    assert problem_of(unknown)["code"] == "permits_kbli_unknown"
    not_a_number = anyone.get("/plan", kbli=[WARUNG], capital="banyak")
    assert not_a_number.status_code == 422
    assert "capital" in problem_of(not_a_number)["errors"]


def test_stats_count_per_type_and_lane_without_personal_data(client, pworld_a):
    citizen = as_(client, pworld_a, Role.CITIZEN)
    assert citizen.post("/applications", warung_body(pworld_a)).status_code == 201
    issue(pworld_a)
    response = as_(client, pworld_a, None).get("/stats")
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.json()}
    assert rows["apotek"]["issued"] == 1
    assert rows["apotek"]["applications"] == 1
    assert rows["apotek"]["unit"] == pworld_a.world.unit.name
    assert rows["report_only"]["issued"] == 1
    assert "Euis" not in response.content.decode()


def test_applying_needs_a_sign_in(client, pworld_a):
    response = as_(client, pworld_a, None).post("/applications", warung_body(pworld_a))
    assert response.status_code == 401
    assert problem_of(response)["code"] == "unauthenticated"


def test_a_json_float_is_not_money(client, pworld_a):
    body = warung_body(pworld_a, capital=50000000.5)
    response = as_(client, pworld_a, Role.CITIZEN).post("/applications", body)
    assert response.status_code == 422
    assert "capital" in problem_of(response)["errors"]


def test_documents_go_as_documents_dot_code(client, pworld_a):
    fields = {**warung_body(pworld_a), "ktp": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")}
    response = as_(client, pworld_a, Role.CITIZEN).form("/applications", fields)
    assert response.status_code == 422
    assert "ktp" in problem_of(response)["errors"]
