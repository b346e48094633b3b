"""A cycle before its approval: the list sent back to draft (computed again, by anyone,
and then approved by someone else), or the cycle cancelled (unit heads and the region
admin; its list kept, everyone marked removed). Each needs a reason and is audited, on
the pages (Indonesian and English) and in the API; another region's cycle is a 404."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lumbung.core.errors import DomainError, NotFound, ValidationFailed
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import RegionWorld

from ..models import Cycle, Entitlement
from ..services.cycle_review import cycle_cancel, cycle_send_back
from ..services.cycles import cycle_approve, cycle_compute, cycle_create
from .bansos_factories import add_person, enable_grants
from .test_bansos_views import as_, computed, programme, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def events(action: str, cycle: Cycle) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action, object_id=str(cycle.pk)))


def statuses(cycle: Cycle) -> list[str]:
    with dangerously_unscoped():
        return sorted(Entitlement.objects.filter(cycle=cycle).values_list("status", flat=True))


def state_of(cycle: Cycle) -> str:
    with dangerously_unscoped():
        return Cycle.objects.get(pk=cycle.pk).state


def api(world: RegionWorld, path: str) -> str:
    return f"/api/v1/regions/{world.region.slug}/grants/bansos{path}"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


# Services ---------------------------------------------------------------------------------


def test_a_list_sent_back_is_computed_again_and_approved_by_someone_else(
    ga: RegionWorld,
) -> None:
    # given a list the officer computed
    cycle, _old = computed(ga)
    officer, head = ga.users[Role.OFFICER], ga.users[Role.UNIT_HEAD]
    # when the unit head sends it back with a reason
    back = cycle_send_back(region=ga.region, actor=head, cycle=cycle, note="Data desa salah")
    # then it is a draft again with its list still there, and the step is audited
    assert (back.state, back.computed_by) == ("draft", None)
    assert statuses(cycle) == ["listed", "listed"]
    [event] = events("grants.bansos_cycle.send_back", cycle)
    assert (event.reason, event.actor) == ("Data desa salah", head)
    # and when the head computes it again, the officer (not the head) approves it
    cycle_compute(region=ga.region, actor=head, cycle=back)
    with pytest.raises(DomainError) as same:
        cycle_approve(region=ga.region, actor=head, cycle=back)
    assert same.value.code == "bansos_same_person_approves"
    assert cycle_approve(region=ga.region, actor=officer, cycle=back).state == "approved"
    assert statuses(cycle) == ["listed", "listed"]


def test_cancelling_keeps_the_list_marked_removed_and_frees_the_cycle(ga: RegionWorld) -> None:
    # given a one-cycle-a-year programme whose only cycle is under review
    prog = programme(ga, code="sekali", cycles_per_year=1)
    head = ga.users[Role.UNIT_HEAD]
    add_person(ga, birth_date=dt.date(1950, 1, 1), name="Lansia")

    def new_cycle() -> Cycle:
        return cycle_create(
            region=ga.region,
            actor=head,
            programme=prog,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )

    cycle = new_cycle()
    cycle_compute(region=ga.region, actor=head, cycle=cycle)
    # when it is cancelled with a reason
    cancelled = cycle_cancel(region=ga.region, actor=head, cycle=cycle, note="Anggaran dipotong")
    # then it is closed for good, its list kept with everyone removed and the reason
    assert cancelled.state == "cancelled"
    assert statuses(cycle) == ["removed"]
    assert set(
        Entitlement.objects.filter(region=ga.region, cycle=cycle).values_list("note", flat=True)
    ) == {"Anggaran dipotong"}
    [event] = events("grants.cycle_cancel", cycle)
    assert (event.reason, event.changes) == ("Anggaran dipotong", {"removed": 1})
    # and the programme may open another cycle in its place (numbered after it)
    assert new_cycle().number == 2


def test_officers_may_not_cancel_and_reasons_are_required(ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    with pytest.raises(DomainError) as officer:
        cycle_cancel(region=ga.region, actor=ga.users[Role.OFFICER], cycle=cycle, note="x")
    assert (officer.value.code, officer.value.status) == ("action_not_allowed", 403)
    for service in (cycle_send_back, cycle_cancel):
        with pytest.raises(ValidationFailed) as blank:
            service(region=ga.region, actor=ga.users[Role.UNIT_HEAD], cycle=cycle, note=" ")
        assert set(blank.value.field_errors) == {"note"}
    assert state_of(cycle) == "computed"
    assert statuses(cycle) == ["listed", "listed"]


def test_an_approved_cycle_is_neither_sent_back_nor_cancelled(ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    head = ga.users[Role.UNIT_HEAD]
    cycle_approve(region=ga.region, actor=head, cycle=cycle)
    for service in (cycle_send_back, cycle_cancel):
        with pytest.raises(DomainError) as refused:
            service(region=ga.region, actor=head, cycle=cycle, note="Terlambat")
        assert refused.value.code == "invalid_transition"
    assert state_of(cycle) == "approved"


def test_another_regions_cycle_is_not_found(ga: RegionWorld, gb: RegionWorld) -> None:
    cycle, _old = computed(ga)
    with region_scope(gb.region):
        for service in (cycle_send_back, cycle_cancel):
            with pytest.raises(NotFound):
                service(region=gb.region, actor=gb.users[Role.REGION_ADMIN], cycle=cycle, note="x")
    assert state_of(cycle) == "computed"


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_confirmation_pages_render_in_both_languages(
    client: Client, ga: RegionWorld, language: str
) -> None:
    cycle, _old = computed(ga)
    head = as_(client, ga, Role.UNIT_HEAD)
    head.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name in ("bansos-cycle-send-back", "bansos-cycle-cancel"):
        response = head.get(url(ga, name, pk=cycle.pk))
        assert response.status_code == 200, name
        assert f'<html lang="{language}"' in response.content.decode(), name


def test_the_cycle_page_offers_each_to_who_may_take_it(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    send_back, cancel = (
        url(ga, n, pk=cycle.pk) for n in ("bansos-cycle-send-back", "bansos-cycle-cancel")
    )
    head_page = as_(client, ga, Role.UNIT_HEAD).get(url(ga, "bansos-cycle", pk=cycle.pk))
    assert send_back in head_page.content.decode()
    assert cancel in head_page.content.decode()
    officer_page = as_(client, ga, Role.OFFICER).get(url(ga, "bansos-cycle", pk=cycle.pk))
    assert send_back in officer_page.content.decode()
    assert cancel not in officer_page.content.decode()
    auditor_page = as_(client, ga, Role.AUDITOR).get(url(ga, "bansos-cycle", pk=cycle.pk))
    assert send_back not in auditor_page.content.decode()


def test_sending_back_on_the_page(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    head = as_(client, ga, Role.UNIT_HEAD)
    head.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = head.get(url(ga, "bansos-cycle-send-back", pk=cycle.pk)).content.decode()
    assert "Why is the list sent back?" in page
    blank = head.post(url(ga, "bansos-cycle-send-back", pk=cycle.pk), {"reason": ""})
    assert blank.status_code == 422
    assert 'id="id_reason_error"' in blank.content.decode()
    assert state_of(cycle) == "computed"
    done = head.post(
        url(ga, "bansos-cycle-send-back", pk=cycle.pk), {"reason": "Cek ulang"}, follow=True
    )
    assert done.redirect_chain[-1][0] == url(ga, "bansos-cycle", pk=cycle.pk)
    assert "The list was sent back to draft." in done.content.decode()
    assert state_of(cycle) == "draft"


def test_cancelling_on_the_page_and_an_officer_refused(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    officer = as_(client, ga, Role.OFFICER)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = officer.post(url(ga, "bansos-cycle-cancel", pk=cycle.pk), {"reason": "x"})
    assert refused.status_code == 403
    assert "Your role may not take this action." in refused.content.decode()
    assert state_of(cycle) == "computed"
    admin = as_(client, ga, Role.REGION_ADMIN)
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    done = admin.post(url(ga, "bansos-cycle-cancel", pk=cycle.pk), {"reason": "Batal"})
    assert done.status_code == 302
    assert state_of(cycle) == "cancelled"
    assert statuses(cycle) == ["removed", "removed"]


def test_another_regions_cycle_is_a_404_on_the_pages(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    cycle, _old = computed(gb)
    admin = as_(client, ga, Role.REGION_ADMIN)
    for name in ("bansos-cycle-send-back", "bansos-cycle-cancel"):
        assert admin.get(url(ga, name, pk=cycle.pk)).status_code == 404
        assert admin.post(url(ga, name, pk=cycle.pk), {"reason": "x"}).status_code == 404
    assert state_of(cycle) == "computed"


# API --------------------------------------------------------------------------------------


def test_the_api_sends_back_and_cancels(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    head = as_(client, ga, Role.UNIT_HEAD)
    back = post(head, api(ga, f"/cycles/{cycle.pk}/send-back"), {"note": "Cek ulang"})
    assert back.status_code == 200
    assert (back.json()["state"], back.json()["listed"]) == ("draft", 2)
    cancelled = post(head, api(ga, f"/cycles/{cycle.pk}/cancel"), {"note": "Batal"})
    assert cancelled.status_code == 200
    assert (cancelled.json()["state"], cancelled.json()["removed"]) == ("cancelled", 2)
    assert [e.reason for e in events("grants.cycle_cancel", cycle)] == ["Batal"]


def test_the_api_refuses_with_problem_details(client: Client, ga: RegionWorld) -> None:
    cycle, _old = computed(ga)
    officer = as_(client, ga, Role.OFFICER)
    blank = post(officer, api(ga, f"/cycles/{cycle.pk}/send-back"), {"note": ""})
    assert (blank.status_code, problem_of(blank)["code"]) == (422, "validation_error")
    assert "note" in problem_of(blank)["errors"]
    missing = post(officer, api(ga, f"/cycles/{cycle.pk}/send-back"), {})
    assert missing.status_code == 422
    denied = post(officer, api(ga, f"/cycles/{cycle.pk}/cancel"), {"note": "x"})
    assert (denied.status_code, problem_of(denied)["code"]) == (403, "action_not_allowed")
    assert state_of(cycle) == "computed"


def test_the_api_answers_404_for_another_regions_cycle(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    cycle, _old = computed(gb)
    admin = as_(client, ga, Role.REGION_ADMIN)
    for action in ("send-back", "cancel"):
        response = post(admin, api(ga, f"/cycles/{cycle.pk}/{action}"), {"note": "x"})
        assert (response.status_code, problem_of(response)["code"]) == (404, "not_found")
    assert state_of(cycle) == "computed"
