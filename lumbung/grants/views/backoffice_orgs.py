"""Verifying organisations: the queue of those waiting (and, filtered, the others), and one
organisation's page with its legal facts, officers, contact, bank account and documents,
where officers verify it or reject it with the reason it is told."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.kelurahan import kelurahan_name
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import OrganisationDecisionForm
from ..models import Document, Organisation, Verification
from ..selectors_hibah import organisation_proposals
from ..services.organisations import organisation_reject, organisation_verify
from .common import error_status, organisation_or_404, renamed, show_error, step_names


@require_safe
@require_perm("grants.view_queue")
def organisations(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    shown = request.GET.get("verification", Verification.PENDING)
    if shown not in Verification.values:
        shown = Verification.PENDING
    found = Organisation.objects.filter(region=region, verification=shown).order_by(
        "created_at", "id"
    )
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "shown": shown,
        "choices": Verification.choices,
        "query": f"verification={shown}",
        "pending_count": Organisation.objects.filter(
            region=region, verification=Verification.PENDING
        ).count(),
    }
    return render(request, "grants/backoffice/organisations.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm("grants.view_queue")
def organisation(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    region = current_region(request)
    found = organisation_or_404(region, pk)
    may_decide = (
        can(request.user, "grants.verify_organisation", region)
        and found.verification == Verification.PENDING
    )
    form = OrganisationDecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                _decide(request, found, form.cleaned_data["decision"], form.cleaned_data["note"])
            except DomainError as error:
                show_error(form, renamed(error, {"reason": "note"}))
                status = error_status(error)
            else:
                messages.success(request, _("Decision saved."))
                return redirect("core:grants:organisation", region.slug, found.pk)
    names = step_names(request, region)
    proposals = [(p, names.get(p.state, p.state)) for p in organisation_proposals(region, found)]
    context = {
        "organisation": found,
        "kelurahan": kelurahan_name(region, found.kelurahan_code),
        "documents": list(Document.objects.filter(region=region, organisation=found)),
        "proposals": proposals,
        "form": form if may_decide or request.method == "POST" else None,
    }
    return render(request, "grants/backoffice/organisation.html", context, status=status)


def _decide(request: RegionRequest, found: Organisation, decision: str, note: str) -> None:
    region = current_region(request)
    if decision == Verification.VERIFIED:
        organisation_verify(region=region, actor=request.user, organisation=found, note=note)
    else:
        organisation_reject(region=region, actor=request.user, organisation=found, reason=note)


urlpatterns: list[URLPattern] = [
    path("staff/organisations/", organisations, name="organisations"),
    path("staff/organisations/<int:pk>/", organisation, name="organisation"),
]
