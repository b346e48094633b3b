"""Staff stages: each records its step and moves the application by its role, with the
permit type's deadline; correction stops the clock; two officers cannot both take a step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import UserFactory

from ..errors import PermitsError
from ..models import Application, InspectionPhoto
from ..services.applications import application_resubmit, application_withdraw
from ..services.payment import payment_record
from ..services.stages import (
    application_approve,
    application_check,
    application_reject,
    application_request_correction,
    application_sign,
    inspection_record,
)
from .factories import (
    SLAS,
    PermitsWorld,
    apply,
    check,
    pdf,
    permit_of,
    png,
    reload,
    to_stage,
)

pytestmark = pytest.mark.django_db


def audit_actions(pw: PermitsWorld, app: Application) -> set[str]:
    with region_scope(pw.region):
        return set(
            AuditEvent.objects.filter(region=pw.region, object_id=str(app.pk)).values_list(
                "action", flat=True
            )
        )


def test_the_whole_way_to_a_signed_permit(pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "issued")
    permit = permit_of(app)
    assert permit.number.startswith("IZIN-3273-")
    assert permit.signed_by == pworld_a.user(Role.REGION_HEAD)
    assert permit.valid_until is not None
    assert permit.valid_until.year == permit.valid_from.year + 5
    assert app.payment_reference == "BJB-000123"
    assert app.decided_at is not None
    with region_scope(pworld_a.region):
        assert InspectionPhoto.objects.filter(region=pworld_a.region).count() == 1
    assert {
        "permits.application.apply",
        "permits.application.checklist",
        "permits.inspection.schedule",
        "permits.inspection.record",
        "permits.application.recommend",
        "permits.application.payment",
        "permits.application.check_pass",
        "permits.application.inspect",
        "permits.application.approve_for_payment",
        "permits.application.record_payment",
        "permits.application.sign",
    } <= audit_actions(pworld_a, app)


def test_each_stage_gets_its_permit_types_deadline(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    calendar = RegionCalendar(pworld_a.region)
    for stage in ("document_check", "inspection", "recommendation", "approval"):
        app = to_stage(pworld_a, app, stage)
        with region_scope(pworld_a.region):
            expected = calendar.add_working_days(app.state_entered_at, SLAS[stage])
        assert app.due_at == expected, stage


def test_a_correction_stops_the_clock_and_resubmission_restarts_it(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    assert app.due_at is not None
    with region_scope(pworld_a.region):
        days_left = RegionCalendar(pworld_a.region).working_days_between(timezone.now(), app.due_at)
        returned = application_request_correction(
            region=pworld_a.region,
            actor=pworld_a.user(Role.OFFICER),
            application=app,
            note="Denah buram",
        )
    assert returned.state == "returned"
    assert returned.due_at is None
    assert returned.paused_state == "document_check"
    assert returned.paused_days_left == days_left
    left = returned.paused_days_left
    with region_scope(pworld_a.region):
        resumed = application_resubmit(
            region=pworld_a.region,
            actor=pworld_a.user(Role.CITIZEN),
            application=returned,
            documents={"denah": pdf("denah-baru.pdf")},
        )
        current = resumed.documents.filter(region=pworld_a.region, is_current=True)
        assert {d.filename for d in current} == {"denah-baru.pdf", "foto.png"}
        calendar = RegionCalendar(pworld_a.region)
        expected = calendar.add_working_days(resumed.state_entered_at, left or 0)
    assert resumed.state == "document_check"
    assert resumed.due_at == expected
    assert "permits.application.request_correction" in audit_actions(pworld_a, app)
    assert "permits.application.resubmit" in audit_actions(pworld_a, app)


def test_only_the_applicant_resubmits_or_withdraws(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    stranger = UserFactory.create(email="orang-lain@example.test")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_withdraw(region=pworld_a.region, actor=stranger, application=app)
    assert caught.value.code == PermitsError.NOT_APPLICANT
    with region_scope(pworld_a.region):
        gone = application_withdraw(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN), application=app
        )
    assert gone.state == "withdrawn"


def test_two_officers_cannot_both_take_the_same_step(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    stale_version = app.version
    check(pworld_a, app)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_request_correction(
            region=pworld_a.region,
            actor=pworld_a.user(Role.UNIT_HEAD),
            application=app,
            note="x",
            expected_version=stale_version,
        )
    assert caught.value.code == ErrorCode.CONCURRENT_UPDATE
    assert reload(app).state == "inspection"


def test_the_checklist_must_answer_every_document(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_check(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=app, answers={}
        )
    assert caught.value.code == PermitsError.CHECKLIST_INCOMPLETE


def test_a_failed_document_means_a_correction_not_a_pass(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    with pytest.raises(DomainError) as caught:
        check(pworld_a, app, passed=False)
    assert caught.value.code == PermitsError.CHECKLIST_FAILED
    assert reload(app).state == "document_check"


def test_the_inspection_must_be_scheduled_first(pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "inspection")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        inspection_record(
            region=pworld_a.region,
            actor=pworld_a.user(Role.OFFICER),
            application=app,
            findings="ok",
            passed=True,
        )
    assert caught.value.code == PermitsError.INSPECTION_NOT_SCHEDULED


def test_an_officer_cannot_approve(pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "approval")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_approve(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=app
        )
    assert caught.value.code == ErrorCode.ACTION_NOT_ALLOWED


def test_nobody_decides_their_own_application(pworld_a: PermitsWorld) -> None:
    head = pworld_a.user(Role.UNIT_HEAD)
    app = to_stage(pworld_a, apply(pworld_a, actor=head), "approval")
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_approve(region=pworld_a.region, actor=head, application=app)
    assert caught.value.code == PermitsError.OWN_APPLICATION


def test_a_unit_head_of_another_unit_cannot_sign(pworld_a: PermitsWorld) -> None:
    from lumbung.core.services.people import membership_grant

    app = to_stage(pworld_a, apply(pworld_a), "signing")
    other = UserFactory.create(email="kadis-lain@example.test")
    with region_scope(pworld_a.region):
        membership_grant(
            region=pworld_a.region,
            actor=None,
            user=other,
            role=Role.UNIT_HEAD,
            unit=pworld_a.world.other_unit,
        )
        with pytest.raises(DomainError) as caught:
            application_sign(region=pworld_a.region, actor=other, application=app)
    assert caught.value.code == PermitsError.NOT_SIGNATORY
    with region_scope(pworld_a.region):
        permit = application_sign(
            region=pworld_a.region, actor=pworld_a.user(Role.UNIT_HEAD), application=app
        )
    assert permit.signed_by == pworld_a.user(Role.UNIT_HEAD)


def test_rejection_needs_a_reason_and_the_stages_role(pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "approval")
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as by_officer:
            application_reject(
                region=pworld_a.region,
                actor=pworld_a.user(Role.OFFICER),
                application=app,
                reason="x",
            )
        with pytest.raises(DomainError) as no_reason:
            application_reject(
                region=pworld_a.region,
                actor=pworld_a.user(Role.UNIT_HEAD),
                application=app,
                reason=" ",
            )
        rejected = application_reject(
            region=pworld_a.region,
            actor=pworld_a.user(Role.UNIT_HEAD),
            application=app,
            reason="Lokasi di zona hijau",
        )
    assert by_officer.value.code == PermitsError.NOT_STAGE_ROLE
    assert no_reason.value.code == ErrorCode.NOTE_REQUIRED
    assert rejected.state == "rejected"
    assert "permits.application.reject" in audit_actions(pworld_a, app)


def test_the_payment_needs_its_reference_and_the_applicant(pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "payment")
    stranger = UserFactory.create(email="bukan-pemohon@example.test")
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as empty:
            payment_record(
                region=pworld_a.region,
                actor=pworld_a.user(Role.CITIZEN),
                application=app,
                reference="",
            )
        with pytest.raises(DomainError) as other:
            payment_record(region=pworld_a.region, actor=stranger, application=app, reference="X1")
        paid = payment_record(
            region=pworld_a.region,
            actor=pworld_a.user(Role.OFFICER),
            application=app,
            reference="X1",
        )
    assert empty.value.code == PermitsError.PAYMENT_REFERENCE_REQUIRED
    assert other.value.code == PermitsError.NOT_APPLICANT
    assert paid.state == "signing"
    assert paid.payment_recorded_by == pworld_a.user(Role.OFFICER)


def test_a_zero_levy_goes_straight_to_signing(pworld_a: PermitsWorld) -> None:
    with region_scope(pworld_a.region):
        type(pworld_a.permit_type).objects.filter(pk=pworld_a.permit_type.pk).update(
            fee_kind="zero", fee_rate=Decimal(0), fee_amount=Decimal(0)
        )
    app = to_stage(pworld_a, apply(pworld_a), "approval")
    assert app.fee_amount == 0
    assert to_stage(pworld_a, app, "signing").state == "signing"


def test_another_regions_application_is_not_found(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = apply(pworld_b)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=theirs, note="x"
        )
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert reload(theirs).state == "document_check"


def test_a_late_step_marks_the_application_as_past_a_deadline(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        Application.objects.filter(pk=app.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    moved = check(pworld_a, reload(app))
    assert moved.missed_deadline


def test_only_the_verifying_units_staff_check_documents(pworld_a: PermitsWorld) -> None:
    from lumbung.core.services.people import membership_grant

    app = apply(pworld_a)
    outsider = UserFactory.create(email="petugas-dinsos@example.test")
    with region_scope(pworld_a.region):
        membership_grant(
            region=pworld_a.region,
            actor=None,
            user=outsider,
            role=Role.OFFICER,
            unit=pworld_a.world.other_unit,
        )
        answers = {d.pk: (True, "") for d in app.documents.filter(region=pworld_a.region)}
        with pytest.raises(DomainError) as caught:
            application_check(
                region=pworld_a.region, actor=outsider, application=app, answers=answers
            )
    assert caught.value.code == PermitsError.NOT_STAGE_ROLE


def test_withdrawing_and_new_documents_are_audited(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=app, note="x"
        )
        application_resubmit(
            region=pworld_a.region,
            actor=pworld_a.user(Role.CITIZEN),
            application=reload(app),
            documents={"foto": png("depan.png")},
        )
        application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=reload(app),
            note="y",
        )  # fmt: skip
        application_withdraw(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN), application=reload(app)
        )
    assert {"permits.application.documents", "permits.application.withdraw"} <= audit_actions(
        pworld_a, app
    )
