"""The supervisor's pages: the queue of entries waiting for the signed-in person's review,
grouped by person and day with their deadlines (approve a day, or a selection, from there),
one entry's review page (approve, reject with a reason, approve a smaller quantity), and
the region administrator's list of overdue entries stuck at the top of a chain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Employee, Entry
from ..selectors import employee_of
from . import selectors, services
from .due import due_of
from .forms import AdjustForm, BulkForm, QueueFilterForm, RejectForm

DAYS_PER_PAGE = 20
STUCK_PER_PAGE = 50


def _user(request: RegionRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _filters(form: QueueFilterForm) -> selectors.QueueFilter:
    if not (form.is_bound and form.is_valid()):
        return selectors.QueueFilter()
    person = form.cleaned_data.get("person")
    return selectors.QueueFilter(person=person.pk if person else None, day=form.cleaned_data["day"])


def _queue_page(
    request: RegionRequest, region: Region, *, bulk_error: str = "", status: int = 200
) -> HttpResponse:
    me = employee_of(region, _user(request))
    form = QueueFilterForm(request.GET or None, region=region, reviewer=me)
    filters = _filters(form)
    page = Paginator(selectors.queue_days(region, me, filters), DAYS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    days = selectors.days_with_entries(region, me, filters, list(page.object_list))
    for day in days:
        day.due_text = due_of(region, day.due)  # type: ignore[attr-defined]
        for entry in day.entries:
            entry.due_text = due_of(region, entry.due_at)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "days": days,
        "query": query.urlencode(),
        "reviewer": me,
        "bulk_error": bulk_error,
        "sees_stuck": can(_user(request), "performance.manage_registry", region),
    }
    return render(request, "performance/review/queue.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.use")
def approvals(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    if request.method != "POST":
        return _queue_page(request, region)
    bulk = BulkForm(request.POST)
    if not bulk.is_valid():
        return _queue_page(request, region, bulk_error=_first_error(bulk), status=422)
    try:
        batch = _bulk(region, _user(request), bulk.cleaned_data)
    except NotFound:
        raise Http404 from None
    except DomainError as refused:
        return _queue_page(request, region, bulk_error=str(refused.message), status=refused.status)
    _tell(request, batch)
    return redirect(request.get_full_path())


def _first_error(form: forms.Form) -> str:
    return next(str(e) for errors in form.errors.values() for e in errors)


def _bulk(region: Region, actor: User, data: dict[str, Any]) -> services.ReviewBatch:
    if data.get("day"):
        person, day = data["day"]
        employee = Employee.objects.filter(region=region, pk=person).first()
        if employee is None:
            raise NotFound()
        return services.day_approve(region=region, actor=actor, employee=employee, day=day)
    return services.entries_approve(region=region, actor=actor, ids=data["entries"])


def _tell(request: RegionRequest, batch: services.ReviewBatch) -> None:
    if batch.moved:
        n = len(batch.moved)
        messages.success(
            request, ngettext("%(n)d entry approved.", "%(n)d entries approved.", n) % {"n": n}
        )
    if batch.already_reviewed:
        n = len(batch.already_reviewed)
        text = ngettext(
            "%(n)d entry had already been reviewed and was left as it was.",
            "%(n)d entries had already been reviewed and were left as they were.",
            n,
        )
        messages.warning(request, text % {"n": n})
    if not batch.moved and not batch.already_reviewed:
        messages.info(request, _("Nothing was waiting for your review there."))


def _entry_for(request: RegionRequest, region: Region, pk: int) -> Entry:
    """The entry, for its current reviewer or whoever reviewed it; 404 in another region."""
    try:
        entry = selectors.review_entry(region, pk)
    except NotFound:
        raise Http404 from None
    me = employee_of(region, _user(request))
    if not ((me and entry.reviewer_id == me.pk) or entry.reviewed_by_id == _user(request).pk):
        raise PermissionDenied
    return entry


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.use")
def approval(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    entry = _entry_for(request, region, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reject = RejectForm(request.POST if action == "reject" else None, prefix="reject")
    adjust = AdjustForm(request.POST if action == "adjust" else None, prefix="adjust")
    status = 200
    if action:
        form = {"reject": reject, "adjust": adjust}.get(action)
        try:
            if _act(region, _user(request), entry, action, form):
                messages.success(request, _("The review is recorded."))
                return redirect("core:performance:approvals", region.slug)
            status = 422
        except DomainError as refused:
            status = refused.status
            if form is None:
                messages.error(request, str(refused.message))
            else:
                apply_domain_error(form, refused)
    context = {"entry": entry, "reject": reject, "adjust": adjust,
               "due": due_of(region, entry.due_at)}  # fmt: skip
    return render(request, "performance/review/entry.html", context, status=status)


def _act(region: Region, actor: User, entry: Entry, action: str, form: forms.Form | None) -> bool:
    """Take the action; False when its form is invalid (the form then shows why)."""
    if action == "approve":
        services.entry_approve(region=region, actor=actor, entry=entry)
        return True
    if form is None:
        raise Http404
    if not form.is_valid():
        return False
    data = form.cleaned_data
    if action == "reject":
        services.entry_reject(region=region, actor=actor, entry=entry, reason=data["reason"])
    else:
        services.entry_adjust(region=region, actor=actor, entry=entry,
                              quantity=data["quantity"], reason=data["reason"])  # fmt: skip
    return True


@require_safe
@require_perm("performance.manage_registry")
def stuck(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    page = Paginator(selectors.unreviewed_at_top(region), STUCK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for entry in page.object_list:
        entry.due_text = due_of(region, entry.due_at)  # type: ignore[attr-defined]
    return render(request, "performance/review/stuck.html", {"page": page, "query": ""})
