"""Routing and the levy as pure functions, driven by hypothesis: every input gets exactly
one lane; the pinned defaults reproduce Hayu; the levy is exact and whole Rupiah."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbung.core.errors import DomainError

from ..errors import PermitsError
from ..fees import fee_compute, fee_formula_check
from ..models import FeeKind, Lane, Risk, Scale
from ..routing import DEFAULT_RULES, FALLBACK, RuleSpec, route, scale_for

THRESHOLD = Decimal("500000000")
kbli_codes = st.from_regex(r"\A[0-9]{5}\Z")
risks = st.sampled_from(list(Risk.values))
scales = st.sampled_from(list(Scale.values))
capitals = st.decimals(min_value=0, max_value=Decimal("1e14"), places=2)
lanes = st.sampled_from(list(Lane.values))


@st.composite
def rules(draw: st.DrawFn) -> RuleSpec:
    low = draw(st.none() | capitals)
    high = draw(st.none() | capitals)
    return RuleSpec(
        priority=draw(st.integers(0, 100)),
        lane=draw(lanes),
        kbli_prefix=draw(st.from_regex(r"\A[0-9]{0,3}\Z")),
        risk=draw(st.sampled_from(["", *Risk.values])),
        scale=draw(st.sampled_from(["", *Scale.values])),
        capital_min=low,
        capital_max=high,
        below_threshold=draw(st.booleans()),
        rule_id=draw(st.integers(1, 10_000)),
    )


@given(kbli_codes, risks, scales, capitals)
def test_under_the_threshold_and_low_risk_only_reports(
    code: str, risk: str, scale: str, capital: Decimal
) -> None:
    lane = route(
        DEFAULT_RULES, kbli_code=code, risk=risk, scale=scale, capital=capital, threshold=THRESHOLD
    ).lane
    if risk == Risk.RENDAH and capital < THRESHOLD:
        assert lane == Lane.REPORT_ONLY
    else:
        assert lane != Lane.REPORT_ONLY


@given(kbli_codes, risks, scales, capitals)
def test_the_defaults_follow_the_risk(code: str, risk: str, scale: str, capital: Decimal) -> None:
    lane = route(
        DEFAULT_RULES, kbli_code=code, risk=risk, scale=scale, capital=capital, threshold=THRESHOLD
    ).lane
    expected = {
        Risk.MENENGAH_RENDAH: Lane.CERTIFICATE_SELF,
        Risk.MENENGAH_TINGGI: Lane.CERTIFICATE_VERIFIED,
        Risk.TINGGI: Lane.PERMIT,
    }
    if risk in expected:
        assert lane == expected[Risk(risk)]


@given(st.lists(rules(), max_size=8), kbli_codes, risks, scales, capitals, capitals)
def test_every_input_gets_exactly_one_lane_the_first_match_by_priority(
    specs: list[RuleSpec], code: str, risk: str, scale: str, capital: Decimal, threshold: Decimal
) -> None:
    decision = route(
        specs, kbli_code=code, risk=risk, scale=scale, capital=capital, threshold=threshold
    )
    assert decision.lane in Lane.values
    matching = sorted(
        (r for r in specs if r.matches(code, risk, scale, capital, threshold)),
        key=lambda r: (r.priority, r.rule_id or 0),
    )
    if matching:
        assert (decision.lane, decision.rule_id) == (matching[0].lane, matching[0].rule_id)
    else:
        assert decision == FALLBACK
    # the order the rules come in does not matter
    shuffled = route(
        list(reversed(specs)),
        kbli_code=code,
        risk=risk,
        scale=scale,
        capital=capital,
        threshold=threshold,
    )
    assert shuffled == decision


def test_a_gap_in_the_rules_falls_to_the_most_careful_lane() -> None:
    only_small = [RuleSpec(1, Lane.REPORT_ONLY, scale=Scale.MICRO)]
    decision = route(
        only_small,
        kbli_code="56102",
        risk=Risk.RENDAH,
        scale=Scale.LARGE,
        capital=Decimal("2e10"),
        threshold=THRESHOLD,
    )
    assert decision.lane == Lane.PERMIT


def test_a_kbli_prefix_rule_routes_its_activities() -> None:
    specs = [*DEFAULT_RULES, RuleSpec(1, Lane.PERMIT, kbli_prefix="5611")]
    hit = route(
        specs,
        kbli_code="56111",
        risk="rendah",
        scale="micro",
        capital=Decimal(1),
        threshold=THRESHOLD,
    )
    miss = route(
        specs,
        kbli_code="56102",
        risk="rendah",
        scale="micro",
        capital=Decimal(1),
        threshold=THRESHOLD,
    )
    assert (hit.lane, miss.lane) == (Lane.PERMIT, Lane.REPORT_ONLY)


@pytest.mark.parametrize(
    ("capital", "scale"),
    [
        ("0", Scale.MICRO),
        ("1000000000", Scale.MICRO),
        ("1000000000.01", Scale.SMALL),
        ("5000000000", Scale.SMALL),
        ("10000000000", Scale.MEDIUM),
        ("10000000001", Scale.LARGE),
    ],
)
def test_the_scale_follows_the_capital(capital: str, scale: Scale) -> None:
    assert scale_for(Decimal(capital)) == scale


# --- the levy ---------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=Decimal("1e9"), places=2)
quantities = st.decimals(min_value=0, max_value=Decimal("1e6"), places=2)


@given(money, money, quantities)
def test_a_per_m2_levy_is_exact_whole_rupiah(rate: Decimal, amount: Decimal, area: Decimal) -> None:
    fee = fee_compute(FeeKind.PER_M2, rate, amount, area)
    assert isinstance(fee, Decimal)
    assert fee == fee.to_integral_value()
    assert fee == (amount + rate * area).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert abs(fee - (amount + rate * area)) <= Decimal("0.5")


@given(money, money, quantities, quantities)
def test_more_area_never_costs_less(
    rate: Decimal, amount: Decimal, small: Decimal, extra: Decimal
) -> None:
    assert fee_compute(FeeKind.PER_M2, rate, amount, small + extra) >= fee_compute(
        FeeKind.PER_M2, rate, amount, small
    )


@given(money, money, quantities)
def test_fixed_and_zero_ignore_the_quantity(rate: Decimal, amount: Decimal, area: Decimal) -> None:
    assert fee_compute(FeeKind.FIXED, Decimal(0), amount, area) == fee_compute(
        FeeKind.FIXED, Decimal(0), amount, None
    )
    assert fee_compute(FeeKind.ZERO, rate, amount, area) == 0


@pytest.mark.parametrize(
    ("kind", "rate", "amount"),
    [
        ("zero", "1", "0"),
        ("fixed", "0", "0"),
        ("fixed", "10", "5000"),
        ("per_m2", "0", "5000"),
        ("per_unit", "-1", "0"),
        ("monthly", "0", "0"),
    ],
)
def test_a_formula_that_cannot_be_meant_is_refused(kind: str, rate: str, amount: str) -> None:
    with pytest.raises(DomainError) as caught:
        fee_formula_check(kind, Decimal(rate), Decimal(amount))
    assert caught.value.code == PermitsError.FEE_FORMULA_INVALID
