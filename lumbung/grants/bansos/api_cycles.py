"""Programme and cycle routes of the bansos API: programmes with their eligibility rules,
a programme's cycles, and a cycle's life — compute, review (remove with a reason), send
back or cancel (with the reason), approve (never by whoever computed it), hand over with
proof (whose photo staff and auditors open, audited), close."""

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Path, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from lumbung.api.context import require
from lumbung.api.pagination import Page

from ..models import BansosProgramme, Cycle
from ..responses import photo_response
from ..selectors_bansos import CycleSummary, cycle_summaries, programme_list
from ..services.cycle_review import cycle_cancel, cycle_send_back
from ..services.cycles import (
    cycle_approve,
    cycle_close,
    cycle_compute,
    cycle_create,
    entitlement_remove,
    handover_record,
    programme_save,
)
from ..services.handovers import handover_photo_open
from .api_registry import no_nul
from .api_schemas import (
    BansosCycleUndoIn,
    ComputedOut,
    CycleIn,
    CycleOut,
    EntitlementOut,
    HandoverForm,
    NoteIn,
    ProgrammeIn,
    ProgrammeOut,
    ReasonIn,
    entitlement_out,
)
from .selectors import cycle_entitlements, cycle_get, cycle_summary, entitlement_get, programme_get

router = Router(tags=["grants"])
VIEW, WORK, MANAGE = "grants.view_queue", "grants.manage_registry", "grants.manage_programmes"
CYCLE_CODES = " Codes: invalid_transition (409), bansos_cycle_state (400)."


def cycle_out(summary: CycleSummary) -> dict[str, Any]:
    c = summary.cycle
    return {
        "id": c.pk,
        "programme_id": c.programme_id,
        "number": c.number,
        "period_start": c.period_start,
        "period_end": c.period_end,
        "state": c.state,
        "computed_at": c.computed_at,
        "approved_at": c.approved_at,
        "listed": summary.listed,
        "removed": summary.removed,
        "disbursed": summary.disbursed,
        "failed": summary.failed,
        "amount_listed": summary.amount_listed,
        "amount_disbursed": summary.amount_disbursed,
    }


def _programme_data(data: ProgrammeIn) -> dict[str, Any]:
    values = data.dict()
    values["eligibility"] = [rule.dict() for rule in data.eligibility]
    return values


# Programmes -------------------------------------------------------------------------------


@router.get("/bansos/programmes", response=list[ProgrammeOut], summary="Bansos programmes")
@paginate(Page)
def programmes(request: HttpRequest, region_slug: Path[str]) -> Any:
    region, _user = require(request, VIEW)
    return programme_list(region)


@router.post(
    "/bansos/programmes",
    response={201: ProgrammeOut},
    summary="Create a bansos programme (region admin)",
    description="Eligibility rules are checked: field errors under `eligibility`, one line "
    "per failing rule. Codes: validation_error (422), bansos_programme_code_taken (409).",
)
def programme_new(request: HttpRequest, region_slug: Path[str], data: ProgrammeIn) -> Any:
    region, user = require(request, VIEW)
    return Status(201, programme_save(region=region, actor=user, data=_programme_data(data)))


@router.get("/bansos/programmes/{int:programme_id}", response=ProgrammeOut, summary="A programme")
def programme(request: HttpRequest, region_slug: Path[str], programme_id: Path[int]) -> Any:
    region, _user = require(request, VIEW)
    return programme_get(region, programme_id)


@router.put(
    "/bansos/programmes/{int:programme_id}",
    response=ProgrammeOut,
    summary="Change a programme (region admin)",
)
def programme_change(
    request: HttpRequest, region_slug: Path[str], programme_id: Path[int], data: ProgrammeIn
) -> BansosProgramme:
    region, user = require(request, VIEW)
    found = programme_get(region, programme_id)
    return programme_save(region=region, actor=user, data=_programme_data(data), programme=found)


@router.get(
    "/bansos/programmes/{int:programme_id}/cycles",
    response=list[CycleOut],
    summary="A programme's cycles with their counts and totals",
)
def cycles(request: HttpRequest, region_slug: Path[str], programme_id: Path[int]) -> Any:
    region, _user = require(request, VIEW)
    return [cycle_out(s) for s in cycle_summaries(region, programme_get(region, programme_id))]


@router.post(
    "/bansos/programmes/{int:programme_id}/cycles",
    response={201: CycleOut},
    summary="Open the programme's next cycle",
    description="Codes: validation_error (422), bansos_cycle_state (400) past cycles_per_year.",
)
def cycle_new(
    request: HttpRequest, region_slug: Path[str], programme_id: Path[int], data: CycleIn
) -> Any:
    region, user = require(request, WORK)
    found = programme_get(region, programme_id)
    cycle = cycle_create(
        region=region,
        actor=user,
        programme=found,
        period_start=data.period_start,
        period_end=data.period_end,
    )
    return Status(201, cycle_out(cycle_summary(region, cycle)))


# Cycles -----------------------------------------------------------------------------------


def _cycle_answer(request: HttpRequest, cycle: Cycle) -> dict[str, Any]:
    region, _user = require(request, VIEW)
    return cycle_out(cycle_summary(region, cycle))


@router.get("/bansos/cycles/{int:cycle_id}", response=CycleOut, summary="A cycle")
def cycle(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int]) -> Any:
    region, _user = require(request, VIEW)
    return _cycle_answer(request, cycle_get(region, cycle_id))


@router.get(
    "/bansos/cycles/{int:cycle_id}/entitlements",
    response=list[EntitlementOut],
    summary="A cycle's list (NIKs masked), by name",
)
@paginate(Page)
def entitlements(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int]) -> Any:
    region, _user = require(request, VIEW)
    return [entitlement_out(e) for e in cycle_entitlements(region, cycle_get(region, cycle_id))]


@router.post(
    "/bansos/cycles/{int:cycle_id}/compute",
    response=ComputedOut,
    summary="Compute the cycle's list from the programme's rules",
    description="How many are listed and the total." + CYCLE_CODES,
)
def compute(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int]) -> Any:
    region, user = require(request, WORK)
    found = cycle_get(region, cycle_id)
    listed = cycle_compute(region=region, actor=user, cycle=found)
    summary = cycle_summary(region, found)
    return {"listed": listed, "total": summary.amount_listed, "cycle": cycle_out(summary)}


@router.post(
    "/bansos/cycles/{int:cycle_id}/approve",
    response=CycleOut,
    summary="Approve the list (someone other than who computed it)",
    description="Codes: bansos_same_person_approves (403)." + CYCLE_CODES,
)
def approve(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int], data: NoteIn) -> Any:
    region, user = require(request, WORK)
    found = cycle_approve(
        region=region, actor=user, cycle=cycle_get(region, cycle_id), note=data.note
    )
    return _cycle_answer(request, found)


@router.post(
    "/bansos/cycles/{int:cycle_id}/close",
    response=CycleOut,
    summary="Close the cycle",
    description="While people are still listed a note is needed (bansos_entitlements_open, "
    "400), and they are marked as not received." + CYCLE_CODES,
)
def close(request: HttpRequest, region_slug: Path[str], cycle_id: Path[int], data: NoteIn) -> Any:
    region, user = require(request, WORK)
    found = cycle_close(
        region=region, actor=user, cycle=cycle_get(region, cycle_id), note=data.note
    )
    return _cycle_answer(request, found)


@router.post(
    "/bansos/cycles/{int:cycle_id}/send-back",
    response=CycleOut,
    summary="Send a list under review back to draft",
    description="`{note}` (required). The list stays until the cycle is computed again, "
    "which replaces it. Codes: validation_error (422), action_not_allowed (403)." + CYCLE_CODES,
)
def send_back(
    request: HttpRequest, region_slug: Path[str], cycle_id: Path[int], data: BansosCycleUndoIn
) -> Any:
    region, user = require(request, WORK)
    found = cycle_send_back(
        region=region, actor=user, cycle=cycle_get(region, cycle_id), note=data.note
    )
    return _cycle_answer(request, found)


@router.post(
    "/bansos/cycles/{int:cycle_id}/cancel",
    response=CycleOut,
    summary="Cancel a cycle in draft or under review (unit heads, region admin)",
    description="`{note}` (required). Everyone listed is marked removed with the note; the "
    "programme may open another cycle in its place. Codes: validation_error (422), "
    "action_not_allowed (403)." + CYCLE_CODES,
)
def cancel(
    request: HttpRequest, region_slug: Path[str], cycle_id: Path[int], data: BansosCycleUndoIn
) -> Any:
    region, user = require(request, WORK)
    found = cycle_cancel(
        region=region, actor=user, cycle=cycle_get(region, cycle_id), note=data.note
    )
    return _cycle_answer(request, found)


# Entitlements -----------------------------------------------------------------------------


@router.post(
    "/bansos/entitlements/{int:entitlement_id}/remove",
    response=EntitlementOut,
    summary="Take a person off a list under review, with the reason",
    description="Codes: validation_error (422), bansos_entitlement_state (400).",
)
def remove(
    request: HttpRequest, region_slug: Path[str], entitlement_id: Path[int], data: ReasonIn
) -> Any:
    region, user = require(request, WORK)
    found = entitlement_get(region, entitlement_id)
    entitlement_remove(region=region, actor=user, entitlement=found, reason=data.reason)
    return entitlement_out(entitlement_get(region, entitlement_id))


@router.post(
    "/bansos/entitlements/{int:entitlement_id}/handover",
    response={201: EntitlementOut},
    summary="Record a handover with its proof (multipart: paid_on, channel, reference, photo)",
    description="The photo is optional (JPEG or PNG, checked by content). Codes: "
    "bansos_already_handed_over (409), bansos_entitlement_state (400), validation_error (422).",
)
def handover(
    request: HttpRequest,
    region_slug: Path[str],
    entitlement_id: Path[int],
    form: Form[HandoverForm],
    photo: File[UploadedFile | None] = None,
) -> Any:
    no_nul(request)
    region, user = require(request, WORK)
    found = entitlement_get(region, entitlement_id)
    handover_record(
        region=region,
        actor=user,
        entitlement=found,
        paid_on=form.paid_on,
        channel=form.channel,
        reference=form.reference,
        photo=photo,
    )
    return Status(201, entitlement_out(entitlement_get(region, entitlement_id)))


@router.get(
    "/bansos/entitlements/{int:entitlement_id}/handover/photo",
    summary="The photo of a handover (staff and auditors; audited)",
    description="The image as it was stored after its check (JPEG, PNG or WebP, location "
    "data removed). It shows a recipient: every download is recorded in the audit log as a "
    "read of personal data, and the answer is never cached. 404 when the handover has no "
    "photo.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The photo",
                "content": {
                    kind: {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("image/jpeg", "image/png", "image/webp")
                },
            }
        }
    },
)
def handover_photo(
    request: HttpRequest, region_slug: Path[str], entitlement_id: Path[int]
) -> FileResponse:
    region, user = require(request, VIEW)
    found = handover_photo_open(
        region=region, actor=user, entitlement=entitlement_get(region, entitlement_id)
    )
    return photo_response(found.photo)
