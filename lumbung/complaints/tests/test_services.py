"""The complaints services: filing, the workflow with its milestones, duplicates,
answers, routing, the reporter's reply, and the rules that refuse bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import AuditEvent, NumberSeries, Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import ComplaintError
from ..models import Complaint, ComplaintPhoto, ComplaintUpdate, Supporter
from ..services import (
    report_answer,
    report_assign,
    report_confirm,
    report_dispute,
    report_mark_duplicate,
    report_route,
    report_support,
    report_transition,
    reports_auto_close,
)
from .factories import NEAR_BANDUNG, file_report, png, reload

pytestmark = pytest.mark.django_db


def test_filing_gives_a_ticket_a_deadline_and_an_audit_event(
    cworld_a, django_capture_on_commit_callbacks
):
    region = cworld_a.region
    with django_capture_on_commit_callbacks(execute=True):
        filed = file_report(region, contact_email="warga@example.test")
    c = filed.complaint
    year = timezone.localtime(c.created_at).year
    assert c.ticket == f"LAKSA-3273-{year}-000001"
    assert c.state == "submitted"
    assert c.due_at is not None
    assert c.unit == cworld_a.unit  # the category's default unit
    assert c.sla_class == "c14"
    second = file_report(region).complaint
    assert second.ticket.endswith("-000002")
    with region_scope(region):
        assert NumberSeries.objects.get(region=region, series="complaints", year=year).last == 2
        assert AuditEvent.objects.filter(region=region, action="complaints.file").count() == 2
        assert ComplaintUpdate.objects.filter(complaint=c, to_state="submitted").exists()
    assert any(filed.secret in m.body for m in mail.outbox)


def test_bad_input_is_reported_field_by_field_and_writes_nothing(cworld_a):
    region = cworld_a.region
    with pytest.raises(ValidationFailed) as caught:
        file_report(
            region,
            category="no-such",
            description="short",
            latitude=Decimal("40.0"),
            longitude=Decimal("10.0"),
            kelurahan="36.71.01.1001",
            contact_email="not-an-email",
            contact_phone="12",
            photos=[png() for _ in range(6)],
        )
    fields = set(caught.value.field_errors)
    assert {"category", "description", "latitude", "kelurahan", "contact_email"} <= fields
    assert {"contact_phone", "photos"} <= fields
    with region_scope(region):
        assert not Complaint.objects.filter(region=region).exists()


def test_a_location_is_required_and_a_kelurahan_must_be_the_regions(cworld_a):
    region = cworld_a.region
    with pytest.raises(ValidationFailed) as caught:
        file_report(region, latitude=None, longitude=None)
    assert "location_text" in caught.value.field_errors
    filed = file_report(
        region,
        latitude=None,
        longitude=None,
        location_text="Jl. Asia Afrika",
        kelurahan="32.73.01.1001",
    )
    assert filed.complaint.kelurahan_name == "Sukarasa"


def test_photos_are_checked_by_content_and_lose_their_location(cworld_a):
    region = cworld_a.region
    filed = file_report(region, photos=[png(exif_gps=True)])
    with region_scope(region):
        photo = ComplaintPhoto.objects.get(complaint=filed.complaint)
        from PIL import Image

        with photo.image.open("rb") as handle:
            assert not Image.open(handle).getexif().get(0x8825)
    fake = SimpleUploadedFile("photo.png", b"<html>not an image</html>", "image/png")
    with pytest.raises(ValidationFailed):
        file_report(region, photos=[fake])


def test_anonymous_filing_is_limited_per_contact(cworld_a, settings):
    settings.LUMBUNG_COMPLAINT_FILING_LIMITS = {"address": "100/h", "contact": "2/h"}
    region = cworld_a.region
    file_report(region, contact_email="a@example.test")
    file_report(region, contact_email="a@example.test")
    with pytest.raises(DomainError) as caught:
        file_report(region, contact_email="A@example.test")
    assert caught.value.code == ComplaintError.FILING_LIMITED
    assert caught.value.status == 429
    file_report(region, actor=cworld_a.users[Role.CITIZEN], contact_email="a@example.test")


def test_workflow_milestones_and_the_reporters_reply(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    citizen = cworld_a.users[Role.CITIZEN]
    c = file_report(region, actor=citizen).complaint
    with region_scope(region):
        c = report_transition(region=region, actor=officer, complaint=c, action="verify")
        assert c.first_response_at is not None
        assert c.first_response_on_time is True
        assert c.state == "in_progress"
        assert c.due_at is not None
        with pytest.raises(DomainError) as caught:
            report_transition(region=region, actor=officer, complaint=c, action="resolve")
        assert caught.value.code == "note_required"
        c = report_transition(
            region=region,
            actor=officer,
            complaint=c,
            action="resolve",
            note="Sudah ditambal",
            photos=[png()],
        )
        assert c.state == "resolved"
        assert c.resolved_on_time is True
        assert c.resolution_seconds is not None
        assert ComplaintPhoto.objects.filter(complaint=c, kind="after").count() == 1
        c = report_dispute(
            region=region, actor=citizen, complaint=c, reason="Masih berlubang", rating=2
        )
        assert c.state == "in_progress"
        assert c.reopen_count == 1
        assert c.resolved_at is None
        assert c.rating == 2
        c = report_transition(
            region=region, actor=officer, complaint=c, action="resolve", note="Diaspal ulang"
        )
        c = report_confirm(
            region=region, actor=citizen, complaint=c, rating=5, comment="Terima kasih"
        )
        assert c.state == "closed"
        assert c.rating == 5
        assert c.closed_at is not None
        actions = list(
            Transition.objects.filter(region=region, case_id=str(c.pk)).values_list(
                "action", flat=True
            )
        )
    assert actions == ["start", "verify", "resolve", "dispute", "resolve", "confirm"]


def test_only_the_reporter_or_the_secret_link_may_reply(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    filed = file_report(region)
    c = filed.complaint
    with region_scope(region):
        report_transition(region=region, actor=officer, complaint=c, action="verify")
        c = report_transition(
            region=region,
            actor=officer,
            complaint=reload(c),
            action="resolve",
            note="ok",
        )
        with pytest.raises(DomainError) as caught:
            report_confirm(region=region, actor=cworld_a.users[Role.CITIZEN], complaint=c)
        assert caught.value.code == ComplaintError.NOT_REPORTER
        with pytest.raises(DomainError):
            report_confirm(region=region, actor=None, complaint=c, key="wrong")
        c = report_confirm(region=region, actor=None, complaint=c, key=filed.secret, rating=4)
    assert c.state == "closed"
    assert c.rating == 4


def test_a_citizen_cannot_take_staff_actions_and_nothing_changes(cworld_a):
    region = cworld_a.region
    c = file_report(region).complaint
    with region_scope(region), pytest.raises(DomainError) as caught:
        report_transition(
            region=region, actor=cworld_a.users[Role.CITIZEN], complaint=c, action="verify"
        )
    assert caught.value.code == "action_not_allowed"
    assert reload(c).state == "submitted"


def test_duplicates_merge_their_supporters(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    citizen = cworld_a.users[Role.CITIZEN]
    original = file_report(region).complaint
    dup = file_report(
        region, actor=citizen, latitude=NEAR_BANDUNG[0], longitude=NEAR_BANDUNG[1]
    ).complaint
    with region_scope(region):
        report_support(region=region, actor=None, complaint=dup, session_key="browser-1")
        with pytest.raises(DomainError) as caught:
            report_support(region=region, actor=None, complaint=dup, session_key="browser-1")
        assert caught.value.code == ComplaintError.ALREADY_SUPPORTED
        report_mark_duplicate(
            region=region, actor=officer, complaint=dup, original_ticket=original.ticket
        )
        original = reload(original)
        merged = AuditEvent.objects.filter(
            region=region, object_type="complaints.complaint", object_id=str(dup.pk)
        )
        assert set(merged.values_list("action", flat=True)) >= {
            "complaints.support",
            "complaints.report.mark_duplicate",
            "complaints.merge",
        }
        assert reload(dup).state == "duplicate"
        assert reload(dup).duplicate_of == original
        assert original.supporters_count == 2
        assert Supporter.objects.filter(complaint=original, user=citizen).exists()


def test_answers_routing_and_assignment(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    head = cworld_a.users[Role.UNIT_HEAD]
    c = file_report(region).complaint
    with region_scope(region):
        report_answer(region=region, actor=officer, complaint=c, body="Akan kami cek", public=True)
        assert reload(c).first_response_at is not None
        report_answer(
            region=region, actor=officer, complaint=c, body="Cek lokasi besok", public=False
        )
        c = report_route(
            region=region,
            actor=officer,
            complaint=c,
            unit_id=cworld_a.other_unit.pk,
            note="Bukan kami",
        )
        assert c.unit == cworld_a.other_unit
        c = report_assign(region=region, actor=head, complaint=c, assignee_id=officer.pk)
        assert c.assignee == officer
        with pytest.raises(ValidationFailed):
            report_assign(
                region=region, actor=head, complaint=c, assignee_id=cworld_a.users[Role.CITIZEN].pk
            )
        kinds = list(ComplaintUpdate.objects.filter(complaint=c).values_list("kind", "is_public"))
        audited = list(
            AuditEvent.objects.filter(
                region=region, object_type="complaints.complaint", object_id=str(c.pk)
            )
            .order_by("seq")
            .values_list("action", "actor_id")
        )
    assert ("answer", True) in kinds
    assert ("note", False) in kinds
    assert ("routing", False) in kinds
    # every one of them is an audit event, by whoever did it (the refused one is not)
    assert audited[1:] == [
        ("complaints.answer", officer.pk),
        ("complaints.note", officer.pk),
        ("complaints.route", officer.pk),
        ("complaints.assign", head.pk),
    ]


def test_resolutions_nobody_answers_close_themselves(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    c = file_report(region).complaint
    with region_scope(region):
        report_transition(region=region, actor=officer, complaint=c, action="verify")
        report_transition(
            region=region, actor=officer, complaint=reload(c), action="resolve", note="ok"
        )
        assert reports_auto_close(region=region) == 0
        Complaint.objects.filter(pk=c.pk).update(
            state_entered_at=timezone.now() - dt.timedelta(days=30)
        )
        assert reports_auto_close(region=region) == 1
    assert reload(c).state == "closed"


def test_another_regions_report_is_not_found(cworld_a, cworld_b):
    c = file_report(
        cworld_b.region, latitude=Decimal("-6.17"), longitude=Decimal("106.63")
    ).complaint
    with region_scope(cworld_a.region), pytest.raises(DomainError) as caught:
        report_transition(
            region=cworld_a.region, actor=cworld_a.users[Role.OFFICER], complaint=c, action="verify"
        )
    assert caught.value.status == 404


def test_the_reporters_replies_are_not_open_to_any_signed_in_person(cworld_a):
    # given a resolved report filed by someone else
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    c = file_report(region).complaint
    with region_scope(region):
        report_transition(region=region, actor=officer, complaint=c, action="verify")
        c = report_transition(
            region=region, actor=officer, complaint=reload(c), action="resolve", note="ok"
        )
        # when a citizen (or staff member) takes the reporter's action directly
        for action in ("confirm", "dispute"):
            with pytest.raises(DomainError) as caught:
                report_transition(
                    region=region,
                    actor=cworld_a.users[Role.CITIZEN],
                    complaint=c,
                    action=action,
                    note="x",
                )
            # then it is refused and nothing moved
            assert caught.value.code == "action_not_allowed"
    assert reload(c).state == "resolved"


def test_an_officer_may_take_a_report_but_not_hand_it_to_someone_else(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    c = file_report(region).complaint
    with region_scope(region):
        c = report_assign(region=region, actor=officer, complaint=c, assignee_id=officer.pk)
        assert c.assignee == officer
        with pytest.raises(DomainError) as caught:
            report_assign(
                region=region,
                actor=officer,
                complaint=c,
                assignee_id=cworld_a.users[Role.UNIT_HEAD].pk,
            )
    assert caught.value.status == 403
    assert reload(c).assignee == officer
