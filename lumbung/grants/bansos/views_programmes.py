"""Programmes: the list, creating and changing one with its benefit and eligibility rules
(an editor of rows: field, condition, value), and a programme's page with its cycles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..eligibility import rules_clean
from ..models import BansosProgramme
from ..selectors_bansos import cycle_summaries, programme_list
from ..services.cycles import cycle_create, programme_save
from .forms import CycleForm, ProgrammeForm, RuleFormSet, rule_rows
from .selectors import programme_get
from .views_common import PROGRAMMES, REGISTRY, VIEW, found

FIELDS = ("code", "year", "name_id", "name_en", "benefit_kind", "benefit_item")


@require_safe
@require_perm(VIEW)
def programmes(request: RegionRequest, region_slug: str) -> HttpResponse:
    rows = programme_list(current_region(request))
    return render(request, "grants/bansos/programmes.html", {"programmes": rows})


def _initial(programme: BansosProgramme) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(programme, name) for name in FIELDS}
    initial.update(
        benefit_amount=programme.benefit_amount,
        cycles_per_year=programme.cycles_per_year,
        is_active=programme.is_active,
    )
    return initial


def _rules(formset: BaseFormSet) -> list[dict[str, Any]]:
    return [rule for form in formset.forms if (rule := form.rule()) is not None]


def _place_rule_errors(formset: BaseFormSet, region: Region, lines: list[str]) -> None:
    """The service names failing rules in order ("Rule 2: …"): put each line on its row."""
    failing = []
    for form in formset.forms:
        rule = form.rule()
        if rule is None:
            continue
        try:
            rules_clean([rule], region.code)
        except ValueError:
            failing.append(form)
    if len(failing) != len(lines):
        failing = [formset.forms[0]] * len(lines) if formset.forms else []
    for form, line in zip(failing, lines, strict=False):
        form.add_error(None, line)


def _programme_form(request: RegionRequest, target: BansosProgramme | None) -> HttpResponse:
    region = current_region(request)
    if request.method != "POST":
        form = ProgrammeForm(initial=_initial(target) if target else None)
        formset = RuleFormSet(
            prefix="rules", initial=rule_rows(target.eligibility) if target else None
        )
        return _render_form(request, form, formset, target)
    form = ProgrammeForm(request.POST)
    formset = RuleFormSet(request.POST, prefix="rules")
    if not (form.is_valid() and formset.is_valid()):
        return _render_form(request, form, formset, target, 422)
    data = {**form.data_for_service(), "eligibility": _rules(formset)}
    try:
        saved = programme_save(region=region, actor=request.user, data=data, programme=target)
    except DomainError as error:
        lines = error.field_errors.pop("eligibility", [])
        _place_rule_errors(formset, region, lines)
        if error.field_errors or not lines:
            apply_domain_error(form, error)
        return _render_form(request, form, formset, target, error.status)
    messages.success(request, _("The programme was saved."))
    return redirect("core:grants:bansos-programme", region_slug=region.slug, pk=saved.pk)


def _render_form(
    request: RegionRequest,
    form: ProgrammeForm,
    formset: BaseFormSet,
    target: BansosProgramme | None,
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "formset": formset, "programme": target}
    return render(request, "grants/bansos/programme_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PROGRAMMES)
def programme_new(request: RegionRequest, region_slug: str) -> HttpResponse:
    return _programme_form(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PROGRAMMES)
def programme_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _programme_form(request, found(request, programme_get, pk))


def _programme_page(
    request: RegionRequest,
    target: BansosProgramme,
    form: CycleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    region = current_region(request)
    may_work = can(request.user, REGISTRY, region)
    context = {
        "programme": target,
        "rules": rule_rows(target.eligibility),
        "cycles": cycle_summaries(region, target),
        "cycle_form": (form or CycleForm()) if may_work else None,
        "may_edit": can(request.user, PROGRAMMES, region),
    }
    return render(request, "grants/bansos/programme.html", context, status=status)


@require_safe
@require_perm(VIEW)
def programme(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _programme_page(request, found(request, programme_get, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def cycle_new(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST opens the programme's next cycle; a GET goes back to the programme."""
    target = found(request, programme_get, pk)
    if request.method != "POST":
        return redirect("core:grants:bansos-programme", region_slug=region_slug, pk=target.pk)
    form = CycleForm(request.POST)
    if not form.is_valid():
        return _programme_page(request, target, form, 422)
    try:
        cycle = cycle_create(
            region=current_region(request),
            actor=request.user,
            programme=target,
            period_start=form.cleaned_data["period_start"],
            period_end=form.cleaned_data["period_end"],
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return _programme_page(request, target, form, error.status)
    messages.success(request, _("Cycle %(n)d was opened.") % {"n": cycle.number})
    return redirect("core:grants:bansos-cycle", region_slug=region_slug, pk=cycle.pk)


urlpatterns: list[URLPattern] = [
    path("bansos/programmes/", programmes, name="bansos-programmes"),
    path("bansos/programmes/new/", programme_new, name="bansos-programme-new"),
    path("bansos/programmes/<int:pk>/", programme, name="bansos-programme"),
    path("bansos/programmes/<int:pk>/edit/", programme_edit, name="bansos-programme-edit"),
    path("bansos/programmes/<int:pk>/cycles/", cycle_new, name="bansos-cycle-new"),
]
