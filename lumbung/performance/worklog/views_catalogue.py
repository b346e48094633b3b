"""The catalogue's pages: "activities" (search the catalogue; a civil servant proposes an
activity and sees what became of their proposals; a curator accepts or declines the
proposals waiting; the administrator adds and retires) and "activity" (the administrator
edits one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import Activity
from ..selectors import employee_of
from . import activities as catalogue
from . import selectors
from .forms import ActivityForm, ReasonForm


def _activity_or_404(region: Region, raw: Any) -> Activity:
    try:
        return selectors.activity_get(region, int(raw))
    except (NotFound, TypeError, ValueError):
        raise Http404 from None


def _save(form: ActivityForm, run: Callable[[], Activity]) -> Activity | None:
    if not form.is_valid():
        return None
    try:
        return run()
    except DomainError as error:
        apply_domain_error(form, error)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.use")
def activities(request: RegionRequest, region_slug: str) -> HttpResponseBase:
    region = current_region(request)
    user = request.user
    which = request.POST.get("form", "") if request.method == "POST" else ""
    if which in ("accept", "decline", "retire"):
        return _decide(request, region, which)
    propose = ActivityForm(request.POST if which == "propose" else None, prefix="propose")
    create = ActivityForm(request.POST if which == "create" else None, prefix="create")
    if which == "propose":
        made = _save(
            propose,
            lambda: catalogue.activity_propose(
                region=region, actor=user, data=propose.activity_input()
            ),
        )
        if made is not None:
            messages.success(request, _("Proposal sent: it counts once a curator accepts it."))
            return redirect("core:performance:activities", region.slug)
    elif which == "create":
        made = _save(
            create,
            lambda: catalogue.activity_create(
                region=region, actor=user, data=create.activity_input()
            ),
        )
        if made is not None:
            messages.success(request, _("Activity added."))
            return redirect("core:performance:activities", region.slug)
    elif which:
        raise Http404
    status = 422 if which else 200
    return render(
        request,
        "performance/worklog/activities.html",
        _catalogue_context(request, region, user, propose, create),
        status=status,
    )


def _catalogue_context(
    request: RegionRequest,
    region: Region,
    user: User,
    propose: ActivityForm,
    create: ActivityForm,
) -> dict[str, Any]:
    query = request.GET.get("q", "")[:100]
    person = employee_of(region, user)
    curator = can(user, "performance.curate_activities", region)
    return {
        "query": query,
        "rows": selectors.activities(region, query=query)[:200],
        "person": person,
        "mine": selectors.proposals_of(region, person) if person else [],
        "curator": curator,
        "waiting": list(selectors.proposals(region)[:100]) if curator else [],
        "admin": can(user, "performance.manage_catalogue", region),
        "propose_form": propose,
        "create_form": create,
        "reason_form": ReasonForm(),
    }


def _decide(request: RegionRequest, region: Region, which: str) -> HttpResponseBase:
    """Accept, decline or retire one activity; the services check who may."""
    activity = _activity_or_404(region, request.POST.get("activity"))
    reason = request.POST.get("reason", "")
    try:
        if which == "accept":
            catalogue.activity_accept(region=region, actor=request.user, activity=activity)
        elif which == "decline":
            catalogue.activity_decline(
                region=region, actor=request.user, activity=activity, reason=reason
            )
        else:
            catalogue.activity_retire(
                region=region, actor=request.user, activity=activity, reason=reason
            )
        messages.success(request, _("Saved."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("core:performance:activities", region.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("performance.manage_catalogue")
def activity(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    """The administrator edits one activity (entries already made keep their minutes)."""
    region = current_region(request)
    found = _activity_or_404(region, pk)
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_of(found))
    status = 200
    if request.method == "POST":
        saved = _save(
            form,
            lambda: catalogue.activity_update(
                region=region, actor=request.user, activity=found, data=form.activity_input()
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("core:performance:activities", region.slug)
        status = 422
    return render(
        request,
        "performance/worklog/activity.html",
        {"activity": found, "form": form},
        status=status,
    )
