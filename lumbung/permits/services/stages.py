"""One service per staff step of an application: each records what its step records (the
checklist, the inspection, the recommendation, the decision, the signature) and moves the
application, in one transaction, on a locked row whose version is checked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.attachments import clean_image
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of

from ..errors import PermitsError
from ..models import Application, ApplicationDocument, Inspection, InspectionPhoto, Permit
from .common import (
    begin,
    lock,
    member_of_unit,
    move,
    not_own,
    record,
    require_stage_role,
    require_verifying_unit,
)
from .issuing import permit_issue

MAX_PHOTOS = 10
# An answer on one document at the check: passed, and a note (why it failed).
Answer = tuple[bool, str]


def _staff_step(
    region: Region, actor: User, application: Application, action: str, version: int | None
) -> Application:
    fresh = begin(region, actor, application, action, version)
    not_own(fresh, actor)
    require_verifying_unit(region, actor, fresh)
    return fresh


@transaction.atomic
def application_check(
    *,
    region: Region,
    actor: User,
    application: Application,
    answers: Mapping[int, Answer],
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """The document check: one answer per current document (by its id). It passes only
    when every mandatory document passed; otherwise request a correction instead. The
    application goes to inspection where its permit type asks for one."""
    fresh = _staff_step(region, actor, application, "check_pass", expected_version)
    documents = list(
        ApplicationDocument.objects.filter(
            region=region, application=fresh, is_current=True
        ).select_related("requirement")
    )
    unanswered = [d for d in documents if d.pk not in answers]
    if unanswered or set(answers) - {d.pk for d in documents}:
        raise DomainError(
            PermitsError.CHECKLIST_INCOMPLETE,
            _("Answer the checklist for each document of this application."),
            field_errors={f"answers.{d.pk}": [_("Answer this item.")] for d in unanswered},
            status=422,
        )
    now = timezone.now()
    for doc in documents:
        passed, reason = answers[doc.pk]
        doc.check_passed, doc.check_note = bool(passed), reason.strip()[:300]
        doc.checked_by, doc.checked_at = actor, now
        doc.save(update_fields=["check_passed", "check_note", "checked_by", "checked_at"])
    record(
        region,
        actor,
        fresh,
        "application.checklist",
        {f"document.{d.pk}": d.check_passed for d in documents},
    )
    failed = [d for d in documents if d.requirement.mandatory and not d.check_passed]
    if failed:
        raise DomainError(
            PermitsError.CHECKLIST_FAILED,
            _("Some documents did not pass: %(names)s. Request a correction instead.")
            % {"names": ", ".join(d.requirement.name for d in failed)},
            status=409,
        )
    inspect = fresh.permit_type is not None and fresh.permit_type.inspection_required
    return move(region, actor, fresh, "check_pass" if inspect else "check_pass_direct", note)


@transaction.atomic
def inspection_schedule(
    *,
    region: Region,
    actor: User,
    application: Application,
    scheduled_at: dt.datetime,
    inspector: User,
    expected_version: int | None = None,
) -> Inspection:
    """Schedule the field inspection with one of the region's officers (or move it)."""
    fresh = _staff_step(region, actor, application, "inspect", expected_version)
    if not isinstance(scheduled_at, dt.datetime) or timezone.is_naive(scheduled_at):
        raise ValidationFailed({"scheduled_at": [_("Give a date and time.")]})
    staff = Membership.objects.filter(
        region=region, user=inspector, role__in=(Role.OFFICER, Role.UNIT_HEAD), is_active=True
    )
    if inspector is None or not staff.exists() or inspector.pk == fresh.applicant_id:
        raise ValidationFailed({"inspector": [_("Choose one of the region's officers.")]})
    inspection = Inspection.objects.create(
        region=region, application=fresh, scheduled_at=scheduled_at, inspector=inspector
    )
    record(
        region,
        actor,
        fresh,
        "inspection.schedule",
        {"scheduled_at": scheduled_at.isoformat(), "inspector": inspector.pk},
    )
    return inspection


@transaction.atomic
def inspection_record(
    *,
    region: Region,
    actor: User,
    application: Application,
    findings: str,
    passed: bool,
    photos: Sequence[UploadedFile] = (),
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Record what the inspection found, with photos (location metadata stripped). A
    failed inspection still moves on: the recommendation and the decision weigh it."""
    fresh = _staff_step(region, actor, application, "inspect", expected_version)
    inspection = Inspection.objects.filter(region=region, application=fresh).first()
    if inspection is None:
        raise DomainError(
            PermitsError.INSPECTION_NOT_SCHEDULED,
            _("Schedule the inspection first."),
            status=409,
        )
    if not findings.strip():
        raise ValidationFailed({"findings": [_("This field is required.")]})
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]})
    cleaned = [clean_image(p, field=f"photos.{i}") for i, p in enumerate(photos)]
    inspection.findings, inspection.passed = findings.strip(), bool(passed)
    inspection.recorded_at, inspection.recorded_by = timezone.now(), actor
    inspection.save(update_fields=["findings", "passed", "recorded_at", "recorded_by"])
    for photo in cleaned:
        InspectionPhoto.objects.create(
            region=region,
            inspection=inspection,
            file=photo.content,
            content_type=photo.content_type,
            size=photo.content.size,
        )
    record(
        region,
        actor,
        fresh,
        "inspection.record",
        {"passed": bool(passed), "photos": len(cleaned)},
    )
    return move(region, actor, fresh, "inspect", note)


@transaction.atomic
def application_recommend(
    *,
    region: Region,
    actor: User,
    application: Application,
    favourable: bool,
    text: str,
    expected_version: int | None = None,
) -> Application:
    """The technical recommendation to the deciding official: for or against, and why."""
    fresh = _staff_step(region, actor, application, "recommend", expected_version)
    if not text.strip():
        raise ValidationFailed({"text": [_("This field is required.")]})
    Application.objects.filter(region=region, pk=fresh.pk).update(
        recommendation=text.strip(), recommendation_favourable=bool(favourable)
    )
    record(region, actor, fresh, "application.recommend", {"favourable": bool(favourable)})
    return move(region, actor, fresh, "recommend", text.strip())


@transaction.atomic
def application_approve(
    *,
    region: Region,
    actor: User,
    application: Application,
    note: str = "",
    expected_version: int | None = None,
) -> Application:
    """Approve: on to signing, or first to the levy's payment when the levy is above zero."""
    locked = lock(region, application, expected_version)
    fee_due = locked.fee_amount > 0 and not locked.paid_at
    action = "approve_for_payment" if fee_due else "approve"
    fresh = begin(region, actor, locked, action, locked.version)
    not_own(fresh, actor)
    return move(region, actor, fresh, action, note)


@transaction.atomic
def application_reject(
    *,
    region: Region,
    actor: User,
    application: Application,
    reason: str,
    expected_version: int | None = None,
) -> Application:
    """Reject at the current stage, with the reason the applicant is told."""
    fresh = lock(region, application, expected_version)
    require_stage_role(region, actor, fresh)
    not_own(fresh, actor)
    moved = move(region, actor, fresh, "reject", reason)
    Application.objects.filter(region=region, pk=moved.pk).update(decided_at=timezone.now())
    return moved


@transaction.atomic
def application_request_correction(
    *,
    region: Region,
    actor: User,
    application: Application,
    note: str,
    expected_version: int | None = None,
) -> Application:
    """Send the application back to the applicant with what to correct; the stage's clock
    stops with its working days left, and runs again on resubmission."""
    fresh = lock(region, application, expected_version)
    require_stage_role(region, actor, fresh)
    not_own(fresh, actor)
    return move(region, actor, fresh, "request_correction", note)


def require_signatory(region: Region, actor: User, application: Application) -> None:
    """The head of region (or delegate) signs any permit; a unit head only those of the
    permit type's signing unit. Nobody signs their own application."""
    not_own(application, actor)
    if Role.REGION_HEAD in roles_of(actor, region):
        return
    unit = application.permit_type.signing_unit if application.permit_type else None
    if unit is None or not member_of_unit(region, actor, unit, {Role.UNIT_HEAD}):
        raise DomainError(
            PermitsError.NOT_SIGNATORY,
            _("Only the head of region or the signing unit's head signs this permit."),
            status=403,
        )


@transaction.atomic
def application_sign(
    *,
    region: Region,
    actor: User,
    application: Application,
    note: str = "",
    expected_version: int | None = None,
) -> Permit:
    """Sign: the permit is issued with its number and verification code."""
    fresh = begin(region, actor, application, "sign", expected_version)
    require_signatory(region, actor, fresh)
    moved = move(region, actor, fresh, "sign", note)
    return permit_issue(region, moved, signed_by=actor)
