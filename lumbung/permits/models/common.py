"""Shared field shapes and choices of the permits module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lumbung.core.models.fields import (
    MONEY_DIGITS,
    MONEY_MAX,
    MONEY_PLACES,
    Bilingual,
    english,
    money,
)

__all__ = [
    "INSTANT_LANES",
    "LANE_ORDER",
    "MONEY_DIGITS",
    "MONEY_MAX",
    "MONEY_PLACES",
    "RISK_ORDER",
    "Bilingual",
    "Lane",
    "Risk",
    "Scale",
    "english",
    "money",
]


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
