"""The review services: approve, reject with a reason, approve a smaller quantity, a day or a
selection at once; only the current reviewer acts, never on their own entries, never in a
closed month; an entry reviewed already is reported, not approved twice; one audit event per
action and a notification to the author of a rejection or an adjustment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lumbung.core.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import AuditEvent, Notification, Transition
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..errors import PerformanceError
from ..models import Entry, Period, PeriodState
from ..review import services
from ..review.errors import ReviewError
from ..workflow import APPROVED, REJECTED, SUBMITTED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region):
        yield


def events(action: str) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=f"performance.{action}").order_by("seq"))


def test_the_reviewer_approves_an_entry_as_claimed(perf_a: PerfWorld) -> None:
    # given an entry of staff, waiting for kabid
    entry = entry_make(perf_a, "staff", day=DAY, quantity=3)
    # when kabid approves it
    done = services.entry_approve(region=perf_a.region, actor=perf_a.user("kabid"), entry=entry)
    # then it counts its claimed minutes, and the review is on record
    assert (done.state, done.approved_quantity, done.approved_minutes) == (APPROVED, 3, 90)
    assert done.reviewed_by == perf_a.user("kabid")
    assert done.reviewed_at is not None
    assert done.version == 1  # one step from submitted
    [event] = events("entries.approve")
    assert event.changes["entries"] == [entry.pk]
    assert event.actor == perf_a.user("kabid")
    assert Transition.objects.filter(case_id=str(entry.pk), action="approve").count() == 1


def test_a_rejection_needs_a_reason_and_tells_the_author(perf_a: PerfWorld) -> None:
    entry = entry_make(perf_a, "staff", day=DAY)
    kabid = perf_a.user("kabid")
    with pytest.raises(DomainError) as refused:
        services.entry_reject(region=perf_a.region, actor=kabid, entry=entry, reason="  ")
    assert refused.value.code == ErrorCode.NOTE_REQUIRED
    assert "reason" in refused.value.field_errors
    assert Entry.objects.get(pk=entry.pk).state == SUBMITTED

    done = services.entry_reject(
        region=perf_a.region, actor=kabid, entry=entry, reason="Bukan tugas Anda"
    )

    assert (done.state, done.approved_minutes, done.approved_quantity) == (REJECTED, 0, None)
    assert done.review_note == "Bukan tugas Anda"
    [event] = events("entries.reject")
    assert event.reason == "Bukan tugas Anda"
    [note] = Notification.objects.filter(recipient=perf_a.user("staff"))
    assert note.kind == "performance.entry.reject"
    assert "Bukan tugas Anda" in note.body


def test_an_adjustment_approves_a_smaller_quantity_at_the_standard_minutes(
    perf_a: PerfWorld,
) -> None:
    entry = entry_make(perf_a, "staff", day=DAY, activity="meeting", quantity=3)
    done = services.entry_adjust(
        region=perf_a.region, actor=perf_a.user("kabid"), entry=entry, quantity=2,
        reason="Rapat ketiga dibatalkan",
    )  # fmt: skip
    assert (done.state, done.approved_quantity, done.approved_minutes) == (APPROVED, 2, 120)
    assert done.claimed_minutes == 180  # the claim stays as it was made
    [event] = events("entries.adjust")
    assert event.changes["quantity"] == [3, 2]
    [note] = Notification.objects.filter(recipient=perf_a.user("staff"))
    assert note.kind == "performance.entry.adjust"
    assert "2" in note.body


@pytest.mark.parametrize("quantity", [3, 4, 0])
def test_an_adjustment_must_be_smaller_than_claimed_and_above_zero(
    perf_a: PerfWorld, quantity: int
) -> None:
    entry = entry_make(perf_a, "staff", day=DAY, quantity=3)
    with pytest.raises(DomainError) as refused:
        services.entry_adjust(region=perf_a.region, actor=perf_a.user("kabid"), entry=entry,
                              quantity=quantity, reason="Terlalu banyak")  # fmt: skip
    assert refused.value.code == ReviewError.ADJUST_QUANTITY
    assert "quantity" in refused.value.field_errors
    fresh = Entry.objects.get(pk=entry.pk)
    assert (fresh.state, fresh.approved_minutes) == (SUBMITTED, 0)
    assert not events("entries.adjust")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["peer", "head", "outsider"])
def test_only_the_current_reviewer_acts(perf_a: PerfWorld, who: str) -> None:
    # head is above kabid in staff's chain, yet the entry reaches head only by escalation
    entry = entry_make(perf_a, "staff", day=DAY)
    with pytest.raises(DomainError) as refused:
        services.entry_approve(region=perf_a.region, actor=perf_a.user(who), entry=entry)
    assert refused.value.code == PerformanceError.NOT_REVIEWER
    assert refused.value.status == 403
    assert Entry.objects.get(pk=entry.pk).state == SUBMITTED


def test_someone_outside_the_registry_reviews_nothing(perf_a: PerfWorld) -> None:
    entry = entry_make(perf_a, "staff", day=DAY)
    with pytest.raises(DomainError) as refused:
        services.entry_approve(region=perf_a.region, actor=perf_a.admin, entry=entry)
    assert refused.value.code == PerformanceError.NOT_REVIEWER


def test_nobody_reviews_their_own_entries(perf_a: PerfWorld) -> None:
    # given a registry error that made kabid the reviewer of kabid's own entry
    entry = entry_make(perf_a, "kabid", day=DAY)
    Entry.objects.filter(pk=entry.pk).update(reviewer=perf_a.people["kabid"])
    entry.refresh_from_db()
    kabid = perf_a.user("kabid")
    with pytest.raises(DomainError) as single:
        services.entry_approve(region=perf_a.region, actor=kabid, entry=entry)
    with pytest.raises(DomainError) as day:
        services.day_approve(
            region=perf_a.region, actor=kabid, employee=perf_a.people["kabid"], day=DAY
        )
    assert single.value.code == day.value.code == PerformanceError.OWN_ENTRY
    assert Entry.objects.get(pk=entry.pk).state == SUBMITTED


def test_nobody_reviews_in_a_closed_month(perf_a: PerfWorld) -> None:
    entry = entry_make(perf_a, "staff", day=DAY)
    Period.objects.create(region=perf_a.region, year=2026, month=3, state=PeriodState.CLOSED)
    with pytest.raises(DomainError) as refused:
        services.entries_approve(region=perf_a.region, actor=perf_a.user("kabid"), ids=[entry.pk])
    assert refused.value.code == PerformanceError.MONTH_CLOSED
    assert Entry.objects.get(pk=entry.pk).state == SUBMITTED
    assert not events("entries.approve")


def test_an_entry_reviewed_already_is_reported_not_approved_twice(perf_a: PerfWorld) -> None:
    entry = entry_make(perf_a, "staff", day=DAY)
    kabid = perf_a.user("kabid")
    stale = Entry.objects.get(pk=entry.pk)  # what a second tab still shows
    services.entry_reject(region=perf_a.region, actor=kabid, entry=entry, reason="Ganda")
    with pytest.raises(DomainError) as refused:
        services.entry_approve(region=perf_a.region, actor=kabid, entry=stale)
    assert refused.value.code == ReviewError.ALREADY_REVIEWED
    assert refused.value.status == 409
    batch = services.entries_approve(region=perf_a.region, actor=kabid, ids=[entry.pk])
    assert batch == services.ReviewBatch([], [entry.pk])
    assert Entry.objects.get(pk=entry.pk).state == REJECTED
    assert len(events("entries.approve")) == 0


def test_a_day_is_approved_at_once_and_only_that_persons_day(perf_a: PerfWorld) -> None:
    # given staff's day of three entries, one already reviewed, and other days and people
    mine = [
        entry_make(perf_a, "staff", day=DAY, start=dt.time(h), end=dt.time(h + 1))
        for h in (8, 9, 10)
    ]
    entry_make(perf_a, "staff", day=DAY, start=dt.time(11), end=dt.time(12), state=REJECTED)
    next_day = entry_make(perf_a, "staff", day=DAY + dt.timedelta(days=1))
    peers = entry_make(perf_a, "peer", day=DAY)
    # when kabid approves staff's day
    batch = services.day_approve(
        region=perf_a.region, actor=perf_a.user("kabid"), employee=perf_a.people["staff"], day=DAY
    )
    # then exactly that day's waiting entries moved, in one audit event
    assert sorted(batch.moved) == sorted(e.pk for e in mine)
    states = dict(Entry.objects.values_list("pk", "state"))
    assert {states[e.pk] for e in mine} == {APPROVED}
    assert states[next_day.pk] == states[peers.pk] == SUBMITTED
    [event] = events("entries.approve")
    assert sorted(event.changes["entries"]) == sorted(batch.moved)
    assert event.changes["work_date"] == DAY.isoformat()


def test_a_selection_moves_in_a_constant_number_of_statements(perf_a: PerfWorld) -> None:
    def approve(n: int, day: dt.date) -> int:
        ids = [
            entry_make(perf_a, "staff", day=day, start=dt.time(7 + h), end=dt.time(8 + h)).pk
            for h in range(n)
        ]
        with CaptureQueriesContext(connection) as queries:
            batch = services.entries_approve(
                region=perf_a.region, actor=perf_a.user("kabid"), ids=ids
            )
        assert sorted(batch.moved) == sorted(ids)
        return len(queries)

    approve(1, DAY - dt.timedelta(days=7))  # the first call fills this process's caches
    assert approve(2, DAY) == approve(9, DAY + dt.timedelta(days=1))
    [_warm, _first, second] = events("entries.approve")
    assert len(second.changes["entries"]) == 9


def test_a_selection_with_any_entry_not_theirs_moves_nothing(perf_a: PerfWorld) -> None:
    staff = entry_make(perf_a, "staff", day=DAY)
    kabids_own = entry_make(perf_a, "kabid", day=DAY)  # reviewed by head
    with pytest.raises(DomainError) as refused:
        services.entries_approve(
            region=perf_a.region, actor=perf_a.user("kabid"), ids=[staff.pk, kabids_own.pk]
        )
    assert refused.value.code == PerformanceError.OWN_ENTRY
    assert set(Entry.objects.values_list("state", flat=True)) == {SUBMITTED}


def test_a_selection_must_name_entries(perf_a: PerfWorld) -> None:
    with pytest.raises(ValidationFailed):
        services.entries_approve(region=perf_a.region, actor=perf_a.user("kabid"), ids=[])
    with pytest.raises(ValidationFailed):
        services.entries_approve(
            region=perf_a.region, actor=perf_a.user("kabid"), ids=range(1, 502)
        )


def test_another_regions_entry_is_not_found(perf_a: PerfWorld, perf_b: PerfWorld) -> None:
    with region_scope(perf_b.region):
        theirs = entry_make(perf_b, "staff", day=DAY)
    mine = entry_make(perf_a, "staff", day=DAY)
    kabid = perf_a.user("kabid")
    with pytest.raises(NotFound):
        services.entries_approve(region=perf_a.region, actor=kabid, ids=[mine.pk, theirs.pk])
    with pytest.raises(NotFound):
        services.entry_approve(region=perf_a.region, actor=kabid, entry=theirs)
    with pytest.raises(NotFound):
        services.day_approve(
            region=perf_a.region, actor=kabid, employee=perf_b.people["staff"], day=DAY
        )
    assert Entry.objects.get(pk=mine.pk).state == SUBMITTED
    with region_scope(perf_b.region):
        assert Entry.objects.get(pk=theirs.pk).state == SUBMITTED
