"""The staff pages: the work queue per unit with its deadlines, and the case page with its
actions (a refusal shows the error in its status and writes nothing). Contact details,
access and region administration are in test_views_backoffice_access.py."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from lumbung.core.models import AuditEvent, Region, Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Complaint, ComplaintPhoto, ComplaintUpdate, UpdateKind
from ..services import report_transition, template_save
from ..views.backoffice_due import WorkingDays, _label
from .factories import file_report, png, reload

pytestmark = pytest.mark.django_db


def page(name: str, world: RegionWorld, ticket: str | None = None) -> str:
    kwargs = {"region_slug": world.region.slug}
    if ticket:
        kwargs["ticket"] = ticket
    return reverse(f"core:complaints:{name}", kwargs=kwargs)


def events(region: Region, action: str) -> list[AuditEvent]:
    with region_scope(region):
        return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# The queue ------------------------------------------------------------------------------------


def test_officer_sees_own_units_reports_and_unrouted_ones_admin_sees_all(client, cworld_a):
    # given a report for the officer's unit, one not routed yet and one for another unit
    region = cworld_a.region
    own = file_report(region).complaint
    unrouted = file_report(region, category="sampah").complaint
    other = file_report(region, category="bansos").complaint
    assert (own.unit, unrouted.unit, other.unit) == (cworld_a.unit, None, cworld_a.other_unit)

    # when the officer and then the region admin open the queue
    officer_page = login(client, cworld_a.users[Role.OFFICER]).get(page("queue", cworld_a))
    admin_page = login(client, cworld_a.users[Role.REGION_ADMIN]).get(page("queue", cworld_a))

    # then the officer sees their unit's and the unrouted one; the admin sees all three
    assert officer_page.status_code == 200
    shown = {c.ticket for c in officer_page.context["page"]}
    assert shown == {own.ticket, unrouted.ticket}
    assert other.ticket not in officer_page.content.decode()
    assert {c.ticket for c in admin_page.context["page"]} == {
        own.ticket,
        unrouted.ticket,
        other.ticket,
    }
    assert admin_page.context["unrouted_count"] == 1


def test_overdue_filter_and_due_labels(client, cworld_a):
    # given two open reports, one past its deadline
    region = cworld_a.region
    late = file_report(region).complaint
    fresh = file_report(region).complaint
    with region_scope(region):
        Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=9))
    officer = login(client, cworld_a.users[Role.OFFICER])

    # when the officer opens the whole queue and then the overdue ones
    everything = officer.get(page("queue", cworld_a))
    overdue = officer.get(page("queue", cworld_a), {"overdue": "on"})

    # then the late one comes first, marked overdue, and the filter keeps only it
    rows = list(everything.context["page"])
    assert [r.ticket for r in rows] == [late.ticket, fresh.ticket]
    assert rows[0].due.overdue
    assert not rows[1].due.overdue
    assert everything.context["overdue_count"] == 1
    assert 'class="due due-late"' in everything.content.decode()
    assert [r.ticket for r in overdue.context["page"]] == [late.ticket]


def test_due_labels_count_working_days_and_hours(region_a):
    # given Kota Bandung's calendar over a week without holidays (2-9 February 2026)
    wib = ZoneInfo("Asia/Jakarta")
    monday = dt.datetime(2026, 2, 2, 10, 0, tzinfo=wib)
    with region_scope(region_a):
        days = WorkingDays(region_a, dt.date(2026, 2, 1), dt.date(2026, 2, 12))

    # when deadlines a week ahead, a week behind and three hours ahead are labelled
    ahead = _label(days, dt.datetime(2026, 2, 9, 23, 59, tzinfo=wib), monday)
    behind = _label(days, monday, dt.datetime(2026, 2, 9, 12, 0, tzinfo=wib))
    soon = _label(days, monday + dt.timedelta(hours=3), monday)

    # then a week is five working days (the weekend does not count) and a short span hours
    assert (ahead.overdue, "5" in ahead.text) == (False, True)
    assert (behind.overdue, "5" in behind.text) == (True, True)
    assert (soon.overdue, "3" in soon.text) == (False, True)


# The case page and its actions -------------------------------------------------------------


def test_verify_then_resolve_through_the_page(client, cworld_a):
    # given a new report and its officer
    region = cworld_a.region
    complaint = file_report(region).complaint
    officer = login(client, cworld_a.users[Role.OFFICER])
    detail = officer.get(page("staff-detail", cworld_a, complaint.ticket))
    assert [a.key for a, _form in detail.context["actions"]] == ["verify", "reject"]

    # when they verify it
    verified = officer.post(
        page("staff-act", cworld_a, complaint.ticket),
        {"action": "verify", "expected_version": complaint.version},
    )

    # then the page sends them back to the case, now in progress
    assert verified.status_code == 302
    complaint = reload(complaint)
    assert complaint.state == "in_progress"

    # when they resolve it without the required note
    refused = officer.post(
        page("staff-act", cworld_a, complaint.ticket),
        {"action": "resolve", "expected_version": complaint.version},
    )

    # then the page answers 422 with the error on the note, and nothing changed
    assert refused.status_code == 422
    failed = dict((a.key, f) for a, f in refused.context["actions"])["resolve"]
    assert "note" in failed.errors
    assert reload(complaint).state == "in_progress"
    with region_scope(region):
        assert not Transition.objects.filter(action="resolve").exists()

    # when they resolve it with a note and a photo of the work done
    resolved = officer.post(
        page("staff-act", cworld_a, complaint.ticket),
        {
            "action": "resolve",
            "expected_version": complaint.version,
            "note": "Sudah ditambal.",
            "photos": [png("after.png")],
        },
    )

    # then it is resolved, with the photo kept as an "after" photo
    assert resolved.status_code == 302
    assert reload(complaint).state == "resolved"
    with region_scope(region):
        assert ComplaintPhoto.objects.filter(complaint=complaint, kind="after").count() == 1


def test_a_stale_form_is_a_conflict_and_changes_nothing(client, cworld_a):
    # given a report someone verified after the officer's page was loaded
    complaint = file_report(cworld_a.region).complaint
    stale = complaint.version
    with region_scope(cworld_a.region):
        report_transition(
            region=cworld_a.region,
            actor=cworld_a.users[Role.UNIT_HEAD],
            complaint=complaint,
            action="verify",
        )

    # when the officer rejects it from the old page
    response = login(client, cworld_a.users[Role.OFFICER]).post(
        page("staff-act", cworld_a, complaint.ticket),
        {"action": "reject", "expected_version": stale, "note": "Spam"},
    )

    # then it is a 409 shown on the page, and the report stays in progress
    assert response.status_code == 409
    assert response.context["error"]
    assert reload(complaint).state == "in_progress"


def test_mark_duplicate_through_the_page_merges_supporters(client, cworld_a):
    # given an original report and a second report of the same hole by a citizen
    region = cworld_a.region
    original = file_report(region).complaint
    second = file_report(region, actor=cworld_a.users[Role.CITIZEN]).complaint
    officer = login(client, cworld_a.users[Role.OFFICER])

    # when the officer names a ticket that does not exist
    refused = officer.post(
        page("staff-duplicate", cworld_a, second.ticket),
        {"original": "LAKSA-0000", "expected_version": second.version},
    )

    # then it is a 422 on the field and nothing changes
    assert refused.status_code == 422
    assert "original" in refused.context["duplicate_form"].errors
    assert reload(second).state == "submitted"

    # when they name the original
    merged = officer.post(
        page("staff-duplicate", cworld_a, second.ticket),
        {"original": original.ticket, "expected_version": second.version},
    )

    # then the second is a duplicate of it and its reporter supports the original
    assert merged.status_code == 302
    second = reload(second)
    assert (second.state, second.duplicate_of_id) == ("duplicate", original.pk)
    assert reload(original).supporters_count == 1
    assert events(region, "complaints.merge")


def test_answer_from_a_template_and_an_internal_note(client, cworld_a):
    # given a public report and an answer template of the region
    region = cworld_a.region
    complaint = file_report(region, is_public=True).complaint
    with region_scope(region):
        template = template_save(
            region=region,
            actor=None,
            data={"title": "Diterima", "body": "Laporan diterima, tim kami meninjau lokasi."},
        )
    officer = login(client, cworld_a.users[Role.OFFICER])
    detail = officer.get(page("staff-detail", cworld_a, complaint.ticket))
    assert f'data-body="{template.body}"' in detail.content.decode()

    # when the officer sends the template (text left empty) and then an internal note
    answered = officer.post(
        page("staff-answer", cworld_a, complaint.ticket),
        {"template": template.pk, "body": "", "public": "1", "photo_kind": "before"},
    )
    noted = officer.post(
        page("staff-answer", cworld_a, complaint.ticket),
        {"body": "catatan-internal-petugas", "public": "0"},
    )

    # then the answer carries the template's text and counts as the first response
    assert (answered.status_code, noted.status_code) == (302, 302)
    with region_scope(region):
        answer = ComplaintUpdate.objects.get(complaint=complaint, kind=UpdateKind.ANSWER)
        note = ComplaintUpdate.objects.get(complaint=complaint, kind=UpdateKind.NOTE)
    assert answer.body == template.body
    assert answer.is_public
    assert not note.is_public
    assert reload(complaint).first_response_at is not None

    # and the public tracking page shows the answer but never the note
    public = Client().get(page("track", cworld_a, complaint.ticket))
    assert public.status_code == 200
    assert template.body in public.content.decode()
    assert "catatan-internal-petugas" not in public.content.decode()
    staff = officer.get(page("staff-detail", cworld_a, complaint.ticket))
    assert "catatan-internal-petugas" in staff.content.decode()


def test_an_empty_answer_is_refused_with_422(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    response = login(client, cworld_a.users[Role.OFFICER]).post(
        page("staff-answer", cworld_a, complaint.ticket), {"body": "  ", "public": "1"}
    )
    assert response.status_code == 422
    assert "body" in response.context["answer_form"].errors
    with region_scope(cworld_a.region):
        assert not ComplaintUpdate.objects.filter(kind=UpdateKind.ANSWER).exists()


def test_route_to_another_unit_and_assign(client, cworld_a):
    # given a report of the officer's unit
    region = cworld_a.region
    complaint = file_report(region).complaint

    # when the officer routes it to the other unit, and tries to assign it
    officer = login(client, cworld_a.users[Role.OFFICER])
    routed = officer.post(
        page("staff-route", cworld_a, complaint.ticket),
        {"unit": cworld_a.other_unit.pk, "note": "Wewenang Dinsos"},
    )
    refused = officer.post(
        page("staff-assign", cworld_a, complaint.ticket),
        {"assignee": cworld_a.users[Role.OFFICER].pk},
    )

    # then it moves to that unit with an internal routing entry; assigning is not theirs
    assert routed.status_code == 302
    assert reload(complaint).unit == cworld_a.other_unit
    with region_scope(region):
        routing = ComplaintUpdate.objects.get(complaint=complaint, kind=UpdateKind.ROUTING)
    assert not routing.is_public
    assert refused.status_code == 403

    # when the unit head assigns it to the officer
    head = login(client, cworld_a.users[Role.UNIT_HEAD])
    assigned = head.post(
        page("staff-assign", cworld_a, complaint.ticket),
        {"assignee": cworld_a.users[Role.OFFICER].pk},
    )

    # then the officer has it
    assert assigned.status_code == 302
    assert reload(complaint).assignee == cworld_a.users[Role.OFFICER]


def test_route_to_another_regions_unit_is_refused(client, cworld_a, cworld_b):
    complaint = file_report(cworld_a.region).complaint
    response = login(client, cworld_a.users[Role.OFFICER]).post(
        page("staff-route", cworld_a, complaint.ticket), {"unit": cworld_b.other_unit.pk}
    )
    assert response.status_code == 422
    assert "unit" in response.context["route_form"].errors
    assert reload(complaint).unit == cworld_a.unit


# Language ---------------------------------------------------------------------------------------


def test_pages_are_english_with_the_language_cookie(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    officer = login(client, cworld_a.users[Role.OFFICER])

    indonesian = officer.get(page("staff-detail", cworld_a, complaint.ticket)).content.decode()
    client.cookies["django_language"] = "en"
    english = officer.get(page("staff-detail", cworld_a, complaint.ticket)).content.decode()

    assert '<html lang="id"' in indonesian
    assert "Jalan rusak atau berlubang" in indonesian
    assert '<html lang="en"' in english
    assert "Damaged road or pothole" in english
