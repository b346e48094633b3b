"""A bansos programme's eligibility rules, as data: a list of {"field", "op", "value"}
that must all hold. Checked when a programme is saved; compiled to a Django Q so that a
cycle's list is computed in the database.

    welfare_decile  lte | gte | eq   1..10        (a person without a decile never matches)
    welfare_decile  in               [1..10, ...]
    age             lte | gte        0..150       (whole years at the cycle's period_start)
    sex             eq               "L" | "P"
    kelurahan_code  in               [codes of the region's kelurahan/desa]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from .importing.fields import FieldError, clean_kelurahan

OPS: dict[str, tuple[str, ...]] = {
    "welfare_decile": ("lte", "gte", "eq", "in"),
    "age": ("lte", "gte"),
    "sex": ("eq",),
    "kelurahan_code": ("in",),
}


def rules_clean(rules: Any, region_code: str) -> list[dict[str, Any]]:
    """The rules in their stored form; ValueError with every problem, one per line."""
    if not isinstance(rules, list):
        raise ValueError(_("The eligibility rules are a list."))
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    for number, rule in enumerate(rules, start=1):
        try:
            cleaned.append(_rule(rule, region_code))
        except ValueError as error:
            problems.append(_("Rule %(n)d: %(problem)s") % {"n": number, "problem": error})
    if problems:
        raise ValueError("\n".join(problems))
    return cleaned


def _rule(rule: Any, region_code: str) -> dict[str, Any]:
    if not isinstance(rule, dict) or set(rule) != {"field", "op", "value"}:
        raise ValueError(_("each rule has a field, an op and a value."))
    name, op, value = rule["field"], rule["op"], rule["value"]
    if name not in OPS:
        raise ValueError(
            _("unknown field %(field)s (use %(known)s).") % {"field": name, "known": ", ".join(OPS)}
        )
    if op not in OPS[name]:
        raise ValueError(
            _("%(field)s takes %(ops)s, not %(op)s.")
            % {"field": name, "ops": ", ".join(OPS[name]), "op": op}
        )
    return {"field": name, "op": op, "value": _value(name, op, value, region_code)}


def _value(name: str, op: str, value: Any, region_code: str) -> Any:
    if name == "welfare_decile":
        values = value if op == "in" else [value]
        if not isinstance(values, list) or not values or not all(_whole(v, 1, 10) for v in values):
            raise ValueError(_("a welfare decile is a whole number from 1 to 10."))
        return values if op == "in" else value
    if name == "age":
        if not _whole(value, 0, 150):
            raise ValueError(_("an age is a whole number of years from 0 to 150."))
        return value
    if name == "sex":
        if value not in ("L", "P"):
            raise ValueError(_("sex is L or P."))
        return value
    if not isinstance(value, list) or not value:
        raise ValueError(_("give a list of kelurahan/desa codes."))
    try:
        return [clean_kelurahan(str(code), region_code) for code in value]
    except FieldError as error:
        raise ValueError(str(error)) from None


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def rules_q(rules: list[dict[str, Any]], on: dt.date) -> Q:
    """Who meets every rule on date `on` (the cycle's period_start), as one Q on Person."""
    q = Q()
    for rule in rules:
        name, op, value = rule["field"], rule["op"], rule["value"]
        if name == "age":
            q &= _age_q(op, int(value), on)
        elif op == "eq":
            q &= Q(**{name: value})
        else:
            q &= Q(**{f"{name}__{op}": value})
    return q


def _age_q(op: str, years: int, on: dt.date) -> Q:
    # Aged at least N on `on`: born on or before the day N years earlier.
    if op == "gte":
        return Q(birth_date__lte=years_before(on, years))
    # Aged at most N: not yet N + 1, i.e. born after the day N + 1 years earlier.
    return Q(birth_date__gt=years_before(on, years + 1))


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: a birthday counts on the 28th in other years
        return day.replace(year=day.year - years, day=28)
