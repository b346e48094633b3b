"""What logging one entry costs the database, pinned so that the cost cannot creep up
unnoticed (entry creation is benchmarked against pgbench): the person's row locked, the
day's entries with any replayed key, the activity with the month's lock, the entry and its
transition, the audit chain (head advanced, event, head's hash), and the savepoint the
test's transaction puts around the service's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import override_settings

from lumbung.core.tenancy import region_scope

from ..worklog.services import entry_create
from .test_worklog_helpers import clock, entry_input

pytestmark = pytest.mark.django_db

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
