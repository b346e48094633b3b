"""Isolation declarations of the module's public pages (imported by test_isolation.py).
The verification page is a detail by its code: another region's code is "unknown" with a
404 there, and nothing of that permit shows."""

from __future__ import annotations

from lumbung.core.models import Region
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..codes import code_for
from .test_isolation import _application, _permit, plant_type

NS = "core:permits"


def plant_verifiable(region: Region, tag: str) -> Planted:
    permit = _permit(region, tag)
    return Planted(code_for(region.pk, permit.token), (tag, permit.number))


def plant_counted(region: Region, tag: str) -> Planted:
    """An application: the figures count it under its permit type's name (the tag)."""
    return Planted(_application(region, tag).pk, (tag,))


isolation.page(f"{NS}:catalogue", Kind.LIST, plant=plant_type)
isolation.page(
    f"{NS}:need", Kind.NONE, reason="a form: the plan needs the visitor's activities first"
)
isolation.page(f"{NS}:verify", Kind.DETAIL, plant=plant_verifiable, object_param="code")
isolation.page(f"{NS}:figures", Kind.LIST, plant=plant_counted)
isolation.page(f"{NS}:figures-csv", Kind.LIST, plant=plant_counted)
isolation.page(f"{NS}:figures-json", Kind.LIST, plant=plant_counted)
