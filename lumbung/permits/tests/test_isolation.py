"""The permits module's part of the isolation walk: its models here (its API routes and
pages, once they exist, in isolation_*.py files beside this one), all discovered by core's
suite."""

from __future__ import annotations

import importlib
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from lumbung.core.models import Region, User
from lumbung.core.testing.isolation import Planted, isolation
from lumbung.core.tests.factories import UserFactory

from ..codes import token_new
from ..models import (
    Application,
    ApplicationActivity,
    ApplicationDocument,
    Inspection,
    InspectionPhoto,
    Kbli,
    Permit,
    PermitType,
    Requirement,
    RoutingRule,
    StageSla,
)

# The walk plants every model with the same tag in one region: rows made on the way (the
# permit type of an application) take a serial so that they never collide.
_serial = itertools.count(1)


def _user(region: Region, tag: str) -> User:
    return UserFactory.create(email=f"pemohon-{tag}-{region.pk}@example.test")


def _type(region: Region, tag: str) -> PermitType:
    return PermitType.objects.create(
        region=region,
        code=f"izin-{tag}-{next(_serial)}".lower()[:40],
        name_id=f"Izin {tag}",
        name_en=tag,
    )


def _requirement(region: Region, tag: str) -> Requirement:
    return Requirement.objects.create(
        region=region, permit_type=_type(region, tag), code="denah", name_id=tag, name_en=tag,
        format="pdf",
    )  # fmt: skip


def _kbli(region: Region, tag: str) -> Kbli:
    return Kbli.objects.create(
        region=region, code=f"{next(_serial) % 100000:05d}", title_id=tag, title_en=tag,
        risk_micro="rendah", risk_small="rendah", risk_medium="rendah", risk_large="rendah",
    )  # fmt: skip


def _application(region: Region, tag: str) -> Application:
    return Application.objects.create(
        region=region,
        number=f"PRM-{tag}-{next(_serial)}",
        applicant=_user(region, tag),
        business_name=f"Usaha {tag}",
        npwp="012345678901000",
        owner_name=tag,
        owner_nik="3273010101900001",
        business_address=f"Jl. {tag}",
        kelurahan_code=f"{region.code}.01.1001",
        capital=Decimal("100000000"),
        scale="micro",
        lane="permit",
        permit_type=_type(region, tag),
        state="document_check",
        state_entered_at=timezone.now(),
    )


def _permit(region: Region, tag: str) -> Permit:
    today = timezone.now().date()
    return Permit.objects.create(
        region=region,
        application=_application(region, tag),
        lane="permit",
        number=f"IZIN-{tag}-{next(_serial)}",
        token=token_new(),
        business_name=f"Usaha {tag}",
        issued_at=timezone.now(),
        valid_from=today,
    )


def _inspection(region: Region, tag: str) -> Inspection:
    application = _application(region, tag)
    return Inspection.objects.create(
        region=region,
        application=application,
        scheduled_at=timezone.now(),
        inspector=application.applicant,
        findings=tag,
    )


def plant_type(region: Region, tag: str) -> Planted:
    return Planted(_type(region, tag).pk, (tag,))


def plant_requirement(region: Region, tag: str) -> Planted:
    return Planted(_requirement(region, tag).pk, (tag,))


def plant_sla(region: Region, tag: str) -> Planted:
    row = StageSla.objects.create(
        region=region, permit_type=_type(region, tag), stage="approval", working_days=3
    )
    return Planted(row.pk, (tag,))


def plant_kbli(region: Region, tag: str) -> Planted:
    return Planted(_kbli(region, tag).pk, (tag,))


def plant_rule(region: Region, tag: str) -> Planted:
    rule = RoutingRule.objects.create(region=region, priority=1, lane="permit", note=tag)
    return Planted(rule.pk, (tag,))


def plant_application(region: Region, tag: str) -> Planted:
    application = _application(region, tag)
    return Planted(application.pk, (tag, application.number))


def plant_activity(region: Region, tag: str) -> Planted:
    row = ApplicationActivity.objects.create(
        region=region, application=_application(region, tag), kbli=_kbli(region, tag)
    )
    return Planted(row.pk, (tag,))


def plant_document(region: Region, tag: str) -> Planted:
    requirement = _requirement(region, tag)
    application = _application(region, tag)
    row = ApplicationDocument.objects.create(
        region=region,
        application=application,
        requirement=requirement,
        file=ContentFile(b"%PDF-1.4\n", name=f"{tag}.pdf"),
        filename=f"{tag}.pdf",
        content_type="application/pdf",
        size=9,
    )
    return Planted(row.pk, (tag,))


def plant_inspection(region: Region, tag: str) -> Planted:
    return Planted(_inspection(region, tag).pk, (tag,))


def plant_photo(region: Region, tag: str) -> Planted:
    row = InspectionPhoto.objects.create(
        region=region,
        inspection=_inspection(region, tag),
        file=ContentFile(b"\x89PNG", name=f"{tag}.png"),
        content_type="image/png",
        size=4,
    )
    return Planted(row.pk, (tag,))


def plant_permit(region: Region, tag: str) -> Planted:
    permit = _permit(region, tag)
    return Planted(permit.pk, (tag, permit.number))


isolation.model(PermitType, plant_type)
isolation.model(Requirement, plant_requirement)
isolation.model(StageSla, plant_sla)
isolation.model(Kbli, plant_kbli)
isolation.model(RoutingRule, plant_rule)
isolation.model(Application, plant_application)
isolation.model(ApplicationActivity, plant_activity)
isolation.model(ApplicationDocument, plant_document)
isolation.model(Inspection, plant_inspection)
isolation.model(InspectionPhoto, plant_photo)
isolation.model(Permit, plant_permit)

# Declarations of the API routes and pages, one file per surface (added with them).
for _surface in ("isolation_api", "isolation_public", "isolation_backoffice"):
    try:
        importlib.import_module(f"{__package__}.{_surface}")
    except ModuleNotFoundError as missing:
        if missing.name != f"{__package__}.{_surface}":
            raise
