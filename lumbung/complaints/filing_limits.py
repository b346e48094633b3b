"""Limits on anonymous filing, per address and per contact, so that one script cannot
flood a region's queue. They use the API's fair-share counters (database or Redis)."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.utils.translation import gettext as _

from lumbung.api.ratelimit import Counter, count_requests, parse_rate, scoped_counter
from lumbung.core.errors import DomainError
from lumbung.core.models import Region

from .errors import ComplaintError


class FilingLimited(DomainError):
    status = 429

    def __init__(self, wait: int) -> None:
        super().__init__(
            ComplaintError.FILING_LIMITED,
            _(
                "Too many reports were filed from here. Try again in %(minutes)d minutes, or "
                "sign in to file more."
            )
            % {"minutes": max(1, math.ceil(wait / 60))},
        )
        self.retry_after = wait


def check(region: Region, *, address: str, contact: str) -> None:
    """Count one anonymous filing; raise FilingLimited when a limit is passed. A refused
    filing counts too, so retrying in a loop does not help."""
    rates = settings.LUMBUNG_COMPLAINT_FILING_LIMITS
    now = time.time()
    counters: list[Counter] = []
    for scope, identity in (("address", address), ("contact", contact.lower())):
        if identity and rates.get(scope):
            counters.append(
                scoped_counter(
                    f"file-{scope}", f"{region.pk}:{identity}", parse_rate(rates[scope]), now
                )
            )
    if not counters:
        return
    waits = [
        w for c, n in zip(counters, count_requests(counters), strict=True) if (w := c.wait(n, now))
    ]
    if waits:
        raise FilingLimited(math.ceil(max(waits)))
