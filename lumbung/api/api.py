"""The one NinjaAPI at /api/v1: assembly only. Each module's router is mounted under
/api/v1/regions/{region_slug}/<module>/; the region wall is RegionMiddleware."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.signature import ViewSignature

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.modules import registry

from .errors import PROBLEM_CONTENT_TYPE, field_errors_from_ninja, problem_response, retry_after


class LumbungAPI(NinjaAPI):
    """Every answer under /api/v1 is a problem document when it is an error: a path no
    operation serves is a 404 and a method an operation does not take is a 405, instead of
    Django's HTML page and ninja's plain-text reply."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = [
            URLPattern(p.pattern, _method_problem(p.callback), p.default_args, p.name)
            if isinstance(p, URLPattern) and not iscoroutinefunction(p.callback)
            else p
            for p in patterns
        ]
        return [*wrapped, re_path(r"^", _unknown_path)], app_name, namespace

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        from .openapi import document_problems

        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_problems(schema)


def _method_problem(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if _carries_nul(request):
            return problem_response(
                request, 422, ErrorCode.VALIDATION, _("Text may not contain NUL characters.")
            )
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response["Content-Type"] == PROBLEM_CONTENT_TYPE:
            return response
        return problem_response(
            request,
            405,
            ErrorCode.METHOD_NOT_ALLOWED,
            _("This method is not allowed here."),
            headers={"Allow": response.get("Allow", "")},
        )

    return wrapped


def _carries_nul(request: HttpRequest) -> bool:
    """PostgreSQL cannot store U+0000 in text: refuse it at the door instead of failing
    with a server error deep in a query."""
    if "\x00" in request.path or any("\x00" in v for _k, vs in request.GET.lists() for v in vs):
        return True
    if request.content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False


@csrf_exempt
def _unknown_path(request: HttpRequest) -> HttpResponse:
    return problem_response(request, 404, ErrorCode.NOT_FOUND, _("Not found."))


api = LumbungAPI(
    title="Lumbung API",
    version="1",
    description=(
        "One API for every region of a Lumbung instance. Region-scoped routes live under "
        "/api/v1/regions/{region_slug}/; errors are RFC 9457 problem details with a stable "
        "`code`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return problem_response(
        request,
        422,
        ErrorCode.VALIDATION,
        _("Some fields are invalid."),
        errors=field_errors_from_ninja(list(exc.errors)),
    )


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return problem_response(
        request,
        exc.status,
        exc.code,
        str(exc.message),
        errors=exc.field_errors,
        headers=retry_after(wait) if (wait := getattr(exc, "retry_after", None)) else None,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(
        request,
        401,
        ErrorCode.UNAUTHENTICATED,
        _("Sign in or send a valid bearer token."),
        headers={"WWW-Authenticate": 'Bearer realm="lumbung"'},
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 404, ErrorCode.NOT_FOUND, _("Not found."))


@api.exception_handler(DjangoPermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, 403, ErrorCode.PERMISSION_DENIED, _("You may not do this."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {
        401: ErrorCode.UNAUTHENTICATED,
        403: ErrorCode.PERMISSION_DENIED,
        404: ErrorCode.NOT_FOUND,
        405: ErrorCode.METHOD_NOT_ALLOWED,
        409: ErrorCode.CONFLICT,
        429: ErrorCode.RATE_LIMITED,
    }
    code = codes.get(exc.status_code, ErrorCode.VALIDATION)
    return problem_response(request, exc.status_code, code, str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    logging.getLogger("lumbung.api").exception("Unhandled API error")
    return problem_response(
        request, 500, ErrorCode.SERVER_ERROR, _("Something went wrong on our side.")
    )


def _mount() -> None:
    from lumbung.core.api import auth_router, reference_router, regions_router

    api.add_router("/auth", auth_router)
    api.add_router("/reference", reference_router)
    api.add_router("/regions", regions_router)
    from lumbung.core.api_admin import router as region_admin_router
    from lumbung.core.api_region import router as region_settings_router

    api.add_router("/regions/{region_slug}", region_admin_router)
    api.add_router("/regions/{region_slug}", region_settings_router)
    for config in sorted(registry.modules.values(), key=lambda m: m.order):
        router = config.get_api_router()
        if router is not None:
            prefix = f"/regions/{{region_slug}}/{config.url_prefix}"
            _read_prefix_params(router, prefix)
            api.add_router(prefix, router)


def _read_prefix_params(router: Router, prefix: str) -> None:
    """ninja finds path parameters in an operation's own path only, so a module view's
    `region_slug` would be a required query parameter. Re-read each signature with the
    mounted path so that it comes from the path, and the OpenAPI document says so."""
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            operation.signature = ViewSignature(prefix + path, operation.view_func)
            operation.models = operation.signature.models
    for child_prefix, child, _tags in getattr(router, "_routers", []):
        _read_prefix_params(child, f"{prefix}/{child_prefix.strip('/')}")


_mount()


def api_routes() -> list[dict[str, Any]]:
    """Every (method, path) the API serves, for the isolation suite's route walk."""
    schema = api.get_openapi_schema()
    return [
        {"path": path, "method": method.upper(), "operation": op}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
