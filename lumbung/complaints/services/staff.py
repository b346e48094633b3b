"""What staff do with a report: workflow actions, duplicates, answers and notes, routing
between units and assignment to an officer."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lumbung.core.errors import DomainError, ErrorCode, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of
from lumbung.core.selectors import staff_with_role
from lumbung.core.services.audit import audit_record
from lumbung.core.services.notifications import notify

from ..errors import ComplaintError
from ..models import Complaint, ComplaintUpdate, PhotoKind, Supporter, UpdateKind
from ..workflow import DUPLICATE, IN_PROGRESS, REJECTED, REPORTER_ACTIONS, SUBMITTED
from .common import (
    TEXT_MAX,
    add_photos,
    clean_photos,
    first_response,
    move,
    require_staff,
    same_region,
    tell_reporter,
    tell_unit,
)


def report_transition(
    *,
    region: Region,
    actor: User | None,
    complaint: Complaint,
    action: str,
    note: str = "",
    photos: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Complaint:
    """Take a workflow action. The note of a status change is public (the reason of a
    rejection, the answer of a resolution); after-photos may go with a resolution."""
    same_region(region, complaint)
    if action == "mark_duplicate":
        raise ValidationFailed({"original": [_("Name the original report.")]})
    if action in REPORTER_ACTIONS:
        # Every signed-in person is a citizen: only the reporter's own path may take these.
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Only the person who filed it can reply."), status=403
        )
    if len(note) > TEXT_MAX:
        raise ValidationFailed({"note": [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    cleaned = clean_photos(photos)
    with transaction.atomic():
        return move(region, actor, complaint, action, note, expected_version, cleaned)


def report_mark_duplicate(
    *,
    region: Region,
    actor: User,
    complaint: Complaint,
    original_ticket: str,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """Close a report as a duplicate of another of the region's reports; its reporter and
    supporters become the original's supporters."""
    same_region(region, complaint)
    original = Complaint.objects.filter(region=region, ticket=original_ticket.strip()).first()
    if original is None or original.pk == complaint.pk or original.state in (DUPLICATE, REJECTED):
        raise ValidationFailed(
            {"original": [_("Name another open or finished report of this region.")]}
        )
    with transaction.atomic():
        move(region, actor, complaint, "mark_duplicate", note or original.ticket, expected_version)
        Complaint.objects.filter(region=region, pk=complaint.pk).update(duplicate_of=original)
        _merge_supporters(region, complaint, original)
        audit_record(
            region=region,
            actor=actor,
            action="complaints.merge",
            obj=complaint,
            changes={"duplicate_of": original.ticket},
            casework=True,
        )
    complaint.refresh_from_db()
    return complaint


def _merge_supporters(region: Region, duplicate: Complaint, original: Complaint) -> None:
    taken = set(
        Supporter.objects.filter(region=region, complaint=original).values_list("key", flat=True)
    )
    if original.reporter_id:  # nobody supports their own report
        taken.add(f"u:{original.reporter_id}")
    wanted = [
        (s.key, s.user_id) for s in Supporter.objects.filter(region=region, complaint=duplicate)
    ]
    reporter = f"u:{duplicate.reporter_id}" if duplicate.reporter_id else f"c:{duplicate.pk}"
    wanted.append((reporter, duplicate.reporter_id))
    new: list[Supporter] = []
    for key, user_id in wanted:
        if key not in taken:
            taken.add(key)
            new.append(Supporter(region=region, complaint=original, key=key, user_id=user_id))
    Supporter.objects.bulk_create(new)
    count = Supporter.objects.filter(region=region, complaint=original).count()
    Complaint.objects.filter(region=region, pk=original.pk).update(supporters_count=count)


def report_answer(
    *,
    region: Region,
    actor: User,
    complaint: Complaint,
    body: str,
    public: bool = True,
    photos: Sequence[UploadedFile] = (),
    photo_kind: PhotoKind = PhotoKind.AFTER,
) -> ComplaintUpdate:
    """A public answer (counts as the first response) or an internal note, with optional
    before/after photos."""
    same_region(region, complaint)
    require_staff(actor, region)
    text = body.strip()
    if not text:
        raise ValidationFailed({"body": [_("This field is required.")]})
    if len(text) > TEXT_MAX:
        raise ValidationFailed({"body": [_("At most %(n)d characters.") % {"n": TEXT_MAX}]})
    cleaned = clean_photos(photos)
    now = timezone.now()
    with transaction.atomic():
        update = ComplaintUpdate.objects.create(
            region=region,
            complaint=complaint,
            kind=UpdateKind.ANSWER if public else UpdateKind.NOTE,
            is_public=public,
            body=text,
            actor=actor,
            unit=complaint.unit,
            created_at=now,
        )
        kind = PhotoKind.BEFORE if photo_kind == PhotoKind.BEFORE else PhotoKind.AFTER
        add_photos(complaint, cleaned, kind, update)
        changes: dict[str, object] = {"updated_at": now}
        if public and complaint.first_response_at is None:
            # Still awaiting its first response, the report's due_at is that deadline.
            deadline = complaint.due_at if complaint.state == SUBMITTED else None
            changes.update(first_response(complaint, deadline, now))
        Complaint.objects.filter(region=region, pk=complaint.pk).update(**changes)
        audit_record(
            region=region,
            actor=actor,
            action="complaints.answer" if public else "complaints.note",
            obj=complaint,
            changes={"public": public, "photos": len(cleaned)},
            casework=True,
        )
        if public:
            tell_reporter(
                complaint, _("New answer on %(ticket)s") % {"ticket": complaint.ticket}, text
            )
    complaint.refresh_from_db()
    return update


def report_route(
    *, region: Region, actor: User, complaint: Complaint, unit_id: int, note: str = ""
) -> Complaint:
    """Route (or refer) a report to the unit responsible for it. The assignment is cleared:
    the new unit assigns its own officer."""
    same_region(region, complaint)
    require_staff(actor, region)
    unit = Unit.objects.filter(region=region, pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationFailed({"unit": [_("Choose one of the region's units.")]})
    if complaint.state not in (SUBMITTED, IN_PROGRESS):
        raise DomainError(
            ComplaintError.FINISHED, _("A finished report is not routed any more."), status=409
        )
    old = complaint.unit
    with transaction.atomic():
        Complaint.objects.filter(region=region, pk=complaint.pk).update(
            unit=unit, assignee=None, updated_at=timezone.now()
        )
        complaint.refresh_from_db()
        ComplaintUpdate.objects.create(
            region=region,
            complaint=complaint,
            kind=UpdateKind.ROUTING,
            is_public=False,
            body=note.strip()[:TEXT_MAX],
            actor=actor,
            unit=unit,
        )
        audit_record(
            region=region,
            actor=actor,
            action="complaints.route",
            obj=complaint,
            changes={"unit": [str(old) if old else None, str(unit)]},
            reason=note,
            casework=True,
        )
        tell_unit(
            complaint, _("Report %(ticket)s was routed to you") % {"ticket": complaint.ticket}
        )
    return complaint


def report_assign(
    *, region: Region, actor: User, complaint: Complaint, assignee_id: int | None
) -> Complaint:
    """Give a report to one officer of the region (or take it back, with None)."""
    same_region(region, complaint)
    require_staff(actor, region)
    leads = roles_of(actor, region) & {Role.UNIT_HEAD, Role.REGION_ADMIN}
    if not leads and assignee_id not in (None, actor.pk):
        raise PermissionDenied(_("An officer may take a report, not hand it to someone else."))
    assignee = None
    if assignee_id is not None:
        candidates = {u.pk: u for u in _case_workers(region)}
        assignee = candidates.get(assignee_id)
        if assignee is None:
            raise ValidationFailed({"assignee": [_("Choose an officer of this region.")]})
    with transaction.atomic():
        Complaint.objects.filter(region=region, pk=complaint.pk).update(
            assignee=assignee, updated_at=timezone.now()
        )
        complaint.refresh_from_db()
        ComplaintUpdate.objects.create(
            region=region,
            complaint=complaint,
            kind=UpdateKind.ASSIGNMENT,
            is_public=False,
            body=assignee.display_name if assignee else "",
            actor=actor,
            unit=complaint.unit,
        )
        audit_record(
            region=region,
            actor=actor,
            action="complaints.assign",
            obj=complaint,
            changes={"assignee": assignee.pk if assignee else None},
            casework=True,
        )
        if assignee is not None and assignee.pk != actor.pk:
            with override(assignee.language):
                notify(
                    region=region,
                    recipient=assignee,
                    kind="complaints.assigned",
                    title=_("Report %(ticket)s is yours") % {"ticket": complaint.ticket},
                    url=complaint.get_absolute_url(),
                )
    return complaint


def _case_workers(region: Region) -> list[User]:
    seen: dict[int, User] = {}
    for role in (Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN):
        for user in staff_with_role(region, role):
            seen[user.pk] = user
    return list(seen.values())
