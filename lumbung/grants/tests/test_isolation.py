"""The grants module's part of the isolation walk: its models here, its API routes and
pages in the isolation_*.py files beside this one (each kept by whoever owns that
surface), all discovered by core's suite."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from lumbung.core.models import Region
from lumbung.core.testing.isolation import Planted, isolation

from ..models import (
    AmountChange,
    BansosProgramme,
    BudgetLine,
    ChecklistAnswer,
    ChecklistItem,
    Cycle,
    Document,
    Entitlement,
    Handover,
    HibahProgramme,
    ImportJob,
    Organisation,
    Person,
    Proposal,
    RedFlag,
    Suspicion,
    Tranche,
)

TODAY = dt.date(2026, 3, 2)


def _organisation(region: Region, tag: str) -> Organisation:
    return Organisation.objects.create(
        region=region,
        name=f"Yayasan {tag}",
        kind="yayasan",
        legal_number=f"AHU-{tag}",
        legal_date=dt.date(2015, 1, 5),
        npwp="012345678901000",
        address=f"Jl. {tag}",
        bank_name="Bank Daerah",
        bank_account_number=f"00{abs(hash(tag)) % 10**10}",
        bank_account_name=f"Yayasan {tag}",
    )


def _programme(region: Region, tag: str) -> HibahProgramme:
    return HibahProgramme.objects.create(
        region=region,
        code=tag.lower()[:40],
        year=2026,
        ceiling=Decimal(10**9),
        name_id=f"Hibah {tag}",
        name_en=f"Grant {tag}",
    )


def _proposal(region: Region, tag: str) -> Proposal:
    now = timezone.now()
    return Proposal.objects.create(
        region=region,
        number=f"HIBAH-{tag}",
        programme=_programme(region, tag),
        organisation=_organisation(region, tag),
        title=f"Renovasi {tag}",
        purpose=tag,
        location=f"Jl. {tag}",
        amount_requested=Decimal("150000000"),
        state="submitted",
        state_entered_at=now,
    )


def plant_organisation(region: Region, tag: str) -> Planted:
    return Planted(_organisation(region, tag).pk, (tag,))


def plant_programme(region: Region, tag: str) -> Planted:
    return Planted(_programme(region, tag).pk, (tag,))


def plant_proposal(region: Region, tag: str) -> Planted:
    return Planted(_proposal(region, tag).pk, (tag,))


def plant_document(region: Region, tag: str) -> Planted:
    doc = Document.objects.create(
        region=region,
        organisation=_organisation(region, tag),
        kind="deed",
        file=ContentFile(b"%PDF-1.4\n", name=f"{tag}.pdf"),
        filename=f"{tag}.pdf",
        content_type="application/pdf",
        size=9,
    )
    return Planted(doc.pk, (tag,))


def plant_budget_line(region: Region, tag: str) -> Planted:
    line = BudgetLine.objects.create(
        region=region,
        proposal=_proposal(region, tag),
        description=tag,
        quantity=1,
        unit="paket",
        unit_price=Decimal(1000),
        total=Decimal(1000),
    )
    return Planted(line.pk, (tag,))


def plant_amount(region: Region, tag: str) -> Planted:
    row = AmountChange.objects.create(
        region=region,
        proposal=_proposal(region, tag),
        stage="requested",
        amount=1,
        justification=tag,
    )
    return Planted(row.pk, (tag,))


def _item(region: Region, tag: str) -> ChecklistItem:
    return ChecklistItem.objects.create(
        region=region, state="submitted", key=tag.lower()[:60], name_id=tag, name_en=tag
    )


def plant_item(region: Region, tag: str) -> Planted:
    return Planted(_item(region, tag).pk, (tag,))


def plant_answer(region: Region, tag: str) -> Planted:
    row = ChecklistAnswer.objects.create(
        region=region,
        proposal=_proposal(region, tag),
        item=_item(region, tag),
        passed=True,
        note=tag,
    )
    return Planted(row.pk, (tag,))


def plant_tranche(region: Region, tag: str) -> Planted:
    proposal = _proposal(region, tag)
    row = Tranche.objects.create(
        region=region, proposal=proposal, number=1, amount=0, paid_on=TODAY, reference=tag
    )
    return Planted(row.pk, (tag,))


# Every planted person gets a NIK of their own (a hash of the tag collided once a test
# planted enough of them): a serial 0001-9999 per birth day, over the days of January 1990.
_nik_serial = itertools.count()


def _person(region: Region, tag: str) -> Person:
    n = next(_nik_serial)
    day, serial = 1 + (n // 9999) % 28, 1 + n % 9999
    return Person.objects.create(
        region=region,
        nik=f"327301{day:02d}0190{serial:04d}",
        name=f"Warga {tag}",
        birth_date=dt.date(1990, 1, day),
        sex="L",
        source="region",
    )


def plant_person(region: Region, tag: str) -> Planted:
    return Planted(_person(region, tag).pk, (tag,))


def _bansos(region: Region, tag: str) -> BansosProgramme:
    return BansosProgramme.objects.create(
        region=region,
        code=tag.lower()[:40],
        year=2026,
        benefit_kind="cash",
        benefit_amount=Decimal(300000),
        name_id=f"Bansos {tag}",
        name_en=f"Aid {tag}",
    )


def plant_bansos(region: Region, tag: str) -> Planted:
    return Planted(_bansos(region, tag).pk, (tag,))


def _cycle(region: Region, tag: str) -> Cycle:
    return Cycle.objects.create(
        region=region,
        programme=_bansos(region, tag),
        number=1,
        period_start=TODAY,
        period_end=TODAY,
        state="draft",
        state_entered_at=timezone.now(),
    )


def plant_cycle(region: Region, tag: str) -> Planted:
    return Planted(_cycle(region, tag).pk, (tag,))


def _entitlement(region: Region, tag: str) -> Entitlement:
    return Entitlement.objects.create(
        region=region, cycle=_cycle(region, tag), person=_person(region, tag), note=tag
    )


def plant_entitlement(region: Region, tag: str) -> Planted:
    return Planted(_entitlement(region, tag).pk, (tag,))


def plant_handover(region: Region, tag: str) -> Planted:
    row = Handover.objects.create(
        region=region,
        entitlement=_entitlement(region, tag),
        paid_on=TODAY,
        channel="bank",
        reference=tag,
    )
    return Planted(row.pk, (tag,))


def plant_import(region: Region, tag: str) -> Planted:
    job = ImportJob.objects.create(
        region=region,
        file=ContentFile(b"nik\n", name=f"{tag}.csv"),
        filename=f"{tag}.csv",
        source="import",
    )
    return Planted(job.pk, (tag,))


def plant_flag(region: Region, tag: str) -> Planted:
    flag = RedFlag.objects.create(
        region=region, kind="shared_bank", key=tag, organisation=_organisation(region, tag)
    )
    return Planted(flag.pk, (tag,))


def plant_suspicion(region: Region, tag: str) -> Planted:
    row = Suspicion.objects.create(region=region, proposal=_proposal(region, tag), text=tag)
    return Planted(row.pk, (tag,))


isolation.model(Organisation, plant_organisation)
isolation.model(Document, plant_document)
isolation.model(HibahProgramme, plant_programme)
isolation.model(Proposal, plant_proposal)
isolation.model(BudgetLine, plant_budget_line)
isolation.model(AmountChange, plant_amount)
isolation.model(ChecklistItem, plant_item)
isolation.model(ChecklistAnswer, plant_answer)
isolation.model(Tranche, plant_tranche)
isolation.model(Person, plant_person)
isolation.model(BansosProgramme, plant_bansos)
isolation.model(Cycle, plant_cycle)
isolation.model(Entitlement, plant_entitlement)
isolation.model(Handover, plant_handover)
isolation.model(ImportJob, plant_import)
isolation.model(RedFlag, plant_flag)
isolation.model(Suspicion, plant_suspicion)

# Declarations of the API routes and pages, one file per surface.
for _surface in (
    "isolation_api",
    "isolation_public",
    "isolation_backoffice",
    "isolation_oversight",
    "isolation_bansos",
):
    try:
        importlib.import_module(f"{__package__}.{_surface}")
    except ModuleNotFoundError as missing:
        if missing.name != f"{__package__}.{_surface}":
            raise
