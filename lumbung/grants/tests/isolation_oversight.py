"""Isolation declarations of the oversight pages and API routes (imported by
test_isolation.py): red flags, suspicions, generated PDFs and the open data."""

from __future__ import annotations

from decimal import Decimal

from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import RedFlag, Suspicion, Tranche
from .isolation_public import plant_register_entry
from .test_isolation import TODAY, _bansos, _organisation, _proposal

NS = "core:grants"
API = "/api/v1/regions/{region_slug}/grants"


def plant_explained_flag(region: Region, tag: str) -> Planted:
    """A flag whose explanation names its organisation (the tag)."""
    organisation = _organisation(region, tag)
    evidence = {
        "organisations": [organisation.pk],
        "organisation_names": [organisation.name],
        "value": "1234",
    }
    flag = RedFlag.objects.create(
        region=region, kind="shared_bank", key=tag, organisation=organisation, evidence=evidence
    )
    return Planted(flag.pk, (tag,))


def plant_open_suspicion(region: Region, tag: str) -> Planted:
    row = Suspicion.objects.create(region=region, proposal=_proposal(region, tag), text=tag)
    return Planted(row.pk, (tag,))


def _funded(region: Region, tag: str) -> Tranche:
    proposal = _proposal(region, tag)
    proposal.state, proposal.amount_final = "disbursed", Decimal("90000000")
    proposal.save(update_fields=["state", "amount_final"])
    return Tranche.objects.create(
        region=region, proposal=proposal, number=1, amount=Decimal(1000), paid_on=TODAY
    )


# A PDF's text is compressed: the walk checks the 404 of another region's id, not markers.
def plant_nominative(region: Region, tag: str) -> Planted:
    return Planted(_funded(region, tag).proposal.programme_id)


def plant_nphd(region: Region, tag: str) -> Planted:
    return Planted(_funded(region, tag).proposal_id)


def plant_tranche_order(region: Region, tag: str) -> Planted:
    return Planted(_funded(region, tag).pk)


def plant_awarded(region: Region, tag: str) -> Planted:
    """A grant the open data publishes: decided, with its final amount."""
    proposal = _proposal(region, tag)
    proposal.state, proposal.amount_final = "decided", Decimal("90000000")
    proposal.save(update_fields=["state", "amount_final"])
    return Planted(proposal.pk, (tag,))


def plant_bansos_choice(region: Region, tag: str) -> Planted:
    return Planted(_bansos(region, tag).pk, (tag,))


# Pages ------------------------------------------------------------------------------------

isolation.page(f"{NS}:flags", Kind.LIST, plant=plant_explained_flag, role=Role.AUDITOR)
isolation.page(
    f"{NS}:flag", Kind.DETAIL, plant=plant_explained_flag, object_param="pk", role=Role.AUDITOR
)
isolation.page(
    f"{NS}:flag-dismiss",
    Kind.WRITE,
    plant=plant_explained_flag,
    object_param="pk",
    model=RedFlag,
    role=Role.AUDITOR,
)
isolation.page(
    f"{NS}:flags-refresh",
    Kind.NONE,
    reason="a POST runs the detectors on the caller's region; a GET goes back to the list",
    role=Role.AUDITOR,
)
isolation.page(f"{NS}:suspicions", Kind.LIST, plant=plant_open_suspicion, role=Role.AUDITOR)
isolation.page(
    f"{NS}:suspicion",
    Kind.DETAIL,
    plant=plant_open_suspicion,
    object_param="pk",
    role=Role.AUDITOR,
)
isolation.page(f"{NS}:pdf-nominative", Kind.DETAIL, plant=plant_nominative, object_param="pk")
isolation.page(f"{NS}:pdf-nphd", Kind.DETAIL, plant=plant_nphd, object_param="pk")
isolation.page(f"{NS}:pdf-disbursement", Kind.DETAIL, plant=plant_tranche_order, object_param="pk")
isolation.page(
    f"{NS}:suspicion-proposal",
    Kind.DETAIL,
    plant=plant_register_entry,
    object_param="public_id",
)
isolation.page(f"{NS}:suspicion-recipient", Kind.LIST, plant=plant_bansos_choice)
isolation.page(
    f"{NS}:suspicion-sent",
    Kind.NONE,
    reason="shows only what the visitor's own session has just sent",
)
isolation.page(
    f"{NS}:opendata",
    Kind.NONE,
    reason="explains the files; lists the region's own budget years",
)
isolation.page(f"{NS}:opendata-json", Kind.LIST, plant=plant_awarded)
isolation.page(f"{NS}:opendata-csv", Kind.LIST, plant=plant_awarded)


# API routes -------------------------------------------------------------------------------

isolation.route("GET", f"{API}/flags", Kind.LIST, plant=plant_explained_flag, role=Role.AUDITOR)
isolation.route(
    "POST",
    f"{API}/flags/refresh",
    Kind.NONE,
    reason="runs the detectors on the caller's region and answers three counts",
    role=Role.AUDITOR,
)
isolation.route(
    "POST",
    f"{API}/flags/{{flag_id}}/dismiss",
    Kind.WRITE,
    plant=plant_explained_flag,
    object_param="flag_id",
    model=RedFlag,
    body=lambda _p: {"reason": "Sudah dicek, sesuai."},
    role=Role.AUDITOR,
)
isolation.route(
    "POST",
    f"{API}/suspicions",
    Kind.NONE,
    plant=plant_register_entry,
    body=lambda p: {"proposal": str(p.pk) if p else "", "text": "Alamat ini rumah kosong."},
    reason="files a suspicion about one of the caller's region's proposals",
)
isolation.route(
    "GET", f"{API}/suspicions", Kind.LIST, plant=plant_open_suspicion, role=Role.AUDITOR
)
isolation.route(
    "POST",
    f"{API}/suspicions/{{suspicion_id}}/review",
    Kind.WRITE,
    plant=plant_open_suspicion,
    object_param="suspicion_id",
    model=Suspicion,
    body=lambda _p: {"outcome": "Dicek di lapangan."},
    role=Role.AUDITOR,
)
# The 360Giving shapes have no `items` of ids for the LIST check: the pages above are walked
# as lists (by markers), and test_oversight_api checks another region's grant never shows.
for _ext in ("json", "csv"):
    isolation.route(
        "GET",
        f"{API}/opendata/360giving.{_ext}",
        Kind.NONE,
        plant=plant_awarded,
        reason="the region's awarded grants in the 360Giving package (no paged items)",
    )
isolation.route(
    "GET",
    f"{API}/documents/nominative/{{programme_id}}",
    Kind.DETAIL,
    plant=plant_nominative,
    object_param="programme_id",
)
isolation.route(
    "GET",
    f"{API}/documents/nphd/{{proposal_id}}",
    Kind.DETAIL,
    plant=plant_nphd,
    object_param="proposal_id",
)
isolation.route(
    "GET",
    f"{API}/documents/disbursement/{{tranche_id}}",
    Kind.DETAIL,
    plant=plant_tranche_order,
    object_param="tranche_id",
)
