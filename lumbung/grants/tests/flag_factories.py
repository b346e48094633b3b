"""Rows for the red-flag, suspicion, document and open-data tests, made directly with the
ORM (the services that make them in real life belong to other parts of the module; these
tests are about what is computed from the rows, whatever wrote them)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lumbung.core.models import Region, Transition, User
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import (
    AmountChange,
    BansosProgramme,
    Cycle,
    Entitlement,
    HibahProgramme,
    Organisation,
    Person,
    Proposal,
    Tranche,
)

_serial = itertools.count(1)


def enable_grants(world: RegionWorld, *more: str) -> RegionWorld:
    with region_scope(world.region), transaction.atomic():
        region_modules_set(region=world.region, actor=None, enable=["grants", *more])
    return world


def organisation(region: Region, **fields: Any) -> Organisation:
    n = next(_serial)
    values: dict[str, Any] = {
        "name": f"Yayasan Uji {n}",
        "kind": "yayasan",
        "legal_number": f"AHU-{n:05d}",
        "legal_date": dt.date(2015, 1, 5),
        "npwp": f"{n:015d}",
        "address": f"Jl. Uji No. {n}",
        "phone": f"0812{n:08d}",
        "bank_name": "Bank Daerah",
        "bank_account_number": f"77{n:08d}",
        "bank_account_name": f"Yayasan Uji {n}",
    }
    values.update(fields)
    return Organisation.objects.create(region=region, **values)


def programme(region: Region, year: int = 2026, **fields: Any) -> HibahProgramme:
    values: dict[str, Any] = {
        "code": f"hibah-{next(_serial)}",
        "ceiling": Decimal(10**10),
        "name_id": f"Hibah Kemasyarakatan {year}",
        "name_en": f"Community grants {year}",
    }
    values.update(fields)
    found = HibahProgramme.objects.filter(region=region, year=year, code=values["code"]).first()
    return found or HibahProgramme.objects.create(region=region, year=year, **values)


def proposal(
    region: Region,
    *,
    org: Organisation | None = None,
    prog: HibahProgramme | None = None,
    year: int = 2026,
    state: str = "submitted",
    final: Decimal | int | None = None,
    created_at: dt.datetime | None = None,
    **fields: Any,
) -> Proposal:
    n = next(_serial)
    now = timezone.now()
    values: dict[str, Any] = {
        "number": f"HIBAH-{region.code.replace('.', '')}-{year}-{n:06d}",
        "title": f"Renovasi balai warga {n}",
        "purpose": f"Memperbaiki atap balai warga RW {n}",
        "location": f"Jl. Balai No. {n}",
        "amount_requested": Decimal("150000000"),
        "amount_final": None if final is None else Decimal(final),
        "state": state,
        "state_entered_at": now,
        "created_at": created_at or now,
    }
    values.update(fields)
    return Proposal.objects.create(
        region=region,
        programme=prog or programme(region, year),
        organisation=org or organisation(region),
        **values,
    )


def decided(region: Region, item: Proposal, on: dt.datetime, actor: User | None = None) -> None:
    """The decision's transition row, as the workflow engine writes it."""
    Transition.objects.create(
        region=region,
        workflow=Proposal.WORKFLOW_KEY,
        case_type=Proposal._meta.label_lower,
        case_id=str(item.pk),
        action="decide",
        from_state="nominative",
        to_state="decided",
        actor=actor,
        created_at=on,
    )


def amount_change(
    region: Region, item: Proposal, stage: str, amount: int, previous: int | None, why: str = ""
) -> AmountChange:
    return AmountChange.objects.create(
        region=region,
        proposal=item,
        stage=stage,
        amount=Decimal(amount),
        previous=None if previous is None else Decimal(previous),
        justification=why,
    )


def tranche(
    region: Region, item: Proposal, paid_on: dt.date, amount: int, number: int = 1
) -> Tranche:
    return Tranche.objects.create(
        region=region,
        proposal=item,
        number=number,
        amount=Decimal(amount),
        paid_on=paid_on,
        reference=f"SP2D-{next(_serial)}",
    )


def person(region: Region, **fields: Any) -> Person:
    n = next(_serial)
    values: dict[str, Any] = {
        "nik": f"3273011501{n:06d}",
        "name": f"Warga Uji {n}",
        "birth_date": dt.date(1980, 1, 15),
        "sex": "P",
        "kelurahan_code": "32.73.01.1001",
        "address": f"Gg. Uji No. {n}",
        "source": "region",
    }
    values.update(fields)
    return Person.objects.create(region=region, **values)


def bansos_cycle(region: Region, year: int, code: str = "bpnt") -> Cycle:
    prog = BansosProgramme.objects.filter(region=region, year=year, code=code).first()
    if prog is None:
        prog = BansosProgramme.objects.create(
            region=region,
            code=code,
            year=year,
            benefit_kind="cash",
            benefit_amount=Decimal(300000),
            name_id=f"Bantuan pangan {year}",
            name_en=f"Food aid {year}",
        )
    number = Cycle.objects.filter(region=region, programme=prog).count() + 1
    return Cycle.objects.create(
        region=region,
        programme=prog,
        number=number,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 3, 31),
        state="approved",
        state_entered_at=timezone.now(),
    )


def entitlement(
    region: Region, who: Person, cycle: Cycle, status: str = "disbursed"
) -> Entitlement:
    return Entitlement.objects.create(
        region=region, cycle=cycle, person=who, amount=Decimal(300000), status=status
    )
