"""The complaints module's part of the isolation walk: its models here, its API routes
and pages in the isolation_*.py files beside this one (each kept by whoever owns that
surface), all discovered by core's suite."""

from __future__ import annotations

import importlib
from decimal import Decimal

from lumbung.core.models import Region
from lumbung.core.testing.isolation import Planted, isolation

from ..models import (
    AnswerTemplate,
    Category,
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    Open311Client,
    Supporter,
)
from ..services import (
    ReportInput,
    categories_adopt_starter,
    client_issue,
    report_file,
    report_support,
    template_save,
)
from .factories import png


def _category(region: Region) -> Category:
    found = Category.objects.filter(region=region, code="jalan-rusak").first()
    if found is None:
        categories_adopt_starter(region=region, actor=None)
        found = Category.objects.get(region=region, code="jalan-rusak")
    return found


def _file(region: Region, tag: str, photos: bool = False) -> Complaint:
    _category(region)
    data = ReportInput(
        category="jalan-rusak",
        description=f"Jalan rusak {tag}",
        location_text=f"Jl. {tag}",
        latitude=Decimal("-6.9218"),
        longitude=Decimal("107.607"),
        is_public=True,
    )
    filed = report_file(
        region=region, actor=None, data=data, photos=[png()] if photos else [], address=""
    )
    return filed.complaint


def plant_complaint(region: Region, tag: str) -> Planted:
    """A public report whose description and location show the tag; its ticket is the id
    the routes and pages take."""
    complaint = _file(region, tag)
    return Planted(complaint.ticket, (tag, complaint.ticket))


def plant_complaint_row(region: Region, tag: str) -> Planted:
    """The same, identified by its primary key (for the model check)."""
    complaint = _file(region, tag)
    return Planted(complaint.pk, (tag, complaint.ticket))


def plant_category(region: Region, tag: str) -> Planted:
    category = Category.objects.create(
        region=region, code=tag.lower()[:40], name_id=tag, name_en=tag
    )
    return Planted(category.pk, (tag,))


def plant_update(region: Region, tag: str) -> Planted:
    complaint = _file(region, tag)
    update = ComplaintUpdate.objects.create(
        region=region, complaint=complaint, kind="answer", body=tag
    )
    return Planted(update.pk, (tag,))


def plant_photo(region: Region, tag: str) -> Planted:
    complaint = _file(region, tag, photos=True)
    photo = ComplaintPhoto.objects.get(region=region, complaint=complaint)
    return Planted(photo.pk, (tag,))


def plant_supporter(region: Region, tag: str) -> Planted:
    complaint = _file(region, tag)
    report_support(region=region, actor=None, complaint=complaint, session_key=tag)
    return Planted(Supporter.objects.get(region=region, complaint=complaint).pk, (tag,))


def plant_template(region: Region, tag: str) -> Planted:
    template = template_save(region=region, actor=None, data={"title": tag, "body": tag})
    return Planted(template.pk, (tag,))


def plant_client(region: Region, tag: str) -> Planted:
    client, _key = client_issue(region=region, actor=None, name=tag)
    return Planted(client.pk, (tag,))


isolation.model(Category, plant_category)
isolation.model(Complaint, plant_complaint_row)
isolation.model(ComplaintUpdate, plant_update)
isolation.model(ComplaintPhoto, plant_photo)
isolation.model(Supporter, plant_supporter)
isolation.model(AnswerTemplate, plant_template)
isolation.model(Open311Client, plant_client)

# Declarations of the API routes and pages, one file per surface.
for _surface in ("isolation_api", "isolation_public", "isolation_backoffice"):
    try:
        importlib.import_module(f"{__package__}.{_surface}")
    except ModuleNotFoundError as missing:
        if missing.name != f"{__package__}.{_surface}":
            raise
