"""Checking what a civil servant writes into their SKP: a result (main or additional) with
its indicators (text, an exact target and its unit) and the catalogue activities linked to
it as evidence, and the reasons a step needs. Every wrong field is named at once, as the
API names it (text, indicators.0.target, activities), so a form shows each at its field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region

from ..models import Employee, ResultKind
from ..worklog.selectors import usable_activities
from .errors import SkpError

RESULTS_MAX, INDICATORS_MAX, ACTIVITIES_MAX = 30, 10, 30
RESULT_MAX, INDICATOR_MAX, UNIT_MAX, NOTE_MAX = 1000, 500, 60, 2000
TARGET_MAX = Decimal("999999999999.99")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class IndicatorInput:
    text: str
    target: Decimal | str | int
    target_unit: str


@dataclass(frozen=True)
class ResultInput:
    kind: str
    text: str
    indicators: tuple[IndicatorInput, ...]
    activities: tuple[int, ...] = ()


# Checking a result -------------------------------------------------------------------------


def _text(value: str, limit: int) -> str | None:
    """Spaces collapsed; None when empty, too long or holding a NUL (no column takes it)."""
    text = " ".join(str(value).split())
    return text if text and len(text) <= limit and "\x00" not in text else None


def _target(value: Decimal | str | int) -> Decimal | None:
    """An exact positive number with at most two decimals (a float is never exact)."""
    if isinstance(value, float | bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or not 0 < number <= TARGET_MAX or number != number.quantize(CENT):
        return None
    return number.quantize(CENT)


def _length_error(limit: int) -> str:
    return _("Required, at most %(n)d characters.") % {"n": limit}


def _indicators(
    data: Sequence[IndicatorInput], errors: dict[str, list[str]]
) -> tuple[IndicatorInput, ...]:
    tidy: list[IndicatorInput] = []
    if not 1 <= len(data) <= INDICATORS_MAX:
        errors["indicators"] = [
            _("Give from 1 to %(n)d indicators for each result.") % {"n": INDICATORS_MAX}
        ]
    for n, item in enumerate(data[:INDICATORS_MAX]):
        text, unit = _text(item.text, INDICATOR_MAX), _text(item.target_unit, UNIT_MAX)
        target = _target(item.target)
        if text is None:
            errors[f"indicators.{n}.text"] = [_length_error(INDICATOR_MAX)]
        if target is None:
            errors[f"indicators.{n}.target"] = [
                _("A number above 0 with at most two decimals, e.g. 12 or 99.5.")
            ]
        if unit is None:
            errors[f"indicators.{n}.target_unit"] = [_length_error(UNIT_MAX)]
        if text and unit and target is not None:
            tidy.append(IndicatorInput(text, target, unit))
    return tuple(tidy)


def result_checked(region: Region, person: Employee, data: ResultInput) -> ResultInput:
    """The result with its text tidied, or every field error at once (named as the API
    names them: text, kind, indicators.0.target, activities)."""
    errors: dict[str, list[str]] = {}
    text = _text(data.text, RESULT_MAX)
    if text is None:
        errors["text"] = [_length_error(RESULT_MAX)]
    if data.kind not in ResultKind.values:
        errors["kind"] = [_("Choose main or additional.")]
    indicators = _indicators(data.indicators, errors)
    activities = tuple(dict.fromkeys(data.activities))
    if len(activities) > ACTIVITIES_MAX:
        errors["activities"] = [_("Link at most %(n)d activities.") % {"n": ACTIVITIES_MAX}]
    if errors:
        raise ValidationFailed(errors)
    usable = {a.pk for a in usable_activities(region, person)}
    if not set(activities) <= usable:
        message = _("Link activities of the catalogue in use that your position may log.")
        raise DomainError(
            SkpError.ACTIVITY_NOT_USABLE,
            message,
            field_errors={"activities": [message]},
            status=422,
        )
    return ResultInput(data.kind, text or "", indicators, activities)


def note_of(text: str) -> str:
    """A required reason, tidied: else the field error the forms and the API show."""
    note = str(text).strip()
    if not note or len(note) > NOTE_MAX or "\x00" in note:
        raise ValidationFailed({"note": [_length_error(NOTE_MAX)]})
    return note
