"""The staff's page of one proposal: everything about it — the organisation and its
verification, the RAB, the documents, the amount at each stage with its justification, the
checklist answers (computed ones with their evidence), its red flags, the payments and the
timeline with who acted — and the form of the current step for a role that may take it.
The step forms post to backoffice_steps.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import User
from lumbung.core.permissions import can, roles_of
from lumbung.core.views.helpers import RegionRequest, current_region

from ..flags.explain import explain
from ..forms_backoffice import (
    AmountForm,
    AssignForm,
    ChecklistForm,
    DecideForm,
    NoteForm,
    NphdForm,
    RecommendForm,
    TrancheForm,
)
from ..models import (
    AmountChange,
    BudgetLine,
    ChecklistAnswer,
    Document,
    Proposal,
    RedFlag,
    Tranche,
)
from ..selectors_hibah import programme_usage, proposal_amounts, proposal_timeline
from ..services.checklists import checklist_items
from ..services.stages import require_evaluator
from ..workflow import (
    APPLICANT_ACTIONS,
    DISBURSED,
    EVALUATION,
    HIBAH_FLOW,
    STAGE_ROLES,
    SUBMITTED,
    TAPD,
)
from .backoffice_due import due_labels
from .common import step_names

# The order the step forms are shown in: the step's own first, then sending back, rejecting.
LAST = ("send_back", "reject")


def step_form(
    request: RegionRequest, proposal: Proposal, action: str, data: Any = None, files: Any = None
) -> forms.Form:
    """The form of one step, bound to a POST or fresh at the proposal's version."""
    region = current_region(request)
    initial = {"action": action, "expected_version": proposal.version}
    common: dict[str, Any] = {"initial": initial, "auto_id": f"id_{action}_%s"}
    if action == "check_ok":
        return ChecklistForm(data, items=checklist_items(region, SUBMITTED), **common)
    if action == "recommend":
        return RecommendForm(data, items=checklist_items(region, EVALUATION), **common)
    if action == "assign":
        return AssignForm(data, region=region, **common)
    if action in ("consider", "finalise"):
        return AmountForm(data, **common)
    if action == "decide":
        return DecideForm(data, **common)
    if action == "sign_nphd":
        return NphdForm(data, files, **common)
    if action == "disburse":
        return TrancheForm(data, files, **common)
    note_required = HIBAH_FLOW.action(action).note_required
    return NoteForm(data, note_required=note_required, **common)


def allowed_steps(request: RegionRequest, proposal: Proposal) -> list[str]:
    """The actions of the proposal's state this user's roles may take (the organisation's
    own actions are theirs, not staff's)."""
    region = current_region(request)
    if not can(request.user, "grants.work_proposal", region):
        return []
    roles = roles_of(request.user, region)
    # Sending back and rejecting are for the role deciding the current step only.
    deciding = STAGE_ROLES.get(proposal.state, frozenset())
    keys = [
        a.key
        for a in HIBAH_FLOW.actions_from(proposal.state)
        if a.roles & roles
        and a.key not in APPLICANT_ACTIONS
        and not a.system
        and (a.key not in LAST or deciding & roles)
    ]
    payable = (
        proposal.amount_final is not None and proposal.amount_disbursed < proposal.amount_final
    )
    if proposal.state == DISBURSED and payable and HIBAH_FLOW.action("disburse").roles & roles:
        keys.append("disburse")  # a further tranche
    if proposal.state == EVALUATION and keys and not _evaluator(request, proposal):
        return []
    return sorted(keys, key=lambda k: k in LAST)


def _evaluator(request: RegionRequest, proposal: Proposal) -> bool:
    try:
        require_evaluator(current_region(request), request.user, proposal)
    except DomainError:
        return False
    return True


def case_page(
    request: RegionRequest,
    proposal: Proposal,
    *,
    failed: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The page; after a refused step, with that step's form and its errors."""
    region = current_region(request)
    failed = failed or {}
    names = step_names(request, region)
    due_labels(region, [proposal], names)
    steps = [
        (HIBAH_FLOW.action(k), failed.get(k) or step_form(request, proposal, k))
        for k in allowed_steps(request, proposal)
    ]
    context: dict[str, Any] = {
        "proposal": proposal,
        "organisation": proposal.organisation,
        "amounts": proposal_amounts(proposal),
        "amount_changes": list(
            AmountChange.objects.filter(region=region, proposal=proposal).select_related("actor")
        ),
        "budget": list(BudgetLine.objects.filter(region=region, proposal=proposal)),
        "documents": _documents(region, proposal),
        "answers": _answers(region, proposal, names),
        "flags": _flags(request, proposal),
        "tranches": list(
            Tranche.objects.filter(region=region, proposal=proposal).prefetch_related("proofs")
        ),
        "may_pay": bool(roles_of(request.user, region) & HIBAH_FLOW.action("disburse").roles),
        "timeline": _timeline(request, proposal, names),
        "steps": steps,
        "error": error,
    }
    if proposal.state == TAPD:
        context["usage"] = programme_usage(region, proposal.programme)
    return render(request, "grants/backoffice/case.html", context, status=status)


def _documents(region: Any, proposal: Proposal) -> list[Document]:
    own = Document.objects.filter(region=region, proposal=proposal)
    organisation = Document.objects.filter(region=region, organisation=proposal.organisation_id)
    return [*organisation, *own]


def _answers(
    region: Any, proposal: Proposal, names: dict[str, str]
) -> list[tuple[str, list[ChecklistAnswer]]]:
    found = (
        ChecklistAnswer.objects.filter(region=region, proposal=proposal)
        .select_related("item", "actor")
        .order_by("item__state", "item__position", "id")
    )
    by_state: dict[str, list[ChecklistAnswer]] = {}
    for answer in found:
        by_state.setdefault(answer.item.state, []).append(answer)
    return [(names.get(s, s), rows) for s, rows in by_state.items()]


def _flags(request: RegionRequest, proposal: Proposal) -> list[dict[str, Any]]:
    region = current_region(request)
    if not can(request.user, "grants.view_flags", region):
        return []
    rows = []
    for flag in RedFlag.objects.filter(region=region, proposal=proposal).select_related(
        "dismissed_by"
    ):
        rows.append(
            {
                "flag": flag,
                "text": _explained(flag),
                "links": _links(request, flag),
                "may_dismiss": flag.dismissed_at is None
                and can(request.user, "grants.dismiss_flag", flag),
            }
        )
    return rows


def _explained(flag: RedFlag) -> str:
    try:
        return explain(flag.kind, flag.evidence).text
    except (KeyError, TypeError, ValueError):  # evidence of an older shape: say what it is
        return str(flag.get_kind_display())


def _links(request: RegionRequest, flag: RedFlag) -> list[tuple[str, str]]:
    slug = current_region(request).slug
    names = {
        "proposal": ("core:grants:case", _("proposal")),
        "organisation": ("core:grants:organisation", _("organisation")),
    }
    try:
        links = explain(flag.kind, flag.evidence).links
    except (KeyError, TypeError, ValueError):
        return []
    found = []
    for link in links:
        if link.model in names:
            name, text = names[link.model]
            found.append((reverse(name, args=[slug, link.id]), f"{text} #{link.id}"))
    return found


def _timeline(
    request: RegionRequest, proposal: Proposal, labels: dict[str, str]
) -> list[dict[str, Any]]:
    entries = proposal_timeline(current_region(request), proposal)
    people = {
        u.pk: u.display_name
        for u in User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id})
    }
    actions = {a.key: a.label for a in HIBAH_FLOW.actions}
    return [
        {
            "entry": e,
            "actor": people.get(e.actor_id or 0, ""),
            "action": actions.get(e.action, e.action),
            "from_label": labels.get(e.from_state, ""),
            "to_label": labels.get(e.to_state, ""),
        }
        for e in entries
    ]
