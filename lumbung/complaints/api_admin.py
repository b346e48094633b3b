"""The region admin's part of the complaints API: categories (whose list is public),
answer templates and the Open311 clients allowed to file reports."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from lumbung.api.auth import AUTH
from lumbung.api.context import region_of, require
from lumbung.core.errors import NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region
from lumbung.core.permissions import can

from . import services
from .api_common import OPTIONAL_AUTH, OPTIONAL_SECURITY, caller
from .api_schemas import MAX_ID
from .models import AnswerTemplate, Category, Open311Client
from .selectors import category_list, template_list

router = Router(tags=["complaints"], auth=AUTH)


# Schemas ----------------------------------------------------------------------------------


class CategoryIn(Schema):
    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_id: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)
    description_id: str = Field("", max_length=300)
    description_en: str = Field("", max_length=300)
    group: str = Field("", max_length=60)
    sla_class: Literal["c2", "c5", "c14", "c60"] = "c5"
    default_unit_id: int | None = Field(None, ge=1, le=MAX_ID)
    public_by_default: bool = True
    is_active: bool = True
    order: int = Field(100, ge=0, le=32767)


class CategoryPatch(Schema):
    name_id: str | None = Field(None, min_length=1, max_length=120)
    name_en: str | None = Field(None, min_length=1, max_length=120)
    description_id: str | None = Field(None, max_length=300)
    description_en: str | None = Field(None, max_length=300)
    group: str | None = Field(None, max_length=60)
    sla_class: Literal["c2", "c5", "c14", "c60"] | None = None
    default_unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="null: no default")
    public_by_default: bool | None = None
    is_active: bool | None = None
    order: int | None = Field(None, ge=0, le=32767)


class TemplateIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1, max_length=4000)
    category: str | None = Field(None, max_length=40, description="A category code")
    is_active: bool = True


class TemplatePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=120)
    body: str | None = Field(None, min_length=1, max_length=4000)
    category: str | None = Field(None, max_length=40, description="null: any category")
    is_active: bool | None = None


class ClientIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    contact_email: str = Field("", max_length=254)


class CategoryOut(Schema):
    id: int
    code: str
    name: str = Field(description="In the request's language (Accept-Language)")
    name_id: str
    name_en: str
    description: str
    group: str
    sla_class: str
    public_by_default: bool


class CategoryAdminOut(CategoryOut):
    description_id: str
    description_en: str
    default_unit_id: int | None
    is_active: bool
    order: int


class TemplateOut(Schema):
    id: int
    title: str
    body: str
    category: str | None
    is_active: bool

    @staticmethod
    def resolve_category(obj: Any) -> str | None:
        return obj.category.code if obj.category else None


class ClientOut(Schema):
    id: int
    name: str
    contact_email: str
    key_prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class ClientIssuedOut(ClientOut):
    api_key: str = Field(description="Secret; shown this once")


def category_out(category: Category) -> dict[str, Any]:
    return {
        **{f: getattr(category, f) for f in CategoryAdminOut.model_fields if f != "id"},
        "id": category.pk,
        "name": category.name,
        "description": category.description,
    }


# Routes -----------------------------------------------------------------------------------


@router.get(
    "/categories",
    response=list[CategoryAdminOut],
    summary="Categories",
    auth=OPTIONAL_AUTH,
    openapi_extra=OPTIONAL_SECURITY,
)
def categories(
    request: HttpRequest,
    region_slug: Path[str],
    include_inactive: bool = Query(False, description="Region admins only"),
) -> list[dict[str, Any]]:
    region, user = region_of(request), caller(request)
    allowed = user is not None and can(user, "complaints.manage_categories", region)
    if include_inactive and not allowed:
        raise PermissionDenied()
    return [category_out(c) for c in category_list(region, active_only=not include_inactive)]


@router.post("/categories", response={201: CategoryAdminOut}, summary="Add a category")
def category_create(
    request: HttpRequest, region_slug: Path[str], payload: CategoryIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "complaints.manage_categories")
    data = payload.dict()
    data["default_unit"] = data.pop("default_unit_id")
    return Status(201, category_out(services.category_save(region=region, actor=user, data=data)))


@router.patch("/categories/{code}", response=CategoryAdminOut, summary="Change a category")
def category_update(
    request: HttpRequest, region_slug: Path[str], code: Path[str], payload: CategoryPatch
) -> dict[str, Any]:
    region, user = require(request, "complaints.manage_categories")
    category = category_list(region, active_only=False).filter(code=code).first()
    if category is None:
        raise NotFound()
    sent = payload.dict(exclude_unset=True)
    data = {k: v for k, v in sent.items() if v is not None and k != "default_unit_id"}
    if "default_unit_id" in sent:
        data["default_unit"] = sent["default_unit_id"]
    saved = services.category_save(region=region, actor=user, data=data, category=category)
    return category_out(saved)


def _category_id(region: Region, code: str | None) -> int | None:
    if not code:
        return None
    found = category_list(region, active_only=False).filter(code=code).first()
    if found is None:
        raise ValidationFailed({"category": [_("Choose one of the region's categories.")]})
    return found.pk


@router.get("/templates", response=list[TemplateOut], summary="Answer templates")
def templates(
    request: HttpRequest,
    region_slug: Path[str],
    include_inactive: bool = Query(False, description="Region admins only"),
) -> list[AnswerTemplate]:
    perm = "complaints.manage_templates" if include_inactive else "complaints.work_case"
    region, _user = require(request, perm)
    return list(template_list(region, active_only=not include_inactive))


@router.post("/templates", response={201: TemplateOut}, summary="Add an answer template")
def template_create(
    request: HttpRequest, region_slug: Path[str], payload: TemplateIn
) -> Status[AnswerTemplate]:
    region, user = require(request, "complaints.manage_templates")
    data = {**payload.dict(), "category": _category_id(region, payload.category)}
    return Status(201, services.template_save(region=region, actor=user, data=data))


@router.patch(
    "/templates/{int:template_id}", response=TemplateOut, summary="Change an answer template"
)
def template_update(
    request: HttpRequest, region_slug: Path[str], template_id: int, payload: TemplatePatch
) -> AnswerTemplate:
    region, user = require(request, "complaints.manage_templates")
    template = template_list(region, active_only=False).filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    sent = payload.dict(exclude_unset=True)
    data: dict[str, Any] = {
        "title": sent.get("title") or template.title,
        "body": sent.get("body") or template.body,
        "category": template.category_id,
        "is_active": template.is_active if sent.get("is_active") is None else sent["is_active"],
    }
    if "category" in sent:
        data["category"] = _category_id(region, sent["category"])
    return services.template_save(region=region, actor=user, data=data, template=template)


@router.get("/open311-clients", response=list[ClientOut], summary="Open311 clients")
def clients(request: HttpRequest, region_slug: Path[str]) -> list[Open311Client]:
    region, _user = require(request, "complaints.manage_clients")
    return list(Open311Client.objects.filter(region=region))


@router.post("/open311-clients", response={201: ClientIssuedOut}, summary="Let a client in")
def client_create(
    request: HttpRequest, region_slug: Path[str], payload: ClientIn
) -> Status[dict[str, Any]]:
    """The answer holds the client's api_key this once; only its hash is kept."""
    region, user = require(request, "complaints.manage_clients")
    if payload.contact_email:
        try:
            validate_email(payload.contact_email)
        except DjangoValidationError:
            raise ValidationFailed({"contact_email": [_("Enter a valid email address.")]}) from None
    client, key = services.client_issue(
        region=region, actor=user, name=payload.name, contact_email=payload.contact_email
    )
    shown = ClientOut.model_validate(client).model_dump()
    return Status(201, {**shown, "api_key": key})


@router.delete(
    "/open311-clients/{int:client_id}", response={204: None}, summary="Revoke a client's key"
)
def client_revoke(request: HttpRequest, region_slug: Path[str], client_id: int) -> Status[None]:
    region, user = require(request, "complaints.manage_clients")
    client = Open311Client.objects.filter(region=region, pk=client_id).first()
    if client is None:
        raise NotFound()
    services.client_revoke(region=region, actor=user, client=client)
    return Status(204, None)
