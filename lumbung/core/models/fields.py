"""Field shapes every module shares: exact Rupiah and names in both languages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language

# Rupiah, exact, with sen: up to Rp 1 quadrillion, far above any regional budget or business
# capital; anything above MONEY_MAX is refused as absurd before it reaches the column.
MONEY_DIGITS, MONEY_PLACES = 17, 2
MONEY_MAX = Decimal("1000000000000000")


def money(verbose_name: Any, **kwargs: Any) -> models.DecimalField[Decimal, Decimal]:
    kwargs.setdefault("validators", [MinValueValidator(Decimal(0)), MaxValueValidator(MONEY_MAX)])
    return models.DecimalField(
        verbose_name, max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, **kwargs
    )


def english() -> bool:
    return (get_language() or "id").startswith("en")


class Bilingual(models.Model):
    """A name in Bahasa Indonesia and English, shown in the reader's language."""

    name_id = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return (self.name_en if english() else self.name_id) or self.name_id
