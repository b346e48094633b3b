"""Isolation declarations of the module's public pages (imported by test_isolation.py)."""

from __future__ import annotations

from lumbung.core.models import Region
from lumbung.core.testing.isolation import Kind, Planted, isolation

from .test_isolation import _proposal

NS = "core:grants"


def plant_register_entry(region: Region, tag: str) -> Planted:
    """A proposal the public register shows, known by its public id."""
    proposal = _proposal(region, tag)
    return Planted(str(proposal.public_id), (tag, proposal.number))


isolation.page(f"{NS}:register", Kind.LIST, plant=plant_register_entry)
isolation.page(f"{NS}:proposal", Kind.DETAIL, plant=plant_register_entry, object_param="public_id")

API = "/api/v1/regions/{region_slug}/grants"
isolation.route("GET", f"{API}/register", Kind.LIST, plant=plant_register_entry)
isolation.route(
    "GET",
    f"{API}/register/{{public_id}}",
    Kind.DETAIL,
    plant=plant_register_entry,
    object_param="public_id",
)
