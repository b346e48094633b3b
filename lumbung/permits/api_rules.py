"""The routing rules in the permits API: the staff read them; the region admin adds,
changes, switches off and (while a rule cannot have routed an application) deletes them,
or adopts the pinned defaults. Mounted on api_catalogue.py's router."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from lumbung.api.auth import AUTH
from lumbung.api.context import require
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region

from .api_common import money, type_ref
from .api_schemas_admin import PermitRuleIn, PermitRuleOut, PermitRulePatch
from .models import PermitType, RoutingRule
from .services.catalogue import RuleInput, routing_rule_save, routing_rules_adopt_default
from .services.catalogue_removal import routing_rule_delete

router = Router(tags=["permits"], auth=AUTH)
MANAGE = "permits.manage_catalogue"
ADMIN_CODES = " Region admin. Codes: permission_denied (403)"
RULE_CODES = ADMIN_CODES.strip() + ", permits_rule_invalid, validation_error (422)."


def rule_out(rule: RoutingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "priority": rule.priority,
        "lane": rule.lane,
        "kbli_prefix": rule.kbli_prefix,
        "risk": rule.risk,
        "scale": rule.scale,
        "capital_min": money(rule.capital_min),
        "capital_max": money(rule.capital_max),
        "below_threshold": rule.below_threshold,
        "permit_type": type_ref(rule.permit_type),
        "note": rule.note,
        "is_active": rule.is_active,
    }


def _permit_type(region: Region, type_id: int | None) -> PermitType | None:
    if type_id is None:
        return None
    permit_type = PermitType.objects.filter(region=region, pk=type_id).first()
    if permit_type is None:
        raise ValidationFailed({"permit_type_id": [_("Choose one of the region's types.")]})
    return permit_type


def _rule_input(region: Region, values: dict[str, Any]) -> RuleInput:
    permit_type = _permit_type(region, values.pop("permit_type_id"))
    return RuleInput(**values, permit_type=permit_type)


def _rule(region: Region, rule_id: int) -> RoutingRule:
    rule = RoutingRule.objects.filter(region=region, pk=rule_id).first()
    if rule is None:
        raise NotFound()
    return rule


@router.get(
    "/routing-rules",
    response=list[PermitRuleOut],
    summary="Routing rules (staff)",
    description="KBLI prefix x risk x scale x capital -> lane, tried by priority; the first "
    "match decides, and no match means the permit lane. Empty while the region uses the "
    "pinned defaults.",
)
def rules(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region, _user = require(request, "permits.view_queue")
    found = RoutingRule.objects.filter(region=region).select_related("permit_type")
    return [rule_out(r) for r in found.order_by("priority", "pk")]


@router.post(
    "/routing-rules",
    response={201: PermitRuleOut},
    summary="Add a routing rule",
    description=RULE_CODES,
)
def rule_create(
    request: HttpRequest, region_slug: Path[str], payload: PermitRuleIn
) -> Status[dict[str, Any]]:
    region, user = require(request, MANAGE)
    data = _rule_input(region, payload.dict())
    return Status(201, rule_out(routing_rule_save(region=region, actor=user, data=data)))


@router.put(
    "/routing-rules/{int:rule_id}",
    response=PermitRuleOut,
    summary="Replace a routing rule",
    description=RULE_CODES,
)
def rule_replace(
    request: HttpRequest, region_slug: Path[str], rule_id: int, payload: PermitRuleIn
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    rule, data = _rule(region, rule_id), _rule_input(region, payload.dict())
    return rule_out(routing_rule_save(region=region, actor=user, data=data, rule=rule))


# Null means "none" for these (no bound, no permit type); for any other field, "unchanged".
CLEARABLE = ("capital_min", "capital_max", "permit_type_id")


@router.patch(
    "/routing-rules/{int:rule_id}",
    response=PermitRuleOut,
    summary="Change a routing rule, or switch it off",
    description='Fields left out keep their value; `{"is_active": false}` switches the rule '
    "off (it routes nothing; with every rule off, each activity needs a permit). A null "
    "capital bound or permit type removes it; a null elsewhere keeps the field. " + RULE_CODES,
)
def rule_change(
    request: HttpRequest, region_slug: Path[str], rule_id: int, payload: PermitRulePatch
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    rule = _rule(region, rule_id)
    values = {k: getattr(rule, k) for k in RuleInput.__dataclass_fields__ if k != "permit_type"}
    values["permit_type_id"] = rule.permit_type_id
    sent = payload.dict(exclude_unset=True)
    values.update({k: v for k, v in sent.items() if v is not None or k in CLEARABLE})
    data = _rule_input(region, values)
    return rule_out(routing_rule_save(region=region, actor=user, data=data, rule=rule))


@router.delete(
    "/routing-rules/{int:rule_id}",
    response={204: None},
    summary="Delete a routing rule that cannot have routed an application",
    description="Only while no application has come in since the rule was made (a mistake "
    "just made); otherwise it may have decided a lane, and is switched off instead (PATCH "
    "`is_active`). Deleting the region's last rule brings back the pinned defaults."
    + ADMIN_CODES
    + ", conflict (409): applications came in since.",
)
def rule_delete(request: HttpRequest, region_slug: Path[str], rule_id: int) -> Status[None]:
    region, user = require(request, MANAGE)
    routing_rule_delete(region=region, actor=user, rule=_rule(region, rule_id))
    return Status(204, None)


@router.post(
    "/routing-rules/adopt-default",
    response=list[PermitRuleOut],
    summary="Copy the pinned default rules into the region's own",
    description="Only while the region has none; the admin can then change them."
    + ADMIN_CODES
    + ".",
)
def rules_adopt_default(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region, user = require(request, MANAGE)
    return [rule_out(r) for r in routing_rules_adopt_default(region=region, actor=user)]
