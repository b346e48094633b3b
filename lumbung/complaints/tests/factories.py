"""Test data for the complaints module, made through its own services."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Category, Complaint
from ..services import (
    Filed,
    ReportInput,
    categories_adopt_starter,
    category_save,
    report_file,
)

# Alun-alun Bandung and a point 50 m from it.
BANDUNG = (Decimal("-6.921800"), Decimal("107.607000"))
NEAR_BANDUNG = (Decimal("-6.922200"), Decimal("107.607200"))


def enable_complaints(world: RegionWorld) -> RegionWorld:
    """Switch the module on for the world's region, with the starter categories and one
    category routed to the world's unit."""
    region = world.region
    with region_scope(region), transaction.atomic():
        region_modules_set(region=region, actor=None, enable=["complaints"])
        categories_adopt_starter(region=region, actor=None)
        category_save(
            region=region,
            actor=world.users[Role.REGION_ADMIN],
            data={
                "code": "jalan-rusak",
                "default_unit": world.unit.pk,
            },
            category=Category.objects.get(region=region, code="jalan-rusak"),
        )
    return world


def png(
    name: str = "photo.png", size: tuple[int, int] = (8, 8), exif_gps: bool = False
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "S", 2: (6.0, 55.0, 0.0)}
        image.save(out, "JPEG", exif=exif)
        return SimpleUploadedFile(name.replace(".png", ".jpg"), out.getvalue(), "image/jpeg")
    image.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def file_report(
    region: Region,
    *,
    actor: User | None = None,
    category: str = "jalan-rusak",
    description: str = "Jalan berlubang besar di depan sekolah",
    photos: list[Any] | None = None,
    **fields: Any,
) -> Filed:
    """File a report as `actor` (anonymous by default) at the Bandung test point."""
    fields.setdefault("latitude", BANDUNG[0])
    fields.setdefault("longitude", BANDUNG[1])
    data = ReportInput(category=category, description=description, **fields)
    with region_scope(region):
        return report_file(
            region=region, actor=actor, data=data, photos=photos or [], address="198.51.100.7"
        )


def reload(complaint: Complaint) -> Complaint:
    with region_scope(complaint.region):
        return Complaint.objects.get(region=complaint.region, pk=complaint.pk)
