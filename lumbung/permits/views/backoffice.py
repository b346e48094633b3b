"""Staff pages: the queue per unit and stage with "due in" / "overdue by", and the
application's page with only the current stage's forms for a role that may take them
(the forms post to backoffice_steps.py). Issued permits are in backoffice_permits.py,
the catalogue's administration in backoffice_admin.py."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from lumbung.core.models import Region
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..forms_backoffice import QueueFilterForm
from ..models import Application
from ..selectors import queue as queue_of
from ..workflow import STAFF_STAGES
from . import backoffice_admin, backoffice_permits, backoffice_steps
from .backoffice_due import due_of
from .backoffice_steps import case_page
from .common import application_or_404, step_names

QUEUE_PAGE = 25


def _queue(region: Region, form: QueueFilterForm) -> QuerySet[Application]:
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    found = queue_of(region, stage=data.get("stage") or None, unit=data.get("unit"))
    if data.get("overdue"):
        found = found.filter(due_at__lt=timezone.now())
    if data.get("q"):
        q = data["q"]
        found = found.filter(Q(number__icontains=q) | Q(business_name__icontains=q))
    return found


@require_safe
@require_perm("permits.view_queue")
def queue(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    names = step_names(request, region)
    form = QueueFilterForm(request.GET or None, region=region, names=names)
    page = Paginator(_queue(region, form), QUEUE_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for app in page.object_list:
        app.state_label = names.get(app.state, app.state)  # type: ignore[attr-defined]
        app.due = due_of(region, app)  # type: ignore[attr-defined]
    waiting = Application.objects.filter(region=region, state__in=STAFF_STAGES)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "overdue_count": waiting.filter(due_at__lt=timezone.now()).count(),
        "waiting_count": waiting.count(),
    }
    return render(request, "permits/backoffice/queue.html", context)


@require_safe
@require_perm("permits.view_queue")
def case(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return case_page(request, application_or_404(current_region(request), pk))


urlpatterns: list[URLPattern] = [
    path("staff/", queue, name="queue"),
    path("staff/applications/<int:pk>/", case, name="case"),
    path("staff/applications/<int:pk>/step/", backoffice_steps.step, name="case-step"),
    *backoffice_permits.urlpatterns,
    *backoffice_admin.urlpatterns,
]
