""" "Am I on the list?": a citizen gives a NIK and their name and learns only whether they
are on an approved bansos list, for which programme(s), and the status. A wrong name for
a real NIK answers exactly as an unknown NIK, after the same queries and comparison, so
the answer is no oracle for whose NIK is whose. Limited per address and per NIK."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from lumbung.api.ratelimit import Counter, count_requests, parse_rate, scoped_counter
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region

from .. import nik as nik_rules
from ..bansos_errors import BansosError
from ..importing.fields import name_key
from ..models import Entitlement, Person
from ..workflow import APPROVED, CYCLE_CLOSED

# Per address: a family checking its members; per NIK: guessing names for one number.
DEFAULT_LIMITS = {"address": "20/h", "nik": "5/h"}
SHOWN = 10  # the latest entries


@dataclass(frozen=True)
class ListEntry:
    programme: str
    cycle: int
    year: int
    status: str  # the status's label


@dataclass(frozen=True)
class LookupAnswer:
    on_list: bool
    entries: tuple[ListEntry, ...] = ()


class LookupLimited(DomainError):
    status = 429

    def __init__(self, wait: int) -> None:
        super().__init__(
            BansosError.LOOKUP_LIMITED,
            _("Too many lookups from here. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
        )
        self.retry_after = wait


def bansos_lookup(*, region: Region, nik: str, name: str, address: str) -> LookupAnswer:
    """Whether the person with this NIK and name is on one of the region's approved lists."""
    parsed = nik_rules.parse(nik)
    _limit(region, address, parsed.info.nik if parsed.info else nik.strip())
    wanted = name_key(name)
    if parsed.info is None or not wanted:
        raise ValidationFailed(
            {"nik": [parsed.error]} if parsed.info is None else {"name": [_("Give your name.")]}
        )
    found = Person.objects.filter(region=region, nik=parsed.info.nik).values_list("id", "name")
    person_id, stored = found.first() or (0, "")
    # Both branches compare digests of equal length and run the same entitlement query.
    same = hmac.compare_digest(_digest(name_key(stored)), _digest(wanted))
    entries = _entries(region, person_id if same else 0)
    if not same or not entries:
        return LookupAnswer(False)
    return LookupAnswer(True, entries)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _entries(region: Region, person_id: int) -> tuple[ListEntry, ...]:
    rows = (
        Entitlement.objects.filter(
            region=region,
            person_id=person_id,
            cycle__state__in=(APPROVED, CYCLE_CLOSED),
            cycle__programme__is_active=True,
        )
        .exclude(status=Entitlement.Status.REMOVED)
        .select_related("cycle__programme")
        .order_by("-cycle__period_start", "-id")[:SHOWN]
    )
    return tuple(
        ListEntry(
            programme=e.cycle.programme.name,
            cycle=e.cycle.number,
            year=e.cycle.programme.year,
            status=str(Entitlement.Status(e.status).label),
        )
        for e in rows
    )


def _limit(region: Region, address: str, nik: str) -> None:
    """Count the lookup before anything else; a refused one counts too."""
    rates = getattr(settings, "LUMBUNG_BANSOS_LOOKUP_LIMITS", DEFAULT_LIMITS)
    now = time.time()
    counters: list[Counter] = []
    for scope, identity in (("address", address), ("nik", nik)):
        if identity and rates.get(scope):
            counters.append(
                scoped_counter(
                    f"bansos-lookup-{scope}",
                    f"{region.pk}:{identity}",
                    parse_rate(rates[scope]),
                    now,
                )
            )
    if not counters:
        return
    used = count_requests(counters)
    waits = [w for c, n in zip(counters, used, strict=True) if (w := c.wait(n, now))]
    if waits:
        raise LookupLimited(math.ceil(max(waits)))
