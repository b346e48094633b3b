"""Test data for hibah, made through the module's own services: a region with the grants
module on and staff in every role, a verified organisation with an account and its
documents, an open programme, and proposals driven to any state of their workflow."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from lumbung.core.errors import DomainError
from lumbung.core.models import AuditEvent, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import membership_grant
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, UserFactory

from ..checks import ORGANISATION_DOCUMENTS, PROPOSAL_DOCUMENTS
from ..models import HibahProgramme, Organisation, Proposal
from ..services.checklists import STARTER_ITEMS, Answer
from ..services.disbursement import lpj_submit, lpj_verify, tranche_record
from ..services.documents import document_attach
from ..services.organisations import (
    OrganisationInput,
    organisation_register,
    organisation_verify,
    region_today,
)
from ..services.proposals import (
    BudgetLineInput,
    ProposalInput,
    proposal_resubmit,
    proposal_submit,
    proposal_withdraw,
)
from ..services.stages import (
    proposal_assign,
    proposal_check,
    proposal_consider,
    proposal_decide,
    proposal_finalise,
    proposal_recommend,
    proposal_reject,
    proposal_send_back,
    proposal_sign_nphd,
)
from ..workflow import EVALUATION, SUBMITTED

_serial = itertools.count(1)
CEILING = Decimal("1000000000")
# The default RAB: 50,000,000 requested.
LINES = (
    BudgetLineInput("Sewa tenda dan kursi", Decimal("2"), "paket", Decimal("7500000")),
    BudgetLineInput("Konsumsi peserta", Decimal("350"), "porsi", Decimal("100000")),
)
RECOMMENDED, CONSIDERED, FINAL = Decimal("45000000"), Decimal("42000000"), Decimal("40000000")
# Each state, with the step that leads into it from the one before.
PATH = (
    "submitted",
    "assignment",
    "evaluation",
    "consideration",
    "tapd",
    "nominative",
    "decided",
    "agreement",
    "disbursed",
    "lpj_submitted",
    "closed",
)
TEAMS = (Role.CONSIDERATION_TEAM, Role.BUDGET_TEAM, Role.REGION_HEAD)


@dataclass
class GrantsWorld:
    world: RegionWorld
    organisation: Organisation
    applicant: User
    programme: HibahProgramme

    @property
    def region(self) -> Any:
        return self.world.region

    def user(self, role: Role) -> User:
        return self.world.users[role]


def pdf(name: str = "dokumen.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + b" " * size
    return SimpleUploadedFile(name, body, "application/pdf")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def account_of(organisation: Organisation) -> User:
    """The organisation's first citizen account."""
    account = organisation.accounts.order_by("id").first()
    assert account is not None
    return account


def enable_grants(world: RegionWorld) -> RegionWorld:
    """Switch the module on and give the region's teams their members (region-wide)."""
    region = world.region
    with region_scope(region), transaction.atomic():
        region_modules_set(region=region, actor=None, enable=["grants"])
        for role in TEAMS:
            if role in world.users:
                continue
            user: User = UserFactory.create(email=f"{role.value}@{region.slug}.test")
            membership_grant(region=region, actor=None, user=user, role=role)
            world.users[role] = user
    return world


def organisation_data(tag: str = "", **overrides: Any) -> OrganisationInput:
    tag = tag or str(next(_serial))
    values: dict[str, Any] = {
        "name": f"Yayasan Sabilulungan {tag}",
        "kind": "yayasan",
        "legal_number": f"AHU-00{tag}.AH.01.04.2015",
        "legal_date": dt.date(2015, 3, 2),
        "npwp": "01.234.567.8-901.000",
        "address": f"Jl. Braga No. {tag}, Bandung",
        "bank_name": "Bank BJB",
        "bank_account_number": f"0012{tag.zfill(6)}",
        "bank_account_name": f"Yayasan Sabilulungan {tag}",
        "officers": [
            {"position": "ketua", "name": "Asep Sunandar"},
            {"position": "sekretaris", "name": "Euis Komariah"},
            {"position": "bendahara", "name": "Dadang Hidayat"},
        ],
    }
    values.update(overrides)
    return OrganisationInput(**values)


def make_organisation(
    world: RegionWorld,
    *,
    applicant: User | None = None,
    verified: bool = True,
    documents: bool = True,
    **overrides: Any,
) -> tuple[Organisation, User]:
    """An organisation registered by its own citizen account (a new one by default), with
    its legal documents attached and verified by the officer."""
    region = world.region
    if applicant is None:
        applicant = UserFactory.create(email=f"org{next(_serial)}@{region.slug}.test")
    with region_scope(region):
        organisation = organisation_register(
            region=region, actor=applicant, data=organisation_data(**overrides)
        )
        if documents:
            for kind in ORGANISATION_DOCUMENTS:
                document_attach(
                    region=region,
                    actor=applicant,
                    upload=pdf(),
                    kind=kind,
                    organisation=organisation,
                )
        if verified:
            organisation_verify(
                region=region, actor=world.users[Role.OFFICER], organisation=organisation
            )
    return organisation, applicant


def make_programme(world: RegionWorld, **overrides: Any) -> HibahProgramme:
    """An active programme of the region's current year, open all year."""
    region = world.region
    with region_scope(region):
        values: dict[str, Any] = {
            "code": f"hibah-{next(_serial)}",
            "year": region_today(region).year,
            "ceiling": CEILING,
            "name_id": "Hibah Kemasyarakatan",
            "name_en": "Community grants",
        }
        values.update(overrides)
        return HibahProgramme.objects.create(region=region, **values)


def grants_world(world: RegionWorld) -> GrantsWorld:
    """The module on, every team staffed, a verified organisation and an open programme."""
    enable_grants(world)
    organisation, applicant = make_organisation(world)
    return GrantsWorld(world, organisation, applicant, make_programme(world))


def submit(
    gw: GrantsWorld,
    *,
    organisation: Organisation | None = None,
    applicant: User | None = None,
    programme: HibahProgramme | None = None,
    lines: Any = LINES,
    documents: bool = True,
) -> Proposal:
    region = gw.region
    organisation = organisation or gw.organisation
    applicant = applicant or gw.applicant
    data = ProposalInput(
        programme=programme or gw.programme,
        title="Festival budaya Sunda",
        purpose="Melestarikan seni tradisional di kelurahan",
        location="Lapangan Tegallega",
        lines=list(lines),
    )
    with region_scope(region):
        proposal = proposal_submit(
            region=region, actor=applicant, organisation=organisation, data=data
        )
        if documents:
            for kind in PROPOSAL_DOCUMENTS:
                document_attach(
                    region=region, actor=applicant, upload=pdf(), kind=kind, proposal=proposal
                )
    return proposal


def manual_answers(
    state: str, *, passed: bool = True, on: dt.date | None = None
) -> dict[str, Answer]:
    """Answers to every manual item of the starter set at `state`."""
    return {
        key: Answer(passed=passed, on_date=on if dated else None)
        for item_state, key, _id, _en, computed, dated, _req in STARTER_ITEMS
        if item_state == state and not computed
    }


def advance(gw: GrantsWorld, proposal: Proposal, *, amount: Decimal | None = None) -> Proposal:
    """Take the one forward step of the proposal's current state, as the role it needs."""
    region, users = gw.region, gw.world.users
    today = region_today(region)
    steps = {
        "submitted": lambda: proposal_check(
            region=region,
            actor=users[Role.OFFICER],
            proposal=proposal,
            answers=manual_answers(SUBMITTED),
        ),
        "assignment": lambda: proposal_assign(
            region=region,
            actor=users[Role.CONSIDERATION_TEAM],
            proposal=proposal,
            unit=gw.world.unit,
        ),
        "evaluation": lambda: proposal_recommend(
            region=region,
            actor=users[Role.OFFICER],
            proposal=proposal,
            answers=manual_answers(EVALUATION, on=today),
            amount=amount or RECOMMENDED,
        ),
        "consideration": lambda: proposal_consider(
            region=region,
            actor=users[Role.CONSIDERATION_TEAM],
            proposal=proposal,
            amount=amount or CONSIDERED,
        ),
        "tapd": lambda: proposal_finalise(
            region=region, actor=users[Role.BUDGET_TEAM], proposal=proposal, amount=amount or FINAL
        ),
        "nominative": lambda: proposal_decide(
            region=region,
            actor=users[Role.REGION_HEAD],
            proposal=proposal,
            decision_number="900/Kep.123-BPKAD/2026",
        ),
        "decided": lambda: proposal_sign_nphd(
            region=region,
            actor=users[Role.OFFICER],
            proposal=proposal,
            nphd_number="027/NPHD/2026",
            signed_on=today,
            document=pdf("nphd.pdf"),
        ),
        "agreement": lambda: tranche_record(
            region=region,
            actor=users[Role.OFFICER],
            proposal=proposal,
            amount=amount or proposal.amount_final,
            paid_on=today,
            reference="SP2D-0001",
        ),
        "disbursed": lambda: lpj_submit(
            region=region,
            actor=account_of(proposal.organisation),
            proposal=proposal,
            document=pdf("lpj.pdf"),
        ),
        "lpj_submitted": lambda: lpj_verify(
            region=region, actor=users[Role.OFFICER], proposal=proposal
        ),
    }
    with region_scope(region):
        steps[proposal.state]()
        proposal.refresh_from_db()
    return proposal


def proposal_at(gw: GrantsWorld, state: str, **submit_kwargs: Any) -> Proposal:
    """A new proposal driven through the services to `state`: any state of the main path,
    or "returned" (sent back at the check), "rejected" or "withdrawn"."""
    proposal = submit(gw, **submit_kwargs)
    region, users = gw.region, gw.world.users
    with region_scope(region):
        if state == "returned":
            return proposal_send_back(
                region=region,
                actor=users[Role.OFFICER],
                proposal=proposal,
                note="Akta belum dilegalisir",
            )
        if state == "rejected":
            return proposal_reject(
                region=region,
                actor=users[Role.OFFICER],
                proposal=proposal,
                note="Tidak memenuhi syarat",
            )
        if state == "withdrawn":
            return proposal_withdraw(
                region=region,
                actor=account_of(proposal.organisation),
                proposal=proposal,
            )
    if state not in PATH:
        raise ValueError(f"no path to {state!r}")
    while proposal.state != state:
        proposal = advance(gw, proposal)
    return proposal


def resubmit(gw: GrantsWorld, proposal: Proposal, **kwargs: Any) -> Proposal:
    with region_scope(gw.region):
        return proposal_resubmit(region=gw.region, actor=gw.applicant, proposal=proposal, **kwargs)


def reload(proposal: Proposal) -> Proposal:
    with region_scope(proposal.region):
        return Proposal.objects.get(region=proposal.region, pk=proposal.pk)


def events(region: Any, action: str, obj: Any = None) -> list[AuditEvent]:
    """The region's audit events of `action` (about `obj`, when given), oldest first."""
    with region_scope(region):
        found = AuditEvent.objects.filter(region=region, action=action)
        if obj is not None:
            found = found.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        return list(found.order_by("seq"))


def refusal(region: Any, service: Callable[..., Any], **kwargs: Any) -> DomainError:
    """Call a service that must refuse; the error it raised (its `code` is asserted)."""
    with region_scope(region):
        try:
            service(region=region, **kwargs)
        except DomainError as error:
            return error
    raise AssertionError(f"{service.__name__} did not refuse")
