"""The levy (retribusi) formula: computed by the system from the permit type, never typed
by the applicant. Exact Decimal arithmetic, billed in whole Rupiah (half up)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ValidationFailed

from .errors import PermitsError
from .models.catalogue import FeeKind, PermitType
from .models.common import MONEY_MAX

RUPIAH = Decimal(1)
ZERO = Decimal(0)


def fee_compute(
    kind: str, rate: Decimal, amount: Decimal, quantity: Decimal | None = None
) -> Decimal:
    """fixed: amount; per_m2 / per_unit: amount + rate x quantity; zero: 0."""
    if kind == FeeKind.ZERO:
        return ZERO
    if kind == FeeKind.FIXED:
        return amount.quantize(RUPIAH, rounding=ROUND_HALF_UP)
    if quantity is None:
        raise ValueError("a per-m² or per-unit levy needs its quantity")
    return (amount + rate * quantity).quantize(RUPIAH, rounding=ROUND_HALF_UP)


def fee_formula_check(kind: str, rate: Decimal, amount: Decimal) -> None:
    """Refuse a formula that cannot be meant: a fixed levy with a rate, a per-m² levy
    without one, negative or absurd numbers."""
    problem = ""
    if kind not in FeeKind.values:
        problem = _("Choose how the levy is computed.")
    elif rate < 0 or amount < 0 or rate > MONEY_MAX or amount > MONEY_MAX:
        problem = _("The rate and amount are between zero and a real levy.")
    elif kind == FeeKind.ZERO and (rate or amount):
        problem = _("A type with no levy has no rate or amount.")
    elif kind == FeeKind.FIXED and (rate or not amount):
        problem = _("A fixed levy has an amount and no rate.")
    elif kind in (FeeKind.PER_M2, FeeKind.PER_UNIT) and not rate:
        problem = _("A levy per m² or per unit needs its rate.")
    if problem:
        raise DomainError(
            PermitsError.FEE_FORMULA_INVALID,
            problem,
            field_errors={"fee_kind": [problem]},
            status=422,
        )


def fee_for(
    permit_type: PermitType | None, area_m2: Decimal | None, unit_count: int | None
) -> Decimal:
    """The levy of an application for `permit_type` (none for the instant lanes)."""
    if permit_type is None:
        return ZERO
    kind = permit_type.fee_kind
    quantity: Decimal | None = None
    if kind == FeeKind.PER_M2:
        if area_m2 is None:
            raise ValidationFailed({"area_m2": [_("The levy is per m²: give the area.")]})
        quantity = area_m2
    elif kind == FeeKind.PER_UNIT:
        if unit_count is None:
            raise ValidationFailed({"unit_count": [_("The levy is per unit: give the units.")]})
        quantity = Decimal(unit_count)
    return fee_compute(kind, permit_type.fee_rate, permit_type.fee_amount, quantity)
