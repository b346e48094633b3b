"""Isolation declarations of the review area's pages and API routes (imported by
test_isolation.py).

The walk signs in the region's officer: the planters make that account an employee of the
region (once) and plant an entry of a new person who reports to it, so the entry waits for
the walk's own review. The stuck list is the region administrator's: its planter makes an
overdue entry of a person with nobody above them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from lumbung.core.models import Membership, Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Employee, Entry
from .test_isolation import DAY, _activity, _person, plant_employee

NS = "core:performance"
API = "/api/v1/regions/{region_slug}/performance/approvals"


def walk_reviewer(region: Region, role: Role = Role.OFFICER) -> Employee:
    """The walk's signed-in account of `role` as an employee of the region (idempotent)."""
    user = Membership.objects.filter(region=region, role=role).earliest("pk").user
    found = Employee.objects.filter(region=region, user=user).first()
    if found is not None:
        return found
    person = Employee.objects.get(pk=plant_employee(region, "reviewer").pk)
    Employee.objects.filter(pk=person.pk).update(user=user)
    person.refresh_from_db()
    return person


def _entry(region: Region, tag: str, *, reviewer: Employee | None, **extra: Any) -> Entry:
    author = _person(region, tag)
    Employee.objects.filter(pk=author.pk).update(supervisor=reviewer)
    return Entry.objects.create(
        region=region, employee=author, reviewer=reviewer, work_date=DAY,
        start_time=dt.time(8), end_time=dt.time(9), activity=_activity(region, tag),
        quantity=2, standard_minutes=30, claimed_minutes=60, note=f"Catatan {tag}",
        client_key=uuid.uuid4().hex, state="submitted", state_entered_at=timezone.now(),
        **extra,
    )  # fmt: skip


def plant_waiting(region: Region, tag: str) -> Planted:
    """An entry waiting for the walk officer's review, its author and note named by tag."""
    entry = _entry(region, tag, reviewer=walk_reviewer(region))
    return Planted(entry.pk, (tag,))


def plant_stuck(region: Region, tag: str) -> Planted:
    """An overdue entry of a person with no supervisor: nobody can review it."""
    due = timezone.now() - dt.timedelta(days=3)
    entry = _entry(region, tag, reviewer=None, due_at=due)
    return Planted(entry.pk, (tag,))


def _selected(planted: Planted | None) -> dict[str, Any]:
    return {"entries": [planted.pk if planted else 1]}


def _day(planted: Planted | None) -> dict[str, Any]:
    with dangerously_unscoped():  # the walk builds the body outside any region's scope
        entry = Entry.objects.filter(pk=planted.pk).first() if planted else None
    return {"employee_id": entry.employee_id if entry else 1, "work_date": DAY.isoformat()}


# Pages
isolation.page(f"{NS}:approvals", Kind.LIST, plant=plant_waiting, role=Role.OFFICER)
isolation.page(
    f"{NS}:approval", Kind.DETAIL, plant=plant_waiting, object_param="pk", role=Role.OFFICER
)
isolation.page(f"{NS}:approvals_stuck", Kind.LIST, plant=plant_stuck)

# API
isolation.route("GET", API, Kind.LIST, plant=plant_waiting)
for action, body in (
    ("approve", None),
    ("reject", lambda _p: {"reason": "Tidak sesuai"}),
    ("adjust", lambda _p: {"quantity": 1, "reason": "Satu surat saja"}),
):
    isolation.route(
        "POST", f"{API}/{{entry_id}}/{action}", Kind.WRITE, plant=plant_waiting,
        object_param="entry_id", model=Entry, body=body,
    )  # fmt: skip
isolation.route(
    "POST", f"{API}/approve", Kind.NONE, plant=plant_waiting, body=_selected,
    reason="approves the caller's own queue's entries by id; a foreign id is a 404 "
    "(test_review_api.py checks it)",
)  # fmt: skip
isolation.route(
    "POST", f"{API}/approve-day", Kind.NONE, plant=plant_waiting, body=_day,
    reason="approves one person's day in the caller's own queue; a foreign person is a 404 "
    "(test_review_api.py checks it)",
)  # fmt: skip
