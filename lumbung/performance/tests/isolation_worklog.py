"""Isolation declarations of the worklog area's pages and API routes (imported by
test_isolation.py).

The walk signs in as one of make_world's role users (the region administrator on pages,
the officer on routes, the unit head for curating): the planters make that user an ASN of
the region's registry first (idempotently), since the log and its API are for ASN only.
Entries are planted on the region's today (pages) or a fixed day (routes, asked for by
month), with the tag in their note; activities with the tag in their names."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.models import Membership, Region, Unit
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Activity, Employee, Entry
from ..selectors import region_today

API = "/api/v1/regions/{region_slug}/performance"
DAY = dt.date(2026, 3, 2)
ONE_DAY = dt.timedelta(days=1)
_serial = itertools.count(1)


def _employee_of_role(region: Region, role: Role) -> Employee:
    """The walk's `role` user as an ASN of the region (made once)."""
    user = Membership.objects.filter(region=region, role=role).earliest("pk").user
    found = Employee.objects.filter(region=region, user=user).first()
    if found is not None:
        return found
    return Employee.objects.create(
        region=region,
        nip=f"19900202201001{(2000 + next(_serial)) % 10000:04d}",
        name=f"ASN {role}",
        unit=Unit.objects.filter(region=region).earliest("pk"),
        position="Analis",
        job_grade=7,
        employment_type="pns",
        user=user,
        active_from=dt.date(2020, 1, 1),
    )


def _activity(region: Region, tag: str, state: str = "approved") -> Activity:
    return Activity.objects.create(
        region=region, name_id=f"Kegiatan {tag}", name_en=f"Activity {tag}",
        output_unit_id="dokumen", output_unit_en="document", standard_minutes=30,
        state=state, state_entered_at=timezone.now(),
    )  # fmt: skip


def _entry(region: Region, tag: str, role: Role, day: dt.date) -> Planted:
    entry = Entry.objects.create(
        region=region, employee=_employee_of_role(region, role), work_date=day,
        start_time=dt.time(8), end_time=dt.time(9), activity=_activity(region, tag),
        quantity=2, standard_minutes=30, claimed_minutes=60, note=f"Catatan {tag}",
        client_key=uuid.uuid4().hex, state="submitted", state_entered_at=timezone.now(),
    )  # fmt: skip
    return Planted(entry.pk, (tag,))


def plant_officer_entry(region: Region, tag: str) -> Planted:
    return _entry(region, tag, Role.OFFICER, DAY)


def plant_admin_entry_today(region: Region, tag: str) -> Planted:
    return _entry(region, tag, Role.REGION_ADMIN, region_today(region))


def plant_activity(region: Region, tag: str) -> Planted:
    return Planted(_activity(region, tag).pk, (tag,))


def plant_proposal(region: Region, tag: str) -> Planted:
    return Planted(_activity(region, tag, "proposed").pk, (tag,))


def plant_officer_activity(region: Region, tag: str) -> Planted:
    """An activity for a route that makes an entry or a proposal as the officer."""
    _employee_of_role(region, Role.OFFICER)
    return Planted(_activity(region, tag).pk, (tag,))


def _new_entry(planted: Planted | None) -> dict[str, Any]:
    assert planted is not None
    return {
        # Yesterday in any of the country's time zones: never in the future, never too old.
        "client_key": uuid.uuid4().hex, "work_date": str(timezone.localdate() - ONE_DAY),
        "start_time": "06:00", "end_time": "06:30", "activity_id": planted.pk,
        "quantity": 1, "overtime": True,
    }  # fmt: skip


def _new_batch(planted: Planted | None) -> dict[str, Any]:
    first = _new_entry(planted)
    return {"items": [first, {**_new_entry(planted), "start_time": "06:30", "end_time": "07:00"}]}


def _activity_body(planted: Planted | None) -> dict[str, Any]:
    return {
        "name_id": f"Baru {uuid.uuid4().hex[:6]}", "name_en": "New", "output_unit_id": "surat",
        "output_unit_en": "letter", "standard_minutes": 30,
    }  # fmt: skip


def _reason(planted: Planted | None) -> dict[str, Any]:
    return {"reason": "Alasan"}


def _evidence(planted: Planted | None) -> dict[str, Any]:
    return {"evidence": SimpleUploadedFile("b.pdf", b"%PDF-1.4 x", content_type="application/pdf")}


def _march(planted: Planted | None) -> dict[str, Any]:
    return {"month": DAY.strftime("%Y-%m")}


# Pages --------------------------------------------------------------------------------------

isolation.page("core:performance:log", Kind.LIST, plant=plant_admin_entry_today)
isolation.page("core:performance:entries", Kind.LIST, plant=plant_admin_entry_today)
isolation.page("core:performance:activities", Kind.LIST, plant=plant_activity)
isolation.page("core:performance:activity", Kind.DETAIL, plant=plant_activity, object_param="pk")

# The catalogue -----------------------------------------------------------------------------

isolation.route("GET", f"{API}/activities", Kind.LIST, plant=plant_officer_activity)
isolation.route(
    "POST", f"{API}/activities", Kind.NONE, role=Role.REGION_ADMIN, body=_activity_body,
    reason="adds an activity to the caller's region; reads no other row",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/activities/proposals", Kind.NONE, plant=plant_officer_activity,
    body=_activity_body, reason="proposes an activity in the caller's region as its ASN",
)  # fmt: skip
for action, body in (("accept", None), ("decline", _reason)):
    isolation.route(
        "POST", f"{API}/activities/{{activity_id}}/{action}", Kind.WRITE, plant=plant_proposal,
        object_param="activity_id", model=Activity, role=Role.UNIT_HEAD,
        body=body or (lambda planted: {}),
    )  # fmt: skip
isolation.route(
    "POST", f"{API}/activities/{{activity_id}}/retire", Kind.WRITE, plant=plant_activity,
    object_param="activity_id", model=Activity, role=Role.REGION_ADMIN, body=_reason,
)  # fmt: skip

# The caller's entries ----------------------------------------------------------------------

isolation.route(
    "POST", f"{API}/entries", Kind.NONE, plant=plant_officer_activity, body=_new_entry,
    reason="logs an entry for the caller in the caller's region (assigned overtime, so any "
    "day of the walk is allowed)",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/entries/batch", Kind.NONE, plant=plant_officer_activity, body=_new_batch,
    reason="logs a batch of entries for the caller in the caller's region (assigned overtime, "
    "so any day of the walk is allowed); an activity of another region is refused as unknown",
)  # fmt: skip
isolation.route("GET", f"{API}/entries", Kind.LIST, plant=plant_officer_entry, query=_march)
isolation.route(
    "GET", f"{API}/entries/{{entry_id}}", Kind.DETAIL, plant=plant_officer_entry,
    object_param="entry_id",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/entries/{{entry_id}}/withdraw", Kind.WRITE, plant=plant_officer_entry,
    object_param="entry_id", model=Entry,
)  # fmt: skip
isolation.route(
    "POST", f"{API}/entries/{{entry_id}}/evidence", Kind.WRITE, plant=plant_officer_entry,
    object_param="entry_id", model=Entry, multipart=True, body=_evidence,
)  # fmt: skip
