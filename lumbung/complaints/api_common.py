"""What the complaints API's handlers share: the optional sign-in of public routes, bodies
sent as JSON or as a form with photos, who may see a report and how it is shown to them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, TypeVar

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import ValidationError

from lumbung.api.auth import AUTH, OPTIONAL_AUTH, OPTIONAL_SECURITY  # noqa: F401
from lumbung.api.context import region_of
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.permissions import can

from .api_schemas import Viewer, unit_ref
from .models import Complaint, ComplaintUpdate
from .selectors import PUBLIC_STATES, report_get, report_photos, report_timeline
from .services import MAX_PHOTOS, is_reporter
from .workflow import REPORT_FLOW

# Sign-in: required on staff routes, optional on public ones ---------------------------------


# Optional sign-in on public routes is shared by every module (lumbung.api.auth).


def caller(request: HttpRequest) -> User | None:
    found = getattr(request, "auth", None)
    return found if isinstance(found, User) else None


# Bodies as JSON, or as a form with photos ---------------------------------------------------

S = TypeVar("S", bound=Schema)
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def read_body(request: HttpRequest, schema: type[S]) -> tuple[S, list[UploadedFile]]:
    """The body as `schema`, sent as JSON or as a form (whose `photos` files come along)."""
    files: list[UploadedFile] = []
    if request.content_type in FORMS:
        data: Any = {k: v for k, v in request.POST.items() if v != ""}
        files = request.FILES.getlist("photos")
        if any("\x00" in v for v in data.values()):
            raise ValidationFailed({"__all__": [_("Text may not contain NUL characters.")]})
    else:
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            raise ValidationFailed({"__all__": [_("Send a JSON object or a form.")]}) from None
    if not isinstance(data, dict):
        raise ValidationFailed({"__all__": [_("Send a JSON object or a form.")]})
    try:
        return schema.model_validate(data), files
    except pydantic.ValidationError as error:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]
        raise ValidationError(errors) from None


def body_doc(schema: type[Schema], *, photos: bool) -> dict[str, Any]:
    """The requestBody of an operation that reads its body with `read_body`."""
    fields = schema.model_json_schema()
    form = {**fields, "properties": dict(fields["properties"])}
    if photos:
        form["properties"]["photos"] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "maxItems": MAX_PHOTOS,
            "description": "JPEG, PNG or WebP, at most 5 MB each",
        }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": fields},
                "multipart/form-data": {"schema": form},
            },
        }
    }


def decimal_of(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.6f}")


# Showing a report -------------------------------------------------------------------------


def summary_out(complaint: Complaint, units: dict[int, Unit]) -> dict[str, Any]:
    """A report as anyone may see it once it is public: no contact, no officer."""
    return {
        "id": complaint.pk,
        "ticket": complaint.ticket,
        "category": {"code": complaint.category.code, "name": complaint.category.name},
        "description": complaint.description,
        "state": complaint.state,
        "state_label": str(REPORT_FLOW.state(complaint.state).label),
        "is_public": complaint.is_public,
        "location_text": complaint.location_text,
        "kelurahan_code": complaint.kelurahan_code,
        "kelurahan_name": complaint.kelurahan_name,
        "latitude": float(complaint.latitude) if complaint.latitude is not None else None,
        "longitude": float(complaint.longitude) if complaint.longitude is not None else None,
        "unit": unit_ref(units.get(complaint.unit_id)) if complaint.unit_id else None,
        "supporters_count": complaint.supporters_count,
        "created_at": complaint.created_at,
        "updated_at": complaint.updated_at,
        "due_at": complaint.due_at,
    }


def timeline_out(update: ComplaintUpdate, staff: bool) -> dict[str, Any]:
    return {
        "id": update.pk,
        "kind": update.kind,
        "is_public": update.is_public,
        "action": update.action,
        "from_state": update.from_state,
        "to_state": update.to_state,
        "body": update.body,
        "unit": str(update.unit) if update.unit else None,
        "actor": str(update.actor.display_name) if staff and update.actor else None,
        "created_at": update.created_at,
    }


def staff_part(complaint: Complaint) -> dict[str, Any]:
    actions = REPORT_FLOW.actions_from(complaint.state)
    return {
        "version": complaint.version,
        "actions": [a.key for a in actions if not a.system],
        "assignee": (
            {"id": complaint.assignee.pk, "name": complaint.assignee.display_name}
            if complaint.assignee
            else None
        ),
        "source": complaint.source,
        "escalation_level": complaint.escalation_level,
        "reopen_count": complaint.reopen_count,
        "has_contact": bool(
            complaint.contact_name or complaint.contact_email or complaint.contact_phone
        ),
        "signed_in_reporter": complaint.reporter_id is not None,
    }


def report_out(
    complaint: Complaint, viewer: Viewer, timeline: list[ComplaintUpdate]
) -> dict[str, Any]:
    staff = viewer == "staff"
    units = {complaint.unit.pk: complaint.unit} if complaint.unit else {}
    shown = {u.pk for u in timeline}
    return {
        **summary_out(complaint, units),
        "viewer": viewer,
        "first_response_at": complaint.first_response_at,
        "resolved_at": complaint.resolved_at,
        "closed_at": complaint.closed_at,
        "rating": complaint.rating,
        "duplicate_of": complaint.duplicate_of.ticket if complaint.duplicate_of else None,
        "photos": [  # a photo of an internal note is as internal as the note
            {
                "id": p.pk,
                "kind": p.kind,
                "update_id": p.update_id,
                "created_at": p.created_at,
                "url": reverse(
                    "core:complaints:photo",
                    kwargs={"region_slug": complaint.region.slug, "pk": p.pk},
                ),
            }
            for p in report_photos(complaint, public_only=False)
            if p.update_id is None or p.update_id in shown
        ],
        "timeline": [timeline_out(u, staff) for u in timeline],
        "staff": staff_part(complaint) if staff else None,
    }


# Who may see a report ---------------------------------------------------------------------


def visible(request: HttpRequest, ticket: str, key: str = "") -> tuple[Complaint, Viewer]:
    """The report and who is looking. A report the caller may not see is not found, so a
    private ticket number reveals nothing (and another region's is not found either)."""
    region, user = region_of(request), caller(request)
    complaint = report_get(region, ticket)
    if user is not None and can(user, "complaints.view_queue", region):
        return complaint, "staff"
    if is_reporter(complaint, user, key):
        return complaint, "reporter"
    if complaint.is_public and complaint.state in PUBLIC_STATES:
        return complaint, "public"
    raise NotFound()


def shown(region: Region, ticket: str, viewer: Viewer) -> dict[str, Any]:
    complaint = report_get(region, ticket)
    timeline = list(report_timeline(complaint, public_only=viewer != "staff"))
    return report_out(complaint, viewer, timeline)


def units_of(region: Region, reports: list[Complaint]) -> dict[int, Unit]:
    """The units of a page of reports in one query, whatever the page's length."""
    ids = {c.unit_id for c in reports if c.unit_id}
    return {u.pk: u for u in Unit.objects.filter(region=region, pk__in=ids)} if ids else {}
