"""Isolation declarations of the module's API (imported by test_isolation.py). Routes that
take a ticket are checked by ticket: another region's is a 404 and its row stays as it was."""

from __future__ import annotations

from typing import Any

from lumbung.core.models import Membership, Region, Unit
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import AnswerTemplate, Category, Complaint, Open311Client
from ..services import ReportInput, report_file, report_transition
from .test_isolation import (
    _category,
    plant_category,
    plant_client,
    plant_complaint,
    plant_complaint_row,
    plant_template,
)

API = "/api/v1/regions/{region_slug}/complaints"
ADMIN = Role.REGION_ADMIN
BANDUNG = {"category": "jalan-rusak", "lat": "-6.9218", "lng": "107.607"}
# The tracking key of each report planted resolved, by ticket, for the reporter's replies.
KEYS: dict[str, str] = {}


def plant_report(region: Region, tag: str) -> Planted:
    """A public report by ticket, known by its tag only: a problem document repeats the
    path it answers (`instance`), so the ticket asked for is in every 404."""
    return Planted(plant_complaint(region, tag).pk, (tag,))


def plant_categories(region: Region, tag: str) -> Planted:
    """The starter categories, so that a report can be filed in the region."""
    return Planted(_category(region).code, ())


def plant_category_code(region: Region, tag: str) -> Planted:
    """A category by code, named by the tag (the code is in the path a 404 repeats)."""
    code = tag.replace("iso-", "code-", 1)
    Category.objects.create(region=region, code=code, name_id=tag, name_en=tag)
    return Planted(code, (tag,))


def plant_with_contact(region: Region, tag: str) -> Planted:
    """A report whose contact name is the tag: what the contact route shows."""
    _category(region)
    data = ReportInput(
        category="jalan-rusak",
        description="Jalan rusak di depan pasar",
        location_text="Jl. Pasar",
        contact_name=tag,
    )
    filed = report_file(region=region, actor=None, data=data)
    return Planted(filed.complaint.ticket, (tag,))


def plant_resolved(region: Region, tag: str) -> Planted:
    """A report staff have resolved, waiting for its reporter (who holds the key)."""
    _category(region)
    data = ReportInput(category="jalan-rusak", description=f"Lampu mati {tag}", location_text=tag)
    filed = report_file(region=region, actor=None, data=data)
    officer = Membership.objects.filter(region=region, role=Role.OFFICER).first()
    actor = officer.user if officer else None
    for action, note in (("verify", ""), ("resolve", "Sudah diperbaiki")):
        report_transition(
            region=region, actor=actor, complaint=filed.complaint, action=action, note=note
        )
    KEYS[filed.complaint.ticket] = filed.secret
    return Planted(filed.complaint.ticket, (tag,))


def _key(planted: Planted | None) -> str:
    return KEYS.get(str(planted.pk), "") if planted else ""


def _route_body(planted: Planted | None) -> dict[str, Any]:
    """A unit of the report's own region (the other region's answers 404 before reading it)."""
    assert planted is not None
    with dangerously_unscoped():
        region_id = Complaint.objects.get(ticket=planted.pk).region_id
        unit = Unit.objects.filter(region_id=region_id).order_by("pk").first()
    return {"unit_id": unit.pk if unit else 1, "note": "Isolation"}


def _ticket_route(method: str, path: str, **options: Any) -> None:
    options.setdefault("plant", plant_report)
    options.setdefault("object_param", "ticket")
    if method != "GET":
        options.setdefault("model", Complaint)
        options.setdefault("lookup", "ticket")
    kind = Kind.DETAIL if method == "GET" else Kind.WRITE
    isolation.route(method, f"{API}/reports/{{ticket}}{path}", kind, **options)


# Public: the list, filing, tracking, figures
isolation.route("GET", f"{API}/categories", Kind.LIST, plant=plant_category)
isolation.route("GET", f"{API}/reports", Kind.LIST, plant=plant_complaint_row)
isolation.route(
    "POST",
    f"{API}/reports",
    Kind.NONE,
    plant=plant_categories,
    body=lambda _p: {
        "category": "jalan-rusak",
        "description": "Jalan rusak di depan kantor",
        "latitude": -6.9218,
        "longitude": 107.607,
    },
    reason="files a report in the caller's region",
)
isolation.route(
    "GET", f"{API}/nearby", Kind.LIST, plant=plant_complaint_row, query=lambda _p: BANDUNG
)
isolation.route("GET", f"{API}/stats", Kind.COUNT, plant=plant_complaint, count_key="received")
_ticket_route("GET", "")
_ticket_route("POST", "/support", body=lambda _p: {})
_ticket_route(
    "POST",
    "/confirm",
    plant=plant_resolved,
    role=Role.CITIZEN,
    body=lambda p: {"key": _key(p), "rating": 5},
)
_ticket_route(
    "POST",
    "/dispute",
    plant=plant_resolved,
    role=Role.CITIZEN,
    body=lambda p: {"key": _key(p), "reason": "Masih mati"},
)

# Staff
isolation.route("GET", f"{API}/queue", Kind.LIST, plant=plant_complaint_row)
_ticket_route("GET", "/contact", plant=plant_with_contact)
_ticket_route("POST", "/transitions", body=lambda _p: {"action": "verify"})
_ticket_route("POST", "/answers", body=lambda _p: {"body": "Sedang kami periksa"})
_ticket_route("POST", "/route", body=_route_body)
_ticket_route("POST", "/assign", role=ADMIN, body=lambda _p: {"assignee_id": None})

# Region admin
isolation.route(
    "POST",
    f"{API}/categories",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"code": "iso-new", "name_id": "Isolasi", "name_en": "Isolation"},
    reason="adds a category to the caller's region",
)
isolation.route(
    "PATCH",
    f"{API}/categories/{{code}}",
    Kind.WRITE,
    plant=plant_category_code,
    object_param="code",
    model=Category,
    lookup="code",
    role=ADMIN,
    body=lambda _p: {"name_en": "Renamed by another region"},
)
isolation.route("GET", f"{API}/templates", Kind.LIST, plant=plant_template)
isolation.route(
    "POST",
    f"{API}/templates",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"title": "Isolation", "body": "Terima kasih"},
    reason="adds an answer template to the caller's region",
)
isolation.route(
    "PATCH",
    f"{API}/templates/{{template_id}}",
    Kind.WRITE,
    plant=plant_template,
    object_param="template_id",
    model=AnswerTemplate,
    role=ADMIN,
    body=lambda _p: {"title": "Renamed by another region"},
)
isolation.route("GET", f"{API}/open311-clients", Kind.LIST, plant=plant_client, role=ADMIN)
isolation.route(
    "POST",
    f"{API}/open311-clients",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"name": "Isolation client"},
    reason="lets a client into the caller's region (its key is returned once)",
)
isolation.route(
    "DELETE",
    f"{API}/open311-clients/{{client_id}}",
    Kind.WRITE,
    plant=plant_client,
    object_param="client_id",
    model=Open311Client,
    role=ADMIN,
)
