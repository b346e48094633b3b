"""A handover's photo: opened by the grants staff and auditors through an authorised view
(never a media URL), each opening recorded as a read of personal data, never cached; a
handover without a photo, or another region's, is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from lumbung.core.errors import NotFound, PermissionDenied
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import RegionWorld

from ..models import Entitlement
from ..services.cycles import handover_record
from ..services.handovers import handover_photo_open
from .bansos_factories import enable_grants
from .test_bansos_views import approved, as_, entitlement_of, png, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def handed_over(world: RegionWorld, *, photo: bool = True) -> tuple[Entitlement, Entitlement]:
    """An approved cycle of two: the first handed over (with a photo, or without), the
    second not yet."""
    cycle, old = approved(world)
    with region_scope(world.region):
        first, second = (entitlement_of(cycle, person) for person in old)
        handover_record(
            region=world.region,
            actor=world.users[Role.OFFICER],
            entitlement=first,
            paid_on=dt.date(2026, 1, 5),
            channel="cash",
            reference="KWT-1",
            photo=png() if photo else None,
        )
    return first, second


def reads(entitlement: Entitlement) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action="pdp.read", object_id=str(entitlement.pk)))


def api(world: RegionWorld, entitlement: Entitlement) -> str:
    return (
        f"/api/v1/regions/{world.region.slug}/grants/bansos/entitlements/"
        f"{entitlement.pk}/handover/photo"
    )


def test_opening_the_photo_is_recorded(ga: RegionWorld) -> None:
    first, second = handed_over(ga)
    auditor = ga.users[Role.AUDITOR]
    handover = handover_photo_open(region=ga.region, actor=auditor, entitlement=first)
    assert handover.photo.name.endswith(".png")
    [event] = reads(first)
    assert (event.actor, event.changes) == (auditor, {"fields": ["photo"]})
    with pytest.raises(NotFound):  # not handed over: nothing to open, nothing recorded
        handover_photo_open(region=ga.region, actor=auditor, entitlement=second)
    assert reads(second) == []


def test_only_staff_and_auditors_and_only_their_region(ga: RegionWorld, gb: RegionWorld) -> None:
    first, _second = handed_over(ga)
    with pytest.raises(PermissionDenied):
        handover_photo_open(region=ga.region, actor=ga.users[Role.CITIZEN], entitlement=first)
    with region_scope(gb.region), pytest.raises(NotFound):
        handover_photo_open(region=gb.region, actor=gb.users[Role.AUDITOR], entitlement=first)
    assert reads(first) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_cycle_page_links_the_photo_which_opens_audited(
    client: Client, ga: RegionWorld, language: str
) -> None:
    # given a handover with a photo, and an auditor reading the cycle in one language
    first, _second = handed_over(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    auditor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    link = url(ga, "bansos-handover-photo", pk=first.pk)
    page = auditor.get(url(ga, "bansos-cycle", pk=first.cycle_id))
    assert f'<html lang="{language}"' in page.content.decode()
    assert link in page.content.decode()
    assert reads(first) == []  # the page itself shows no photo
    # when the photo is opened, then it is the image, private, and the read is recorded
    response = auditor.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert len(reads(first)) == 1


def test_no_photo_or_another_regions_is_a_404_page(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    without, _second = handed_over(ga, photo=False)
    theirs, _other = handed_over(gb)
    officer = as_(client, ga, Role.OFFICER)
    assert officer.get(url(ga, "bansos-handover-photo", pk=without.pk)).status_code == 404
    assert officer.get(url(ga, "bansos-handover-photo", pk=theirs.pk)).status_code == 404
    citizen = as_(client, ga, Role.CITIZEN)
    assert citizen.get(url(ga, "bansos-handover-photo", pk=without.pk)).status_code == 403
    assert reads(theirs) == []


def test_the_api_serves_the_photo_audited(client: Client, ga: RegionWorld, gb: RegionWorld) -> None:
    first, second = handed_over(ga)
    theirs, _other = handed_over(gb)
    officer = as_(client, ga, Role.OFFICER)
    response = officer.get(api(ga, first))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert len(reads(first)) == 1
    for missing in (second, theirs):
        refused = officer.get(api(ga, missing))
        assert (refused.status_code, problem_of(refused)["code"]) == (404, "not_found")
    citizen = as_(client, ga, Role.CITIZEN).get(api(ga, first))
    assert citizen.status_code == 403
    assert len(reads(first)) == 1
    assert reads(theirs) == []
