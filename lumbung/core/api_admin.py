"""Core's region-scoped API, part one: units, people and roles, modules, workflow step
names — the same operations as the back office. Calendar, deadlines, profile, audit log
and notifications are in api_region.py."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import require
from lumbung.api.pagination import Page

from .errors import ValidationFailed
from .models import Membership, Region, Unit
from .models.people import Role
from .models.units import UnitKind
from .selectors import (
    member_list,
    region_modules_enabled,
    unit_tree,
)
from .services import people as people_services
from .services.regions import region_modules_set
from .services.units import unit_create, unit_update, units_import_csv
from .services.workflow import state_label_set
from .workflow_selectors import WorkflowSteps, workflow_steps

router = Router(tags=["region administration"], auth=AUTH)


# Units ---------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_code: str | None
    depth: int
    email: str


class UnitIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    short_name: str = Field("", max_length=60)
    parent_code: str | None = Field(None, max_length=40)
    email: str = Field("", max_length=254)


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    short_name: str | None = Field(None, max_length=60)
    parent_code: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)


def _unit_out(unit: Unit, depth: int = 0) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent_code": unit.parent.code if unit.parent_id and unit.parent else None,
        "depth": depth,
        "email": unit.email,
    }


def _parent(region: Region, code: str | None) -> Unit | None:
    if not code:
        return None
    parent = Unit.objects.filter(region=region, code=code).first()
    if parent is None:
        raise ValidationFailed({"parent_code": [f"No unit has code {code!r}."]})
    return parent


@router.get("/units", response=list[UnitOut], summary="Units (OPD), as a tree")
def units_list(request: HttpRequest, region_slug: Path[str]) -> list[dict[str, Any]]:
    region, _user = require(request, "core.view_backoffice")
    tree = unit_tree(region)
    by_id = {u.pk: u for u, _depth in tree}
    for unit, _depth in tree:  # parents from the same query, not one query per unit
        unit.parent = by_id.get(unit.parent_id) if unit.parent_id else None
    return [_unit_out(u, d) for u, d in tree]


@router.post("/units", response={201: UnitOut}, summary="Add a unit")
def units_create(
    request: HttpRequest, region_slug: Path[str], payload: UnitIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "core.manage_units")
    data = payload.dict()
    data["parent"] = _parent(region, data.pop("parent_code"))
    return Status(201, _unit_out(unit_create(region=region, actor=user, data=data)))


@router.patch("/units/{int:unit_id}", response=UnitOut, summary="Change a unit")
def units_update(
    request: HttpRequest, region_slug: Path[str], unit_id: int, payload: UnitPatch
) -> dict[str, Any]:
    region, user = require(request, "core.manage_units")
    unit = get_object_or_404(Unit.objects.filter(region=region), pk=unit_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "parent_code" in data:
        data["parent"] = _parent(region, data.pop("parent_code"))
    return _unit_out(unit_update(region=region, actor=user, unit=unit, data=data))


class ImportIn(Schema):
    csv: str = Field(min_length=1, max_length=2_000_000, description="UTF-8 CSV text")


class ImportRowError(Schema):
    line: int
    column: str
    message: str


class ImportOut(Schema):
    created: int
    updated: int
    errors: list[ImportRowError]


@router.post("/units/import", response={200: ImportOut}, summary="Import CSV")
def units_import(request: HttpRequest, region_slug: Path[str], payload: ImportIn) -> Status[Any]:
    """All or nothing: with any wrong row, nothing is written and every wrong row is listed."""
    region, user = require(request, "core.manage_units")
    report = units_import_csv(region=region, actor=user, content=payload.csv)
    if not report.ok:
        # A problem document like every other 422: `errors` keyed "<line>.<column>".
        errors: dict[str, list[str]] = {}
        for line, column, message in report.errors:
            errors.setdefault(f"{line}.{column}" if column else str(line), []).append(message)
        raise ValidationFailed(errors)
    return Status(200, {"created": report.created, "updated": report.updated, "errors": []})


# People and roles -------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    unit_code: str | None
    title: str
    is_active: bool

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_unit_code(obj: Membership) -> str | None:
        return obj.unit.code if obj.unit else None


class MemberIn(Schema):
    email: str = Field(min_length=3, max_length=254)
    full_name: str = Field("", max_length=150)
    role: Role
    unit_code: str | None = Field(None, max_length=40)
    title: str = Field("", max_length=150)


@router.get("/members", response=list[MemberOut], summary="People and their roles")
@paginate(Page, page_size=50, max_page_size=100)
def members_list(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region, _user = require(request, "core.view_backoffice")
    return member_list(region)


@router.post("/members", response={201: MemberOut}, summary="Grant a role")
def members_grant(
    request: HttpRequest, region_slug: Path[str], payload: MemberIn
) -> Status[Membership]:
    region, actor = require(request, "core.manage_members")
    unit = _parent(region, payload.unit_code) if payload.unit_code else None
    if "@" not in payload.email:
        raise ValidationFailed({"email": ["Enter a valid email address."]})
    membership = people_services.member_invite(
        region=region,
        actor=actor,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        unit=unit,
        title=payload.title,
    )
    return Status(201, membership)


@router.delete("/members/{int:member_id}", response={204: None}, summary="Revoke a role")
def members_revoke(
    request: HttpRequest, region_slug: Path[str], member_id: int, reason: str = ""
) -> Status[None]:
    region, actor = require(request, "core.manage_members")
    membership = get_object_or_404(Membership.objects.filter(region=region), pk=member_id)
    people_services.membership_revoke(
        region=region, actor=actor, membership=membership, reason=reason
    )
    return Status(204, None)


# Modules ----------------------------------------------------------------------------------


class ModulesOut(Schema):
    enabled: list[str]


class ModulesIn(Schema):
    enable: list[str] = Field(default_factory=list, max_length=20)
    disable: list[str] = Field(default_factory=list, max_length=20)


@router.get("/modules", response=ModulesOut, summary="Modules switched on")
def modules_get(request: HttpRequest, region_slug: Path[str]) -> dict[str, Any]:
    region, _user = require(request, "core.view_backoffice")
    return {"enabled": region_modules_enabled(region)}


@router.post("/modules", response=ModulesOut, summary="Switch modules on and off")
def modules_set(request: HttpRequest, region_slug: Path[str], payload: ModulesIn) -> dict[str, Any]:
    region, actor = require(request, "core.manage_modules")
    on = region_modules_set(
        region=region, actor=actor, enable=payload.enable, disable=payload.disable
    )
    return {"enabled": on}


# Workflow steps: the region's names (deadlines are PUT /sla) ----------------------------------


class VariantOut(Schema):
    key: str
    sla_default: int
    sla_days: int
    overridden: bool


class StepOut(Schema):
    state: str
    label: str = Field(description="The name shown in this region, in the request's language")
    default_label: str
    label_id: str
    label_en: str
    terminal: bool
    clock_stopped: bool = Field(description="While here, the case waits on the applicant")
    sla_default: int | None
    sla_days: int | None = Field(description="This region's deadline in working days")
    sla_overridden: bool
    variants: list[VariantOut]


class WorkflowOut(Schema):
    key: str
    module: str
    module_title: str
    steps: list[StepOut]


class StateLabelIn(Schema):
    workflow: str = Field(min_length=1, max_length=60)
    state: str = Field(min_length=1, max_length=40)
    label_id: str = Field("", max_length=100)
    label_en: str = Field("", max_length=100)


class StateLabelOut(Schema):
    id: int
    workflow: str
    state: str
    label_id: str
    label_en: str


@router.get(
    "/workflows", response=list[WorkflowOut], summary="Workflows, with this region's step names"
)
def workflows_list(request: HttpRequest, region_slug: Path[str]) -> list[WorkflowSteps]:
    region, _user = require(request, "core.view_backoffice")
    flows, _stale = workflow_steps(region)
    return flows


@router.put(
    "/state-labels",
    response={200: StateLabelOut, 204: None},
    summary="Name a workflow step (both names empty: back to the default)",
)
def state_labels_set(
    request: HttpRequest, region_slug: Path[str], payload: StateLabelIn
) -> Status[Any]:
    region, actor = require(request, "core.manage_sla")
    row = state_label_set(region=region, actor=actor, **payload.dict())
    return Status(204, None) if row is None else Status(200, row)
