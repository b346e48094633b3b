"""One service per review step of a hibah proposal: each sets what its step sets (the
checklist, the evaluating unit, an amount, the decision, the NPHD) and moves the case, in
one transaction. The proposal row is locked first and its version checked, so two
reviewers taking the same step at once cannot both succeed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lumbung.core.attachments import clean_document
from lumbung.core.errors import Conflict, DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import Membership, Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of
from lumbung.core.services.audit import audit_record
from lumbung.core.services.workflow import case_transition

from ..errors import GrantsError
from ..models import Document, Proposal, Stage, Verification
from ..workflow import EVALUATION, HIBAH_FLOW, STAGE_ROLES, SUBMITTED
from .checklists import Answer, checklist_gate, checklist_record
from .documents import store_document
from .organisations import region_today, same_region
from .proposals import amount_set, ceiling_check, rupiah

EVALUATORS = (Role.OFFICER, Role.UNIT_HEAD)


def lock(region: Region, proposal: Proposal, expected_version: int | None) -> Proposal:
    """The proposal's row, locked for the step; a copy someone has moved since is stale."""
    same_region(region, proposal)
    fresh = Proposal.objects.select_for_update().filter(region=region, pk=proposal.pk).first()
    if fresh is None:
        raise NotFound()
    version = proposal.version if expected_version is None else expected_version
    if fresh.version != version:
        raise Conflict(
            ErrorCode.CONCURRENT_UPDATE,
            _("Someone else changed this proposal a moment ago. Reload it and try again."),
        )
    return fresh


def begin(
    region: Region, actor: User, proposal: Proposal, action: str, expected_version: int | None
) -> Proposal:
    """Lock the proposal and check, before anything is written, that the action applies
    to its state and the actor's role may take it (the engine checks again on the move)."""
    fresh = lock(region, proposal, expected_version)
    step = HIBAH_FLOW.action(action)
    if fresh.state not in step.sources:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("“%(action)s” is not possible while the proposal is “%(state)s”.")
            % {"action": step.label, "state": HIBAH_FLOW.state(fresh.state).label},
            status=409,
        )
    if not roles_of(actor, region) & step.roles:
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Your role may not take this action."), status=403
        )
    if fresh.state == EVALUATION:
        require_evaluator(region, actor, fresh)
    return fresh


def require_evaluator(region: Region, actor: User, proposal: Proposal) -> None:
    """At the evaluation, only staff of the evaluating unit (or region-wide staff) act."""
    unit_ok = Q(unit_id=proposal.evaluating_unit_id) | Q(unit__isnull=True)
    member = Membership.objects.filter(
        region=region, user=actor, role__in=EVALUATORS, is_active=True
    ).filter(unit_ok)
    if not member.exists():
        raise DomainError(
            GrantsError.NOT_EVALUATING_UNIT,
            _("Only the evaluating unit's staff can act at this step."),
            status=403,
        )


def move(region: Region, actor: User, proposal: Proposal, action: str, note: str = "") -> Proposal:
    case_transition(
        region=region,
        actor=actor,
        case=proposal,
        action=action,
        note=note,
        expected_version=proposal.version,
    )
    proposal.refresh_from_db()
    return proposal


def record(
    region: Region, actor: User, proposal: Proposal, action: str, changes: dict[str, Any]
) -> None:
    audit_record(
        region=region, actor=actor, action=f"grants.hibah.{action}", obj=proposal, changes=changes
    )


@transaction.atomic
def proposal_check(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    answers: Mapping[str, Answer],
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The administrative check: the document checklist, with the computed items filled
    in by the system. It passes only for a verified organisation and passed required items."""
    fresh = begin(region, actor, proposal, "check_ok", expected_version)
    if fresh.organisation.verification != Verification.VERIFIED:
        raise DomainError(
            GrantsError.ORGANISATION_NOT_VERIFIED,
            _("The organisation is not verified yet; verify it before the check can pass."),
            status=409,
        )
    checklist_gate(
        checklist_record(
            region=region, actor=actor, proposal=fresh, state=SUBMITTED, answers=answers
        )
    )
    return move(region, actor, fresh, "check_ok", note)


@transaction.atomic
def proposal_assign(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    unit: Unit,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The consideration team hands the proposal to an evaluating unit (OPD)."""
    fresh = begin(region, actor, proposal, "assign", expected_version)
    if unit is None or unit.region_id != region.pk or not unit.is_active:
        raise DomainError(
            GrantsError.UNIT_REQUIRED,
            _("Choose one of the region's active units."),
            field_errors={"unit": [_("Choose a unit.")]},
            status=422,
        )
    before = fresh.evaluating_unit_id
    Proposal.objects.filter(region=region, pk=fresh.pk).update(evaluating_unit=unit)
    fresh.evaluating_unit = unit
    record(region, actor, fresh, "unit", {"evaluating_unit": [before, unit.pk]})
    return move(region, actor, fresh, "assign", note)


@transaction.atomic
def proposal_recommend(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    answers: Mapping[str, Answer],
    amount: Any,
    justification: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The evaluating unit's field verification and its recommended amount."""
    fresh = begin(region, actor, proposal, "recommend", expected_version)
    value = rupiah(amount)
    checklist_gate(
        checklist_record(
            region=region, actor=actor, proposal=fresh, state=EVALUATION, answers=answers
        )
    )
    amount_set(region, actor, fresh, Stage.RECOMMENDED, value, justification)
    return move(region, actor, fresh, "recommend", note)


@transaction.atomic
def proposal_consider(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    amount: Any,
    justification: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The consideration team's amount."""
    fresh = begin(region, actor, proposal, "consider", expected_version)
    amount_set(region, actor, fresh, Stage.CONSIDERED, rupiah(amount), justification)
    return move(region, actor, fresh, "consider", note)


@transaction.atomic
def proposal_finalise(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    amount: Any,
    justification: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """TAPD's final amount; the proposal joins the nominative list. The programme's
    approved total may never pass its ceiling."""
    fresh = begin(region, actor, proposal, "finalise", expected_version)
    value = rupiah(amount)
    ceiling_check(region, fresh, value)
    amount_set(region, actor, fresh, Stage.FINAL, value, justification)
    return move(region, actor, fresh, "finalise", note)


@transaction.atomic
def proposal_decide(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    decision_number: str,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The head of region's decision (SK) approving the grant."""
    fresh = begin(region, actor, proposal, "decide", expected_version)
    number = decision_number.strip()
    if not number:
        raise ValidationFailed({"decision_number": [_("This field is required.")]})
    Proposal.objects.filter(region=region, pk=fresh.pk).update(decision_number=number[:80])
    record(region, actor, fresh, "decision", {"decision_number": [fresh.decision_number, number]})
    return move(region, actor, fresh, "decide", note)


@transaction.atomic
def proposal_sign_nphd(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    nphd_number: str,
    signed_on: dt.date,
    document: UploadedFile,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The signed grant agreement (NPHD): its number, date and the signed document."""
    fresh = begin(region, actor, proposal, "sign_nphd", expected_version)
    number = nphd_number.strip()
    errors: dict[str, list[str]] = {}
    if not number:
        errors["nphd_number"] = [_("This field is required.")]
    if not isinstance(signed_on, dt.date) or signed_on > region_today(region):
        errors["signed_on"] = [_("Give the date it was signed, not in the future.")]
    if errors:
        raise ValidationFailed(errors)
    if document is None:
        raise DomainError(
            GrantsError.DOCUMENT_REQUIRED,
            _("Attach the signed NPHD."),
            field_errors={"document": [_("This field is required.")]},
            status=422,
        )
    store_document(region, actor, clean_document(document), Document.Kind.NPHD, proposal=fresh)
    Proposal.objects.filter(region=region, pk=fresh.pk).update(
        nphd_number=number[:80], nphd_signed_on=signed_on
    )
    record(region, actor, fresh, "nphd", {"nphd_number": number, "nphd_signed_on": signed_on})
    return move(region, actor, fresh, "sign_nphd", note)


def _stage_role(region: Region, actor: User, proposal: Proposal) -> None:
    """Only the role that decides the proposal's current step sends it back or rejects it
    (in a state that is no review step, the engine refuses the action itself)."""
    if proposal.state not in STAGE_ROLES:
        return
    if not roles_of(actor, region) & STAGE_ROLES[proposal.state]:
        raise DomainError(
            GrantsError.NOT_STAGE_ROLE,
            _("Only the role deciding this step can send it back or reject it."),
            status=403,
        )


@transaction.atomic
def proposal_send_back(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str,
    expected_version: int | None = None,
) -> Proposal:
    """Return the proposal to the organisation for correction; the step's clock stops."""
    fresh = lock(region, proposal, expected_version)
    _stage_role(region, actor, fresh)
    if fresh.state == EVALUATION:
        require_evaluator(region, actor, fresh)
    return move(region, actor, fresh, "send_back", note)


@transaction.atomic
def proposal_reject(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str,
    expected_version: int | None = None,
) -> Proposal:
    """Reject the proposal at its current step, with the reason the organisation is told."""
    fresh = lock(region, proposal, expected_version)
    _stage_role(region, actor, fresh)
    if fresh.state == EVALUATION:
        require_evaluator(region, actor, fresh)
    return move(region, actor, fresh, "reject", note)
