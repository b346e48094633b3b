"""The region admin's pages of hibah: the programmes (each with its ceiling, its window and
how much of the ceiling the approved amounts use) and the checklist items of each review
step (computed items keep their check: they are never turned into hand-ticked ones)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import PROGRAMME_FORM_FIELDS, ChecklistItemForm, ProgrammeForm
from ..models import ChecklistItem, HibahProgramme
from ..selectors_hibah import programme_usage
from ..services.checklists import checklist_adopt_starter, checklist_item_save
from ..services.programmes import programme_save
from ..workflow import REVIEW_STAGES
from .common import error_status, show_error, step_names

MANAGE = "grants.manage_programmes"


# --- Programmes ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(MANAGE)
def programmes(request: RegionRequest, region_slug: str) -> HttpResponse:
    return _programme_form(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(MANAGE)
def programme_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    found = HibahProgramme.objects.filter(region=current_region(request), pk=pk).first()
    if found is None:
        raise Http404
    return _programme_form(request, found)


def _programme_form(request: RegionRequest, programme: HibahProgramme | None) -> HttpResponse:
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, region=region, initial=ProgrammeForm.initial_of(programme))
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            values = {k: form.cleaned_data[k] for k in PROGRAMME_FORM_FIELDS}
            try:
                programme_save(region=region, actor=request.user, data=values, programme=programme)
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("core:grants:programmes", region.slug)
    context: dict[str, Any] = {"form": form, "programme": programme}
    if programme is None:
        found = HibahProgramme.objects.filter(region=region).select_related("unit")
        context["usages"] = [programme_usage(region, p) for p in found]
    else:
        context["usage"] = programme_usage(region, programme)
    return render(request, "grants/backoffice/programmes.html", context, status=status)


# --- Checklist items ----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(MANAGE)
def checklist(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    if request.method == "POST" and "adopt" in request.POST:
        added = checklist_adopt_starter(region=region, actor=request.user)
        messages.success(request, _("%(n)d items added.") % {"n": len(added)})
        return redirect("core:grants:checklist", region.slug)
    return _item_form(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(MANAGE)
def checklist_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    found = ChecklistItem.objects.filter(region=current_region(request), pk=pk).first()
    if found is None:
        raise Http404
    return _item_form(request, found)


def _item_form(request: RegionRequest, item: ChecklistItem | None) -> HttpResponse:
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    names = step_names(request, region)
    form = ChecklistItemForm(
        data, names=names, item=item, initial=ChecklistItemForm.initial_of(item)
    )
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            try:
                checklist_item_save(
                    region=region, actor=request.user, data=form.cleaned_data, item=item
                )
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Checklist item saved."))
                return redirect("core:grants:checklist", region.slug)
    context: dict[str, Any] = {"form": form, "item": item}
    if item is None:
        items = ChecklistItem.objects.filter(region=region)
        context["steps"] = [
            (names.get(s, s), [i for i in items if i.state == s]) for s in REVIEW_STAGES
        ]
    return render(request, "grants/backoffice/checklist.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("staff/programmes/", programmes, name="programmes"),
    path("staff/programmes/<int:pk>/", programme_edit, name="programme-edit"),
    path("staff/checklist/", checklist, name="checklist"),
    path("staff/checklist/<int:pk>/", checklist_edit, name="checklist-edit"),
]
