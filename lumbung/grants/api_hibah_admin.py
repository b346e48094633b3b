"""The region administrator's part of the hibah API: the programmes with their ceilings
(listed with how much of each is approved) and the checklist every review step answers."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from lumbung.api.auth import AUTH
from lumbung.api.context import actor_of, region_of, require
from lumbung.core.errors import NotFound
from lumbung.core.models import Region
from lumbung.core.permissions import can

from .api_hibah_common import is_grants_staff
from .api_schemas_hibah_admin import (
    HibahChecklistItemIn,
    HibahChecklistItemOut,
    HibahChecklistItemPatch,
    HibahChecklistQuery,
    HibahProgrammeIn,
    HibahProgrammeOut,
    HibahProgrammePatch,
    HibahProgrammeQuery,
)
from .models import ChecklistItem, HibahProgramme
from .selectors_hibah import programme_usage
from .services.checklists import checklist_item_save, checklist_items
from .services.programmes import programme_save
from .services.proposals import SEN
from .workflow import SUBMITTED

router = Router(tags=["grants"], auth=AUTH)
PROGRAMME_CODES = (
    " Codes: permission_denied (403), duplicate (409: the code is taken this year), "
    "grants_ceiling_exceeded (409: below the approved total), grants_amount_invalid, "
    "validation_error (422)."
)


def programme_out(region: Region, programme: HibahProgramme) -> dict[str, Any]:
    usage = programme_usage(region, programme)
    fields = "code year name name_id name_en description unit_id opens_on closes_on is_active"
    return {
        **{name: getattr(programme, name) for name in fields.split()},
        "id": programme.pk,
        # SQLite's SUM drops the scale; the API always shows sen.
        "ceiling": usage.ceiling.quantize(SEN),
        "approved": usage.approved.quantize(SEN),
        "remaining": usage.remaining.quantize(SEN),
        "funded_count": usage.funded_count,
    }


def _programme(region: Region, programme_id: int) -> HibahProgramme:
    found = HibahProgramme.objects.filter(region=region, pk=programme_id).first()
    if found is None:
        raise NotFound()
    return found


def _programme_data(sent: dict[str, Any]) -> dict[str, Any]:
    """The service's fields from the body: `unit_id` is its `unit`."""
    data = dict(sent)
    if "unit_id" in data:
        data["unit"] = data.pop("unit_id")
    return data


@router.get(
    "/programmes",
    response=list[HibahProgrammeOut],
    summary="Hibah programmes, with their use of the ceiling",
    description="Every signed-in caller sees the active ones (to apply to); the region's "
    "staff may ask for inactive ones too. Each shows its ceiling, the approved total of the "
    "proposals it funds and what remains.",
)
def programmes(
    request: HttpRequest, region_slug: Path[str], filters: Query[HibahProgrammeQuery]
) -> Any:
    region, user = region_of(request), actor_of(request)
    staff = is_grants_staff(user, region) or can(user, "grants.manage_programmes", region)
    if filters.include_inactive and not staff:
        require(request, "grants.manage_programmes")
    found = HibahProgramme.objects.filter(region=region)
    if not filters.include_inactive:
        found = found.filter(is_active=True)
    if filters.year:
        found = found.filter(year=filters.year)
    return [programme_out(region, p) for p in found.order_by("-year", "code")[:500]]


@router.post(
    "/programmes",
    response={201: HibahProgrammeOut},
    summary="Add a programme (region admin)",
    description="Code unique within the budget year; closes on or after it opens; the "
    "ceiling exact Rupiah." + PROGRAMME_CODES,
)
def programme_create(
    request: HttpRequest, region_slug: Path[str], payload: HibahProgrammeIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "grants.manage_programmes")
    saved = programme_save(region=region, actor=user, data=_programme_data(payload.dict()))
    return Status(201, programme_out(region, saved))


@router.patch(
    "/programmes/{int:programme_id}",
    response=HibahProgrammeOut,
    summary="Change a programme (region admin)",
    description="Only the fields sent change. The ceiling never drops below what the "
    "programme has approved; the year stays once it has proposals." + PROGRAMME_CODES,
)
def programme_update(
    request: HttpRequest, region_slug: Path[str], programme_id: int, payload: HibahProgrammePatch
) -> dict[str, Any]:
    region, user = require(request, "grants.manage_programmes")
    programme = _programme(region, programme_id)
    sent = payload.dict(exclude_unset=True)
    nullable = {"unit_id", "opens_on", "closes_on"}
    data = {k: v for k, v in sent.items() if v is not None or k in nullable}
    saved = programme_save(
        region=region, actor=user, data=_programme_data(data), programme=programme
    )
    return programme_out(region, saved)


# Checklist items --------------------------------------------------------------------------


def item_out(item: ChecklistItem) -> dict[str, Any]:
    fields = "state key name name_id name_en computed_check needs_date required position is_active"
    return {**{name: getattr(item, name) for name in fields.split()}, "id": item.pk}


@router.get(
    "/checklist-items",
    response=list[HibahChecklistItemOut],
    summary="The review steps' checklists",
    description="The items each step answers (the region gets the starter set on first "
    "use). Computed items are answered by the system. For staff; inactive items for the "
    "region admin.",
)
def checklist(
    request: HttpRequest, region_slug: Path[str], filters: Query[HibahChecklistQuery]
) -> Any:
    perm = "grants.manage_programmes" if filters.include_inactive else "grants.view_queue"
    region, _user = require(request, perm)
    checklist_items(region, filters.state or SUBMITTED)  # adopts the starter set once
    found = ChecklistItem.objects.filter(region=region)
    if filters.state:
        found = found.filter(state=filters.state)
    if not filters.include_inactive:
        found = found.filter(is_active=True)
    return [item_out(i) for i in found.order_by("state", "position", "id")]


@router.post(
    "/checklist-items",
    response={201: HibahChecklistItemOut},
    summary="Add a checklist item (region admin)",
    description="Codes: permission_denied (403), validation_error (422).",
)
def checklist_item_create(
    request: HttpRequest, region_slug: Path[str], payload: HibahChecklistItemIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "grants.manage_programmes")
    checklist_items(region, payload.state)  # the starter set first, so its keys are known
    item = checklist_item_save(region=region, actor=user, data=payload.dict())
    return Status(201, item_out(item))


@router.patch(
    "/checklist-items/{int:item_id}",
    response=HibahChecklistItemOut,
    summary="Change a checklist item (region admin)",
    description="Its names, whether it must pass, asks for a date or is computed, its "
    "position, or switch it off. Codes: permission_denied (403), validation_error (422).",
)
def checklist_item_update(
    request: HttpRequest, region_slug: Path[str], item_id: int, payload: HibahChecklistItemPatch
) -> dict[str, Any]:
    region, user = require(request, "grants.manage_programmes")
    item = ChecklistItem.objects.filter(region=region, pk=item_id).first()
    if item is None:
        raise NotFound()
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return item_out(checklist_item_save(region=region, actor=user, data=data, item=item))
