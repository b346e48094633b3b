"""The grants demo: for each demo region with the module on, hibah programmes of this year
and the last, organisations (two sharing a bank account, one only months old, one still
waiting for verification) and proposals in every stage, written through the module's own
services with the clock set to each step's moment (core's demo_clock), then the red flags
computed. Deterministic and idempotent: a region that has proposals gets no more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal
from functools import cache
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from lumbung.core.demo import CITIZENS, demo_user
from lumbung.core.demo_clock import demo_clock
from lumbung.core.models import Region, Unit, User
from lumbung.core.reference import subdivisions

from .checks import ORGANISATION_DOCUMENTS, PROPOSAL_DOCUMENTS
from .demo_data import ORGANISATIONS, PROGRAMMES, STORIES, TEN_PERCENT_OFF, Story
from .models import HibahProgramme, Organisation, Proposal
from .services.checklists import STARTER_ITEMS, Answer, checklist_adopt_starter
from .services.disbursement import lpj_submit, lpj_verify, tranche_record
from .services.documents import document_attach
from .services.flags import flags_refresh
from .services.organisations import (
    OrganisationInput,
    organisation_register,
    organisation_verify,
)
from .services.programmes import programme_save
from .services.proposals import BudgetLineInput, ProposalInput, proposal_submit, proposal_withdraw
from .services.stages import (
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

STEP_DAYS = 6  # days between two steps of a proposal
Step = tuple[dt.datetime, int, Callable[[], None]]


def demo_load_region(region: Region) -> None:
    """The module's demo hook (ModuleConfig.demo). Runs inside the region's scope."""
    if region.is_province or Proposal.objects.filter(region=region).exists():
        return
    staff = _Staff(region)
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        demo_clock() as set_clock,
    ):
        now = timezone.now()
        year = timezone.localdate().year
        set_clock(dt.datetime(year - 1, 1, 5, 9, tzinfo=dt.UTC))
        checklist_adopt_starter(region=region, actor=staff.admin)
        programmes = [_programme(region, staff.admin, row, year) for row in PROGRAMMES]
        organisations = [
            _organisation(region, staff, row, i) for i, row in enumerate(ORGANISATIONS)
        ]
        steps: list[Step] = []
        for order, story in enumerate(STORIES):
            programme = programmes[story.programme]
            start = (
                dt.datetime(programme.year, 2, 3, 2, tzinfo=dt.UTC)
                if programme.year < year
                else now - dt.timedelta(days=110 - order * 4)
            )
            runner = _Runner(region, staff, story, organisations[story.organisation], programme)
            steps += runner.plan(start, order, now)
        for when, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
            set_clock(when)
            step()
        set_clock(now)
        flags_refresh(region=region)


class _Staff:
    """The demo region's accounts that take the hibah steps."""

    def __init__(self, region: Region) -> None:
        def account(name: str) -> User:
            return demo_user(f"{name}@{region.slug}.demo")

        self.admin, self.officer, self.dinsos = (
            account("admin"),
            account("officer"),
            account("dinsos"),
        )
        self.team, self.tapd, self.head = (
            account("pertimbangan"),
            account("tapd"),
            account("kepala"),
        )
        self.citizens = [demo_user(email, name) for email, name in CITIZENS]
        self.evaluating_unit = Unit.objects.get(region=region, code="DINSOS")


@cache
def _sample_pdf() -> bytes:
    """One real page, rendered once, stands for every scanned document of the demo."""
    from weasyprint import HTML

    html = "<h1>Dokumen contoh</h1><p>Dokumen ini dibuat untuk demo Lumbung.</p>"
    return bytes(HTML(string=html).write_pdf())


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _sample_pdf(), "application/pdf")


def _programme(region: Region, admin: User, row: tuple[Any, ...], year: int) -> HibahProgramme:
    code, name_id, name_en, ceiling, offset = row
    found = HibahProgramme.objects.filter(region=region, code=code, year=year + offset).first()
    if found is not None:
        return found
    data = {"code": code, "name_id": name_id, "name_en": name_en, "ceiling": Decimal(ceiling)}
    return programme_save(region=region, actor=admin, data={**data, "year": year + offset})


def _organisation(region: Region, staff: _Staff, row: tuple[Any, ...], index: int) -> Organisation:
    name, kind, age_days, account, citizen, verified, village = row
    legal_number = f"AHU-{index + 1:04d}.AH.01.07.DEMO"
    found = Organisation.objects.filter(region=region, legal_number=legal_number).first()
    if found is not None:
        return found
    villages = _villages(region)
    applicant = staff.citizens[citizen]
    data = OrganisationInput(
        name=name,
        kind=kind,
        legal_number=legal_number,
        legal_date=timezone.localdate() - dt.timedelta(days=age_days),
        npwp=f"0{index + 1}.234.567.8-423.000",
        address=f"Jl. Contoh No. {index + 7}, {region.name}",
        kelurahan_code=villages[village % len(villages)] if villages else "",
        bank_name="Bank BJB",
        bank_account_number=account,
        bank_account_name=name,
        officers=[
            {"position": "ketua", "name": "Asep Sunandar"},
            {"position": "sekretaris", "name": "Euis Komariah"},
            {"position": "bendahara", "name": "Dadang Hidayat"},
        ],
    )
    organisation = organisation_register(region=region, actor=applicant, data=data)
    for kind_ in ORGANISATION_DOCUMENTS:
        document_attach(
            region=region,
            actor=applicant,
            upload=_pdf(f"{kind_}.pdf"),
            kind=kind_,
            organisation=organisation,
        )
    if verified:
        organisation_verify(region=region, actor=staff.officer, organisation=organisation)
    return organisation


def _villages(region: Region) -> list[str]:
    """The first kelurahan of the region's first kecamatan (reference data)."""
    found: list[str] = []
    for kecamatan, _name, _kind in subdivisions(region.code)[:3]:
        found += [code for code, _n, _k in subdivisions(kecamatan)[:3]]
    return found


def _answers(state: str, on: dt.date | None = None) -> dict[str, Answer]:
    return {
        key: Answer(passed=True, on_date=on if dated else None)
        for item_state, key, _id, _en, computed, dated, _required in STARTER_ITEMS
        if item_state == state and not computed
    }


def _thousands(value: Decimal) -> Decimal:
    return (value / 1000).quantize(Decimal(1), rounding=ROUND_DOWN) * 1000


class _Runner:
    """One story's steps, each a closure over the proposal it creates first."""

    MAIN = (
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

    def __init__(
        self,
        region: Region,
        staff: _Staff,
        story: Story,
        organisation: Organisation,
        programme: HibahProgramme,
    ) -> None:
        self.region, self.staff, self.story = region, staff, story
        self.organisation, self.programme = organisation, programme
        self.proposal: Proposal | None = None
        applicant = organisation.accounts.order_by("id").first()
        assert applicant is not None  # the citizen who registered it
        self.applicant: User = applicant

    def plan(self, start: dt.datetime, order: int, now: dt.datetime) -> list[Step]:
        """The story's steps from `start`, one every STEP_DAYS, none after `now`."""
        actions = [self.submit, *self._path()]
        when = [start + dt.timedelta(days=i * STEP_DAYS, hours=i) for i in range(len(actions))]
        return [(w, order, a) for w, a in zip(when, actions, strict=True) if w < now]

    def _path(self) -> list[Callable[[], None]]:
        until = self.story.until
        if until == "returned":
            return [self.send_back]
        if until == "rejected":
            return [self.reject]
        if until == "withdrawn":
            return [self.withdraw]
        forward = {
            "submitted": self.check,
            "assignment": self.assign,
            "evaluation": self.recommend,
            "consideration": self.consider,
            "tapd": self.finalise,
            "nominative": self.decide,
            "decided": self.sign,
            "agreement": self.pay,
            "disbursed": self.lpj,
            "lpj_submitted": self.verify,
        }
        steps = [forward[s] for s in self.MAIN[: self.MAIN.index(until)]]
        if self.story.tranches > 1 and until in self.MAIN[self.MAIN.index("disbursed") :]:
            steps.insert(steps.index(self.pay) + 1, self.pay_rest)
        return steps

    @property
    def current(self) -> Proposal:
        assert self.proposal is not None
        self.proposal.refresh_from_db()
        return self.proposal

    def _amounts(self) -> tuple[Decimal, Decimal, Decimal]:
        if self.story.amounts:
            a, b, c = self.story.amounts
            return Decimal(a), Decimal(b), Decimal(c)
        less = _thousands(self.current.amount_requested * TEN_PERCENT_OFF)
        return less, less, less

    def _common(self) -> dict[str, Any]:
        return {"region": self.region, "proposal": self.current}

    def submit(self) -> None:
        lines = [BudgetLineInput(d, Decimal(q), u, Decimal(p)) for d, q, u, p in self.story.lines]
        pin = self.story.pin or (None, None)
        data = ProposalInput(
            programme=self.programme,
            title=self.story.title,
            purpose=self.story.purpose,
            location=self.organisation.address,
            lines=lines,
            kelurahan_code=self.organisation.kelurahan_code,
            latitude=pin[0],
            longitude=pin[1],
        )
        self.proposal = proposal_submit(
            region=self.region, actor=self.applicant, organisation=self.organisation, data=data
        )
        for kind in PROPOSAL_DOCUMENTS:
            document_attach(
                region=self.region,
                actor=self.applicant,
                upload=_pdf(f"{kind}.pdf"),
                kind=kind,
                proposal=self.proposal,
            )

    def check(self) -> None:
        proposal_check(actor=self.staff.officer, answers=_answers("submitted"), **self._common())

    def assign(self) -> None:
        proposal_assign(actor=self.staff.team, unit=self.staff.evaluating_unit, **self._common())

    def recommend(self) -> None:
        proposal_recommend(
            actor=self.staff.dinsos,
            answers=_answers("evaluation", timezone.localdate()),
            amount=self._amounts()[0],
            **self._common(),
        )

    def consider(self) -> None:
        proposal_consider(
            actor=self.staff.team,
            amount=self._amounts()[1],
            justification=self.story.rise_reason,
            **self._common(),
        )

    def finalise(self) -> None:
        proposal_finalise(actor=self.staff.tapd, amount=self._amounts()[2], **self._common())

    def decide(self) -> None:
        year = self.programme.year
        number = f"900/Kep.{self.current.pk:03d}-BPKAD/{year}"
        proposal_decide(actor=self.staff.head, decision_number=number, **self._common())

    def sign(self) -> None:
        proposal_sign_nphd(
            actor=self.staff.officer,
            nphd_number=f"027/{self.current.pk:03d}/NPHD/{self.programme.year}",
            signed_on=timezone.localdate(),
            document=_pdf("nphd.pdf"),
            **self._common(),
        )

    def _tranche(self, amount: Decimal, number: int) -> None:
        paid_on = timezone.localdate()
        if self.story.early_payment and number == 1:
            paid_on = (self.current.nphd_signed_on or paid_on) - dt.timedelta(days=3)
        tranche_record(
            actor=self.staff.officer,
            amount=amount,
            paid_on=paid_on,
            reference=f"SP2D-{self.current.pk:04d}-{number}",
            **self._common(),
        )

    def pay(self) -> None:
        final = self.current.amount_final or Decimal(0)
        self._tranche(_thousands(final / 2) if self.story.tranches > 1 else final, 1)

    def pay_rest(self) -> None:
        proposal = self.current
        self._tranche((proposal.amount_final or Decimal(0)) - proposal.amount_disbursed, 2)

    def lpj(self) -> None:
        lpj_submit(actor=self.applicant, document=_pdf("lpj.pdf"), **self._common())

    def verify(self) -> None:
        lpj_verify(actor=self.staff.officer, **self._common())

    def send_back(self) -> None:
        note = "Akta pendirian belum dilegalisir; mohon unggah ulang."
        proposal_send_back(actor=self.staff.officer, note=note, **self._common())

    def reject(self) -> None:
        note = "Kegiatan bersifat komersial, bukan untuk kepentingan umum."
        proposal_reject(actor=self.staff.officer, note=note, **self._common())

    def withdraw(self) -> None:
        proposal_withdraw(region=self.region, actor=self.applicant, proposal=self.current)
