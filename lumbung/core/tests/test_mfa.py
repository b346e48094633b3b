"""Staff of a region that requires it must set up TOTP before the back office opens; a
token for an account with TOTP needs the current code."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.tests.factories import PASSWORD, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_world(db):
    return make_world("32.73", modules=["sample"], staff_mfa=True)


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_staff_without_totp_are_sent_to_set_it_up(client, strict_world):
    # given an officer of a region that requires a second factor, without one
    login(client, strict_world.users[Role.OFFICER])
    # when they open the back office
    response = client.get(f"/{strict_world.region.slug}/staff/")
    # then they are sent to the TOTP set-up page
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_with_totp_reach_the_back_office(client, strict_world):
    # given the officer has activated TOTP
    TOTP.activate(strict_world.users[Role.OFFICER], "JBSWY3DPEHPK3PXP")
    login(client, strict_world.users[Role.OFFICER])
    # when they open the back office
    response = client.get(f"/{strict_world.region.slug}/staff/")
    # then it opens
    assert response.status_code == 200


def test_region_without_the_requirement_lets_staff_in(client, world_a):
    login(client, world_a.users[Role.OFFICER])
    assert client.get(f"/{world_a.region.slug}/staff/").status_code == 200


def test_token_for_a_totp_account_needs_the_code(client, strict_world):
    # given an officer with TOTP
    user = strict_world.users[Role.OFFICER]
    secret = "JBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    body = {"email": user.email, "password": PASSWORD}
    # when asking for a token without the code
    missing = client.post("/api/v1/auth/token", body, content_type="application/json")
    # then it is refused with a stable code
    assert missing.status_code == 401
    assert missing.json()["code"] == "otp_required"
    # and with the current code it is issued
    ok = client.post(
        "/api/v1/auth/token",
        {**body, "otp": _current_code(secret)},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert Authenticator.objects.filter(user=user).count() == 1
