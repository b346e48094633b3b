"""Bearer tokens (issued for email and password, stored hashed, revocable) and the fair-share
rate limits per client, per region and platform-wide."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client, override_settings

from lumbung.core.errors import ErrorCode
from lumbung.core.models import ApiToken, AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
SAMPLE = "/api/v1/regions/{slug}/sample"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def issue_token(user) -> str:
    with dangerously_unscoped():
        _token, secret = token_issue(user=user, name="test")
    return secret


def events(action: str) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=action))


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


def test_token_of_a_deactivated_account_stops_working(client, world_a):
    # given an officer's token, and then the officer's account switched off
    officer = world_a.users[Role.OFFICER]
    secret = issue_token(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    # when the token is used
    response = client.get("/api/v1/auth/tokens", **bearer(secret))

    # then it is refused like any unknown token
    assert response.status_code == 401
    assert problem_of(response)["code"] == ErrorCode.UNAUTHENTICATED


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
