"""The staff's side of the permits API: the queue with its deadlines, each stage's step as
its own POST taking the `expected_version` the officer saw (a stale one is a 409
`concurrent_update`), the instant registrations to audit, and suspending, revoking or
reinstating an issued permit. The services decide who may take each step (the verifying
unit, the deciders, the signatory, never one's own application)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page
from lumbung.core.errors import ValidationFailed
from lumbung.core.models import User

from .api_common import (
    BINARY,
    Shown,
    application_out,
    application_visible,
    body_doc,
    permit_out,
    permit_visible,
    read_body,
    summary_out,
)
from .api_schemas import (
    PermitApplicationOut,
    PermitApplicationSummaryOut,
    PermitCheckIn,
    PermitInspectionIn,
    PermitIssuedOut,
    PermitListQuery,
    PermitReasonIn,
    PermitRecommendIn,
    PermitScheduleIn,
    PermitStatusChangeIn,
    PermitStepIn,
)
from .models import Permit
from .selectors import registrations
from .services import issuing, stages

router = Router(tags=["permits"], auth=AUTH)
STEP_CODES = (
    " Codes: permission_denied, action_not_allowed, permits_own_application, "
    "permits_not_stage_role (403), invalid_transition, concurrent_update (409)."
)
UNIT_CODE = " Only the permit type's verifying unit (or region-wide staff) acts here."


# Lists -----------------------------------------------------------------------------------


@router.get(
    "/registrations",
    response=list[PermitApplicationSummaryOut],
    summary="Instant registrations, to audit",
    description="Every report-only and self-declared registration, newest first: no officer "
    "handled them, the region sees and audits each afterwards.",
)
@paginate(Page, page_size=50, max_page_size=100)
def registration_list(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region, _user = require(request, "permits.audit_registrations")
    found = registrations(region).select_related("permit_type")
    return Shown(found, lambda a: summary_out(region, a))


@router.get(
    "/issued",
    response=list[PermitIssuedOut],
    summary="Issued receipts, certificates and permits (staff)",
    description="Newest first; filter by stored status (valid also lists expired ones).",
)
@paginate(Page, page_size=50, max_page_size=100)
def issued_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PermitListQuery]
):
    region, _user = require(request, "permits.view_queue")
    found = Permit.objects.filter(region=region).select_related("permit_type")
    if filters.status:
        found = found.filter(status=filters.status)
    return Shown(found, lambda p: permit_out(region, p))


# Stage steps -----------------------------------------------------------------------------


def step(request: HttpRequest, application_id: int, service: Any, **kwargs: Any) -> Any:
    """Run one stage's service on an application the caller may see, as the caller."""
    application, viewer = application_visible(request, application_id)
    service(region=region_of(request), actor=actor_of(request), application=application, **kwargs)
    return application_out(request, application, viewer)


@router.post(
    "/applications/{int:application_id}/check",
    response=PermitApplicationOut,
    summary="Document check passed (officer)",
    description="One answer per current document (by its id): passed, and a note. Passes "
    "only when every mandatory document passed; it then goes to inspection where the type "
    "asks for one, else to recommendation. Also: permits_checklist_incomplete (422), "
    "permits_checklist_failed (409: request a correction instead)." + UNIT_CODE + STEP_CODES,
)
def check(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitCheckIn
) -> Any:
    answers: dict[int, tuple[bool, str]] = {}
    for key, answer in payload.answers.items():
        if not key.isdigit() or len(key) > 10:
            raise ValidationFailed({f"answers.{key[:20]}": [_("Key answers by document id.")]})
        answers[int(key)] = (answer.passed, answer.note)
    return step(
        request,
        application_id,
        stages.application_check,
        answers=answers,
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/request-correction",
    response=PermitApplicationOut,
    summary="Request a correction",
    description="By the role deciding the current stage, with what to correct (`reason`, "
    "which the applicant reads). The stage's clock stops with its working days left." + STEP_CODES,
)
def request_correction(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitReasonIn
) -> Any:
    return step(
        request,
        application_id,
        stages.application_request_correction,
        note=payload.reason,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/inspection",
    response=PermitApplicationOut,
    summary="Schedule the field inspection (officer)",
    description="When, and which of the region's officers inspects; scheduling again moves "
    "it. The application stays at inspection (its version does not change)."
    + UNIT_CODE
    + STEP_CODES,
)
def inspection_schedule(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitScheduleIn
) -> Any:
    inspector = User.objects.filter(pk=payload.inspector_id, is_active=True).first()
    if inspector is None:
        raise ValidationFailed({"inspector_id": [_("Choose one of the region's officers.")]})
    return step(
        request,
        application_id,
        stages.inspection_schedule,
        scheduled_at=payload.scheduled_at,
        inspector=inspector,
        expected_version=payload.expected_version,
    )


PHOTOS_DOC = {
    "type": "array",
    "items": BINARY,
    "maxItems": stages.MAX_PHOTOS,
    "description": "JPEG, PNG or WebP, at most 5 MB each; location metadata is stripped",
}


@router.post(
    "/applications/{int:application_id}/inspection/record",
    response=PermitApplicationOut,
    summary="Record the inspection's findings (officer; JSON or multipart with photos)",
    description="Findings, passed or not, and `photos` files; on to the recommendation (a "
    "failed inspection is weighed there). Also: permits_inspection_not_scheduled (409)."
    + UNIT_CODE
    + STEP_CODES,
    openapi_extra=body_doc(PermitInspectionIn, files={"photos": PHOTOS_DOC}),
)
def inspection_record(request: HttpRequest, region_slug: Path[str], application_id: int) -> Any:
    payload, files = read_body(request, PermitInspectionIn)
    unknown = sorted(set(files) - {"photos"})
    if unknown:
        raise ValidationFailed({unknown[0][:40]: [_("Send photos as `photos`.")]})
    return step(
        request,
        application_id,
        stages.inspection_record,
        findings=payload.findings,
        passed=payload.passed,
        photos=files.get("photos", []),
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/recommend",
    response=PermitApplicationOut,
    summary="Technical recommendation (officer)",
    description="For or against, and why; on to approval." + UNIT_CODE + STEP_CODES,
)
def recommend(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitRecommendIn
) -> Any:
    return step(
        request,
        application_id,
        stages.application_recommend,
        favourable=payload.favourable,
        text=payload.text,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/approve",
    response=PermitApplicationOut,
    summary="Approve (unit head or head of region)",
    description="On to signing, or first to the levy's payment when one is due." + STEP_CODES,
)
def approve(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitStepIn
) -> Any:
    return step(
        request,
        application_id,
        stages.application_approve,
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/reject",
    response=PermitApplicationOut,
    summary="Reject, with the reason",
    description="By the role deciding the current stage; the applicant is told the reason."
    + STEP_CODES,
)
def reject(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitReasonIn
) -> Any:
    return step(
        request,
        application_id,
        stages.application_reject,
        reason=payload.reason,
        expected_version=payload.expected_version,
    )


@router.post(
    "/applications/{int:application_id}/sign",
    response=PermitApplicationOut,
    summary="Sign and issue (head of region, or the signing unit's head)",
    description="The permit is issued with its number and verification code (in `permit`). "
    "Also: permits_not_signatory (403)." + STEP_CODES,
)
def sign(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitStepIn
) -> Any:
    return step(
        request,
        application_id,
        stages.application_sign,
        note=payload.note,
        expected_version=payload.expected_version,
    )


# Issued permits: suspend, revoke, reinstate ----------------------------------------------

STATUS_CODES = (
    " With the reason (it is recorded, and the verification states the new status). Codes: "
    "action_not_allowed (403), permits_permit_status (409)."
)


def _status_change(
    request: HttpRequest, permit_id: int, service: Any, reason: str
) -> dict[str, Any]:
    permit, _viewer = permit_visible(request, permit_id)
    region = region_of(request)
    changed = service(region=region, actor=actor_of(request), permit=permit, reason=reason)
    return permit_out(region, changed)


@router.post(
    "/issued/{int:permit_id}/suspend",
    response=PermitIssuedOut,
    summary="Suspend a permit (unit head or head of region)",
    description="A valid permit only." + STATUS_CODES,
)
def suspend(
    request: HttpRequest, region_slug: Path[str], permit_id: int, payload: PermitStatusChangeIn
) -> dict[str, Any]:
    return _status_change(request, permit_id, issuing.permit_suspend, payload.reason)


@router.post(
    "/issued/{int:permit_id}/revoke",
    response=PermitIssuedOut,
    summary="Revoke a permit (unit head or head of region)",
    description="A valid or suspended permit; a revoked permit stays revoked." + STATUS_CODES,
)
def revoke(
    request: HttpRequest, region_slug: Path[str], permit_id: int, payload: PermitStatusChangeIn
) -> dict[str, Any]:
    return _status_change(request, permit_id, issuing.permit_revoke, payload.reason)


@router.post(
    "/issued/{int:permit_id}/reinstate",
    response=PermitIssuedOut,
    summary="Reinstate a suspended permit (unit head or head of region)",
    description="A suspended permit only." + STATUS_CODES,
)
def reinstate(
    request: HttpRequest, region_slug: Path[str], permit_id: int, payload: PermitStatusChangeIn
) -> dict[str, Any]:
    return _status_change(request, permit_id, issuing.permit_reinstate, payload.reason)
