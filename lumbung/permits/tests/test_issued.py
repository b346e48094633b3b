"""Issued permits: approval by default, verification by code, suspension and revocation,
renewal and its reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent, Notification, Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..codes import code_for
from ..errors import PermitsError
from ..models import Application, Permit, PermitType
from ..selectors import verify
from ..services.defaults import application_approve_by_default
from ..services.issuing import permit_reinstate, permit_revoke, permit_suspend
from ..services.payment import payment_record
from ..services.renewal import application_renew
from ..tasks import approve_by_default_all, renewal_reminders, renewal_reminders_all
from .factories import (
    NIK,
    PermitsWorld,
    application_input,
    apply,
    issue,
    permit_of,
    register,
    reload,
    to_stage,
)

pytestmark = pytest.mark.django_db


def overdue(app: Application) -> Application:
    with region_scope(app.region):
        Application.objects.filter(pk=app.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    return reload(app)


def allow_default(pw: PermitsWorld, **fields: object) -> None:
    with region_scope(pw.region):
        PermitType.objects.filter(pk=pw.permit_type.pk).update(default_approval=True, **fields)


# --- approval by default ----------------------------------------------------------------------


def test_an_overdue_zero_levy_application_is_issued_by_default(pworld_a: PermitsWorld) -> None:
    allow_default(pworld_a, fee_kind="zero", fee_rate=Decimal(0), fee_amount=Decimal(0))
    app = overdue(to_stage(pworld_a, apply(pworld_a), "recommendation"))
    # when the periodic task runs
    assert approve_by_default_all.call() == 1
    # then the permit is issued by the system, which says so and why
    app = reload(app)
    assert app.state == "issued"
    assert app.approved_by_default
    assert app.missed_deadline
    permit = permit_of(app)
    assert permit.by_default
    assert permit.signed_by is None
    assert "fiktif positif" in permit.default_reason
    with region_scope(pworld_a.region):
        step = Transition.objects.filter(region=pworld_a.region, case_id=str(app.pk)).last()
        event = AuditEvent.objects.get(region=pworld_a.region, action="permits.permit.issue")
    assert step is not None
    assert (step.action, step.actor_id) == ("approve_by_default", None)
    assert "recommendation" in step.note.lower() or "rekomendasi" in step.note.lower()
    assert event.actor_id is None
    assert event.changes["by_default"] is True


def test_with_a_levy_due_the_default_approval_waits_for_payment(pworld_a: PermitsWorld) -> None:
    allow_default(pworld_a)
    app = overdue(apply(pworld_a))
    with region_scope(pworld_a.region):
        moved = application_approve_by_default(region=pworld_a.region, application=app)
    assert moved.state == "payment"
    with region_scope(pworld_a.region):
        paid = payment_record(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN), application=moved,
            reference="BJB-42",
        )  # fmt: skip
    assert paid.state == "issued"
    assert permit_of(paid).by_default


def test_no_default_approval_where_the_type_does_not_allow_it(pworld_a: PermitsWorld) -> None:
    app = overdue(apply(pworld_a))
    assert approve_by_default_all.call() == 0
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_approve_by_default(region=pworld_a.region, application=app)
    assert caught.value.code == PermitsError.NO_DEFAULT_APPROVAL
    assert reload(app).state == "document_check"


def test_no_default_approval_before_the_deadline(pworld_a: PermitsWorld) -> None:
    allow_default(pworld_a)
    app = apply(pworld_a)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        application_approve_by_default(region=pworld_a.region, application=app)
    assert caught.value.code == PermitsError.NOT_OVERDUE


def test_a_returned_application_is_never_approved_by_default(pworld_a: PermitsWorld) -> None:
    from ..services.stages import application_request_correction

    allow_default(pworld_a)
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=app, note="x"
        )
    assert approve_by_default_all.call() == 0
    assert reload(app).state == "returned"


# --- verification -----------------------------------------------------------------------------


def code_of(permit: Permit) -> str:
    return code_for(permit.region_id, permit.token)


def test_a_genuine_code_verifies_with_nothing_personal(pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    with region_scope(pworld_a.region):
        found = verify(pworld_a.region, code_of(permit))
    assert found.status == "valid"
    assert (found.number, found.business_name) == (permit.number, "Apotek Sehat Sentosa")
    assert found.permit_type == "Izin Apotek"
    assert found.valid_until == permit.valid_until
    assert NIK not in repr(found)
    assert "Euis" not in repr(found)  # the owner's name stays private too


def test_a_registration_receipt_verifies_too(pworld_a: PermitsWorld) -> None:
    permit = permit_of(register(pworld_a))
    with region_scope(pworld_a.region):
        assert verify(pworld_a.region, code_of(permit)).status == "valid"


@pytest.mark.parametrize("position", [0, 5, 16, 31])
def test_a_forged_or_altered_code_is_unknown(pworld_a: PermitsWorld, position: int) -> None:
    code = code_of(permit_of(register(pworld_a)))
    altered = code[:position] + ("A" if code[position] != "A" else "B") + code[position + 1 :]
    with region_scope(pworld_a.region):
        assert verify(pworld_a.region, altered).status == "unknown"
        assert verify(pworld_a.region, "").status == "unknown"
        assert verify(pworld_a.region, code + "x").status == "unknown"


def test_another_regions_code_is_unknown(pworld_a: PermitsWorld, pworld_b: PermitsWorld) -> None:
    theirs = permit_of(register(pworld_b))
    with region_scope(pworld_a.region):
        assert verify(pworld_a.region, code_of(theirs)).status == "unknown"
        # even the same token under region A's key matches nothing of A's
        assert verify(pworld_a.region, code_for(pworld_a.region.pk, theirs.token)).status == (
            "unknown"
        )


def test_suspended_revoked_and_expired_say_so(pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    head = pworld_a.user(Role.UNIT_HEAD)
    with region_scope(pworld_a.region):
        permit_suspend(region=pworld_a.region, actor=head, permit=permit, reason="Audit lapangan")
        assert verify(pworld_a.region, code_of(permit)).status == "suspended"
        permit_reinstate(region=pworld_a.region, actor=head, permit=permit, reason="Selesai")
        assert verify(pworld_a.region, code_of(permit)).status == "valid"
        Permit.objects.filter(pk=permit.pk).update(valid_until=dt.date(2020, 1, 1))
        assert verify(pworld_a.region, code_of(permit)).status == "expired"
        permit_revoke(region=pworld_a.region, actor=head, permit=permit, reason="Pelanggaran")
        assert verify(pworld_a.region, code_of(permit)).status == "revoked"
        actions = set(
            AuditEvent.objects.filter(region=pworld_a.region, object_id=str(permit.pk)).values_list(
                "action", flat=True
            )
        )
    assert {
        "permits.permit.suspend",
        "permits.permit.reinstate",
        "permits.permit.revoke",
    } <= actions


def test_status_changes_need_a_decider_a_reason_and_a_status_they_apply_to(
    pworld_a: PermitsWorld,
) -> None:
    permit = issue(pworld_a)
    region = pworld_a.region
    with region_scope(region):
        with pytest.raises(DomainError) as officer:
            permit_revoke(
                region=region, actor=pworld_a.user(Role.OFFICER), permit=permit, reason="x"
            )
        with pytest.raises(DomainError) as no_reason:
            permit_revoke(
                region=region, actor=pworld_a.user(Role.UNIT_HEAD), permit=permit, reason=""
            )
        with pytest.raises(DomainError) as not_suspended:
            permit_reinstate(
                region=region, actor=pworld_a.user(Role.UNIT_HEAD), permit=permit, reason="x"
            )
    assert officer.value.code == ErrorCode.ACTION_NOT_ALLOWED
    assert no_reason.value.code == ErrorCode.NOTE_REQUIRED
    assert not_suspended.value.code == PermitsError.PERMIT_STATUS


def test_another_regions_permit_cannot_be_revoked(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    theirs = permit_of(register(pworld_b))
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        permit_revoke(
            region=pworld_a.region, actor=pworld_a.user(Role.REGION_HEAD), permit=theirs, reason="x"
        )
    assert caught.value.code == ErrorCode.NOT_FOUND


# --- renewal ----------------------------------------------------------------------------------


def expire_in(permit: Permit, days: int) -> Permit:
    with region_scope(permit.region):
        Permit.objects.filter(pk=permit.pk).update(
            valid_until=timezone.localdate() + dt.timedelta(days=days)
        )
        return Permit.objects.get(region=permit.region, pk=permit.pk)


def test_renewal_opens_in_the_last_days_and_links_to_the_permit(pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    citizen = pworld_a.user(Role.CITIZEN)
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as early:
            application_renew(
                region=pworld_a.region,
                actor=citizen,
                permit=permit,
                data=application_input(pworld_a),
            )
        renewal = application_renew(
            region=pworld_a.region,
            actor=citizen,
            permit=expire_in(permit, 30),
            data=application_input(pworld_a),
        )
    assert early.value.code == PermitsError.RENEWAL_TOO_EARLY
    assert renewal.renews_id == permit.pk
    assert renewal.state == "document_check"


def test_a_registration_needs_no_renewal_and_a_stranger_cannot_renew(
    pworld_a: PermitsWorld,
) -> None:
    from lumbung.core.tests.factories import UserFactory

    receipt = permit_of(register(pworld_a))
    permit = expire_in(issue(pworld_a), 10)
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as needless:
            application_renew(
                region=pworld_a.region,
                actor=pworld_a.user(Role.CITIZEN),
                permit=receipt,
                data=application_input(pworld_a),
            )
        with pytest.raises(DomainError) as stranger:
            application_renew(
                region=pworld_a.region,
                actor=UserFactory.create(email="x@example.test"),
                permit=permit,
                data=application_input(pworld_a),
            )
    assert needless.value.code == PermitsError.RENEWAL_NOT_NEEDED
    assert stranger.value.code == PermitsError.NOT_APPLICANT


def reminders(pw: PermitsWorld) -> list[str]:
    with region_scope(pw.region):
        return list(
            Notification.objects.filter(region=pw.region, kind="permits.renewal").values_list(
                "title", flat=True
            )
        )


def test_reminders_go_30_and_7_days_before_expiry_each_once(pworld_a: PermitsWorld) -> None:
    permit = expire_in(issue(pworld_a), 30)
    today = timezone.localdate()
    with region_scope(pworld_a.region):
        assert renewal_reminders(pworld_a.region, today) == 1
        assert renewal_reminders(pworld_a.region, today) == 0
        assert renewal_reminders(pworld_a.region, today + dt.timedelta(days=20)) == 0
        assert renewal_reminders(pworld_a.region, today + dt.timedelta(days=23)) == 1
        assert renewal_reminders(pworld_a.region, today + dt.timedelta(days=24)) == 0
    assert len(reminders(pworld_a)) == 2
    assert all(permit.number in title for title in reminders(pworld_a))


def test_a_permit_found_within_7_days_gets_only_the_7_day_reminder(pworld_a: PermitsWorld) -> None:
    expire_in(issue(pworld_a), 5)
    assert renewal_reminders_all.call() == 1
    assert renewal_reminders_all.call() == 0
    assert len(reminders(pworld_a)) == 1
