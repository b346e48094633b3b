"""Isolation declarations of the module's signed-in pages (imported by test_isolation.py):
the organisations' own pages and the staff's.

The walk signs in the region's admin (or the role a declaration names). For the
organisations' pages the planted organisation counts that admin among its accounts, so
their own pages show it. The action endpoints take POSTs; the walk sends GETs, which they
answer by going back to their page once the object is found in the region — so each is
checked as a write: another region's id is a 404 and its row stays as it was."""

from __future__ import annotations

import datetime as dt

from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Document, Organisation, Proposal, Tranche
from .test_isolation import (
    _organisation,
    _programme,
    _proposal,
    plant_document,
    plant_item,
    plant_organisation,
    plant_programme,
    plant_proposal,
    plant_tranche,
)

NS = "core:grants"


def _member(region: Region, role: Role) -> User | None:
    found = (
        Membership.objects.filter(region=region, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return found.user if found else None


def _owned(organisation: Organisation) -> Organisation:
    """The organisation with the region's admin (whom the walk signs in) as its account."""
    admin = _member(organisation.region, Role.REGION_ADMIN)
    if admin is not None:
        organisation.accounts.add(admin)
    return organisation


def plant_own_organisation(region: Region, tag: str) -> Planted:
    return Planted(_owned(_organisation(region, tag)).pk, (tag,))


def plant_own_proposal(region: Region, tag: str) -> Planted:
    proposal = _proposal(region, tag)
    _owned(proposal.organisation)
    return Planted(proposal.pk, (tag,))


def plant_own_document(region: Region, tag: str) -> Planted:
    """A document of the admin's organisation: the file cannot carry the tag."""
    planted = plant_document(region, tag)
    document = Document.objects.get(region=region, pk=planted.pk)
    assert document.organisation is not None
    _owned(document.organisation)
    return Planted(planted.pk, ())


def plant_applicable(region: Region, tag: str) -> Planted:
    """An organisation the admin acts for and an open programme: the proposal form lists
    both in its selects."""
    _owned(_organisation(region, tag))
    return Planted(_programme(region, tag).pk, (tag,))


# The organisations' own pages
isolation.page(
    f"{NS}:organisation-new",
    Kind.NONE,
    reason="an empty registration form (the region's kelurahan list only)",
)
isolation.page(f"{NS}:my-organisations", Kind.LIST, plant=plant_own_organisation)
isolation.page(
    f"{NS}:my-organisation", Kind.DETAIL, plant=plant_own_organisation, object_param="pk"
)
isolation.page(f"{NS}:proposal-new", Kind.LIST, plant=plant_applicable)
isolation.page(f"{NS}:my-proposals", Kind.LIST, plant=plant_own_proposal)
isolation.page(f"{NS}:my-proposal", Kind.DETAIL, plant=plant_own_proposal, object_param="pk")
for _name in ("resubmit", "withdraw", "lpj", "document"):
    isolation.page(
        f"{NS}:my-proposal-{_name}",
        Kind.WRITE,
        plant=plant_own_proposal,
        object_param="pk",
        model=Proposal,
    )
isolation.page(f"{NS}:document", Kind.DETAIL, plant=plant_own_document, object_param="pk")


def plant_overdue_lpj(region: Region, tag: str) -> Planted:
    """A disbursed proposal whose LPJ was due a year ago."""
    proposal = _proposal(region, tag)
    Proposal.objects.filter(region=region, pk=proposal.pk).update(
        state="disbursed", lpj_due_on=dt.date(2025, 1, 10)
    )
    return Planted(proposal.pk, (tag,))


# The staff's pages
isolation.page(f"{NS}:queue", Kind.LIST, plant=plant_proposal, role=Role.OFFICER)
isolation.page(
    f"{NS}:case", Kind.DETAIL, plant=plant_proposal, object_param="pk", role=Role.OFFICER
)
isolation.page(
    f"{NS}:case-step",
    Kind.WRITE,
    plant=plant_proposal,
    object_param="pk",
    model=Proposal,
    role=Role.OFFICER,
)
isolation.page(f"{NS}:lpj-overdue", Kind.LIST, plant=plant_overdue_lpj, role=Role.OFFICER)
isolation.page(
    f"{NS}:tranche-proof",
    Kind.WRITE,
    plant=plant_tranche,
    object_param="pk",
    model=Tranche,
    role=Role.OFFICER,
)
isolation.page(f"{NS}:organisations", Kind.LIST, plant=plant_organisation, role=Role.OFFICER)
isolation.page(
    f"{NS}:organisation",
    Kind.DETAIL,
    plant=plant_organisation,
    object_param="pk",
    role=Role.OFFICER,
)
isolation.page(f"{NS}:programmes", Kind.LIST, plant=plant_programme)
isolation.page(f"{NS}:programme-edit", Kind.DETAIL, plant=plant_programme, object_param="pk")
isolation.page(f"{NS}:checklist", Kind.LIST, plant=plant_item)
isolation.page(f"{NS}:checklist-edit", Kind.DETAIL, plant=plant_item, object_param="pk")
