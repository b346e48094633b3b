"""The grants pages' finishing touches: a region's own names for the hibah steps wherever a
step is shown, the map pin on the proposal form, the public and the staff sub-navigation,
and red-flag evidence that takes staff to the staff's page of a proposal."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.services.workflow import state_label_set
from lumbung.core.tenancy import region_scope

from ..models import FlagKind, Proposal, RedFlag
from ..services.flags import flags_refresh
from ..workflow import HIBAH_FLOW
from . import flag_factories as f
from .factories import GrantsWorld, pdf, proposal_at
from .test_api_hibah import Api
from .test_views_citizen import proposal_post

pytestmark = pytest.mark.django_db
RENAMED = "Telaah Berkas Sabilulungan"


def url(gw: GrantsWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": gw.region.slug, **kwargs})


def rename_submitted(gw: GrantsWorld) -> None:
    with region_scope(gw.region):
        state_label_set(
            region=gw.region,
            actor=gw.user(Role.REGION_ADMIN),
            workflow=HIBAH_FLOW.key,
            state="submitted",
            label_id=RENAMED,
            label_en="",
        )


# --- A region's names for the steps -----------------------------------------------------------


def test_a_renamed_step_shows_on_the_public_register(client: Client, gworld_a) -> None:
    # given Bandung calls the administrative check by its own name
    proposal = proposal_at(gworld_a, "submitted")
    rename_submitted(gworld_a)

    # when anyone opens the register and the proposal's page
    listed = client.get(url(gworld_a, "register")).content.decode()
    shown = client.get(url(gworld_a, "proposal", public_id=proposal.public_id)).content.decode()

    # then both say the region's name, for the current stage and in the stages' dates
    assert f'<span class="tag state-submitted">{RENAMED}</span>' in listed
    assert shown.count(f'<span class="tag state-submitted">{RENAMED}</span>') == 2


def test_a_renamed_step_shows_in_the_staff_queue_and_the_register_api(
    client: Client, gworld_a
) -> None:
    # given a proposal at the renamed step
    proposal = proposal_at(gworld_a, "submitted")
    rename_submitted(gworld_a)

    # when the officer opens the queue, and anyone reads the register through the API
    queue = login(client, gworld_a.user(Role.OFFICER)).get(url(gworld_a, "queue"))
    api = client.get(f"/api/v1/regions/{gworld_a.region.slug}/grants/register").json()

    # then the row, the count per stage and the filter say the region's name
    text = queue.content.decode()
    assert f"<td>{RENAMED}</td>" in text
    assert f'data-stage="submitted">{RENAMED}:' in text
    assert f'<option value="submitted">{RENAMED}</option>' in text
    [item] = api["items"]
    assert (item["id"], item["state_label"]) == (str(proposal.public_id), RENAMED)


def test_the_staff_api_shows_the_renamed_step_in_the_queue_and_the_proposal(
    client: Client, gworld_a
) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    rename_submitted(gworld_a)
    api = Api(client, gworld_a, gworld_a.user(Role.OFFICER))
    [row] = api.get("/proposals").json()["items"]
    one = api.get(f"/proposals/{proposal.pk}").json()
    assert (row["id"], row["state_label"]) == (proposal.pk, RENAMED)
    assert one["state_label"] == RENAMED


def test_another_region_keeps_the_workflows_name(client: Client, gworld_a, gworld_b) -> None:
    proposal_at(gworld_b, "submitted")
    rename_submitted(gworld_a)
    listed = client.get(url(gworld_b, "register")).content.decode()
    assert RENAMED not in listed
    assert str(HIBAH_FLOW.state("submitted").label) in listed


# --- The map pin on the proposal form -----------------------------------------------------------


def test_a_pinned_proposal_is_stored_and_shows_on_the_registers_map(
    client: Client, gworld_a
) -> None:
    # given the organisation's account, and the form showing the pin map
    login(client, gworld_a.applicant)
    form = client.get(url(gworld_a, "proposal-new")).content.decode()
    assert "data-pin-map" in form
    assert "complaints/complaints.js" in form

    # when they submit with a pin in Bandung
    response = client.post(
        url(gworld_a, "proposal-new"),
        proposal_post(gworld_a, latitude="-6.914744", longitude="107.609810", doc_proposal=pdf()),
    )

    # then the proposal keeps it, and the register's map data carries it
    assert response.status_code == 302
    with region_scope(gworld_a.region):
        proposal = Proposal.objects.get(region=gworld_a.region)
    assert (proposal.latitude, proposal.longitude) == (
        Decimal("-6.914744"),
        Decimal("107.609810"),
    )
    register = client.get(url(gworld_a, "register")).content.decode()
    found = re.search(
        r'<script id="grants-points" type="application/json">(.*?)</script>', register
    )
    assert found is not None
    [point] = json.loads(found.group(1))
    assert (point["lat"], point["lng"]) == (-6.914744, 107.60981)
    assert point["url"] == url(gworld_a, "proposal", public_id=proposal.public_id)


def test_a_pin_outside_indonesia_is_shown_at_the_pin_and_writes_nothing(
    client: Client, gworld_a
) -> None:
    login(client, gworld_a.applicant)
    response = client.post(
        url(gworld_a, "proposal-new"),
        proposal_post(gworld_a, latitude="48.856600", longitude="2.352200", doc_proposal=pdf()),
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert 'id="pin_error"' in text
    assert '<a href="#pin">' in text
    with region_scope(gworld_a.region):
        assert not Proposal.objects.filter(region=gworld_a.region).exists()


# --- Navigation -------------------------------------------------------------------------------


def test_the_public_proposal_page_has_the_sub_navigation(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    page = client.get(url(gworld_a, "proposal", public_id=proposal.public_id)).content.decode()
    assert 'class="subnav"' in page
    assert f'href="{url(gworld_a, "opendata")}"' in page
    assert f'href="{url(gworld_a, "suspicion-recipient")}"' in page


def staff_nav(client: Client, gw: GrantsWorld, role: Role, page: str) -> str:
    text = login(client, gw.user(role)).get(url(gw, page)).content.decode()
    found = re.search(r'<nav class="subnav module-nav".*?</nav>', text, re.S)
    assert found is not None
    return found.group(0)


def test_an_officer_sees_the_queue_but_not_the_checklists(client: Client, gworld_a) -> None:
    nav = staff_nav(client, gworld_a, Role.OFFICER, "queue")
    assert f'href="{url(gworld_a, "queue")}"' in nav
    assert f'href="{url(gworld_a, "flags")}"' in nav
    assert f'href="{url(gworld_a, "checklist")}"' not in nav
    assert f'href="{url(gworld_a, "suspicions")}"' not in nav


def test_an_auditor_sees_red_flags_and_suspicions(client: Client, gworld_a) -> None:
    nav = staff_nav(client, gworld_a, Role.AUDITOR, "flags")
    assert f'href="{url(gworld_a, "flags")}" aria-current="page"' in nav
    assert f'href="{url(gworld_a, "suspicions")}"' in nav
    assert f'href="{url(gworld_a, "checklist")}"' not in nav


def test_a_region_admin_sees_the_checklists(client: Client, gworld_a) -> None:
    nav = staff_nav(client, gworld_a, Role.REGION_ADMIN, "checklist")
    assert f'href="{url(gworld_a, "checklist")}" aria-current="page"' in nav


# --- Red-flag evidence ------------------------------------------------------------------------


def test_flag_evidence_takes_staff_to_the_staff_case_page(client: Client, gworld_a) -> None:
    # given a proposal whose considered amount rose without a justification, flagged
    region = gworld_a.region
    with region_scope(region):
        rising = f.proposal(region, state="tapd")
        f.amount_change(region, rising, "requested", 100, None)
        f.amount_change(region, rising, "considered", 120, 100)
        flags_refresh(region=region)
        flag = RedFlag.objects.get(region=region, kind=FlagKind.AMOUNT_RISE)
    auditor = login(client, gworld_a.user(Role.AUDITOR))

    # when the auditor opens the list and the flag
    listed = auditor.get(url(gworld_a, "flags")).content.decode()
    one = auditor.get(url(gworld_a, "flag", pk=flag.pk)).content.decode()

    # then the proposal links to the staff's case page, not the public register
    case = f'href="{url(gworld_a, "case", pk=rising.pk)}"'
    public = url(gworld_a, "proposal", public_id=rising.public_id)
    assert case in listed
    assert case in one
    assert public not in listed
    assert public not in one
    assert auditor.get(url(gworld_a, "case", pk=rising.pk)).status_code == 200
