"""RFC 9457 problem details: one shape for validation, auth, not-found and domain errors."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


def problem_type(code: str) -> str:
    return f"urn:lumbung:problem:{code}"


def problem_response(
    request: HttpRequest | None,
    status: int,
    code: str,
    detail: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": str(detail),
        "code": code,
        "errors": errors or {},
    }
    if request is not None:
        body["instance"] = request.path
        request_id = getattr(request, "request_id", "")
        if request_id:
            body["request_id"] = request_id
    response = JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def field_errors_from_ninja(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Turn pydantic/ninja error locations (['body', 'payload', 'email']) into field names."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())]
        if loc and loc[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
            loc = loc[1:]
            if len(loc) > 1 and loc[0] in {"payload", "data", "body", "filters", "params"}:
                loc = loc[1:]
        name = ".".join(loc) or "__all__"
        result.setdefault(name, []).append(str(error.get("msg", _("Invalid value."))))
    return result


def retry_after(wait: float | None) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(wait or 1)))}
