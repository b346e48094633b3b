"""The allowance API: formulas, imports (a refused file as problem details), months
(compute, close, results, payroll CSV/XLSX with its audit event), a person's explained TPP
only for those who may see pay data, corrections, and another region's ids as 404s."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client
from openpyxl import load_workbook

from lumbung.core.models import AuditEvent, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import Period
from .factories import NIPS, PerfWorld, entry_make

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)


class Api:
    def __init__(self, client: Client, perf: PerfWorld, user: User) -> None:
        self.client = client
        self.base = f"/api/v1/regions/{perf.region.slug}/performance"
        _token, secret = token_issue(user=user, name="test")
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def post(self, path: str, body: Any = None) -> HttpResponseBase:
        return self.client.post(self.base + path, json.dumps(body or {}),
                                content_type="application/json", headers=self.headers)  # fmt: skip

    def upload(self, kind: str, text: str) -> HttpResponseBase:
        file = io.BytesIO(text.encode())
        file.name = "absen.csv"
        return self.client.post(self.base + "/attendance/imports", {"kind": kind, "file": file},
                                headers=self.headers)  # fmt: skip


def payroll(perf: PerfWorld) -> User:
    return perf.world.users[Role.PAYROLL]


def computed_march(client: Client, perf: PerfWorld) -> int:
    with region_scope(perf.region):
        entry_make(perf, "staff", day=MON, quantity=100, state="approved")
    answer = Api(client, perf, payroll(perf)).post("/months", {"year": 2026, "month": 3})
    assert answer.status_code == 200, answer.content
    return int(json.loads(answer.content)["id"])


def test_formulas_are_listed_and_added_by_payroll_only(client: Client, perf_a: PerfWorld) -> None:
    api = Api(client, perf_a, payroll(perf_a))
    body = {"name": "KBB", "kind": "weighted", "effective_from": "2026-04-01",
            "performance_weight": "60", "attendance_weight": 40,
            "late_bands": [[1, 30, "0.5"], [31, None, "1"]], "absence_percent": "3"}  # fmt: skip
    created = api.post("/formulas", body)
    assert created.status_code == 201
    assert json.loads(created.content)["late_bands"][1] == [31, None, "1"]
    assert len(json.loads(api.get("/formulas").content)) == 2
    bad = api.post("/formulas", {**body, "effective_from": "2026-05-01", "attendance_weight": 10})
    assert bad.status_code == 422
    assert problem_of(bad)["code"] == "performance_formula_invalid"
    floats = api.post("/formulas", {**body, "effective_from": "2026-05-01", "absence_percent": 2.5})
    assert floats.status_code == 422
    officer = Api(client, perf_a, perf_a.user("staff")).get("/formulas")
    assert officer.status_code == 403


def test_an_import_is_written_or_refused_with_every_row(client: Client, perf_a: PerfWorld) -> None:
    api = Api(client, perf_a, payroll(perf_a))
    good = api.upload(
        "attendance", f"nip,date,check_in,check_out\n{NIPS['staff']},2026-03-02,07:50,16:00\n"
    )
    assert good.status_code == 201
    assert json.loads(good.content)["rows_imported"] == 1
    bad = api.upload("attendance", "nip,date,check_in,check_out\n123,2026-03-02,07:50,16:00\n")
    assert bad.status_code == 422
    problem = problem_of(bad)
    assert problem["code"] == "performance_import_failed"
    assert "row 2.nip" in problem["errors"]
    runs = json.loads(api.get("/attendance/imports").content)["items"]
    assert [r["succeeded"] for r in runs] == [False, True]
    one = json.loads(api.get(f"/attendance/imports/{runs[0]['id']}").content)
    assert one["errors"][0]["field"] == "nip"
    mine = Api(client, perf_a, perf_a.user("staff")).get("/attendance/me", year=2026, month=3)
    assert json.loads(mine.content)[0]["late_minutes"] == 20


def test_a_month_is_computed_closed_and_exported(client: Client, perf_a: PerfWorld) -> None:
    period_id = computed_march(client, perf_a)
    api = Api(client, perf_a, payroll(perf_a))
    listed = json.loads(api.get("/months").content)["items"]
    assert listed[0]["people"] == 5
    assert listed[0]["cutoff"] == "2026-04-05"
    results = json.loads(
        api.get(f"/months/{period_id}/results", unit_id=perf_a.world.unit.pk).content
    )
    assert {r["name"][:5] for r in results["items"]} == {"Head ", "Kabid", "Staff", "Peer "}
    staff = next(r for r in results["items"] if r["nip"] == NIPS["staff"])
    assert staff["amount"] == "2250000.00"
    closed = api.post(f"/months/{period_id}/close")
    assert closed.status_code == 200
    assert json.loads(closed.content)["state"] == "closed"
    again = api.post(f"/months/{period_id}/close")
    assert problem_of(again)["code"] == "performance_month_closed"
    csv_file = api.get(f"/months/{period_id}/payroll", unit_id=perf_a.world.unit.pk)
    assert csv_file["Content-Type"].startswith("text/csv")
    assert NIPS["staff"] in csv_file.content.decode()
    assert NIPS["outsider"] not in csv_file.content.decode()
    xlsx = api.get(f"/months/{period_id}/payroll", format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet.max_row == 6  # the header and five people
    with region_scope(perf_a.region):
        exports = AuditEvent.objects.filter(
            region=perf_a.region, action="performance.payroll_export"
        )
        assert exports.count() == 2


def test_pay_data_answers_only_those_who_may_see_it(client: Client, perf_a: PerfWorld) -> None:
    period_id = computed_march(client, perf_a)
    staff = perf_a.people["staff"].pk
    march = {"year": 2026, "month": 3}
    mine = Api(client, perf_a, perf_a.user("staff")).get("/tpp/me", **march)
    assert json.loads(mine.content)["approved_minutes"] == 3000
    assert json.loads(mine.content)["entries"][0]["outcome"] == "approved"
    for who, status in (("staff", 200), ("kabid", 200), ("head", 200), ("peer", 404),
                        ("outsider", 404)):  # fmt: skip
        answer = Api(client, perf_a, perf_a.user(who)).get(f"/tpp/{staff}", **march)
        assert answer.status_code == status, who
    assert Api(client, perf_a, perf_a.auditor).get(f"/tpp/{staff}", **march).status_code == 200
    officer = Api(client, perf_a, perf_a.user("peer")).get(f"/months/{period_id}/results")
    assert officer.status_code == 403


def test_corrections_through_the_api(client: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        entry = entry_make(perf_a, "staff", day=MON, quantity=100, state="approved")
    api = Api(client, perf_a, payroll(perf_a))
    missing_reason = api.post(f"/corrections/entries/{entry.pk}", {"approve": False})
    assert missing_reason.status_code == 422
    made = api.post(f"/corrections/entries/{entry.pk}", {"approve": False, "reason": "Ganda"})
    assert made.status_code == 201
    assert json.loads(made.content)["changes"]["approved_minutes"] == [3000, 0]
    staff = perf_a.people["staff"].pk
    day = api.post(f"/corrections/attendance/{staff}",
                   {"work_date": "2026-03-02", "kind": "present", "check_in": "08:00",
                    "reason": "Mesin rusak"})  # fmt: skip
    assert day.status_code == 201
    assert json.loads(day.content)["changes"]["late_minutes"] == [None, 30]
    officer = Api(client, perf_a, perf_a.user("kabid"))
    assert (
        officer.post(
            f"/corrections/entries/{entry.pk}", {"approve": True, "reason": "x"}
        ).status_code
        == 403
    )


def test_another_regions_objects_are_not_found(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    theirs = computed_march(client, perf_b)
    with region_scope(perf_b.region):
        their_entry = entry_make(perf_b, "staff", day=MON, state="approved")
        Period.objects.filter(pk=theirs).update(state="open")
    api = Api(client, perf_a, payroll(perf_a))
    for path in (f"/months/{theirs}/results", f"/months/{theirs}/payroll",
                 f"/tpp/{perf_b.people['staff'].pk}?year=2026&month=3"):  # fmt: skip
        assert api.get(path).status_code == 404, path
    assert api.post(f"/months/{theirs}/close").status_code == 404
    wrong = api.post(f"/corrections/entries/{their_entry.pk}", {"approve": False, "reason": "x"})
    assert problem_of(wrong)["code"] == "not_found"
    with region_scope(perf_b.region):
        assert Period.objects.get(pk=theirs).state == "open"
    assert json.loads(api.get("/months").content)["items"] == []
