"""The region's catalogue: permit types with their levy formula, requirements and stage
deadlines; KBLI activities; routing rules. Region admins keep it; every change audited."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ErrorCode, ValidationFailed
from lumbung.core.models import Region, Unit, User

from ..errors import PermitsError
from ..fees import fee_formula_check
from ..models import (
    DocumentFormat,
    FeeKind,
    Kbli,
    Lane,
    PermitType,
    Requirement,
    Risk,
    RoutingRule,
    Scale,
    StageSla,
)
from ..models.common import MONEY_MAX
from ..routing import DEFAULT_RULES
from ..workflow import SLA_STAGES
from .common import record, same_region

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
KBLI_CODE = re.compile(r"^[0-9]{5}$")
MAX_VALIDITY_MONTHS = 600  # fifty years: a building approval; anything longer is a typo


@dataclass
class PermitTypeInput:
    code: str
    name_id: str
    name_en: str
    legal_basis: str = ""
    validity_months: int = 0
    fee_kind: str = FeeKind.ZERO
    fee_rate: Any = Decimal(0)
    fee_amount: Any = Decimal(0)
    default_approval: bool = False
    inspection_required: bool = False
    verifying_unit: Unit | None = None
    signing_unit: Unit | None = None
    is_active: bool = True


def decimal_of(value: Any, field: str) -> Decimal:
    """An exact, non-negative number; floats are refused (a binary fraction is no price)."""
    if isinstance(value, float | bool) or value is None:
        raise ValidationFailed({field: [_("Give an exact number.")]})
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationFailed({field: [_("Give an exact number.")]}) from None
    if not number.is_finite() or number < 0 or number > MONEY_MAX:
        raise ValidationFailed({field: [_("Give a number from zero up.")]})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationFailed({field: [_("At most two decimals.")]})
    return number


def _unit(region: Region, unit: Unit | None, field: str, kept_id: int | None) -> Unit | None:
    """The region's unit; a unit since closed is refused unless the type already had it."""
    if unit is not None and unit.region_id != region.pk:
        raise ValidationFailed({field: [_("Choose one of the region's units.")]})
    if unit is not None and not unit.is_active and unit.pk != kept_id:
        raise ValidationFailed({field: [_("This unit is no longer active.")]})
    return unit


def _clean_type(
    region: Region, data: PermitTypeInput, current: PermitType | None
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    code = data.code.strip().lower()
    if not CODE.match(code):
        errors["code"] = [_("Lowercase letters, digits and hyphens.")]
    for name in ("name_id", "name_en"):
        if not getattr(data, name).strip():
            errors[name] = [_("This field is required.")]
    if not 0 <= int(data.validity_months) <= MAX_VALIDITY_MONTHS:
        errors["validity_months"] = [_("Between 0 (no expiry) and 600 months.")]
    if errors:
        raise ValidationFailed(errors)
    rate, amount = decimal_of(data.fee_rate, "fee_rate"), decimal_of(data.fee_amount, "fee_amount")
    fee_formula_check(data.fee_kind, rate, amount)
    values = asdict(data) | {"code": code, "fee_rate": rate, "fee_amount": amount}
    values["name_id"], values["name_en"] = data.name_id.strip(), data.name_en.strip()
    for name in ("verifying_unit", "signing_unit"):
        kept = getattr(current, f"{name}_id") if current else None
        values[name] = _unit(region, getattr(data, name), name, kept)
    return values


@transaction.atomic
def permit_type_save(
    *,
    region: Region,
    actor: User | None,
    data: PermitTypeInput,
    permit_type: PermitType | None = None,
) -> PermitType:
    """Create a permit type, or change one (its code stays what it was)."""
    values = _clean_type(region, data, permit_type)
    if permit_type is None:
        if PermitType.objects.filter(region=region, code=values["code"]).exists():
            raise DomainError(
                ErrorCode.DUPLICATE,
                _("A permit type with this code exists."),
                field_errors={"code": [_("Already used.")]},
                status=409,
            )
        permit_type = PermitType.objects.create(region=region, **values)
        record(region, actor, permit_type, "type.create", {k: str(v) for k, v in values.items()})
        return permit_type
    same_region(region, permit_type)
    values.pop("code")
    changes = {
        k: [getattr(permit_type, k), v] for k, v in values.items() if getattr(permit_type, k) != v
    }
    for name, value in values.items():
        setattr(permit_type, name, value)
    permit_type.save()
    record(region, actor, permit_type, "type.update", changes)
    return permit_type


@transaction.atomic
def requirement_save(
    *,
    region: Region,
    actor: User | None,
    permit_type: PermitType,
    code: str,
    name_id: str,
    name_en: str,
    format: str,
    mandatory: bool = True,
    position: int = 0,
) -> Requirement:
    """Add a document requirement to a permit type, or change the one with that code (a
    removed one that documents kept, see catalogue_removal.py, is so restored)."""
    same_region(region, permit_type)
    code = code.strip().lower()
    errors: dict[str, list[str]] = {}
    if not CODE.match(code):
        errors["code"] = [_("Lowercase letters, digits and hyphens.")]
    if not name_id.strip() or not name_en.strip():
        errors["name_id"] = [_("Name it in both languages.")]
    if format not in DocumentFormat.values:
        errors["format"] = [_("Choose PDF or image.")]
    if errors:
        raise ValidationFailed(errors)
    values = {
        "name_id": name_id.strip(),
        "name_en": name_en.strip(),
        "format": format,
        "mandatory": bool(mandatory),
        "position": position,
    }
    rows = Requirement.with_retired.filter(region=region, permit_type=permit_type)
    restored = rows.filter(code=code, is_active=False).exists()
    row, created = rows.update_or_create(
        region=region, permit_type=permit_type, code=code, defaults={**values, "is_active": True}
    )
    changes = {"code": code, "created": created, "restored": restored, **values}
    record(region, actor, row, "requirement.save", changes)
    return row


@transaction.atomic
def stage_sla_set(
    *,
    region: Region,
    actor: User | None,
    permit_type: PermitType,
    stage: str,
    working_days: int | None,
) -> StageSla | None:
    """Set (or, with None, remove) a permit type's deadline for one stage."""
    same_region(region, permit_type)
    if stage not in SLA_STAGES:
        raise DomainError(
            PermitsError.SLA_INVALID,
            _("%(stage)s is not a stage with a deadline.") % {"stage": stage},
            field_errors={"stage": [_("Unknown stage.")]},
            status=422,
        )
    if working_days is not None and not 1 <= working_days <= 365:
        raise DomainError(
            PermitsError.SLA_INVALID,
            _("A deadline is between 1 and 365 working days."),
            field_errors={"working_days": [_("Between 1 and 365.")]},
            status=422,
        )
    current = StageSla.objects.filter(region=region, permit_type=permit_type, stage=stage).first()
    old = current.working_days if current else None
    row: StageSla | None = None
    if working_days is None:
        if current:
            current.delete()
    else:
        row, _created = StageSla.objects.update_or_create(
            region=region,
            permit_type=permit_type,
            stage=stage,
            defaults={"working_days": working_days},
        )
    record(
        region,
        actor,
        permit_type,
        "type.sla",
        {f"{stage}.working_days": [old, working_days]},
    )
    return row


def kbli_clean(values: dict[str, Any]) -> dict[str, Any]:
    """One KBLI row's fields checked (the import and the form share it)."""
    errors: dict[str, list[str]] = {}
    out = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if not KBLI_CODE.match(str(out.get("code", ""))):
        errors["code"] = [_("A KBLI 2020 code has five digits.")]
    if not out.get("title_id"):
        errors["title_id"] = [_("This field is required.")]
    out["title_en"] = out.get("title_en") or out.get("title_id", "")
    for scale in Scale.values:
        key = f"risk_{scale}"
        out[key] = str(out.get(key, "")).lower().replace(" ", "_").replace("-", "_")
        if out[key] not in Risk.values:
            errors[key] = [_("One of: rendah, menengah_rendah, menengah_tinggi, tinggi.")]
    if errors:
        raise DomainError(
            PermitsError.KBLI_INVALID, _("Check the activity."), field_errors=errors, status=422
        )
    out["title_id"], out["title_en"] = out["title_id"][:300], out["title_en"][:300]
    return out


@transaction.atomic
def kbli_save(
    *,
    region: Region,
    actor: User | None,
    values: dict[str, Any],
    permit_type: PermitType | None = None,
) -> Kbli:
    """Add or change one activity, with the permit its applications ask for (if any)."""
    if permit_type is not None:
        same_region(region, permit_type)
    clean = kbli_clean(values)
    code = clean.pop("code")
    fields = {k: clean[k] for k in ("title_id", "title_en", *(f"risk_{s}" for s in Scale.values))}
    row, created = Kbli.objects.update_or_create(
        region=region, code=code, defaults={**fields, "permit_type": permit_type}
    )
    permit_pk = permit_type.pk if permit_type else None
    record(
        region,
        actor,
        row,
        "kbli.save",
        {"code": code, "created": created, "permit_type": permit_pk},
    )
    return row


@dataclass
class RuleInput:
    priority: int
    lane: str
    kbli_prefix: str = ""
    risk: str = ""
    scale: str = ""
    capital_min: Any = None
    capital_max: Any = None
    below_threshold: bool = False
    permit_type: PermitType | None = None
    note: str = ""
    is_active: bool = True


def _clean_rule(region: Region, data: RuleInput) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if data.lane not in Lane.values:
        errors["lane"] = [_("Choose a lane.")]
    if not re.match(r"^[0-9]{0,5}$", data.kbli_prefix.strip()):
        errors["kbli_prefix"] = [_("Up to five digits of a KBLI code.")]
    if data.risk and data.risk not in Risk.values:
        errors["risk"] = [_("Choose a risk level.")]
    if data.scale and data.scale not in Scale.values:
        errors["scale"] = [_("Choose a scale.")]
    if not 0 <= int(data.priority) <= 32000:
        errors["priority"] = [_("Between 0 and 32000.")]
    if errors:
        raise DomainError(
            PermitsError.RULE_INVALID, _("Check the rule."), field_errors=errors, status=422
        )
    low = None if data.capital_min in (None, "") else decimal_of(data.capital_min, "capital_min")
    high = None if data.capital_max in (None, "") else decimal_of(data.capital_max, "capital_max")
    if low is not None and high is not None and low >= high:
        raise DomainError(
            PermitsError.RULE_INVALID,
            _("The capital range is empty."),
            field_errors={"capital_max": [_("Above the lower bound.")]},
            status=422,
        )
    if data.permit_type is not None:
        same_region(region, data.permit_type)
    return {
        "priority": int(data.priority),
        "lane": data.lane,
        "kbli_prefix": data.kbli_prefix.strip(),
        "risk": data.risk,
        "scale": data.scale,
        "capital_min": low,
        "capital_max": high,
        "below_threshold": bool(data.below_threshold),
        "permit_type": data.permit_type,
        "note": data.note.strip()[:200],
        "is_active": bool(data.is_active),
    }


@transaction.atomic
def routing_rule_save(
    *, region: Region, actor: User | None, data: RuleInput, rule: RoutingRule | None = None
) -> RoutingRule:
    """Add a routing rule or change one. Rules are data: the first match by priority wins."""
    values = _clean_rule(region, data)
    if rule is None:
        rule = RoutingRule.objects.create(region=region, **values)
        created = {k: str(v) if v is not None else None for k, v in values.items()}
        record(region, actor, rule, "rule.create", created)
        return rule
    same_region(region, rule)
    changes = {
        k: [str(getattr(rule, k)), str(v)] for k, v in values.items() if getattr(rule, k) != v
    }
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    record(region, actor, rule, "rule.update", changes)
    return rule


@transaction.atomic
def routing_rules_adopt_default(*, region: Region, actor: User | None) -> list[RoutingRule]:
    """Write the pinned default rules as the region's own rows (only if it has none yet),
    so that its admins can then change them."""
    existing = list(RoutingRule.objects.filter(region=region))
    if existing:
        return existing
    rows = [
        RoutingRule.objects.create(
            region=region,
            priority=spec.priority,
            lane=spec.lane,
            risk=spec.risk,
            below_threshold=spec.below_threshold,
        )
        for spec in DEFAULT_RULES
    ]
    record(region, actor, None, "rule.adopt_default", {"rules": len(rows)})
    return rows
