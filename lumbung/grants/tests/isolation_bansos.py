"""Isolation declarations of the bansos pages and API routes (imported by
test_isolation.py): the registry (and the end of an entry), imports, programmes, cycles
(sent back, cancelled) and their entitlements (a handover's photo), and the public
aggregates and lookup."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import BansosProgramme, Cycle, Entitlement, Handover, ImportJob, Person
from .bansos_factories import make_nik
from .test_isolation import _bansos, _cycle, _entitlement, _person

NS = "core:grants"
API = "/api/v1/regions/{region_slug}/grants/bansos"


def _in_state(cycle: Cycle, state: str) -> Cycle:
    Cycle.objects.filter(pk=cycle.pk).update(state=state)
    cycle.state = state
    return cycle


def plant_person(region: Region, tag: str) -> Planted:
    return Planted(_person(region, tag).pk, (tag,))


def plant_person_address(region: Region, tag: str) -> Planted:
    """A person whose address (personal data) is the tag."""
    person = _person(region, tag)
    Person.objects.filter(pk=person.pk).update(address=tag)
    return Planted(person.pk, (tag,))


def plant_import(region: Region, tag: str) -> Planted:
    job = ImportJob.objects.create(
        region=region,
        file=ContentFile(b"nik\n", name=f"{tag}.csv"),
        filename=f"{tag}.csv",
        source="import",
    )
    return Planted(job.pk, (tag,))


def plant_import_unnamed(region: Region, tag: str) -> Planted:
    """The progress shows numbers, not the file's name: checked by its 404 only."""
    return Planted(plant_import(region, tag).pk)


def plant_import_report(region: Region, tag: str) -> Planted:
    job = ImportJob.objects.create(
        region=region,
        filename=f"{tag}.csv",
        source="import",
        status=ImportJob.Status.FAILED,
        error_rows=1,
    )
    report = f"row,column,value,message,kind\n2,nik,{tag},A NIK is 16 digits.,error\n"
    job.error_report.save(f"{tag}-report.csv", ContentFile(report.encode()), save=True)
    return Planted(job.pk, (tag,))


def plant_programme(region: Region, tag: str) -> Planted:
    return Planted(_bansos(region, tag).pk, (tag,))


def plant_programme_unnamed(region: Region, tag: str) -> Planted:
    return Planted(_bansos(region, tag).pk)


def plant_cycle(region: Region, tag: str) -> Planted:
    return Planted(_cycle(region, tag).pk, (tag,))


def plant_cycle_unnamed(region: Region, tag: str) -> Planted:
    return Planted(_cycle(region, tag).pk)


def plant_computed(region: Region, tag: str) -> Planted:
    return Planted(_in_state(_cycle(region, tag), "computed").pk)


def plant_approved(region: Region, tag: str) -> Planted:
    return Planted(_in_state(_cycle(region, tag), "approved").pk, (tag,))


def plant_approved_unnamed(region: Region, tag: str) -> Planted:
    return Planted(plant_approved(region, tag).pk)


def plant_listed_cycle(region: Region, tag: str) -> Planted:
    """A cycle whose list names a person called after the tag."""
    return Planted(_entitlement(region, tag).cycle_id, (tag,))


def _entitlement_in(region: Region, tag: str, state: str) -> Entitlement:
    entitlement = _entitlement(region, tag)
    _in_state(entitlement.cycle, state)
    return entitlement


def plant_public_list(region: Region, tag: str) -> Planted:
    """An approved list naming one person: its programme (the tag) shows in the figures."""
    return Planted(_entitlement_in(region, tag, "approved").cycle_id, (tag,))


def plant_under_review(region: Region, tag: str) -> Planted:
    return Planted(_entitlement_in(region, tag, "computed").pk, (tag,))


def plant_to_hand_over(region: Region, tag: str) -> Planted:
    return Planted(_entitlement_in(region, tag, "approved").pk, (tag,))


def plant_retired(region: Region, tag: str) -> Planted:
    person = _person(region, tag)
    Person.objects.filter(pk=person.pk).update(retired_at=timezone.now(), retired_reason=tag)
    return Planted(person.pk, (tag,))


def plant_handover_photo(region: Region, tag: str) -> Planted:
    """An entitlement handed over with a photo whose stored bytes carry the tag (the view
    serves the file as stored, so the tag shows in region A's answer)."""
    entitlement = _entitlement_in(region, tag, "approved")
    handover = Handover(
        region=region,
        entitlement=entitlement,
        paid_on=timezone.localdate(),
        channel="cash",
        reference=tag,
    )
    handover.photo.save(f"{tag}.jpg", ContentFile(f"\xff\xd8{tag}".encode()), save=False)
    handover.save()
    Entitlement.objects.filter(pk=entitlement.pk).update(status="disbursed")
    return Planted(entitlement.pk, (tag,))


def why(_p: Planted | None) -> dict[str, Any]:
    return {"reason": "Salah input."}


def new_person(_p: Planted | None) -> dict[str, Any]:
    return {"nik": make_nik(), "name": "Warga Baru"}


def new_programme(_p: Planted | None) -> dict[str, Any]:
    code = f"p-{uuid.uuid4().hex[:8]}"
    return {"code": code, "year": 2026, "name_id": "Bansos Baru", "benefit_amount": "250000"}


def handover_form(_p: Planted | None) -> dict[str, Any]:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {"paid_on": yesterday.isoformat(), "channel": "bank", "reference": "TRF-1"}


def upload(_p: Planted | None) -> dict[str, Any]:
    csv = SimpleUploadedFile("daftar.csv", b"nik,name\n", "text/csv")
    return {"file": csv, "mode": "all", "source": "import"}


# Pages ------------------------------------------------------------------------------------

isolation.page(f"{NS}:bansos-public", Kind.LIST, plant=plant_public_list)
isolation.page(f"{NS}:bansos-public-cycle", Kind.DETAIL, plant=plant_approved, object_param="pk")
isolation.page(
    f"{NS}:bansos-lookup",
    Kind.NONE,
    reason="a form; its answer is about the one NIK and name a visitor posts",
)
isolation.page(f"{NS}:bansos-persons", Kind.LIST, plant=plant_person)
isolation.page(f"{NS}:bansos-person-new", Kind.NONE, reason="an empty form")
isolation.page(f"{NS}:bansos-person", Kind.DETAIL, plant=plant_person, object_param="pk")
isolation.page(f"{NS}:bansos-person-edit", Kind.DETAIL, plant=plant_person, object_param="pk")
isolation.page(
    f"{NS}:bansos-person-personal",
    Kind.WRITE,
    plant=plant_person,
    object_param="pk",
    model=Person,
)
for _ending, _planter in (
    ("delete", plant_person),
    ("retire", plant_person),
    ("reactivate", plant_retired),
):
    isolation.page(
        f"{NS}:bansos-person-{_ending}",
        Kind.WRITE,
        plant=_planter,
        object_param="pk",
        model=Person,
    )
isolation.page(f"{NS}:bansos-imports", Kind.LIST, plant=plant_import)
isolation.page(f"{NS}:bansos-import-new", Kind.NONE, reason="an empty upload form")
isolation.page(f"{NS}:bansos-import", Kind.DETAIL, plant=plant_import, object_param="pk")
isolation.page(
    f"{NS}:bansos-import-progress", Kind.DETAIL, plant=plant_import_unnamed, object_param="pk"
)
isolation.page(
    f"{NS}:bansos-import-report", Kind.DETAIL, plant=plant_import_report, object_param="pk"
)
isolation.page(f"{NS}:bansos-programmes", Kind.LIST, plant=plant_programme)
isolation.page(f"{NS}:bansos-programme-new", Kind.NONE, reason="an empty form")
isolation.page(f"{NS}:bansos-programme", Kind.DETAIL, plant=plant_programme, object_param="pk")
isolation.page(f"{NS}:bansos-programme-edit", Kind.DETAIL, plant=plant_programme, object_param="pk")
isolation.page(
    f"{NS}:bansos-cycle-new",
    Kind.WRITE,
    plant=plant_programme,
    object_param="pk",
    model=BansosProgramme,
)
isolation.page(f"{NS}:bansos-cycle", Kind.DETAIL, plant=plant_listed_cycle, object_param="pk")
for _action in ("compute", "approve", "close", "send-back", "cancel"):
    isolation.page(
        f"{NS}:bansos-cycle-{_action}",
        Kind.WRITE,
        plant=plant_cycle,
        object_param="pk",
        model=Cycle,
    )
isolation.page(
    f"{NS}:bansos-entitlement-remove",
    Kind.WRITE,
    plant=plant_under_review,
    object_param="pk",
    model=Entitlement,
)
isolation.page(
    f"{NS}:bansos-handover",
    Kind.WRITE,
    plant=plant_to_hand_over,
    object_param="pk",
    model=Entitlement,
)
isolation.page(
    f"{NS}:bansos-handover-photo",
    Kind.DETAIL,
    plant=plant_handover_photo,
    object_param="pk",
)


# API routes -------------------------------------------------------------------------------

isolation.route("GET", f"{API}/persons", Kind.LIST, plant=plant_person)
isolation.route(
    "POST",
    f"{API}/persons",
    Kind.NONE,
    body=new_person,
    reason="adds a person to the caller's region's registry",
)
isolation.route(
    "GET", f"{API}/persons/{{person_id}}", Kind.DETAIL, plant=plant_person, object_param="person_id"
)
isolation.route(
    "PUT",
    f"{API}/persons/{{person_id}}",
    Kind.WRITE,
    plant=plant_person,
    object_param="person_id",
    model=Person,
    body=new_person,
)
isolation.route(
    "POST",
    f"{API}/persons/{{person_id}}/personal-data",
    Kind.DETAIL,
    plant=plant_person_address,
    object_param="person_id",
)
for _ending, _planter in (("retire", plant_person), ("reactivate", plant_retired)):
    isolation.route(
        "POST",
        f"{API}/persons/{{person_id}}/{_ending}",
        Kind.WRITE,
        plant=_planter,
        object_param="person_id",
        model=Person,
        body=why,
    )
isolation.route(
    "DELETE",
    f"{API}/persons/{{person_id}}",
    Kind.WRITE,
    plant=plant_person,
    object_param="person_id",
    model=Person,
    body=why,
)
isolation.route(
    "POST",
    f"{API}/imports",
    Kind.NONE,
    body=upload,
    multipart=True,
    reason="queues an import into the caller's region",
)
isolation.route("GET", f"{API}/imports", Kind.LIST, plant=plant_import)
isolation.route(
    "GET", f"{API}/imports/{{job_id}}", Kind.DETAIL, plant=plant_import, object_param="job_id"
)
isolation.route(
    "GET",
    f"{API}/imports/{{job_id}}/report",
    Kind.DETAIL,
    plant=plant_import_report,
    object_param="job_id",
)
isolation.route("GET", f"{API}/programmes", Kind.LIST, plant=plant_programme)
isolation.route(
    "POST",
    f"{API}/programmes",
    Kind.NONE,
    body=new_programme,
    role=Role.REGION_ADMIN,
    reason="creates a programme in the caller's region",
)
isolation.route(
    "GET",
    f"{API}/programmes/{{programme_id}}",
    Kind.DETAIL,
    plant=plant_programme,
    object_param="programme_id",
)
isolation.route(
    "PUT",
    f"{API}/programmes/{{programme_id}}",
    Kind.WRITE,
    plant=plant_programme,
    object_param="programme_id",
    model=BansosProgramme,
    body=new_programme,
    role=Role.REGION_ADMIN,
)
isolation.route(
    "GET",
    f"{API}/programmes/{{programme_id}}/cycles",
    Kind.DETAIL,
    plant=plant_programme_unnamed,
    object_param="programme_id",
)
isolation.route(
    "POST",
    f"{API}/programmes/{{programme_id}}/cycles",
    Kind.WRITE,
    plant=plant_programme,
    object_param="programme_id",
    model=BansosProgramme,
    body=lambda _p: {"period_start": "2026-01-01", "period_end": "2026-03-31"},
)
isolation.route(
    "GET",
    f"{API}/cycles/{{cycle_id}}",
    Kind.DETAIL,
    plant=plant_cycle_unnamed,
    object_param="cycle_id",
)
isolation.route(
    "GET",
    f"{API}/cycles/{{cycle_id}}/entitlements",
    Kind.DETAIL,
    plant=plant_listed_cycle,
    object_param="cycle_id",
)
for _action, _planter, _role in (
    ("compute", plant_cycle, Role.OFFICER),
    ("approve", plant_computed, Role.OFFICER),
    ("close", plant_approved, Role.OFFICER),
    ("send-back", plant_computed, Role.OFFICER),
    # Cancelling is for unit heads and the region admin.
    ("cancel", plant_cycle, Role.REGION_ADMIN),
):
    isolation.route(
        "POST",
        f"{API}/cycles/{{cycle_id}}/{_action}",
        Kind.WRITE,
        plant=_planter,
        object_param="cycle_id",
        model=Cycle,
        body=lambda _p: {"note": "Dicek."},
        role=_role,
    )
isolation.route(
    "POST",
    f"{API}/entitlements/{{entitlement_id}}/remove",
    Kind.WRITE,
    plant=plant_under_review,
    object_param="entitlement_id",
    model=Entitlement,
    body=lambda _p: {"reason": "Pindah."},
)
isolation.route(
    "POST",
    f"{API}/entitlements/{{entitlement_id}}/handover",
    Kind.WRITE,
    plant=plant_to_hand_over,
    object_param="entitlement_id",
    model=Entitlement,
    body=handover_form,
    multipart=True,
)
isolation.route(
    "GET",
    f"{API}/entitlements/{{entitlement_id}}/handover/photo",
    Kind.DETAIL,
    plant=plant_handover_photo,
    object_param="entitlement_id",
)
isolation.route(
    "GET",
    f"{API}/public/aggregates",
    Kind.NONE,
    plant=plant_public_list,
    reason="counts and totals of the caller's region's approved lists (no ids; "
    "test_bansos_api checks another region's never count)",
)
isolation.route(
    "GET",
    f"{API}/public/cycles/{{cycle_id}}/recipients",
    Kind.DETAIL,
    plant=plant_approved_unnamed,
    object_param="cycle_id",
)
isolation.route(
    "POST",
    f"{API}/lookup",
    Kind.NONE,
    body=lambda _p: {"nik": make_nik(), "name": "Warga"},
    reason="answers about the one NIK and name posted, in the caller's region",
)
