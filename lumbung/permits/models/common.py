"""Shared field shapes and choices of the permits module."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Rupiah, exact, with sen: up to Rp 1 quadrillion, far above any business's capital.
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


class Risk(models.TextChoices):
    """Risk levels of risk-based licensing (PP 5/2021, now PP 28/2025)."""

    RENDAH = "rendah", _("Low")
    MENENGAH_RENDAH = "menengah_rendah", _("Medium-low")
    MENENGAH_TINGGI = "menengah_tinggi", _("Medium-high")
    TINGGI = "tinggi", _("High")


class Scale(models.TextChoices):
    """Business scale by capital excluding land and buildings (PP 7/2021)."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Lane(models.TextChoices):
    """What an activity needs, from the lightest to the heaviest."""

    REPORT_ONLY = "report_only", _("Report only (registration)")
    CERTIFICATE_SELF = "standard_certificate_self", _("Standard certificate, self-declared")
    CERTIFICATE_VERIFIED = "standard_certificate_verified", _("Standard certificate, verified")
    PERMIT = "permit", _("Permit")


# Lanes that no officer handles: the system registers the business at once.
INSTANT_LANES = (Lane.REPORT_ONLY, Lane.CERTIFICATE_SELF)
LANE_ORDER = {lane: i for i, lane in enumerate(Lane)}
RISK_ORDER = {risk: i for i, risk in enumerate(Risk)}
