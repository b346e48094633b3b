"""The working-day calendar of a region: weekends, national holidays, cuti bersama (when the
region observes it), local holidays and make-up working days, counted in the region's own
time zone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import CollectiveLeaveDay, Region
from lumbung.core.services.calendar import collective_leave_sync, region_holiday_set
from lumbung.core.tenancy import region_scope

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
IDUL_FITRI_2026 = [dt.date(2026, 3, d) for d in range(18, 25)]  # cuti bersama + libur nasional


@pytest.fixture
def bandung(db: None) -> Region:
    return Region.objects.get(code="32.73")


@pytest.fixture
def tangerang(db: None) -> Region:
    return Region.objects.get(code="36.71")


@pytest.fixture
def jayapura(db: None) -> Region:
    return Region.objects.get(code="91.71")


@pytest.fixture
def cuti_bersama_2026(db: None) -> None:
    """The SKB's 2026 cuti bersama, loaded the way `lumbung demo` and operators load it."""
    collective_leave_sync(years=[2026])


def is_open(region: Region, day: dt.date) -> bool:
    with region_scope(region):
        return RegionCalendar(region).is_working_day(day)


def add_days(region: Region, start: dt.datetime, days: int) -> dt.datetime:
    with region_scope(region):
        return RegionCalendar(region).add_working_days(start, days)


def between(region: Region, start: dt.datetime, end: dt.datetime) -> int:
    with region_scope(region):
        return RegionCalendar(region).working_days_between(start, end)


def end_of(day: dt.date, zone: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone)


def at(day: dt.date, hour: int = 10, zone: ZoneInfo = WIB) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)


def set_holiday(region: Region, day: dt.date, name: str, *, working: bool = False) -> None:
    with region_scope(region):
        region_holiday_set(region=region, actor=None, date=day, name=name, is_working_day=working)


# --- which days are open -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (dt.date(2026, 3, 6), True),  # Friday
        (dt.date(2026, 3, 7), False),  # Saturday
        (dt.date(2026, 3, 8), False),  # Sunday
        (dt.date(2026, 3, 9), True),  # Monday
    ],
)
def test_weekends_are_closed(bandung: Region, day: dt.date, open_: bool) -> None:
    # given an ordinary week in March 2026; then Saturday and Sunday are closed
    assert is_open(bandung, day) is open_


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 1, 1),  # Tahun Baru
        dt.date(2026, 5, 1),  # Hari Buruh
        dt.date(2026, 8, 17),  # Proklamasi Kemerdekaan, a Monday
        dt.date(2026, 12, 25),  # Natal
    ],
)
def test_national_holidays_are_closed_everywhere(
    bandung: Region, jayapura: Region, day: dt.date
) -> None:
    # given a weekday that is a libur nasional
    assert day.weekday() < 5

    # then every region is closed on it, and it is named in the closed days
    assert not is_open(bandung, day)
    assert not is_open(jayapura, day)
    with region_scope(bandung):
        assert day in RegionCalendar(bandung).closed_days(day, day)


def test_cuti_bersama_is_data_loaded_from_the_decree(bandung: Region) -> None:
    # given no decree loaded yet, Thursday 24 December 2026 (cuti bersama Natal) is open
    christmas_eve = dt.date(2026, 12, 24)
    assert is_open(bandung, christmas_eve)

    # when the 2026 SKB is loaded
    added = collective_leave_sync(years=[2026])

    # then the day is closed, and loading it again adds nothing
    assert not is_open(bandung, christmas_eve)
    assert added > 0
    assert added == CollectiveLeaveDay.objects.filter(date__year=2026).count()
    assert collective_leave_sync(years=[2026]) == 0


def test_cuti_bersama_closes_only_regions_that_observe_it(
    bandung: Region, tangerang: Region, cuti_bersama_2026: None
) -> None:
    # given Tangerang keeps its offices open on cuti bersama
    tangerang.observes_cuti_bersama = False

    # then 24 December 2026 is closed in Bandung and open in Tangerang
    christmas_eve = dt.date(2026, 12, 24)
    assert not is_open(bandung, christmas_eve)
    assert is_open(tangerang, christmas_eve)
    # while Christmas itself, a national holiday, is closed in both
    assert not is_open(tangerang, dt.date(2026, 12, 25))


def test_a_local_holiday_closes_that_region_only(bandung: Region, tangerang: Region) -> None:
    # given Bandung's anniversary, Friday 25 September 2026, declared a local holiday
    anniversary = dt.date(2026, 9, 25)
    set_holiday(bandung, anniversary, "Hari Jadi Kota Bandung")

    # then Bandung is closed that day and Tangerang is not
    assert not is_open(bandung, anniversary)
    assert is_open(tangerang, anniversary)
    with region_scope(bandung):
        closed = RegionCalendar(bandung).closed_days(anniversary, anniversary)
    assert closed == {anniversary: "Hari Jadi Kota Bandung"}


def test_a_declared_make_up_working_day_on_a_saturday_is_open(
    bandung: Region, tangerang: Region
) -> None:
    # given Bandung declares Saturday 28 March 2026 a make-up working day after Lebaran
    saturday = dt.date(2026, 3, 28)
    set_holiday(bandung, saturday, "Hari kerja pengganti", working=True)

    # then it is open in Bandung only
    assert is_open(bandung, saturday)
    assert not is_open(tangerang, saturday)


def test_a_make_up_working_day_counts_toward_deadlines(bandung: Region) -> None:
    # given Saturday 28 March 2026 declared a working day
    saturday = dt.date(2026, 3, 28)
    set_holiday(bandung, saturday, "Hari kerja pengganti", working=True)
    friday = at(dt.date(2026, 3, 27))

    # when one working day is added to Friday, and Friday..Monday is counted
    due = add_days(bandung, friday, 1)
    counted = between(bandung, friday, at(dt.date(2026, 3, 30)))

    # then the Saturday is that day, and Saturday and Monday both count
    assert due == end_of(saturday)
    assert counted == 2


def test_a_region_can_open_on_a_cuti_bersama_day(bandung: Region, cuti_bersama_2026: None) -> None:
    # given Bandung declares the cuti bersama of 24 December 2026 a working day after all
    christmas_eve = dt.date(2026, 12, 24)
    set_holiday(bandung, christmas_eve, "Pelayanan tetap buka", working=True)

    # then it is open
    assert is_open(bandung, christmas_eve)


# --- counting working days ------------------------------------------------------------------


def test_idul_fitri_2026_is_closed_from_18_to_24_march(
    bandung: Region, cuti_bersama_2026: None
) -> None:
    # given lokal-id's 2026 decree: Nyepi, Idul Fitri and their cuti bersama
    # then every day from 18 to 24 March is closed, and the 25th is open
    assert [d for d in IDUL_FITRI_2026 if is_open(bandung, d)] == []
    assert is_open(bandung, dt.date(2026, 3, 25))


def test_add_working_days_across_idul_fitri(bandung: Region, cuti_bersama_2026: None) -> None:
    # given a case received on Tuesday 17 March 2026, the day before the Lebaran break
    received = at(dt.date(2026, 3, 17))

    # when 3 working days are added
    due = add_days(bandung, received, 3)

    # then 18-24 March are skipped: Wednesday 25, Thursday 26, Friday 27
    assert due == end_of(dt.date(2026, 3, 27))


def test_add_working_days_across_idul_fitri_without_cuti_bersama(
    tangerang: Region, cuti_bersama_2026: None
) -> None:
    # given a region that works on cuti bersama
    tangerang.observes_cuti_bersama = False

    # when 3 working days are added to Tuesday 17 March 2026
    due = add_days(tangerang, at(dt.date(2026, 3, 17)), 3)

    # then only Nyepi (19th) and the weekend are skipped: 18, 20, 23
    assert due == end_of(dt.date(2026, 3, 23))


def test_add_working_days_across_the_new_year(bandung: Region, cuti_bersama_2026: None) -> None:
    # given a case received on Wednesday 23 December 2026
    received = at(dt.date(2026, 12, 23))

    # when 5 working days are added
    due = add_days(bandung, received, 5)

    # then cuti bersama, Christmas, the weekends and New Year's Day 2027 are skipped
    assert due == end_of(dt.date(2027, 1, 4))


def test_a_case_received_on_a_closed_day_counts_from_the_next_working_day(
    bandung: Region,
) -> None:
    # given a case received on Saturday 7 March 2026
    # when one working day is added, then it is due at the end of Monday
    assert add_days(bandung, at(dt.date(2026, 3, 7)), 1) == end_of(dt.date(2026, 3, 9))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 2), 0),  # same day
        (dt.date(2026, 3, 2), dt.date(2026, 3, 3), 1),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 9), 5),  # a week, weekend excluded
        (dt.date(2026, 3, 6), dt.date(2026, 3, 9), 1),  # Friday to Monday
        (dt.date(2026, 3, 17), dt.date(2026, 3, 27), 3),  # across Idul Fitri
        (dt.date(2026, 3, 9), dt.date(2026, 3, 2), 0),  # backwards
    ],
)
def test_working_days_between(
    bandung: Region, cuti_bersama_2026: None, start: dt.date, end: dt.date, expected: int
) -> None:
    # given Bandung with the 2026 cuti bersama loaded
    # when the working days after `start`'s day up to `end`'s day are counted
    # then the weekend and closed days are left out
    assert between(bandung, at(start), at(end, hour=16)) == expected


# --- time zones ---------------------------------------------------------------------------------


def test_the_same_instant_is_a_different_local_date_in_wib_and_wit(
    bandung: Region, jayapura: Region
) -> None:
    # given a case received at 23:30 WIB on Thursday 5 March 2026
    instant = dt.datetime(2026, 3, 5, 23, 30, tzinfo=WIB)

    # then in Jayapura (WIT) it is already 01:30 on Friday
    assert RegionCalendar(bandung).local_date(instant) == dt.date(2026, 3, 5)
    assert RegionCalendar(jayapura).local_date(instant) == dt.date(2026, 3, 6)


def test_deadlines_follow_the_region_local_date_and_end_of_day(
    bandung: Region, jayapura: Region
) -> None:
    # given the same instant, 23:30 WIB on Thursday 5 March 2026
    instant = dt.datetime(2026, 3, 5, 23, 30, tzinfo=WIB)

    # when one working day is added in each region
    in_bandung = add_days(bandung, instant, 1)
    in_jayapura = add_days(jayapura, instant, 1)

    # then Bandung counts from Thursday (due Friday), Jayapura from Friday (due Monday),
    # each at the end of the day on its own clock
    assert in_bandung == end_of(dt.date(2026, 3, 6), WIB)
    assert in_jayapura == end_of(dt.date(2026, 3, 9), WIT)
    assert in_jayapura.astimezone(dt.UTC) == dt.datetime(2026, 3, 9, 14, 59, 59, tzinfo=dt.UTC)


# --- property: adding and counting agree --------------------------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31)),
    days=st.integers(min_value=1, max_value=40),
)
def test_counting_the_days_added_gives_back_the_same_number(
    bandung: Region, start: dt.date, days: int
) -> None:
    # given Bandung's 2026 calendar with cuti bersama, a local holiday and a make-up Saturday
    if not CollectiveLeaveDay.objects.exists():
        collective_leave_sync(years=[2026])
        set_holiday(bandung, dt.date(2026, 9, 25), "Hari Jadi Kota Bandung")
        set_holiday(bandung, dt.date(2026, 3, 28), "Hari kerja pengganti", working=True)
    received = at(start, hour=9)

    # when `days` working days are added
    due = add_days(bandung, received, days)

    # then the deadline is a working day, and exactly `days` working days lie up to it
    assert is_open(bandung, due.astimezone(WIB).date())
    assert between(bandung, received, due) == days


# --- kept in the process's memory --------------------------------------------------------


@pytest.fixture
def process_memory():
    from django.core.cache import caches
    from django.test import override_settings

    locmem = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
        "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
    }
    with override_settings(CACHES=locmem):
        caches["public"].clear()
        yield
        caches["public"].clear()


def test_a_remembered_calendar_counts_without_queries_and_learns_a_new_holiday_at_once(
    bandung: Region,
    tangerang: Region,
    process_memory: None,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monday = at(dt.date(2026, 9, 21))
    # given Bandung's calendar counted once in this process
    assert add_days(bandung, monday, 4) == end_of(dt.date(2026, 9, 25))
    # then counting again reads nothing from the database
    with django_assert_num_queries(0):
        assert add_days(bandung, monday, 4) == end_of(dt.date(2026, 9, 25))
    # when Bandung declares Friday 25 September a local holiday (committed)
    with django_capture_on_commit_callbacks(execute=True):
        set_holiday(bandung, dt.date(2026, 9, 25), "Hari Jadi Kota Bandung")
    # then the next count skips it at once, and Tangerang's does not
    assert add_days(bandung, monday, 4) == end_of(dt.date(2026, 9, 28))
    assert add_days(tangerang, monday, 4) == end_of(dt.date(2026, 9, 25))
