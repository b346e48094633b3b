"""The hibah API's records beside the review steps: uploaded documents downloaded (by the
region's grants staff and auditors, or the organisation's own accounts), a payment's
proofs added after it was recorded, and the list of grants whose LPJ is overdue. The web
pages are views/documents.py, views/backoffice_tranches.py and the staff's LPJ list."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Path, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.api.pagination import Page

from .api_hibah import no_nul
from .api_schemas_hibah import HibahDocumentOut, HibahRef
from .models import Document, Proposal
from .oversight.selectors import tranche_get
from .responses import document_response
from .selectors_hibah import document_visible, lpj_overdue_list
from .services.disbursement import tranche_proof_attach
from .services.organisations import region_today

router = Router(tags=["grants"], auth=AUTH)
DOCUMENT_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/webp")


@router.get(
    "/documents/{int:document_id}",
    summary="Download an uploaded document",
    description="An organisation's or a proposal's document (a tranche's proof too), as the "
    "file it was stored as after its check by content. For the region's grants staff and "
    "auditors, and the organisation's own accounts; anyone else gets a 404, as for no such "
    "document. Never cached.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment",
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in DOCUMENT_TYPES
                },
            }
        }
    },
)
def document_download(
    request: HttpRequest, region_slug: Path[str], document_id: Path[int]
) -> FileResponse:
    found = document_visible(region_of(request), actor_of(request), document_id)
    return document_response(found)


@router.post(
    "/tranches/{int:tranche_id}/proofs",
    response={201: HibahDocumentOut},
    summary="Attach a proof to a payment already recorded (officer, multipart `file`)",
    description="A tranche's id as in GET /proposals/{id}/tranches. A PDF or a photo of the "
    "SP2D or transfer slip, checked by content and size-capped; proofs are added, never "
    "replaced. Codes: action_not_allowed (403), validation_error (422).",
)
def tranche_proof(
    request: HttpRequest,
    region_slug: Path[str],
    tranche_id: Path[int],
    file: File[UploadedFile],
) -> Status[Document]:
    no_nul(request)
    region = region_of(request)
    tranche = tranche_get(region, tranche_id)
    document = tranche_proof_attach(
        region=region, actor=actor_of(request), tranche=tranche, upload=file
    )
    return Status(201, document)


class HibahLpjOverdueOut(Schema):
    id: int
    number: str
    title: str
    organisation: HibahRef
    organisation_phone: str
    programme: HibahRef
    programme_year: int
    lpj_due_on: dt.date
    days_overdue: int
    amount_disbursed: Decimal


def _overdue_row(proposal: Proposal, today: dt.date) -> dict[str, Any]:
    assert proposal.lpj_due_on is not None  # the selector lists only those with a due date
    return {
        "id": proposal.pk,
        "number": proposal.number,
        "title": proposal.title,
        "organisation": {"id": proposal.organisation_id, "name": proposal.organisation.name},
        "organisation_phone": proposal.organisation.phone,
        "programme": {"id": proposal.programme_id, "name": proposal.programme.name},
        "programme_year": proposal.programme.year,
        "lpj_due_on": proposal.lpj_due_on,
        "days_overdue": (today - proposal.lpj_due_on).days,
        "amount_disbursed": proposal.amount_disbursed,
    }


class _Overdue:
    """The overdue list paged by ninja: only the page's rows are read and shown."""

    def __init__(self, request: HttpRequest) -> None:
        region = region_of(request)
        self.today = region_today(region)
        self.rows = lpj_overdue_list(region, self.today)

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_overdue_row(p, self.today) for p in self.rows[index]]


@router.get(
    "/lpj-overdue",
    response=list[HibahLpjOverdueOut],
    summary="Grants whose accountability report (LPJ) is overdue",
    description="Disbursed grants past their LPJ due date (a returned LPJ counts again), the "
    "longest overdue first, with the days overdue counted in the region's time zone. An "
    "organisation on this list cannot submit a new proposal. For `grants.view_queue`.",
)
@paginate(Page)
def lpj_overdue(request: HttpRequest, region_slug: Path[str]) -> Any:
    require(request, "grants.view_queue")
    return _Overdue(request)
