"""The allowance pages a person sees: their own month explained, and another person's for
those who may see pay data (the person, their supervisors, the unit head, payroll,
auditors, the region administrator; anyone else gets a 404). Payroll staff correct entries
and days from the same page. The overseers' pages are in views_admin.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Employee, Entry
from ..selectors import can_see_pay, employee_of
from .corrections import attendance_correct, entry_correct
from .explain import tpp_explain
from .forms import DayCorrectionForm, EntryCorrectionForm
from .selectors import month_asked, recent_months


def _explanation(
    request: RegionRequest, region: Region, person: Employee, asked: str | None = None
) -> dict[str, object]:
    year, month = month_asked(region, asked or request.GET.get("month"))
    months = recent_months(region)
    if dt.date(year, month, 1) not in months:
        months.append(dt.date(year, month, 1))
    context: dict[str, object] = {
        "person": person,
        "year": year,
        "month": month,
        "chosen": f"{year}-{month:02d}",
        "months": months,
    }
    try:
        context["explained"] = tpp_explain(region, person, year, month)
    except DomainError as refused:  # no formula or base in force: say so
        context["refused"] = refused.message
    return context


@require_safe
@require_perm("performance.log")
def my_tpp(request: RegionRequest, region_slug: str) -> HttpResponse:
    """The signed-in person's allowance of a month: every entry and day behind it."""
    region = current_region(request)
    me = employee_of(region, request.user)
    if me is None:
        raise Http404
    return render(request, "performance/allowance/my_tpp.html", _explanation(request, region, me))


def _visible(region: Region, user: User, pk: int) -> Employee:
    person = Employee.objects.filter(region=region, pk=pk).select_related("unit").first()
    if person is None or not can_see_pay(region, user, person):
        raise Http404
    return person


@require_safe
@require_perm("performance.use")
def tpp_person(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """One person's allowance of a month, for those who may see it; corrections for payroll."""
    region = current_region(request)
    person = _visible(region, request.user, pk)
    context = _explanation(request, region, person)
    if can(request.user, "performance.correct", region):
        context["entry_form"] = EntryCorrectionForm()
        context["day_form"] = DayCorrectionForm()
    return render(request, "performance/allowance/person.html", context)


def _back(region: Region, person: Employee, month: str) -> HttpResponseBase:
    url = reverse("core:performance:tpp_person", args=[region.slug, person.pk])
    return redirect(f"{url}?{urlencode({'month': month})}" if month else url)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.correct")
def correct_entry(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """Turn an entry's approval round, with a reason (POST); a GET goes back to the page."""
    region = current_region(request)
    entry = Entry.objects.filter(region=region, pk=pk).select_related("employee").first()
    if entry is None:
        raise Http404
    month = entry.work_date.strftime("%Y-%m")
    if request.method != "POST":
        return _back(region, entry.employee, month)
    form = EntryCorrectionForm(request.POST)
    if form.is_valid():
        try:
            entry_correct(
                region=region, actor=request.user, entry=entry,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"], quantity=form.cleaned_data["quantity"],
            )  # fmt: skip
            messages.success(request, _("Corrected; the month was computed again for this person."))
            return _back(region, entry.employee, month)
        except DomainError as refused:
            apply_domain_error(form, refused)
    return _refused(request, region, entry.employee, month, entry_form=form)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.correct")
def correct_day(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """Set one working day of a person right, with a reason (POST)."""
    region = current_region(request)
    person = Employee.objects.filter(region=region, pk=pk).first()
    if person is None:
        raise Http404
    if request.method != "POST":
        return _back(region, person, request.GET.get("month", ""))
    form = DayCorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendance_correct(
                region=region, actor=request.user, employee=person, work_date=data["work_date"],
                kind=data["kind"], reason=data["reason"], check_in=data["check_in"],
                check_out=data["check_out"],
            )  # fmt: skip
            messages.success(request, _("Corrected; the month was computed again for this person."))
            return _back(region, person, data["work_date"].strftime("%Y-%m"))
        except DomainError as refused:
            apply_domain_error(form, refused)
    return _refused(request, region, person, request.POST.get("work_date", "")[:7], day_form=form)


def _refused(
    request: RegionRequest, region: Region, person: Employee, month: str, **forms: object
) -> HttpResponse:
    context = _explanation(request, region, _visible(region, request.user, person.pk), month)
    context.update({"entry_form": EntryCorrectionForm(), "day_form": DayCorrectionForm(), **forms})
    return render(request, "performance/allowance/person.html", context, status=422)
