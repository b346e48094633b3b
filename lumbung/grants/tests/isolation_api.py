"""Isolation declarations of the hibah API (imported by test_isolation.py). Each review
step is checked on a proposal planted, through the services, at the state the step takes:
region B's id under region A's slug is a 404 and B's row stays as it was; A's own answers.

The walk's worlds staff no consideration team, TAPD or head of region, so a planter gives
the region's officer the role its step needs; and the organisation's accounts are the
world's citizen (make_world names it citizen@<slug>.test)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile

from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import membership_grant
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.testing.isolation import Kind, Planted, isolation
from lumbung.core.tests.factories import RegionWorld

from ..models import ChecklistItem, Document, HibahProgramme, Organisation, Proposal, Tranche
from ..services.checklists import STARTER_ITEMS, checklist_adopt_starter
from ..services.disbursement import tranche_record
from ..services.organisations import region_today
from .factories import (
    FINAL,
    GrantsWorld,
    make_organisation,
    make_programme,
    organisation_data,
    pdf,
    proposal_at,
)
from .isolation_backoffice import plant_overdue_lpj
from .test_isolation import (
    plant_document,
    plant_item,
    plant_organisation,
    plant_programme,
    plant_proposal,
    plant_tranche,
)

API = "/api/v1/regions/{region_slug}/grants"
ADMIN, CITIZEN = Role.REGION_ADMIN, Role.CITIZEN
TEAMS = (Role.CONSIDERATION_TEAM, Role.BUDGET_TEAM, Role.REGION_HEAD)


def _citizen(region: Region) -> User:
    with dangerously_unscoped():
        return User.objects.get(email=f"citizen@{region.slug}.test")


def _world(region: Region) -> RegionWorld:
    """The region's walk world: its officer (who also takes the teams' steps), its citizen."""
    region_modules_set(region=region, actor=None, enable=["grants"])
    # The walk plants checklist items of its own first (required, unanswered by the
    # factories): the steps here answer the starter set, so only it stays active.
    checklist_adopt_starter(region=region, actor=None)
    starter = {item[1] for item in STARTER_ITEMS}
    ChecklistItem.objects.filter(region=region).exclude(key__in=starter).update(is_active=False)
    member = Membership.objects.filter(region=region, role=Role.OFFICER).earliest("pk")
    assert member.unit is not None
    world = RegionWorld(region=region, unit=member.unit, other_unit=member.unit)
    for role in TEAMS:
        membership_grant(region=region, actor=None, user=member.user, role=role)
        world.users[role] = member.user
    world.users[Role.OFFICER] = member.user
    world.users[CITIZEN] = _citizen(region)
    return world


def _grants(region: Region, tag: str, *, verified: bool = True) -> GrantsWorld:
    world = _world(region)
    organisation, applicant = make_organisation(
        world, applicant=world.users[CITIZEN], verified=verified, name=f"Yayasan {tag}"
    )
    return GrantsWorld(world, organisation, applicant, make_programme(world))


def at(state: str) -> Any:
    """A planter of a proposal at `state`, known by its number (region-coded, so unique)."""

    def planter(region: Region, tag: str) -> Planted:
        proposal = proposal_at(_grants(region, tag), state)
        return Planted(proposal.pk, (proposal.number,))

    planter.__name__ = f"plant_proposal_{state}"
    return planter


def plant_own_organisation(region: Region, tag: str) -> Planted:
    """An organisation the region's citizen acts for."""
    return Planted(_grants(region, tag, verified=False).organisation.pk, (tag,))


def plant_applicant(region: Region, tag: str) -> Planted:
    """What a submission needs: the citizen's verified organisation and an open programme."""
    gw = _grants(region, tag)
    return Planted(f"{gw.organisation.pk}:{gw.programme.pk}", ())


def plant_paid(region: Region, tag: str) -> Planted:
    """A disbursed proposal whose one tranche's reference is the tag."""
    gw = _grants(region, tag)
    proposal = proposal_at(gw, "agreement")
    tranche_record(
        region=region,
        actor=gw.user(Role.OFFICER),
        proposal=proposal,
        amount=FINAL,
        paid_on=region_today(region),
        reference=tag,
    )
    return Planted(proposal.pk, (tag,))


def _version(planted: Planted | None) -> int:
    assert planted is not None
    with dangerously_unscoped():
        return Proposal.objects.get(pk=planted.pk).version


def _today(planted: Planted | None) -> str:
    assert planted is not None
    with dangerously_unscoped():
        region = Proposal.objects.select_related("region").get(pk=planted.pk).region
    return region_today(region).isoformat()


def _manual(state: str, on: str = "") -> dict[str, Any]:
    return {
        key: {"passed": True, "on_date": on or None}
        for item_state, key, _id, _en, computed, _dated, _req in STARTER_ITEMS
        if item_state == state and not computed
    }


def _unit_body(planted: Planted | None) -> dict[str, Any]:
    assert planted is not None
    with dangerously_unscoped():
        region_id = Proposal.objects.get(pk=planted.pk).region_id
        member = Membership.objects.filter(region_id=region_id, role=Role.OFFICER).earliest("pk")
    return {"expected_version": _version(planted), "unit_id": member.unit_id}


def _step(path: str, state: str, body: Any = None, **options: Any) -> None:
    options.setdefault("model", Proposal)
    options.setdefault("plant", at(state))
    make = body or (lambda p: {"expected_version": _version(p)})
    isolation.route(
        "POST",
        f"{API}/proposals/{{proposal_id}}/{path}",
        Kind.WRITE,
        object_param="proposal_id",
        body=make,
        **options,
    )


def _organisation_route(method: str, path: str, **options: Any) -> None:
    kind = Kind.DETAIL if method == "GET" else Kind.WRITE
    if kind is Kind.WRITE:
        options.setdefault("model", Organisation)
    options.setdefault("plant", plant_organisation)
    route = f"{API}/organisations/{{organisation_id}}{path}"
    isolation.route(method, route, kind, object_param="organisation_id", **options)


# Organisations
isolation.route(
    "POST",
    f"{API}/organisations",
    Kind.NONE,
    role=CITIZEN,
    body=lambda _p: {
        **{
            k: v.isoformat() if hasattr(v, "isoformat") else v
            for k, v in vars(organisation_data()).items()
        },
        "legal_number": f"AHU-{uuid.uuid4().hex[:12]}",
    },
    reason="registers an organisation in the caller's region",
)
isolation.route("GET", f"{API}/organisations", Kind.LIST, plant=plant_organisation)
isolation.route(
    "GET", f"{API}/my/organisations", Kind.LIST, plant=plant_own_organisation, role=CITIZEN
)
_organisation_route("GET", "")
_organisation_route("PATCH", "", body=lambda _p: {"address": "Jl. Asia Afrika 1"})
_organisation_route(
    "POST", "/documents", body=lambda _p: {"kind": "deed", "file": pdf()}, multipart=True
)
_organisation_route("POST", "/verify", body=lambda _p: {})
_organisation_route("POST", "/reject", body=lambda _p: {"reason": "Alamat fiktif"})

# Proposals: the organisation's side
isolation.route(
    "POST",
    f"{API}/proposals",
    Kind.NONE,
    plant=plant_applicant,
    role=CITIZEN,
    body=lambda p: {
        "organisation_id": int(str(p.pk).split(":")[0]) if p else 0,
        "programme_id": int(str(p.pk).split(":")[1]) if p else 0,
        "title": "Isolasi",
        "purpose": "Isolasi",
        "location": "Balai RW",
        "lines": [{"description": "Tenda", "quantity": "1", "unit": "unit", "unit_price": "1000"}],
    },
    reason="submits for the caller's own organisation, to a programme of the caller's region",
)
isolation.route("GET", f"{API}/proposals", Kind.LIST, plant=plant_proposal)
isolation.route("GET", f"{API}/my/proposals", Kind.LIST, plant=at("submitted"), role=CITIZEN)
isolation.route(
    "GET",
    f"{API}/proposals/{{proposal_id}}",
    Kind.DETAIL,
    plant=plant_proposal,
    object_param="proposal_id",
)
_step(
    "documents",
    "submitted",
    lambda _p: {"kind": "proposal", "file": pdf()},
    plant=plant_proposal,
    multipart=True,
)
_step("withdraw", "submitted", role=CITIZEN)
_step("resubmit", "returned", role=CITIZEN)
_step(
    "lpj",
    "disbursed",
    lambda p: {"expected_version": _version(p), "document": pdf("lpj.pdf")},
    role=CITIZEN,
    multipart=True,
)

# Proposals: the review steps, tranches and the LPJ's verification
_step(
    "check",
    "submitted",
    lambda p: {"expected_version": _version(p), "answers": _manual("submitted")},
)
_step("assign", "assignment", _unit_body)
_step(
    "recommend",
    "evaluation",
    lambda p: {
        "expected_version": _version(p),
        "answers": _manual("evaluation", _today(p)),
        "amount": "45000000",
    },
)
_step(
    "consider", "consideration", lambda p: {"expected_version": _version(p), "amount": "42000000"}
)
_step("finalise", "tapd", lambda p: {"expected_version": _version(p), "amount": "40000000"})
_step(
    "decide", "nominative", lambda p: {"expected_version": _version(p), "decision_number": "1/SK"}
)
_step(
    "sign-nphd",
    "decided",
    lambda p: {
        "expected_version": _version(p),
        "nphd_number": "1/NPHD",
        "signed_on": _today(p),
        "document": pdf("nphd.pdf"),
    },
    multipart=True,
)
_step("send-back", "submitted", lambda p: {"expected_version": _version(p), "note": "Kurang"})
_step("reject", "submitted", lambda p: {"expected_version": _version(p), "note": "Tidak layak"})
_step(
    "tranches",
    "agreement",
    lambda p: {
        "expected_version": _version(p),
        "amount": "1000000",
        "paid_on": _today(p),
        "reference": "SP2D-ISO",
    },
)
isolation.route(
    "GET",
    f"{API}/proposals/{{proposal_id}}/tranches",
    Kind.DETAIL,
    plant=plant_paid,
    object_param="proposal_id",
)
_step("lpj/verify", "lpj_submitted")
_step("lpj/return", "lpj_submitted", lambda p: {"expected_version": _version(p), "note": "Kurang"})

# Region admin: programmes and checklists
isolation.route("GET", f"{API}/programmes", Kind.LIST, plant=plant_programme)
isolation.route(
    "POST",
    f"{API}/programmes",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {
        "name_id": "Hibah Isolasi",
        "name_en": "Isolation grants",
        "code": f"iso-{uuid.uuid4().hex[:8]}",
        "year": 2026,
        "ceiling": "1000000000",
    },
    reason="adds a programme to the caller's region",
)
isolation.route(
    "PATCH",
    f"{API}/programmes/{{programme_id}}",
    Kind.WRITE,
    plant=plant_programme,
    object_param="programme_id",
    model=HibahProgramme,
    role=ADMIN,
    body=lambda _p: {"name_en": "Renamed by another region"},
)
isolation.route("GET", f"{API}/checklist-items", Kind.LIST, plant=plant_item)
isolation.route(
    "POST",
    f"{API}/checklist-items",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {
        "state": "submitted",
        "key": f"iso-{uuid.uuid4().hex[:8]}",
        "name_id": "Isolasi",
        "name_en": "Isolation",
    },
    reason="adds a checklist item to the caller's region",
)
isolation.route(
    "PATCH",
    f"{API}/checklist-items/{{item_id}}",
    Kind.WRITE,
    plant=plant_item,
    object_param="item_id",
    model=ChecklistItem,
    role=ADMIN,
    body=lambda _p: {"name_en": "Renamed by another region"},
)


# Records: uploaded documents, a payment's proofs, the overdue LPJ list


def plant_document_tagged(region: Region, tag: str) -> Planted:
    """A document whose stored bytes carry the tag (the route serves the file as stored)."""
    document = Document.objects.get(region=region, pk=plant_document(region, tag).pk)
    document.file.save(f"{tag}.pdf", ContentFile(f"%PDF-1.4\n% {tag}\n".encode()), save=True)
    return Planted(document.pk, (tag,))


isolation.route(
    "GET",
    f"{API}/documents/{{document_id}}",
    Kind.DETAIL,
    plant=plant_document_tagged,
    object_param="document_id",
)
isolation.route(
    "POST",
    f"{API}/tranches/{{tranche_id}}/proofs",
    Kind.WRITE,
    plant=plant_tranche,
    object_param="tranche_id",
    model=Tranche,
    body=lambda _p: {"file": pdf("sp2d.pdf")},
    multipart=True,
)
isolation.route("GET", f"{API}/lpj-overdue", Kind.LIST, plant=plant_overdue_lpj)
