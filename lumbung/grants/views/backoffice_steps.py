"""Taking a review step from the case page: one address for every step, the form naming its
action. The form checks shape, the step's service decides; a refusal shows the case page
again with the error at its field (in the status it carries) and nothing written, and a
stale form (someone moved the proposal since) gets the "someone else changed this" message
with the page as it is now. A step that is not this user's (another role's, or the
proposal moved on) is refused by its service, in its own words and status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.models import Region, User
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Proposal
from ..services import disbursement, stages
from ..workflow import HIBAH_FLOW
from .backoffice_case import case_page, step_form
from .common import error_status, proposal_or_404, renamed, show_error

Run = Callable[[Region, User, Proposal, dict[str, Any], Any], object]


def _answers(form: forms.Form) -> Any:
    return form.answers()  # type: ignore[attr-defined]


def _common(data: dict[str, Any]) -> dict[str, Any]:
    return {"expected_version": data["expected_version"]}


FILE_FIELD = {"disburse": "proof", "sign_nphd": "document"}

RUNS: dict[str, Run] = {
    "check_ok": lambda r, a, p, d, f: stages.proposal_check(
        region=r, actor=a, proposal=p, answers=_answers(f), note=d["note"], **_common(d)
    ),
    "assign": lambda r, a, p, d, f: stages.proposal_assign(
        region=r, actor=a, proposal=p, unit=d["unit"], note=d["note"], **_common(d)
    ),
    "recommend": lambda r, a, p, d, f: stages.proposal_recommend(
        region=r,
        actor=a,
        proposal=p,
        answers=_answers(f),
        amount=d["amount"],
        justification=d["justification"],
        note=d["note"],
        **_common(d),
    ),
    "consider": lambda r, a, p, d, f: stages.proposal_consider(
        region=r,
        actor=a,
        proposal=p,
        amount=d["amount"],
        justification=d["justification"],
        note=d["note"],
        **_common(d),
    ),
    "finalise": lambda r, a, p, d, f: stages.proposal_finalise(
        region=r,
        actor=a,
        proposal=p,
        amount=d["amount"],
        justification=d["justification"],
        note=d["note"],
        **_common(d),
    ),
    "decide": lambda r, a, p, d, f: stages.proposal_decide(
        region=r,
        actor=a,
        proposal=p,
        decision_number=d["decision_number"],
        note=d["note"],
        **_common(d),
    ),
    "sign_nphd": lambda r, a, p, d, f: stages.proposal_sign_nphd(
        region=r,
        actor=a,
        proposal=p,
        nphd_number=d["nphd_number"],
        signed_on=d["signed_on"],
        document=d.get("document"),  # type: ignore[arg-type]
        note=d["note"],
        **_common(d),
    ),
    "disburse": lambda r, a, p, d, f: disbursement.tranche_record(
        region=r,
        actor=a,
        proposal=p,
        amount=d["amount"],
        paid_on=d["paid_on"],
        reference=d["reference"],
        proof=d.get("proof"),
        **_common(d),
    ),
    "verify_lpj": lambda r, a, p, d, f: disbursement.lpj_verify(
        region=r, actor=a, proposal=p, note=d["note"], **_common(d)
    ),
    "return_lpj": lambda r, a, p, d, f: disbursement.lpj_return(
        region=r, actor=a, proposal=p, note=d["note"], **_common(d)
    ),
    "send_back": lambda r, a, p, d, f: stages.proposal_send_back(
        region=r, actor=a, proposal=p, note=d["note"], **_common(d)
    ),
    "reject": lambda r, a, p, d, f: stages.proposal_reject(
        region=r, actor=a, proposal=p, note=d["note"], **_common(d)
    ),
}


@require_perm("grants.work_proposal")
def step(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    proposal = proposal_or_404(region, pk)
    if request.method != "POST":
        return redirect("core:grants:case", region.slug, proposal.pk)
    action = request.POST.get("action", "")
    if action not in RUNS:
        raise Http404
    form = step_form(request, proposal, action, request.POST, request.FILES)
    if not form.is_valid():
        return case_page(request, proposal, failed={action: form}, status=422)
    try:
        RUNS[action](region, request.user, proposal, form.cleaned_data, form)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        fresh = proposal_or_404(region, pk)
        failed: dict[str, forms.Form] = {}
        if error.status != 409 or error.field_errors:
            # a refused file is "file" in the service: the form's is the proof or the NPHD
            show_error(form, renamed(error, {"file": FILE_FIELD.get(action, "document")}))
            failed[action] = form
        return case_page(
            request, fresh, failed=failed, error=str(error.message), status=error_status(error)
        )
    messages.success(request, _("Saved: %(step)s.") % {"step": HIBAH_FLOW.action(action).label})
    return redirect("core:grants:case", region.slug, proposal.pk)
