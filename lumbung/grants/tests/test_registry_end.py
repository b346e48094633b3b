"""The end of a registry entry: a person no list ever named may be deleted; one who was on
a list is retired instead (kept, left out of new lists) and may be brought back. Each is
audited with its reason, on the pages (Indonesian and English) and in the API, and
another region's person is a 404 everywhere."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from lumbung.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import RegionWorld

from ..models import Entitlement, Person
from ..selectors_bansos import person_search
from ..services.cycles import cycle_compute, cycle_create
from ..services.registry import person_delete, person_reactivate, person_retire
from .bansos_factories import add_person, enable_grants
from .test_bansos_views import as_, computed, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def events(action: str, person: Person) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action, object_id=str(person.pk)))


def exists(person: Person) -> bool:
    with dangerously_unscoped():
        return Person.objects.filter(pk=person.pk).exists()


def api(world: RegionWorld, path: str) -> str:
    return f"/api/v1/regions/{world.region.slug}/grants/bansos{path}"


def send(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


# Services ---------------------------------------------------------------------------------


def test_a_person_never_listed_is_deleted_with_the_reason_audited(ga: RegionWorld) -> None:
    # given a person no cycle ever listed
    person = add_person(ga, name="Salah Input")
    # when an officer deletes them with a reason
    person_delete(
        region=ga.region, actor=ga.users[Role.OFFICER], person=person, reason="Input ganda"
    )
    # then they are gone, and the audit log keeps who, why and the NIK masked
    assert not exists(person)
    [event] = events("grants.person_delete", person)
    assert event.reason == "Input ganda"
    assert event.actor == ga.users[Role.OFFICER]
    assert person.nik not in json.dumps(event.changes)
    assert person.nik[-4:] in json.dumps(event.changes)


def test_a_person_who_was_on_a_list_cannot_be_deleted(ga: RegionWorld) -> None:
    # given a person on a computed list (removed from it at review, even)
    _cycle, old = computed(ga)
    Entitlement.objects.filter(region=ga.region, person=old[0]).update(status="removed")
    # when someone tries to delete them
    with pytest.raises(DomainError) as refused:
        person_delete(region=ga.region, actor=ga.users[Role.OFFICER], person=old[0], reason="x")
    # then the rule is named and nothing is written
    assert refused.value.code == "bansos_person_has_history"
    assert refused.value.status == 409
    assert exists(old[0])
    assert events("grants.person_delete", old[0]) == []


def test_a_reason_is_required_and_nothing_is_written_without_it(ga: RegionWorld) -> None:
    person = add_person(ga)
    for service in (person_delete, person_retire):
        with pytest.raises(ValidationFailed) as refused:
            service(region=ga.region, actor=ga.users[Role.OFFICER], person=person, reason="  ")
        assert set(refused.value.field_errors) == {"reason"}
    person.refresh_from_db()
    assert exists(person)
    assert person.retired_at is None


def test_a_retired_person_is_left_out_of_new_lists_and_kept(ga: RegionWorld) -> None:
    # given two elderly people on a list, one of them retired afterwards
    cycle, old = computed(ga)
    officer = ga.users[Role.OFFICER]
    retired = person_retire(region=ga.region, actor=officer, person=old[0], reason="Meninggal")
    # when the programme's next cycle is computed
    second = cycle_create(
        region=ga.region,
        actor=officer,
        programme=cycle.programme,
        period_start=dt.date(2026, 4, 1),
        period_end=dt.date(2026, 6, 30),
    )
    listed = cycle_compute(region=ga.region, actor=officer, cycle=second)
    # then only the active one is on it; the first list still names both
    assert listed == 1
    assert Entitlement.objects.get(region=ga.region, cycle=second).person_id == old[1].pk
    assert Entitlement.objects.filter(region=ga.region, cycle=cycle).count() == 2
    assert (retired.retired_reason, retired.retired_by) == ("Meninggal", officer)
    assert [e.reason for e in events("grants.person_retire", old[0])] == ["Meninggal"]
    # and the registry's filters tell them apart
    assert list(person_search(ga.region, status="retired")) == [retired]
    assert retired not in list(person_search(ga.region, status="active"))


def test_retiring_twice_or_bringing_back_an_active_person_is_refused(ga: RegionWorld) -> None:
    person = add_person(ga)
    officer = ga.users[Role.OFFICER]
    with pytest.raises(DomainError) as not_retired:
        person_reactivate(region=ga.region, actor=officer, person=person, reason="x")
    assert not_retired.value.code == "bansos_person_not_retired"
    person_retire(region=ga.region, actor=officer, person=person, reason="Pindah")
    with pytest.raises(DomainError) as twice:
        person_retire(region=ga.region, actor=officer, person=person, reason="Pindah")
    assert twice.value.code == "bansos_person_retired"
    back = person_reactivate(region=ga.region, actor=officer, person=person, reason="Kembali")
    assert (back.retired_at, back.retired_reason, back.retired_by) == (None, "", None)
    assert [e.reason for e in events("grants.person_reactivate", person)] == ["Kembali"]


def test_only_registry_staff_and_only_their_region(ga: RegionWorld, gb: RegionWorld) -> None:
    person = add_person(ga)
    with pytest.raises(PermissionDenied):
        person_retire(region=ga.region, actor=ga.users[Role.AUDITOR], person=person, reason="x")
    with region_scope(gb.region), pytest.raises(NotFound):
        person_delete(region=gb.region, actor=gb.users[Role.OFFICER], person=person, reason="x")
    assert exists(person)


# Pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_confirmation_pages_render_in_both_languages(
    client: Client, ga: RegionWorld, language: str
) -> None:
    person = add_person(ga)
    officer = as_(client, ga, Role.OFFICER)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name in ("bansos-person-delete", "bansos-person-retire", "bansos-person"):
        response = officer.get(url(ga, name, pk=person.pk))
        assert response.status_code == 200, name
        assert f'<html lang="{language}"' in response.content.decode(), name
    assert response["Cache-Control"].startswith("no-store")


def test_deleting_on_the_page_confirms_then_deletes(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga, name="Salah Input")
    officer = as_(client, ga, Role.OFFICER)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # the person's page offers deleting (never on a list), the confirmation page asks why
    assert (
        url(ga, "bansos-person-delete", pk=person.pk)
        in officer.get(url(ga, "bansos-person", pk=person.pk)).content.decode()
    )
    page = officer.get(url(ga, "bansos-person-delete", pk=person.pk)).content.decode()
    assert "Why is this entry deleted?" in page
    # without a reason: the field says so and nothing is deleted
    empty = officer.post(url(ga, "bansos-person-delete", pk=person.pk), {"reason": ""})
    assert empty.status_code == 422
    assert 'id="id_reason_error"' in empty.content.decode()
    assert exists(person)
    # with one: gone, back to the registry with the message
    done = officer.post(
        url(ga, "bansos-person-delete", pk=person.pk), {"reason": "Input ganda"}, follow=True
    )
    assert done.redirect_chain[-1][0] == url(ga, "bansos-persons")
    assert "The person was deleted from the registry." in done.content.decode()
    assert not exists(person)


def test_a_person_with_history_is_offered_retiring_not_deleting(
    client: Client, ga: RegionWorld
) -> None:
    _cycle, old = computed(ga)
    officer = as_(client, ga, Role.OFFICER)
    with translation.override("en"):
        officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = officer.get(url(ga, "bansos-person", pk=old[0].pk)).content.decode()
        assert url(ga, "bansos-person-delete", pk=old[0].pk) not in page
        assert "they can be retired but not deleted" in page
        # a delete posted anyway is refused with the rule named, and nothing is deleted
        refused = officer.post(url(ga, "bansos-person-delete", pk=old[0].pk), {"reason": "x"})
        assert refused.status_code == 409
        assert "retire them instead of deleting" in refused.content.decode()
    assert exists(old[0])


def test_retiring_and_bringing_back_on_the_pages(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga, name="Pindah Alamat")
    officer = as_(client, ga, Role.OFFICER)
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    done = officer.post(
        url(ga, "bansos-person-retire", pk=person.pk), {"reason": "Pindah ke Cimahi"}, follow=True
    )
    page = done.content.decode()
    assert "The person was retired." in page
    assert "Pindah ke Cimahi" in page
    assert "data-retired" in page
    listed = officer.get(url(ga, "bansos-persons"), {"status": "retired"}).content.decode()
    assert "Pindah Alamat" in listed
    assert 'data-status="retired"' in listed
    assert (
        "Pindah Alamat"
        not in officer.get(url(ga, "bansos-persons"), {"status": "active"}).content.decode()
    )
    back = officer.post(
        url(ga, "bansos-person-reactivate", pk=person.pk), {"reason": "Kembali"}, follow=True
    )
    assert "The person is active again." in back.content.decode()
    person.refresh_from_db()
    assert person.retired_at is None


def test_another_regions_person_is_a_404_on_every_page(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    theirs = add_person(gb)
    officer = as_(client, ga, Role.OFFICER)
    for name in ("bansos-person-delete", "bansos-person-retire", "bansos-person-reactivate"):
        assert officer.get(url(ga, name, pk=theirs.pk)).status_code == 404
        assert officer.post(url(ga, name, pk=theirs.pk), {"reason": "x"}).status_code == 404
    assert exists(theirs)
    with region_scope(gb.region):
        theirs.refresh_from_db()
    assert theirs.retired_at is None


def test_auditors_cannot_open_the_pages(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    assert auditor.get(url(ga, "bansos-person-retire", pk=person.pk)).status_code == 403


# API --------------------------------------------------------------------------------------


def test_the_api_retires_brings_back_and_deletes(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga)
    officer = as_(client, ga, Role.OFFICER)
    retired = send(officer, "post", api(ga, f"/persons/{person.pk}/retire"), {"reason": "Pindah"})
    assert retired.status_code == 200
    assert retired.json()["retired_reason"] == "Pindah"
    assert retired.json()["retired_at"]
    listed = officer.get(api(ga, "/persons")).json()["items"]
    assert [p["retired_reason"] for p in listed] == ["Pindah"]
    back = send(officer, "post", api(ga, f"/persons/{person.pk}/reactivate"), {"reason": "Balik"})
    assert back.status_code == 200
    assert back.json()["retired_at"] is None
    gone = send(officer, "delete", api(ga, f"/persons/{person.pk}"), {"reason": "Salah input"})
    assert gone.status_code == 204
    assert not exists(person)
    assert [e.reason for e in events("grants.person_delete", person)] == ["Salah input"]


def test_the_api_names_the_rule_when_deleting_is_refused(client: Client, ga: RegionWorld) -> None:
    _cycle, old = computed(ga)
    officer = as_(client, ga, Role.OFFICER)
    with translation.override("en"):
        officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        refused = send(officer, "delete", api(ga, f"/persons/{old[0].pk}"), {"reason": "x"})
    problem = problem_of(refused)
    assert (refused.status_code, problem["code"]) == (409, "bansos_person_has_history")
    assert "retire" in problem["detail"]
    blank = send(officer, "post", api(ga, f"/persons/{old[0].pk}/retire"), {"reason": ""})
    assert (blank.status_code, problem_of(blank)["code"]) == (422, "validation_error")
    assert "reason" in problem_of(blank)["errors"]
    twice = send(officer, "post", api(ga, f"/persons/{old[0].pk}/reactivate"), {"reason": "x"})
    assert (twice.status_code, problem_of(twice)["code"]) == (409, "bansos_person_not_retired")
    assert exists(old[0])


def test_the_api_answers_404_for_another_regions_person(
    client: Client, ga: RegionWorld, gb: RegionWorld
) -> None:
    theirs = add_person(gb)
    officer = as_(client, ga, Role.OFFICER)
    for method, path in (
        ("delete", f"/persons/{theirs.pk}"),
        ("post", f"/persons/{theirs.pk}/retire"),
        ("post", f"/persons/{theirs.pk}/reactivate"),
    ):
        response = send(officer, method, api(ga, path), {"reason": "x"})
        assert (response.status_code, problem_of(response)["code"]) == (404, "not_found"), path
    assert exists(theirs)


def test_the_api_is_for_registry_staff(client: Client, ga: RegionWorld) -> None:
    person = add_person(ga)
    auditor = as_(client, ga, Role.AUDITOR)
    response = send(auditor, "post", api(ga, f"/persons/{person.pk}/retire"), {"reason": "x"})
    assert response.status_code == 403
