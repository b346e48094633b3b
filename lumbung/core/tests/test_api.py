"""The API contract: problem details, the region list, bearer tokens, rate limits, health,
and the OpenAPI document."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory, override_settings
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
from lumbung.core.models import ApiToken, AuditEvent, Region
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.services.regions import region_add
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SAMPLE = "/api/v1/regions/{slug}/sample"


def problem_of(response) -> dict:
    """The response's problem document, after checking it has every promised member."""
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(body)
    assert body["status"] == response.status_code
    assert body["type"] == f"urn:lumbung:problem:{body['code']}"
    assert isinstance(body["errors"], dict)
    return body


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def issue_token(user) -> str:
    with dangerously_unscoped():
        _token, secret = token_issue(user=user, name="test")
    return secret


def events(action: str) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action))


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


# Bearer tokens ---------------------------------------------------------------------------


def test_good_credentials_get_a_token_whose_secret_is_never_stored(client, world_a):
    # given an officer with a password
    officer = world_a.users[Role.OFFICER]

    # when they exchange email and password for a token
    response = client.post(
        "/api/v1/auth/token",
        {"email": officer.email.upper(), "password": PASSWORD, "name": "laptop"},
        content_type="application/json",
    )

    # then the secret is shown once, and only its SHA-256 is kept
    assert response.status_code == 201
    secret = response.json()["token"]
    assert secret.startswith("lmb_")
    assert response.json()["token_type"] == "Bearer"
    token = ApiToken.objects.get(user=officer)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(list(ApiToken.objects.values()), default=str)
    assert secret not in stored
    with dangerously_unscoped():
        logged = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert secret not in logged
    assert [e.actor_id for e in events("token.issue")] == [officer.pk]


@pytest.mark.parametrize(
    "email", ["officer@kota-bandung.test", "nobody@kota-bandung.test"], ids=["bad-pw", "no-one"]
)
def test_bad_credentials_get_401_and_no_token(client, world_a, email):
    response = client.post(
        "/api/v1/auth/token",
        {"email": email, "password": "wrong-password"},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert problem_of(response)["code"] == ErrorCode.INVALID_CREDENTIALS
    assert not ApiToken.objects.exists()


def test_bearer_token_signs_in_on_api_routes(client, world_a):
    # given a token of an officer
    officer = world_a.users[Role.OFFICER]
    secret = issue_token(officer)

    # when it is sent as a bearer token, without any session
    tokens = client.get("/api/v1/auth/tokens", **bearer(secret))
    cases = client.get(SAMPLE.format(slug="kota-bandung") + "/cases", **bearer(secret))

    # then the officer is signed in; the listing shows the prefix, never the secret
    assert tokens.status_code == 200
    assert [t["prefix"] for t in tokens.json()] == [secret[:12]]
    assert secret not in tokens.content.decode()
    assert cases.status_code == 200


@pytest.mark.parametrize("secret", ["lmb_made-up", "not-even-ours", ""])
def test_unknown_bearer_token_is_401(client, db, secret):
    response = client.get("/api/v1/auth/tokens", **bearer(secret))

    assert response.status_code == 401
    assert problem_of(response)["code"] == ErrorCode.UNAUTHENTICATED


def test_revoked_token_is_refused_with_a_challenge(client, world_a):
    # given an officer's token
    officer = world_a.users[Role.OFFICER]
    secret = issue_token(officer)
    token = ApiToken.objects.get(user=officer)

    # when the officer revokes it with itself
    revoked = client.delete(f"/api/v1/auth/tokens/{token.pk}", **bearer(secret))

    # then it is revoked (and audited), and no longer opens anything
    assert revoked.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [e.object_id for e in events("token.revoke")] == [str(token.pk)]
    after = client.get("/api/v1/auth/tokens", **bearer(secret))
    assert after.status_code == 401
    assert after["WWW-Authenticate"].startswith("Bearer")


def test_nobody_revokes_another_persons_token(client, world_a):
    # given the officer's token and the auditor's
    mine = issue_token(world_a.users[Role.AUDITOR])
    theirs = issue_token(world_a.users[Role.OFFICER])
    their_token = ApiToken.objects.get(user=world_a.users[Role.OFFICER])

    # when the auditor tries to revoke the officer's token
    response = client.delete(f"/api/v1/auth/tokens/{their_token.pk}", **bearer(mine))

    # then it is "not found", and the officer's token still works
    assert response.status_code == 404
    assert problem_of(response)["code"] == ErrorCode.NOT_FOUND
    assert client.get("/api/v1/auth/tokens", **bearer(theirs)).status_code == 200
    assert events("token.revoke") == []


# Rate limits -------------------------------------------------------------------------------


def limits(client: str = "1000/m", region: str = "1000/m", global_: str = "1000/m") -> dict:
    return {"LUMBUNG_RATE_LIMITS": {"client": client, "region": region, "global": global_}}


def test_client_over_its_limit_gets_429_with_retry_after(client, db):
    with override_settings(**limits(client="2/m")):
        # given a client that used its two requests this minute
        assert client.get("/api/v1/regions").status_code == 200
        assert client.get("/api/v1/regions").status_code == 200

        # when it asks again
        response = client.get("/api/v1/regions")

    # then it is told to wait, in whole seconds, within the window
    assert response.status_code == 429
    assert problem_of(response)["code"] == ErrorCode.RATE_LIMITED
    assert 1 <= int(response["Retry-After"]) <= 60


def test_limits_are_per_client(client, world_a):
    # given an anonymous client that used up its limit
    with override_settings(**limits(client="1/m")):
        client.get("/api/v1/regions")
        assert client.get("/api/v1/regions").status_code == 429

        # when a signed-in officer calls
        other = Client()
        other.force_login(world_a.users[Role.OFFICER], backend=MODEL_BACKEND)
        response = other.get("/api/v1/regions")

    # then the officer is counted apart
    assert response.status_code == 200


def test_busy_region_does_not_use_up_another_regions_share(client, world_a, world_b):
    # given an officer who used up Kota Bandung's share of the API
    client.force_login(world_a.users[Role.OFFICER], backend=MODEL_BACKEND)
    bandung = SAMPLE.format(slug="kota-bandung") + "/count"
    tangerang = SAMPLE.format(slug="kota-tangerang") + "/count"
    with override_settings(**limits(region="2/m")):
        assert client.get(bandung).status_code == 200
        assert client.get(bandung).status_code == 200
        refused = client.get(bandung)

        # when the same client calls Kota Tangerang
        served = client.get(tangerang)

    # then Bandung is throttled and Tangerang is not
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert served.status_code == 200


def test_platform_wide_limit_caps_everyone(client, world_a):
    with override_settings(**limits(global_="2/m")):
        client.get("/api/v1/regions")
        Client().get("/api/v1/regions/kota-bandung")
        response = Client().get("/api/v1/regions")

    assert response.status_code == 429


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
