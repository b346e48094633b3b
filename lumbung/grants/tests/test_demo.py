"""The grants part of `lumbung demo`: proposals in every stage written by the services in
the past, the red flags a visitor should find, and nothing added the second time."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lumbung.core.demo import demo_load
from lumbung.core.models import Region
from lumbung.core.services.audit import audit_verify_chain, chain_key
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..models import Organisation, Proposal, RedFlag, Tranche
from ..workflow import HIBAH_FLOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> list[Region]:
    settings.LUMBUNG_DEMO_COMPLAINTS = 5
    return demo_load()


def bandung(regions: list[Region]) -> Region:
    return next(r for r in regions if r.slug == "kota-bandung")


def test_every_stage_every_flag_kind_and_the_register(demo: list[Region], client: Client) -> None:
    # One demo load for several facts: the whole demo takes a while to write.
    region = bandung(demo)
    with region_scope(region):
        states = set(Proposal.objects.filter(region=region).values_list("state", flat=True))
        tranches = Tranche.objects.filter(region=region).count()
        pending = Organisation.objects.filter(region=region, verification="pending").count()
        kinds = set(RedFlag.objects.filter(region=region).values_list("kind", flat=True))
    with dangerously_unscoped():
        regions = set(Proposal.objects.values_list("region__slug", flat=True).distinct())
    assert states == {s.key for s in HIBAH_FLOW.states}
    assert tranches >= 4  # one proposal is paid in two tranches
    assert pending == 1
    # The red flags have something to show.
    assert {"consecutive", "shared_bank", "recent_org", "amount_rise", "early_disbursement"} <= (
        kinds
    )
    assert regions == {"kota-bandung"}  # only regions with the module on
    page = client.get("/kota-bandung/grants/")
    assert page.status_code == 200
    assert "Renovasi atap masjid" in page.content.decode()


def test_a_second_run_adds_nothing_and_the_audit_chain_holds(demo: list[Region]) -> None:
    region = bandung(demo)
    with region_scope(region):
        before = Proposal.objects.filter(region=region).count()
    demo_load()
    with region_scope(region):
        assert Proposal.objects.filter(region=region).count() == before
    assert audit_verify_chain(chain_key(region)) is None
