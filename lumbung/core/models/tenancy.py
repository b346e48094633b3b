"""The tenant wall's first layer: every tenant-owned row inherits RegionScoped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django_scopes import ScopedManager

if TYPE_CHECKING:

    class RegionScopedManager(models.Manager[Any]):
        """Typed face of the runtime class below."""

else:

    class RegionScopedManager(type(ScopedManager(region="region"))):
        """A manager whose querysets raise unless a region scope (or an explicit
        `dangerously_unscoped()`) is active, so a forgotten filter fails loudly in tests."""


class RegionScoped(models.Model):
    """A row owned by one region. Its default manager refuses to query outside a scope."""

    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")

    objects = RegionScopedManager()

    class Meta:
        abstract = True
