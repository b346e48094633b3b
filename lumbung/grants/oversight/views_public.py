"""Public oversight pages: reporting something suspicious about a proposal of the register
or a bansos recipient (anonymous allowed, limited per address and contact by the service),
its confirmation, and the hibah as 360Giving open data."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region, User
from lumbung.core.views.helpers import current_region

from ..models import Proposal, Suspicion
from ..opendata import LICENSE, hibah_360giving, hibah_360giving_csv
from ..selectors_public import register_years
from ..services.suspicions import suspicion_raise
from .forms import ProposalSuspicionForm, RecipientSuspicionForm
from .selectors import proposal_by_public_id

SENT = "grants_suspicion_sent"  # session: what the confirmation page says, shown once
YEARS = range(2000, 2101)


def _signed_in(request: HttpRequest) -> User | None:
    return request.user if request.user.is_authenticated else None


def _raise(
    request: HttpRequest, form: forms.Form, region: Region, **about: Any
) -> tuple[Suspicion | None, int, int | None]:
    """The service's answer: the suspicion, or the form with its errors, the status and,
    when the sender is limited, the seconds to wait."""
    data = form.cleaned_data
    try:
        raised = suspicion_raise(
            region=region,
            actor=_signed_in(request),
            text=data["text"],
            contact_email=data.get("contact_email") or "",
            address=request.META.get("REMOTE_ADDR", ""),
            **about,
        )
    except DomainError as error:
        apply_domain_error(form, error)
        return None, error.status, getattr(error, "retry_after", None)
    return raised, 200, None


def _sent(request: HttpRequest, region: Region, raised: Suspicion) -> HttpResponse:
    ticket = raised.complaint.ticket if raised.complaint is not None else ""
    request.session[SENT] = {"region": region.pk, "ticket": ticket}
    return redirect("core:grants:suspicion-sent", region_slug=region.slug)


def _form_page(
    request: HttpRequest, context: dict[str, Any], status: int, wait: int | None
) -> HttpResponse:
    response = render(request, "grants/oversight/report.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def report_proposal(request: HttpRequest, region_slug: str, public_id: UUID) -> HttpResponse:
    """Report something suspicious about one proposal of the public register."""
    region = current_region(request)
    try:
        proposal: Proposal = proposal_by_public_id(region, str(public_id))
    except NotFound:
        raise Http404 from None
    form = ProposalSuspicionForm(request.POST if request.method == "POST" else None)
    status, wait = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            raised, status, wait = _raise(request, form, region, proposal=proposal)
            if raised is not None:
                return _sent(request, region, raised)
    context = {"form": form, "proposal": proposal}
    return _form_page(request, context, status, wait)


@require_http_methods(["GET", "HEAD", "POST"])
def report_recipient(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Report something suspicious about a named recipient of a bansos programme."""
    region = current_region(request)
    data = request.POST if request.method == "POST" else None
    form = RecipientSuspicionForm(data, region=region)
    status, wait = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            about = {
                "programme": form.cleaned_data["programme"],
                "recipient_name": form.cleaned_data["recipient_name"],
                "kelurahan_code": form.cleaned_data.get("kelurahan_code") or "",
            }
            raised, status, wait = _raise(request, form, region, **about)
            if raised is not None:
                return _sent(request, region, raised)
    return _form_page(request, {"form": form, "proposal": None}, status, wait)


@require_safe
def report_sent(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    sent = request.session.pop(SENT, None)
    if not sent or sent.get("region") != region.pk:
        return redirect("core:grants:register", region_slug=region.slug)
    response = render(request, "grants/oversight/report_sent.html", {"ticket": sent["ticket"]})
    response["Cache-Control"] = "no-store"
    return response


# Open data --------------------------------------------------------------------------------


@require_safe
def opendata(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    context = {"license": LICENSE, "years": register_years(region)}
    return render(request, "grants/oversight/opendata.html", context)


def _year(request: HttpRequest) -> tuple[int | None, bool]:
    """The `?year=` asked for, and whether it is a usable year (absent is usable)."""
    raw = request.GET.get("year", "").strip()
    if not raw:
        return None, True
    if raw.isdigit() and int(raw) in YEARS:
        return int(raw), True
    return None, False


def _download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _name(region: Region, year: int | None, ext: str) -> str:
    return f"360giving-{region.slug}{f'-{year}' if year else ''}.{ext}"


@require_safe
def opendata_json(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    year, usable = _year(request)
    if not usable:
        return HttpResponseBadRequest(_("Give the year as four digits."))
    package = hibah_360giving(region=region, year=year)
    body = json.dumps(package, ensure_ascii=False, indent=1)
    return _download(body, "application/json; charset=utf-8", _name(region, year, "json"))


@require_safe
def opendata_csv(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    year, usable = _year(request)
    if not usable:
        return HttpResponseBadRequest(_("Give the year as four digits."))
    body = hibah_360giving_csv(region=region, year=year)
    return _download(body, "text/csv; charset=utf-8", _name(region, year, "csv"))


urlpatterns: list[URLPattern] = [
    path("suspicion/proposal/<uuid:public_id>/", report_proposal, name="suspicion-proposal"),
    path("suspicion/recipient/", report_recipient, name="suspicion-recipient"),
    path("suspicion/sent/", report_sent, name="suspicion-sent"),
    path("opendata/", opendata, name="opendata"),
    path("opendata/360giving.json", opendata_json, name="opendata-json"),
    path("opendata/360giving.csv", opendata_csv, name="opendata-csv"),
]
