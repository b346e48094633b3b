"""The permits demo: for each demo region with the module on, the starter activities, four
realistic permit types (pharmacy, billboard, building approval, clinic) verified and
signed by the DPMPTSP, and applications in every lane and stage — instant registrations
with their receipts, permits issued (one approved by default, one expired, one
suspended, one revoked), others waiting at each stage, returned, rejected, withdrawn —
written through the module's services with the clock set to each step's moment (core's
demo_clock). Deterministic and idempotent: a region that has applications gets no more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from lumbung.core.demo import CITIZENS, demo_user
from lumbung.core.demo_clock import demo_clock
from lumbung.core.kelurahan import kelurahan_choices
from lumbung.core.models import Region, Unit, User

from .demo_data import CLINIC, DAY, NPWP, STORIES, TYPES, Story
from .models import Application, Kbli, Permit, PermitType
from .services.applications import ApplicationInput, application_apply, application_withdraw
from .services.catalogue import (
    PermitTypeInput,
    kbli_save,
    permit_type_save,
    requirement_save,
    stage_sla_set,
)
from .services.defaults import application_approve_by_default
from .services.issuing import permit_revoke, permit_suspend
from .services.kbli import kbli_adopt_starter
from .services.payment import payment_record
from .services.stages import (
    application_approve,
    application_check,
    application_recommend,
    application_reject,
    application_request_correction,
    application_sign,
    inspection_record,
    inspection_schedule,
)


@dataclass
class _Demo:
    region: Region
    officer: User
    head: User
    signer: User
    citizens: list[User]
    villages: list[str]
    set_clock: Callable[[dt.datetime], None]
    types: dict[str, PermitType] = field(default_factory=dict)


def demo_load_region(region: Region) -> None:
    """The module's demo hook (ModuleConfig.demo). Runs inside the region's scope."""
    if region.is_province or Application.objects.filter(region=region).exists():
        return
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        demo_clock() as set_clock,
    ):
        now = timezone.now()
        demo = _Demo(
            region=region,
            officer=demo_user(f"officer@{region.slug}.demo"),
            head=demo_user(f"head@{region.slug}.demo"),
            signer=demo_user(f"kepala@{region.slug}.demo"),
            citizens=[demo_user(email, name) for email, name in CITIZENS],
            villages=[code for code, _n, _k in kelurahan_choices(region)[:40]],
            set_clock=set_clock,
        )
        set_clock(now - dt.timedelta(days=450))
        _catalogue(demo)
        for order, story in enumerate(STORIES):
            _tell(demo, story, order, now)
        set_clock(now)


def _catalogue(demo: _Demo) -> None:
    region, admin = demo.region, demo_user(f"admin@{demo.region.slug}.demo")
    kbli_adopt_starter(region=region, actor=admin)
    unit = Unit.objects.filter(region=region, code="DPMPTSP").first()
    for row in TYPES:
        code, name_id, name_en, basis, months, kind, amount, rate, by_default, inspect = row[:10]
        permit_type = permit_type_save(
            region=region,
            actor=admin,
            data=PermitTypeInput(
                code=code,
                name_id=name_id,
                name_en=name_en,
                legal_basis=basis,
                validity_months=months,
                fee_kind=kind,
                fee_amount=Decimal(amount),
                fee_rate=Decimal(rate),
                default_approval=by_default,
                inspection_required=inspect,
                verifying_unit=unit,
                signing_unit=unit,
            ),
        )
        for position, (req, rid, ren, fmt, mandatory) in enumerate(row[11]):
            requirement_save(
                region=region,
                actor=admin,
                permit_type=permit_type,
                code=req,
                name_id=rid,
                name_en=ren,
                format=fmt,
                mandatory=mandatory,
                position=position,
            )
        for stage, days in (
            ("document_check", 3),
            ("inspection", 5),
            ("recommendation", 3),
            ("approval", 2),
            ("signing", 2),
        ):
            stage_sla_set(
                region=region, actor=admin, permit_type=permit_type, stage=stage, working_days=days
            )
        for kbli_code in row[10]:
            _link(region, admin, kbli_code, permit_type)
        demo.types[code] = permit_type


def _link(region: Region, admin: User, code: str, permit_type: PermitType) -> None:
    found = Kbli.objects.filter(region=region, code=code).first()
    if found is None:  # the clinic is not in the starter set
        _c, title_id, title_en, risk = CLINIC
        values = {
            "code": code,
            "title_id": title_id,
            "title_en": title_en,
            **{f"risk_{s}": risk for s in ("micro", "small", "medium", "large")},
        }
    else:  # a billboard is not a plain advertising agency: the region rates it higher
        values = {
            f: getattr(found, f)
            for f in (
                "code",
                "title_id",
                "title_en",
                "risk_micro",
                "risk_small",
                "risk_medium",
                "risk_large",
            )
        }
    if permit_type.code == "reklame":
        values.update({f"risk_{s}": "menengah_tinggi" for s in ("micro", "small")})
    kbli_save(region=region, actor=admin, values=values, permit_type=permit_type)


@cache
def _sample_pdf() -> bytes:
    """One real page, rendered once, stands for every scanned document of the demo."""
    from weasyprint import HTML

    html = "<h1>Dokumen contoh</h1><p>Dokumen ini dibuat untuk demo Lumbung.</p>"
    return bytes(HTML(string=html).write_pdf())


@cache
def _sample_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 110, 60)).save(out, "PNG")
    return out.getvalue()


def _file(fmt: str, name: str) -> SimpleUploadedFile:
    if fmt == "pdf":
        return SimpleUploadedFile(f"{name}.pdf", _sample_pdf(), "application/pdf")
    return SimpleUploadedFile(f"{name}.png", _sample_png(), "image/png")


def _input(demo: _Demo, story: Story, order: int) -> ApplicationInput:
    kbli = Kbli.objects.get(region=demo.region, code=story.kbli)
    requirements = (
        kbli.permit_type.requirements.filter(region=demo.region) if kbli.permit_type else []
    )
    digits = demo.region.code.replace(".", "")[:4]
    return ApplicationInput(
        business_name=story.business,
        npwp=NPWP,
        owner_name=CITIZENS[story.citizen][1],
        owner_nik=f"{digits}01010190{order + 1:04d}",
        business_address=f"Jl. Contoh No. {order + 1}",
        kelurahan_code=demo.villages[order % len(demo.villages)],
        kbli=[story.kbli],
        capital=Decimal(story.capital),
        area_m2=Decimal(story.area) if story.area else None,
        documents={r.code: _file(r.format, r.code) for r in requirements},
    )


def _tell(demo: _Demo, story: Story, order: int, now: dt.datetime) -> None:
    """One application, step by step, each step a working day after the one before."""
    when = now - dt.timedelta(days=story.days_ago)
    demo.set_clock(when)
    region, citizen = demo.region, demo.citizens[story.citizen]
    app = application_apply(region=region, actor=citizen, data=_input(demo, story, order))
    if app.state == "registered":
        return
    if story.then == "correction":
        demo.set_clock(when + DAY)
        application_request_correction(
            region=region,
            actor=demo.officer,
            application=app,
            note="Denah lokasi tidak terbaca; unggah ulang.",
        )
        return
    if story.then == "withdraw":
        demo.set_clock(when + DAY)
        application_withdraw(region=region, actor=citizen, application=app, note="Batal buka.")
        return
    if story.stage == "by_default":
        demo.set_clock(when + 10 * DAY)  # the document check's deadline passed
        app = application_approve_by_default(region=region, application=app)
        demo.set_clock(when + 12 * DAY)
        payment_record(region=region, actor=citizen, application=app, reference="BJB-DEMO-0099")
        return
    target = "issued" if story.stage == "expired" else story.stage
    step = 0
    while app.state != target:
        step += 1
        demo.set_clock(when + step * DAY)
        app = _next(demo, app, citizen)
    if story.then == "reject":
        demo.set_clock(when + (step + 1) * DAY)
        application_reject(
            region=region,
            actor=demo.officer,
            application=app,
            reason="Lokasi berada di kawasan larangan reklame.",
        )
    if story.then in ("suspend", "revoke"):
        permit = Permit.objects.get(region=region, application=app)
        demo.set_clock(when + (step + 5) * DAY)
        change = permit_suspend if story.then == "suspend" else permit_revoke
        change(
            region=region,
            actor=demo.head,
            permit=permit,
            reason="Hasil pengawasan: apoteker penanggung jawab tidak ada di tempat.",
        )


def _next(demo: _Demo, app: Application, citizen: User) -> Application:
    """The next step of the application by whoever takes it."""
    region, officer = demo.region, demo.officer
    if app.state == "document_check":
        docs = app.documents.filter(region=region, is_current=True)
        return application_check(
            region=region, actor=officer, application=app, answers={d.pk: (True, "") for d in docs}
        )
    if app.state == "inspection":
        inspection_schedule(
            region=region,
            actor=officer,
            application=app,
            scheduled_at=timezone.now(),
            inspector=officer,
        )
        return inspection_record(
            region=region,
            actor=officer,
            application=app,
            findings="Tempat usaha sesuai denah dan ketentuan.",
            passed=True,
            photos=[_file("image", "foto")],
        )
    if app.state == "recommendation":
        return application_recommend(
            region=region,
            actor=officer,
            application=app,
            favourable=True,
            text="Memenuhi persyaratan teknis.",
        )
    if app.state == "approval":
        return application_approve(region=region, actor=demo.head, application=app)
    if app.state == "payment":
        return payment_record(
            region=region, actor=citizen, application=app, reference=f"BJB-DEMO-{app.pk:04d}"
        )
    if app.state == "signing":
        permit = application_sign(region=region, actor=demo.signer, application=app)
        return Application.objects.get(region=region, pk=permit.application_id)
    raise AssertionError(f"no demo step from {app.state}")
