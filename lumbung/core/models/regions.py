"""Regions (Pemda) as reference data and as tenants, and the modules each has switched on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionType(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Region(models.Model):
    """One of the 38 provinces or 514 kabupaten/kota. It is a tenant once `is_active`."""

    code = models.CharField(_("Kemendagri code"), max_length=5, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    type = models.CharField(_("type"), max_length=10, choices=RegionType.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    timezone = models.CharField(_("time zone"), max_length=20, choices=TimeZone.choices)
    is_active = models.BooleanField(_("active tenant"), default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    # Branding and contacts are data so that "only the city name changes" needs no fork.
    display_name = models.CharField(_("display name"), max_length=160, blank=True)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    logo = models.ImageField(_("logo"), upload_to="regions/logos/", blank=True)
    primary_color = models.CharField(_("primary colour"), max_length=7, default="#0b5d3b")
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("office address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    observes_cuti_bersama = models.BooleanField(_("offices close on cuti bersama"), default=True)
    staff_mfa_required = models.BooleanField(
        _("staff must use a second factor (TOTP)"), default=True
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["is_active", "code"], name="region_active_code")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.display_name or self.name

    @property
    def is_province(self) -> bool:
        return self.type == RegionType.PROVINSI

    @property
    def timezone_label(self) -> str:
        return TimeZone(self.timezone).label


class ModuleActivation(models.Model):
    """A module switched on (or off) for one region, with that region's settings for it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="modules")
    module = models.CharField(max_length=40)
    enabled = models.BooleanField(default=True)
    settings = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "module"], name="module_activation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region.slug}:{self.module}={'on' if self.enabled else 'off'}"
