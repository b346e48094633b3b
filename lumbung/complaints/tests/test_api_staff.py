"""The complaints API, staff and region admin side: the queue with its deadlines, the
audited contact read, workflow transitions with the engine's error codes, answers, routing,
assignment, and categories, templates and Open311 clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import login
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import AnswerTemplate, Category, Complaint, Open311Client
from ..services import client_authenticate
from .factories import file_report

pytestmark = pytest.mark.django_db


def base(world) -> str:
    return f"/api/v1/regions/{world.region.slug}/complaints"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def as_role(client, world, role: Role):
    return login(client, world.users[role])


def test_the_queue_is_for_staff_and_shows_how_late_each_report_is(client, cworld_a):
    late = file_report(cworld_a.region).complaint
    on_time = file_report(cworld_a.region).complaint
    with region_scope(cworld_a.region):
        past = timezone.now() - dt.timedelta(hours=5)
        Complaint.objects.filter(region=cworld_a.region, pk=late.pk).update(due_at=past)
    url = f"{base(cworld_a)}/queue"

    assert problem_of(client.get(url))["code"] == "unauthenticated"
    citizen = as_role(client, cworld_a, Role.CITIZEN).get(url)
    assert citizen.status_code == 403
    rows = as_role(client, cworld_a, Role.OFFICER).get(url).json()

    assert rows["count"] == 2
    first, second = rows["items"]
    assert (first["ticket"], second["ticket"]) == (late.ticket, on_time.ticket)
    assert first["overdue"] is True
    assert first["due_in_seconds"] < 0
    assert second["overdue"] is False
    assert second["due_in_seconds"] > 0
    overdue = client.get(url, {"overdue": "true"}).json()
    assert [r["ticket"] for r in overdue["items"]] == [late.ticket]


def test_reading_the_contact_is_audited(client, cworld_a):
    complaint = file_report(
        cworld_a.region, contact_name="Siti", contact_phone="081234567890"
    ).complaint
    url = f"{base(cworld_a)}/reports/{complaint.ticket}/contact"

    assert as_role(client, cworld_a, Role.CITIZEN).get(url).status_code == 403
    response = as_role(client, cworld_a, Role.OFFICER).get(url, {"purpose": "call back"})

    assert response.json()["contact_name"] == "Siti"
    assert response.json()["contact_phone"].endswith("81234567890")
    with region_scope(cworld_a.region):
        event = AuditEvent.objects.get(region=cworld_a.region, action="pdp.read")
    assert event.object_id == str(complaint.pk)
    assert event.actor_id == cworld_a.users[Role.OFFICER].pk
    assert event.reason == "call back"


def test_transitions_move_the_report_and_refuse_with_the_engines_codes(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    url = f"{base(cworld_a)}/reports/{complaint.ticket}/transitions"
    as_role(client, cworld_a, Role.OFFICER)

    wrong_state = post(client, url, {"action": "resolve", "note": "Selesai"})
    assert wrong_state.status_code == 409
    assert problem_of(wrong_state)["code"] == "invalid_transition"
    no_note = post(client, url, {"action": "reject"})
    assert no_note.status_code == 422
    assert problem_of(no_note)["code"] == "note_required"
    verified = post(client, url, {"action": "verify", "expected_version": complaint.version})
    assert verified.status_code == 200, verified.content
    assert verified.json()["state"] == "in_progress"
    assert verified.json()["staff"]["version"] == complaint.version + 1
    stale = post(client, url, {"action": "resolve", "note": "x", "expected_version": 0})
    assert stale.status_code == 409
    assert problem_of(stale)["code"] == "concurrent_update"
    unknown = post(client, url, {"action": "auto_close"})
    assert unknown.status_code == 422
    assert "action" in problem_of(unknown)["errors"]
    auditor = post(as_role(client, cworld_a, Role.AUDITOR), url, {"action": "resolve", "note": "x"})
    assert auditor.status_code == 403
    assert problem_of(auditor)["code"] == "permission_denied"


def test_marking_a_duplicate_names_the_original(client, cworld_a):
    original = file_report(cworld_a.region).complaint
    copy = file_report(cworld_a.region).complaint
    url = f"{base(cworld_a)}/reports/{copy.ticket}/transitions"
    as_role(client, cworld_a, Role.OFFICER)

    unnamed = post(client, url, {"action": "mark_duplicate"})
    assert unnamed.status_code == 422
    assert "original" in problem_of(unnamed)["errors"]
    marked = post(client, url, {"action": "mark_duplicate", "original": original.ticket})

    assert marked.json()["state"] == "duplicate"
    assert marked.json()["duplicate_of"] == original.ticket


def test_answers_and_notes(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    url = f"{base(cworld_a)}/reports/{complaint.ticket}/answers"

    citizen = post(as_role(client, cworld_a, Role.CITIZEN), url, {"body": "Halo"})
    assert citizen.status_code == 403
    as_role(client, cworld_a, Role.OFFICER)
    answer = post(client, url, {"body": "Akan diperbaiki minggu ini"})
    note = post(client, url, {"body": "Anggaran belum turun", "public": False})
    empty = post(client, url, {"body": ""})

    assert answer.status_code == 201
    assert answer.json()["kind"] == "answer"
    assert note.json()["kind"] == "note"
    assert note.json()["is_public"] is False
    assert empty.status_code == 422
    assert "body" in problem_of(empty)["errors"]
    with region_scope(cworld_a.region):
        assert AuditEvent.objects.filter(region=cworld_a.region, action="complaints.answer")
        assert Complaint.objects.get(pk=complaint.pk).first_response_at is not None


def test_routing_and_assignment(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    url = f"{base(cworld_a)}/reports/{complaint.ticket}"
    officer = cworld_a.users[Role.OFFICER]
    as_role(client, cworld_a, Role.OFFICER)

    routed = post(client, f"{url}/route", {"unit_id": cworld_a.other_unit.pk, "note": "DINSOS"})
    assert routed.json()["unit"]["id"] == cworld_a.other_unit.pk
    nowhere = post(client, f"{url}/route", {"unit_id": 999_999})
    assert nowhere.status_code == 422
    assert "unit" in problem_of(nowhere)["errors"]
    refused = post(client, f"{url}/assign", {"assignee_id": officer.pk})
    assert refused.status_code == 403  # officers take reports; heads hand them out

    as_role(client, cworld_a, Role.UNIT_HEAD)
    assigned = post(client, f"{url}/assign", {"assignee_id": officer.pk})
    assert assigned.json()["staff"]["assignee"]["id"] == officer.pk
    stranger = post(client, f"{url}/assign", {"assignee_id": cworld_a.users[Role.CITIZEN].pk})
    assert "assignee" in problem_of(stranger)["errors"]
    back = post(client, f"{url}/assign", {"assignee_id": None})
    assert back.json()["staff"]["assignee"] is None


def test_the_region_admin_keeps_the_categories(client, cworld_a):
    url = f"{base(cworld_a)}/categories"
    new = {"code": "trotoar", "name_id": "Trotoar rusak", "name_en": "Broken pavement"}
    assert post(as_role(client, cworld_a, Role.OFFICER), url, new).status_code == 403
    as_role(client, cworld_a, Role.REGION_ADMIN)

    created = post(
        client,
        url,
        {
            **new,
            "sla_class": "c14",
            "default_unit_id": cworld_a.unit.pk,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["default_unit_id"] == cworld_a.unit.pk
    taken = post(client, url, {"code": "trotoar", "name_id": "x", "name_en": "x"})
    assert "code" in problem_of(taken)["errors"]
    bad_code = post(client, url, {"code": "Not A Code", "name_id": "x", "name_en": "x"})
    assert "code" in problem_of(bad_code)["errors"]

    changed = client.patch(
        f"{url}/trotoar",
        {"is_active": False, "default_unit_id": None},
        content_type="application/json",
    )
    assert changed.json()["is_active"] is False
    assert changed.json()["default_unit_id"] is None
    assert "trotoar" not in [c["code"] for c in client.get(url).json()]
    everything = client.get(url, {"include_inactive": "true"}).json()
    assert "trotoar" in [c["code"] for c in everything]
    missing = client.patch(f"{url}/no-such", {}, content_type="application/json")
    assert missing.status_code == 404
    with region_scope(cworld_a.region):
        assert Category.objects.filter(region=cworld_a.region, code="trotoar").count() == 1


def test_answer_templates(client, cworld_a):
    url = f"{base(cworld_a)}/templates"
    as_role(client, cworld_a, Role.REGION_ADMIN)

    created = post(
        client, url, {"title": "Sudah diperbaiki", "body": "Terima kasih.", "category": "sampah"}
    )
    assert created.status_code == 201, created.content
    assert created.json()["category"] == "sampah"
    unknown = post(client, url, {"title": "x", "body": "y", "category": "no-such"})
    assert "category" in problem_of(unknown)["errors"]
    template_id = created.json()["id"]
    changed = client.patch(
        f"{url}/{template_id}",
        {"is_active": False, "category": None},
        content_type="application/json",
    )
    assert changed.json()["is_active"] is False
    assert changed.json()["category"] is None
    assert changed.json()["title"] == "Sudah diperbaiki"

    officer = as_role(client, cworld_a, Role.OFFICER)
    assert officer.get(url).json() == []
    assert officer.get(url, {"include_inactive": "true"}).status_code == 403
    with region_scope(cworld_a.region):
        assert AnswerTemplate.objects.filter(region=cworld_a.region).count() == 1


def test_open311_clients_get_their_key_once_and_can_be_revoked(client, cworld_a):
    url = f"{base(cworld_a)}/open311-clients"
    assert as_role(client, cworld_a, Role.OFFICER).get(url).status_code == 403
    as_role(client, cworld_a, Role.REGION_ADMIN)

    issued = post(client, url, {"name": "Aplikasi Warga", "contact_email": "dev@example.test"})
    assert issued.status_code == 201
    key = issued.json()["api_key"]
    listed = client.get(url).json()
    assert [c["name"] for c in listed] == ["Aplikasi Warga"]
    assert key not in str(listed)
    bad_email = post(client, url, {"name": "x", "contact_email": "nope"})
    assert "contact_email" in problem_of(bad_email)["errors"]

    revoked = client.delete(f"{url}/{issued.json()['id']}")

    assert revoked.status_code == 204
    with region_scope(cworld_a.region):
        assert client_authenticate(cworld_a.region, key) is None
        assert Open311Client.objects.get(pk=issued.json()["id"]).revoked_at is not None
