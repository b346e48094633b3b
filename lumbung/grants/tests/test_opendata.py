"""360Giving export: the standard's required fields, only grants awarded, one region's own,
and nothing that identifies a person."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Proposal
from ..opendata import CSV_COLUMNS, hibah_360giving, hibah_360giving_csv
from . import flag_factories as f

# What the 360Giving schema requires of every grant, and of each organisation in it.
REQUIRED = ("id", "title", "description", "currency", "amountAwarded", "awardDate")
REQUIRED_ORGS = ("recipientOrganization", "fundingOrganization")
DATE = re.compile(r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])$")
SUMMARY_TITLES = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Applied For",
    "Amount Awarded",
    "Amount Disbursed",
    "Award Date",
    "URL",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:City",
    "Recipient Org:Country",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Beneficiary Location:Latitude",
    "Beneficiary Location:Longitude",
    "Beneficiary Location:Geographic Code",
    "Beneficiary Location:Geographic Code Type",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Funding Org:Department",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Last modified",
]


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    f.enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


def _awarded(world: RegionWorld, state: str, **fields: Any) -> Proposal:
    region = world.region
    org = f.organisation(
        region,
        officers=[{"position": "ketua", "name": "Ujang Suparman"}],
        email="ketua@yayasan.test",
        phone="081298765432",
        address="Jl. Rahasia No. 7 RT 01 RW 02",
        bank_account_number="0099887766",
        npwp="019876543210000",
        kelurahan_code="32.73.01.1001",
    )
    proposal = f.proposal(region, org=org, state=state, final=75_000_000, **fields)
    f.decided(region, proposal, dt.datetime(2026, 5, 4, 20, 30, tzinfo=dt.UTC))
    return proposal


def test_package_shape_and_required_fields(ga: RegionWorld) -> None:
    region = ga.region
    granted = _awarded(ga, "agreement", kelurahan_code="32.73.01.1001")
    package = hibah_360giving(region=region)
    json.dumps(package)  # serialisable as it is
    assert package["license"].startswith("https://")
    [grant] = package["grants"]
    for name in REQUIRED:
        assert grant[name] not in (None, ""), name
    for name in REQUIRED_ORGS:
        assert grant[name], name
        for org in grant[name]:
            assert org["id"]
            assert org["name"]
    assert grant["id"] == f"360G-lumbung-{region.slug}-{granted.number}"
    assert grant["currency"] == "IDR"
    assert Decimal(grant["amountAwarded"]) == granted.amount_final
    assert DATE.match(grant["awardDate"])
    # decided at 20:30 UTC on 4 May is 5 May in Bandung (WIB)
    assert grant["awardDate"] == "2026-05-05"
    assert grant["fundingOrganization"][0]["name"] == region.title
    assert grant["recipientOrganization"][0]["addressLocality"] == "Sukarasa"
    assert grant["beneficiaryLocation"][0]["geoCode"] == "32.73.01.1001"
    assert grant["plannedDates"][0]["endDate"] == "2026-12-31"
    assert grant["url"].endswith(f"/{region.slug}/grants/register/{granted.public_id}/")


def test_only_grants_from_the_decision_on(ga: RegionWorld) -> None:
    published = {
        _awarded(ga, s).number for s in ("decided", "disbursed", "lpj_submitted", "closed")
    }
    for state in ("nominative", "tapd", "rejected", "withdrawn", "returned"):
        _awarded(ga, state)
    grants = hibah_360giving(region=ga.region)["grants"]
    assert {g["id"].removeprefix(f"360G-lumbung-{ga.region.slug}-") for g in grants} == published
    assert [g["id"] for g in hibah_360giving(region=ga.region, year=2025)["grants"]] == []


def test_nothing_personal_is_published(ga: RegionWorld) -> None:
    region = ga.region
    granted = _awarded(ga, "disbursed")
    someone = f.person(region, name="Neneng Hasanah", nik="3273014507800003")
    f.entitlement(region, someone, f.bansos_cycle(region, 2026))
    text = json.dumps(hibah_360giving(region=region)) + hibah_360giving_csv(region=region)
    org = granted.organisation
    for secret in (
        "Ujang Suparman",
        org.email,
        org.phone,
        org.address,
        "Rahasia",
        org.bank_account_number,
        org.npwp,
        someone.name,
        someone.nik,
        someone.nik[-6:],
    ):
        assert secret not in text, secret
    assert org.name in text


def test_csv_uses_the_summary_table_titles(ga: RegionWorld) -> None:
    first = _awarded(ga, "closed", title='=HYPERLINK("http://x")')
    second = _awarded(ga, "decided")
    rows = list(csv.reader(io.StringIO(hibah_360giving_csv(region=ga.region))))
    assert rows[0] == SUMMARY_TITLES == [title for title, _path in CSV_COLUMNS]
    body = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(body) == 2
    row = body[f"360G-lumbung-{ga.region.slug}-{first.number}"]
    assert row["Title"].startswith("'=")  # not run as a formula by a spreadsheet
    assert Decimal(row["Amount Awarded"]) == Decimal("75000000")
    assert row["Currency"] == "IDR"
    assert row["Funding Org:Name"] == ga.region.title
    assert f"360G-lumbung-{ga.region.slug}-{second.number}" in body


def test_another_region_is_not_in_the_export(ga: RegionWorld, world_b: RegionWorld) -> None:
    mine = _awarded(ga, "closed")
    f.enable_grants(world_b)
    with region_scope(world_b.region):
        theirs = _awarded(world_b, "closed")
    text = json.dumps(hibah_360giving(region=ga.region)) + hibah_360giving_csv(region=ga.region)
    assert mine.number in text
    assert theirs.number not in text
    assert theirs.organisation.name not in text
