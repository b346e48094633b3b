"""What the reporter does once a report is resolved: confirm it, or dispute it (it
reopens), and rate the handling. Also the task that closes resolutions nobody answered."""

from __future__ import annotations

import hmac

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record

from ..errors import ComplaintError
from ..models import Complaint, ComplaintUpdate, UpdateKind
from ..workflow import RESOLVED
from .common import MODULE, digest, move, same_region


def is_reporter(complaint: Complaint, actor: User | None, key: str = "") -> bool:
    """The signed-in reporter, or whoever holds the report's secret tracking key."""
    if actor is not None and complaint.reporter_id == actor.pk:
        return True
    return bool(key) and hmac.compare_digest(digest(key), complaint.tracking_hash)


def report_confirm(
    *,
    region: Region,
    actor: User | None,
    complaint: Complaint,
    rating: int | None = None,
    comment: str = "",
    key: str = "",
) -> Complaint:
    """The reporter says it is fixed, and may rate the handling 1-5."""
    return _reporter_reply(region, actor, complaint, "confirm", "", rating, comment, key)


def report_dispute(
    *,
    region: Region,
    actor: User | None,
    complaint: Complaint,
    reason: str,
    rating: int | None = None,
    key: str = "",
) -> Complaint:
    """The reporter says it is not fixed: the report reopens, with their reason."""
    return _reporter_reply(region, actor, complaint, "dispute", reason, rating, "", key)


def _reporter_reply(
    region: Region,
    actor: User | None,
    complaint: Complaint,
    action: str,
    note: str,
    rating: int | None,
    comment: str,
    key: str,
) -> Complaint:
    same_region(region, complaint)
    if not is_reporter(complaint, actor, key):
        raise DomainError(
            ComplaintError.NOT_REPORTER,
            _("Only the person who filed the report can do this."),
            status=403,
        )
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationFailed({"rating": [_("Rate from 1 to 5.")]})
    if len(comment) > 500:
        raise ValidationFailed({"comment": [_("At most 500 characters.")]})
    # A key holder is not signed in: the service has vetted them, so the system acts.
    acting = actor if actor is not None and complaint.reporter_id == actor.pk else None
    with transaction.atomic():
        move(region, acting, complaint, action, note, None)
        if rating is not None:
            Complaint.objects.filter(region=region, pk=complaint.pk).update(
                rating=rating, rating_comment=comment.strip()
            )
            ComplaintUpdate.objects.create(
                region=region,
                complaint=complaint,
                kind=UpdateKind.RATING,
                body=str(rating),
                actor=acting,
            )
            audit_record(
                region=region,
                actor=acting,
                action="complaints.rate",
                obj=complaint,
                changes={"rating": rating},
                casework=True,
            )
    complaint.refresh_from_db()
    return complaint


def reports_auto_close(*, region: Region) -> int:
    """Close resolved reports whose reporter did not reply within the confirmation window."""
    days = int(module_settings(region, MODULE)["confirmation_days"])
    calendar = RegionCalendar(region)
    now = timezone.now()
    closed = 0
    for complaint in Complaint.objects.filter(region=region, state=RESOLVED).order_by("id"):
        if calendar.add_working_days(complaint.state_entered_at, days) <= now:
            with transaction.atomic():
                move(region, None, complaint, "auto_close", "", None)
            closed += 1
    return closed
