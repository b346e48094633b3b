"""The organisation's side of the hibah API: registering and keeping its facts and
documents, submitting proposals with their RAB, following them, withdrawing or resubmitting
them, and handing in the LPJ; with them the staff's lists of the same paths (a path's
methods must share one router). A proposal or organisation the caller may not see is a 404."""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page
from lumbung.core.errors import ValidationFailed

from .api_hibah_common import (
    Shown,
    organisation_out,
    organisation_visible,
    proposal_summary,
    proposal_visible,
    shown,
)
from .api_schemas_hibah import (
    HibahDocumentOut,
    HibahLineIn,
    HibahOrganisationIn,
    HibahOrganisationOut,
    HibahOrganisationPatch,
    HibahOrganisationQuery,
    HibahOrganisationSummaryOut,
    HibahProposalIn,
    HibahProposalOut,
    HibahProposalSummaryOut,
    HibahQueueQuery,
    HibahResubmitIn,
    HibahStepIn,
    Note,
    Version,
)
from .models import Document, HibahProgramme, Organisation, Proposal
from .selectors_hibah import organisations_of_account, proposal_queue
from .services.disbursement import lpj_submit
from .services.documents import document_attach
from .services.organisations import (
    OrganisationInput,
    organisation_register,
    organisation_update,
)
from .services.proposals import (
    BudgetLineInput,
    ProposalInput,
    proposal_resubmit,
    proposal_submit,
    proposal_withdraw,
)

router = Router(tags=["grants"], auth=AUTH)
DOCUMENT_KINDS = ", ".join(Document.Kind.values)


def no_nul(request: HttpRequest) -> None:
    """PostgreSQL cannot store U+0000: a form's text carrying it is refused, as JSON's is."""
    if any("\x00" in v for _k, values in request.POST.lists() for v in values):
        raise ValidationFailed({"__all__": [_("Text may not contain NUL characters.")]})


def lines_of(lines: list[HibahLineIn]) -> list[BudgetLineInput]:
    return [BudgetLineInput(li.description, li.quantity, li.unit, li.unit_price) for li in lines]


# Organisations ----------------------------------------------------------------------------


@router.post(
    "/organisations",
    response={201: HibahOrganisationOut},
    summary="Register an organisation",
    description="The caller becomes one of its accounts. It waits for staff verification, "
    "which later proposals reuse. Codes: grants_organisation_exists (409), validation_error.",
)
def organisation_create(
    request: HttpRequest, region_slug: Path[str], payload: HibahOrganisationIn
) -> Status[dict[str, Any]]:
    data = payload.dict()
    data["officers"] = [dict(o) for o in data["officers"]]
    organisation = organisation_register(
        region=region_of(request), actor=actor_of(request), data=OrganisationInput(**data)
    )
    return Status(201, organisation_out(organisation))


@router.get(
    "/organisations",
    response=list[HibahOrganisationSummaryOut],
    summary="Organisations (staff)",
    description="The region's registered organisations, filtered by verification.",
)
@paginate(Page)
def organisations(
    request: HttpRequest, region_slug: Path[str], filters: Query[HibahOrganisationQuery]
) -> Any:
    region, _user = require(request, "grants.view_queue")
    found = Organisation.objects.filter(region=region)
    if filters.verification:
        found = found.filter(verification=filters.verification)
    if filters.q.strip():
        words = filters.q.strip()
        found = found.filter(Q(name__icontains=words) | Q(legal_number__icontains=words))
    return found.order_by("-created_at", "-id")


@router.get(
    "/my/organisations",
    response=list[HibahOrganisationSummaryOut],
    summary="The organisations I act for",
    description="Those the caller's account is registered for, in this region.",
)
def my_organisations(request: HttpRequest, region_slug: Path[str]) -> list[Any]:
    return list(organisations_of_account(region_of(request), actor_of(request)))


@router.get(
    "/organisations/{int:organisation_id}",
    response=HibahOrganisationOut,
    summary="One organisation",
    description="For the region's grants staff and the organisation's own accounts; anyone "
    "else gets a 404.",
)
def organisation_detail(
    request: HttpRequest, region_slug: Path[str], organisation_id: int
) -> dict[str, Any]:
    organisation, _viewer = organisation_visible(request, organisation_id)
    return organisation_out(organisation)


@router.patch(
    "/organisations/{int:organisation_id}",
    response=HibahOrganisationOut,
    summary="Change an organisation's facts",
    description="By its accounts or registry staff. A changed legal fact (registration "
    "number or date, NPWP, bank account) sends a verified organisation back to pending.",
)
def organisation_change(
    request: HttpRequest,
    region_slug: Path[str],
    organisation_id: int,
    payload: HibahOrganisationPatch,
) -> dict[str, Any]:
    organisation, _viewer = organisation_visible(request, organisation_id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "officers" in data:
        data["officers"] = [dict(o) for o in data["officers"]]
    saved = organisation_update(
        region=region_of(request), actor=actor_of(request), organisation=organisation, data=data
    )
    return organisation_out(saved)


@router.post(
    "/organisations/{int:organisation_id}/documents",
    response={201: HibahDocumentOut},
    summary="Attach a document to an organisation (multipart)",
    description=f"A PDF or a photo, checked by content and size-capped. kind: one of "
    f"{DOCUMENT_KINDS} (the organisation's accounts attach its own kinds only).",
)
def organisation_document(
    request: HttpRequest,
    region_slug: Path[str],
    organisation_id: int,
    file: File[UploadedFile],
    kind: Form[str],
) -> Status[Document]:
    no_nul(request)
    organisation, _viewer = organisation_visible(request, organisation_id)
    document = document_attach(
        region=region_of(request),
        actor=actor_of(request),
        upload=file,
        kind=kind,
        organisation=organisation,
    )
    return Status(201, document)


# The staff's queue ------------------------------------------------------------------------


@router.get(
    "/proposals",
    response=list[HibahProposalSummaryOut],
    summary="The staff's queue, nearest deadline first",
    description="Filter by stage (a workflow state), programme, evaluating unit, and "
    "whether the step is past its deadline; each row carries its due_at.",
)
@paginate(Page)
def queue(request: HttpRequest, region_slug: Path[str], filters: Query[HibahQueueQuery]) -> Any:
    region, _user = require(request, "grants.view_queue")
    found = proposal_queue(region, state=filters.stage, overdue=filters.overdue)
    if filters.programme:
        found = found.filter(programme_id=filters.programme)
    if filters.unit:
        found = found.filter(evaluating_unit_id=filters.unit)
    return Shown(found, proposal_summary)


# Proposals: the applicant's side --------------------------------------------------------


@router.post(
    "/proposals",
    response={201: HibahProposalOut},
    summary="Submit a proposal with its RAB",
    description="For one of the caller's organisations, to an open programme. The requested "
    "amount is the RAB's exact sum. Codes: grants_not_applicant (403), "
    "grants_programme_closed, grants_organisation_rejected, grants_lpj_overdue (409), "
    "grants_budget_empty, grants_amount_invalid, validation_error (422).",
)
def proposal_create(
    request: HttpRequest, region_slug: Path[str], payload: HibahProposalIn
) -> Status[dict[str, Any]]:
    region, user = region_of(request), actor_of(request)
    organisation, _viewer = organisation_visible(request, payload.organisation_id)
    programme = HibahProgramme.objects.filter(region=region, pk=payload.programme_id).first()
    if programme is None:
        raise ValidationFailed({"programme_id": [_("Choose one of the region's programmes.")]})
    data = ProposalInput(
        programme=programme,
        title=payload.title,
        purpose=payload.purpose,
        location=payload.location,
        kelurahan_code=payload.kelurahan_code,
        lines=lines_of(payload.lines),
    )
    proposal = proposal_submit(region=region, actor=user, organisation=organisation, data=data)
    return Status(201, shown(request, proposal, "applicant"))


@router.get(
    "/my/proposals",
    response=list[HibahProposalSummaryOut],
    summary="My organisations' proposals",
    description="Every proposal of the organisations the caller acts for, newest first.",
)
@paginate(Page)
def my_proposals(request: HttpRequest, region_slug: Path[str]) -> Any:
    region = region_of(request)
    mine = organisations_of_account(region, actor_of(request))
    found = Proposal.objects.filter(region=region, organisation__in=mine).select_related(
        "organisation", "programme", "evaluating_unit"
    )
    return Shown(found, proposal_summary)


@router.get(
    "/proposals/{int:proposal_id}",
    response=HibahProposalOut,
    summary="One proposal",
    description="Its amount at every stage with the justifications, the RAB, checklist "
    "answers (computed ones with their evidence), tranches, documents and its timeline. "
    "For staff and the organisation's accounts (who do not see the staff's names).",
)
def proposal_detail(request: HttpRequest, region_slug: Path[str], proposal_id: int) -> Any:
    proposal, viewer = proposal_visible(request, proposal_id)
    return shown(request, proposal, viewer)


@router.post(
    "/proposals/{int:proposal_id}/documents",
    response={201: HibahDocumentOut},
    summary="Attach a document to a proposal (multipart)",
    description=f"kind: one of {DOCUMENT_KINDS}. Checked by content and size-capped.",
)
def proposal_document(
    request: HttpRequest,
    region_slug: Path[str],
    proposal_id: int,
    file: File[UploadedFile],
    kind: Form[str],
) -> Status[Document]:
    no_nul(request)
    proposal, _viewer = proposal_visible(request, proposal_id)
    document = document_attach(
        region=region_of(request),
        actor=actor_of(request),
        upload=file,
        kind=kind,
        proposal=proposal,
    )
    return Status(201, document)


@router.post(
    "/proposals/{int:proposal_id}/withdraw",
    response=HibahProposalOut,
    summary="Withdraw a proposal (applicant)",
    description="Before the check passes, or while it is back for correction. Codes: "
    "grants_not_applicant (403), invalid_transition, concurrent_update (409).",
)
def proposal_withdraw_route(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahStepIn
) -> Any:
    proposal, viewer = proposal_visible(request, proposal_id)
    proposal_withdraw(
        region=region_of(request),
        actor=actor_of(request),
        proposal=proposal,
        note=payload.note,
        expected_version=payload.expected_version,
    )
    return shown(request, proposal, viewer)


@router.post(
    "/proposals/{int:proposal_id}/resubmit",
    response=HibahProposalOut,
    summary="Resubmit a corrected proposal (applicant)",
    description="It returns to the step that sent it back, with that step's working days "
    "left. New `lines` replace the RAB and set a new requested amount.",
)
def proposal_resubmit_route(
    request: HttpRequest, region_slug: Path[str], proposal_id: int, payload: HibahResubmitIn
) -> Any:
    proposal, viewer = proposal_visible(request, proposal_id)
    proposal_resubmit(
        region=region_of(request),
        actor=actor_of(request),
        proposal=proposal,
        note=payload.note,
        lines=lines_of(payload.lines) if payload.lines is not None else None,
        expected_version=payload.expected_version,
    )
    return shown(request, proposal, viewer)


class HibahLpjForm(Schema):
    expected_version: int = Version
    note: str = Note


@router.post(
    "/proposals/{int:proposal_id}/lpj",
    response=HibahProposalOut,
    summary="Hand in the accountability report (LPJ, multipart)",
    description="By the organisation's accounts once the grant is disbursed; `document` is "
    "the LPJ (PDF or a photo). Codes: grants_document_required (422), invalid_transition, "
    "concurrent_update (409).",
)
def proposal_lpj(
    request: HttpRequest,
    region_slug: Path[str],
    proposal_id: int,
    form: Form[HibahLpjForm],
    document: File[UploadedFile | None] = None,
) -> Any:
    no_nul(request)
    proposal, viewer = proposal_visible(request, proposal_id)
    lpj_submit(
        region=region_of(request),
        actor=actor_of(request),
        proposal=proposal,
        document=document,
        note=form.note[:4000],
        expected_version=form.expected_version,
    )
    return shown(request, proposal, viewer)
