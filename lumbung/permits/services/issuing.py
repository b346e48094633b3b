"""Issuing what an application yields — a registration receipt, a standard certificate or
a permit — with its gap-free number and verification code; and suspending, revoking or
reinstating an issued permit, with the reason."""

from __future__ import annotations

import calendar as months
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ErrorCode, NotFound
from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of
from lumbung.core.services.notifications import notify
from lumbung.core.services.numbering import number_format, number_next

from ..codes import token_new
from ..errors import PermitsError
from ..models import INSTANT_LANES, Application, Permit, PermitStatus
from .common import record, region_today, same_region, settings_of

REVOKERS = frozenset({Role.UNIT_HEAD, Role.REGION_HEAD})


def add_months(day: dt.date, count: int) -> dt.date:
    """The same day `count` months later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + count
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, months.monthrange(year, month)[1]))


def _number(region: Region, application: Application, year: int) -> str:
    config = settings_of(region)
    if application.lane in INSTANT_LANES:
        prefix, series = str(config["registration_prefix"]), "permits.registration"
    else:
        prefix, series = str(config["permit_prefix"]), "permits.permit"
    return number_format(prefix, region, year, number_next(region, series, year))


def permit_issue(
    region: Region,
    application: Application,
    *,
    signed_by: User | None,
    by_default: bool = False,
    reason: str = "",
) -> Permit:
    """Issue the document of a granted application, inside the caller's transaction (the
    one that moved the application to issued or registered)."""
    today = region_today(region)
    permit_type = application.permit_type
    validity = permit_type.validity_months if permit_type else 0
    permit = Permit.objects.create(
        region=region,
        application=application,
        permit_type=permit_type,
        lane=application.lane,
        number=_number(region, application, today.year),
        token=token_new(),
        business_name=application.business_name,
        issued_at=timezone.now(),
        valid_from=today,
        valid_until=add_months(today, validity) - dt.timedelta(days=1) if validity else None,
        by_default=by_default,
        default_reason=reason,
        signed_by=signed_by,
    )
    Application.objects.filter(region=region, pk=application.pk).update(decided_at=permit.issued_at)
    record(
        region,
        signed_by,
        permit,
        "permit.issue",
        {
            "application": application.number,
            "number": permit.number,
            "lane": permit.lane,
            "valid_until": permit.valid_until,
            "by_default": by_default,
        },
        reason=reason,
    )
    notify(
        region=region,
        recipient=application.applicant,
        kind="permits.issued",
        title=_("%(number)s issued for %(business)s")
        % {"number": permit.number, "business": permit.business_name},
    )
    return permit


# Which status each change leads from and to.
CHANGES = {
    "suspend": ((PermitStatus.VALID,), PermitStatus.SUSPENDED),
    "revoke": ((PermitStatus.VALID, PermitStatus.SUSPENDED), PermitStatus.REVOKED),
    "reinstate": ((PermitStatus.SUSPENDED,), PermitStatus.VALID),
}


def _status_change(region: Region, actor: User, permit: Permit, change: str, reason: str) -> Permit:
    same_region(region, permit)
    if not roles_of(actor, region) & REVOKERS:
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Your role may not take this action."), status=403
        )
    if not reason.strip():
        raise DomainError(
            ErrorCode.NOTE_REQUIRED,
            _("Give the reason."),
            field_errors={"reason": [_("This field is required.")]},
            status=422,
        )
    fresh = Permit.objects.select_for_update().filter(region=region, pk=permit.pk).first()
    if fresh is None:
        raise NotFound()
    sources, target = CHANGES[change]
    if fresh.status not in sources:
        raise DomainError(
            PermitsError.PERMIT_STATUS,
            _("The permit is %(status)s; this change does not apply.")
            % {"status": fresh.get_status_display()},
            status=409,
        )
    before = fresh.status
    fresh.status, fresh.status_reason = target, reason.strip()
    fresh.status_changed_at = timezone.now()
    fresh.save(update_fields=["status", "status_reason", "status_changed_at"])
    record(region, actor, fresh, f"permit.{change}", {"status": [before, target]}, reason)
    return fresh


@transaction.atomic
def permit_suspend(*, region: Region, actor: User, permit: Permit, reason: str) -> Permit:
    """Suspend a valid permit (it verifies as suspended until reinstated)."""
    return _status_change(region, actor, permit, "suspend", reason)


@transaction.atomic
def permit_revoke(*, region: Region, actor: User, permit: Permit, reason: str) -> Permit:
    """Revoke a permit for good."""
    return _status_change(region, actor, permit, "revoke", reason)


@transaction.atomic
def permit_reinstate(*, region: Region, actor: User, permit: Permit, reason: str) -> Permit:
    """Lift a suspension."""
    return _status_change(region, actor, permit, "reinstate", reason)
