"""The case page and what staff do on it: workflow actions, duplicates, answers and notes,
routing and assignment. Each action posts to its own address and comes back to the case
page (post/redirect/get); a refusal shows the page again with the service's error, in the
status it carries (403, 409 or 422), and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.permissions import can, roles_of
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..backoffice_forms import (
    ActionForm,
    AnswerForm,
    AssignForm,
    ContactForm,
    DuplicateForm,
    RouteForm,
)
from ..models import Complaint, PhotoKind
from ..selectors import report_get, report_photos, report_timeline
from ..services import (
    report_answer,
    report_assign,
    report_mark_duplicate,
    report_route,
    report_transition,
)
from ..workflow import IN_PROGRESS, OPEN_STATES, REPORT_FLOW, SUBMITTED
from .backoffice_due import due_labels


def complaint_or_404(request: RegionRequest, ticket: str) -> Complaint:
    try:
        return report_get(current_region(request), ticket)
    except NotFound:
        raise Http404 from None


def case_page(
    request: RegionRequest,
    complaint: Complaint,
    *,
    failed: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The case page; after a refused action, with that action's form and its errors."""
    region = current_region(request)
    failed = failed or {}
    due_labels(region, [complaint])
    context: dict[str, Any] = {
        "complaint": complaint,
        "state": REPORT_FLOW.state(complaint.state),
        "timeline": _timeline(complaint),
        "photos": list(report_photos(complaint, public_only=False)),
        "error": error,
        "contact_form": ContactForm(),
        **_work_forms(request, complaint, failed),
    }
    if can(request.user, "complaints.route_case", region) and complaint.state in (
        SUBMITTED,
        IN_PROGRESS,
    ):
        context["route_form"] = failed.get("route") or RouteForm(
            region=region,
            initial={"unit": complaint.unit_id or complaint.category.default_unit_id},
            auto_id="id_route_%s",
        )
    if can(request.user, "complaints.assign_case", region) and complaint.state in OPEN_STATES:
        context["assign_form"] = failed.get("assign") or AssignForm(
            region=region, initial={"assignee": complaint.assignee_id}, auto_id="id_assign_%s"
        )
    return render(request, "complaints/backoffice/case.html", context, status=status)


def _timeline(complaint: Complaint) -> list[Any]:
    labels = {s.key: s.label for s in REPORT_FLOW.states}
    updates = list(report_timeline(complaint, public_only=False))
    for update in updates:
        update.from_label = labels.get(update.from_state, "")  # type: ignore[attr-defined]
        update.to_label = labels.get(update.to_state, "")  # type: ignore[attr-defined]
    return updates


def _work_forms(
    request: RegionRequest, complaint: Complaint, failed: dict[str, forms.Form]
) -> dict[str, Any]:
    """The workflow actions the user's roles allow in this state, and the answer form."""
    region = current_region(request)
    if not can(request.user, "complaints.work_case", region):
        return {}
    roles = roles_of(request.user, region)
    version = {"expected_version": complaint.version}
    allowed = [
        a for a in REPORT_FLOW.actions_from(complaint.state) if a.roles & roles and not a.system
    ]
    actions = [
        (a, failed.get(f"act:{a.key}") or _action_form(a.key, initial={**version, "action": a.key}))
        for a in allowed
        if a.key != "mark_duplicate"
    ]
    found: dict[str, Any] = {
        "actions": actions,
        "answer_form": failed.get("answer")
        or AnswerForm(region=region, category=complaint.category, auto_id="id_answer_%s"),
    }
    if any(a.key == "mark_duplicate" for a in allowed):
        found["duplicate_form"] = failed.get("duplicate") or DuplicateForm(
            initial=version, auto_id="id_duplicate_%s"
        )
    return found


def _action_form(key: str, *args: Any, **kwargs: Any) -> ActionForm:
    return ActionForm(*args, with_photos=key == "resolve", auto_id=f"id_{key}_%s", **kwargs)


Run = Callable[[dict[str, Any]], object]


def _submit(
    request: RegionRequest,
    complaint: Complaint,
    name: str,
    form: forms.Form,
    run: Run,
    done: str,
) -> HttpResponse:
    """Validate the form, run the service, and come back to the case page."""
    if not form.is_valid():
        return case_page(request, complaint, failed={name: form}, status=422)
    try:
        run(form.cleaned_data)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        fresh = complaint_or_404(request, complaint.ticket)
        failed: dict[str, forms.Form] = {}
        if error.status != 409:  # after a conflict the forms start again from the new state
            apply_domain_error(form, error)
            failed[name] = form
        return case_page(
            request, fresh, failed=failed, error=str(error.message), status=error.status
        )
    messages.success(request, done)
    return redirect(complaint.get_absolute_url())


@require_perm("complaints.work_case")
def act(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    complaint = complaint_or_404(request, ticket)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    key = request.POST.get("action", "")
    key = key if key in {a.key for a in REPORT_FLOW.actions} else "unknown"
    form = _action_form(key, request.POST, request.FILES)

    def run(data: dict[str, Any]) -> object:
        return report_transition(
            region=current_region(request),
            actor=request.user,
            complaint=complaint,
            action=key,
            note=data["note"],
            photos=data.get("photos") or [],
            expected_version=data["expected_version"],
        )

    return _submit(request, complaint, f"act:{key}", form, run, _("Status changed."))


@require_perm("complaints.work_case")
def duplicate(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    complaint = complaint_or_404(request, ticket)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    form = DuplicateForm(request.POST, auto_id="id_duplicate_%s")

    def run(data: dict[str, Any]) -> object:
        return report_mark_duplicate(
            region=current_region(request),
            actor=request.user,
            complaint=complaint,
            original_ticket=data["original"],
            note=data["note"],
            expected_version=data["expected_version"],
        )

    return _submit(request, complaint, "duplicate", form, run, _("Marked as a duplicate."))


@require_perm("complaints.work_case")
def answer(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    complaint = complaint_or_404(request, ticket)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    form = AnswerForm(
        request.POST,
        request.FILES,
        region=current_region(request),
        category=complaint.category,
        auto_id="id_answer_%s",
    )

    def run(data: dict[str, Any]) -> object:
        return report_answer(
            region=current_region(request),
            actor=request.user,
            complaint=complaint,
            body=form.text(),
            public=data["public"],
            photos=data.get("photos") or [],
            photo_kind=PhotoKind(data.get("photo_kind") or PhotoKind.AFTER),
        )

    return _submit(request, complaint, "answer", form, run, _("Saved."))


@require_perm("complaints.route_case")
def route(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    complaint = complaint_or_404(request, ticket)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    form = RouteForm(request.POST, region=current_region(request), auto_id="id_route_%s")

    def run(data: dict[str, Any]) -> object:
        return report_route(
            region=current_region(request),
            actor=request.user,
            complaint=complaint,
            unit_id=data["unit"].pk,
            note=data["note"],
        )

    return _submit(request, complaint, "route", form, run, _("Routed."))


@require_perm("complaints.assign_case")
def assign(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    complaint = complaint_or_404(request, ticket)
    if request.method != "POST":
        return redirect(complaint.get_absolute_url())
    form = AssignForm(request.POST, region=current_region(request), auto_id="id_assign_%s")

    def run(data: dict[str, Any]) -> object:
        return report_assign(
            region=current_region(request),
            actor=request.user,
            complaint=complaint,
            assignee_id=data["assignee"],
        )

    return _submit(request, complaint, "assign", form, run, _("Assignment saved."))


# Each answers a GET by going back to the case page (after the region's own lookup).
urlpatterns: list[URLPattern] = [
    path("staff/<slug:ticket>/act/", act, name="staff-act"),
    path("staff/<slug:ticket>/duplicate/", duplicate, name="staff-duplicate"),
    path("staff/<slug:ticket>/answer/", answer, name="staff-answer"),
    path("staff/<slug:ticket>/route/", route, name="staff-route"),
    path("staff/<slug:ticket>/assign/", assign, name="staff-assign"),
]
