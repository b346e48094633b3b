"""Routing as a pure function: the rules (data) and an activity's facts in, one lane out.

`route` reads nothing but its arguments, so property tests can drive it with any rules;
`services.catalogue.lane_for` loads a region's rules and calls it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .models.common import Lane, Risk, Scale

# Business scale by capital excluding land and buildings (PP 7/2021, art. 35): micro up to
# Rp 1 miliar, small up to Rp 5 miliar, medium up to Rp 10 miliar, large above.
SCALE_CEILINGS = (
    (Decimal("1000000000"), Scale.MICRO),
    (Decimal("5000000000"), Scale.SMALL),
    (Decimal("10000000000"), Scale.MEDIUM),
)


def scale_for(capital: Decimal) -> Scale:
    """The business scale the declared capital puts it in."""
    for ceiling, scale in SCALE_CEILINGS:
        if capital <= ceiling:
            return scale
    return Scale.LARGE


@dataclass(frozen=True)
class RuleSpec:
    """One routing rule as plain data (a RoutingRule row, or one of the defaults)."""

    priority: int
    lane: str
    kbli_prefix: str = ""
    risk: str = ""
    scale: str = ""
    capital_min: Decimal | None = None
    capital_max: Decimal | None = None
    below_threshold: bool = False
    permit_type_id: int | None = None
    rule_id: int | None = None

    def matches(
        self, kbli_code: str, risk: str, scale: str, capital: Decimal, threshold: Decimal
    ) -> bool:
        return (
            kbli_code.startswith(self.kbli_prefix)
            and self.risk in ("", risk)
            and self.scale in ("", scale)
            and (self.capital_min is None or capital >= self.capital_min)
            and (self.capital_max is None or capital < self.capital_max)
            and (not self.below_threshold or capital < threshold)
        )


@dataclass(frozen=True)
class Route:
    lane: Lane
    permit_type_id: int | None = None
    rule_id: int | None = None  # None: a default rule or the final fallback


# The pinned defaults. The first reproduces Hayu: a low-risk business whose capital is
# under the region's threshold only reports. The rest follow risk-based licensing: low
# risk above it and medium-low risk declare the standard themselves, medium-high risk has
# it verified, high risk needs a permit.
DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(10, Lane.REPORT_ONLY, risk=Risk.RENDAH, below_threshold=True),
    RuleSpec(20, Lane.CERTIFICATE_SELF, risk=Risk.RENDAH),
    RuleSpec(30, Lane.CERTIFICATE_SELF, risk=Risk.MENENGAH_RENDAH),
    RuleSpec(40, Lane.CERTIFICATE_VERIFIED, risk=Risk.MENENGAH_TINGGI),
    RuleSpec(50, Lane.PERMIT, risk=Risk.TINGGI),
)
# Nothing matched (a region's own rules leave a gap): the most careful lane, so a gap
# can never let a business skip a check.
FALLBACK = Route(Lane.PERMIT)


def route(
    rules: Sequence[RuleSpec],
    *,
    kbli_code: str,
    risk: str,
    scale: str,
    capital: Decimal,
    threshold: Decimal,
) -> Route:
    """The lane of the first rule (by priority, then id) that matches; FALLBACK if none."""
    ordered = sorted(rules, key=lambda r: (r.priority, r.rule_id or 0))
    for rule in ordered:
        if rule.matches(kbli_code, risk, scale, capital, threshold):
            return Route(Lane(rule.lane), rule.permit_type_id, rule.rule_id)
    return FALLBACK
