"""The tracking page of one report, supporting it, the reporter's reply to a resolution,
and its photos. A private report is a 404 to anyone but its reporter (signed in, or
holding the secret link) and the region's staff; another region's ticket is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lumbung.core.errors import DomainError, NotFound
from lumbung.core.forms import apply_domain_error
from lumbung.core.models import Region
from lumbung.core.views.helpers import current_region

from ..errors import ComplaintError
from ..forms import CONFIRM, ReplyForm
from ..models import Complaint, PhotoKind, UpdateKind
from ..selectors import photo_get, photo_is_internal, report_photos, report_timeline
from ..services import report_confirm, report_dispute, report_support
from ..workflow import IN_PROGRESS, REPORT_FLOW, RESOLVED, SUBMITTED
from .public_common import (
    due_text,
    is_own,
    is_staff_viewer,
    key_for,
    map_settings,
    may_view,
    publicly_visible,
    signed_in,
    visible_report,
)


def _timeline(complaint: Complaint) -> list[dict[str, object]]:
    """The public entries in words: never an officer's name, never contact details."""
    entries: list[dict[str, object]] = []
    for update in report_timeline(complaint, public_only=True):
        entry: dict[str, object] = {"at": update.created_at, "body": update.body}
        if update.kind == UpdateKind.STATUS:
            entry["title"] = (
                _("Report received")
                if update.action == "start"
                else REPORT_FLOW.state(update.to_state).label
            )
        elif update.kind == UpdateKind.ANSWER:
            unit = update.unit.short_name or update.unit.name if update.unit else ""
            entry["title"] = (
                _("Answer from %(unit)s") % {"unit": unit} if unit else _("Official answer")
            )
        elif update.kind == UpdateKind.RATING:
            entry["title"] = _("The reporter rated the handling")
            entry["body"] = _("%(n)s of 5") % {"n": update.body}
        else:
            continue
        entry["photos"] = list(update.photos.all())
        entries.append(entry)
    return entries


def _track_context(request: HttpRequest, region: Region, complaint: Complaint) -> dict[str, Any]:
    own = is_own(request, complaint)
    photos = list(report_photos(complaint))
    due, overdue = due_text(complaint)
    supportable = complaint.is_public and complaint.state in (SUBMITTED, IN_PROGRESS)
    return {
        "complaint": complaint,
        "state_label": REPORT_FLOW.state(complaint.state).label,
        "due": due,
        "overdue": overdue,
        "timeline": _timeline(complaint),
        "report_photos": [p for p in photos if p.kind == PhotoKind.REPORT],
        "before_photos": [p for p in photos if p.kind == PhotoKind.BEFORE],
        "after_photos": [p for p in photos if p.kind == PhotoKind.AFTER],
        "is_own": own,
        "can_support": supportable and not own,
        "can_reply": own and complaint.state == RESOLVED,
        "is_staff": is_staff_viewer(request, region),
        "map": map_settings(),
        "point": (
            [{"lat": float(complaint.latitude), "lng": float(complaint.longitude)}]
            if complaint.latitude is not None and complaint.longitude is not None
            else []
        ),
    }


@require_safe
def track(request: HttpRequest, region_slug: str, ticket: str) -> HttpResponse:
    region = current_region(request)
    complaint = visible_report(request, region, ticket)
    context = _track_context(request, region, complaint)
    context["reply_form"] = ReplyForm() if context["can_reply"] else None
    response = render(request, "complaints/public/track.html", context)
    if not publicly_visible(complaint):
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def support(request: HttpRequest, region_slug: str, ticket: str) -> HttpResponse:
    """Add the visitor as a supporter (a GET shows the tracking page with the button)."""
    if request.method != "POST":
        return track(request, region_slug, ticket)
    region = current_region(request)
    complaint = visible_report(request, region, ticket)
    if not request.session.session_key:
        request.session.save()  # an anonymous supporter is known by their session
    try:
        count = report_support(
            region=region,
            actor=signed_in(request),
            complaint=complaint,
            session_key=request.session.session_key or "",
        )
    except DomainError as error:
        level = messages.INFO if error.code == ComplaintError.ALREADY_SUPPORTED else messages.ERROR
        messages.add_message(request, level, str(error.message))
    else:
        messages.success(
            request,
            _("Thank you: %(n)d people now support this report.") % {"n": count},
        )
    return redirect("core:complaints:track", region_slug=region.slug, ticket=complaint.ticket)


@require_http_methods(["GET", "HEAD", "POST"])
def reply(request: HttpRequest, region_slug: str, ticket: str) -> HttpResponse:
    """The reporter confirms the resolution or disputes it, and may rate the handling."""
    if request.method != "POST":
        return track(request, region_slug, ticket)
    region = current_region(request)
    complaint = visible_report(request, region, ticket)
    form = ReplyForm(request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "region": region,
            "actor": signed_in(request),
            "complaint": complaint,
            "rating": data["rating"],
            "key": key_for(request, complaint),
        }
        try:
            if data["answer"] == CONFIRM:
                report_confirm(**common, comment=data["comment"])
            else:
                report_dispute(**common, reason=data["reason"])
        except DomainError as error:
            apply_domain_error(form, error)
            status = error.status if error.status >= 400 else status
        else:
            messages.success(request, _("Thank you for your reply."))
            return redirect(
                "core:complaints:track", region_slug=region.slug, ticket=complaint.ticket
            )
    context = _track_context(request, region, complaint)
    context["reply_form"] = form
    return render(request, "complaints/public/track.html", context, status=status)


@require_safe
def photo(request: HttpRequest, region_slug: str, pk: int) -> FileResponse:
    region = current_region(request)
    try:
        found = photo_get(region, pk)
    except NotFound:
        raise Http404 from None
    complaint = found.complaint
    if not may_view(request, region, complaint):
        raise Http404
    if photo_is_internal(found) and not is_staff_viewer(request, region):
        raise Http404  # a photo of an internal note is for staff only
    response = FileResponse(found.image.open("rb"), content_type=found.content_type)
    if publicly_visible(complaint):
        patch_cache_control(response, public=True, max_age=300)
    else:
        patch_cache_control(response, private=True, max_age=0, no_store=True)
    return response


urlpatterns: list[URLPattern] = [
    path("track/<slug:ticket>/", track, name="track"),
    path("track/<slug:ticket>/support/", support, name="support"),
    path("track/<slug:ticket>/reply/", reply, name="reply"),
    path("photo/<int:pk>/", photo, name="photo"),
]
