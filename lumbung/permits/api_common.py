"""What the permits API's handlers share: bodies sent as JSON or as a multipart form with
files, who may see an application or an issued permit (its applicant, or the region's
permits staff; anyone else gets a 404 that confirms nothing), and how each is shown."""

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pydantic
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import ValidationError

from lumbung.api.context import actor_of, region_of
from lumbung.core.errors import NotFound, ValidationFailed
from lumbung.core.models import Region, Transition, Unit, User
from lumbung.core.pdp import mask_nik
from lumbung.core.permissions import can, roles_of

from .documents import verification_url
from .models import (
    Application,
    ApplicationDocument,
    Inspection,
    Kbli,
    Permit,
    PermitType,
    Requirement,
    StageSla,
)
from .selectors import application_get, due_in, permit_get, permit_status
from .workflow import APPLICATION_FLOW, FINAL, PAYMENT, RETURNED, STAFF_STAGES

S = TypeVar("S", bound=Schema)
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
API_ROOT = "/api/v1/regions/{slug}/permits"
DOCUMENT_PREFIX = "documents."


# Bodies as JSON, or as a form with files ----------------------------------------------------


def read_body(
    request: HttpRequest, schema: type[S], lists: tuple[str, ...] = ()
) -> tuple[S, dict[str, list[UploadedFile]]]:
    """The body as `schema`, sent as JSON or as a form; a form's files come along by field
    name. In a form, each of `lists` is a repeated field (or one comma-separated value)."""
    files: dict[str, list[UploadedFile]] = {}
    if request.content_type in FORMS:
        data: Any = {k: v for k, v in request.POST.items() if v != ""}
        for name in lists:
            values = [p.strip() for v in request.POST.getlist(name) for p in v.split(",")]
            if any(values):
                data[name] = [v for v in values if v]
        files = {name: request.FILES.getlist(name) for name in request.FILES}
        texts = [v for _k, vs in request.POST.lists() for v in vs]
        if any("\x00" in v for v in texts):
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


def documents_of(files: dict[str, list[UploadedFile]]) -> dict[str, UploadedFile]:
    """A form's `documents.<requirement code>` files, by requirement code."""
    found: dict[str, UploadedFile] = {}
    for name, uploads in files.items():
        if not name.startswith(DOCUMENT_PREFIX):
            raise ValidationFailed({name: [_("Send documents as documents.<requirement code>.")]})
        if len(uploads) != 1:
            raise ValidationFailed({name: [_("One file per requirement.")]})
        found[name.removeprefix(DOCUMENT_PREFIX)] = uploads[0]
    return found


def body_doc(schema: type[Schema], *, files: dict[str, Any] | None = None) -> dict[str, Any]:
    """The requestBody of an operation that reads its body with `read_body`: JSON, or a
    multipart form with `files` besides the fields."""
    fields = schema.model_json_schema()
    form: dict[str, Any] = {**fields, "properties": dict(fields["properties"])}
    if files:
        for name, spec in files.items():
            if name == "*":
                form["additionalProperties"] = spec
            else:
                form["properties"][name] = spec
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": fields},
                "multipart/form-data": {"schema": form},
            },
        }
    }


BINARY = {"type": "string", "format": "binary"}
DOCUMENTS_DOC = {
    **BINARY,
    "description": "A form field `documents.<requirement code>`: PDF up to 10 MB, or an "
    "image (JPEG, PNG, WebP) up to 5 MB, as the requirement's format says",
}


def money(value: Any) -> str | None:
    return None if value is None else str(value)


# The catalogue ------------------------------------------------------------------------------


def _unit_ref(unit: Unit | None) -> dict[str, Any] | None:
    return {"id": unit.pk, "name": unit.name} if unit else None


def requirement_out(requirement: Requirement) -> dict[str, Any]:
    return {
        "code": requirement.code,
        "name": requirement.name,
        "name_id": requirement.name_id,
        "name_en": requirement.name_en,
        "format": requirement.format,
        "mandatory": requirement.mandatory,
    }


def types_out(region: Region, types: Iterable[PermitType]) -> list[dict[str, Any]]:
    """Permit types with their requirements and deadlines, in three queries in all."""
    rows = list(types)
    ids = [t.pk for t in rows]
    requirements: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for r in Requirement.objects.filter(region=region, permit_type_id__in=ids):
        requirements[r.permit_type_id].append(requirement_out(r))
    slas: dict[int, dict[str, int]] = {i: {} for i in ids}
    for s in StageSla.objects.filter(region=region, permit_type_id__in=ids):
        slas[s.permit_type_id][s.stage] = s.working_days
    return [
        {
            "id": t.pk,
            "code": t.code,
            "name": t.name,
            "name_id": t.name_id,
            "name_en": t.name_en,
            "legal_basis": t.legal_basis,
            "validity_months": t.validity_months,
            "fee_kind": t.fee_kind,
            "fee_rate": str(t.fee_rate),
            "fee_amount": str(t.fee_amount),
            "default_approval": t.default_approval,
            "inspection_required": t.inspection_required,
            "verifying_unit": _unit_ref(t.verifying_unit),
            "signing_unit": _unit_ref(t.signing_unit),
            "is_active": t.is_active,
            "requirements": requirements[t.pk],
            "sla_working_days": slas[t.pk],
        }
        for t in rows
    ]


def kbli_out(kbli: Kbli) -> dict[str, Any]:
    return {
        "id": kbli.pk,
        "code": kbli.code,
        "title": kbli.title,
        "title_id": kbli.title_id,
        "title_en": kbli.title_en,
        "risk": {scale: kbli.risk_at(scale) for scale in ("micro", "small", "medium", "large")},
        "permit_type": kbli.permit_type.code if kbli.permit_type else None,
    }


def type_ref(permit_type: PermitType | None) -> dict[str, str] | None:
    return {"code": permit_type.code, "name": permit_type.name} if permit_type else None


class Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read."""

    def __init__(self, rows: QuerySet[Any], show: Callable[[Any], dict[str, Any]]) -> None:
        self.rows, self.show = rows, show

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.show(row) for row in self.rows[index]]


# Who may see an application or a permit -----------------------------------------------------


def is_staff(user: User, region: Region) -> bool:
    return can(user, "permits.view_queue", region)


def application_visible(request: HttpRequest, application_id: int) -> tuple[Application, str]:
    region, user = region_of(request), actor_of(request)
    application = application_get(region, application_id)
    if is_staff(user, region):
        return application, "staff"
    if application.applicant_id == user.pk:
        return application, "applicant"
    raise NotFound()


def permit_visible(request: HttpRequest, permit_id: int) -> tuple[Permit, str]:
    region, user = region_of(request), actor_of(request)
    permit = permit_get(region, permit_id)
    if is_staff(user, region):
        return permit, "staff"
    if permit.application.applicant_id == user.pk:
        return permit, "applicant"
    raise NotFound()


# Showing an application ---------------------------------------------------------------------


def summary_out(region: Region, application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "number": application.number,
        "business_name": application.business_name,
        "lane": application.lane,
        "permit_type": type_ref(application.permit_type),
        "state": application.state,
        "state_label": str(APPLICATION_FLOW.state(application.state).label),
        "due_at": application.due_at,
        "due_in_working_days": due_in(region, application),
        "version": application.version,
        "created_at": application.created_at,
    }


def permit_out(region: Region, permit: Permit) -> dict[str, Any]:
    return {
        "id": permit.pk,
        "number": permit.number,
        "lane": permit.lane,
        "permit_type": type_ref(permit.permit_type),
        "business_name": permit.business_name,
        "issued_at": permit.issued_at,
        "valid_from": permit.valid_from,
        "valid_until": permit.valid_until,
        "status": permit_status(region, permit),
        "status_reason": permit.status_reason,
        "by_default": permit.by_default,
        "default_reason": permit.default_reason,
        "application_id": permit.application_id,
        "document_url": f"{API_ROOT.format(slug=region.slug)}/issued/{permit.pk}/pdf",
        "verification_url": verification_url(region, permit),
    }


def _actions(region: Region, user: User, application: Application, viewer: str) -> list[str]:
    """The non-system steps from the current state that the caller's roles may take; the
    applicant's own steps only for the applicant, the staff's never on one's own."""
    own = application.applicant_id == user.pk
    roles = roles_of(user, region)
    found = []
    for action in APPLICATION_FLOW.actions_from(application.state):
        if action.system or not roles & action.roles:
            continue
        applicant_step = action.key in {"resubmit", "withdraw", "record_payment"}
        if applicant_step and not own and action.key != "record_payment":
            continue
        if not applicant_step and (own or viewer != "staff"):
            continue
        found.append(action.key)
    return found


def _needed(application: Application) -> tuple[str, str]:
    state = application.state
    if state == RETURNED:
        return "applicant", _("Correct what was asked and resubmit.")
    if state == PAYMENT:
        return "applicant", _("Pay the levy of Rp %(fee)s and record the payment reference.") % {
            "fee": application.fee_amount
        }
    if state in STAFF_STAGES:
        return "staff", _("The licensing office is at: %(stage)s.") % {
            "stage": APPLICATION_FLOW.state(state).label
        }
    if state in FINAL:
        return "nobody", _("Nothing: the application is %(state)s.") % {
            "state": APPLICATION_FLOW.state(state).label
        }
    return "staff", _("The application is being routed.")


def application_out(request: HttpRequest, application: Application, viewer: str) -> dict[str, Any]:
    region, user = region_of(request), actor_of(request)
    app = application_get(region, application.pk)  # as it is now, after any step
    staff = viewer == "staff"
    steps = list(
        Transition.objects.filter(
            region=region, case_type=Application.WORKFLOW_KEY, case_id=str(app.pk)
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    correction = next((s.note for s in reversed(steps) if s.to_state == RETURNED), "")
    waiting_on, needed = _needed(app)
    documents = ApplicationDocument.objects.filter(
        region=region, application=app, is_current=True
    ).select_related("requirement")
    inspections = Inspection.objects.filter(region=region, application=app)
    permit = Permit.objects.filter(region=region, application=app).first()
    return {
        **summary_out(region, app),
        "viewer": viewer,
        "scale": app.scale,
        "capital": str(app.capital),
        "area_m2": money(app.area_m2),
        "unit_count": app.unit_count,
        "nib": app.nib,
        "npwp": app.npwp,
        "owner_name": app.owner_name,
        "owner_nik_masked": mask_nik(app.owner_nik),
        "business_address": app.business_address,
        "kelurahan_code": app.kelurahan_code,
        "activities": [
            {"code": a.kbli.code, "name": a.kbli.title}
            for a in app.activities.filter(region=region).select_related("kbli")
        ],
        "fee_amount": str(app.fee_amount),
        "payment_reference": app.payment_reference,
        "paid_at": app.paid_at,
        "recommendation": app.recommendation if staff else None,
        "recommendation_favourable": app.recommendation_favourable if staff else None,
        "approved_by_default": app.approved_by_default,
        "decided_at": app.decided_at,
        "waiting_on": waiting_on,
        "needed_now": needed,
        "correction_note": correction if app.state == RETURNED else "",
        "actions": _actions(region, user, app, viewer),
        "documents": [
            {
                "id": d.pk,
                "requirement": d.requirement.code,
                "requirement_name": d.requirement.name,
                "filename": d.filename,
                "content_type": d.content_type,
                "size": d.size,
                "check_passed": d.check_passed,
                "check_note": d.check_note,
                "created_at": d.created_at,
            }
            for d in documents
        ],
        "inspections": [
            {
                "id": i.pk,
                "scheduled_at": i.scheduled_at,
                "findings": i.findings,
                "passed": i.passed,
                "recorded_at": i.recorded_at,
                "photos": i.photos.count(),
            }
            for i in inspections
        ],
        "timeline": [
            {
                "action": s.action,
                "from_state": s.from_state,
                "to_state": s.to_state,
                "note": s.note,
                "actor": str(s.actor.display_name) if staff and s.actor else None,
                "created_at": s.created_at,
            }
            for s in steps
        ],
        "permit": permit_out(region, permit) if permit else None,
        "renews": app.renews.number if app.renews_id and app.renews else None,
    }
