"""What the complaints services share: moving a report through its workflow (and keeping
its milestones), photos, and telling the reporter and the unit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lumbung.core.attachments import CleanFile, clean_image
from lumbung.core.errors import NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of
from lumbung.core.selectors import staff_with_roles
from lumbung.core.services.notifications import notifications_batched, notify
from lumbung.core.services.workflow import case_transition

from ..models import Complaint, ComplaintPhoto, ComplaintUpdate, PhotoKind, UpdateKind
from ..workflow import IN_PROGRESS, REPORT_FLOW, RESOLVED, SUBMITTED, TERMINAL

MODULE = "complaints"
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 5 * 1024 * 1024
TEXT_MAX = 4000
CASE_WORKERS = frozenset({Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN})


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def move(
    region: Region,
    actor: User | None,
    complaint: Complaint,
    action: str,
    note: str,
    expected_version: int | None,
    photos: Sequence[CleanFile] = (),
) -> Complaint:
    """Take a workflow action and keep what the figures read later: when the first
    response and the resolution came, and whether each was within its deadline."""
    from_state, deadline = complaint.state, complaint.due_at
    case_transition(
        region=region,
        actor=actor,
        case=complaint,
        action=action,
        note=note,
        expected_version=expected_version,
    )
    now = timezone.now()
    changes = milestones(complaint, from_state, deadline, now)
    changes["updated_at"] = now
    Complaint.objects.filter(region=region, pk=complaint.pk).update(**changes)
    complaint.refresh_from_db()
    update = ComplaintUpdate.objects.create(
        region=region,
        complaint=complaint,
        kind=UpdateKind.STATUS,
        action=action,
        from_state=from_state,
        to_state=complaint.state,
        body=note.strip(),
        actor=actor,
        unit=complaint.unit if actor is not None and is_staff(actor, region) else None,
        created_at=now,
    )
    add_photos(complaint, photos, PhotoKind.AFTER, update)
    tell_reporter(
        complaint,
        _("%(ticket)s: %(state)s")
        % {"ticket": complaint.ticket, "state": REPORT_FLOW.state(complaint.state).label},
        note,
    )
    return complaint


def milestones(
    complaint: Complaint, from_state: str, deadline: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    """`deadline` is the due time of the state the report is leaving."""
    changes: dict[str, Any] = {}
    if from_state == SUBMITTED and complaint.first_response_at is None:
        changes.update(first_response(complaint, deadline, now))
    if complaint.state == RESOLVED:
        changes["resolved_at"] = now
        changes["resolution_seconds"] = int((now - complaint.created_at).total_seconds())
        changes["resolved_on_time"] = deadline is None or now <= deadline
    if complaint.state == IN_PROGRESS and from_state == RESOLVED:  # disputed: not resolved
        changes.update(
            resolved_at=None,
            resolution_seconds=None,
            resolved_on_time=None,
            reopen_count=F("reopen_count") + 1,
        )
    if complaint.state in TERMINAL:
        changes["closed_at"] = now
    return changes


def first_response(
    complaint: Complaint, deadline: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    return {
        "first_response_at": now,
        "first_response_seconds": int((now - complaint.created_at).total_seconds()),
        "first_response_on_time": deadline is None or now <= deadline,
    }


def add_photos(
    complaint: Complaint,
    files: Sequence[CleanFile],
    kind: PhotoKind,
    update: ComplaintUpdate | None,
) -> None:
    for cleaned in files:
        photo = ComplaintPhoto(
            region=complaint.region,
            complaint=complaint,
            update=update,
            kind=kind,
            content_type=cleaned.content_type,
        )
        photo.image.save(cleaned.name, cleaned.content, save=False)
        photo.save()


def same_region(region: Region, complaint: Complaint) -> None:
    if complaint.region_id != region.pk:
        raise NotFound()


def is_staff(actor: User, region: Region) -> bool:
    return bool(roles_of(actor, region) & CASE_WORKERS)


def require_staff(actor: User, region: Region) -> None:
    if not is_staff(actor, region):
        raise PermissionDenied()


def clean_photos(photos: Sequence[UploadedFile]) -> list[CleanFile]:
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]})
    return [clean_image(p, field="photos", max_bytes=MAX_PHOTO_BYTES) for p in photos]


def tracking_url(complaint: Complaint, secret: str = "") -> str:
    path = reverse(
        "core:complaints:track",
        kwargs={"region_slug": complaint.region.slug, "ticket": complaint.ticket},
    )
    return f"{settings.LUMBUNG_BASE_URL}{path}" + (f"?key={secret}" if secret else "")


def tell_reporter_filed(complaint: Complaint, secret: str) -> None:
    subject = _("Your report %(ticket)s was received") % {"ticket": complaint.ticket}
    body = _(
        "Thank you. Follow your report, and reply when it is resolved, with this link "
        "(keep it to yourself):"
    )
    mail_reporter(complaint, subject, f"{body}\n{tracking_url(complaint, secret)}")


def tell_reporter(complaint: Complaint, subject: str, text: str) -> None:
    body = f"{text}\n\n{tracking_url(complaint)}".strip()
    mail_reporter(complaint, subject, body)


def mail_reporter(complaint: Complaint, subject: str, body: str) -> None:
    region = complaint.region
    if complaint.reporter is not None:
        notify(
            region=region,
            recipient=complaint.reporter,
            kind="complaints.update",
            title=subject,
            body=body,
            url=tracking_url(complaint),
        )
    elif complaint.contact_email:
        transaction.on_commit(
            partial(
                send_mail,
                subject=f"[{region.title}] {subject}"[:200],
                message=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[complaint.contact_email],
                fail_silently=True,
            )
        )


def tell_unit(complaint: Complaint, title: str) -> None:
    """Tell the unit's officers and head (the region admins when no unit has it yet), each
    in their own language, in one insert."""
    if complaint.unit is None:
        recipients = staff_with_roles(complaint.region, [Role.REGION_ADMIN])
    else:
        recipients = staff_with_roles(
            complaint.region, [Role.OFFICER, Role.UNIT_HEAD], complaint.unit
        )
    url = complaint.get_absolute_url() if recipients else ""
    with notifications_batched():
        for user in recipients:
            with override(user.language):
                notify(
                    region=complaint.region,
                    recipient=user,
                    kind="complaints.new",
                    title=title,
                    url=url,
                )
