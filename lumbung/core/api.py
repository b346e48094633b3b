"""Core's API: the public region list, and bearer tokens."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from lumbung.api.auth import AUTH
from lumbung.api.errors import problem_response
from lumbung.api.pagination import Page

from .errors import DomainError, ErrorCode, NotFound, PermissionDenied
from .mfa import has_totp, totp_verify
from .models import ApiToken, Region, User
from .permissions import can
from .selectors import (
    region_list_active,
    region_modules_map,
    region_reference_search,
    request_modules,
)
from .services.people import email_verified, token_issue, token_revoke
from .services.regions import region_add

regions_router = Router(tags=["regions"])
reference_router = Router(tags=["reference"])
auth_router = Router(tags=["auth"])


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]]


class ParentOut(Schema):
    code: str
    slug: str
    name: str


class RegionOut(Schema):
    code: str
    slug: str
    name: str
    display_name: str
    type: str
    timezone: str
    parent: ParentOut | None
    modules: list[str]


class RegionDetailOut(RegionOut):
    tagline: str
    contact_email: str
    contact_phone: str
    address: str
    website: str
    children: list[ParentOut]


def _region_out(region: Region, modules: list[str]) -> dict[str, object]:
    parent = region.parent
    return {
        "code": region.code,
        "slug": region.slug,
        "name": region.name,
        "display_name": region.title,
        "type": region.type,
        "timezone": region.timezone,
        "parent": (
            {"code": parent.code, "slug": parent.slug, "name": parent.name} if parent else None
        ),
        "modules": modules,
    }


class RegionPage(Page):
    def paginate_queryset(self, queryset, pagination, request, **params):  # type: ignore[no-untyped-def]
        page = super().paginate_queryset(queryset, pagination, request, **params)
        regions = list(page["items"])
        modules = region_modules_map(regions)
        page["items"] = [_region_out(r, modules[r.pk]) for r in regions]
        return page


@regions_router.get("", response=list[RegionOut], summary="Active regions")
@paginate(RegionPage, page_size=50, max_page_size=100)
def region_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every region that is a tenant of this instance, with its enabled modules."""
    return region_list_active()


@regions_router.get("/{region_slug}", response=RegionDetailOut, summary="One region")
def region_detail(request: HttpRequest, region_slug: str) -> dict[str, object]:
    region = getattr(request, "region", None)  # RegionMiddleware resolved and checked it
    if region is None:
        raise NotFound()
    out = _region_out(region, request_modules(request))
    out.update(
        tagline=region.tagline,
        contact_email=region.contact_email,
        contact_phone=region.contact_phone,
        address=region.address,
        website=region.website,
        children=[
            {"code": c.code, "slug": c.slug, "name": c.name}
            for c in region.children.filter(is_active=True).order_by("code")
        ],
    )
    return out


class RegionAddIn(Schema):
    code: str = Field(min_length=2, max_length=5, description="Kemendagri code, e.g. 32.73")
    modules: list[str] = Field(default_factory=list, max_length=20)


@regions_router.post(
    "",
    response={
        201: RegionOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    auth=AUTH,
    summary="Add a region (platform operators)",
)
def region_create(request: HttpRequest, payload: RegionAddIn) -> Status[dict[str, object]]:
    """Make one of the 552 reference regions a tenant, with the given modules on."""
    user: User = request.auth  # type: ignore[attr-defined]
    if not can(user, "core.add_region"):
        raise PermissionDenied()
    region = region_add(code=payload.code.strip(), actor=user, modules=payload.modules)
    return Status(201, _region_out(region, region_modules_map([region])[region.pk]))


class ReferenceRegionOut(Schema):
    code: str
    slug: str
    name: str
    type: str
    parent_code: str | None
    timezone: str
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj: Region) -> str | None:
        return obj.parent.code if obj.parent else None


@reference_router.get("/regions", response=list[ReferenceRegionOut], summary="All regions")
@paginate(Page, page_size=50, max_page_size=100)
def reference_region_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    q: str = Query("", max_length=80, description="Part of the name or code"),
    type: str = Query("", max_length=10, description="provinsi, kabupaten or kota"),
):
    """The 38 provinces and 514 kabupaten/kota (Kemendagri), active or not: public data."""
    return region_reference_search(q=q, type=type)


class TokenIn(Schema):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)
    name: str = Field("api", max_length=100)
    otp: str | None = Field(None, max_length=10, description="TOTP code, for accounts with TOTP")


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    prefix: str
    name: str


class TokenInfo(Schema):
    id: int
    prefix: str
    name: str
    created_at: str
    last_used_at: str | None
    revoked: bool


@auth_router.post(
    "/token",
    response={201: TokenOut, 401: ProblemOut, 403: ProblemOut, 422: ProblemOut, 429: ProblemOut},
    summary="Issue a bearer token",
)
def token_create(request: HttpRequest, payload: TokenIn):  # type: ignore[no-untyped-def]
    """Exchange an email and password for a bearer token. The token is shown once."""
    email = payload.email.strip().lower()
    # The web login's limits on failed attempts (per address and per account) apply here too.
    if not ratelimit.consume(request, action="login_failed", key=email):
        return problem_response(
            request,
            429,
            ErrorCode.RATE_LIMITED,
            _("Too many failed attempts. Try again later."),
            headers={"Retry-After": "300"},
        )
    user = authenticate(request, email=email, password=payload.password)
    if not isinstance(user, User) or not user.is_active:
        return problem_response(
            request, 401, ErrorCode.INVALID_CREDENTIALS, _("Email or password is wrong.")
        )
    if not email_verified(user):
        return problem_response(
            request,
            403,
            ErrorCode.EMAIL_UNVERIFIED,
            _("Confirm your email address first: follow the link we sent you."),
        )
    ratelimit.clear(request, action="login_failed", key=email)
    if has_totp(user) and not totp_verify(user, payload.otp or ""):
        return problem_response(
            request,
            401,
            ErrorCode.OTP_REQUIRED,
            _("This account uses a second factor: send the current TOTP code as `otp`."),
        )
    token, secret = token_issue(user=user, name=payload.name)
    return Status(201, {"token": secret, "prefix": token.prefix, "name": token.name})


@auth_router.get("/tokens", response=list[TokenInfo], auth=AUTH, summary="My tokens")
def token_list(request: HttpRequest) -> list[dict[str, object]]:
    tokens = ApiToken.objects.filter(user=request.auth).order_by("-created_at")  # type: ignore[attr-defined]
    return [
        {
            "id": t.pk,
            "prefix": t.prefix,
            "name": t.name,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked": t.revoked_at is not None,
        }
        for t in tokens
    ]


@auth_router.delete("/tokens/{token_id}", response={204: None}, auth=AUTH, summary="Revoke a token")
def token_delete(request: HttpRequest, token_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound()
    with transaction.atomic():
        token_revoke(user=user, token=token)
    return Status(204, None)


__all__ = ["DomainError", "auth_router", "regions_router"]
