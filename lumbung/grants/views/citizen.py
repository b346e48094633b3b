"""The organisations' own pages: register an organisation, see one's organisations and
their verification, add their documents, submit a proposal with its cost breakdown (RAB),
and see one's proposals. The proposal's own page is in citizen_proposal.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError
from lumbung.core.kelurahan import kelurahan_name
from lumbung.core.models import Region, User
from lumbung.core.views.helpers import current_region

from ..forms import (
    ORGANISATION_UPLOADS,
    DocumentUploadForm,
    OrganisationForm,
    ProposalForm,
    budget_formset,
    budget_lines,
    officers_formset,
)
from ..models import Document, Organisation, Proposal
from ..selectors_hibah import organisation_proposals, organisations_of_account
from ..services.documents import document_attach
from ..services.organisations import is_account, organisation_register
from ..services.proposals import ProposalInput, proposal_submit
from . import citizen_proposal
from .common import (
    error_status,
    map_settings,
    organisation_or_404,
    renamed,
    show_error,
    signed_in,
    step_names,
)

ORGANISATION_KINDS = (*ORGANISATION_UPLOADS, Document.Kind.OTHER)


def own_organisation(request: HttpRequest, pk: int) -> Organisation:
    """One of the region's organisations this account acts for; any other is a 404."""
    organisation = organisation_or_404(current_region(request), pk)
    if not is_account(organisation, request.user):  # type: ignore[arg-type]
        raise Http404
    return organisation


def _attach_all(
    region: Region,
    actor: User,
    uploads: Any,
    organisation: Organisation | None = None,
    proposal: Proposal | None = None,
) -> None:
    """Attach each file; a refused one names its own field ("doc_deed"), not "file"."""
    for field, kind, upload in uploads:
        try:
            document_attach(
                region=region,
                actor=actor,
                upload=upload,
                kind=kind,
                organisation=organisation,
                proposal=proposal,
            )
        except DomainError as error:
            raise renamed(error, {"file": field, "kind": field}) from None


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_new(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, request.FILES or None, region=region)
    officers = officers_formset(data)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and officers.is_valid():
            try:
                with transaction.atomic():  # the organisation and its files, or nothing
                    organisation = organisation_register(
                        region=region,
                        actor=request.user,  # type: ignore[arg-type]
                        data=form.service_input(officers.rows()),
                    )
                    _attach_all(region, request.user, form.documents(), organisation=organisation)  # type: ignore[arg-type]
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(
                    request, _("Registered. The officers will verify the organisation.")
                )
                return redirect("core:grants:my-organisation", region.slug, organisation.pk)
    context = {"form": form, "officers": officers}
    return render(request, "grants/citizen/organisation_form.html", context, status=status)


@signed_in
@require_safe
def organisations_mine(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    rows = list(organisations_of_account(region, request.user))
    return render(request, "grants/citizen/organisations.html", {"organisations": rows})


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_mine(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    """One's organisation: its facts, verification, documents (and adding one), proposals."""
    region = current_region(request)
    organisation = own_organisation(request, pk)
    data = request.POST if request.method == "POST" else None
    form = DocumentUploadForm(data, request.FILES or None, kinds=ORGANISATION_KINDS)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                document_attach(
                    region=region,
                    actor=request.user,  # type: ignore[arg-type]
                    upload=form.cleaned_data["file"],
                    kind=form.cleaned_data["kind"],
                    organisation=organisation,
                )
            except DomainError as error:
                show_error(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Document added."))
                return redirect("core:grants:my-organisation", region.slug, organisation.pk)
    names = step_names(request, region)
    proposals = [
        (p, names.get(p.state, p.state)) for p in organisation_proposals(region, organisation)
    ]
    context = {
        "organisation": organisation,
        "kelurahan": kelurahan_name(region, organisation.kelurahan_code),
        "documents": list(Document.objects.filter(region=region, organisation=organisation)),
        "proposals": proposals,
        "form": form,
    }
    return render(request, "grants/citizen/organisation.html", context, status=status)


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_new(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    mine = organisations_of_account(region, request.user)
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, request.FILES or None, region=region, organisations=mine)
    lines = budget_formset(data)
    status, loose = 200, []
    if request.method == "POST":
        status = 422
        if form.is_valid() and lines.is_valid():
            try:
                proposal = _submit(request, region, form, lines)
            except DomainError as error:
                loose = show_error(form, error, lines)
                status = error_status(error)
            else:
                messages.success(
                    request, _("Proposal %(number)s submitted.") % {"number": proposal.number}
                )
                return redirect("core:grants:my-proposal", region.slug, proposal.pk)
    context = {
        "form": form,
        "lines": lines,
        "lines_errors": loose,
        "has_organisation": mine.exists(),
        "map": map_settings(),
    }
    return render(request, "grants/citizen/proposal_form.html", context, status=status)


def _submit(request: HttpRequest, region: Region, form: ProposalForm, lines: Any) -> Proposal:
    data = form.cleaned_data
    actor: User = request.user  # type: ignore[assignment]
    with transaction.atomic():  # the proposal and its files, or nothing
        proposal = proposal_submit(
            region=region,
            actor=actor,
            organisation=data["organisation"],
            data=ProposalInput(
                programme=data["programme"],
                title=data["title"],
                purpose=data["purpose"],
                location=data["location"],
                lines=budget_lines(lines),
                kelurahan_code=data.get("kelurahan_code") or "",
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            ),
        )
        _attach_all(region, actor, form.documents(), proposal=proposal)
    return proposal


@signed_in
@require_safe
def proposals_mine(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    found = Proposal.objects.filter(
        region=region, organisation__in=organisations_of_account(region, request.user)
    ).select_related("organisation", "programme")
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    names = step_names(request, region)
    rows = [(p, names.get(p.state, p.state)) for p in page.object_list]
    context: dict[str, Any] = {"page": page, "rows": rows}
    return render(request, "grants/citizen/proposals.html", context)


urlpatterns: list[URLPattern] = [
    path("organisations/new/", organisation_new, name="organisation-new"),
    path("organisations/mine/", organisations_mine, name="my-organisations"),
    path("organisations/<int:pk>/", organisation_mine, name="my-organisation"),
    path("proposals/new/", proposal_new, name="proposal-new"),
    path("proposals/mine/", proposals_mine, name="my-proposals"),
    *citizen_proposal.urlpatterns,
]
