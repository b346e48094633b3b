"""Isolation declarations of the module's staff pages (imported by test_isolation.py).

The action endpoints take POSTs; the walk sends GETs, which they answer by going back to
the case page once the ticket is found in the region — so each is checked as a write:
another region's ticket is a 404 and its row stays as it was."""

from __future__ import annotations

from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Complaint
from .test_isolation import plant_category, plant_client, plant_complaint, plant_template


def plant_by_ticket(region: Region, tag: str) -> Planted:
    """plant_complaint, marked by its tag only: a page under another region's ticket
    echoes the address it was asked for (the language switch's `next`), so the ticket
    itself is no sign of a leak there."""
    planted = plant_complaint(region, tag)
    return Planted(planted.pk, (tag,))


isolation.page("core:complaints:queue", Kind.LIST, plant=plant_complaint, role=Role.OFFICER)
isolation.page(
    "core:complaints:staff-detail",
    Kind.DETAIL,
    plant=plant_by_ticket,
    object_param="ticket",
    role=Role.OFFICER,
)
isolation.page(
    "core:complaints:staff-contact",
    Kind.DETAIL,
    plant=plant_by_ticket,
    object_param="ticket",
    role=Role.OFFICER,
)
for _name, _role in (
    ("staff-act", Role.OFFICER),
    ("staff-duplicate", Role.OFFICER),
    ("staff-answer", Role.OFFICER),
    ("staff-route", Role.OFFICER),
    ("staff-assign", Role.UNIT_HEAD),
):
    isolation.page(
        f"core:complaints:{_name}",
        Kind.WRITE,
        plant=plant_by_ticket,
        object_param="ticket",
        model=Complaint,
        lookup="ticket",
        role=_role,
    )

isolation.page("core:complaints:categories", Kind.LIST, plant=plant_category)
isolation.page(
    "core:complaints:category-edit", Kind.DETAIL, plant=plant_category, object_param="pk"
)
isolation.page("core:complaints:templates", Kind.LIST, plant=plant_template)
isolation.page(
    "core:complaints:template-edit", Kind.DETAIL, plant=plant_template, object_param="pk"
)
isolation.page("core:complaints:clients", Kind.LIST, plant=plant_client)
