"""The result editor of a draft plan: a result's kind and text, its indicators (a formset,
a row ticked to remove it) and the activities linked as its evidence; removing a result.
Only the person edits their own draft; the service's field errors come back to the row and
field they name (indicators.<n>.target)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import SkpPlan, SkpResult
from ..selectors import employee_of
from ..workflow import DRAFT
from ..worklog.selectors import usable_activities
from . import services
from .forms import IndicatorFormSet, ResultForm
from .inputs import IndicatorInput, ResultInput
from .views import readable


def _editable(request: RegionRequest, region: Region, pk: int) -> SkpPlan:
    """The signed-in person's own plan (a 404 for those who may not read it, a 403 for
    readers who are not its person)."""
    plan = readable(request, region, pk)
    me = employee_of(region, request.user)
    if me is None or me.pk != plan.employee_id:
        raise PermissionDenied
    return plan


def _back(region: Region, plan: SkpPlan) -> HttpResponseBase:
    return redirect("core:performance:skp_plan", region.slug, plan.pk)


def _forms(request: RegionRequest, region: Region, plan: SkpPlan, result: SkpResult | None) -> Any:
    data = request.POST if request.method == "POST" else None
    usable = usable_activities(region, plan.employee)
    initial: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    if result is not None:
        initial = {"kind": result.kind, "text": result.text,
                   "activities": [a.pk for a in result.activities.all()]}  # fmt: skip
        rows = [{"text": i.text, "target": i.target, "target_unit": i.target_unit}
                for i in result.indicators.all()]  # fmt: skip
    form = ResultForm(data, initial=initial, usable=usable)
    formset = IndicatorFormSet(data, initial=rows, prefix="indicators")
    return form, formset


def _input(form: ResultForm, formset: BaseFormSet[Any]) -> tuple[ResultInput, list[int]]:
    """The result as written, and which formset row each indicator came from."""
    rows = [
        (n, f.cleaned_data)
        for n, f in enumerate(formset.forms)
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    indicators = tuple(IndicatorInput(d["text"], d["target"], d["target_unit"]) for _n, d in rows)
    data = form.cleaned_data
    activities = tuple(a.pk for a in data["activities"])
    return ResultInput(data["kind"], data["text"], indicators, activities), [n for n, _d in rows]


def _show(
    form: ResultForm, formset: BaseFormSet[Any], rows: list[int], refused: DomainError
) -> None:
    """The service's refusal at the form field or formset row it names."""
    for name, errors in refused.field_errors.items():
        parts = name.split(".")
        if parts[0] == "indicators" and len(parts) == 3 and int(parts[1]) < len(rows):
            for error in errors:
                formset.forms[rows[int(parts[1])]].add_error(parts[2], error)
        elif name in form.fields:
            for error in errors:
                form.add_error(name, error)
        else:
            for error in errors:
                form.add_error(None, error)
    if not refused.field_errors:
        apply_domain_error(form, refused)


def _editor(
    request: RegionRequest, region: Region, plan: SkpPlan, result: SkpResult | None
) -> HttpResponseBase:
    if plan.state != DRAFT:
        messages.error(request, _("Only a draft plan is edited."))
        return _back(region, plan)
    form, formset = _forms(request, region, plan, result)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and formset.is_valid():
            data, rows = _input(form, formset)
            try:
                if result is None:
                    services.result_add(region=region, actor=request.user, plan=plan, data=data)
                else:
                    services.result_update(region=region, actor=request.user, result=result,
                                           data=data)  # fmt: skip
                messages.success(request, _("The result is saved."))
                return _back(region, plan)
            except DomainError as refused:
                _show(form, formset, rows, refused)
                status = refused.status
    context = {"plan": plan, "result": result, "form": form, "formset": formset}
    return render(request, "performance/skp/result.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.log")
def result_new(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    return _editor(request, region, _editable(request, region, pk), None)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.log")
def result_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    result = SkpResult.objects.filter(region=region, pk=pk).first()
    if result is None:
        raise Http404
    plan = _editable(request, region, result.plan_id)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            services.result_remove(region=region, actor=request.user, result=result)
            messages.success(request, _("The result is removed."))
        except DomainError as refused:
            messages.error(request, str(refused.message))
        return _back(region, plan)
    return _editor(request, region, plan, result)
