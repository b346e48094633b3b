"""The performance API answers as its OpenAPI document says. One test per failure that the
schemathesis run (lumbung/api/tests/test_schema.py) found once the module was on in its
world, each response checked against the served document by schemathesis' own validation:
documented status, content type and body schema, formats included."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import requests
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseBase
from django.test import Client

from lumbung.api.api import api
from lumbung.core.models import User
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..allowance.attendance import attendance_import
from ..models import ImportKind
from ..registry.imports import staff_import
from .factories import NIPS, PerfWorld, entry_make

pytestmark = pytest.mark.django_db
BASE = "/api/v1/regions/{region_slug}/performance"
MON = dt.date(2026, 3, 2)
DOCUMENT = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
)


class Api:
    def __init__(self, client: Client, perf: PerfWorld, user: User) -> None:
        self.client = client
        self.base = f"/api/v1/regions/{perf.region.slug}/performance"
        _token, secret = token_issue(user=user, name="test")
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def post(self, path: str, body: Any) -> HttpResponseBase:
        return self.client.post(self.base + path, json.dumps(body),
                                content_type="application/json", headers=self.headers)  # fmt: skip


def conforms(answer: HttpResponseBase, method: str, template: str) -> None:
    """Fail unless the answer is one the document describes for the operation."""
    request = requests.Request(method, f"http://testserver{template}").prepare()
    response = schemathesis.Response(
        status_code=answer.status_code,
        headers={name.lower(): [value] for name, value in answer.headers.items()},
        content=answer.content,
        request=request,
        elapsed=0.0,
        verify=False,
    )
    DOCUMENT[BASE + template][method].validate_response(response)


def attendance_of(perf: PerfWorld, text: str) -> None:
    with region_scope(perf.region):
        attendance_import(region=perf.region, actor=None, kind=ImportKind.ATTENDANCE,
                          filename="absen.csv", data=text.encode())  # fmt: skip


# Wall-clock times: JSON Schema's "time" format is RFC 3339's, with an offset. -------------


def test_the_review_queue_sends_its_times_as_documented(client: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=MON, start=dt.time(8), end=dt.time(9, 15))
    answer = Api(client, perf_a, perf_a.user("kabid")).get("/approvals")
    assert answer.status_code == 200
    conforms(answer, "GET", "/approvals")
    item = json.loads(answer.content)["items"][0]
    assert (item["start_time"], item["end_time"]) == ("08:00", "09:15")


def test_a_persons_month_sends_its_times_as_documented(client: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=MON, start=dt.time(8), end=dt.time(9, 15))
    staff = perf_a.people["staff"].pk
    answer = Api(client, perf_a, perf_a.admin).get(f"/dashboard/people/{staff}", month="2026-03")
    assert answer.status_code == 200
    conforms(answer, "GET", "/dashboard/people/{employee_id}")
    entry = json.loads(answer.content)["entries"][0]
    assert (entry["start"], entry["end"]) == ("08:00", "09:15")


def test_attendance_days_send_their_times_as_documented(client: Client, perf_a: PerfWorld) -> None:
    attendance_of(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},{MON},07:31:20,16:00\n")
    api = Api(client, perf_a, perf_a.user("staff"))
    days = api.get("/attendance/me", year=2026, month=3)
    assert days.status_code == 200
    conforms(days, "GET", "/attendance/me")
    assert json.loads(days.content)[0]["check_in"] == "07:31:20"
    explained = api.get("/tpp/me", year=2026, month=3)
    assert explained.status_code == 200
    conforms(explained, "GET", "/tpp/me")
    day = next(d for d in json.loads(explained.content)["days"] if d["work_date"] == str(MON))
    assert (day["check_in"], day["check_out"]) == ("07:31:20", "16:00:00")


@pytest.mark.parametrize("moment", ["08:00:00+01:00", "08:00Z", "08:00:00.5"])
def test_a_correction_time_with_an_offset_or_a_fraction_is_refused(
    client: Client, perf_a: PerfWorld, moment: str
) -> None:
    """An offset made an aware time, which the attendance table cannot hold (a 500)."""
    staff = perf_a.people["staff"].pk
    body = {"work_date": str(MON), "kind": "present", "check_in": moment,
            "check_out": "16:00", "reason": "Mesin absen rusak"}  # fmt: skip
    answer = Api(client, perf_a, perf_a.admin).post(f"/corrections/attendance/{staff}", body)
    assert answer.status_code == 422
    conforms(answer, "POST", "/corrections/attendance/{employee_id}")
    assert "check_in" in problem_of(answer)["errors"]


def test_a_correction_takes_a_local_time_and_counts_it(client: Client, perf_a: PerfWorld) -> None:
    staff = perf_a.people["staff"].pk
    body = {"work_date": str(MON), "kind": "present", "check_in": "07:45",
            "check_out": "16:00:00", "reason": "Mesin absen rusak"}  # fmt: skip
    api = Api(client, perf_a, perf_a.admin)
    answer = api.post(f"/corrections/attendance/{staff}", body)
    assert answer.status_code == 201, answer.content
    conforms(answer, "POST", "/corrections/attendance/{employee_id}")
    days = Api(client, perf_a, perf_a.user("staff")).get("/attendance/me", year=2026, month=3)
    assert json.loads(days.content)[0]["check_in"] == "07:45:00"


# The attendance imports are not the registry's. -------------------------------------------


def test_attendance_imports_do_not_include_the_registrys(client: Client, perf_a: PerfWorld) -> None:
    """Payroll staff read attendance imports, not the registry's (the administrator's)."""
    attendance_of(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},{MON},07:30,16:00\n")
    with region_scope(perf_a.region):
        registry_run = staff_import(
            region=perf_a.region, actor=perf_a.admin, file=io.BytesIO(b"nip,name\n1,X\n"),
            filename="staff.csv",
        )  # fmt: skip
    api = Api(client, perf_a, perf_a.admin)
    listed = api.get("/attendance/imports")
    assert listed.status_code == 200
    assert [run["kind"] for run in json.loads(listed.content)["items"]] == ["attendance"]
    assert api.get(f"/attendance/imports/{registry_run.pk}").status_code == 404
    assert api.get(f"/staff/imports/{registry_run.pk}").status_code == 200


# The payroll export says what it sends. ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_payroll_export_is_documented_with_its_content_type(
    client: Client, perf_a: PerfWorld, fmt: str
) -> None:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=MON, state="approved")
    api = Api(client, perf_a, perf_a.admin)
    period = json.loads(api.post("/months", {"year": 2026, "month": 3}).content)["id"]
    answer = api.get(f"/months/{period}/payroll", format=fmt)
    assert answer.status_code == 200
    conforms(answer, "GET", "/months/{period_id}/payroll")
    documented = DOCUMENT.raw_schema["paths"][BASE + "/months/{period_id}/payroll"]["get"]
    assert answer["Content-Type"].split(";")[0] in documented["responses"]["200"]["content"]
