"""Staff and auditor pages: the red-flag list with its refresh, one flag with its evidence and
the dismissal form, and the suspicions waiting for an auditor's review. The public pages and
the PDF downloads are in views_public.py and views_documents.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.permissions import can
from lumbung.core.views.helpers import RegionRequest, current_region, require_perm

from ..models import RedFlag, Suspicion
from ..services.flags import flag_dismiss, flags_refresh
from ..services.suspicions import suspicion_review
from .forms import DismissForm, FlagFilterForm, ReviewForm
from .selectors import flag_get, flag_list, flags_explained, suspicion_get, suspicions_open

PAGE = 25
VIEW, DISMISS, REVIEW = "grants.view_flags", "grants.dismiss_flag", "grants.review_suspicion"


def _flag_or_404(request: RegionRequest, pk: int) -> RedFlag:
    try:
        return flag_get(current_region(request), pk)
    except NotFound:
        raise Http404 from None


def _suspicion_or_404(request: RegionRequest, pk: int) -> Suspicion:
    try:
        return suspicion_get(current_region(request), pk)
    except NotFound:
        raise Http404 from None


@require_safe
@require_perm(VIEW)
def flags(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    form = FlagFilterForm(request.GET or None)
    page = Paginator(flag_list(region, form.filters()), PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": flags_explained(region, page.object_list),
        "query": query.urlencode(),
    }
    return render(request, "grants/oversight/flags.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(VIEW)
def flags_refresh_now(request: RegionRequest, region_slug: str) -> HttpResponse:
    """Run the detectors now instead of waiting for the worker's next run (a POST; a GET
    only goes back to the list)."""
    if request.method != "POST":
        return redirect("core:grants:flags", region_slug=region_slug)
    done = flags_refresh(region=current_region(request))
    messages.success(
        request,
        _("Flags refreshed: %(created)d new, %(current)d current, %(resolved)d no longer found.")
        % {"created": done.created, "current": done.current, "resolved": done.resolved},
    )
    return redirect("core:grants:flags", region_slug=region_slug)


def _flag_page(
    request: RegionRequest,
    found: RedFlag,
    form: DismissForm | None = None,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    region = current_region(request)
    may_dismiss = found.dismissed_at is None and can(request.user, DISMISS, region)
    context = {
        "row": flags_explained(region, [found])[0],
        "form": (form or DismissForm()) if may_dismiss else None,
        "error": error,
    }
    return render(request, "grants/oversight/flag.html", context, status=status)


@require_safe
@require_perm(VIEW)
def flag(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    return _flag_page(request, _flag_or_404(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(VIEW)
def flag_dismiss_page(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """POST dismisses with the reason; a GET goes back to the flag (after the region's own
    lookup, so another region's id is a 404 either way)."""
    found = _flag_or_404(request, pk)
    if request.method != "POST":
        return redirect("core:grants:flag", region_slug=region_slug, pk=found.pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, found, form, status=422)
    try:
        flag_dismiss(
            region=current_region(request),
            actor=request.user,
            flag=found,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        # Field errors go by the field; a refusal (no right, already dismissed) above it.
        apply_domain_error(form, error)
        found.refresh_from_db()
        return _flag_page(request, found, form, error.status, str(error.message))
    messages.success(request, _("The flag was dismissed."))
    return redirect("core:grants:flag", region_slug=region_slug, pk=found.pk)


@require_safe
@require_perm(REVIEW)
def suspicions(request: RegionRequest, region_slug: str) -> HttpResponse:
    region = current_region(request)
    page = Paginator(suspicions_open(region), PAGE).get_page(request.GET.get("page"))
    return render(request, "grants/oversight/suspicions.html", {"page": page})


@require_http_methods(["GET", "HEAD", "POST"])
@require_perm(REVIEW)
def suspicion(request: RegionRequest, region_slug: str, pk: int) -> HttpResponse:
    """One suspicion and the form for the review's outcome."""
    found = _suspicion_or_404(request, pk)
    form = ReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                suspicion_review(
                    region=current_region(request),
                    actor=request.user,
                    suspicion=found,
                    outcome=form.cleaned_data["outcome"],
                )
            except DomainError as error:
                apply_domain_error(form, error)
                status = error.status
            else:
                messages.success(request, _("The review's outcome was recorded."))
                return redirect("core:grants:suspicions", region_slug=region_slug)
    open_here = found.reviewed_at is None and found.complaint_id is None
    context = {"suspicion": found, "form": form if open_here else None}
    return render(request, "grants/oversight/suspicion.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("oversight/flags/", flags, name="flags"),
    path("oversight/flags/refresh/", flags_refresh_now, name="flags-refresh"),
    path("oversight/flags/<int:pk>/", flag, name="flag"),
    path("oversight/flags/<int:pk>/dismiss/", flag_dismiss_page, name="flag-dismiss"),
    path("oversight/suspicions/", suspicions, name="suspicions"),
    path("oversight/suspicions/<int:pk>/", suspicion, name="suspicion"),
]
