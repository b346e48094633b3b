"""The TPP arithmetic, pure and exact: no database, no float.

A month's allowance for one person is

    amount = base x (P/100 x performance_share + A/100 x attendance_share)

where P and A are the formula's weights (a `minutes` formula is P=100, A=0),
performance_share = min(1, approved minutes / target minutes) and
attendance_share = max(0, 1 - deductions / 100); deductions are percentage points of the
attendance part: each day late adds its late band's percent, each day leaving early its
early band's percent, each working day absent without leave `absence_percent`.

Shares are kept as exact fractions; only the amount is rounded, once, to whole Rupiah,
half up (Rp 0.50 goes up). Stored shares are rounded to 4 places for display only."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

MINUTES, WEIGHTED = "minutes", "weighted"
SHARE_PLACES = Decimal("0.0001")
PERCENT_PLACES = Decimal("0.01")
HUNDRED = Fraction(100)


@dataclass(frozen=True)
class Band:
    """A day with `low` <= minutes <= `high` (no upper end when `high` is None) costs
    `percent` percentage points."""

    low: int
    high: int | None
    percent: Decimal

    def holds(self, minutes: int) -> bool:
        return self.low <= minutes and (self.high is None or minutes <= self.high)

    def as_json(self) -> list[Any]:
        # The percent as text: JSON numbers would come back as float.
        return [self.low, self.high, str(self.percent)]


@dataclass(frozen=True)
class Rule:
    """A TPP formula version, as the arithmetic needs it."""

    kind: str
    target_minutes: int
    performance_weight: Decimal
    attendance_weight: Decimal
    late_bands: tuple[Band, ...] = ()
    early_bands: tuple[Band, ...] = ()
    absence_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class Figures:
    """One person's month: the shares (rounded to 4 places, for showing), the deduction in
    percentage points and the amount in whole Rupiah (computed exactly, rounded once)."""

    performance_share: Decimal
    attendance_share: Decimal
    deduction_percent: Decimal
    amount: int


def band_percent(bands: Iterable[Band], minutes: int) -> Decimal:
    """The percent a day with `minutes` late (or early) costs; 0 if no band holds it."""
    if minutes <= 0:
        return Decimal(0)
    for band in bands:
        if band.holds(minutes):
            return band.percent
    return Decimal(0)


def deduction(rule: Rule, late: Iterable[int], early: Iterable[int], absent_days: int) -> Decimal:
    """Percentage points lost: per day late, per day leaving early, per day absent."""
    total = sum((band_percent(rule.late_bands, m) for m in late), Decimal(0))
    total += sum((band_percent(rule.early_bands, m) for m in early), Decimal(0))
    return total + rule.absence_percent * absent_days


def deduction_from_counts(
    rule: Rule, late_counts: Sequence[int], early_counts: Sequence[int], absent_days: int
) -> Decimal:
    """The same deduction from how many days fell in each band (counted by the database);
    a missing count is 0."""
    total = Decimal(0)
    for bands, counts in ((rule.late_bands, late_counts), (rule.early_bands, early_counts)):
        total += sum((b.percent * n for b, n in zip(bands, counts, strict=False)), Decimal(0))
    return total + rule.absence_percent * absent_days


def performance_share(approved_minutes: int, target_minutes: int) -> Fraction:
    """min(1, approved / target); a target of 0 means the target is met."""
    if target_minutes <= 0:
        return Fraction(1)
    return min(Fraction(1), Fraction(max(0, approved_minutes), target_minutes))


def attendance_share(deduction_percent: Decimal) -> Fraction:
    return max(Fraction(0), 1 - Fraction(deduction_percent) / HUNDRED)


@dataclass(frozen=True)
class Scaled:
    """A rule in whole hundredths (weights, band and absence percents), prepared once per
    month. Money, weights and percents have at most 2 decimals (the columns' scale), so a
    month's amounts are computed with integers: exact, and fast for 20,000 people."""

    weighted: bool
    target: int
    weights: tuple[int, int]
    late: tuple[int, ...]
    early: tuple[int, ...]
    absence: int

    @classmethod
    def of(cls, rule: Rule) -> Scaled | None:
        """None if a value is finer than a hundredth (never for a stored formula)."""
        weighted = rule.kind != MINUTES
        raw = (rule.performance_weight, rule.attendance_weight) if weighted else (100, 0)
        values = [_hundredths(Decimal(v)) for v in (*raw, rule.absence_percent)]
        late = [_hundredths(b.percent) for b in rule.late_bands]
        early = [_hundredths(b.percent) for b in rule.early_bands]
        if any(v is None for v in (*values, *late, *early)):
            return None
        ints = [int(v or 0) for v in values]
        return cls(
            weighted, rule.target_minutes, (ints[0], ints[1]),
            tuple(int(v or 0) for v in late), tuple(int(v or 0) for v in early),
            ints[2] if weighted else 0,
        )  # fmt: skip

    def lost(self, late_counts: Sequence[int], early_counts: Sequence[int], absent: int) -> int:
        """The deduction, in hundredths of a percentage point, from the days per band."""
        if not self.weighted:
            return 0
        total = sum(p * n for p, n in zip(self.late, late_counts, strict=False))
        total += sum(p * n for p, n in zip(self.early, early_counts, strict=False))
        return total + self.absence * absent

    def figures(self, cents: int, approved_minutes: int, lost: int) -> Figures:
        """Figures from the base in cents and the deduction in hundredths."""
        target = self.target if self.target > 0 else 1
        done = min(max(0, approved_minutes), target) if self.target > 0 else 1
        kept = max(0, 10_000 - lost) if self.weighted else 0  # attendance share, 1/10,000
        numerator = cents * (self.weights[0] * done * 10_000 + self.weights[1] * kept * target)
        denominator = 10**10 * target  # cents, and two weights in 1/10,000 of the whole
        return Figures(
            Decimal((2 * done * 10_000 + target) // (2 * target)).scaleb(-4),
            Decimal(kept).scaleb(-4),
            Decimal(lost if self.weighted else 0).scaleb(-2),
            (2 * numerator + denominator) // (2 * denominator),
        )


def figures(
    rule: Rule, base: Decimal, approved_minutes: int, deduction_percent: Decimal
) -> Figures:
    """The month's figures of one person under `rule` with full allowance `base`: with
    integers when every value is in hundredths, else with exact fractions."""
    scaled, cents, lost = Scaled.of(rule), _hundredths(base), _hundredths(deduction_percent)
    if scaled is not None and cents is not None and lost is not None:
        return scaled.figures(cents, approved_minutes, lost)
    weighted = rule.kind != MINUTES
    deduction_percent = deduction_percent if weighted else Decimal(0)
    attend = attendance_share(deduction_percent) if weighted else Fraction(0)
    return Figures(
        fraction_places(performance_share(approved_minutes, rule.target_minutes), SHARE_PLACES),
        fraction_places(attend, SHARE_PLACES),
        deduction_percent,
        round_rupiah(exact_amount(rule, base, approved_minutes, deduction_percent)),
    )


def exact_amount(
    rule: Rule, base: Decimal, approved_minutes: int, deduction_percent: Decimal
) -> Fraction:
    """The amount before rounding, in exact fractions: the definition the fast path in
    `figures` must agree with (the property tests check it)."""
    perf = performance_share(approved_minutes, rule.target_minutes)
    if rule.kind == MINUTES:
        return Fraction(base) * perf
    weights = (
        Fraction(rule.performance_weight) / HUNDRED,
        Fraction(rule.attendance_weight) / HUNDRED,
    )
    attend = attendance_share(deduction_percent)
    return Fraction(base) * (weights[0] * perf + weights[1] * attend)


def _hundredths(value: Decimal) -> int | None:
    scaled = value * 100
    return int(scaled) if scaled == scaled.to_integral_value() else None


def round_rupiah(value: Fraction) -> int:
    """Whole Rupiah, half up (the amounts are never negative)."""
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + (1 if 2 * rest >= value.denominator else 0)


def fraction_places(value: Fraction, places: Decimal) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(places, rounding=ROUND_HALF_UP)


# Bands as region data: [[from, to or null, percent], ...] ---------------------------------


def parse_bands(raw: Any) -> tuple[tuple[Band, ...], list[str]]:
    """Bands from their JSON form, with every problem found (English source messages are
    chosen by the caller's gettext: these are keys into BAND_PROBLEMS)."""
    if raw in (None, ""):
        return (), []
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return (), ["shape"]
    bands: list[Band] = []
    for item in raw:
        band = _band(item)
        if band is None:
            return (), ["shape"]
        bands.append(band)
    return tuple(bands), band_problems(bands)


def _band(item: Any) -> Band | None:
    if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != 3:
        return None
    low, high, percent = item
    if not _whole(low) or not (high is None or _whole(high)):
        return None
    try:
        value = Decimal(str(percent)) if not isinstance(percent, float) else None
    except InvalidOperation:
        return None
    if value is None or not value.is_finite():
        return None
    return Band(int(low), None if high is None else int(high), value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def band_problems(bands: Sequence[Band]) -> list[str]:
    """Keys of what is wrong: a band starting below 1 minute, ending before it starts, a
    percent outside 0..100 or with more than 2 decimals, an open end before the last band,
    bands out of order or overlapping."""
    problems: list[str] = []
    for band in bands:
        if band.low < 1:
            problems.append("start")
        if band.high is not None and band.high < band.low:
            problems.append("end")
        if not Decimal(0) <= band.percent <= Decimal(100) or _places(band.percent) > 2:
            problems.append("percent")
    for before, after in itertools.pairwise(bands):
        if before.high is None or after.low <= before.high:
            problems.append("overlap")
    return list(dict.fromkeys(problems))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
