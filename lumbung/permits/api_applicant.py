"""The applicant's side of the permits API: applying (one request: JSON when the plan asks
for no documents, a multipart form with `documents.<requirement code>` files otherwise),
following one's applications, resubmitting after a correction request, withdrawing,
recording the levy's payment, and one's issued permits as PDF, and renewing them. The
detail routes serve the region's permits staff too; anyone else gets a 404."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page
from lumbung.core.errors import ValidationFailed
from lumbung.core.models import Unit

from .api_common import (
    BINARY,
    DOCUMENTS_DOC,
    Shown,
    application_out,
    application_visible,
    body_doc,
    documents_of,
    permit_out,
    permit_visible,
    read_body,
    summary_out,
)
from .api_schemas import (
    PermitApplicationIn,
    PermitApplicationOut,
    PermitApplicationSummaryOut,
    PermitIssuedOut,
    PermitPaymentIn,
    PermitQueueQuery,
    PermitResubmitIn,
    PermitStepIn,
)
from .documents import document_pdf
from .models import Application
from .selectors import applications_of, permits_of, queue
from .services.applications import ApplicationInput, application_apply, application_resubmit
from .services.applications import application_withdraw as withdraw_service
from .services.payment import payment_record
from .services.renewal import application_renew
from .workflow import STAFF_STAGES

router = Router(tags=["permits"], auth=AUTH)
APPLY_DOC = body_doc(PermitApplicationIn, files={"*": DOCUMENTS_DOC})
APPLY_CODES = (
    " Codes: permits_kbli_unknown, permits_documents_missing (one error per missing "
    "document), permits_document_unknown, permits_address_outside_region, validation_error "
    "(422); permits_no_permit_type, permits_type_inactive (409)."
)
STEP_CODES = " Codes: permits_not_applicant (403), invalid_transition, concurrent_update (409)."


def _input(request: HttpRequest) -> ApplicationInput:
    payload, files = read_body(request, PermitApplicationIn, lists=("kbli",))
    return ApplicationInput(**payload.dict(), documents=documents_of(files))


@router.post(
    "/applications",
    response={201: PermitApplicationOut},
    summary="Apply (JSON, or multipart with the documents)",
    description="The system picks the lane, permit type and levy from the catalogue (see "
    "/plan first). A report-only or self-declared application is registered at once: the "
    "answer carries its `permit` (the receipt) already. Any other goes to the document "
    "check with its deadline. Documents are form files named `documents.<requirement "
    "code>`; in a form, repeat `kbli` (or separate codes by commas)." + APPLY_CODES,
    openapi_extra=APPLY_DOC,
)
def apply(request: HttpRequest, region_slug: Path[str]) -> Status[dict[str, Any]]:
    application = application_apply(
        region=region_of(request), actor=actor_of(request), data=_input(request)
    )
    return Status(201, application_out(request, application, "applicant"))


# The staff's queue shares its path with applying (a path's methods share one router).


@router.get(
    "/applications",
    response=list[PermitApplicationSummaryOut],
    summary="The staff's queue, soonest deadline first",
    description="Applications waiting on staff, filtered by stage, unit (the type's verifying "
    "unit, or its signing unit at signing) and whether past their deadline; each row has its "
    "due_at and working days left (negative: overdue by).",
)
@paginate(Page, page_size=50, max_page_size=100)
def application_queue(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PermitQueueQuery]
):
    region, _user = require(request, "permits.view_queue")
    if filters.stage and filters.stage not in STAFF_STAGES:
        raise ValidationFailed({"stage": [_("One of: %(s)s") % {"s": ", ".join(STAFF_STAGES)}]})
    unit = None
    if filters.unit:
        unit = Unit.objects.filter(region=region, pk=filters.unit).first()
        if unit is None:
            raise ValidationFailed({"unit": [_("Choose one of the region's units.")]})
    found: QuerySet[Application] = queue(region, stage=filters.stage, unit=unit)
    if filters.overdue is not None:
        now = timezone.now()
        found = found.filter(due_at__lt=now) if filters.overdue else found.exclude(due_at__lt=now)
    return Shown(found, lambda a: summary_out(region, a))


@router.get(
    "/my/applications",
    response=list[PermitApplicationSummaryOut],
    summary="My applications",
    description="The caller's applications in this region, newest first, each with its stage "
    "and deadline.",
)
@paginate(Page)
def my_applications(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region = region_of(request)
    return Shown(applications_of(region, actor_of(request)), lambda a: summary_out(region, a))


@router.get(
    "/applications/{int:application_id}",
    response=PermitApplicationOut,
    summary="One application",
    description="Its stage and deadline, what is needed now (and the correction asked for, "
    "while it is returned), the steps the caller may take, documents, inspection, timeline "
    "and the issued permit. For its applicant and the region's permits staff (who also see "
    "the recommendation and who took each step); anyone else gets a 404.",
)
def application_detail(
    request: HttpRequest, region_slug: Path[str], application_id: int
) -> dict[str, Any]:
    application, viewer = application_visible(request, application_id)
    return application_out(request, application, viewer)


@router.post(
    "/applications/{int:application_id}/resubmit",
    response=PermitApplicationOut,
    summary="Resubmit after a correction request (applicant; JSON or multipart)",
    description="It returns to the stage that asked, with the working days that stage had "
    "left. New `documents.<requirement code>` files replace the current ones. Also: "
    "permits_document_unknown (422)." + STEP_CODES,
    openapi_extra=body_doc(PermitResubmitIn, files={"*": DOCUMENTS_DOC}),
)
def resubmit(request: HttpRequest, region_slug: Path[str], application_id: int) -> dict[str, Any]:
    payload, files = read_body(request, PermitResubmitIn)
    application, viewer = application_visible(request, application_id)
    application_resubmit(
        region=region_of(request),
        actor=actor_of(request),
        application=application,
        documents=documents_of(files),
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return application_out(request, application, viewer)


@router.post(
    "/applications/{int:application_id}/withdraw",
    response=PermitApplicationOut,
    summary="Withdraw (applicant)",
    description="At the document check, while returned, or instead of paying the levy."
    + STEP_CODES,
)
def withdraw(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitStepIn
) -> dict[str, Any]:
    application, viewer = application_visible(request, application_id)
    withdraw_service(
        region=region_of(request),
        actor=actor_of(request),
        application=application,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return application_out(request, application, viewer)


@router.post(
    "/applications/{int:application_id}/payment",
    response=PermitApplicationOut,
    summary="Record the levy's payment reference (applicant or officer)",
    description="No payment gateway: the bank's reference is recorded. The application goes "
    "to signing, or, approved by default earlier, is issued at once. Also: "
    "permits_payment_reference_required (422), action_not_allowed (403)." + STEP_CODES,
)
def payment(
    request: HttpRequest, region_slug: Path[str], application_id: int, payload: PermitPaymentIn
) -> dict[str, Any]:
    application, viewer = application_visible(request, application_id)
    payment_record(
        region=region_of(request),
        actor=actor_of(request),
        application=application,
        reference=payload.reference,
        expected_version=payload.expected_version,
    )
    return application_out(request, application, viewer)


# Issued documents ------------------------------------------------------------------------


@router.get(
    "/my/issued",
    response=list[PermitIssuedOut],
    summary="My receipts, certificates and permits",
    description="Each with its status (expired is computed), its PDF and verification URL.",
)
@paginate(Page)
def my_issued(request: HttpRequest, region_slug: Path[str]):  # type: ignore[no-untyped-def]
    region = region_of(request)
    return Shown(permits_of(region, actor_of(request)), lambda p: permit_out(region, p))


@router.get(
    "/issued/{int:permit_id}",
    response=PermitIssuedOut,
    summary="One issued receipt, certificate or permit",
    description="For its holder and the region's permits staff; anyone else gets a 404.",
)
def issued_detail(request: HttpRequest, region_slug: Path[str], permit_id: int) -> dict[str, Any]:
    permit, _viewer = permit_visible(request, permit_id)
    return permit_out(region_of(request), permit)


@router.get(
    "/issued/{int:permit_id}/pdf",
    summary="Download the receipt or permit (PDF with its QR code)",
    description="Rendered on each request (nothing is stored). For its holder and staff.",
    openapi_extra={
        "responses": {
            200: {"description": "The PDF", "content": {"application/pdf": {"schema": BINARY}}}
        }
    },
)
def issued_pdf(request: HttpRequest, region_slug: Path[str], permit_id: int) -> HttpResponse:
    permit, _viewer = permit_visible(request, permit_id)
    region = region_of(request)
    language = "en" if str(getattr(request, "LANGUAGE_CODE", "id")).startswith("en") else "id"
    response = HttpResponse(document_pdf(region, permit, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{permit.number}.pdf"'
    return response


@router.post(
    "/issued/{int:permit_id}/renew",
    response={201: PermitApplicationOut},
    summary="Renew (holder; JSON or multipart like applying)",
    description="A new application linked to the permit, from the renewal window before its "
    "last day, or after it. Also: permits_renewal_too_early, permits_renewal_not_needed, "
    "permits_permit_status (409), permits_not_applicant (403)." + APPLY_CODES,
    openapi_extra=APPLY_DOC,
)
def renew(request: HttpRequest, region_slug: Path[str], permit_id: int) -> Status[dict[str, Any]]:
    data = _input(request)
    permit, _viewer = permit_visible(request, permit_id)
    application = application_renew(
        region=region_of(request), actor=actor_of(request), permit=permit, data=data
    )
    return Status(201, application_out(request, application, "applicant"))
