"""A proposal's page for its organisation's accounts: where it stands and what the step
needs, its timeline, and what they can do — resubmit after a send-back (the officer's note
shown), withdraw, hand in the LPJ after the disbursement, add a document. Each action
posts to its own address and comes back (post/redirect/get); a refusal shows the page
again with the error at its field and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.models import User
from lumbung.core.views.helpers import current_region

from ..forms import (
    DocumentUploadForm,
    LpjForm,
    ResubmitForm,
    WithdrawForm,
    budget_formset,
    budget_lines,
)
from ..models import BudgetLine, Document, Proposal
from ..selectors_hibah import TimelineEntry, proposal_amounts, proposal_timeline
from ..services.disbursement import lpj_submit
from ..services.documents import document_attach
from ..services.organisations import is_account
from ..services.proposals import proposal_resubmit, proposal_withdraw
from ..workflow import (
    DISBURSED,
    HIBAH_FLOW,
    LPJ_SUBMITTED,
    RETURNED,
    SUBMITTED,
)
from .common import error_status, proposal_or_404, show_error, signed_in, step_names

# What the organisation should know or do at each step.
NEXT_STEP = {
    "submitted": gettext_lazy("The officers are checking your documents."),
    "assignment": gettext_lazy("The consideration team is choosing the unit that evaluates it."),
    "evaluation": gettext_lazy("The evaluating unit will visit and verify it on the spot."),
    "consideration": gettext_lazy("The consideration team is weighing the amount."),
    "tapd": gettext_lazy("The budget team (TAPD) is setting the final amount."),
    "nominative": gettext_lazy("Listed as a prospective recipient; awaiting the decision."),
    "decided": gettext_lazy("Approved. The grant agreement (NPHD) will be signed with you."),
    "agreement": gettext_lazy("The NPHD is signed; the grant will be paid to your account."),
    "disbursed": gettext_lazy("Paid. Hand in the accountability report (LPJ) by its due date."),
    "lpj_submitted": gettext_lazy("The officers are verifying your accountability report."),
    "closed": gettext_lazy("Closed: the grant is accounted for."),
    "returned": gettext_lazy("Sent back to you: correct it as the note says, then resubmit."),
    "rejected": gettext_lazy("Rejected, for the reason below."),
    "withdrawn": gettext_lazy("You withdrew this proposal."),
}
# Staff notes the organisation is told (the others stay between staff).
TOLD = frozenset({"send_back", "reject", "return_lpj", "resubmit", "withdraw", "submit_lpj"})


def own_proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = proposal_or_404(current_region(request), pk)
    if not is_account(proposal.organisation, request.user):  # type: ignore[arg-type]
        raise Http404
    return proposal


def _timeline(entries: list[TimelineEntry], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        rows.append(
            {
                "entry": entry,
                "from_label": labels.get(entry.from_state, ""),
                "to_label": labels.get(entry.to_state, ""),
                "note": entry.note if entry.action in TOLD or entry.kind == "amount" else "",
            }
        )
    return rows


def _last_note(entries: list[TimelineEntry], actions: set[str]) -> str:
    for entry in reversed(entries):
        if entry.kind == "transition" and entry.action in actions:
            return entry.note
    return ""


def proposal_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    failed: dict[str, forms.Form] | None = None,
    error: str = "",
    lines: Any = None,
    status: int = 200,
) -> HttpResponse:
    region = current_region(request)
    failed = failed or {}
    version = {"expected_version": proposal.version}
    entries = proposal_timeline(region, proposal)
    names = step_names(request, region)
    context: dict[str, Any] = {
        "proposal": proposal,
        "state_label": names.get(proposal.state, proposal.state),
        "next_step": NEXT_STEP.get(proposal.state, ""),
        "amounts": proposal_amounts(proposal),
        "budget": list(BudgetLine.objects.filter(region=region, proposal=proposal)),
        "documents": list(Document.objects.filter(region=region, proposal=proposal)),
        "timeline": _timeline(entries, names),
        "officer_note": _last_note(entries, {"send_back", "reject", "return_lpj"}),
        "error": error,
    }
    state = proposal.state
    if state == RETURNED:
        context["resubmit_form"] = failed.get("resubmit") or ResubmitForm(initial=version)
        context["lines"] = lines or budget_formset(initial=_line_rows(context["budget"]))
    if state in (SUBMITTED, RETURNED):
        context["withdraw_form"] = failed.get("withdraw") or WithdrawForm(initial=version)
    if state == DISBURSED:
        context["lpj_form"] = failed.get("lpj") or LpjForm(initial=version)
    if not HIBAH_FLOW.state(state).terminal and state != LPJ_SUBMITTED:
        context["document_form"] = failed.get("document") or DocumentUploadForm()
    return render(request, "grants/citizen/proposal.html", context, status=status)


def _line_rows(budget: list[BudgetLine]) -> list[dict[str, Any]]:
    return [
        {
            "description": b.description,
            "quantity": b.quantity.normalize(),
            "unit": b.unit,
            "unit_price": b.unit_price.normalize(),
        }
        for b in budget
    ]


@signed_in
@require_http_methods(["GET", "HEAD"])
def proposal_mine(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    return proposal_page(request, own_proposal(request, pk))


Run = Callable[[dict[str, Any]], object]


def _act(
    request: HttpRequest,
    proposal: Proposal,
    name: str,
    form: forms.Form,
    run: Run,
    done: str,
    lines: Any = None,
) -> HttpResponse:
    """Validate, run the service, and come back to the page (or show it with the error)."""
    lines_ok = lines is None or lines.is_valid()
    if not form.is_valid() or not lines_ok:
        return proposal_page(request, proposal, failed={name: form}, lines=lines, status=422)
    try:
        run(form.cleaned_data)
    except DomainError as error:
        fresh = own_proposal(request, proposal.pk)
        failed: dict[str, forms.Form] = {}
        loose: list[str] = []
        if error.status != 409:  # after a conflict the forms start from the new state
            loose = show_error(form, error, lines)
            failed[name] = form
        message = " ".join([str(error.message), *loose])
        return proposal_page(
            request, fresh, failed=failed, error=message, lines=lines, status=error_status(error)
        )
    messages.success(request, done)
    return _back(request, proposal)


def _back(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    return redirect("core:grants:my-proposal", current_region(request).slug, proposal.pk)


@signed_in
def resubmit(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    proposal = own_proposal(request, pk)
    if request.method != "POST":
        return _back(request, proposal)
    form = ResubmitForm(request.POST)
    replace = request.POST.get("replace_lines") == "on"
    lines = budget_formset(request.POST) if replace else None

    def run(data: dict[str, Any]) -> object:
        return proposal_resubmit(
            region=current_region(request),
            actor=request.user,  # type: ignore[arg-type]
            proposal=proposal,
            note=data["note"],
            lines=budget_lines(lines) if lines is not None else None,
            expected_version=data["expected_version"],
        )

    return _act(request, proposal, "resubmit", form, run, _("Resubmitted."), lines)


@signed_in
def withdraw(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    proposal = own_proposal(request, pk)
    if request.method != "POST":
        return _back(request, proposal)
    form = WithdrawForm(request.POST)

    def run(data: dict[str, Any]) -> object:
        return proposal_withdraw(
            region=current_region(request),
            actor=request.user,  # type: ignore[arg-type]
            proposal=proposal,
            note=data["note"],
            expected_version=data["expected_version"],
        )

    return _act(request, proposal, "withdraw", form, run, _("Withdrawn."))


@signed_in
def lpj(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    proposal = own_proposal(request, pk)
    if request.method != "POST":
        return _back(request, proposal)
    form = LpjForm(request.POST, request.FILES)

    def run(data: dict[str, Any]) -> object:
        return lpj_submit(
            region=current_region(request),
            actor=request.user,  # type: ignore[arg-type]
            proposal=proposal,
            document=data.get("document"),
            note=data["note"],
            expected_version=data["expected_version"],
        )

    return _act(request, proposal, "lpj", form, run, _("Accountability report submitted."))


@signed_in
def document(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    proposal = own_proposal(request, pk)
    if request.method != "POST":
        return _back(request, proposal)
    form = DocumentUploadForm(request.POST, request.FILES)
    actor: User = request.user  # type: ignore[assignment]

    def run(data: dict[str, Any]) -> object:
        return document_attach(
            region=current_region(request),
            actor=actor,
            upload=data["file"],
            kind=data["kind"],
            proposal=proposal,
        )

    return _act(request, proposal, "document", form, run, _("Document added."))


urlpatterns: list[URLPattern] = [
    path("proposals/<int:pk>/", proposal_mine, name="my-proposal"),
    path("proposals/<int:pk>/resubmit/", resubmit, name="my-proposal-resubmit"),
    path("proposals/<int:pk>/withdraw/", withdraw, name="my-proposal-withdraw"),
    path("proposals/<int:pk>/lpj/", lpj, name="my-proposal-lpj"),
    path("proposals/<int:pk>/document/", document, name="my-proposal-document"),
]
