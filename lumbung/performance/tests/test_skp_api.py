"""The SKP API: a person makes and rewrites their plan, proposes it; the appraiser agrees,
returns and evaluates; targets and minutes are exact; bad input is a problem naming the
rule and the field, and writes nothing; who may not read a plan, and another region's plan,
get a 404."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client

from lumbung.core.models import AuditEvent, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of

from ..models import SkpEvaluation, SkpPlan, SkpResult
from ..selectors import region_today
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client: Client, perf: PerfWorld, user: User) -> None:
        self.client = client
        self.base = f"/api/v1/regions/{perf.region.slug}/performance/skp/plans"
        _token, secret = token_issue(user=user, name="test")
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str = "", **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> HttpResponseBase:
        call = getattr(self.client, method)
        data = json.dumps(body if body is not None else {})
        return call(self.base + path, data, content_type="application/json", headers=self.headers)

    def post(self, path: str, body: Any = None) -> HttpResponseBase:
        return self.send("post", path, body)


def problem(response: HttpResponseBase, status: int, code: str) -> dict[str, Any]:
    """The problem document, after checking its status and the rule's code."""
    body = problem_of(response)
    assert (body["status"], body["code"]) == (status, code), body
    return body


def last_year(perf: PerfWorld) -> int:
    return region_today(perf.region).year - 1


def result(perf: PerfWorld, kind: str = "main", text: str = "Izin terbit tepat waktu") -> dict:
    return {
        "kind": kind,
        "text": text,
        "indicators": [
            {"text": "Izin dalam SLA", "target": "95.5", "target_unit": "%"},
            {"text": "Laporan", "target": 4, "target_unit": "laporan"},
        ],
        "activities": [perf.activities["letter"].pk],
    }


def made(perf: PerfWorld, who: str = "staff") -> dict:
    answer = Api(Client(), perf, perf.user(who)).post(
        "", {"year": last_year(perf), "results": [result(perf)]}
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def agreed(perf: PerfWorld, who: str = "staff") -> dict:
    plan = made(perf, who)
    assert Api(Client(), perf, perf.user(who)).post(f"/{plan['id']}/propose").status_code == 200
    boss = perf.people[who].supervisor
    assert boss is not None
    assert boss.user is not None
    done = Api(Client(), perf, boss.user).post(f"/{plan['id']}/agree")
    assert done.status_code == 200, done.content
    return done.json()


def test_a_person_makes_a_plan_with_exact_targets(client: Client, perf_a: PerfWorld) -> None:
    plan = made(perf_a)
    assert (plan["state"], plan["year"], plan["employee"]["id"]) == (
        "draft",
        last_year(perf_a),
        perf_a.people["staff"].pk,
    )
    assert plan["appraiser"]["id"] == perf_a.people["kabid"].pk
    [res] = plan["results"]
    assert [(i["target"], i["target_unit"]) for i in res["indicators"]] == [
        ("95.50", "%"),
        ("4.00", "laporan"),
    ]
    assert res["activities"] == [
        {"id": perf_a.activities["letter"].pk, "name": "Menyusun konsep surat dinas"}
    ]
    assert (plan["evaluations"], plan["predicate"]) == ([], None)
    mine = Api(client, perf_a, perf_a.user("staff")).get(scope="mine")
    assert [p["id"] for p in mine.json()["items"]] == [plan["id"]]


def test_the_plan_is_rewritten_whole_or_not_at_all(client: Client, perf_a: PerfWorld) -> None:
    plan = made(perf_a)
    api = Api(client, perf_a, perf_a.user("staff"))
    bad = api.send(
        "put",
        f"/{plan['id']}",
        {"results": [result(perf_a, "main", "Satu"), result(perf_a, "additional", "  ")]},
    )
    refused = problem(bad, 422, "validation_error")
    assert list(refused["errors"]) == ["results.1.text"]
    floats = api.send(
        "put",
        f"/{plan['id']}",
        {
            "results": [
                {**result(perf_a), "indicators": [{"text": "x", "target": 0.1, "target_unit": "%"}]}
            ]
        },
    )
    assert "results.0.indicators.0.target" in problem(floats, 422, "validation_error")["errors"]
    with region_scope(perf_a.region):
        assert list(SkpResult.objects.values_list("text", flat=True)) == ["Izin terbit tepat waktu"]
    good = api.send(
        "put",
        f"/{plan['id']}",
        {"results": [result(perf_a, "main", "Satu"), result(perf_a, "additional", "Dua")]},
    )
    assert good.status_code == 200
    assert [(r["kind"], r["text"]) for r in good.json()["results"]] == [
        ("additional", "Dua"),
        ("main", "Satu"),
    ]


def test_an_activity_the_person_may_not_log_is_refused_by_its_rule(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    foreign = perf_b.activities["letter"].pk
    answer = Api(client, perf_a, perf_a.user("staff")).post(
        "", {"year": last_year(perf_a), "results": [{**result(perf_a), "activities": [foreign]}]}
    )
    refused = problem(answer, 422, "performance_skp_activity_not_usable")
    assert list(refused["errors"]) == ["results.0.activities"]
    with region_scope(perf_a.region):
        assert not SkpPlan.objects.exists()  # the plan was not made without its results


def test_propose_agree_then_evaluate(client: Client, perf_a: PerfWorld) -> None:
    plan = made(perf_a)
    staff, kabid = (
        Api(client, perf_a, perf_a.user("staff")),
        Api(client, perf_a, perf_a.user("kabid")),
    )
    proposed = staff.post(f"/{plan['id']}/propose")
    assert (proposed.status_code, proposed.json()["state"]) == (200, "proposed")
    assert proposed.json()["due_at"] is not None
    waiting = kabid.get(scope="to_agree")
    assert [p["id"] for p in waiting.json()["items"]] == [plan["id"]]
    assert staff.get(scope="to_agree").json()["items"] == []
    problem(staff.post(f"/{plan['id']}/agree"), 403, "performance_skp_own_plan")
    done = kabid.post(f"/{plan['id']}/agree")
    assert (done.status_code, done.json()["state"]) == (200, "agreed")
    problem(kabid.post(f"/{plan['id']}/agree"), 409, "performance_skp_locked")
    evaluation = {
        "period": 4,
        "result_rating": "above",
        "behaviour_rating": "above",
        "feedback": "Sangat baik",
    }
    problem(staff.post(f"/{plan['id']}/evaluations", evaluation), 403, "performance_skp_own_plan")
    given = kabid.post(f"/{plan['id']}/evaluations", evaluation)
    assert given.status_code == 201
    assert (given.json()["predicate"], given.json()["annual"]) == ("sangat_baik", True)
    problem(
        kabid.post(f"/{plan['id']}/evaluations", evaluation),
        409,
        "performance_skp_already_evaluated",
    )
    read = staff.get(f"/{plan['id']}")
    assert read.json()["predicate"] == "sangat_baik"
    assert [e["period"] for e in staff.get(f"/{plan['id']}/evaluations").json()] == [4]
    with dangerously_unscoped():
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"performance.skp.agree", "performance.skp.evaluate"} <= actions


def test_return_and_revise_need_a_note(client: Client, perf_a: PerfWorld) -> None:
    plan = made(perf_a)
    staff, kabid = (
        Api(client, perf_a, perf_a.user("staff")),
        Api(client, perf_a, perf_a.user("kabid")),
    )
    staff.post(f"/{plan['id']}/propose")
    refused = problem(kabid.post(f"/{plan['id']}/return", {"note": ""}), 422, "validation_error")
    assert "note" in refused["errors"]
    back = kabid.post(f"/{plan['id']}/return", {"note": "Tambah indikator kualitas"})
    assert back.json()["state"] == "draft"
    staff.post(f"/{plan['id']}/propose")
    kabid.post(f"/{plan['id']}/agree")
    problem(staff.send("put", f"/{plan['id']}", {"results": []}), 409, "performance_skp_locked")
    reopened = staff.post(f"/{plan['id']}/revise", {"note": "Tugas tambahan dari kepala dinas"})
    assert (reopened.json()["state"], reopened.json()["agreed_at"]) == ("draft", None)


def test_bad_evaluation_input_is_a_problem_naming_the_fields(
    client: Client, perf_a: PerfWorld
) -> None:
    plan = agreed(perf_a)
    kabid = Api(client, perf_a, perf_a.user("kabid"))
    answer = kabid.post(
        f"/{plan['id']}/evaluations",
        {"period": 7, "result_rating": "great", "behaviour_rating": "above", "feedback": ""},
    )
    refused = problem(answer, 422, "validation_error")
    assert {"period", "result_rating", "feedback"} <= set(refused["errors"])
    with region_scope(perf_a.region):
        assert not SkpEvaluation.objects.exists()


def test_evidence_minutes_per_quarter(client: Client, perf_a: PerfWorld) -> None:
    plan = agreed(perf_a)
    year = last_year(perf_a)
    with region_scope(perf_a.region):
        entry_make(perf_a, day=dt.date(year, 8, 3), quantity=3, state="approved")
    answer = Api(client, perf_a, perf_a.user("kabid")).get(f"/{plan['id']}/evidence")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total_minutes"] == [0, 0, 90, 0]
    [item] = body["results"]
    assert (item["minutes"], item["year_minutes"], item["year_entries"]) == ([0, 0, 90, 0], 90, 1)


def test_who_may_read_a_plan(client: Client, perf_a: PerfWorld) -> None:
    plan = made(perf_a)
    path = f"/{plan['id']}"
    # the person, their chain, the unit head (the head of DPMPTSP), payroll, the auditor,
    # the administrator
    readers = [perf_a.user(w) for w in ("staff", "kabid", "head")]
    readers += [perf_a.world.users[Role.PAYROLL], perf_a.auditor, perf_a.admin]
    for user in readers:
        assert Api(client, perf_a, user).get(path).status_code == 200, user
        assert plan["id"] in [p["id"] for p in Api(client, perf_a, user).get().json()["items"]]
    # a colleague and someone of another unit do not see it, not even in a list
    for who in ("peer", "outsider"):
        api = Api(client, perf_a, perf_a.user(who))
        problem(api.get(path), 404, "not_found")
        problem(api.get(f"{path}/evidence"), 404, "not_found")
        problem(api.post(f"{path}/agree"), 404, "not_found")
        assert api.get().json()["items"] == []


def test_another_regions_plan_is_a_404(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    theirs = made(perf_b)
    # region A's administrator, under region A's slug, asks for region B's plan
    api = Api(client, perf_a, perf_a.admin)
    for path in ("", "/evaluations", "/evidence"):
        problem(api.get(f"/{theirs['id']}{path}"), 404, "not_found")
    problem(api.post(f"/{theirs['id']}/agree"), 404, "not_found")
    assert api.get().json()["items"] == []
    # their own administrator sees it
    assert Api(client, perf_b, perf_b.admin).get(f"/{theirs['id']}").status_code == 200
