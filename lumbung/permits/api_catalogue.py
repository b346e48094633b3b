"""The catalogue in the permits API: anyone reads the permit types and searches the
activities (KBLI); the region admin adds and changes types, their requirements and
deadlines, and imports activities from CSV (a path's methods share one router, so the
public reads live here too). The routing rules are in api_rules.py, mounted here."""

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
from lumbung.core.models import Region, Unit, User
from lumbung.core.permissions import can

from .api_common import Shown, kbli_out, types_out
from .api_rules import ADMIN_CODES, MANAGE
from .api_rules import router as rules_router
from .api_schemas import PermitKbliOut, PermitKbliQuery, PermitTypeOut
from .api_schemas_admin import (
    PermitImportOut,
    PermitRequirementIn,
    PermitRequirementRemovedOut,
    PermitRequirementRemoveIn,
    PermitSlaIn,
    PermitTypeIn,
    PermitTypePatch,
)
from .models import Kbli, PermitType, Requirement
from .services.catalogue import (
    PermitTypeInput,
    permit_type_save,
    requirement_save,
    stage_sla_set,
)
from .services.catalogue_removal import requirement_remove
from .services.kbli import kbli_adopt_starter, kbli_import_csv

router = Router(tags=["permits"], auth=AUTH)
router.add_router("", rules_router)
PUBLIC: dict[str, Any] = {"auth": OPTIONAL_AUTH, "openapi_extra": OPTIONAL_SECURITY}


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


def _type_save(
    region: Region, user: User, values: dict[str, Any], permit_type: PermitType | None = None
) -> PermitType:
    data = _type_input(region, values)
    try:
        return permit_type_save(region=region, actor=user, data=data, permit_type=permit_type)
    except ValidationFailed as error:  # the API names the units by their ids
        units = ("verifying_unit", "signing_unit")
        renamed = {f"{k}_id" if k in units else k: v for k, v in error.field_errors.items()}
        raise ValidationFailed(renamed, error.message) from None


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
    saved = _type_save(region, user, payload.dict())
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
    _type_save(region, user, values, permit_type)
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


@router.post(
    "/types/{int:type_id}/requirements/remove",
    response=PermitRequirementRemovedOut,
    summary="Stop asking for a required document",
    description="By its code within the type. Deleted if no application uploaded it; "
    "otherwise retired: no longer asked of anyone, kept unchanged for the applications that "
    "uploaded it. Adding a document with the same code again restores it."
    + ADMIN_CODES
    + ", validation_error (422): no such document.",
)
def requirement_delete(
    request: HttpRequest, region_slug: Path[str], type_id: int, payload: PermitRequirementRemoveIn
) -> dict[str, str]:
    region, user = require(request, MANAGE)
    permit_type = _type(region, type_id)
    found = Requirement.objects.filter(region=region, permit_type=permit_type, code=payload.code)
    requirement = found.first()
    if requirement is None:
        raise ValidationFailed({"code": [_("This type asks for no document with this code.")]})
    outcome = requirement_remove(region=region, actor=user, requirement=requirement)
    return {"code": requirement.code, "outcome": outcome}


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
