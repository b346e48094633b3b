"""The region's catalogue for its administrator: permit types with their requirements,
levy formula, deadlines and the units that verify and sign; the KBLI list with CSV import
(every bad row reported, nothing imported); the routing rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import KbliImportForm, PermitTypeForm, RequirementForm, RuleForm, SlaForm
from ..models import Kbli, PermitType, Requirement, RoutingRule, StageSla
from ..routing import DEFAULT_RULES
from ..services.catalogue import (
    PermitTypeInput,
    RuleInput,
    permit_type_save,
    requirement_save,
    routing_rule_save,
    routing_rules_adopt_default,
    stage_sla_set,
)
from ..services.catalogue_removal import (
    requirement_remove,
    requirement_restore,
    routing_rule_delete,
    routing_rule_may_have_routed,
    routing_rule_set_active,
)
from ..services.kbli import kbli_adopt_starter, kbli_import_csv
from ..workflow import STAFF_STAGES
from .common import error_status, show_error

PERM = "permits.manage_catalogue"


def _type_or_404(region: Region, pk: int) -> PermitType:
    found = PermitType.objects.filter(region=region, pk=pk).first()
    if found is None:
        raise Http404
    return found


def _requirement_or_404(region: Region, t: PermitType, raw: str | None) -> Requirement:
    """One of this type's requirements (retired ones too) by the id the form posted."""
    found = None
    if raw and raw.isdigit():
        found = Requirement.with_retired.filter(region=region, permit_type=t, pk=int(raw)).first()
    if found is None:
        raise Http404
    return found


def _rule_or_404(region: Region, pk: int) -> RoutingRule:
    found = RoutingRule.objects.filter(region=region, pk=pk).first()
    if found is None:
        raise Http404
    return found


def _type_initial(t: PermitType) -> dict[str, Any]:
    names = (
        "code",
        "name_id",
        "name_en",
        "legal_basis",
        "validity_months",
        "fee_kind",
        "fee_amount",
        "fee_rate",
        "default_approval",
        "inspection_required",
        "verifying_unit",
        "signing_unit",
        "is_active",
    )
    return {n: getattr(t, n) for n in names}


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PERM)
def types(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The permit types, and a new one."""
    region = current_region(request)
    form = PermitTypeForm(request.POST or None, region=region)
    status = 200
    if request.method == "POST":
        saved = _save_type(region, request.user, form, None)
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("core:permits:type-edit", region.slug, saved.pk)
        status = 422
    rows = PermitType.objects.filter(region=region).select_related("verifying_unit", "signing_unit")
    return render(
        request, "permits/backoffice/types.html", {"rows": rows, "form": form}, status=status
    )


def _save_type(
    region: Region, user: User, form: forms.Form, t: PermitType | None
) -> PermitType | None:
    if not form.is_valid():
        return None
    try:
        return permit_type_save(
            region=region, actor=user, data=PermitTypeInput(**form.cleaned_data), permit_type=t
        )
    except DomainError as error:
        show_error(form, error)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PERM)
def type_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """One type: its fields, its documents and its deadlines, each its own form."""
    region = current_region(request)
    t = _type_or_404(region, pk)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if which in ("remove", "restore"):
        return _requirement_change(request, region, t, which)
    type_form = PermitTypeForm(
        request.POST if which == "type" else None,
        region=region,
        current=t,
        initial=_type_initial(t),
    )
    req_form = RequirementForm(request.POST if which == "requirement" else None, prefix="req")
    slas = {s.stage: s.working_days for s in StageSla.objects.filter(region=region, permit_type=t)}
    sla_form = SlaForm(request.POST if which == "sla" else None, prefix="sla", initial=slas)
    done = False
    if which == "type":
        done = _save_type(region, request.user, type_form, t) is not None
    elif which == "requirement" and req_form.is_valid():
        try:
            requirement_save(
                region=region, actor=request.user, permit_type=t, **req_form.cleaned_data
            )
            done = True
        except DomainError as error:
            show_error(req_form, error)
    elif which == "sla" and sla_form.is_valid():
        try:
            for stage in STAFF_STAGES:
                if sla_form.cleaned_data[stage] != slas.get(stage):
                    stage_sla_set(
                        region=region,
                        actor=request.user,
                        permit_type=t,
                        stage=stage,
                        working_days=sla_form.cleaned_data[stage],
                    )
            done = True
        except DomainError as error:
            show_error(sla_form, error)
    if done:
        messages.success(request, _("Saved."))
        return redirect("core:permits:type-edit", region.slug, t.pk)
    context = {
        "t": t,
        "type_form": type_form,
        "req_form": req_form,
        "sla_form": sla_form,
        "requirements": Requirement.with_retired.filter(region=region, permit_type=t),
    }
    return render(
        request, "permits/backoffice/type_edit.html", context, status=422 if which else 200
    )


def _requirement_change(
    request: RegionRequest, region: Region, t: PermitType, which: str
) -> HttpResponseBase:
    """Remove a document from the type (retired where documents were uploaded for it, and
    those stay as they are), or ask for a retired one again."""
    requirement = _requirement_or_404(region, t, request.POST.get("requirement"))
    if which == "restore":
        requirement_restore(region=region, actor=request.user, requirement=requirement)
        messages.success(request, _("The document is required again."))
    elif (
        requirement_remove(region=region, actor=request.user, requirement=requirement) == "retired"
    ):
        messages.success(
            request,
            _("Removed. It is kept for the applications that already uploaded it, unchanged."),
        )
    else:
        messages.success(request, _("Removed."))
    return redirect("core:permits:type-edit", region.slug, t.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PERM)
def kbli(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The activities, their CSV import (row-level report) and the starter set."""
    region = current_region(request)
    form = KbliImportForm(request.POST or None, request.FILES or None)
    report: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST" and request.POST.get("starter"):
        added = kbli_adopt_starter(region=region, actor=request.user)
        messages.success(request, _("%(n)d starter activities added.") % {"n": added})
        return redirect("core:permits:kbli", region.slug)
    if request.method == "POST":
        if form.is_valid():
            try:
                done = kbli_import_csv(
                    region=region, actor=request.user, data=form.cleaned_data["file"]
                )
            except DomainError as error:
                report = dict(error.field_errors)
                form.add_error(None, str(error.message))
                status = error_status(error)
            else:
                messages.success(
                    request,
                    _("%(c)d added, %(u)d updated.") % {"c": done.created, "u": done.updated},
                )
                return redirect("core:permits:kbli", region.slug)
        else:
            status = 422
    rows = Kbli.objects.filter(region=region).select_related("permit_type")
    return render(
        request,
        "permits/backoffice/kbli.html",
        {"rows": rows, "form": form, "report": sorted(report.items())},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PERM)
def rules(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The routing rules (the pinned defaults while the region has none), and a new one."""
    region = current_region(request)
    form = RuleForm(request.POST or None, region=region)
    status = 200
    if request.method == "POST" and request.POST.get("adopt"):
        routing_rules_adopt_default(region=region, actor=request.user)
        messages.success(request, _("The default rules are now the region's own."))
        return redirect("core:permits:rules", region.slug)
    if request.method == "POST":
        if form.is_valid():
            try:
                routing_rule_save(
                    region=region, actor=request.user, data=RuleInput(**form.cleaned_data)
                )
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Saved."))
                return redirect("core:permits:rules", region.slug)
        else:
            status = 422
    own = list(RoutingRule.objects.filter(region=region).select_related("permit_type"))
    context = {"rows": own, "defaults": [] if own else DEFAULT_RULES, "form": form}
    return render(request, "permits/backoffice/rules.html", context, status=status)


def _rule_initial(rule: RoutingRule) -> dict[str, Any]:
    names = ("priority", "kbli_prefix", "risk", "scale", "capital_min", "capital_max")
    extra = ("below_threshold", "lane", "permit_type", "note", "is_active")
    return {n: getattr(rule, n) for n in (*names, *extra)}


RULE_ACTIONS = ("save", "deactivate", "activate", "delete")


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(PERM)
def rule_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """One rule: change it, switch it off or on, or delete it while it cannot have routed
    an application."""
    region = current_region(request)
    rule = _rule_or_404(region, pk)
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action and action not in RULE_ACTIONS:
        return HttpResponseBadRequest()
    form = RuleForm(
        request.POST if action == "save" else None, region=region, initial=_rule_initial(rule)
    )
    refusal = ""
    try:
        done = _rule_action(request, region, rule, action, form)
    except DomainError as error:
        done, status = None, error_status(error)
        if action == "save":
            show_error(form, error)
        else:
            refusal = str(error.message)
    else:
        status = 422 if action == "save" else 200
    if done is not None:
        return done
    context = {
        "rule": rule,
        "form": form,
        "refusal": refusal,
        "deletable": not routing_rule_may_have_routed(region, rule),
    }
    return render(request, "permits/backoffice/rule_edit.html", context, status=status)


def _rule_action(
    request: RegionRequest, region: Region, rule: RoutingRule, action: str, form: RuleForm
) -> HttpResponseBase | None:
    """Take the posted action: a redirect once done; None for a GET or a form with errors."""
    user = request.user
    if action in ("deactivate", "activate"):
        routing_rule_set_active(region=region, actor=user, rule=rule, active=action == "activate")
        messages.success(request, _("Saved."))
        return redirect("core:permits:rule-edit", region.slug, rule.pk)
    if action == "delete":
        routing_rule_delete(region=region, actor=user, rule=rule)
        messages.success(request, _("The rule is deleted."))
        return redirect("core:permits:rules", region.slug)
    if action == "save" and form.is_valid():
        data = RuleInput(**form.cleaned_data)
        routing_rule_save(region=region, actor=user, data=data, rule=rule)
        messages.success(request, _("Saved."))
        return redirect("core:permits:rules", region.slug)
    return None


urlpatterns: list[URLPattern] = [
    path("staff/catalogue/", types, name="types"),
    path("staff/catalogue/types/<int:pk>/", type_edit, name="type-edit"),
    path("staff/catalogue/kbli/", kbli, name="kbli"),
    path("staff/catalogue/rules/", rules, name="rules"),
    path("staff/catalogue/rules/<int:pk>/", rule_edit, name="rule-edit"),
]
