"""A person's in-app notifications in one region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ..selectors import notification_list
from ..services.notifications import notifications_mark_read
from .helpers import RegionRequest, current_region


@login_required
def notifications(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    if request.method == "POST":
        notifications_mark_read(region=region, user=request.user)
        return redirect("core:notifications", region_slug=region.slug)
    page = Paginator(notification_list(region, request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})
