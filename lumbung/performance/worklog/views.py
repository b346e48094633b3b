"""A civil servant's pages: "log" (their day on a phone: the day's entries with where each
stands, the minutes, and the entry form, which works without script; worklog.js adds the
offline queue) and "entries" (their month, with totals and filters)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm
from lumbung.core.workflow_selectors import state_labels

from ..common import settings_of
from ..models import Employee
from ..selectors import employee_of, region_today
from ..workflow import ENTRY_FLOW
from . import selectors, services
from .forms import EntryForm

STATES = ("submitted", "approved", "rejected", "withdrawn")


def _person(region: Region, user: User) -> Employee:
    person = employee_of(region, user)
    if person is None:  # performance.log already says they are one; a race with the registry
        raise Http404
    return person


def _day(text: str | None, today: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else today
    except ValueError:
        return today


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.log")
def log(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The day: its entries and the form for the next one."""
    region = current_region(request)
    person = _person(region, request.user)
    today = region_today(region)
    day = _day(request.GET.get("day"), today)
    usable = selectors.usable_activities(region, person)
    form = EntryForm(initial={"work_date": day}, activities=usable)
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "withdraw":
            return _withdraw(request, region, day)
        form = EntryForm(request.POST, request.FILES, activities=usable)
        made = _create(request, region, form)
        if made is not None:
            return redirect(f"{_log_url(region)}?day={made.isoformat()}")
        status = 422
    entries = selectors.day_entries(region, person, day)
    context = {
        "person": person,
        "day": day,
        "today": today,
        "previous": day - dt.timedelta(days=1),
        "next": day + dt.timedelta(days=1) if day < today else None,
        "entries": entries,
        "totals": selectors.totals(entries),
        "cap": settings_of(region)["daily_cap_minutes"],
        "form": form,
        "api_url": f"/api/v1/regions/{region.slug}/performance/entries",
    }
    return render(request, "performance/worklog/log.html", context, status=status)


def _log_url(region: Region) -> str:
    return reverse("core:performance:log", args=[region.slug])


def _create(request: RegionRequest, region: Region, form: EntryForm) -> dt.date | None:
    if not form.is_valid():
        return None
    try:
        entry, created = services.entry_create(
            region=region,
            actor=request.user,
            data=form.entry_input(),
            evidence=form.cleaned_data.get("evidence"),
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None
    messages.success(request, _("Entry saved.") if created else _("This entry was already saved."))
    return entry.work_date


def _withdraw(request: RegionRequest, region: Region, day: dt.date) -> HttpResponseBase:
    raw = request.POST.get("entry", "")
    if not raw.isdigit():
        raise Http404
    try:
        entry = selectors.entry_of(region, request.user, int(raw))
    except DomainError:
        raise Http404 from None
    try:
        services.entry_withdraw(region=region, actor=request.user, entry=entry)
        messages.success(request, _("Entry withdrawn."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(f"{_log_url(region)}?day={entry.work_date.isoformat()}")


def _month(text: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


@require_safe
@require_perm("performance.log")
def entries(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    """The month's entries with their totals, filtered by state."""
    region = current_region(request)
    person = _person(region, request.user)
    today = region_today(region)
    year, month = _month(request.GET.get("month"), today)
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    everything = selectors.month_entries(region, person, year, month)
    first = dt.date(year, month, 1)
    before = first - dt.timedelta(days=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    labels = state_labels(region, ENTRY_FLOW.key)
    context = {
        "person": person,
        "month": first,
        "month_value": f"{year:04d}-{month:02d}",
        "previous": f"{before.year:04d}-{before.month:02d}",
        "next": f"{after.year:04d}-{after.month:02d}" if after <= today else "",
        "state": state,
        "states": [(s, labels[s]) for s in STATES],
        "rows": everything.filter(state=state) if state else everything,
        "totals": selectors.totals(everything),
    }
    return render(request, "performance/worklog/entries.html", context)
