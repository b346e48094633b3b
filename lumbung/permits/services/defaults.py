"""Approval by default (fiktif positif): where a permit type allows it, an application
whose stage deadline passed is approved by the system, which records that it did and why."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError
from lumbung.core.models import Region
from lumbung.core.services.notifications import notify

from ..errors import PermitsError
from ..models import Application
from ..workflow import APPLICATION_FLOW, BEFORE_PAYMENT, STAFF_STAGES
from .common import lock, move
from .issuing import permit_issue


def _reason(region: Region, application: Application) -> str:
    stage = APPLICATION_FLOW.state(application.state).label
    assert application.due_at is not None
    assert application.permit_type is not None
    return _(
        "The deadline of the stage “%(stage)s” passed on %(due)s with no decision; the "
        "permit type “%(type)s” is approved by default when a deadline passes (fiktif "
        "positif)."
    ) % {
        "stage": stage,
        "due": RegionCalendar(region).local_date(application.due_at).isoformat(),
        "type": application.permit_type.code,
    }


@transaction.atomic
def application_approve_by_default(*, region: Region, application: Application) -> Application:
    """The system approves an overdue application of a type that allows it: issued at
    once, or, with a levy still to pay, on to payment and issued when it is paid."""
    fresh = lock(region, application, None)
    permit_type = fresh.permit_type
    if permit_type is None or not permit_type.default_approval or fresh.state not in STAFF_STAGES:
        raise DomainError(
            PermitsError.NO_DEFAULT_APPROVAL,
            _("Approval by default does not apply to this application."),
            status=409,
        )
    if fresh.due_at is None or timezone.now() <= fresh.due_at:
        raise DomainError(
            PermitsError.NOT_OVERDUE, _("The stage's deadline has not passed."), status=409
        )
    reason = _reason(region, fresh)
    Application.objects.filter(region=region, pk=fresh.pk).update(approved_by_default=True)
    fresh.approved_by_default = True
    if fresh.state in BEFORE_PAYMENT and fresh.fee_amount > 0 and not fresh.paid_at:
        moved = move(region, None, fresh, "approve_by_default_for_payment", reason)
        notify(
            region=region,
            recipient=moved.applicant,
            kind="permits.levy_due",
            title=_("%(number)s approved by default: pay the levy") % {"number": moved.number},
            body=reason,
        )
        return moved
    moved = move(region, None, fresh, "approve_by_default", reason)
    permit_issue(region, moved, signed_by=None, by_default=True, reason=reason)
    return moved
