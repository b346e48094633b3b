"""The auditors' anomalies: each rule finds its pattern in the month's entries, explains it
in words and links a sample of the entries; the near miss is not reported; another region's
entries never are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone, translation

from lumbung.core.calendar import RegionCalendar
from lumbung.core.tenancy import region_scope

from ..dashboards import thresholds as t
from ..dashboards.anomalies import AnomalyKind, Finding, anomalies
from ..dashboards.anomalies_volume import month_close
from ..dashboards.month import Month, yardstick
from ..models import Entry
from ..workflow import APPROVED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
SEPT = Month(2026, 9)
NOTE = "Menyusun laporan kegiatan harian bidang"


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region), translation.override("en"):
        yield


def found(perf: PerfWorld, kind: AnomalyKind) -> list[Finding]:
    return [f for f in anomalies(perf.region, yardstick(perf.region, SEPT)) if f.kind == kind]


def working_days(perf: PerfWorld) -> list[dt.date]:
    calendar = RegionCalendar(perf.region)
    days = [SEPT.start + dt.timedelta(days=n) for n in range(30)]
    return [d for d in days if calendar.is_working_day(d)]


def noted(perf: PerfWorld, who: str, day: dt.date, note: str = NOTE, **kwargs: object) -> Entry:
    entry = entry_make(perf, who, day=day, **kwargs)  # type: ignore[arg-type]
    Entry.objects.filter(pk=entry.pk).update(note=note)
    return entry


def test_the_same_entry_on_five_days_by_one_person(perf_a: PerfWorld) -> None:
    # given staff's identical entry on five days, and peer's on four
    days = working_days(perf_a)
    made = [noted(perf_a, "staff", d) for d in days[:5]]
    for d in days[:4]:
        noted(perf_a, "peer", d, start=dt.time(10), end=dt.time(11))
    # when the month's anomalies are read
    [finding] = found(perf_a, AnomalyKind.COPIED_ENTRIES)
    # then staff's is found, in words, with its five entries; peer's four are not
    assert finding.people == [(perf_a.people["staff"].pk, perf_a.people["staff"].name)]
    assert "on 5 days" in finding.explanation
    assert NOTE in finding.explanation
    assert [e.id for e in finding.entries] == [e.pk for e in made]


def test_a_short_note_repeated_is_not_a_copy(perf_a: PerfWorld) -> None:
    for d in working_days(perf_a)[:8]:
        noted(perf_a, "staff", d, note="Rapat")
    assert found(perf_a, AnomalyKind.COPIED_ENTRIES) == []


def test_the_same_note_by_four_people_on_one_day(perf_a: PerfWorld) -> None:
    day = working_days(perf_a)[0]
    for who in ("staff", "peer", "kabid", "outsider"):
        noted(perf_a, who, day)
    noted(perf_a, "staff", working_days(perf_a)[1])
    for who in ("staff", "peer", "kabid"):  # three on the next day: below the threshold
        noted(perf_a, who, working_days(perf_a)[2])
    [finding] = found(perf_a, AnomalyKind.SHARED_NOTE)
    assert finding.explanation.startswith("4 people wrote the same note")
    assert len(finding.people) == 4
    assert len(finding.entries) == 4


def test_at_the_daily_cap_on_most_working_days(perf_a: PerfWorld) -> None:
    # given staff claiming 420 minutes (the cap) on every working day but one, and peer at
    # the cap on half of them
    days = working_days(perf_a)
    for d in days[1:]:
        entry_make(perf_a, "staff", day=d, quantity=14, state=APPROVED)
    for d in days[: len(days) // 2]:
        entry_make(perf_a, "peer", day=d, quantity=14)
    [finding] = found(perf_a, AnomalyKind.AT_CAP)
    assert finding.people[0][0] == perf_a.people["staff"].pk
    assert finding.count == len(days) - 1
    assert f"on {len(days) - 1} of {len(days)} working days" in finding.explanation
    assert len(finding.entries) == t.SAMPLE_ENTRIES


def test_a_quantity_above_the_regions_99th_percentile(perf_a: PerfWorld) -> None:
    # given 120 letters entries of quantity 2, and one of staff with 40 letters
    Entry.objects.bulk_create(
        [
            Entry(region=perf_a.region, employee=perf_a.people["peer"], work_date=SEPT.start,
                  start_time=dt.time(8), end_time=dt.time(9), activity=perf_a.activities["letter"],
                  quantity=2, standard_minutes=30, claimed_minutes=60, client_key=f"k{n}",
                  state="submitted", state_entered_at=timezone.now())
            for n in range(120)
        ]
    )  # fmt: skip
    big = entry_make(perf_a, "staff", day=SEPT.start, quantity=40)
    [finding] = found(perf_a, AnomalyKind.LARGE_QUANTITY)
    assert finding.people[0][0] == perf_a.people["staff"].pk
    assert "quantity up to 40" in finding.explanation
    assert "above 2" in finding.explanation
    assert [e.id for e in finding.entries] == [big.pk]
    # the meeting activity, with one entry only, is too rare to judge
    entry_make(perf_a, "kabid", day=SEPT.start, activity="meeting", quantity=9)
    assert len(found(perf_a, AnomalyKind.LARGE_QUANTITY)) == 1


def _reviewed(perf: PerfWorld, count: int, seconds: int, *, rejected: int = 0) -> None:
    day = working_days(perf)[0]
    for n in range(count):
        state = "rejected" if n < rejected else APPROVED
        entry = entry_make(perf, "staff", day=day, state=state)
        Entry.objects.filter(pk=entry.pk).update(
            reviewed_by=perf.user("kabid"),
            reviewed_at=entry.created_at + dt.timedelta(seconds=seconds),
        )


def test_a_reviewer_approving_everything_within_seconds(perf_a: PerfWorld) -> None:
    _reviewed(perf_a, t.FAST_MIN_REVIEWS, seconds=5)
    [finding] = found(perf_a, AnomalyKind.FAST_REVIEWER)
    assert finding.people == [(perf_a.people["kabid"].pk, perf_a.people["kabid"].name)]
    assert (
        f"approved {t.FAST_MIN_REVIEWS} of the {t.FAST_MIN_REVIEWS} entries" in finding.explanation
    )


@pytest.mark.parametrize(
    ("count", "seconds", "rejected"),
    [(t.FAST_MIN_REVIEWS - 1, 5, 0), (t.FAST_MIN_REVIEWS, 600, 0), (t.FAST_MIN_REVIEWS, 5, 5)],
    ids=["too-few-reviews", "slow", "rejects-some"],
)
def test_a_reviewer_near_the_thresholds_is_not_flagged(
    perf_a: PerfWorld, count: int, seconds: int, rejected: int
) -> None:
    _reviewed(perf_a, count, seconds, rejected=rejected)
    assert found(perf_a, AnomalyKind.FAST_REVIEWER) == []


def test_entries_made_in_bulk_just_before_the_close(perf_a: PerfWorld) -> None:
    # given the close on the 5th of October; staff created 10 entries for early September
    # on 4 October, peer 9, and kabid 10 created on time
    close = month_close(perf_a.region, SEPT)
    assert close.date() == dt.date(2026, 10, 5)
    days = working_days(perf_a)
    for who, n, at in (("staff", 10, close - dt.timedelta(days=1)),
                       ("peer", 9, close - dt.timedelta(days=1)),
                       ("kabid", 10, close - dt.timedelta(days=20))):  # fmt: skip
        for d in days[:n]:
            entry = entry_make(perf_a, who, day=d)
            Entry.objects.filter(pk=entry.pk).update(created_at=at)
    [finding] = found(perf_a, AnomalyKind.BULK_BEFORE_CUTOFF)
    assert finding.people[0][0] == perf_a.people["staff"].pk
    assert finding.explanation.startswith(f"{perf_a.people['staff'].name} created 10 entries")
    assert len(finding.entries) == 10


def test_another_regions_entries_make_no_finding(perf_a: PerfWorld, perf_b: PerfWorld) -> None:
    with region_scope(perf_b.region):
        for d in working_days(perf_b)[:6]:
            noted(perf_b, "staff", d)
    assert anomalies(perf_a.region, yardstick(perf_a.region, SEPT)) == []
