"""The shared isolation suite: every API route, page and model, with two regions.

The top half declares core's parts (and those of the test-only `sample` module, which lives
in core's tests). Every other module declares its own in its tests/test_isolation.py; the
walk below discovers them, fails on anything undeclared, and checks each declared part."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.utils import timezone
from PIL import Image

from lumbung.core.models import (
    AuditEvent,
    Membership,
    ModuleActivation,
    Notification,
    NumberSeries,
    Region,
    RegionHoliday,
    SlaOverride,
    StateLabel,
    Transition,
    Unit,
)
from lumbung.core.models.people import Role
from lumbung.core.services.audit import audit_record
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.services.notifications import notify
from lumbung.core.services.numbering import number_next
from lumbung.core.services.people import membership_grant
from lumbung.core.services.units import unit_create
from lumbung.core.services.workflow import case_start
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.isolation import (
    IsolationRegistry,
    Kind,
    Planted,
    isolation,
    lumbung_models,
    region_pages,
    region_routes,
    schema_routes,
)
from lumbung.core.testing.walk import (
    assert_no_trace,
    check_declaration,
    check_model,
    check_module_off,
    check_region_unknown,
)
from lumbung.core.tests.factories import UserFactory
from lumbung.core.tests.sample.models import SampleCase

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# ---------------------------------------------------------------------------------------
# Core's declarations


def plant_unit(region: Region, tag: str) -> Planted:
    unit = unit_create(region=region, actor=None, data={"code": tag, "name": tag, "kind": "dinas"})
    return Planted(unit.pk, (tag,))


def plant_membership(region: Region, tag: str) -> Planted:
    user = UserFactory.create(email=f"{tag}@example.test", full_name=tag)
    member = membership_grant(region=region, actor=None, user=user, role=Role.OFFICER, title=tag)
    return Planted(member.pk, (tag,))


_holiday_days = itertools.count(10)


def plant_holiday(region: Region, tag: str) -> Planted:
    # In this year, so that the calendar page (which shows the current year) lists it.
    day = dt.date(timezone.localdate().year, 1, 1) + dt.timedelta(days=next(_holiday_days) % 360)
    holiday = region_holiday_set(region=region, actor=None, date=day, name=tag)
    return Planted(holiday.pk, (tag,))


def plant_notification(region: Region, tag: str) -> Planted:
    # For the region's officer, so that the officer's own inbox is where it must show.
    officer = Membership.objects.filter(role=Role.OFFICER, is_active=True).earliest("pk").user
    note = notify(region=region, recipient=officer, kind="isolation", title=tag)
    return Planted(note.pk, (tag,))


def plant_case(region: Region, tag: str) -> Planted:
    case = SampleCase(region=region, title=tag)
    case_start(case, actor=None)
    return Planted(case.pk, (tag,))


def plant_transition(region: Region, tag: str) -> Planted:
    transition = case_start(SampleCase(region=region, title="case"), actor=None, note=tag)
    return Planted(transition.pk, (tag,))


def plant_sla_override(region: Region, tag: str) -> Planted:
    row = SlaOverride.objects.create(region=region, workflow=tag, state="received", working_days=4)
    return Planted(row.pk, (tag,))


_label_states = itertools.cycle(["received", "in_progress", "resolved", "rejected"])


def plant_state_label(region: Region, tag: str) -> Planted:
    # On a real workflow's states, so that the steps page and API list it among its steps;
    # cycling, since a region holds one name per state and the walk plants up to two.
    row = StateLabel.objects.create(
        region=region,
        workflow="sample.case",
        state=next(_label_states),
        label_id=tag,
        label_en=f"{tag}-en",
    )
    return Planted(row.pk, (tag,))


def plant_number_series(region: Region, tag: str) -> Planted:
    number_next(region, tag[:40], 1999)
    return Planted(NumberSeries.objects.get(region=region, series=tag[:40]).pk, ())


def plant_audit_event(region: Region, tag: str) -> Planted:
    event = audit_record(region=region, actor=None, action="isolation.plant", reason=tag)
    return Planted(event.pk, (tag,))


isolation.model(Unit, plant_unit)
isolation.model(Membership, plant_membership)
isolation.model(RegionHoliday, plant_holiday)
isolation.model(Notification, plant_notification)
isolation.model(Transition, plant_transition)
isolation.model(SlaOverride, plant_sla_override)
isolation.model(AuditEvent, plant_audit_event)
isolation.model(NumberSeries, plant_number_series)
isolation.model(StateLabel, plant_state_label)
isolation.model(SampleCase, plant_case)
isolation.platform_model(
    ModuleActivation,
    reason="a region's module switches: read before any region scope exists (the region "
    "wall itself) and published for every region by GET /api/v1/regions",
)

isolation.platform_route("GET", "/api/v1/regions", reason="the public list of active regions")
isolation.platform_route("POST", "/api/v1/regions", reason="a platform operator adds a region")
isolation.platform_route(
    "GET", "/api/v1/reference/regions", reason="the public Kemendagri reference list"
)
isolation.platform_route("POST", "/api/v1/auth/token", reason="exchanges credentials")
isolation.platform_route("GET", "/api/v1/auth/tokens", reason="the caller's own tokens")
isolation.platform_route(
    "DELETE", "/api/v1/auth/tokens/{token_id}", reason="revokes one of the caller's own tokens"
)
isolation.route(
    "GET", "/api/v1/regions/{region_slug}", Kind.NONE, reason="the region's public profile"
)


def _png_upload() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), "image/png")


# Core's region administration API (lumbung/core/api_admin.py).
ADMIN_API = "/api/v1/regions/{region_slug}"
ADMIN = Role.REGION_ADMIN
isolation.route("GET", f"{ADMIN_API}/units", Kind.LIST, plant=plant_unit)
isolation.route(
    "POST",
    f"{ADMIN_API}/units",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"code": "ISO-NEW", "name": "Isolation", "kind": "dinas"},
    reason="creates a unit in the caller's region",
)
isolation.route(
    "PATCH",
    f"{ADMIN_API}/units/{{unit_id}}",
    Kind.WRITE,
    plant=plant_unit,
    object_param="unit_id",
    role=ADMIN,
    model=Unit,
    body=lambda _p: {"name": "Renamed by another region"},
)
isolation.route(
    "POST",
    f"{ADMIN_API}/units/import",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"csv": "code,name,kind,parent_code\nISO-CSV,Isolation CSV,dinas,\n"},
    reason="imports units into the caller's region",
)
isolation.route("GET", f"{ADMIN_API}/members", Kind.LIST, plant=plant_membership)
isolation.route(
    "POST",
    f"{ADMIN_API}/members",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"email": "iso-member@example.test", "role": "officer"},
    reason="grants a role in the caller's region",
)
isolation.route(
    "DELETE",
    f"{ADMIN_API}/members/{{member_id}}",
    Kind.WRITE,
    plant=plant_membership,
    object_param="member_id",
    role=ADMIN,
    model=Membership,
)
isolation.route("GET", f"{ADMIN_API}/modules", Kind.NONE, reason="the region's module switches")
isolation.route(
    "POST",
    f"{ADMIN_API}/modules",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"enable": [], "disable": []},
    reason="switches the caller's region's modules",
)
isolation.route(
    "GET",
    f"{ADMIN_API}/calendar",
    Kind.NONE,
    reason="closed days (dates and names) computed from national data and the region's own",
)
isolation.route("GET", f"{ADMIN_API}/holidays", Kind.LIST, plant=plant_holiday)
isolation.route(
    "POST",
    f"{ADMIN_API}/holidays",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"date": "2026-10-10", "name": "Isolation day"},
    reason="adds a holiday to the caller's region",
)
isolation.route(
    "DELETE",
    f"{ADMIN_API}/holidays/{{holiday_id}}",
    Kind.WRITE,
    plant=plant_holiday,
    object_param="holiday_id",
    role=ADMIN,
    model=RegionHoliday,
)
isolation.route("GET", f"{ADMIN_API}/sla", Kind.LIST, plant=plant_sla_override)
isolation.route(
    "PUT",
    f"{ADMIN_API}/sla",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"workflow": "sample.case", "state": "received", "working_days": 3},
    reason="sets a deadline of the caller's region",
)
isolation.route(
    "GET",
    f"{ADMIN_API}/workflows",
    Kind.NONE,
    reason="the installed workflows' steps with the caller's region's names and deadlines",
)
isolation.route(
    "PUT",
    f"{ADMIN_API}/state-labels",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"workflow": "sample.case", "state": "received", "label_id": "Diterima"},
    reason="names a step in the caller's region",
)
isolation.route("GET", f"{ADMIN_API}/profile", Kind.NONE, reason="the region's public profile")
isolation.route(
    "PATCH",
    f"{ADMIN_API}/profile",
    Kind.NONE,
    role=ADMIN,
    body=lambda _p: {"tagline": "Isolation"},
    reason="changes the caller's region's own profile",
)
isolation.route(
    "POST",
    f"{ADMIN_API}/profile/logo",
    Kind.NONE,
    role=ADMIN,
    multipart=True,
    body=lambda _p: {"logo": _png_upload()},
    reason="replaces the caller's region's own logo",
)
isolation.route(
    "GET", f"{ADMIN_API}/audit-events", Kind.LIST, plant=plant_audit_event, role=Role.AUDITOR
)
isolation.route("GET", f"{ADMIN_API}/notifications", Kind.LIST, plant=plant_notification)
isolation.page("core:notifications", Kind.LIST, plant=plant_notification, role=Role.OFFICER)

isolation.page("portal:region", Kind.NONE, reason="the region's public home page")
isolation.page("core:dashboard", Kind.NONE, reason="counts and the latest audit events")
isolation.page("core:units", Kind.LIST, plant=plant_unit)
isolation.page("core:units-import", Kind.NONE, reason="an upload form")
isolation.page("core:members", Kind.LIST, plant=plant_membership)
isolation.page("core:modules", Kind.NONE, reason="the region's module switches")
isolation.page("core:calendar", Kind.LIST, plant=plant_holiday)
isolation.page("core:sla", Kind.LIST, plant=plant_sla_override)
isolation.page("core:profile", Kind.NONE, reason="the region's own profile form")
isolation.page("core:audit", Kind.LIST, plant=plant_audit_event)
isolation.page("core:audit-csv", Kind.LIST, plant=plant_audit_event)

# The test-only sample module, declared exactly as a real module would.
SAMPLE_API = "/api/v1/regions/{region_slug}/sample"
isolation.route("GET", f"{SAMPLE_API}/cases", Kind.LIST, plant=plant_case)
isolation.route(
    "GET", f"{SAMPLE_API}/cases/{{case_id}}", Kind.DETAIL, plant=plant_case, object_param="case_id"
)
isolation.route("GET", f"{SAMPLE_API}/count", Kind.COUNT, plant=plant_case)
isolation.page("core:sample:index", Kind.LIST, plant=plant_case, role=Role.OFFICER)
isolation.page(
    "core:sample:detail", Kind.DETAIL, plant=plant_case, object_param="pk", role=Role.OFFICER
)

# ---------------------------------------------------------------------------------------
# The walk

isolation.discover()
ROUTES = sorted(isolation.routes.values(), key=lambda d: d.key)
PAGES = sorted(isolation.pages.values(), key=lambda d: d.key)
EVERYTHING = [*ROUTES, *PAGES]
IN_MODULES = [d for d in EVERYTHING if d.module]
MODELS = sorted(isolation.planters())


def _id(declaration: object) -> str:
    return str(getattr(declaration, "key", declaration))


def test_every_api_route_is_declared_either_region_scoped_or_platform_wide():
    # given every operation of the OpenAPI schema
    routes = schema_routes()

    # then each has an isolation declaration, and the region routes are really there
    assert isolation.undeclared_routes(routes) == []
    assert len(region_routes(routes)) >= 4


def test_a_new_route_without_a_declaration_fails_the_walk():
    # given the declared routes, one of which a module forgot to declare
    forgotten = f"GET {SAMPLE_API}/count"
    partial = IsolationRegistry(
        routes={k: v for k, v in isolation.routes.items() if k != forgotten},
        platform_routes=dict(isolation.platform_routes),
    )
    keys = [*isolation.routes, *isolation.platform_routes]
    served = [(key.split(" ", 1)[0], key.split(" ", 1)[1]) for key in keys]

    # when the served routes are checked against the declarations
    undeclared = partial.undeclared_routes(served)

    # then exactly that route is reported
    assert undeclared == [forgotten]


def test_every_region_page_is_declared():
    # given every URL pattern under /<region_slug>/
    pages = region_pages()

    # then each is declared, core's and the sample module's alike
    assert isolation.undeclared_pages(pages) == []
    assert {"core:units", "core:sample:detail", "portal:region"} <= set(pages)


def test_no_declaration_names_a_route_or_page_that_no_longer_exists():
    assert isolation.stale(schema_routes(), region_pages()) == []


def test_every_model_holding_region_data_is_scoped_and_declared():
    # given every concrete model of a Lumbung app
    # then each that refers to a region is scoped (or a declared platform model) and each
    # scoped model has a planter for the walk
    assert isolation.model_problems(lumbung_models()) == []


def test_a_model_referring_to_a_region_without_the_scoped_manager_is_reported():
    # given no exemption for ModuleActivation, whose manager is Django's plain one
    registry = IsolationRegistry(models=dict(isolation.models))

    # when the models are checked
    problems = registry.model_problems([ModuleActivation, Unit])

    # then ModuleActivation is reported and the scoped Unit is not
    assert len(problems) == 1
    assert problems[0].startswith("core.moduleactivation: refers to a region")


def test_a_scoped_model_without_a_planter_is_reported():
    problems = IsolationRegistry().model_problems([Unit])

    assert problems == ["core.unit: is region-scoped but has no isolation.model(...) declaration"]


def test_the_walk_fails_when_a_marker_of_the_other_region_shows():
    # given a response that shows an object planted in region B
    response = HttpResponse("<li>iso-b-1-abcdef</li>")

    # then the leak check fails
    with pytest.raises(AssertionError, match="leaked"):
        assert_no_trace(response, [Planted(1, ("iso-b-1-abcdef",))], "a page")


@pytest.mark.parametrize("declaration", ROUTES, ids=_id)
def test_api_route_shows_region_a_nothing_of_region_b(client, world_a, world_b, declaration):
    check_declaration(client, declaration, world_a, world_b)


@pytest.mark.parametrize("declaration", PAGES, ids=_id)
def test_page_shows_region_a_nothing_of_region_b(client, world_a, world_b, declaration):
    check_declaration(client, declaration, world_a, world_b)


@pytest.mark.parametrize("label", MODELS)
def test_model_is_scoped_to_one_region(world_a, world_b, label):
    check_model(label, isolation.models[label], world_a, world_b)


@pytest.mark.parametrize("declaration", IN_MODULES, ids=_id)
def test_module_switched_off_is_404_in_that_region_only(client, world_a, world_b, declaration):
    check_module_off(client, declaration, world_a, world_b)


@pytest.mark.parametrize("declaration", EVERYTHING, ids=_id)
def test_reference_only_region_is_404(client, world_a, declaration):
    # given Kota Bekasi, which exists as reference data but is no tenant
    reference = Region.objects.get(code="32.75")
    assert not reference.is_active

    check_region_unknown(client, declaration, world_a, reference.slug, "a reference region")


@pytest.mark.parametrize("declaration", EVERYTHING, ids=_id)
def test_unknown_region_is_404(client, world_a, declaration):
    check_region_unknown(client, declaration, world_a, "atlantis", "an unknown slug")


def test_other_regions_case_under_my_slug_is_404_not_403(client, world_a, world_b):
    # given a case of Kota Tangerang and an officer of Kota Bandung
    theirs = _plant_in(world_b.region, "their-case")
    client.force_login(world_a.users[Role.OFFICER], backend=MODEL_BACKEND)

    # when the officer opens it under Kota Bandung's address
    page = client.get(f"/{world_a.region.slug}/sample/{theirs.pk}/")
    api = client.get(f"/api/v1/regions/{world_a.region.slug}/sample/cases/{theirs.pk}")

    # then both say "not found", never "forbidden", and name nothing of it
    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    assert "their-case" not in page.content.decode() + api.content.decode()


def _plant_in(region: Region, title: str) -> SampleCase:
    with region_scope(region):
        case = SampleCase(region=region, title=title)
        case_start(case, actor=None)
    return case
