"""Renewing an issued permit: a new application linked to it, in the renewal window."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User

from ..errors import PermitsError
from ..models import Application, Permit, PermitStatus
from .applications import ApplicationInput, application_apply
from .common import (
    region_today,
    require_applicant,
    same_region,
    settings_of,
)


def renewal_open(region: Region, permit: Permit) -> None:
    """A permit is renewed from `renewal_window_days` before its last day, or after it."""
    if permit.valid_until is None:
        raise DomainError(
            PermitsError.RENEWAL_NOT_NEEDED, _("This permit does not expire."), status=409
        )
    if permit.status == PermitStatus.REVOKED:
        raise DomainError(
            PermitsError.PERMIT_STATUS, _("A revoked permit cannot be renewed."), status=409
        )
    window = int(settings_of(region)["renewal_window_days"])
    opens = permit.valid_until - dt.timedelta(days=window)
    if region_today(region) < opens:
        raise DomainError(
            PermitsError.RENEWAL_TOO_EARLY,
            _("Renewal opens on %(date)s.") % {"date": opens.isoformat()},
            status=409,
        )


@transaction.atomic
def application_renew(
    *, region: Region, actor: User, permit: Permit, data: ApplicationInput
) -> Application:
    """Apply again for a permit, linked to it: from the renewal window before its expiry,
    or after it. Only the holder (the account that applied) renews."""
    same_region(region, permit)
    require_applicant(permit.application, actor)
    renewal_open(region, permit)
    return application_apply(region=region, actor=actor, data=data, renews=permit)
