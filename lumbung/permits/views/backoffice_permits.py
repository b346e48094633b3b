"""Issued permits and registrations for the staff: the list (every instant registration
too, for the region to see and audit afterwards) and one permit's page, where a unit
head or the head of region suspends, revokes or reinstates it with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import PermitFilterForm, StatusForm
from ..models import Permit
from ..selectors import permit_status
from ..services.issuing import permit_reinstate, permit_revoke, permit_suspend
from .common import error_status, permit_or_404, show_error

PAGE = 25
CHANGES = {"suspend": permit_suspend, "revoke": permit_revoke, "reinstate": permit_reinstate}


@require_safe
@require_perm("permits.audit_registrations")
def permits(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = PermitFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = Permit.objects.filter(region=region).select_related("permit_type")
    if data.get("lane"):
        found = found.filter(lane=data["lane"])
    if data.get("q"):
        found = found.filter(Q(number__icontains=data["q"]) | Q(business_name__icontains=data["q"]))
    page = Paginator(found, PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for permit in page.object_list:
        permit.shown_status = permit_status(region, permit)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "permits/backoffice/permits.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("permits.audit_registrations")
def permit(request: RegionRequest, region_slug: str, pk: int) -> HttpResponseBase:
    region = current_region(request)
    found = permit_or_404(region, pk)
    may_change = can(request.user, "permits.revoke", region)
    form = StatusForm(request.POST or None) if may_change else None
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            change = CHANGES[form.cleaned_data["action"]]
            try:
                change(
                    region=region,
                    actor=request.user,
                    permit=found,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                show_error(form, error)
                if not form.errors:
                    form.add_error(None, str(error.message))
                status = error_status(error)
            else:
                messages.success(request, str(form.fields["action"].label))
                return redirect("core:permits:permit", region.slug, found.pk)
        else:
            status = 422
    elif request.method == "POST":
        status = 403
    context = {
        "permit": found,
        "status": permit_status(region, found),
        "form": form,
        "app": found.application,
    }
    return render(request, "permits/backoffice/permit.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("staff/permits/", permits, name="permits"),
    path("staff/permits/<int:pk>/", permit, name="permit"),
]
