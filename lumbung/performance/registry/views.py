"""The registry's pages about people: the list, a person with their postings, and the
forms to register, correct, move and end. Writes need performance.manage_registry; the list
and a person's page are open to the dashboards' viewers too (a unit head: their units)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.pdp import mask_nik
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Employee
from ..selectors import region_today
from . import selectors as s
from .forms import EditForm, EmployeeForm, EndForm, MoveForm, NikForm, StaffFilterForm
from .services import (
    EmployeeInput,
    employee_change,
    employee_create,
    employee_end,
    employee_nik_read,
)

MANAGE = "performance.manage_registry"
PAGE = 50
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def require_reader(view: Any) -> Any:
    """The registry's keepers and the dashboards' viewers may read it."""

    def allowed(request: RegionRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if can(request.user, MANAGE, current_region(request)):
            return view(request, *args, **kwargs)
        return require_perm("performance.view_dashboards")(view)(request, *args, **kwargs)

    allowed.__name__ = view.__name__
    allowed.__doc__ = view.__doc__
    return allowed


def _person_or_404(request: RegionRequest, pk: int) -> Employee:
    try:
        return s.employee_get(current_region(request), request.user, pk)
    except NotFound:
        raise Http404 from None


def _person_url(region: Region, person: Employee) -> HttpResponse:
    return redirect("core:performance:person", region_slug=region.slug, pk=person.pk)


@require_safe
@require_reader
def staff(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = StaffFilterForm(request.GET or None, region=region)
    filters = form.cleaned_data if form.is_valid() else {}
    unit = filters.get("unit")
    found = s.staff_search(
        region,
        request.user,
        q=filters.get("q", ""),
        unit_id=unit.pk if unit else None,
        status=filters.get("status") or "active",
    )
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page"])
    return render(
        request,
        "performance/registry/staff.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "may_manage": can(request.user, MANAGE, region),
        },
    )


@require_safe
@require_reader
def person(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _person_page(request, pk)


def _person_page(request: RegionRequest, pk: int, **extra: Any) -> HttpResponse:
    region = current_region(request)
    found = _person_or_404(request, pk)
    may_manage = can(request.user, MANAGE, region)
    context = {
        "person": found,
        "postings": list(s.postings_of(found)),
        "nik_masked": mask_nik(found.nik),
        "active": s.is_active(found, region_today(region)),
        "may_manage": may_manage,
        "nik_form": NikForm() if may_manage and found.nik else None,
        **extra,
    }
    return render(
        request,
        "performance/registry/person.html",
        context,
        status=422 if extra.get("nik_form") and extra["nik_form"].errors else 200,
    )


@GET_POST
@require_perm(MANAGE)
def person_nik(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """The full NIK, shown once on the person's page; the read is audited with its purpose."""
    region = current_region(request)
    found = _person_or_404(request, pk)
    if request.method != "POST":
        return _person_url(region, found)
    form = NikForm(request.POST)
    if not form.is_valid():
        return _person_page(request, pk, nik_form=form)
    nik = employee_nik_read(
        region=region, actor=request.user, employee=found, purpose=form.cleaned_data["purpose"]
    )
    response = _person_page(request, pk, full_nik=nik, nik_form=None)
    response["Cache-Control"] = "no-store"
    return response


def _supervisor(region: Region, form: forms.Form) -> tuple[bool, Employee | None]:
    """The supervisor the form names by NIP: (False, None) when that NIP is unknown."""
    nip = form.cleaned_data.get("supervisor", "").strip()
    if not nip:
        return True, None
    found = s.employee_by_nip(region, nip)
    if found is None:
        form.add_error("supervisor", _("No person in the registry has this NIP."))
        return False, None
    return True, found


@GET_POST
@require_perm(MANAGE)
def person_new(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = EmployeeForm(
        request.POST or None, region=region, initial={"active_from": region_today(region)}
    )
    if request.method == "POST" and form.is_valid():
        known, supervisor = _supervisor(region, form)
        if known:
            data = {**form.cleaned_data, "supervisor": supervisor}
            try:
                created = employee_create(
                    region=region, actor=request.user, data=EmployeeInput(**data)
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The person is registered."))
                return _person_url(region, created)
    return _form_page(request, form, None, _("Register a civil servant"))


@GET_POST
@require_perm(MANAGE)
def person_edit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    found = _person_or_404(request, pk)
    initial = {k: getattr(found, k) for k in ("nip", "name", "employment_type", "email")}
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in initial}
        if form.cleaned_data["remove_nik"]:
            changes["nik"] = ""
        elif form.cleaned_data["nik"]:
            changes["nik"] = form.cleaned_data["nik"]
        if _changed(request, form, region, found, changes):
            return _person_url(region, found)
    return _form_page(request, form, found, _("Correct the details"))


@GET_POST
@require_perm(MANAGE)
def person_move(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    found = _person_or_404(request, pk)
    initial = {
        "unit": found.unit_id,
        "position": found.position,
        "job_grade": found.job_grade,
        "supervisor": found.supervisor.nip if found.supervisor else "",
        "effective_date": region_today(region),
    }
    form = MoveForm(request.POST or None, region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        known, supervisor = _supervisor(region, form)
        changes = {k: form.cleaned_data[k] for k in ("unit", "position", "job_grade")}
        changes["supervisor"] = supervisor
        day = form.cleaned_data["effective_date"]
        if known and _changed(request, form, region, found, changes, day):
            return _person_url(region, found)
    return _form_page(request, form, found, _("Move to another posting"))


def _changed(
    request: RegionRequest,
    form: forms.Form,
    region: Region,
    found: Employee,
    changes: dict[str, Any],
    day: Any = None,
) -> bool:
    try:
        employee_change(
            region=region,
            actor=request.user,
            employee=found,
            changes=changes,  # type: ignore[arg-type]
            effective=day,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return False
    messages.success(request, _("The change is saved."))
    return True


@GET_POST
@require_perm(MANAGE)
def person_end(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    found = _person_or_404(request, pk)
    form = EndForm(request.POST or None, initial={"active_to": region_today(region)})
    if request.method == "POST" and form.is_valid():
        try:
            employee_end(
                region=region,
                actor=request.user,
                employee=found,
                day=form.cleaned_data["active_to"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The employment is ended."))
            return _person_url(region, found)
    return _form_page(request, form, found, _("End the employment"))


def _form_page(
    request: RegionRequest, form: forms.Form, found: Employee | None, title: str
) -> HttpResponse:
    status = 422 if form.errors else 200
    context = {"form": form, "person": found, "title": title}
    return render(request, "performance/registry/form.html", context, status=status)
