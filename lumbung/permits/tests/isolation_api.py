"""Isolation declarations of the permits API (imported by test_isolation.py). Each route is
checked on objects planted, through the services, in the state its step takes: region B's
id under region A's slug is a 404 and B's row stays as it was; A's own answers.

The walk's worlds have an officer, a unit head (both of the DPMPTSP unit, which verifies
and signs the walk's permit type), an admin and the citizen (make_world names it
citizen@<slug>.test), who applies. The walk also plants catch-all routing rules of its own,
so the planters add first-priority rules for the two activities they use."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.kelurahan import kelurahan_choices
from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.testing.isolation import Kind, Planted, isolation
from lumbung.core.tests.factories import RegionWorld

from ..documents import verification_url
from ..models import Application, Kbli, Permit, PermitType, Requirement, RoutingRule
from ..services.catalogue import PermitTypeInput, permit_type_save, requirement_save
from ..services.issuing import permit_suspend
from ..services.kbli import kbli_adopt_starter
from ..services.stages import inspection_schedule
from .factories import (
    NIK,
    NPWP,
    PHARMACY,
    WARUNG,
    PermitsWorld,
    apply,
    pdf,
    png,
    register,
    to_stage,
)

API = "/api/v1/regions/{region_slug}/permits"
ADMIN, CITIZEN, HEAD = Role.REGION_ADMIN, Role.CITIZEN, Role.UNIT_HEAD
_serial = itertools.count(90000)


def _member(region: Region, role: Role) -> Membership:
    return Membership.objects.filter(region=region, role=role).earliest("pk")


def _world(region: Region) -> PermitsWorld:
    """The region's walk world with the module on, the starter activities and one pharmacy
    permit type (made once per region), routed by first-priority rules."""
    region_modules_set(region=region, actor=None, enable=["permits"])
    officer = _member(region, Role.OFFICER)
    assert officer.unit is not None
    world = RegionWorld(region=region, unit=officer.unit, other_unit=officer.unit)
    world.users[Role.OFFICER] = officer.user
    world.users[HEAD] = _member(region, HEAD).user
    world.users[Role.REGION_HEAD] = world.users[HEAD]  # the signing unit's head signs
    with dangerously_unscoped():
        world.users[CITIZEN] = User.objects.get(email=f"citizen@{region.slug}.test")
    permit_type = PermitType.objects.filter(region=region, code="iso-apotek").first()
    if permit_type is None:
        if not Kbli.objects.filter(region=region, code=WARUNG).exists():
            kbli_adopt_starter(region=region, actor=None)
        permit_type = permit_type_save(
            region=region,
            actor=None,
            data=PermitTypeInput(
                code="iso-apotek", name_id="Izin Apotek", name_en="Pharmacy permit",
                validity_months=60, fee_kind="fixed", fee_amount=Decimal("100000"),
                inspection_required=True, verifying_unit=officer.unit, signing_unit=officer.unit,
            ),
        )  # fmt: skip
        for code, fmt in (("denah", "pdf"), ("ktp", "image")):
            requirement_save(region=region, actor=None, permit_type=permit_type, code=code,
                             name_id=code, name_en=code, format=fmt)  # fmt: skip
        RoutingRule.objects.create(region=region, priority=0, kbli_prefix=WARUNG,
                                   below_threshold=True, lane="report_only")  # fmt: skip
        RoutingRule.objects.create(region=region, priority=0, kbli_prefix=PHARMACY,
                                   lane="permit", permit_type=permit_type)  # fmt: skip
    kelurahan = kelurahan_choices(region)[0][0]
    return PermitsWorld(world=world, permit_type=permit_type, kelurahan=kelurahan)


def at(state: str) -> Any:
    """A planter of an application at `state`, its business named by the tag."""

    def planter(region: Region, tag: str) -> Planted:
        pw = _world(region)
        application = to_stage(pw, apply(pw, business_name=tag), state)
        return Planted(application.pk, (tag,))

    planter.__name__ = f"plant_application_{state}"
    return planter


def plant_returned(region: Region, tag: str) -> Planted:
    from ..services.stages import application_request_correction

    pw = _world(region)
    app = apply(pw, business_name=tag)
    application_request_correction(
        region=region, actor=pw.user(Role.OFFICER), application=app, note="Denah buram"
    )
    return Planted(app.pk, (tag,))


def plant_scheduled(region: Region, tag: str) -> Planted:
    pw = _world(region)
    app = to_stage(pw, apply(pw, business_name=tag), "inspection")
    officer = pw.user(Role.OFFICER)
    inspection_schedule(region=region, actor=officer, application=app,
                        scheduled_at=timezone.now(), inspector=officer)  # fmt: skip
    return Planted(app.pk, (tag,))


def plant_registration(region: Region, tag: str) -> Planted:
    """An instant registration (the receipt), its business named by the tag."""
    application = register(_world(region), business_name=tag)
    permit = Permit.objects.get(region=region, application=application)
    return Planted(permit.pk, (tag,))


def plant_registration_app(region: Region, tag: str) -> Planted:
    application = register(_world(region), business_name=tag)
    return Planted(application.pk, (tag,))


def plant_pdf(region: Region, tag: str) -> Planted:
    return Planted(plant_registration(region, tag).pk, ())  # the tag is inside the PDF's stream


def plant_suspended(region: Region, tag: str) -> Planted:
    planted = plant_registration(region, tag)
    permit = Permit.objects.get(region=region, pk=planted.pk)
    actor = _member(region, HEAD).user
    permit_suspend(region=region, actor=actor, permit=permit, reason="Diperiksa")
    return planted


def plant_renewable(region: Region, tag: str) -> Planted:
    """A pharmacy permit in its renewal window, its kelurahan carried for the body."""
    pw = _world(region)
    application = to_stage(pw, apply(pw, business_name=tag), "issued")
    permit = Permit.objects.get(region=region, application=application)
    Permit.objects.filter(region=region, pk=permit.pk).update(
        valid_until=timezone.now().date() + timezone.timedelta(days=10)
    )
    return Planted(permit.pk, (tag,))


def plant_setup(region: Region, tag: str) -> Planted:
    """What applying needs: the catalogue; the planted id is the region's kelurahan."""
    return Planted(_world(region).kelurahan, ())


def plant_code(region: Region, tag: str) -> Planted:
    planted = plant_registration(region, tag)
    permit = Permit.objects.get(region=region, pk=planted.pk)
    return Planted(verification_url(region, permit).rstrip("/").rsplit("/", 1)[-1], ())


def plant_type(region: Region, tag: str) -> Planted:
    permit_type = permit_type_save(
        region=region,
        actor=None,
        data=PermitTypeInput(code=f"iso-{next(_serial)}", name_id=tag, name_en=tag),
    )
    return Planted(permit_type.pk, (tag,))


def plant_type_with_document(region: Region, tag: str) -> Planted:
    """A permit type asking for one document, coded "iso-doc" (what the removal names)."""
    planted = plant_type(region, tag)
    permit_type = PermitType.objects.get(region=region, pk=planted.pk)
    requirement_save(region=region, actor=None, permit_type=permit_type, code="iso-doc",
                     name_id=tag, name_en=tag, format="pdf")  # fmt: skip
    return planted


def plant_kbli(region: Region, tag: str) -> Planted:
    row = Kbli.objects.create(
        region=region, code=f"{next(_serial) % 100000:05d}", title_id=tag, title_en=tag,
        risk_micro="rendah", risk_small="rendah", risk_medium="rendah", risk_large="rendah",
    )  # fmt: skip
    return Planted(row.pk, (tag,))


def plant_rule(region: Region, tag: str) -> Planted:
    rule = RoutingRule.objects.create(region=region, priority=5, lane="permit", note=tag[:200])
    return Planted(rule.pk, (tag,))


def _app(planted: Planted | None) -> Application:
    assert planted is not None
    with dangerously_unscoped():
        return Application.objects.get(pk=planted.pk)


def _version(planted: Planted | None) -> dict[str, Any]:
    return {"expected_version": _app(planted).version}


def _answers(planted: Planted | None) -> dict[str, Any]:
    app = _app(planted)
    with dangerously_unscoped():
        ids = app.documents.filter(is_current=True).values_list("pk", flat=True)
    return {"expected_version": app.version, "answers": {str(i): {"passed": True} for i in ids}}


def _schedule(planted: Planted | None) -> dict[str, Any]:
    app = _app(planted)
    with dangerously_unscoped():
        officer = _member(app.region, Role.OFFICER).user
    return {
        "expected_version": app.version,
        "scheduled_at": timezone.now().isoformat(),
        "inspector_id": officer.pk,
    }


def _renewal(planted: Planted | None) -> dict[str, Any]:
    assert planted is not None
    with dangerously_unscoped():
        region = Permit.objects.select_related("region").get(pk=planted.pk).region
    return {
        **_applying(kelurahan_choices(region)[0][0], PHARMACY, "300000000"),
        "documents.denah": pdf(), "documents.ktp": png(),
    }  # fmt: skip


def _applying(kelurahan: Any, kbli: str, capital: str) -> dict[str, Any]:
    return {
        "business_name": "Usaha Isolasi", "npwp": NPWP, "owner_name": "Isolasi",
        "owner_nik": NIK, "business_address": "Jl. Isolasi 1", "kelurahan_code": kelurahan,
        "kbli": kbli, "capital": capital,
    }  # fmt: skip


def _step(path: str, plant: Any, body: Any = _version, **options: Any) -> None:
    isolation.route(
        "POST",
        f"{API}/applications/{{application_id}}/{path}",
        Kind.WRITE,
        object_param="application_id",
        model=Application,
        plant=plant,
        body=body,
        **options,
    )


def _issued(method: str, path: str, kind: Kind, plant: Any, **options: Any) -> None:
    if kind is Kind.WRITE:
        options.setdefault("model", Permit)
    isolation.route(
        method, f"{API}/issued/{{permit_id}}{path}", kind, object_param="permit_id", plant=plant,
        **options,
    )  # fmt: skip


# Public
isolation.route("GET", f"{API}/types", Kind.LIST, plant=plant_type)
isolation.route("GET", f"{API}/kbli", Kind.LIST, plant=plant_kbli)
isolation.route(
    "GET", f"{API}/plan", Kind.NONE, plant=plant_setup,
    query=lambda _p: {"kbli": [WARUNG], "capital": "1000000"},
    reason="the caller's region's own activities and rules decide the plan",
)  # fmt: skip
isolation.route(
    "GET", f"{API}/verify", Kind.NONE, plant=plant_code,
    query=lambda p: {"code": p.pk if p else ""},
    reason="verifies a code of the caller's region; another region's code is unknown",
)  # fmt: skip
isolation.route(
    "GET", f"{API}/stats", Kind.NONE, plant=plant_registration,
    reason="counts of the region's own applications, nothing about any of them",
)  # fmt: skip

# The applicant
isolation.route(
    "POST", f"{API}/applications", Kind.NONE, plant=plant_setup, role=CITIZEN,
    body=lambda p: {**_applying(p.pk if p else "", WARUNG, "50000000"), "kbli": [WARUNG]},
    reason="applies in the caller's region, for its own activities",
)  # fmt: skip
isolation.route("GET", f"{API}/applications", Kind.LIST, plant=at("document_check"))
isolation.route(
    "GET", f"{API}/my/applications", Kind.LIST, plant=at("document_check"), role=CITIZEN
)
isolation.route(
    "GET", f"{API}/applications/{{application_id}}", Kind.DETAIL, plant=at("document_check"),
    object_param="application_id",
)  # fmt: skip
_step("resubmit", plant_returned, role=CITIZEN)
_step("withdraw", at("document_check"), role=CITIZEN)
_step("payment", at("payment"), lambda p: {**_version(p), "reference": "BJB-ISO"}, role=CITIZEN)
isolation.route("GET", f"{API}/my/issued", Kind.LIST, plant=plant_registration, role=CITIZEN)
isolation.route("GET", f"{API}/issued", Kind.LIST, plant=plant_registration)
isolation.route("GET", f"{API}/registrations", Kind.LIST, plant=plant_registration_app)
_issued("GET", "", Kind.DETAIL, plant_registration)
_issued("GET", "/pdf", Kind.DETAIL, plant_pdf)
_issued("POST", "/renew", Kind.WRITE, plant_renewable, role=CITIZEN, body=_renewal, multipart=True)

# The staff's steps
_step("check", at("document_check"), _answers)
_step("request-correction", at("document_check"), lambda p: {**_version(p), "reason": "Buram"})
_step("inspection", at("inspection"), _schedule)
_step(
    "inspection/record", plant_scheduled,
    lambda p: {**_version(p), "findings": "Sesuai", "passed": "true", "photos": png()},
    multipart=True,
)  # fmt: skip
_step(
    "recommend", at("recommendation"),
    lambda p: {**_version(p), "favourable": True, "text": "Layak"},
)  # fmt: skip
_step("approve", at("approval"), role=HEAD)
_step("reject", at("document_check"), lambda p: {**_version(p), "reason": "Tidak layak"})
_step("sign", at("signing"), role=HEAD)
_issued("POST", "/suspend", Kind.WRITE, plant_registration, role=HEAD,
        body=lambda _p: {"reason": "Diperiksa"})  # fmt: skip
_issued("POST", "/revoke", Kind.WRITE, plant_registration, role=HEAD,
        body=lambda _p: {"reason": "Palsu"})  # fmt: skip
_issued("POST", "/reinstate", Kind.WRITE, plant_suspended, role=HEAD,
        body=lambda _p: {"reason": "Selesai"})  # fmt: skip

# The region admin
isolation.route(
    "POST", f"{API}/types", Kind.NONE, role=ADMIN,
    body=lambda _p: {"code": f"iso-{next(_serial)}", "name_id": "Isolasi", "name_en": "Isolation"},
    reason="adds a permit type to the caller's region",
)  # fmt: skip
_type_route = f"{API}/types/{{type_id}}"
isolation.route(
    "PATCH", _type_route, Kind.WRITE, plant=plant_type, object_param="type_id",
    model=PermitType, role=ADMIN, body=lambda _p: {"name_en": "Renamed by another region"},
)  # fmt: skip
isolation.route(
    "POST", f"{_type_route}/requirements", Kind.WRITE, plant=plant_type, object_param="type_id",
    model=PermitType, role=ADMIN,
    body=lambda _p: {"code": "iso", "name_id": "Isolasi", "name_en": "Isolation", "format": "pdf"},
)  # fmt: skip
isolation.route(
    "POST", f"{_type_route}/requirements/remove", Kind.WRITE, plant=plant_type_with_document,
    object_param="type_id", model=Requirement, lookup="permit_type", role=ADMIN,
    body=lambda _p: {"code": "iso-doc"},
)  # fmt: skip
isolation.route(
    "PUT", f"{_type_route}/deadlines", Kind.WRITE, plant=plant_type, object_param="type_id",
    model=PermitType, role=ADMIN, body=lambda _p: {"working_days": {"approval": 3}},
)  # fmt: skip
isolation.route(
    "POST", f"{API}/kbli/import", Kind.NONE, role=ADMIN, multipart=True,
    body=lambda _p: {"file": SimpleUploadedFile("kbli.csv", (
        b"code,title_id,title_en,risk_micro,risk_small,risk_medium,risk_large\n"
        b"10792,Roti,Bakery,rendah,rendah,menengah_rendah,menengah_rendah\n"), "text/csv")},
    reason="imports activities into the caller's region",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/kbli/starter", Kind.NONE, role=ADMIN,
    reason="adds the starter activities to the caller's region",
)  # fmt: skip
isolation.route("GET", f"{API}/routing-rules", Kind.LIST, plant=plant_rule)
isolation.route(
    "POST", f"{API}/routing-rules", Kind.NONE, role=ADMIN,
    body=lambda _p: {"priority": 7, "lane": "permit", "note": "Isolasi"},
    reason="adds a routing rule to the caller's region",
)  # fmt: skip
isolation.route(
    "PUT", f"{API}/routing-rules/{{rule_id}}", Kind.WRITE, plant=plant_rule,
    object_param="rule_id", model=RoutingRule, role=ADMIN,
    body=lambda _p: {"priority": 8, "lane": "permit", "note": "Renamed"},
)  # fmt: skip
isolation.route(
    "PATCH", f"{API}/routing-rules/{{rule_id}}", Kind.WRITE, plant=plant_rule,
    object_param="rule_id", model=RoutingRule, role=ADMIN, body=lambda _p: {"is_active": False},
)  # fmt: skip
isolation.route(
    "DELETE", f"{API}/routing-rules/{{rule_id}}", Kind.WRITE, plant=plant_rule,
    object_param="rule_id", model=RoutingRule, role=ADMIN,
)  # fmt: skip
isolation.route(
    "POST", f"{API}/routing-rules/adopt-default", Kind.NONE, role=ADMIN,
    reason="copies the defaults into the caller's region's rules",
)  # fmt: skip
