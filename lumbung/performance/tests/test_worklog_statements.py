"""What logging one entry costs the database, pinned so that the cost cannot creep up
unnoticed (entry creation is benchmarked against pgbench): the person's row locked, the
day's entries with any replayed key, the activity with the month's lock, the entry and its
transition, the audit chain (head advanced, event, head's hash), and the savepoint the
test's transaction puts around the service's. And the lock it holds: a supervisor's entry
does not stop a subordinate's from committing (the bench found them deadlocked)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any
from unittest.mock import patch

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from lumbung.core.errors import DomainError
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import make_world

from ..models import Entry
from ..worklog import services
from ..worklog.services import entry_create
from .factories import enable_performance
from .test_worklog_helpers import clock, entry_input

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
ENTRY_STATEMENTS = 10
REPLAY_STATEMENTS = 4


@pytest.fixture
def process_memory():
    # A loaded test machine can take longer between two calls than a process remembers the
    # setup's version for; then the second call would reload the setup it just read.
    with override_settings(CACHES=LOCMEM, LUMBUNG_PUBLIC_VERSION_SECONDS=3600):
        caches["public"].clear()
        yield
        caches["public"].clear()


@pytest.mark.django_db
def test_an_entry_takes_a_fixed_number_of_statements(
    perf_a, process_memory, django_assert_num_queries
):
    region, actor = perf_a.region, perf_a.user("staff")
    with clock(), region_scope(region):
        # given the region's setup (settings, calendar, deadlines) in this process's memory
        entry_create(region=region, actor=actor, data=entry_input(perf_a))
        data = entry_input(perf_a, start_time=dt.time(9), end_time=dt.time(10))
        # when the next entry of the day is logged
        with django_assert_num_queries(ENTRY_STATEMENTS):
            made, created = entry_create(region=region, actor=actor, data=data)
        # then it is made; and sent again, it is only found
        assert created
        with django_assert_num_queries(REPLAY_STATEMENTS):
            again, created_again = entry_create(region=region, actor=actor, data=data)
    assert not created_again
    assert again.pk == made.pk


def _waiting_on_the_audit_chain(timeout: float = 10.0) -> bool:
    """Whether another backend of this database waits for a lock on the audit chain."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            # Inside a transaction the activity view is read once, unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE %s AND pid <> pg_backend_pid()",
                ["%auditchainhead%"],
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_supervisor_and_a_subordinate_logging_at_once_both_log() -> None:
    # given: the analyst's entry has advanced the region's audit chain and is about to
    #        commit, which checks its reviewer (the head of division) exists; the head of
    #        division's own entry has locked their row and waits for the audit chain
    perf = enable_performance(make_world("32.73", modules=["sample"]))
    start_head, head_locked = threading.Event(), threading.Event()
    real_record, real_lock = services.record, services._locked_employee
    outcomes: dict[str, Any] = {}

    def record(*args: Any, **kwargs: Any) -> None:
        real_record(*args, **kwargs)
        if threading.current_thread().name == "staff":
            start_head.set()
            head_locked.wait(timeout=10)
            outcomes["head waited"] = _waiting_on_the_audit_chain()

    def locked(*args: Any) -> Any:
        person = real_lock(*args)
        if threading.current_thread().name == "kabid":
            head_locked.set()
        return person

    def log(who: str) -> None:
        try:
            if who == "kabid":
                start_head.wait(timeout=10)
            with region_scope(perf.region):
                entry_create(region=perf.region, actor=perf.user(who), data=entry_input(perf))
            outcomes[who] = "made"
        except DomainError as error:
            outcomes[who] = str(error.code)
        except Exception as error:  # a deadlock: reported by the assertion below
            outcomes[who] = repr(error)
        finally:
            connection.close()

    # when both log an entry at that moment
    with (
        clock(),
        patch.object(services, "record", record),
        patch.object(services, "_locked_employee", locked),
    ):
        threads = [threading.Thread(target=log, args=(w,), name=w) for w in ("staff", "kabid")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    # then: both entries are made
    assert outcomes == {"head waited": True, "staff": "made", "kabid": "made"}
    with region_scope(perf.region):
        assert Entry.objects.filter(region=perf.region).count() == 2
