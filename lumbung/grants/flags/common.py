"""What every detector shares: the finding it returns, the region's today, and helpers
for stable keys and amounts in evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Replace
from django.utils import timezone

from lumbung.core.models import Region

from ..models import Entitlement, FlagKind
from ..workflow import REJECTED, WITHDRAWN

NEVER_FUNDED = (REJECTED, WITHDRAWN)
RECEIVED = (Entitlement.Status.LISTED, Entitlement.Status.DISBURSED)
CHUNK = 500  # values per IN (...) list: under SQLite's parameter limit, cheap on PostgreSQL


@dataclass(frozen=True)
class Finding:
    """One thing a detector found; `key` identifies it across runs within its kind."""

    kind: FlagKind
    key: str
    evidence: dict[str, Any]
    proposal_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None


def region_today(region: Region) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(region.timezone))


def digest(*parts: object) -> str:
    """A short stable key part for values that must not show in a key (accounts, names)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]


def strip_chars(expression: Combinable, characters: str) -> Combinable:
    """The expression with every one of `characters` removed, in SQL (both databases)."""
    for character in characters:
        expression = Replace(expression, Value(character), Value(""))
    return expression


def money_text(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))
