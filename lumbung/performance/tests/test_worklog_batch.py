"""Logging many entries at once: every entry keeps exactly the single entry's rules (the
same verdict, code and field as entry_create gives it), each against the day with the
batch's earlier entries in it; keys already logged come back as they are; one refused
entry refuses the batch, nothing written, with a problem per entry; a batch costs the same
few statements whatever its size; the API answers problem details per entry."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from lumbung.core.errors import DomainError, ErrorCode, ValidationFailed
from lumbung.core.models import AuditEvent, Transition
from lumbung.core.tenancy import region_scope

from ..errors import PerformanceError
from ..models import Entry, Period, PeriodState
from ..workflow import SUBMITTED
from ..worklog import batch
from ..worklog.batch import MAX_ITEMS, BatchError, BatchRefused, entries_create_batch
from ..worklog.services import EntryInput, entry_create
from .factories import PerfWorld, activity_make
from .test_worklog_helpers import (
    NOW,
    SATURDAY,
    TODAY,
    clock,
    entry_input,
    log_entry,
    set_settings,
)

pytestmark = pytest.mark.django_db
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def perf(perf_a: PerfWorld) -> Iterator[PerfWorld]:
    with clock(NOW), region_scope(perf_a.region):
        yield perf_a


def at(perf: PerfWorld, hour: int, **changes: object) -> EntryInput:
    """An hour-long entry of two letters from `hour` o'clock (today unless changed)."""
    values: dict[str, object] = {"start_time": dt.time(hour), "end_time": dt.time(hour + 1)}
    return entry_input(perf, **{**values, **changes})


def send(perf: PerfWorld, items: list[EntryInput], who: str = "staff") -> batch.BatchResult:
    return entries_create_batch(region=perf.region, actor=perf.user(who), items=items)


def refusal(perf: PerfWorld, items: list[EntryInput]) -> BatchRefused:
    with pytest.raises(BatchRefused) as caught:
        send(perf, items)
    return caught.value


def test_a_batch_logs_every_entry_as_one_entry_is_logged_with_one_audit_event(perf):
    # when the analyst sends yesterday's and today's entries together
    items = [at(perf, 8, work_date=YESTERDAY), at(perf, 9, work_date=YESTERDAY), at(perf, 8)]
    done = send(perf, items)

    # then each is made, waiting for the head of division as a single entry would
    assert done.created == [True, True, True]
    assert [e.client_key for e in done.entries] == [i.client_key for i in items]
    made = Entry.objects.filter(region=perf.region).order_by("pk")
    assert [(e.work_date, e.state, e.reviewer_id, e.claimed_minutes) for e in made] == [
        (YESTERDAY, SUBMITTED, perf.people["kabid"].pk, 60),
        (YESTERDAY, SUBMITTED, perf.people["kabid"].pk, 60),
        (TODAY, SUBMITTED, perf.people["kabid"].pk, 60),
    ]
    single = log_entry(perf, start_time=dt.time(10), end_time=dt.time(11))
    assert {e.due_at for e in made} == {single.due_at}
    starts = Transition.objects.filter(
        region=perf.region,
        case_type="performance.entry",
        action="start",
        case_id__in=[str(e.pk) for e in made],
    )
    assert starts.count() == 3
    # and the batch is one audit event listing its entries
    event = AuditEvent.objects.get(region=perf.region, action="performance.entries_create")
    assert event.changes["entries"] == [e.pk for e in made]
    assert event.changes["claimed_minutes"] == 180
    assert event.object_id == str(perf.people["staff"].pk)


# Exactly the single entry's rules ----------------------------------------------------------

CASES = [
    ({"work_date": TODAY + dt.timedelta(days=1)}, PerformanceError.FUTURE_DATE, "work_date"),
    ({"work_date": dt.date(2026, 2, 5)}, PerformanceError.TOO_OLD, "work_date"),
    ({"work_date": SATURDAY}, PerformanceError.NOT_WORKING_DAY, "work_date"),
    ({"quantity": 3}, PerformanceError.EXCEEDS_SPAN, "quantity"),
    ({"activity_id": 2**31 - 1}, PerformanceError.ACTIVITY_NOT_ALLOWED, "activity"),
    ({"start_time": dt.time(10), "end_time": dt.time(9)}, ErrorCode.VALIDATION, "end_time"),
    ({"client_key": "no spaces"}, ErrorCode.VALIDATION, "client_key"),
    ({"quantity": 0}, ErrorCode.VALIDATION, "quantity"),
]


@pytest.mark.parametrize(("changes", "code", "field"), CASES)
def test_each_rule_refuses_an_entry_of_a_batch_as_it_refuses_one_entry(perf, changes, code, field):
    # given a batch whose second entry breaks one rule
    items = [at(perf, 8), at(perf, 12, **changes), at(perf, 14)]
    with pytest.raises(DomainError) as alone:
        entry_create(region=perf.region, actor=perf.user("staff"), data=items[1])

    # when it is sent
    refused = refusal(perf, items)

    # then that entry's problem is the single entry's, and nothing at all was written
    (problem,) = refused.problems
    assert (problem.index, problem.client_key) == (1, items[1].client_key)
    assert (problem.code, problem.status) == (alone.value.code, alone.value.status)
    assert problem.code == code
    assert problem.errors == alone.value.field_errors
    assert field in problem.errors
    assert refused.code == BatchError.REFUSED
    assert f"items.1.{field}" in refused.field_errors
    assert not Entry.objects.filter(region=perf.region).exists()
    assert not AuditEvent.objects.filter(region=perf.region, action__startswith="performance.entr")


def test_overlap_and_cap_count_the_batch_s_earlier_entries(perf):
    # the second overlaps the first of the same batch; the fourth passes the 420-minute cap
    # only with the third's 360 minutes counted
    long_day = dict(work_date=YESTERDAY, start_time=dt.time(7), end_time=dt.time(13), quantity=12)
    items = [
        at(perf, 8),
        at(perf, 8, start_time=dt.time(8, 30), quantity=1),
        entry_input(perf, **long_day),
        at(perf, 14, work_date=YESTERDAY, end_time=dt.time(16), quantity=4),
    ]
    refused = refusal(perf, items)
    found = {p.index: (p.code, p.status) for p in refused.problems}
    assert found == {
        1: (PerformanceError.OVERLAP, 409),
        3: (PerformanceError.DAILY_CAP, 422),
    }
    assert refused.status == 422  # the entries disagree on the status


def test_overlap_counts_entries_logged_before_and_only_those_that_stand(perf):
    log_entry(perf)  # 08:00-09:00 today
    withdrawn = log_entry(perf, start_time=dt.time(10), end_time=dt.time(11))
    Entry.objects.filter(pk=withdrawn.pk).update(state="withdrawn")
    refused = refusal(perf, [at(perf, 8, quantity=1), at(perf, 10)])
    assert [(p.index, p.code) for p in refused.problems] == [(0, PerformanceError.OVERLAP)]
    assert refused.status == 409  # every refused entry says conflict
    assert send(perf, [at(perf, 10)]).created == [True]


def test_a_position_may_log_only_the_activities_open_to_it(perf):
    reserved = activity_make(perf.region, "Menandatangani izin", 15)
    reserved.positions = ["Kepala Dinas"]
    reserved.save(update_fields=["positions"])
    refused = refusal(perf, [at(perf, 8), at(perf, 9, activity_id=reserved.pk, quantity=1)])
    (problem,) = refused.problems
    assert (problem.index, problem.code) == (1, PerformanceError.ACTIVITY_NOT_ALLOWED)
    assert send(perf, [at(perf, 9, activity_id=reserved.pk, quantity=1)], who="head").created


def test_a_closed_month_refuses_its_entries(perf):
    set_settings(perf, backdate_working_days=20)
    Period.objects.create(region=perf.region, year=2026, month=1, state=PeriodState.CLOSED)
    refused = refusal(perf, [at(perf, 8, work_date=dt.date(2026, 1, 30)), at(perf, 8)])
    (problem,) = refused.problems
    assert (problem.index, problem.code, problem.status) == (
        0,
        PerformanceError.MONTH_CLOSED,
        409,
    )


def test_a_key_twice_in_one_batch_is_refused_at_its_second_use(perf):
    first = at(perf, 8)
    refused = refusal(perf, [first, at(perf, 9, client_key=first.client_key)])
    assert [(p.index, p.code) for p in refused.problems] == [(1, ErrorCode.VALIDATION)]
    assert "client_key" in refused.problems[0].errors


def test_someone_outside_the_registry_is_refused_as_a_whole(perf):
    with pytest.raises(DomainError) as caught:
        entries_create_batch(region=perf.region, actor=perf.auditor, items=[at(perf, 8)])
    assert caught.value.code == PerformanceError.NOT_AN_EMPLOYEE
    assert caught.value.status == 403


def test_a_batch_holds_one_to_two_hundred_entries(perf):
    with pytest.raises(ValidationFailed):
        send(perf, [])
    with pytest.raises(ValidationFailed) as caught:
        send(perf, [at(perf, 8) for _ in range(MAX_ITEMS + 1)])
    assert "items" in caught.value.field_errors


# Idempotent by each entry's key ----------------------------------------------------------------


def test_the_same_batch_sent_again_returns_the_same_entries(perf):
    items = [at(perf, 8), at(perf, 9)]
    first = send(perf, items)
    again = send(perf, items)
    assert again.created == [False, False]
    assert [e.pk for e in again.entries] == [e.pk for e in first.entries]
    assert Entry.objects.filter(region=perf.region).count() == 2
    assert (
        AuditEvent.objects.filter(region=perf.region, action="performance.entries_create").count()
        == 1
    )


def test_a_batch_with_some_keys_already_logged_makes_only_the_new_ones(perf):
    # given one entry that reached the server singly before the connection dropped
    sent = at(perf, 8)
    single, _made = entry_create(region=perf.region, actor=perf.user("staff"), data=sent)
    # when the phone sends its whole queue, that entry included
    done = send(perf, [sent, at(perf, 9)])
    # then the first is the entry already made (not an overlap with itself), the second new
    assert done.created == [False, True]
    assert done.entries[0].pk == single.pk
    assert Entry.objects.filter(region=perf.region).count() == 2


def test_a_key_is_one_person_s_only(perf):
    items = [at(perf, 8)]
    mine = send(perf, items).entries[0]
    theirs = send(perf, items, who="peer")
    assert theirs.created == [True]
    assert theirs.entries[0].pk != mine.pk
    assert theirs.entries[0].employee_id == perf.people["peer"].pk


def test_a_batch_that_raced_another_with_its_keys_returns_the_winner_s_entries(perf, monkeypatch):
    items = [at(perf, 8), at(perf, 9)]
    winner = send(perf, items)
    real = batch._create
    calls: list[int] = []

    def lost_race(*args: Any) -> batch.BatchResult:
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("perf_entry_client_key")
        return real(*args)

    monkeypatch.setattr(batch, "_create", lost_race)
    again = send(perf, items)
    assert again.created == [False, False]
    assert [e.pk for e in again.entries] == [e.pk for e in winner.entries]


# What a batch costs ---------------------------------------------------------------------------

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "batch"},
}
# The person locked; their entries on the days and under the keys; the activities; the
# closed months; the entries; their transitions; the audit chain (three); the savepoint.
BATCH_STATEMENTS = 11


def week(perf: PerfWorld, days: int) -> list[EntryInput]:
    """Four entries a day on the `days` working days up to today (no holiday near)."""
    dates = [TODAY - dt.timedelta(days=n) for n in (0, 1, 2, 5)][:days]
    return [at(perf, hour, work_date=day) for day in dates for hour in (8, 9, 10, 13)]


@override_settings(CACHES=LOCMEM, LUMBUNG_PUBLIC_VERSION_SECONDS=3600)
def test_a_batch_takes_the_same_few_statements_whatever_its_size(perf):
    # given the region's setup (settings, calendar, deadlines) in this process's memory
    caches["public"].clear()
    send(perf, [at(perf, 7)])
    actor = perf.people["peer"].user
    assert actor is not None
    # when a batch of three entries on one day and one of fifteen on four days are sent
    small_items, large_items = week(perf, 1)[1:], week(perf, 4)[1:]
    with CaptureQueriesContext(connection) as small:
        entries_create_batch(region=perf.region, actor=actor, items=small_items)
    with CaptureQueriesContext(connection) as large:
        send(perf, large_items)
    # then both cost the same statements, bounded; sent again, the large one costs fewer
    assert len(small.captured_queries) == len(large.captured_queries) <= BATCH_STATEMENTS
    with CaptureQueriesContext(connection) as replay:
        again = send(perf, large_items)
    assert again.created == [False] * len(large_items)
    assert len(replay.captured_queries) < len(large.captured_queries)
    caches["public"].clear()


# The API -------------------------------------------------------------------------------------


def api(perf: PerfWorld, path: str = "/entries/batch") -> str:
    return f"/api/v1/regions/{perf.region.slug}/performance{path}"


def signed_in(perf: PerfWorld, who: str = "staff") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(perf.user(who), backend="django.contrib.auth.backends.ModelBackend")
    return client


def item(perf: PerfWorld, hour: int, **changes: object) -> dict[str, object]:
    return {
        "client_key": str(uuid.uuid4()),
        "work_date": TODAY.isoformat(),
        "start_time": f"{hour:02d}:00",
        "end_time": f"{hour + 1:02d}:00",
        "activity_id": perf.activities["letter"].pk,
        "quantity": 2,
        "note": "Surat undangan",
        **changes,
    }


def post(client: Client, url: str, items: list[dict[str, object]]) -> Any:
    return client.post(url, json.dumps({"items": items}), content_type="application/json")


@pytest.fixture
def perf_api(perf_a: PerfWorld) -> Iterator[PerfWorld]:
    with clock(NOW):
        yield perf_a


def test_the_api_logs_a_batch_with_201_then_answers_a_replay_with_200(perf_api):
    client = signed_in(perf_api)
    items = [item(perf_api, 8), item(perf_api, 9)]
    first = post(client, api(perf_api), items)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["created"], body["replayed"]) == (2, 0)
    assert [e["client_key"] for e in body["items"]] == [i["client_key"] for i in items]
    assert {(e["state"], e["created"], e["claimed_minutes"]) for e in body["items"]} == {
        (SUBMITTED, True, 60)
    }
    again = post(client, api(perf_api), items)
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["replayed"]) == (0, 2)
    assert [e["id"] for e in again.json()["items"]] == [e["id"] for e in body["items"]]
    # and the entries are the caller's, one by one, as any other
    listed = client.get(api(perf_api, "/entries"), {"day": TODAY.isoformat()}).json()
    assert sorted(e["id"] for e in listed["items"]) == sorted(e["id"] for e in body["items"])


def test_the_api_refuses_a_batch_with_a_problem_per_entry(perf_api):
    client = signed_in(perf_api)
    items = [
        item(perf_api, 8),
        item(perf_api, 9, work_date=SATURDAY.isoformat()),
        item(perf_api, 10, quantity=5),
    ]
    response = post(client, api(perf_api), items)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "performance_batch_refused"
    assert problem["status"] == 422
    assert {"items.1.work_date", "items.2.quantity"} <= set(problem["errors"])
    assert [(p["index"], p["client_key"], p["code"]) for p in problem["items"]] == [
        (1, items[1]["client_key"], "performance_not_working_day"),
        (2, items[2]["client_key"], "performance_minutes_exceed_span"),
    ]
    assert all(p["detail"] and p["errors"] for p in problem["items"])
    with region_scope(perf_api.region):
        assert not Entry.objects.filter(region=perf_api.region).exists()


def test_the_api_names_a_malformed_entry_by_its_place(perf_api):
    client = signed_in(perf_api)
    response = post(client, api(perf_api), [item(perf_api, 8), item(perf_api, 9, quantity=0)])
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "items.1.quantity" in response.json()["errors"]
    too_many = post(client, api(perf_api), [item(perf_api, 8)] * (MAX_ITEMS + 1))
    assert too_many.status_code == 422
    assert post(client, api(perf_api), []).status_code == 422


def test_someone_outside_the_registry_gets_the_single_entry_s_answer(perf_api):
    response = post(signed_in(perf_api, "head"), api(perf_api), [item(perf_api, 8)])
    assert response.status_code == 201  # the head is an ASN too
    auditor = Client(HTTP_ACCEPT_LANGUAGE="en")
    auditor.force_login(perf_api.auditor, backend="django.contrib.auth.backends.ModelBackend")
    response = post(auditor, api(perf_api), [item(perf_api, 8)])
    assert response.status_code == 403
    assert response.json()["code"] == "performance_not_an_employee"


def test_another_region_s_activity_and_keys_are_unknown_and_its_route_is_closed(perf_api, perf_b):
    # given an entry made in region B under a key
    with region_scope(perf_b.region):
        theirs = log_entry(perf_b)
    client = signed_in(perf_api)
    foreign = item(perf_api, 8, activity_id=perf_b.activities["letter"].pk)
    unknown = item(perf_api, 8, activity_id=2**31 - 1)
    # then B's activity is refused exactly as an activity that does not exist
    answers = [post(client, api(perf_api), [body]).json() for body in (foreign, unknown)]
    assert answers[0]["items"][0]["code"] == "performance_activity_not_allowed"
    assert answers[0]["items"][0]["errors"] == answers[1]["items"][0]["errors"]
    # and B's key names nothing in region A: the entry is made there, B's is untouched
    made = post(client, api(perf_api), [item(perf_api, 8, client_key=theirs.client_key)])
    assert made.status_code == 201
    assert made.json()["items"][0]["id"] != theirs.pk
    # and region B's batch route is closed to region A's analyst, nothing written in B
    closed = post(client, api(perf_b), [item(perf_b, 10)])
    assert closed.status_code in (403, 404)
    with region_scope(perf_b.region):
        assert list(Entry.objects.filter(region=perf_b.region).values_list("pk", flat=True)) == [
            theirs.pk
        ]
