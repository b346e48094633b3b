"""API authentication: the web session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lumbung.core.models import User
from lumbung.core.services.people import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The browser's session; ninja checks the CSRF token on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user and user.is_active else None


# Endpoints that need a signed-in caller use `auth=AUTH`.
AUTH = [BearerToken(), Session()]


class _Anonymous:
    """ninja's marker for "no credentials at all": such a caller is anonymous. Credentials
    that are sent must be valid (a wrong token is a 401, a session POST needs its CSRF)."""

    def __call__(self, request: HttpRequest) -> object | None:
        if "authorization" in request.headers or request.user.is_authenticated:
            return None
        return self

    def __bool__(self) -> bool:
        return True


# Public endpoints that also serve signed-in callers use `auth=OPTIONAL_AUTH` with
# `openapi_extra=OPTIONAL_SECURITY` (ninja documents the token and the session; this adds
# "or no credentials").
OPTIONAL_AUTH = [_Anonymous(), *AUTH]
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}
