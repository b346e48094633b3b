"""Test data for permits, made through the module's own services: a region with the
module on, the starter activities, a head of region, a permit type with its requirements
and deadlines, and applications driven to any stage."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from lumbung.core.kelurahan import kelurahan_choices
from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import forget_roles
from lumbung.core.services.people import membership_grant
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, UserFactory

from ..models import Application, FeeKind, Kbli, Permit, PermitType
from ..services.applications import ApplicationInput, application_apply
from ..services.catalogue import (
    PermitTypeInput,
    kbli_save,
    permit_type_save,
    requirement_save,
    stage_sla_set,
)
from ..services.kbli import kbli_adopt_starter
from ..services.payment import payment_record
from ..services.stages import (
    application_approve,
    application_check,
    application_recommend,
    application_sign,
    inspection_record,
    inspection_schedule,
)

NIK = "3273010101900001"
NPWP = "01.234.567.8-901.000"
PHARMACY = "47721"  # high risk at every scale: the permit lane
WARUNG = "56102"  # low risk for micro and small businesses: report only under the threshold
SLAS = {"document_check": 2, "inspection": 4, "recommendation": 2, "approval": 1, "signing": 1}


@dataclass
class PermitsWorld:
    world: RegionWorld
    permit_type: PermitType
    kelurahan: str
    users: dict[Role, User] = field(default_factory=dict)

    @property
    def region(self) -> Region:
        return self.world.region

    def user(self, role: Role) -> User:
        return self.world.users[role]


def pdf(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, "application/pdf")


def png(name: str = "foto.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def type_input(**overrides: Any) -> PermitTypeInput:
    values: dict[str, Any] = {
        "code": "apotek",
        "name_id": "Izin Apotek",
        "name_en": "Pharmacy permit",
        "legal_basis": "Permenkes 9/2017 tentang Apotek",
        "validity_months": 60,
        "fee_kind": FeeKind.PER_M2,
        "fee_rate": Decimal("2500"),
        "fee_amount": Decimal("100000"),
        "inspection_required": True,
    }
    values.update(overrides)
    return PermitTypeInput(**values)


def enable_permits(world: RegionWorld, **type_overrides: Any) -> PermitsWorld:
    """Switch the module on with the starter activities, a head of region, and a pharmacy
    permit verified and signed by the world's unit, required for KBLI 47721."""
    region = world.region
    with region_scope(region), transaction.atomic():
        region_modules_set(region=region, actor=None, enable=["permits"])
        kbli_adopt_starter(region=region, actor=None)
        if Role.REGION_HEAD not in world.users:
            head: User = UserFactory.create(email=f"region_head@{region.slug}.test")
            membership_grant(region=region, actor=None, user=head, role=Role.REGION_HEAD)
            world.users[Role.REGION_HEAD] = head
        data = type_input(verifying_unit=world.unit, signing_unit=world.unit, **type_overrides)
        permit_type = permit_type_save(region=region, actor=None, data=data)
        requirement_save(
            region=region,
            actor=None,
            permit_type=permit_type,
            code="denah",
            name_id="Denah lokasi",
            name_en="Site plan",
            format="pdf",
        )
        requirement_save(
            region=region,
            actor=None,
            permit_type=permit_type,
            code="ktp",
            name_id="KTP pemilik",
            name_en="Owner's ID card",
            format="image",
        )
        requirement_save(
            region=region,
            actor=None,
            permit_type=permit_type,
            code="foto",
            name_id="Foto tempat",
            name_en="Photo of the premises",
            format="image",
            mandatory=False,
        )
        for stage, days in SLAS.items():
            stage_sla_set(
                region=region, actor=None, permit_type=permit_type, stage=stage, working_days=days
            )
        pharmacy = Kbli.objects.get(region=region, code=PHARMACY)
        kbli_save(region=region, actor=None, permit_type=permit_type,
                  values={f: getattr(pharmacy, f) for f in (
                      "code", "title_id", "title_en", "risk_micro", "risk_small",
                      "risk_medium", "risk_large")})  # fmt: skip
        kelurahan = kelurahan_choices(region)[0][0]
    for user in world.users.values():
        forget_roles(user)
    return PermitsWorld(world=world, permit_type=permit_type, kelurahan=kelurahan)


def application_input(pw: PermitsWorld, **overrides: Any) -> ApplicationInput:
    values: dict[str, Any] = {
        "business_name": "Apotek Sehat Sentosa",
        "npwp": NPWP,
        "owner_name": "Euis Komariah",
        "owner_nik": NIK,
        "business_address": "Jl. Braga No. 10",
        "kelurahan_code": pw.kelurahan,
        "kbli": [PHARMACY],
        "capital": Decimal("300000000"),
        "area_m2": Decimal("40"),
        "documents": {"denah": pdf(), "ktp": png()},
    }
    values.update(overrides)
    return ApplicationInput(**values)


def apply(pw: PermitsWorld, actor: User | None = None, **overrides: Any) -> Application:
    """Apply for the pharmacy permit as the world's citizen (or `actor`)."""
    with region_scope(pw.region):
        return application_apply(
            region=pw.region,
            actor=actor or pw.user(Role.CITIZEN),
            data=application_input(pw, **overrides),
        )


def register(pw: PermitsWorld, **overrides: Any) -> Application:
    """A small warung that only reports: registered at once."""
    overrides.setdefault("kbli", [WARUNG])
    overrides.setdefault("business_name", "Warung Nasi Bu Euis")
    overrides.setdefault("capital", Decimal("50000000"))
    overrides.setdefault("documents", {})
    return apply(pw, **overrides)


def reload(application: Application) -> Application:
    with region_scope(application.region):
        return Application.objects.get(region=application.region, pk=application.pk)


def permit_of(application: Application) -> Permit:
    with region_scope(application.region):
        return Permit.objects.get(region=application.region, application=application)


def check(pw: PermitsWorld, app: Application, *, passed: bool = True) -> Application:
    with region_scope(pw.region):
        answers = {d.pk: (passed, "" if passed else "buram") for d in app.documents.filter(
            region=pw.region, is_current=True)}  # fmt: skip
        return application_check(
            region=pw.region, actor=pw.user(Role.OFFICER), application=app, answers=answers
        )


def inspect(pw: PermitsWorld, app: Application) -> Application:
    from django.utils import timezone

    with region_scope(pw.region):
        officer = pw.user(Role.OFFICER)
        inspection_schedule(region=pw.region, actor=officer, application=app,
                            scheduled_at=timezone.now(), inspector=officer)  # fmt: skip
        return inspection_record(
            region=pw.region, actor=officer, application=app, findings="Sesuai denah",
            passed=True, photos=[png()],
        )  # fmt: skip


def to_stage(pw: PermitsWorld, app: Application, stage: str) -> Application:
    """Drive an application from the document check to `stage` through the services."""
    path = ["document_check", "inspection", "recommendation", "approval", "payment", "signing"]
    steps = {
        "document_check": lambda a: check(pw, a),
        "inspection": lambda a: inspect(pw, a),
        "recommendation": lambda a: _recommend(pw, a),
        "approval": lambda a: _approve(pw, a),
        "payment": lambda a: _pay(pw, a),
        "signing": lambda a: _sign(pw, a),
    }
    while app.state != stage:
        if app.state not in path:
            raise AssertionError(f"cannot reach {stage} from {app.state}")
        app = steps[app.state](app)
    return app


def _recommend(pw: PermitsWorld, app: Application) -> Application:
    with region_scope(pw.region):
        return application_recommend(
            region=pw.region,
            actor=pw.user(Role.OFFICER),
            application=app,
            favourable=True,
            text="Memenuhi syarat",
        )


def _approve(pw: PermitsWorld, app: Application) -> Application:
    with region_scope(pw.region):
        return application_approve(region=pw.region, actor=pw.user(Role.UNIT_HEAD), application=app)


def _pay(pw: PermitsWorld, app: Application) -> Application:
    with region_scope(pw.region):
        return payment_record(
            region=pw.region, actor=pw.user(Role.CITIZEN), application=app, reference="BJB-000123"
        )


def _sign(pw: PermitsWorld, app: Application) -> Application:
    with region_scope(pw.region):
        permit = application_sign(
            region=pw.region, actor=pw.user(Role.REGION_HEAD), application=app
        )
    return reload(permit.application)


def issue(pw: PermitsWorld, **overrides: Any) -> Permit:
    app = to_stage(pw, apply(pw, **overrides), "issued")
    return permit_of(app)
