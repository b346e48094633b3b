"""The API contract: RFC 9457 problem details for every kind of error, the public region
list and detail, health probes and the OpenAPI document. Tokens and rate limits are in
test_api_auth.py."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from ninja.errors import HttpError

from lumbung.api.api import api
from lumbung.core.errors import (
    Conflict,
    DomainError,
    ErrorCode,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_add
from lumbung.core.testing.problems import problem_of

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


# Problem details ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions/atlantis",
        "/api/v1/regions/kota-bekasi",  # reference data, not a tenant
        "/api/v1/regions/kota-bandung/sample/cases/999999",
        "/api/v1/regions/kota-bandung/sample/no-such-route",
        "/api/v1/no-such-route",
    ],
)
def test_not_found_is_a_problem_document(client, world_a, path):
    # given an officer of Kota Bandung
    client.force_login(world_a.users[Role.OFFICER], backend=MODEL_BACKEND)

    # when they ask for something that is not there
    response = client.get(path)

    # then it is a 404 problem with the stable code
    assert response.status_code == 404
    assert problem_of(response)["code"] == ErrorCode.NOT_FOUND


def test_problem_names_the_request_it_answers(client, db):
    response = client.get("/api/v1/regions/atlantis", HTTP_X_REQUEST_ID="req-42")

    body = problem_of(response)
    assert body["instance"] == "/api/v1/regions/atlantis"
    assert body["request_id"] == "req-42"
    assert response["X-Request-ID"] == "req-42"


@pytest.mark.parametrize("incoming", ["two words", "x" * 65, "<script>", "a\u00e9"])
def test_unsafe_request_id_from_outside_is_replaced(client, db, incoming):
    response = client.get("/api/v1/regions/atlantis", HTTP_X_REQUEST_ID=incoming)

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert problem_of(response)["request_id"] == response["X-Request-ID"]


def test_anonymous_call_to_a_signed_in_route_is_401_with_challenge(client, db):
    response = client.get("/api/v1/auth/tokens")

    assert response.status_code == 401
    assert problem_of(response)["code"] == ErrorCode.UNAUTHENTICATED
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_write_without_csrf_token_is_403_problem(world_a):
    # given a browser session that does not send the CSRF token
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world_a.users[Role.OFFICER], backend=MODEL_BACKEND)

    # when it tries to revoke a token
    response = browser.delete("/api/v1/auth/tokens/1")

    # then the API refuses with a permission problem
    assert response.status_code == 403
    assert problem_of(response)["code"] == ErrorCode.PERMISSION_DENIED


def test_invalid_body_is_422_with_an_error_per_field(client, db):
    # given a token request with a too-short email and an empty password
    response = client.post(
        "/api/v1/auth/token",
        {"email": "x", "password": ""},
        content_type="application/json",
    )

    # then each bad field has its own message
    assert response.status_code == 422
    body = problem_of(response)
    assert body["code"] == ErrorCode.VALIDATION
    assert set(body["errors"]) == {"email", "password"}
    assert all(isinstance(m, str) and m for ms in body["errors"].values() for m in ms)


def test_invalid_query_parameter_is_422_naming_it(client, db):
    response = client.get("/api/v1/regions", {"page_size": 0})

    assert response.status_code == 422
    assert list(problem_of(response)["errors"]) == ["page_size"]


def test_unparseable_body_is_a_problem(client, db):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert problem_of(response)["code"] == ErrorCode.VALIDATION


def test_wrong_method_is_405_problem_with_allow(client, db):
    response = client.put("/api/v1/auth/token", "{}", content_type="application/json")

    assert response.status_code == 405
    assert problem_of(response)["code"] == ErrorCode.METHOD_NOT_ALLOWED
    assert response["Allow"] == "POST"


@pytest.mark.parametrize(
    ("error", "status", "code", "errors"),
    [
        (Conflict(ErrorCode.CONCURRENT_UPDATE, "changed"), 409, "concurrent_update", {}),
        (
            DomainError(ErrorCode.INVALID_TRANSITION, "not now", status=409),
            409,
            "invalid_transition",
            {},
        ),
        (HttpError(409, "clash"), 409, "conflict", {}),
        (PermissionDenied(), 403, "permission_denied", {}),
        (DjangoPermissionDenied(), 403, "permission_denied", {}),
        (NotFound(), 404, "not_found", {}),
        (Http404(), 404, "not_found", {}),
        (
            ValidationFailed({"name": ["This field is required."]}),
            422,
            "validation_error",
            {"name": ["This field is required."]},
        ),
        (DomainError(ErrorCode.UNIT_CYCLE, "loop", status=422), 422, "unit_cycle", {}),
    ],
    ids=lambda v: v if isinstance(v, str | int) else type(v).__name__,
)
def test_domain_and_framework_errors_share_one_shape(error, status, code, errors):
    # given an error raised by a service or by the framework inside an API handler
    request = RequestFactory().get("/api/v1/regions/kota-bandung/sample/cases/1")

    # when the API turns it into a response
    response = api.on_exception(request, error)

    # then it is the same problem document, with the error's own code and fields
    assert response.status_code == status
    body = problem_of(response)
    assert body["code"] == code
    assert body["errors"] == errors


def test_unexpected_error_is_500_problem_that_hides_the_cause():
    request = RequestFactory().get("/api/v1/regions")

    response = api.on_exception(request, RuntimeError("password=hunter2 in the traceback"))

    assert response.status_code == 500
    assert problem_of(response)["code"] == ErrorCode.SERVER_ERROR
    assert b"hunter2" not in response.content


# Regions --------------------------------------------------------------------------------


def test_region_list_shows_active_regions_with_their_modules(client, world_a, world_b):
    # given two regions with the sample module and one with none; Bekasi is reference only
    region_add(code="36.04", actor=None, modules=[])

    # when anyone lists the regions
    response = client.get("/api/v1/regions")

    # then exactly the three tenants appear, each with its modules
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_slug = {r["slug"]: r for r in body["items"]}
    assert set(by_slug) == {"kota-bandung", "kota-tangerang", "kabupaten-serang"}
    assert by_slug["kota-bandung"]["modules"] == ["sample"]
    assert by_slug["kabupaten-serang"]["modules"] == []
    assert by_slug["kota-tangerang"]["parent"]["slug"] == "banten"


def test_region_list_never_serves_more_than_100_per_page(client, db):
    # given 120 active regions
    codes = list(Region.objects.exclude(type="provinsi").values_list("code", flat=True)[:120])
    Region.objects.filter(code__in=codes).update(is_active=True)

    # when a client asks for 500 at once, and then for the second page of 100
    first = client.get("/api/v1/regions", {"page_size": 500}).json()
    second = client.get("/api/v1/regions", {"page_size": 100, "page": 2}).json()

    # then a page holds at most 100, and the count is the whole list
    assert len(first["items"]) == 100
    assert first["count"] == 120
    assert len(second["items"]) == 20


def test_region_list_default_page_is_50(client, db):
    codes = list(Region.objects.exclude(type="provinsi").values_list("code", flat=True)[:60])
    Region.objects.filter(code__in=codes).update(is_active=True)

    assert len(client.get("/api/v1/regions").json()["items"]) == 50


def test_region_detail_shows_profile_and_only_active_children(client, world_b):
    # given the province Banten active, with Kota Tangerang active and its others not
    region_add(code="36", actor=None, modules=[])

    # when its detail is read
    response = client.get("/api/v1/regions/banten")

    # then it names only the children that are tenants
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "provinsi"
    assert [c["slug"] for c in body["children"]] == ["kota-tangerang"]
    assert body["modules"] == []


# Health and documentation -------------------------------------------------------------------


def test_healthz_says_the_process_is_alive(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_migrations(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pending_migrations": 0}


def test_openapi_document_lists_every_route_with_region_slug_in_the_path(client, db):
    # when the OpenAPI document is fetched
    response = client.get("/api/v1/openapi.json")

    # then it lists core's and the modules' routes, and a module route takes the region
    # from its path (never as a query parameter)
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/regions", "/api/v1/auth/token"} <= set(paths)
    cases = paths["/api/v1/regions/{region_slug}/sample/cases"]["get"]["parameters"]
    assert {"name": "region_slug", "in": "path"}.items() <= next(
        p for p in cases if p["name"] == "region_slug"
    ).items()


def test_api_docs_page_is_served(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()
