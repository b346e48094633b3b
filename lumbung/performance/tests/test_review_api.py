"""The review API: the caller's queue, each action's answer and refusal codes, bulk approval
of a selection and of a day, and another region's entries and people as 404s."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.http import HttpResponseBase
from django.test import Client

from lumbung.core.models import User
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import Entry
from ..workflow import APPROVED, REJECTED, SUBMITTED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


class Api:
    def __init__(self, client: Client, perf: PerfWorld, user: User) -> None:
        self.client = client
        self.base = f"/api/v1/regions/{perf.region.slug}/performance/approvals"
        _token, secret = token_issue(user=user, name="test")
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str = "", **query: Any) -> HttpResponseBase:
        return self.client.get(self.base + path, query, headers=self.headers)

    def post(self, path: str, body: Any = None) -> HttpResponseBase:
        data = json.dumps(body if body is not None else {})
        return self.client.post(
            self.base + path, data, content_type="application/json", headers=self.headers
        )


def make(perf: PerfWorld, who: str = "staff", **options: Any) -> Entry:
    with region_scope(perf.region):
        return entry_make(perf, who, **{"day": DAY, **options})


def state(perf: PerfWorld, entry: Entry) -> str:
    with region_scope(perf.region):
        return Entry.objects.get(pk=entry.pk).state


def test_the_queue_lists_the_callers_waiting_entries_only(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    staff, peer = make(perf_a, "staff"), make(perf_a, "peer", activity="meeting")
    make(perf_a, "kabid")  # head's to review
    make(perf_b, "staff")
    answer = Api(client, perf_a, perf_a.user("kabid")).get()
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert {i["id"] for i in items} == {staff.pk, peer.pk}
    [row] = [i for i in items if i["id"] == peer.pk]
    assert row["employee"]["id"] == perf_a.people["peer"].pk
    assert row["activity"]["output_unit"] == "surat"  # Indonesian, the default
    assert (row["claimed_minutes"], row["overdue"], row["version"]) == (120, False, 0)
    filtered = Api(client, perf_a, perf_a.user("kabid")).get(person=perf_a.people["staff"].pk)
    assert [i["id"] for i in filtered.json()["items"]] == [staff.pk]
    for nobody in (perf_a.user("peer"), perf_a.admin):
        empty = Api(client, perf_a, nobody).get()
        assert empty.status_code == 200
        assert empty.json()["items"] == []


def test_approve_then_again_is_a_conflict(client: Client, perf_a: PerfWorld) -> None:
    entry = make(perf_a)
    api = Api(client, perf_a, perf_a.user("kabid"))
    done = api.post(f"/{entry.pk}/approve")
    assert done.status_code == 200
    assert (done.json()["state"], done.json()["approved_minutes"]) == (APPROVED, 60)
    again = api.post(f"/{entry.pk}/approve")
    assert again.status_code == 409
    assert problem_of(again)["code"] == "performance_already_reviewed"


def test_reject_and_adjust_need_a_reason_and_a_smaller_quantity(
    client: Client, perf_a: PerfWorld
) -> None:
    first, second = make(perf_a, quantity=3), make(perf_a, quantity=3, start=dt.time(10),
                                                     end=dt.time(11))  # fmt: skip
    api = Api(client, perf_a, perf_a.user("kabid"))
    assert api.post(f"/{first.pk}/reject", {"reason": ""}).status_code == 422
    bigger = api.post(f"/{second.pk}/adjust", {"quantity": 4, "reason": "x"})
    assert bigger.status_code == 422
    assert problem_of(bigger)["code"] == "performance_adjust_quantity"
    assert state(perf_a, first) == state(perf_a, second) == SUBMITTED
    rejected = api.post(f"/{first.pk}/reject", {"reason": "Tidak ada bukti"})
    assert rejected.json()["state"] == REJECTED
    adjusted = api.post(f"/{second.pk}/adjust", {"quantity": 1, "reason": "Satu saja"})
    assert (adjusted.json()["approved_quantity"], adjusted.json()["approved_minutes"]) == (1, 30)


def test_only_the_reviewer_acts_and_never_on_their_own(client: Client, perf_a: PerfWorld) -> None:
    entry = make(perf_a)
    refused = Api(client, perf_a, perf_a.user("peer")).post(f"/{entry.pk}/approve")
    assert refused.status_code == 403
    assert problem_of(refused)["code"] == "performance_not_reviewer"
    own = Api(client, perf_a, perf_a.user("staff")).post(
        "/approve-day", {"employee_id": perf_a.people["staff"].pk, "work_date": DAY.isoformat()}
    )
    assert own.status_code == 403
    assert problem_of(own)["code"] == "performance_own_entry"
    assert state(perf_a, entry) == SUBMITTED


def test_bulk_approval_of_a_selection_and_of_a_day(client: Client, perf_a: PerfWorld) -> None:
    a, b = make(perf_a), make(perf_a, start=dt.time(10), end=dt.time(11))
    peers = make(perf_a, "peer")
    api = Api(client, perf_a, perf_a.user("kabid"))
    chosen = api.post("/approve", {"entries": [a.pk]})
    assert chosen.json() == {"approved": [a.pk], "already_reviewed": []}
    day = api.post(
        "/approve-day", {"employee_id": perf_a.people["staff"].pk, "work_date": DAY.isoformat()}
    )
    assert day.json() == {"approved": [b.pk], "already_reviewed": []}
    again = api.post("/approve", {"entries": [a.pk, peers.pk]})
    assert again.json() == {"approved": [peers.pk], "already_reviewed": [a.pk]}


@pytest.mark.parametrize(
    "body", [{"entries": []}, {"entries": [2**40]}, {"entries": "1"}, {}, {"entries": [0]}]
)
def test_a_bad_selection_is_a_validation_problem(
    client: Client, perf_a: PerfWorld, body: dict[str, Any]
) -> None:
    answer = Api(client, perf_a, perf_a.user("kabid")).post("/approve", body)
    assert answer.status_code == 422
    assert problem_of(answer)["code"] == "validation_error"


def test_another_regions_entries_and_people_are_not_found(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    mine, theirs = make(perf_a), make(perf_b)
    api = Api(client, perf_a, perf_a.user("kabid"))
    for answer in (
        api.post("/approve", {"entries": [mine.pk, theirs.pk]}),
        api.post(f"/{theirs.pk}/reject", {"reason": "x"}),
        api.post(
            "/approve-day",
            {"employee_id": perf_b.people["staff"].pk, "work_date": DAY.isoformat()},
        ),
    ):
        assert answer.status_code == 404
        assert problem_of(answer)["code"] == "not_found"
        assert perf_b.people["staff"].name not in answer.content.decode()
    assert state(perf_a, mine) == SUBMITTED
    assert state(perf_b, theirs) == SUBMITTED
