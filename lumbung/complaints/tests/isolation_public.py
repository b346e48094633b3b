"""Isolation declarations of the module's public pages (imported by test_isolation.py)."""

from __future__ import annotations

from decimal import Decimal

from lumbung.core.models import Membership, Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..services import ReportInput, report_file
from .test_isolation import _category, plant_complaint, plant_photo

NS = "core:complaints"


def plant_own_complaint(region: Region, tag: str) -> Planted:
    """A report filed by the region's admin (whom the walk signs in): their "mine" page."""
    _category(region)
    admin = (
        Membership.objects.filter(region=region, role=Role.REGION_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    data = ReportInput(
        category="jalan-rusak",
        description=f"Laporan saya {tag}",
        latitude=Decimal("-6.9218"),
        longitude=Decimal("107.607"),
        is_public=False,
    )
    filed = report_file(region=region, actor=admin.user if admin else None, data=data)
    return Planted(filed.complaint.ticket, (tag, filed.complaint.ticket))


def plant_report(region: Region, tag: str) -> Planted:
    """A public report known by its tag only: a 404 page repeats the address it was asked
    for (the language switch returns there), so the other region's ticket in that address
    is no leak."""
    return Planted(plant_complaint(region, tag).pk, (tag,))


def plant_photo_file(region: Region, tag: str) -> Planted:
    """A report's photo: the image bytes cannot carry the tag, so only the 404 is checked."""
    return Planted(plant_photo(region, tag).pk, ())


isolation.page(f"{NS}:index", Kind.LIST, plant=plant_complaint)
isolation.page(f"{NS}:track", Kind.DETAIL, plant=plant_report, object_param="ticket")
isolation.page(f"{NS}:photo", Kind.DETAIL, plant=plant_photo_file, object_param="pk")
isolation.page(f"{NS}:mine", Kind.LIST, plant=plant_own_complaint)
# Both take a POST; a GET shows the tracking page that holds their forms.
isolation.page(f"{NS}:support", Kind.DETAIL, plant=plant_report, object_param="ticket")
isolation.page(f"{NS}:reply", Kind.DETAIL, plant=plant_report, object_param="ticket")
isolation.page(f"{NS}:stats-json", Kind.COUNT, plant=plant_complaint, count_key="received")
isolation.page(
    f"{NS}:stats",
    Kind.NONE,
    reason="aggregate figures only (the same as stats.json, whose count is checked)",
)
isolation.page(
    f"{NS}:stats-csv",
    Kind.NONE,
    reason="aggregate figures only (the same as stats.json, whose count is checked)",
)
isolation.page(f"{NS}:file", Kind.NONE, reason="the filing form: the region's categories only")
isolation.page(
    f"{NS}:filed",
    Kind.NONE,
    reason="shows only the report the visitor's own session has just filed",
)
isolation.page(
    f"{NS}:nearby",
    Kind.NONE,
    reason="lists reports only for a category and a pin in the query; the views tests "
    "check that another region's report at the same spot never shows",
)
