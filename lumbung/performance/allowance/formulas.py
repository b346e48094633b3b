"""The TPP formula as region data, versioned by the month it takes effect: adding a version
(checked: weights, bands, and never inside or before a closed month), finding the version
in force, and the two pinned starting points (Kota Bandung, Kab. Bandung Barat)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User

from ..common import record
from ..errors import PerformanceError
from ..models import FormulaKind, Period, PeriodState, TppFormula
from .errors import AllowanceError
from .rules import Band, Rule, parse_bands


@dataclass(frozen=True)
class FormulaInput:
    name: str
    kind: str
    effective_from: dt.date
    target_minutes: int = 6000
    performance_weight: Decimal = Decimal(100)
    attendance_weight: Decimal = Decimal(0)
    late_bands: list[Any] = field(default_factory=list)
    early_bands: list[Any] = field(default_factory=list)
    absence_percent: Decimal = Decimal(0)


def bandung_default(effective_from: dt.date) -> FormulaInput:
    """Kota Bandung (pinned default): share = min(1, approved minutes / 6,000), amount =
    base x share; attendance does not enter the amount."""
    return FormulaInput(
        name="Kota Bandung: menit kerja", kind=FormulaKind.MINUTES, effective_from=effective_from
    )


def bandung_barat_example(effective_from: dt.date) -> FormulaInput:
    """Kab. Bandung Barat (region example): 60% performance (minutes as in Bandung) + 40%
    attendance, less per day late 1-30 min 0.5%, 31-60 1%, 61-90 1.25%, over 90 1.5%, the
    same for leaving early, and 3% per working day absent without leave."""
    bands: list[list[Any]] = [[1, 30, "0.5"], [31, 60, "1"], [61, 90, "1.25"], [91, None, "1.5"]]
    return FormulaInput(
        name="Kab. Bandung Barat: kinerja 60% + kehadiran 40%",
        kind=FormulaKind.WEIGHTED,
        effective_from=effective_from,
        performance_weight=Decimal(60),
        attendance_weight=Decimal(40),
        late_bands=bands,
        early_bands=[list(b) for b in bands],
        absence_percent=Decimal(3),
    )


def rule_of(formula: TppFormula) -> Rule:
    """The arithmetic's view of a stored version (its bands were checked when it was added)."""
    late, _late_problems = parse_bands(formula.late_bands)
    early, _early_problems = parse_bands(formula.early_bands)
    return Rule(
        kind=formula.kind,
        target_minutes=formula.target_minutes,
        performance_weight=Decimal(formula.performance_weight),
        attendance_weight=Decimal(formula.attendance_weight),
        late_bands=late,
        early_bands=early,
        absence_percent=Decimal(formula.absence_percent),
    )


def formula_in_force(region: Region, day: dt.date) -> TppFormula:
    """The version in force on `day` (a month uses the one in force on its first day)."""
    found = TppFormula.objects.filter(region=region, effective_from__lte=day).first()
    if found is None:
        message = _("No TPP formula is in force on %(day)s.") % {"day": day.isoformat()}
        raise DomainError(PerformanceError.FORMULA_MISSING, message, status=409)
    return found


@transaction.atomic
def formula_add(*, region: Region, actor: User | None, data: FormulaInput) -> TppFormula:
    """Add a version of the formula from the first day of a month on. Refused with every
    problem named; refused also in or before a closed month, which it would rewrite."""
    late, early = _checked(region, data)
    formula = TppFormula.objects.create(
        region=region,
        name=data.name.strip(),
        kind=data.kind,
        effective_from=data.effective_from,
        target_minutes=data.target_minutes,
        performance_weight=_weights(data)[0],
        attendance_weight=_weights(data)[1],
        late_bands=[b.as_json() for b in late],
        early_bands=[b.as_json() for b in early],
        absence_percent=data.absence_percent if data.kind == FormulaKind.WEIGHTED else 0,
        created_by=actor,
    )
    changes = {"kind": data.kind, "effective_from": data.effective_from.isoformat()}
    record(region, actor, formula, "formula_add", changes, casework=False)
    return formula


def _weights(data: FormulaInput) -> tuple[Decimal, Decimal]:
    if data.kind == FormulaKind.MINUTES:
        return Decimal(100), Decimal(0)
    return data.performance_weight, data.attendance_weight


def _checked(region: Region, data: FormulaInput) -> tuple[tuple[Band, ...], tuple[Band, ...]]:
    errors: dict[str, list[str]] = {}
    late, late_problems = parse_bands(data.late_bands)
    early, early_problems = parse_bands(data.early_bands)
    for name, problems in (("late_bands", late_problems), ("early_bands", early_problems)):
        if problems:
            errors[name] = [band_message(p) for p in problems]
    errors |= _shape_errors(data, bool(late or early))
    closed = _closed_through(region, data.effective_from)
    errors |= _date_errors(region, data.effective_from, closed)
    if errors:
        raise DomainError(
            PerformanceError.MONTH_CLOSED if closed else AllowanceError.FORMULA_INVALID,
            _("The formula was not saved: %(problems)s")
            % {"problems": " ".join(m for ms in errors.values() for m in ms)},
            field_errors=errors,
            status=409 if closed else 422,
        )
    return late, early


def _shape_errors(data: FormulaInput, has_bands: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("This field is required.")]
    if data.kind not in FormulaKind.values:
        errors["kind"] = [_("Choose minutes or weighted.")]
    if data.target_minutes < 1:
        errors["target_minutes"] = [_("The target is at least 1 minute.")]
    weights = (data.performance_weight, data.attendance_weight, data.absence_percent)
    if any(not w.is_finite() or not 0 <= w <= 100 for w in weights):
        errors["performance_weight"] = [_("Weights and percents are between 0 and 100.")]
    elif data.kind == FormulaKind.WEIGHTED and sum(weights[:2]) != 100:
        errors["attendance_weight"] = [_("The two weights add up to 100.")]
    if data.kind == FormulaKind.MINUTES and (has_bands or data.absence_percent):
        errors["kind"] = [
            _("A minutes-only formula has no attendance part: choose weighted for deductions.")
        ]
    return errors


def _closed_through(region: Region, day: dt.date) -> Period | None:
    """The latest closed month, if `day` falls in or before it (a version starting there
    would change what a closed month was paid)."""
    closed = Period.objects.filter(region=region, state=PeriodState.CLOSED)
    last = closed.order_by("-year", "-month").first()
    if last is not None and (day.year, day.month) <= (last.year, last.month):
        return last
    return None


def _date_errors(region: Region, day: dt.date, closed: Period | None) -> dict[str, list[str]]:
    if closed is not None:
        message = _("%(month)s is closed: a new version may start after it.") % {"month": closed}
        return {"effective_from": [message]}
    if day.day != 1:
        return {"effective_from": [_("A formula applies to whole months: choose a 1st.")]}
    if TppFormula.objects.filter(region=region, effective_from=day).exists():
        return {"effective_from": [_("A version already starts on this day.")]}
    return {}


def band_message(key: str) -> str:
    messages = {
        "shape": _("Each band is [from minutes, to minutes or empty, percent]."),
        "start": _("A band starts at 1 minute or later."),
        "end": _("A band ends at or after its start."),
        "percent": _("A band's percent is between 0 and 100, with at most 2 decimals."),
        "overlap": _("Bands go in order and do not overlap; only the last may be open-ended."),
    }
    return messages[key]
