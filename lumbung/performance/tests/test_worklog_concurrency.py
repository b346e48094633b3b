"""Two entries of one person sent at the same moment (two tabs, an offline queue flushing
while the person types): the person's row is locked, so the second waits for the first and
then sees it — they cannot both pass the overlap check, and one key makes one entry."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any
from unittest.mock import patch

import pytest
from django.db import connection

from lumbung.core.errors import DomainError
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import make_world

from ..models import Entry
from ..worklog import rules
from ..worklog.services import EntryInput, entry_create
from .factories import PerfWorld, enable_performance
from .test_worklog_helpers import clock, entry_input

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the in-memory SQLite test database is one connection",
)
_check_date = rules.check_date


def _slow_check_date(*args: Any, **kwargs: Any) -> None:
    # Between reading the day and writing the entry: long enough for the other thread to
    # read the same day, were the person's row not locked.
    time.sleep(0.5)
    _check_date(*args, **kwargs)


def race(perf: PerfWorld, inputs: list[EntryInput]) -> list[Any]:
    barrier = threading.Barrier(len(inputs))
    outcomes: list[Any] = [None] * len(inputs)

    def run(index: int, data: EntryInput) -> None:
        try:
            with region_scope(perf.region):
                barrier.wait(timeout=30)
                _entry, created = entry_create(region=perf.region, actor=perf.user("staff"),
                                               data=data)  # fmt: skip
            outcomes[index] = "made" if created else "found"
        except DomainError as error:
            outcomes[index] = str(error.code)
        except Exception as error:  # reported by the assertions on `outcomes`
            outcomes[index] = error
        finally:
            connection.close()

    with clock(), patch.object(rules, "check_date", _slow_check_date):
        threads = [threading.Thread(target=run, args=(i, d)) for i, d in enumerate(inputs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_entries_sent_at_once_cannot_both_pass() -> None:
    perf = enable_performance(make_world("32.73", modules=["sample"]))
    first = entry_input(perf)
    second = entry_input(perf, start_time=dt.time(8, 30), end_time=dt.time(9, 30), quantity=1)
    outcomes = race(perf, [first, second])
    assert sorted(outcomes) == ["made", "performance_overlap"]
    with region_scope(perf.region):
        assert Entry.objects.filter(region=perf.region).count() == 1


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_key_sent_twice_at_once_makes_one_entry() -> None:
    perf = enable_performance(make_world("32.73", modules=["sample"]))
    data = entry_input(perf)
    outcomes = race(perf, [data, data])
    assert sorted(outcomes) == ["found", "made"]
    with region_scope(perf.region):
        assert Entry.objects.filter(region=perf.region).count() == 1
