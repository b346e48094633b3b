"""What one filing costs the database, counted so that the gain cannot slip back unnoticed,
and the region's setup that each process keeps in memory for it going stale the moment an
audited setup change commits (a holiday, a category switched off)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.test import override_settings

from lumbung.core.errors import ValidationFailed
from lumbung.core.models import AuditEvent, Notification
from lumbung.core.models.people import Role
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.tenancy import region_scope

from ..models import Category
from ..services import category_save
from .factories import file_report

pytestmark = pytest.mark.django_db

# A process's memory, as in production (tests otherwise keep nothing between requests).
LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}
# The number upsert, the SLA override, the report, its transition and timeline rows, the
# audit chain's head (advanced, then given the event's hash) and event, the unit's staff,
# every notification in one insert, and the savepoint around the filing.
FILING_STATEMENTS = 11


@pytest.fixture
def process_memory():
    with override_settings(CACHES=LOCMEM):
        caches["public"].clear()
        caches["default"].clear()
        yield
        caches["public"].clear()


def test_a_filing_takes_a_fixed_number_of_statements(
    cworld_a, citizen, process_memory, django_assert_num_queries
):
    region = cworld_a.region
    # given the region's setup in this process's memory after a first filing
    file_report(region, actor=citizen)
    # when a citizen files a report routed to a unit with an officer and a head
    with django_assert_num_queries(FILING_STATEMENTS):
        filed = file_report(region, actor=citizen)
    # then it is audited and everyone is told, all the same
    with region_scope(region):
        assert AuditEvent.objects.filter(region=region, action="complaints.file").count() == 2
        told = set(
            Notification.objects.filter(region=region, url__contains=filed.complaint.ticket)
            .exclude(recipient=citizen)
            .values_list("recipient", flat=True)
        )
    unit_staff = {cworld_a.users[Role.OFFICER].pk, cworld_a.users[Role.UNIT_HEAD].pk}
    assert unit_staff <= told


def test_a_holiday_declared_moves_the_next_deadline_at_once(
    cworld_a, citizen, process_memory, django_capture_on_commit_callbacks
):
    region = cworld_a.region
    # given a report filed with the calendar in memory
    first = file_report(region, actor=citizen).complaint
    assert first.due_at is not None
    due_day = first.due_at.astimezone(dt.UTC).date()
    # when the region declares the day it was due a local holiday (a weekday)
    with region_scope(region), django_capture_on_commit_callbacks(execute=True):
        region_holiday_set(
            region=region, actor=cworld_a.users[Role.REGION_ADMIN], date=due_day, name="Hari jadi"
        )
    # then the next report filed is due a working day later
    second = file_report(region, actor=citizen).complaint
    assert second.due_at is not None
    assert second.due_at.date() > first.due_at.date()


def test_a_category_switched_off_takes_no_more_reports_at_once(
    cworld_a, citizen, process_memory, django_capture_on_commit_callbacks
):
    region = cworld_a.region
    file_report(region, actor=citizen, category="sampah")  # the category in memory
    with region_scope(region), django_capture_on_commit_callbacks(execute=True):
        category_save(
            region=region,
            actor=cworld_a.users[Role.REGION_ADMIN],
            data={"is_active": False},
            category=Category.objects.get(region=region, code="sampah"),
        )
    with pytest.raises(ValidationFailed) as refused:
        file_report(region, actor=citizen, category="sampah")
    assert "category" in refused.value.field_errors
