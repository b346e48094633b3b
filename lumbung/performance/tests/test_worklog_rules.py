"""Property tests of the overlap, span and cap rules: the pure functions against a
minute-by-minute model of the day, and the service keeping the day's invariants whatever
sequence of entries a person sends."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.core.errors import DomainError
from lumbung.core.tenancy import region_scope

from ..models import Entry
from ..workflow import SUBMITTED
from ..worklog import rules
from ..worklog.services import entry_create
from .test_worklog_helpers import TODAY, clock, entry_input, set_settings

DAY_MINUTES = 24 * 60


def at(minute: int) -> dt.time:
    return dt.time(minute // 60, minute % 60)


# A loaded test machine may draw slowly; timings are not what these tests are about.
PURE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

spans = st.integers(0, DAY_MINUTES - 2).flatmap(
    lambda start: st.tuples(st.just(start), st.integers(start + 1, DAY_MINUTES - 1))
)


@PURE
@given(span=spans, others=st.lists(spans, max_size=6))
def test_overlap_is_sharing_at_least_one_minute(span, others):
    minutes = set(range(*span))
    shared = any(minutes & set(range(*other)) for other in others)
    as_times = [(at(a), at(b)) for a, b in others]
    assert rules.overlaps((at(span[0]), at(span[1])), as_times) == shared


@PURE
@given(span=spans)
def test_spans_that_only_touch_do_not_overlap(span):
    start, end = span
    neighbours = []
    if start > 0:
        neighbours.append((at(0), at(start)))
    if end < DAY_MINUTES - 1:
        neighbours.append((at(end), at(DAY_MINUTES - 1)))
    assert not rules.overlaps((at(start), at(end)), neighbours)


@PURE
@given(span=spans, quantity=st.integers(1, 1000), standard=st.integers(1, 1440))
def test_the_claim_fits_exactly_when_it_is_no_longer_than_the_span(span, quantity, standard):
    start, end = at(span[0]), at(span[1])
    fits = rules.fits_span(quantity, standard, start, end)
    assert fits == (quantity * standard <= span[1] - span[0])
    if not fits:
        with pytest.raises(DomainError) as caught:
            rules.check_span(quantity, standard, start, end)
        assert "quantity" in caught.value.field_errors


@PURE
@given(used=st.integers(0, 2000), claimed=st.integers(1, 2000), cap=st.integers(1, 2000))
def test_the_cap_admits_a_claim_exactly_up_to_the_cap(used, claimed, cap):
    assert rules.within_cap(used, claimed, cap) == (used + claimed <= cap)


# The service, over any sequence of entries ----------------------------------------------------

attempts = st.lists(
    st.tuples(st.integers(7 * 60, 17 * 60), st.integers(1, 180), st.integers(1, 4)),
    min_size=1,
    max_size=8,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tries=attempts)
def test_whatever_is_sent_the_day_keeps_its_invariants(perf_a, tries):
    perf = perf_a
    set_settings(perf, daily_cap_minutes=240)
    with clock(), region_scope(perf.region):
        Entry.objects.filter(region=perf.region).delete()
        for start, length, quantity in tries:
            data = entry_input(
                perf, start_time=at(start), end_time=at(min(start + length, DAY_MINUTES - 1)),
                quantity=quantity,
            )  # fmt: skip
            with contextlib.suppress(DomainError):
                entry_create(region=perf.region, actor=perf.user("staff"), data=data)
        kept = list(Entry.objects.filter(region=perf.region, work_date=TODAY, state=SUBMITTED))
    spans_kept = [(e.start_time, e.end_time) for e in kept]
    for i, entry in enumerate(kept):
        assert not rules.overlaps((entry.start_time, entry.end_time), spans_kept[i + 1 :])
        assert entry.claimed_minutes <= rules.span_minutes(entry.start_time, entry.end_time)
    assert sum(e.claimed_minutes for e in kept) <= 240
