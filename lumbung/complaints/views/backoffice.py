"""Staff pages of the module: the work queue, the case page, and the audited look at a
reporter's contact details. The case page and its actions are in backoffice_case, the
region's administration (categories, templates, Open311 clients) in backoffice_admin."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lumbung.core.permissions import can
from lumbung.core.services.audit import personal_data_read
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..backoffice_forms import ContactForm, QueueFilterForm
from ..models import Complaint
from ..selectors import QueueFilters, staff_queue
from . import backoffice_admin, backoffice_case
from .backoffice_case import case_page, complaint_or_404
from .backoffice_due import due_labels

QUEUE_PAGE = 25
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@require_safe
@require_perm("complaints.view_queue")
def queue(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = QueueFilterForm(request.GET or None, region=region)
    reports = staff_queue(region, request.user, _filters(form))
    page = Paginator(reports, QUEUE_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    due_labels(region, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "overdue_count": staff_queue(region, request.user, QueueFilters(overdue=True)).count(),
        "unrouted_count": staff_queue(region, request.user, QueueFilters(unrouted=True)).count(),
        "may_admin": can(request.user, "complaints.manage_categories", region),
    }
    return render(request, "complaints/backoffice/queue.html", context)


def _filters(form: QueueFilterForm) -> QueueFilters:
    """The filters that are valid; a bad one (an unknown unit) is shown and left out."""
    if not form.is_bound:
        return QueueFilters()
    form.is_valid()
    data = form.cleaned_data
    unit = data.get("unit")
    return QueueFilters(
        unit=unit.pk if unit else None,
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
        mine=bool(data.get("mine")),
        unrouted=bool(data.get("unrouted")),
        category=data.get("category") or "",
        q=data.get("q") or "",
    )


@require_safe
@require_perm("complaints.view_queue")
def staff_detail(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    return case_page(request, complaint_or_404(request, ticket))


@never_cache
@require_perm("complaints.view_queue")
def contact(request: RegionRequest, region_slug: str, ticket: str) -> HttpResponse:
    """Asks why, then shows the reporter's contact details: each look is an audit event,
    written in the same transaction as the read (no event, nothing shown)."""
    complaint = complaint_or_404(request, ticket)
    form = ContactForm(request.POST if request.method == "POST" else None)
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            shown = _contact_read(request, complaint, form.cleaned_data["purpose"])
        template = "_contact.html" if htmx else "contact.html"
        return render(
            request,
            f"complaints/backoffice/{template}",
            {"complaint": complaint, "contact": shown},
        )
    if htmx:  # htmx swaps only successful answers: the form comes back with its errors
        return render(
            request,
            "complaints/backoffice/_contact_form.html",
            {"complaint": complaint, "contact_form": form},
        )
    return render(
        request,
        "complaints/backoffice/contact.html",
        {"complaint": complaint, "contact_form": form},
        status=422 if form.errors else 200,
    )


def _contact_read(request: RegionRequest, complaint: Complaint, purpose: str) -> dict[str, str]:
    fields = list(CONTACT_FIELDS)
    shown = {f: getattr(complaint, f) for f in CONTACT_FIELDS}
    reporter = complaint.reporter
    if reporter is not None:
        fields += ["reporter.full_name", "reporter.email"]
        shown.update(reporter_name=reporter.display_name, reporter_email=reporter.email)
    personal_data_read(
        region=current_region(request),
        actor=request.user,
        obj=complaint,
        fields=fields,
        purpose=purpose,
    )
    return shown


urlpatterns: list[URLPattern] = [
    path("staff/", queue, name="queue"),
    *backoffice_admin.urlpatterns,
    path("staff/<slug:ticket>/", staff_detail, name="staff-detail"),
    path("staff/<slug:ticket>/contact/", contact, name="staff-contact"),
    *backoffice_case.urlpatterns,
]
