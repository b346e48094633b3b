"""Fair share: limits per client, per region and platform-wide, so one busy region or one
script cannot drain what the others need."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle, SimpleRateThrottle


class _Throttle(SimpleRateThrottle):
    """The rate is read from settings on every request, not once at import, so that an
    operator's change (or a test's override) applies to the API that is already built."""

    scope_name = ""

    def __init__(self) -> None:
        super().__init__(self.current_rate())

    def current_rate(self) -> str:
        return str(settings.LUMBUNG_RATE_LIMITS[self.scope_name])

    def allow_request(self, request: HttpRequest) -> bool:
        rate = self.current_rate()
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class ClientThrottle(_Throttle):
    """One user (by account) or one anonymous client (by address)."""

    scope_name = "client"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return f"throttle:client:user:{user.pk}"
        return f"throttle:client:ip:{self.get_ident(request)}"


class RegionThrottle(_Throttle):
    """Everything addressed to one region."""

    scope_name = "region"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        region = getattr(request, "region", None)
        return f"throttle:region:{region.pk}" if region is not None else None


class GlobalThrottle(_Throttle):
    scope_name = "global"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return "throttle:global"


def throttles() -> list[BaseThrottle]:
    return [ClientThrottle(), RegionThrottle(), GlobalThrottle()]
