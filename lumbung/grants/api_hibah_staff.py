"""The staff's side of the hibah API: the organisation register and its verification, the
queue, each review step as its own POST (each taking the `expected_version` the reviewer
saw, so that two reviewers cannot both take one step), tranches and the LPJ's verification.
The services decide who may take each step; their refusals come back as problems with
their stable codes."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of
from lumbung.core.models import Unit

from .api_hibah import no_nul
from .api_hibah_common import (
    organisation_out,
    organisation_visible,
    proposal_visible,
    shown,
    tranches_out,
)
from .api_schemas_hibah import (
    HibahAmountIn,
    HibahAssignIn,
    HibahCheckIn,
    HibahDecideIn,
    HibahOrganisationOut,
    HibahProposalOut,
    HibahReasonIn,
    HibahRecommendIn,
    HibahRejectOrganisationIn,
    HibahStepIn,
    HibahTrancheIn,
    HibahTrancheOut,
    HibahVerifyIn,
    Note,
    Version,
)
from .services import stages
from .services.checklists import Answer
from .services.disbursement import lpj_return, lpj_verify, tranche_record
from .services.organisations import organisation_reject, organisation_verify

router = Router(tags=["grants"], auth=AUTH)
STEP_CODES = (
    " Codes: action_not_allowed, grants_not_evaluating_unit (403), invalid_transition, "
    "concurrent_update (409)"
)


# Organisations ----------------------------------------------------------------------------


@router.post(
    "/organisations/{int:organisation_id}/verify",
    response=HibahOrganisationOut,
    summary="Verify an organisation (staff)",
    description="Its legal facts are confirmed; later proposals reuse this. Codes: "
    "permission_denied (403), grants_organisation_not_pending (409).",
)
def organisation_verify_route(
    request: HttpRequest, region_slug: Path[str], organisation_id: int, payload: HibahVerifyIn
) -> dict[str, Any]:
    organisation, _viewer = organisation_visible(request, organisation_id)
    verified = organisation_verify(
        region=region_of(request),
        actor=actor_of(request),
        organisation=organisation,
        note=payload.note,
    )
    return organisation_out(verified)


@router.post(
    "/organisations/{int:organisation_id}/reject",
    response=HibahOrganisationOut,
    summary="Reject an organisation's registration (staff)",
    description="With the reason it is told. Codes: permission_denied (403), "
    "grants_organisation_not_pending (409).",
)
def organisation_reject_route(
    request: HttpRequest,
    region_slug: Path[str],
    organisation_id: int,
    payload: HibahRejectOrganisationIn,
) -> dict[str, Any]:
    organisation, _viewer = organisation_visible(request, organisation_id)
    rejected = organisation_reject(
        region=region_of(request),
        actor=actor_of(request),
        organisation=organisation,
        reason=payload.reason,
    )
    return organisation_out(rejected)


# Review steps -----------------------------------------------------------------------------


def answers_of(payload: HibahCheckIn | HibahRecommendIn) -> dict[str, Answer]:
    return {
        key: Answer(passed=a.passed, on_date=a.on_date, note=a.note)
        for key, a in payload.answers.items()
    }


def step(request: HttpRequest, proposal_id: int, service: Any, **kwargs: Any) -> Any:
    """Run one review step's service on a proposal the caller may see, as the caller."""
    proposal, viewer = proposal_visible(request, proposal_id)
    service(region=region_of(request), actor=actor_of(request), proposal=proposal, **kwargs)
    return shown(request, proposal, viewer)


@router.post(
    "/proposals/{int:proposal_id}/check",
    response=HibahProposalOut,
    summary="Administrative check passed (officer)",
    description="Answers every manual item of the document checklist; the computed items are "
    "filled in by the system. Passes only for a verified organisation and passed required "
    "items. Also: grants_organisation_not_verified, grants_checklist_failed (409), "
    "grants_checklist_unknown_item, grants_checklist_computed, grants_checklist_incomplete "
    "(422)." + STEP_CODES,
)
def check(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahCheckIn
) -> Any:
    return step(
        request,
        proposal_id,
        stages.proposal_check,
        answers=answers_of(payload),
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/proposals/{int:proposal_id}/assign",
    response=HibahProposalOut,
    summary="Assign to an evaluating unit (consideration team)",
    description="Also: grants_unit_required (422)." + STEP_CODES,
)
def assign(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahAssignIn
) -> Any:
    unit = Unit.objects.filter(region=region_of(request), pk=payload.unit_id).first()
    return step(
        request,
        proposal_id,
        stages.proposal_assign,
        unit=unit,
        note=payload.note,
        expected_version=payload.expected_version,
    )


def _amount_step(
    request: HttpRequest, proposal_id: int, service: Any, payload: HibahAmountIn
) -> Any:
    return step(
        request,
        proposal_id,
        service,
        amount=payload.amount,
        justification=payload.justification,
        note=payload.note,
        expected_version=payload.expected_version,
    )


AMOUNT_CODES = " Also: grants_amount_invalid, grants_amount_rise_unjustified (422)."


@router.post(
    "/proposals/{int:proposal_id}/recommend",
    response=HibahProposalOut,
    summary="Field verification and recommended amount (evaluating unit)",
    description="The evaluation checklist (dated field visit) and the unit's amount, above "
    "the requested one only with a justification." + AMOUNT_CODES + STEP_CODES,
)
def recommend(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahRecommendIn
) -> Any:
    return step(
        request,
        proposal_id,
        stages.proposal_recommend,
        answers=answers_of(payload),
        amount=payload.amount,
        justification=payload.justification,
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/proposals/{int:proposal_id}/consider",
    response=HibahProposalOut,
    summary="Considered amount (consideration team)",
    description="Above the recommended amount only with a justification."
    + AMOUNT_CODES
    + STEP_CODES,
)
def consider(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahAmountIn
) -> Any:
    return _amount_step(request, proposal_id, stages.proposal_consider, payload)


@router.post(
    "/proposals/{int:proposal_id}/finalise",
    response=HibahProposalOut,
    summary="Final amount (TAPD)",
    description="The proposal joins the nominative list. The programme's approved total never "
    "passes its ceiling: grants_ceiling_exceeded (409)." + AMOUNT_CODES + STEP_CODES,
)
def finalise(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahAmountIn
) -> Any:
    return _amount_step(request, proposal_id, stages.proposal_finalise, payload)


@router.post(
    "/proposals/{int:proposal_id}/decide",
    response=HibahProposalOut,
    summary="The head of region's decision",
    description="Records the decision (SK) number." + STEP_CODES,
)
def decide(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahDecideIn
) -> Any:
    return step(
        request,
        proposal_id,
        stages.proposal_decide,
        decision_number=payload.decision_number,
        note=payload.note,
        expected_version=payload.expected_version,
    )


class HibahNphdForm(Schema):
    expected_version: int = Version
    nphd_number: str
    signed_on: dt.date
    note: str = Note


@router.post(
    "/proposals/{int:proposal_id}/sign-nphd",
    response=HibahProposalOut,
    summary="The signed NPHD (officer, multipart)",
    description="Its number, date and the signed document (PDF or a photo). Also: "
    "grants_document_required (422)." + STEP_CODES,
)
def sign_nphd(
    request: HttpRequest,
    region_slug: Path[str],
    proposal_id: int,
    form: Form[HibahNphdForm],
    document: File[UploadedFile | None] = None,
) -> Any:
    no_nul(request)
    return step(
        request,
        proposal_id,
        stages.proposal_sign_nphd,
        nphd_number=form.nphd_number[:80],
        signed_on=form.signed_on,
        document=document,
        note=form.note,
        expected_version=form.expected_version,
    )


@router.post(
    "/proposals/{int:proposal_id}/send-back",
    response=HibahProposalOut,
    summary="Send back for correction",
    description="By the role deciding the current step, with a note the organisation reads; "
    "the step's clock stops. Codes: grants_not_stage_role (403), invalid_transition, "
    "concurrent_update (409).",
)
def send_back(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahReasonIn
) -> Any:
    return step(
        request,
        proposal_id,
        stages.proposal_send_back,
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/proposals/{int:proposal_id}/reject",
    response=HibahProposalOut,
    summary="Reject",
    description="By the role deciding the current step, with the reason. Codes: "
    "grants_not_stage_role (403), invalid_transition, concurrent_update (409).",
)
def reject(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahReasonIn
) -> Any:
    return step(
        request,
        proposal_id,
        stages.proposal_reject,
        note=payload.note,
        expected_version=payload.expected_version,
    )


# Disbursement and the LPJ -----------------------------------------------------------------


@router.get(
    "/proposals/{int:proposal_id}/tranches",
    response=list[HibahTrancheOut],
    summary="The payments of a grant",
    description="For staff and the organisation's accounts.",
)
def tranches(request: HttpRequest, region_slug: Path[str], proposal_id: int) -> Any:
    proposal, _viewer = proposal_visible(request, proposal_id)
    return tranches_out(region_of(request), proposal)


@router.post(
    "/proposals/{int:proposal_id}/tranches",
    response={201: HibahTrancheOut},
    summary="Record a payment (officer)",
    description="The first moves the proposal to disbursed and sets the LPJ's due date. "
    "Codes: action_not_allowed (403), grants_not_disbursable, grants_tranche_exceeds_final, "
    "concurrent_update (409), grants_amount_invalid, validation_error (422).",
)
def tranche_create(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahTrancheIn
) -> Status[dict[str, Any]]:
    proposal, _viewer = proposal_visible(request, proposal_id)
    tranche = tranche_record(
        region=region_of(request),
        actor=actor_of(request),
        proposal=proposal,
        amount=payload.amount,
        paid_on=payload.paid_on,
        reference=payload.reference,
        expected_version=payload.expected_version,
    )
    shown_row = next(t for t in tranches_out(region_of(request), proposal) if t["id"] == tranche.pk)
    return Status(201, shown_row)


@router.post(
    "/proposals/{int:proposal_id}/lpj/verify",
    response=HibahProposalOut,
    summary="LPJ verified (officer)",
    description="The proposal is closed." + STEP_CODES,
)
def lpj_verify_route(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahStepIn
) -> Any:
    return step(
        request,
        proposal_id,
        lpj_verify,
        note=payload.note,
        expected_version=payload.expected_version,
    )


@router.post(
    "/proposals/{int:proposal_id}/lpj/return",
    response=HibahProposalOut,
    summary="Send the LPJ back (officer)",
    description="With the reason; the grant waits for its LPJ again (and is overdue once "
    "past its due date)." + STEP_CODES,
)
def lpj_return_route(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahReasonIn
) -> Any:
    return step(
        request,
        proposal_id,
        lpj_return,
        note=payload.note,
        expected_version=payload.expected_version,
    )
