"""The review area's reads: the queue by person and day, its filters, an empty queue for
someone who reviews nobody."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lumbung.core.tenancy import region_scope

from ..models import Entry
from ..review import selectors
from ..review.selectors import QueueFilter
from ..workflow import APPROVED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region):
        yield


def at(h: int) -> dict[str, Any]:
    return {"start": dt.time(h), "end": dt.time(h + 1)}


def test_the_queue_groups_by_person_and_day_the_most_urgent_first(perf_a: PerfWorld) -> None:
    # given staff's two entries on one day, peer's on two days, and one already approved
    s1 = entry_make(perf_a, "staff", day=DAY, **at(8))
    s2 = entry_make(perf_a, "staff", day=DAY, **at(9))
    p1 = entry_make(perf_a, "peer", day=DAY, **at(8))
    p2 = entry_make(perf_a, "peer", day=DAY + dt.timedelta(days=1), **at(8))
    entry_make(perf_a, "staff", day=DAY, **at(10), state=APPROVED)
    Entry.objects.filter(pk=p2.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    kabid = perf_a.people["kabid"]
    # when kabid's queue is read
    days = list(selectors.queue_days(perf_a.region, kabid, QueueFilter()))
    # then peer's overdue day comes first, and each day counts its waiting entries
    assert [(d["employee_id"], d["work_date"], d["entries"]) for d in days] == [
        (perf_a.people["peer"].pk, DAY + dt.timedelta(days=1), 1),
        (perf_a.people["staff"].pk, DAY, 2),
        (perf_a.people["peer"].pk, DAY, 1),
    ]
    with CaptureQueriesContext(connection) as queries:
        grouped = selectors.days_with_entries(perf_a.region, kabid, QueueFilter(), days)
        names = [(d.employee.name, [e.activity.name for e in d.entries]) for d in grouped]
    assert len(queries) == 1  # entries, people and activities in one query
    assert next([e.pk for e in d.entries] for d in grouped) == [p2.pk]
    assert {e.pk for d in grouped for e in d.entries} == {s1.pk, s2.pk, p1.pk, p2.pk}
    assert grouped[1].minutes == 120
    assert names[1] == (perf_a.people["staff"].name, [s1.activity.name, s2.activity.name])


def test_the_queue_filters_by_person_and_day(perf_a: PerfWorld) -> None:
    entry_make(perf_a, "staff", day=DAY)
    theirs = entry_make(perf_a, "peer", day=DAY)
    entry_make(perf_a, "peer", day=DAY + dt.timedelta(days=1))
    kabid = perf_a.people["kabid"]
    found = selectors.queue(
        perf_a.region, kabid, QueueFilter(person=perf_a.people["peer"].pk, day=DAY)
    )
    assert list(found) == [theirs]


def test_someone_who_reviews_nobody_has_an_empty_queue(perf_a: PerfWorld) -> None:
    entry_make(perf_a, "staff", day=DAY)
    for reviewer in (perf_a.people["peer"], perf_a.people["outsider"], None):
        assert not selectors.queue(perf_a.region, reviewer, QueueFilter()).exists()
        assert not selectors.queue_days(perf_a.region, reviewer, QueueFilter()).exists()
