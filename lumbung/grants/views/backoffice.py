"""Staff pages of the module: the work queue by stage with its deadlines, the case page, the
overdue LPJ list. A red flag shown on the case page is dismissed on its own page
(the oversight pages). The step forms are in backoffice_steps.py,
organisations' verification in backoffice_orgs.py, the administration (programmes and
checklists) in backoffice_admin.py."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from lumbung.core.models import Region
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import QueueFilterForm
from ..models import Proposal
from ..selectors_hibah import lpj_overdue_list, proposal_queue
from ..services.organisations import region_today
from ..workflow import HIBAH_FLOW
from . import backoffice_admin, backoffice_orgs, backoffice_steps, backoffice_tranches
from .backoffice_case import case_page
from .backoffice_due import due_labels
from .common import proposal_or_404, step_names

QUEUE_PAGE = 25
OPEN = tuple(s.key for s in HIBAH_FLOW.states if not s.terminal)


def _queue(region: Region, form: QueueFilterForm) -> QuerySet[Proposal]:
    """The valid filters applied; a bad one (a foreign unit's id) is shown and left out."""
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = proposal_queue(
        region,
        state=data.get("state") or "",
        overdue=bool(data.get("overdue")),
    )
    if not data.get("state"):
        found = found.filter(state__in=OPEN)
    if data.get("unit"):  # the unit's own proposals, at any stage
        found = found.filter(evaluating_unit=data["unit"])
    if data.get("programme"):
        found = found.filter(programme=data["programme"])
    if data.get("q"):
        q = data["q"]
        found = found.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(organisation__name__icontains=q)
        )
    return found


def _counts(region: Region, names: dict[str, str]) -> list[tuple[str, str, int]]:
    """(state, label, how many) of every open stage, in the workflow's order."""
    found = dict(
        Proposal.objects.filter(region=region, state__in=OPEN)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    return [(s, names.get(s, s), found.get(s, 0)) for s in OPEN]


@require_safe
@require_perm("grants.view_queue")
def queue(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    names = step_names(request, region)
    form = QueueFilterForm(request.GET or None, region=region, names=names)
    page = Paginator(_queue(region, form), QUEUE_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    due_labels(region, page.object_list, names)
    query = request.GET.copy()
    query.pop("page", None)
    overdue = Proposal.objects.filter(
        region=region, state__in=OPEN, due_at__lt=timezone.now()
    ).count()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": _counts(region, names),
        "overdue_count": overdue,
        "lpj_overdue_count": lpj_overdue_list(region).count(),
    }
    return render(request, "grants/backoffice/queue.html", context)


@require_safe
@require_perm("grants.view_queue")
def case(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return case_page(request, proposal_or_404(current_region(request), pk))


@require_safe
@require_perm("grants.view_queue")
def lpj_overdue(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    today = region_today(region)
    rows = [
        (p, (today - p.lpj_due_on).days) for p in lpj_overdue_list(region, today) if p.lpj_due_on
    ]
    return render(request, "grants/backoffice/lpj_overdue.html", {"rows": rows, "today": today})


urlpatterns: list[URLPattern] = [
    path("staff/", queue, name="queue"),
    path("staff/proposals/<int:pk>/", case, name="case"),
    path("staff/proposals/<int:pk>/step/", backoffice_steps.step, name="case-step"),
    path("staff/lpj-overdue/", lpj_overdue, name="lpj-overdue"),
    *backoffice_orgs.urlpatterns,
    *backoffice_admin.urlpatterns,
    *backoffice_tranches.urlpatterns,
]
