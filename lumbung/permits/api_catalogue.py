"""The catalogue in the permits API: anyone reads the permit types and searches the
activities (KBLI); the region admin adds and changes types, their requirements and
deadlines, imports activities from CSV, and keeps the routing rules (a path's methods share
one router, so the public reads live here too)."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_SECURITY
from lumbung.api.context import region_of, require
from lumbung.api.pagination import Page
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region, Unit
from lumbung.core.permissions import can

from .api_common import Shown, kbli_out, money, type_ref, types_out
from .api_schemas import PermitKbliOut, PermitKbliQuery, PermitTypeOut
from .api_schemas_admin import (
    PermitImportOut,
    PermitRequirementIn,
    PermitRuleIn,
    PermitRuleOut,
    PermitSlaIn,
    PermitTypeIn,
    PermitTypePatch,
)
from .models import Kbli, PermitType, RoutingRule
from .services.catalogue import (
    PermitTypeInput,
    RuleInput,
    permit_type_save,
    requirement_save,
    routing_rule_save,
    routing_rules_adopt_default,
    stage_sla_set,
)
from .services.kbli import kbli_adopt_starter, kbli_import_csv

router = Router(tags=["permits"], auth=AUTH)
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}
MANAGE = "permits.manage_catalogue"
ADMIN_CODES = " Region admin. Codes: permission_denied (403)"


def _types(region: Region, **where: Any) -> list[dict[str, Any]]:
    found = PermitType.objects.filter(region=region, **where).select_related(
        "verifying_unit", "signing_unit"
    )
    return types_out(region, found.order_by("code"))


def _type(region: Region, type_id: int) -> PermitType:
    found = PermitType.objects.filter(region=region, pk=type_id).first()
    if found is None:
        raise NotFound()
    return found


def _unit(region: Region, unit_id: int | None, name: str) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(region=region, pk=unit_id).first()
    if unit is None:
        raise ValidationFailed({name: [_("Choose one of the region's units.")]})
    return unit


# Permit types ----------------------------------------------------------------------------


@router.get(
    "/types",
    response=list[PermitTypeOut],
    summary="The catalogue of permit types",
    description="Each type with its legal basis, required documents (format, mandatory), levy "
    "formula, validity and deadline per stage in working days. Inactive types are listed "
    "for the region admin only.",
    **PUBLIC,
)
def types(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region = region_of(request)
    if can(request.user, MANAGE, region):
        return _types(region)
    return _types(region, is_active=True)


def _type_input(region: Region, values: dict[str, Any]) -> PermitTypeInput:
    verifying = _unit(region, values.pop("verifying_unit_id", None), "verifying_unit_id")
    signing = _unit(region, values.pop("signing_unit_id", None), "signing_unit_id")
    return PermitTypeInput(**values, verifying_unit=verifying, signing_unit=signing)


@router.post(
    "/types",
    response={201: PermitTypeOut},
    summary="Add a permit type",
    description="Its levy formula: fixed (`fee_amount`), per m² or per unit (`fee_amount` + "
    "`fee_rate` x quantity), or zero." + ADMIN_CODES + ", duplicate (409), "
    "permits_fee_formula_invalid, validation_error (422).",
)
def type_create(
    request: HttpRequest, region_slug: Path[str], payload: PermitTypeIn
) -> Status[dict[str, Any]]:
    region, user = require(request, MANAGE)
    saved = permit_type_save(region=region, actor=user, data=_type_input(region, payload.dict()))
    return Status(201, _types(region, pk=saved.pk)[0])


@router.patch(
    "/types/{int:type_id}",
    response=PermitTypeOut,
    summary="Change a permit type",
    description="Fields left out (or null) keep their value; a null unit removes it; the code "
    "never changes." + ADMIN_CODES + ", permits_fee_formula_invalid, validation_error (422).",
)
def type_change(
    request: HttpRequest, region_slug: Path[str], type_id: int, payload: PermitTypePatch
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    permit_type = _type(region, type_id)
    values: dict[str, Any] = {
        "code": permit_type.code,
        "name_id": permit_type.name_id,
        "name_en": permit_type.name_en,
        "legal_basis": permit_type.legal_basis,
        "validity_months": permit_type.validity_months,
        "fee_kind": permit_type.fee_kind,
        "fee_rate": permit_type.fee_rate,
        "fee_amount": permit_type.fee_amount,
        "default_approval": permit_type.default_approval,
        "inspection_required": permit_type.inspection_required,
        "verifying_unit_id": permit_type.verifying_unit_id,
        "signing_unit_id": permit_type.signing_unit_id,
        "is_active": permit_type.is_active,
    }
    # null means "no unit" for the units; for any other field it means "unchanged".
    sent = payload.dict(exclude_unset=True)
    values.update({k: v for k, v in sent.items() if v is not None or k.endswith("_unit_id")})
    data = _type_input(region, values)
    permit_type_save(region=region, actor=user, data=data, permit_type=permit_type)
    return _types(region, pk=permit_type.pk)[0]


@router.post(
    "/types/{int:type_id}/requirements",
    response=PermitTypeOut,
    summary="Add or change a required document",
    description="By its code within the type: a PDF or an image, mandatory or not."
    + ADMIN_CODES
    + ", validation_error (422).",
)
def requirement_put(
    request: HttpRequest, region_slug: Path[str], type_id: int, payload: PermitRequirementIn
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    permit_type = _type(region, type_id)
    requirement_save(region=region, actor=user, permit_type=permit_type, **payload.dict())
    return _types(region, pk=permit_type.pk)[0]


@router.put(
    "/types/{int:type_id}/deadlines",
    response=PermitTypeOut,
    summary="Set the deadline of stages, in working days",
    description="Per stage; null removes the type's own deadline (the workflow's applies)."
    + ADMIN_CODES
    + ", permits_sla_invalid (422).",
)
def deadlines_put(
    request: HttpRequest, region_slug: Path[str], type_id: int, payload: PermitSlaIn
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    permit_type = _type(region, type_id)
    for stage, days in payload.working_days.items():
        stage_sla_set(
            region=region, actor=user, permit_type=permit_type, stage=stage, working_days=days
        )
    return _types(region, pk=permit_type.pk)[0]


# Activities (KBLI) -----------------------------------------------------------------------


@router.get(
    "/kbli",
    response=list[PermitKbliOut],
    summary="Search business activities (KBLI 2020)",
    description="The region's active activities by part of the code or title, each with its "
    "risk level at every business scale.",
    **PUBLIC,
)
@paginate(Page, page_size=50, max_page_size=200)
def kbli_search(request: HttpRequest, region_slug: Path[str], filters: Query[PermitKbliQuery]):  # type: ignore[no-untyped-def]
    region = region_of(request)
    found = Kbli.objects.filter(region=region, is_active=True).select_related("permit_type")
    words = filters.q.strip()
    if words:
        found = found.filter(
            Q(code__startswith=words) | Q(title_id__icontains=words) | Q(title_en__icontains=words)
        )
    return Shown(found.order_by("code"), kbli_out)


@router.post(
    "/kbli/import",
    response=PermitImportOut,
    summary="Import activities from CSV (multipart `file`)",
    description="Columns: code, title_id, title_en, risk_micro, risk_small, risk_medium, "
    "risk_large, and optionally permit_type (a type's code). All rows or none: any bad row "
    "refuses the file with permits_kbli_import_failed (422) and one error per problem keyed "
    "`row <line>.<column>` (line 1 is the header). Existing codes are updated. UTF-8, at most "
    "2 MB and 5,000 rows." + ADMIN_CODES + ".",
)
def kbli_import(
    request: HttpRequest, region_slug: Path[str], file: File[UploadedFile]
) -> dict[str, int]:
    region, user = require(request, MANAGE)
    if (file.size or 0) > 2 * 1024 * 1024:
        raise ValidationFailed({"file": [_("At most 2 MB.")]})
    report = kbli_import_csv(region=region, actor=user, data=file.read())
    return {"created": report.created, "updated": report.updated}


@router.post(
    "/kbli/starter",
    response=PermitImportOut,
    summary="Adopt the starter set of common local activities",
    description="22 activities of KBLI 2020 with risk levels following PP 5/2021's annex; check "
    "them against the current regulation before going live." + ADMIN_CODES + ".",
)
def kbli_starter(request: HttpRequest, region_slug: Path[str]) -> dict[str, int]:
    region, user = require(request, MANAGE)
    before = Kbli.objects.filter(region=region).count()
    total = kbli_adopt_starter(region=region, actor=user)
    created = Kbli.objects.filter(region=region).count() - before
    return {"created": created, "updated": max(0, total - created)}


# Routing rules ---------------------------------------------------------------------------


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


def _rule_input(region: Region, payload: PermitRuleIn) -> RuleInput:
    values = payload.dict()
    type_id = values.pop("permit_type_id")
    permit_type = None
    if type_id is not None:
        permit_type = PermitType.objects.filter(region=region, pk=type_id).first()
        if permit_type is None:
            raise ValidationFailed({"permit_type_id": [_("Choose one of the region's types.")]})
    return RuleInput(**values, permit_type=permit_type)


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
    description=ADMIN_CODES.strip() + ", permits_rule_invalid, validation_error (422).",
)
def rule_create(
    request: HttpRequest, region_slug: Path[str], payload: PermitRuleIn
) -> Status[dict[str, Any]]:
    region, user = require(request, MANAGE)
    rule = routing_rule_save(region=region, actor=user, data=_rule_input(region, payload))
    return Status(201, rule_out(rule))


@router.put(
    "/routing-rules/{int:rule_id}",
    response=PermitRuleOut,
    summary="Replace a routing rule",
    description=ADMIN_CODES.strip() + ", permits_rule_invalid, validation_error (422).",
)
def rule_replace(
    request: HttpRequest, region_slug: Path[str], rule_id: int, payload: PermitRuleIn
) -> dict[str, Any]:
    region, user = require(request, MANAGE)
    rule = RoutingRule.objects.filter(region=region, pk=rule_id).first()
    if rule is None:
        raise NotFound()
    saved = routing_rule_save(
        region=region, actor=user, data=_rule_input(region, payload), rule=rule
    )
    return rule_out(saved)


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
