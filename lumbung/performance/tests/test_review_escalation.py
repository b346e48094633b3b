"""Escalation of reviews: an entry nobody reviewed by its deadline goes to the reviewer's
supervisor with a fresh deadline (the region's SLA), one audit event and a notification;
at the top of the chain it stays, flagged on the administrator's list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import AuditEvent, Notification
from lumbung.core.services.workflow import sla_override_set
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..models import Employee, Entry
from ..review.selectors import unreviewed_at_top
from ..review.tasks import escalate_reviews_all, escalate_reviews_region
from ..workflow import APPROVED, SUBMITTED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region):
        yield


def overdue(perf: PerfWorld, who: str, **options: object) -> Entry:
    entry = entry_make(perf, who, day=DAY, **options)  # type: ignore[arg-type]
    Entry.objects.filter(pk=entry.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    entry.refresh_from_db()
    return entry


def test_an_overdue_entry_goes_to_the_reviewers_supervisor(perf_a: PerfWorld) -> None:
    # given the region's review deadline of 5 working days, and staff's overdue entry (kabid's)
    sla_override_set(region=perf_a.region, actor=perf_a.admin, workflow="performance.entry",
                     state=SUBMITTED, working_days=5)  # fmt: skip
    late = overdue(perf_a, "staff")
    on_time = entry_make(perf_a, "peer", day=DAY)
    # when the sweep runs
    moved = escalate_reviews_region(perf_a.region)
    # then the entry waits for head, one level up, with a new deadline of 5 working days
    assert moved == 1
    late.refresh_from_db()
    assert late.reviewer == perf_a.people["head"]
    assert late.escalation_level == 1
    assert late.state == SUBMITTED
    assert late.due_at is not None
    calendar = RegionCalendar(perf_a.region)
    expected = calendar.add_working_days(timezone.now(), 5)
    assert calendar.local_date(late.due_at) == calendar.local_date(expected)
    on_time.refresh_from_db()
    assert on_time.reviewer == perf_a.people["kabid"]
    assert on_time.escalation_level == 0
    # one audit event for the batch, and head hears of it
    with dangerously_unscoped():
        [event] = AuditEvent.objects.filter(action="performance.entries.escalate")
    assert event.changes["entries"] == [
        [late.pk, perf_a.people["kabid"].pk, perf_a.people["head"].pk]
    ]
    [note] = Notification.objects.filter(recipient=perf_a.user("head"))
    assert note.kind == "performance.entry.escalated"
    # and the next sweep finds nothing overdue
    assert escalate_reviews_region(perf_a.region) == 0


def test_reviewed_entries_are_never_escalated(perf_a: PerfWorld) -> None:
    done = overdue(perf_a, "staff", state=APPROVED)
    assert escalate_reviews_region(perf_a.region) == 0
    done.refresh_from_db()
    assert done.reviewer == perf_a.people["kabid"]


def test_at_the_top_of_the_chain_an_entry_stays_and_is_flagged(perf_a: PerfWorld) -> None:
    # kabid's entry waits for head, who has no supervisor; head's own entry has no reviewer
    kabids = overdue(perf_a, "kabid")
    heads = overdue(perf_a, "head")
    assert heads.reviewer is None
    assert escalate_reviews_region(perf_a.region) == 0
    kabids.refresh_from_db()
    assert kabids.reviewer == perf_a.people["head"]
    assert kabids.escalation_level == 0
    assert set(unreviewed_at_top(perf_a.region)) == {kabids, heads}
    with dangerously_unscoped():
        assert not AuditEvent.objects.filter(action="performance.entries.escalate").exists()
    # once the registry gives head a supervisor, the next sweep moves both up
    Employee.objects.filter(pk=perf_a.people["head"].pk).update(
        supervisor=perf_a.people["outsider"]
    )
    assert escalate_reviews_region(perf_a.region) == 2
    assert set(Entry.objects.filter(pk__in=[kabids.pk, heads.pk]).values_list(
        "reviewer", "escalation_level")) == {(perf_a.people["outsider"].pk, 1)}  # fmt: skip
    assert not unreviewed_at_top(perf_a.region).exists()


def test_the_task_sweeps_every_region_running_the_module(
    perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    overdue(perf_a, "staff")
    with region_scope(perf_b.region):
        overdue(perf_b, "staff")
        overdue(perf_b, "peer")
    assert escalate_reviews_all.call() == 3
    with region_scope(perf_b.region):
        assert set(Entry.objects.values_list("reviewer", flat=True)) == {perf_b.people["head"].pk}
