"""Units (OPD): the region's dinas, badan, kecamatan and kelurahan, as a tree."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .tenancy import RegionScoped


class UnitKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Secretariat")
    DINAS = "dinas", _("Agency (dinas)")
    BADAN = "badan", _("Board (badan)")
    INSPEKTORAT = "inspektorat", _("Inspectorate")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Village (kelurahan/desa)")
    BAGIAN = "bagian", _("Division (bagian/bidang)")
    OTHER = "other", _("Other")


class Unit(RegionScoped):
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unit_region_code_unique")
        ]
        indexes = [models.Index(fields=["region", "parent"], name="unit_region_parent")]

    def __str__(self) -> str:
        return self.short_name or self.name
