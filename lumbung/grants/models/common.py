"""Shared field shapes of the grants module: core's, re-exported where grants reads them."""

from __future__ import annotations

from lumbung.core.models.fields import (
    MONEY_DIGITS,
    MONEY_MAX,
    MONEY_PLACES,
    Bilingual,
    english,
    money,
)

__all__ = ["MONEY_DIGITS", "MONEY_MAX", "MONEY_PLACES", "Bilingual", "english", "money"]
