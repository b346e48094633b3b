"""Isolation declarations of the module's signed-in pages (imported by test_isolation.py):
the applicants' own pages and files, and the staff's.

The walk signs in the region's admin. For the applicants' pages the planted application
is the admin's own. The action endpoints take POSTs; the walk sends GETs, which they
answer by going back to their page once the object is found in the region — so each is
checked as a write: another region's id is a 404 and its row stays as it was."""

from __future__ import annotations

from lumbung.core.models import Membership, Region, User
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import Application, ApplicationDocument, Permit
from .test_isolation import (
    _application,
    _permit,
    plant_application,
    plant_document,
    plant_kbli,
    plant_permit,
    plant_photo,
    plant_rule,
    plant_type,
)

NS = "core:permits"


def _admin(region: Region) -> User | None:
    found = (
        Membership.objects.filter(region=region, role=Role.REGION_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return found.user if found else None


def _own(application: Application) -> Application:
    """The application with the region's admin (whom the walk signs in) as its applicant."""
    admin = _admin(application.region)
    if admin is not None:
        Application.objects.filter(region=application.region, pk=application.pk).update(
            applicant=admin
        )
    return application


def plant_own_application(region: Region, tag: str) -> Planted:
    application = _own(_application(region, tag))
    return Planted(application.pk, (tag, application.number))


def plant_own_permit(region: Region, tag: str) -> Planted:
    permit = _permit(region, tag)
    _own(permit.application)
    return Planted(permit.pk, (tag, permit.number))


def plant_own_pdf(region: Region, tag: str) -> Planted:
    """The PDF's text is compressed: only its status and the 404 are checked."""
    return Planted(plant_own_permit(region, tag).pk, ())


def plant_own_document(region: Region, tag: str) -> Planted:
    planted = plant_document(region, tag)
    document = ApplicationDocument.objects.get(region=region, pk=planted.pk)
    _own(document.application)
    return Planted(planted.pk, ())


def plant_photo_file(region: Region, tag: str) -> Planted:
    return Planted(plant_photo(region, tag).pk, ())


# The applicants' own pages and files
isolation.page(f"{NS}:apply", Kind.NONE, reason="the form, with the region's activities")
isolation.page(f"{NS}:mine", Kind.LIST, plant=plant_own_application)
isolation.page(f"{NS}:application", Kind.DETAIL, plant=plant_own_application, object_param="pk")
for _name in ("resubmit", "pay", "withdraw"):
    isolation.page(
        f"{NS}:{_name}",
        Kind.WRITE,
        plant=plant_own_application,
        object_param="pk",
        model=Application,
    )
isolation.page(f"{NS}:renew", Kind.WRITE, plant=plant_own_permit, object_param="pk", model=Permit)
isolation.page(f"{NS}:permit-pdf", Kind.DETAIL, plant=plant_own_pdf, object_param="pk")
isolation.page(f"{NS}:file", Kind.DETAIL, plant=plant_own_document, object_param="pk")
isolation.page(f"{NS}:photo", Kind.DETAIL, plant=plant_photo_file, object_param="pk")

# The staff's pages
isolation.page(f"{NS}:queue", Kind.LIST, plant=plant_application)
isolation.page(f"{NS}:case", Kind.DETAIL, plant=plant_application, object_param="pk")
isolation.page(
    f"{NS}:case-step", Kind.WRITE, plant=plant_application, object_param="pk", model=Application
)
isolation.page(f"{NS}:permits", Kind.LIST, plant=plant_permit)
isolation.page(f"{NS}:permit", Kind.DETAIL, plant=plant_permit, object_param="pk")
isolation.page(f"{NS}:types", Kind.LIST, plant=plant_type)
isolation.page(f"{NS}:type-edit", Kind.DETAIL, plant=plant_type, object_param="pk")
isolation.page(f"{NS}:kbli", Kind.LIST, plant=plant_kbli)
isolation.page(f"{NS}:rules", Kind.LIST, plant=plant_rule)
isolation.page(f"{NS}:rule-edit", Kind.DETAIL, plant=plant_rule, object_param="pk")
