"""The permits part of `lumbung demo`: applications in every lane and stage written by the
services in the past, registrations with receipts, permits valid, expired, suspended,
revoked and approved by default, each verifiable; nothing added the second time."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lumbung.core.demo import demo_load
from lumbung.core.models import Region
from lumbung.core.services.audit import audit_verify_chain, chain_key
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..codes import code_for
from ..models import Application, Permit
from ..selectors import permit_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> list[Region]:
    settings.LUMBUNG_DEMO_COMPLAINTS = 5
    return demo_load()


def test_every_lane_and_stage_and_every_permit_status(demo: list[Region], client: Client) -> None:
    # One demo load for several facts: the whole demo takes a while to write.
    with dangerously_unscoped():
        regions = set(Application.objects.values_list("region__slug", flat=True).distinct())
    assert regions == {"kota-bandung", "kabupaten-serang"}
    region = next(r for r in demo if r.slug == "kota-bandung")
    with region_scope(region):
        apps = Application.objects.filter(region=region)
        states = set(apps.values_list("state", flat=True))
        lanes = set(apps.values_list("lane", flat=True))
        permits = list(Permit.objects.filter(region=region))
        statuses = {permit_status(region, p) for p in permits}
        by_default = [p for p in permits if p.by_default]
        codes = {permit_status(region, p): code_for(region.pk, p.token) for p in permits}
        before = apps.count()
    assert {
        "registered",
        "issued",
        "document_check",
        "inspection",
        "recommendation",
        "approval",
        "payment",
        "signing",
        "returned",
        "rejected",
        "withdrawn",
    } <= states
    assert lanes == {
        "report_only",
        "standard_certificate_self",
        "standard_certificate_verified",
        "permit",
    }
    assert statuses == {"valid", "expired", "suspended", "revoked"}
    assert len(by_default) == 1
    for status, code in codes.items():
        page = client.get(f"/kota-bandung/permits/verify/{code}/")
        assert f'data-status="{status}"' in page.content.decode()
    assert client.get("/kota-bandung/permits/figures/").status_code == 200
    # A second run adds nothing, and the audit chain holds.
    demo_load()
    with region_scope(region):
        assert Application.objects.filter(region=region).count() == before
    assert audit_verify_chain(chain_key(region)) is None
