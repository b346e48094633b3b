"""The public hibah register: every proposal, its amounts at each stage and its stages,
filtered and searched, in both languages, with nothing personal and nothing of another
region."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.core.errors import ValidationFailed
from lumbung.core.models import Region, Transition
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Proposal
from .test_isolation import _proposal

pytestmark = pytest.mark.django_db


def enable(region: Region) -> None:
    with region_scope(region), transaction.atomic():
        region_modules_set(region=region, actor=None, enable=["grants"])


def planted(region: Region, tag: str, **fields: object) -> Proposal:
    with region_scope(region), transaction.atomic():
        proposal = _proposal(region, tag)
        Proposal.objects.filter(pk=proposal.pk).update(**fields)
        proposal.refresh_from_db()
    return proposal


def url(region: Region, name: str = "register", **kwargs: object) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": region.slug, **kwargs})


def test_register_lists_proposals_with_totals_and_no_bank_account(
    client: Client, world_a: RegionWorld, world_b: RegionWorld
) -> None:
    enable(world_a.region)
    enable(world_b.region)
    mine = planted(
        world_a.region,
        "Masjid",
        state="nominative",
        amount_final=Decimal("120000000"),
        latitude=Decimal("-6.9"),
        longitude=Decimal("107.6"),
    )
    planted(world_b.region, "Tetangga")
    page = client.get(url(world_a.region))
    text = page.content.decode()
    assert page.status_code == 200
    assert mine.number in text
    assert "Yayasan Masjid" in text
    assert "Rp120.000.000" in text.replace("\xa0", "").replace(" ", "")
    assert "Tetangga" not in text
    assert mine.organisation.bank_account_number not in text
    assert str(mine.public_id) in text  # the pin on the map links to the proposal


def test_register_filters_by_stage_and_search(client: Client, world_a: RegionWorld) -> None:
    enable(world_a.region)
    rejected = planted(world_a.region, "Ditolak", state="rejected")
    kept = planted(world_a.region, "Lanjut", state="tapd")
    only_rejected = client.get(url(world_a.region), {"state": "rejected"}).content.decode()
    assert rejected.number in only_rejected
    assert kept.number not in only_rejected
    searched = client.get(url(world_a.region), {"q": "lanjut"}).content.decode()
    assert kept.number in searched
    assert rejected.number not in searched
    # A bad filter value is ignored, not an error page.
    assert client.get(url(world_a.region), {"year": "abc"}).status_code == 200


def test_proposal_page_shows_each_stage_amount_and_the_dates(
    client: Client, world_a: RegionWorld
) -> None:
    enable(world_a.region)
    proposal = planted(
        world_a.region,
        "Sanggar",
        state="consideration",
        amount_recommended=Decimal("90000000"),
        amount_considered=Decimal("80000000"),
    )
    with region_scope(world_a.region):
        Transition.objects.create(
            region=world_a.region,
            workflow="grants.hibah",
            case_type="grants.proposal",
            case_id=str(proposal.pk),
            action="recommend",
            from_state="evaluation",
            to_state="consideration",
            actor=world_a.users[next(iter(world_a.users))],
            created_at=timezone.now(),
        )
    page = client.get(url(world_a.region, "proposal", public_id=proposal.public_id))
    text = page.content.decode().replace("\xa0", "").replace(" ", "")
    assert page.status_code == 200
    assert "Rp90.000.000" in text
    assert "Rp80.000.000" in text
    assert 'lang="id"' in text
    assert "state-consideration" in text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url(world_a.region, "proposal", public_id=proposal.public_id))
    assert 'lang="en"' in english.content.decode()
    assert "Amount at each stage" in english.content.decode()
    assert "Consideration team" in english.content.decode()


def test_another_regions_proposal_is_not_found(
    client: Client, world_a: RegionWorld, world_b: RegionWorld
) -> None:
    enable(world_a.region)
    enable(world_b.region)
    theirs = planted(world_b.region, "Asing")
    page = client.get(url(world_a.region, "proposal", public_id=theirs.public_id))
    assert page.status_code == 404
    assert "Asing" not in page.content.decode()


def test_register_is_not_there_when_the_module_is_off(client: Client, world_a: RegionWorld) -> None:
    assert client.get(url(world_a.region)).status_code == 404


def test_register_api_lists_and_details_without_personal_data(
    client: Client, world_a: RegionWorld, world_b: RegionWorld
) -> None:
    enable(world_a.region)
    enable(world_b.region)
    mine = planted(world_a.region, "Api", state="tapd", amount_recommended=Decimal("5000000"))
    theirs = planted(world_b.region, "Lain")
    base = f"/api/v1/regions/{world_a.region.slug}/grants/register"
    listed = client.get(base).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["id"] == str(mine.public_id)
    assert item["number"] == mine.number
    assert Decimal(item["amounts"]["recommended"]) == Decimal("5000000")
    assert item["amounts"]["final"] is None
    assert "bank" not in str(listed).lower()
    assert mine.organisation.npwp not in str(listed)
    detail = client.get(f"{base}/{mine.public_id}").json()
    assert detail["purpose"] == mine.purpose
    assert detail["steps"] == []
    missing = client.get(f"{base}/{theirs.public_id}")
    assert missing.status_code == 404
    assert missing["content-type"].startswith("application/problem+json")
    assert client.get(base, {"state": "tapd", "q": "Api"}).json()["count"] == 1
    assert client.get(base, {"state": "closed"}).json()["count"] == 0
    assert client.get(base, {"year": "1"}).status_code == 422


@pytest.mark.parametrize(
    ("lat", "lng", "kept"),
    [
        ("-6.914744", "107.609810", True),
        (None, None, False),
        ("-6.9", None, None),
        ("51.5", "-0.12", None),
        ("nan", "107.6", None),
        ("abc", "107.6", None),
    ],
)
def test_a_proposal_pin_must_be_inside_indonesia(
    gworld_a: Any, lat: str | None, lng: str | None, kept: bool | None
) -> None:
    from ..services.proposals import ProposalInput, proposal_submit
    from .factories import LINES

    data = ProposalInput(
        programme=gworld_a.programme,
        title="Pentas seni",
        purpose="Seni",
        location="Balai RW",
        lines=list(LINES),
        latitude=lat,
        longitude=lng,
    )
    with region_scope(gworld_a.region):
        before = Proposal.objects.filter(region=gworld_a.region).count()
        submit = partial(
            proposal_submit,
            region=gworld_a.region,
            actor=gworld_a.applicant,
            organisation=gworld_a.organisation,
            data=data,
        )
        if kept is None:
            with pytest.raises(ValidationFailed) as refused:
                submit()
            assert set(refused.value.field_errors) == {"latitude", "longitude"}
            assert Proposal.objects.filter(region=gworld_a.region).count() == before
        else:
            assert (submit().latitude is not None) is kept
