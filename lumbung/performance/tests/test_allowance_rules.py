"""Property tests of the TPP rule (rules.py): the share is capped at 1 and never falls as
minutes rise, bands are found and counted the same way day by day and in bulk, the
amount never exceeds the base, and rounding is to whole Rupiah, half up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from ..allowance.formulas import bandung_barat_example, bandung_default
from ..allowance.rules import (
    MINUTES,
    WEIGHTED,
    Band,
    Rule,
    Scaled,
    band_percent,
    deduction,
    deduction_from_counts,
    exact_amount,
    figures,
    parse_bands,
    performance_share,
    round_rupiah,
)

minutes = st.integers(min_value=0, max_value=20_000)
targets = st.integers(min_value=1, max_value=12_000)
bases = st.decimals(min_value=0, max_value=100_000_000, places=2)
percents = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def bands(draw: st.DrawFn) -> tuple[Band, ...]:
    """Well-formed bands: in order, non-overlapping, maybe with gaps, maybe open-ended."""
    count = draw(st.integers(min_value=0, max_value=5))
    result: list[Band] = []
    low = draw(st.integers(min_value=1, max_value=20))
    for i in range(count):
        high = low + draw(st.integers(min_value=0, max_value=60))
        open_end = i == count - 1 and draw(st.booleans())
        result.append(Band(low, None if open_end else high, draw(percents)))
        low = high + 1 + draw(st.integers(min_value=0, max_value=10))
    return tuple(result)


@st.composite
def weighted_rules(draw: st.DrawFn) -> Rule:
    performance = draw(st.integers(min_value=0, max_value=100))
    return Rule(
        kind=WEIGHTED,
        target_minutes=draw(targets),
        performance_weight=Decimal(performance),
        attendance_weight=Decimal(100 - performance),
        late_bands=draw(bands()),
        early_bands=draw(bands()),
        absence_percent=draw(percents),
    )


def minutes_rule(target: int) -> Rule:
    return Rule(MINUTES, target, Decimal(100), Decimal(0))


@given(minutes, targets)
def test_the_share_is_between_0_and_1_and_reaches_1_at_the_target(m: int, target: int) -> None:
    share = performance_share(m, target)
    assert 0 <= share <= 1
    assert (share == 1) == (m >= target)


@given(minutes, minutes, targets, bases)
def test_more_minutes_never_pay_less(a: int, b: int, target: int, base: Decimal) -> None:
    low, high = sorted((a, b))
    rule = minutes_rule(target)
    assert (
        figures(rule, base, low, Decimal(0)).amount <= figures(rule, base, high, Decimal(0)).amount
    )


@given(weighted_rules(), minutes, bases, st.decimals(min_value=0, max_value=500, places=2))
def test_the_amount_stays_between_0_and_the_base(
    rule: Rule, m: int, base: Decimal, lost: Decimal
) -> None:
    amount = figures(rule, base, m, lost).amount
    assert 0 <= amount <= round_rupiah(Fraction(base))


@given(weighted_rules(), minutes, bases, percents, percents)
def test_more_deduction_never_pays_more(
    rule: Rule, m: int, base: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    assert figures(rule, base, m, high).amount <= figures(rule, base, m, low).amount


@given(weighted_rules(), minutes, bases, st.decimals(min_value=0, max_value=300, places=2))
def test_the_integer_arithmetic_equals_the_exact_fractions(
    rule: Rule, m: int, base: Decimal, lost: Decimal
) -> None:
    for chosen in (rule, minutes_rule(rule.target_minutes)):
        expected = round_rupiah(exact_amount(chosen, base, m, lost))
        assert figures(chosen, base, m, lost).amount == expected


@given(weighted_rules(), minutes, st.decimals(min_value=0, max_value=10**6, places=4))
def test_finer_amounts_than_cents_are_still_exact(rule: Rule, m: int, base: Decimal) -> None:
    assert figures(rule, base, m, Decimal("1.5")).amount == round_rupiah(
        exact_amount(rule, base, m, Decimal("1.5"))
    )


@given(bands(), st.integers(min_value=0, max_value=500))
def test_a_day_costs_the_percent_of_the_one_band_that_holds_it(
    found: tuple[Band, ...], late: int
) -> None:
    holding = [b for b in found if b.holds(late)]
    assert len(holding) <= 1  # well-formed bands never overlap
    expected = holding[0].percent if holding and late > 0 else Decimal(0)
    assert band_percent(found, late) == expected


@given(
    weighted_rules(),
    st.lists(st.integers(min_value=0, max_value=300), max_size=23),
    st.lists(st.integers(min_value=0, max_value=300), max_size=23),
    st.integers(min_value=0, max_value=23),
)
def test_counting_days_per_band_gives_the_day_by_day_deduction(
    rule: Rule, late: list[int], early: list[int], absent: int
) -> None:
    # what the database counts per band (basis.attendance) against the explanation's sum
    def counts(found: tuple[Band, ...], days: list[int]) -> list[int]:
        return [sum(1 for d in days if d > 0 and b.holds(d)) for b in found]

    late_counts, early_counts = counts(rule.late_bands, late), counts(rule.early_bands, early)
    bulk = deduction_from_counts(rule, late_counts, early_counts, absent)
    assert bulk == deduction(rule, late, early, absent)
    scaled = Scaled.of(rule)
    assert scaled is not None  # stored formulas are in hundredths
    assert scaled.lost(late_counts, early_counts, absent) == bulk * 100


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_rounding_is_to_the_nearest_rupiah_half_up(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    rounded = round_rupiah(value)
    assert abs(rounded - value) <= Fraction(1, 2)
    if value - int(value) == Fraction(1, 2):
        assert rounded == int(value) + 1


@given(bands())
def test_well_formed_bands_survive_their_json_form(found: tuple[Band, ...]) -> None:
    parsed, problems = parse_bands([b.as_json() for b in found])
    assert problems == []
    assert parsed == found


@given(bands().filter(lambda b: len(b) >= 2))
def test_overlapping_or_unordered_bands_are_refused(found: tuple[Band, ...]) -> None:
    swapped = [b.as_json() for b in reversed(found)]
    assert "overlap" in parse_bands(swapped)[1]


def test_bad_band_shapes_are_named() -> None:
    assert parse_bands([[0, 10, "1"]])[1] == ["start"]
    assert parse_bands([[10, 5, "1"]])[1] == ["end"]
    assert parse_bands([[1, 5, "101"]])[1] == ["percent"]
    assert parse_bands([[1, 5, "0.125"]])[1] == ["percent"]
    assert parse_bands([[1, None, "1"], [5, 9, "1"]])[1] == ["overlap"]
    assert parse_bands([[1, 5, 0.5]])[1] == ["shape"]  # a float is not an exact percent
    assert parse_bands("1-30:0.5")[1] == ["shape"]


def test_the_pinned_formulas() -> None:
    import datetime as dt

    day = dt.date(2026, 1, 1)
    bandung, kbb = bandung_default(day), bandung_barat_example(day)
    assert bandung.kind == MINUTES
    assert bandung.target_minutes == 6000
    assert (kbb.performance_weight, kbb.attendance_weight) == (60, 40)
    late, problems = parse_bands(kbb.late_bands)
    assert problems == []
    assert [band_percent(late, m) for m in (0, 1, 30, 31, 60, 61, 90, 91, 600)] == [
        0, Decimal("0.5"), Decimal("0.5"), 1, 1, Decimal("1.25"), Decimal("1.25"),
        Decimal("1.5"), Decimal("1.5"),
    ]  # fmt: skip
    assert kbb.absence_percent == 3
