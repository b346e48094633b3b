"""Back-office pages of core: dashboard, units, members, modules, calendar, workflow steps
(names and deadlines), profile."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..calendar import RegionCalendar
from ..errors import DomainError
from ..forms import (
    HolidayForm,
    MemberForm,
    ModulesForm,
    ProfileForm,
    SlaForm,
    StateLabelForm,
    UnitForm,
    UnitImportForm,
    apply_domain_error,
)
from ..models import Membership, Region, RegionHoliday
from ..models.people import Role
from ..permissions import can, roles_of
from ..selectors import (
    audit_event_list,
    member_list,
    region_children_active,
    region_modules_enabled,
    unit_tree,
)
from ..services import calendar as calendar_services
from ..services import people as people_services
from ..services.regions import region_modules_set, region_set_logo, region_update_profile
from ..services.units import unit_create, units_import_csv
from ..services.workflow import sla_override_set, state_label_set
from ..tenancy import dangerously_unscoped
from ..workflow_selectors import WorkflowSteps, workflow_steps
from .helpers import RegionRequest, current_region, require_perm


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send a person to the back office of the first region they work in, else home."""
    with dangerously_unscoped():
        membership = (
            Membership.objects.filter(user=request.user, is_active=True)
            .exclude(role=Role.CITIZEN)
            .select_related("region")
            .order_by("region__code")
            .first()
        )
    if membership is not None:
        return redirect("core:dashboard", region_slug=membership.region.slug)
    if getattr(request.user, "is_platform_operator", False):
        return redirect("core:platform-regions")
    return redirect("portal:home")


@require_safe
@require_perm("core.view_backoffice")
def dashboard(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    roles = roles_of(request.user, region)
    context = {
        "roles": sorted(r.label for r in roles if r != Role.CITIZEN),
        "is_admin": can(request.user, "core.manage_region", region),
        "is_auditor": Role.AUDITOR in roles,
        "is_unit_head": Role.UNIT_HEAD in roles,
        "is_officer": Role.OFFICER in roles,
        "memberships": Membership.objects.filter(
            region=region, user=request.user, is_active=True
        ).select_related("unit"),
        "modules": region_modules_enabled(region),
        "children": list(region_children_active(region)) if region.is_province else [],
        "unit_count": len(unit_tree(region)),
        "member_count": member_list(region).filter(is_active=True).count(),
        "recent_events": list(audit_event_list(region)[:8])
        if can(request.user, "core.view_audit", region)
        else [],
    }
    return render(request, "core/backoffice/dashboard.html", context)


@require_perm("core.view_backoffice")
def units(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    may_edit = can(request.user, "core.manage_units", region)
    form = UnitForm(request.POST or None, region=region)
    if request.method == "POST":
        if not may_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                unit_create(region=region, actor=request.user, data=form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Unit added."))
                return redirect("core:units", region_slug=region.slug)
    return render(
        request,
        "core/backoffice/units.html",
        {
            "tree": unit_tree(region),
            "form": form,
            "may_edit": may_edit,
            "import_form": UnitImportForm(),
        },
        status=422 if form.errors else 200,
    )


@require_perm("core.manage_units")
def units_import(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = units_import_csv(
            region=region,
            actor=request.user,
            content=form.cleaned_data["file"],
        )
        if report.ok:
            messages.success(
                request,
                _("Import done: %(created)d created, %(updated)d updated.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("core:units", region_slug=region.slug)
    status = 422 if (form.errors or (report and not report.ok)) else 200
    return render(
        request,
        "core/backoffice/units_import.html",
        {"form": form, "report": report},
        status=status,
    )


@require_perm("core.view_backoffice")
def members(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    may_edit = can(request.user, "core.manage_members", region)
    form = MemberForm(request.POST or None, region=region)
    if request.method == "POST":
        if not may_edit:
            return HttpResponse(status=403)
        if "revoke" in request.POST:
            return _revoke(request, region)
        if form.is_valid():
            data = form.cleaned_data
            try:
                people_services.member_invite(
                    region=region,
                    actor=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=Role(data["role"]),
                    unit=data["unit"],
                    title=data["title"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
            if not form.errors:
                messages.success(request, _("Role granted."))
                return redirect("core:members", region_slug=region.slug)
    paginator = Paginator(member_list(region), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/backoffice/members.html",
        {"page": page, "form": form, "may_edit": may_edit},
        status=422 if form.errors else 200,
    )


def _revoke(request: RegionRequest, region: Region) -> HttpResponse:
    pk = _posted_pk(request, "revoke")
    membership = Membership.objects.filter(region=region, pk=pk).first() if pk else None
    if membership is None:
        return HttpResponse(status=404)
    people_services.membership_revoke(
        region=region,
        actor=request.user,
        membership=membership,
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, _("Role revoked."))
    return redirect("core:members", region_slug=region.slug)


@require_perm("core.manage_modules")
def modules(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    enabled = region_modules_enabled(region)
    # Bound on every POST: with every box unticked the browser sends no module field at all.
    form = ModulesForm(request.POST if request.method == "POST" else None, enabled=enabled)
    if request.method == "POST" and form.is_valid():
        on = [k for k, v in form.cleaned_data.items() if v]
        off = [k for k, v in form.cleaned_data.items() if not v]
        region_modules_set(region=region, actor=request.user, enable=on, disable=off)
        messages.success(request, _("Modules saved."))
        return redirect("core:modules", region_slug=region.slug)
    return render(request, "core/backoffice/modules.html", {"form": form})


@require_perm("core.view_backoffice")
def calendar(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    may_edit = can(request.user, "core.manage_calendar", region)
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            return HttpResponse(status=403)
        if "remove" in request.POST:
            pk = _posted_pk(request, "remove")
            holiday = RegionHoliday.objects.filter(region=region, pk=pk).first() if pk else None
            if holiday is not None:
                calendar_services.region_holiday_remove(
                    region=region,
                    actor=request.user,
                    holiday=holiday,
                )
            return redirect("core:calendar", region_slug=region.slug)
        if form.is_valid():
            calendar_services.region_holiday_set(
                region=region, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Calendar saved."))
            return redirect("core:calendar", region_slug=region.slug)
    year = _year(request)
    closed = RegionCalendar(region).closed_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    return render(
        request,
        "core/backoffice/calendar.html",
        {
            "form": form,
            "may_edit": may_edit,
            "year": year,
            "closed": sorted(closed.items()),
            "local": RegionHoliday.objects.filter(region=region, date__year=year),
        },
        status=422 if form.errors else 200,
    )


def _posted_pk(request: HttpRequest, name: str) -> int | None:
    """The id a form posted in `name`, or None when it is missing or not a number."""
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _year(request: RegionRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_perm("core.view_backoffice")
def sla(request: RegionRequest, region_slug: str) -> HttpResponse:
    """Each workflow's steps as this region has them: names and deadlines, both editable."""
    region = current_region(request)
    may_edit = can(request.user, "core.manage_sla", region)
    flows, stale = workflow_steps(region)
    posted = request.POST if request.method == "POST" else None
    naming = posted is not None and "label-target" in posted
    initial = _step_initial(flows, request.GET.get("edit", ""))
    form = SlaForm(None if naming else posted, initial=initial["sla"])
    label_form = StateLabelForm(
        posted if naming else None, prefix="label", initial=initial["label"]
    )
    if posted is not None:
        if not may_edit:
            return HttpResponse(status=403)
        bound = label_form if naming else form
        if bound.is_valid() and _save_step(request, region, bound, naming):
            return redirect("core:sla", region_slug=region.slug)
    return render(
        request,
        "core/backoffice/sla.html",
        {
            "form": form,
            "label_form": label_form,
            "may_edit": may_edit,
            "flows": flows,
            "stale": stale,
        },
        status=422 if form.errors or label_form.errors else 200,
    )


def _save_step(request: RegionRequest, region: Region, form: Form, naming: bool) -> bool:
    """Hand a valid form to its service; False (with the refusal on the form) if refused."""
    workflow, state = form.cleaned_data["target"].split(":", 1)
    try:
        if naming:
            state_label_set(
                region=region,
                actor=request.user,
                workflow=workflow,
                state=state,
                label_id=form.cleaned_data["label_id"],
                label_en=form.cleaned_data["label_en"],
            )
        else:
            sla_override_set(
                region=region,
                actor=request.user,
                workflow=workflow,
                state=state,
                working_days=form.cleaned_data["working_days"],
            )
    except DomainError as error:
        apply_domain_error(form, error)
        return False
    messages.success(request, _("Name saved.") if naming else _("Deadline saved."))
    return True


def _step_initial(flows: list[WorkflowSteps], edit: str) -> dict[str, dict[str, Any]]:
    """The forms filled in for the step a "Change" link names (`?edit=workflow:state`)."""
    initial: dict[str, dict[str, Any]] = {"sla": {}, "label": {}}
    for flow in flows:
        for step in flow.steps:
            if f"{flow.key}:{step.state}" != edit:
                continue
            initial["label"] = {
                "target": edit,
                "label_id": step.label_id,
                "label_en": step.label_en,
            }
            if not (step.terminal or step.clock_stopped):
                working_days = step.sla_days if step.sla_overridden else None
                initial["sla"] = {"target": edit, "working_days": working_days}
    return initial


@require_perm("core.manage_region")
def profile(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=Region.objects.get(pk=region.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                region_update_profile(region=region, actor=request.user, data=form.cleaned_data)
                if form.cleaned_data.get("logo"):
                    region_set_logo(
                        region=region, actor=request.user, upload=form.cleaned_data["logo"]
                    )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Profile saved."))
            return redirect("core:profile", region_slug=region.slug)
    return render(
        request, "core/backoffice/profile.html", {"form": form}, status=422 if form.errors else 200
    )
