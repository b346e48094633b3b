"""The SKP pages: "My SKP" (the person's plans, and making one for a year), the appraiser's
list (plans waiting for agreement, quarters to evaluate, every plan they may read), and a
plan's page (results, indicators, evidence minutes per quarter, evaluations, the predicate,
the history, and the step each reader may take). The result editor is in views_results.py.

A plan is read by whoever may see the person's pay data and by its appraiser; anyone else
gets a 404, as for another region's plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.selectors import transition_list
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Predicate, SkpPlan
from ..review.due import due_of
from ..selectors import employee_of, region_today
from ..workflow import AGREED, DRAFT, PROPOSED
from . import appraisal, selectors, services
from .forms import EvaluationForm, NoteForm, PlanForm

PLANS_PER_PAGE = 50


def _user(request: RegionRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.log")
def mine(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The signed-in person's plans, and a plan for another year."""
    region = current_region(request)
    me = employee_of(region, _user(request))
    if me is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, this_year=region_today(region).year)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                plan = services.plan_create(
                    region=region, actor=_user(request), year=form.cleaned_data["year"]
                )
                messages.success(request, _("Your plan is made: write its results."))
                return redirect("core:performance:skp_plan", region.slug, plan.pk)
            except DomainError as refused:
                apply_domain_error(form, refused)
                status = refused.status
    plans = list(selectors.plans_of(region, me))
    for plan in plans:
        plan.predicate = _label(selectors.yearly_predicate(plan))  # type: ignore[attr-defined]
    context = {"plans": plans, "form": form, "me": me}
    return render(request, "performance/skp/mine.html", context, status=status)


def _label(predicate: str | None) -> str:
    return str(Predicate(predicate).label) if predicate else ""


def _year(request: RegionRequest, region: Region) -> int:
    this_year = region_today(region).year
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and abs(int(raw) - this_year) <= 10 else this_year


@require_safe
@require_perm("performance.use")
def team(request: RegionRequest, region_slug: str) -> HttpResponse:
    """What waits for the signed-in appraiser, and every plan they may read for a year."""
    region = current_region(request)
    user = _user(request)
    me = employee_of(region, user)
    this_year, year = region_today(region).year, _year(request, region)
    to_evaluate = [
        *selectors.plans_to_evaluate(region, me, this_year),
        *selectors.plans_to_evaluate(region, me, this_year - 1),
    ]
    visible = selectors.plans_visible(region, user).filter(year=year)
    if me is not None:
        visible = visible.exclude(employee=me)
    page = Paginator(visible.order_by("employee__name", "pk"), PLANS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "me": me,
        "to_agree": list(selectors.plans_to_agree(region, me)),
        "to_evaluate": to_evaluate,
        "page": page,
        "year": year,
        "years": range(this_year + 1, this_year - 4, -1),
        "query": f"year={year}",
    }
    return render(request, "performance/skp/team.html", context)


def readable(request: RegionRequest, region: Region, pk: int) -> SkpPlan:
    """The plan, for those who may read it; a 404 for anyone else and another region."""
    try:
        return selectors.plan_for(region, _user(request), pk)
    except NotFound:
        raise Http404 from None


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.use")
def plan(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    found = readable(request, region, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    note = NoteForm(request.POST if action in ("return", "revise") else None, prefix="note")
    periods = _missing(region, found)
    evaluation = EvaluationForm(
        request.POST if action == "evaluate" else None, prefix="evaluation", periods=periods
    )
    status = 200
    if action:
        form = {"return": note, "revise": note, "evaluate": evaluation}.get(action)
        try:
            if _act(region, _user(request), found, action, form):
                messages.success(request, _("Done."))
                return redirect("core:performance:skp_plan", region.slug, found.pk)
            status = 422
        except DomainError as refused:
            status = refused.status
            if form is None:
                messages.error(request, str(refused.message))
            else:
                apply_domain_error(form, refused)
    context = _context(request, region, found, note, evaluation, action)
    return render(request, "performance/skp/plan.html", context, status=status)


def _missing(region: Region, plan: SkpPlan) -> list[int]:
    done = {e.period for e in plan.evaluations.all()}
    return [q for q in selectors.periods_begun(region, plan.year) if q not in done]


def _act(region: Region, actor: User, plan: SkpPlan, action: str, form: Any) -> bool:
    """Take the step; False when its form is invalid (the form then shows why)."""
    if action in ("propose", "agree"):
        step = services.plan_propose if action == "propose" else appraisal.plan_agree
        step(region=region, actor=actor, plan=plan)
        return True
    if form is None:
        raise Http404
    if not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "return":
        appraisal.plan_return(region=region, actor=actor, plan=plan, note=data["note"])
    elif action == "revise":
        services.plan_revise(region=region, actor=actor, plan=plan, reason=data["note"])
    else:
        appraisal.evaluation_create(region=region, actor=actor, plan=plan, **data)
    return True


def _context(
    request: RegionRequest,
    region: Region,
    plan: SkpPlan,
    note: NoteForm,
    evaluation: EvaluationForm,
    action: str,
) -> dict[str, Any]:
    user = _user(request)
    me = employee_of(region, user)
    owner = me is not None and me.pk == plan.employee_id
    appraiser = selectors.appraises(region, user, plan)
    predicate = selectors.yearly_predicate(plan)
    return {
        "plan": plan,
        "evidence": selectors.evidence(region, plan),
        "evaluations": list(plan.evaluations.all()),
        "predicate": _label(predicate),
        "history": list(transition_list(plan).order_by("created_at", "pk")),
        "due": due_of(region, plan.due_at),
        "owner": owner,
        "may_edit": owner and plan.state == DRAFT,
        "may_propose": owner and plan.state == DRAFT,
        "may_revise": owner and plan.state == AGREED and predicate is None,
        "may_agree": appraiser and plan.state == PROPOSED,
        "may_evaluate": appraiser
        and plan.state == AGREED
        and bool(evaluation.fields["period"].choices),  # type: ignore[attr-defined]
        "note": note,
        "evaluation": evaluation,
        "action": action,
    }
