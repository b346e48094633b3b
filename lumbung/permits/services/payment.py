"""The levy's payment reference, recorded by the applicant or an officer (no gateway)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User
from lumbung.core.permissions import roles_of

from ..errors import PermitsError
from ..models import Application
from ..workflow import STAFF
from .common import (
    begin,
    lock,
    move,
    record,
    require_applicant,
)
from .issuing import permit_issue


@transaction.atomic
def payment_record(
    *,
    region: Region,
    actor: User,
    application: Application,
    reference: str,
    expected_version: int | None = None,
) -> Application:
    """Record the levy's payment reference (no gateway: the applicant or an officer enters
    the bank's reference). An application approved by default is then issued by the system
    at once; any other goes to signing."""
    fresh = lock(region, application, expected_version)
    reference = reference.strip()
    if not reference:
        raise DomainError(
            PermitsError.PAYMENT_REFERENCE_REQUIRED,
            _("Enter the payment reference."),
            field_errors={"reference": [_("This field is required.")]},
            status=422,
        )
    # Both ways out of the payment stage start there; the applicant, or staff, records it.
    fresh = begin(region, actor, fresh, "record_payment", fresh.version)
    if not roles_of(actor, region) & STAFF:
        require_applicant(fresh, actor)
    action = "issue_by_default" if fresh.approved_by_default else "record_payment"
    Application.objects.filter(region=region, pk=fresh.pk).update(
        payment_reference=reference[:80], paid_at=timezone.now(), payment_recorded_by=actor
    )
    record(region, actor, fresh, "application.payment", {"payment_reference": reference[:80]})
    if fresh.approved_by_default:
        reason = _("Approved by default earlier; the levy is now paid (reference %(ref)s).") % {
            "ref": reference[:80]
        }
        moved = move(region, None, fresh, action, reason)
        permit_issue(region, moved, signed_by=None, by_default=True, reason=reason)
        return moved
    return move(region, actor, fresh, action)
