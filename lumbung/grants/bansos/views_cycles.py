"""A cycle's pages: its list under review (NIKs masked, a person removed with a reason),
computing it, sending it back or cancelling the cycle (each on a confirmation page with
its reason), approving it (never by whoever computed it), recording each handover with
its proof, opening a handover's photo (audited), and closing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.permissions import can, roles_of
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Cycle, Entitlement
from ..responses import photo_response
from ..services.cycle_review import cycle_cancel, cycle_send_back
from ..services.cycles import (
    cycle_approve,
    cycle_close,
    cycle_compute,
    entitlement_remove,
    handover_record,
)
from ..services.handovers import handover_photo_open
from ..workflow import APPROVED, COMPUTED, CYCLE_FLOW, DRAFT
from .forms import HandoverForm, NoteForm, ReasonForm, WhyForm
from .selectors import cycle_entitlements, cycle_get, cycle_summary, entitlement_get
from .views_common import PAGE, REGISTRY, VIEW, found, query_without_page

STATUSES = Entitlement.Status


def _cycle_page(
    request: RegionRequest,
    cycle: Cycle,
    *,
    error: str = "",
    status: int = 200,
    forms_: dict[str, NoteForm] | None = None,
) -> HttpResponse:
    forms_ = forms_ or {}
    region = current_region(request)
    shown = request.GET.get("status", "")
    shown = shown if shown in STATUSES.values else ""
    rows = cycle_entitlements(region, cycle, status=shown)
    may_work = can(request.user, REGISTRY, region)
    roles = roles_of(request.user, region)
    context = {
        "cycle": cycle,
        "summary": cycle_summary(region, cycle),
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "statuses": STATUSES.choices,
        "shown": shown,
        "may_work": may_work,
        "can_compute": may_work and cycle.state == DRAFT,
        "can_approve": may_work and cycle.state == COMPUTED,
        "approve_form": forms_.get("approve_form") or NoteForm(),
        "can_close": may_work and cycle.state == APPROVED,
        "can_send_back": may_work and _may(roles, cycle, "send_back"),
        "can_cancel": may_work and _may(roles, cycle, "cancel"),
        "close_form": forms_.get("close_form") or NoteForm(),
        "computed_by_me": cycle.computed_by_id == request.user.pk,
        "error": error,
    }
    return render(request, "grants/bansos/cycle.html", context, status=status)


def _may(roles: frozenset[Any] | set[Any], cycle: Cycle, action: str) -> bool:
    step = CYCLE_FLOW.action(action)
    return cycle.state in step.sources and bool(step.roles & roles)


@require_safe
@require_perm(VIEW)
def cycle(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _cycle_page(request, found(request, cycle_get, pk))


def _back(region_slug: str, target: Cycle) -> HttpResponse:
    return redirect("core:grants:bansos-cycle", region_slug=region_slug, pk=target.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def compute(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST computes the list from the programme's rules; a GET goes back to the cycle."""
    target = found(request, cycle_get, pk)
    if request.method != "POST":
        return _back(region_slug, target)
    region = current_region(request)
    try:
        listed = cycle_compute(region=region, actor=request.user, cycle=target)
    except DomainError as error:
        return _cycle_page(request, target, error=str(error.message), status=error.status)
    total = cycle_summary(region, target).amount_listed
    messages.success(
        request,
        _("The list was computed: %(n)d people, Rp %(total)s in all.")
        % {"n": listed, "total": f"{total:,.0f}".replace(",", ".")},
    )
    return _back(region_slug, target)


def _with_note(
    request: RegionRequest,
    pk: int,
    service: Callable[..., Cycle],
    form_name: str,
    done: str,
) -> HttpResponse:
    target = found(request, cycle_get, pk)
    region = current_region(request)
    if request.method != "POST":
        return _back(region.slug, target)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, target, status=422, forms_={form_name: form})
    try:
        service(region=region, actor=request.user, cycle=target, note=form.cleaned_data["note"])
    except DomainError as error:
        apply_domain_error(form, error)
        message = "" if error.field_errors else str(error.message)
        return _cycle_page(
            request, target, error=message, status=error.status, forms_={form_name: form}
        )
    messages.success(request, done)
    return _back(region.slug, target)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def approve(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST approves the list (refused to whoever computed it); a GET goes back."""
    return _with_note(request, pk, cycle_approve, "approve_form", _("The list was approved."))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def close(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST closes the cycle (a note needed while people are still listed)."""
    return _with_note(request, pk, cycle_close, "close_form", _("The cycle was closed."))


def _undo(request: RegionRequest, pk: int, action: str) -> HttpResponse:
    """Sending the list back or cancelling the cycle: a confirmation page asking why
    (GET), then the service (POST), back to the cycle or the page with its errors."""
    target = found(request, cycle_get, pk)
    region = current_region(request)
    page = UNDO[action]
    bound = request.method == "POST"
    form = WhyForm(request.POST if bound else None, label=page["label"])
    status = 200
    if bound:
        status = 422
        if form.is_valid():
            service = cycle_send_back if action == "send_back" else cycle_cancel
            try:
                service(
                    region=region,
                    actor=request.user,
                    cycle=target,
                    note=form.cleaned_data["reason"],
                )
            except DomainError as error:
                if "note" in error.field_errors:
                    error.field_errors["reason"] = error.field_errors.pop("note")
                apply_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, str(page["done"]))
                return _back(region.slug, target)
    context = {
        "cycle": target,
        "summary": cycle_summary(region, target),
        "form": form,
        "page_text": page,
        "action": action,
    }
    return render(request, "grants/bansos/cycle_undo.html", context, status=status)


UNDO: dict[str, dict[str, Any]] = {
    "send_back": {
        "title": _lazy("Send the list back"),
        "explanation": _lazy(
            "The cycle returns to draft. Its list stays visible until it is computed again, "
            "which replaces it; whoever computes it then may not approve it."
        ),
        "label": _lazy("Why is the list sent back?"),
        "button": _lazy("Send back"),
        "done": _lazy("The list was sent back to draft."),
    },
    "cancel": {
        "title": _lazy("Cancel the cycle"),
        "explanation": _lazy(
            "A cancelled cycle is closed for good: nobody on its list receives anything from "
            "it, and everyone listed is marked as removed, with your reason. The programme "
            "may open another cycle in its place."
        ),
        "label": _lazy("Why is the cycle cancelled?"),
        "button": _lazy("Cancel the cycle"),
        "done": _lazy("The cycle was cancelled."),
    },
}


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def send_back(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _undo(request, pk, "send_back")


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def cancel(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _undo(request, pk, "cancel")


@require_safe
@never_cache
@require_perm(VIEW)
def handover_photo(request: RegionRequest, region_slug: str, pk: int) -> FileResponse:
    """The handover's photo, shown in the browser to staff and auditors; each opening
    is recorded in the audit log as a read of personal data."""
    target = found(request, entitlement_get, pk)
    try:
        handover = handover_photo_open(
            region=current_region(request), actor=request.user, entitlement=target
        )
    except NotFound:
        raise Http404 from None
    return photo_response(handover.photo)


def _entitlement_form(
    request: RegionRequest,
    pk: int,
    form_class: type[forms.Form],
    write: Callable[[Entitlement, dict[str, Any]], object],
    template: str,
    done: str,
) -> HttpResponse:
    target = found(request, entitlement_get, pk)
    bound = request.method == "POST"
    form = form_class(request.POST if bound else None, request.FILES if bound else None)
    status = 200
    if bound:
        status = 422
        if form.is_valid():
            try:
                write(target, form.cleaned_data)
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, done)
                return _back(request.region.slug, target.cycle)
    context = {"entitlement": target, "cycle": target.cycle, "form": form}
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def remove(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    def write(target: Entitlement, data: dict[str, Any]) -> object:
        region = current_region(request)
        return entitlement_remove(
            region=region, actor=request.user, entitlement=target, reason=data["reason"]
        )

    return _entitlement_form(
        request, pk, ReasonForm, write, "grants/bansos/remove.html", _("The person was removed.")
    )


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REGISTRY)
def handover(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    def write(target: Entitlement, data: dict[str, Any]) -> object:
        return handover_record(
            region=current_region(request),
            actor=request.user,
            entitlement=target,
            paid_on=data["paid_on"],
            channel=data["channel"],
            reference=data["reference"],
            photo=data.get("photo"),
        )

    return _entitlement_form(
        request,
        pk,
        HandoverForm,
        write,
        "grants/bansos/handover.html",
        _("The handover was recorded."),
    )


urlpatterns: list[URLPattern] = [
    path("bansos/cycles/<int:pk>/", cycle, name="bansos-cycle"),
    path("bansos/cycles/<int:pk>/compute/", compute, name="bansos-cycle-compute"),
    path("bansos/cycles/<int:pk>/approve/", approve, name="bansos-cycle-approve"),
    path("bansos/cycles/<int:pk>/close/", close, name="bansos-cycle-close"),
    path("bansos/cycles/<int:pk>/send-back/", send_back, name="bansos-cycle-send-back"),
    path("bansos/cycles/<int:pk>/cancel/", cancel, name="bansos-cycle-cancel"),
    path("bansos/entitlements/<int:pk>/remove/", remove, name="bansos-entitlement-remove"),
    path("bansos/entitlements/<int:pk>/handover/", handover, name="bansos-handover"),
    path(
        "bansos/entitlements/<int:pk>/handover/photo/",
        handover_photo,
        name="bansos-handover-photo",
    ),
]
