"""The region administrator's hibah programmes: a budget year's grant programme with its
ceiling, window and evaluating unit. A ceiling is exact Rupiah and is never lowered below
what the programme has already approved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ErrorCode, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.permissions import can
from lumbung.core.services.audit import audit_record

from ..errors import GrantsError
from ..models import HibahProgramme, Proposal
from .proposals import approved_total, rupiah

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
YEAR_MIN, YEAR_MAX = 2000, 2100
PROGRAMME_FIELDS = (
    "name_id",
    "name_en",
    "code",
    "year",
    "ceiling",
    "unit",
    "description",
    "opens_on",
    "closes_on",
    "is_active",
)
TEXTS = {"name_id": 200, "name_en": 200, "code": 40, "description": 4000}


def _unit(region: Region, value: Any, errors: dict[str, list[str]]) -> Unit | None:
    """A unit of the region, given as a Unit or its id; anything else is a field error."""
    if value is None or value == "":
        return None
    pk = value.pk if isinstance(value, Unit) else value
    if isinstance(pk, bool) or not isinstance(pk, int):
        errors["unit"] = [_("Choose one of the region's units.")]
        return None
    found = Unit.objects.filter(region=region, pk=pk).first()
    if found is None:
        errors["unit"] = [_("Choose one of the region's units.")]
    return found


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors[name] = [_("Enter a date.")]
        return None
    return value


def _clean(region: Region, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Normalise the sent fields; every bad one is reported at once (the ceiling's own
    amount rules raise on their own, with the same stable code as every amount)."""
    errors: dict[str, list[str]] = {}
    out = dict(values)
    for name, limit in TEXTS.items():
        if name not in out:
            continue
        text = out[name] if isinstance(out[name], str) else ""
        out[name] = text.strip()
        if name != "description" and not out[name]:
            errors[name] = [_("This field is required.")]
        elif len(out[name]) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if "code" in out and "code" not in errors and not CODE.match(out["code"]):
        errors["code"] = [_("Lowercase letters, digits and hyphens only, at most 40.")]
    if "year" in out:
        year = out["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
            errors["year"] = [_("Enter a budget year between 2000 and 2100.")]
    for name in ("opens_on", "closes_on"):
        if name in out:
            out[name] = _date(out[name], name, errors)
    if "unit" in out:
        out["unit"] = _unit(region, out["unit"], errors)
    if "is_active" in out and not isinstance(out["is_active"], bool):
        errors["is_active"] = [_("Answer yes or no.")]
    return out, errors


def _window(target: HibahProgramme, errors: dict[str, list[str]]) -> None:
    opens, closes = target.opens_on, target.closes_on
    if opens and closes and closes < opens and "closes_on" not in errors:
        errors["closes_on"] = [_("The programme cannot close before it opens.")]


def _unique_code(region: Region, target: HibahProgramme, errors: dict[str, list[str]]) -> None:
    if "code" in errors or "year" in errors:
        return
    taken = HibahProgramme.objects.filter(region=region, year=target.year, code=target.code)
    if taken.exclude(pk=target.pk).exists():
        raise DomainError(
            ErrorCode.DUPLICATE,
            _("Another programme of this budget year has this code."),
            field_errors={"code": [_("Already used this year.")]},
            status=409,
        )


def _ceiling_holds(region: Region, target: HibahProgramme, ceiling: Decimal) -> None:
    """A ceiling below what is already approved would leave funded grants over it."""
    approved = approved_total(region, target)
    if ceiling < approved:
        raise DomainError(
            GrantsError.CEILING_EXCEEDED,
            _("The programme has already approved %(total)s; the ceiling cannot go below it.")
            % {"total": f"{approved:,.2f}"},
            field_errors={"ceiling": [_("Below the approved total.")]},
            status=409,
        )


def _year_fixed(region: Region, target: HibahProgramme, errors: dict[str, list[str]]) -> None:
    """Proposals are numbered and their LPJ is due by the programme's year: it stays."""
    if Proposal.objects.filter(region=region, programme=target).exists():
        errors["year"] = [_("The programme has proposals; its budget year cannot change.")]


def _required(target: HibahProgramme, errors: dict[str, list[str]]) -> None:
    for name in ("name_id", "name_en", "code"):
        if not getattr(target, name) and name not in errors:
            errors[name] = [_("This field is required.")]
    if target.year is None and "year" not in errors:
        errors["year"] = [_("This field is required.")]
    if target.ceiling is None:
        errors.setdefault("ceiling", [_("This field is required.")])


def _locked(region: Region, programme: HibahProgramme | None) -> HibahProgramme:
    """The programme's row, locked: a TAPD final amount checking the ceiling at the same
    moment (services/proposals.py ceiling_check locks it too) waits for this change."""
    if programme is None:
        return HibahProgramme(region=region)
    if programme.region_id != region.pk:
        raise NotFound()
    found = HibahProgramme.objects.select_for_update().filter(region=region, pk=programme.pk)
    locked = found.first()
    if locked is None:
        raise NotFound()
    return locked


def _jsonable(value: Any) -> Any:
    if isinstance(value, Unit):
        return value.pk
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def programme_save(
    *,
    region: Region,
    actor: User,
    data: Mapping[str, Any],
    programme: HibahProgramme | None = None,
) -> HibahProgramme:
    """Create a hibah programme, or change the fields of `data` on an existing one (region
    administrators). The code is unique per budget year, the window closes on or after it
    opens, and the ceiling is exact, positive, not absurd and never below the approved total."""
    if not can(actor, "grants.manage_programmes", region):
        raise PermissionDenied()
    unknown = sorted(set(data) - set(PROGRAMME_FIELDS))
    if unknown:
        raise ValidationFailed({k: [_("This field cannot be changed here.")] for k in unknown})
    values, errors = _clean(region, dict(data))
    if "ceiling" in values:
        values["ceiling"] = rupiah(values["ceiling"], "ceiling")
    target = _locked(region, programme)
    before = {k: _jsonable(getattr(target, k)) for k in PROGRAMME_FIELDS} if target.pk else {}
    if target.pk and "year" in values and values["year"] != target.year:
        _year_fixed(region, target, errors)
    for key, value in values.items():
        if key not in errors:
            setattr(target, key, value)
    _required(target, errors)
    _window(target, errors)
    if errors:
        raise ValidationFailed(errors)
    _unique_code(region, target, errors)
    if target.pk and "ceiling" in values:
        _ceiling_holds(region, target, target.ceiling)
    target.save()
    after = {k: _jsonable(getattr(target, k)) for k in PROGRAMME_FIELDS}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_record(
        region=region,
        actor=actor,
        action="grants.programme.create" if not before else "grants.programme.update",
        obj=target,
        changes=changes,
    )
    if programme is not None:
        programme.refresh_from_db()
    return target
