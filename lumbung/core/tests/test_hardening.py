"""Holes an independent review found, each kept shut by a test."""

import datetime as dt
import secrets
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings

from lumbung.core.errors import DomainError
from lumbung.core.models import Membership, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import member_invite
from lumbung.core.services.workflow import case_start, case_transition
from lumbung.core.tasks import case_escalate
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import PASSWORD, UserFactory
from lumbung.core.tests.sample.models import SampleCase

pytestmark = pytest.mark.django_db


def _unconfirmed(email: str) -> User:
    user = UserFactory.create(email=email, confirmed=False)
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


def test_an_unconfirmed_account_gets_no_api_token(client):
    _unconfirmed("belum@example.test")
    response = client.post(
        "/api/v1/auth/token",
        {"email": "belum@example.test", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "email_unverified"


def test_granting_a_role_voids_the_password_of_an_unconfirmed_account(world_a):
    # given someone opened an account for an official's address and never confirmed it
    squatter = _unconfirmed("kabid@kota-bandung.test")
    assert squatter.check_password(PASSWORD)
    # when the region admin grants that address a role
    with region_scope(world_a.region):
        member_invite(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            email="kabid@kota-bandung.test",
            role=Role.OFFICER,
        )
    # then the squatter's password no longer works; the owner resets it by email
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    assert EmailAddress.objects.get(user=squatter).verified


def test_a_refused_grant_leaves_no_new_account(world_a):
    with region_scope(world_a.region), pytest.raises(DomainError):
        member_invite(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            email="operator-wannabe@example.test",
            role=Role.PLATFORM_OPERATOR,
        )
    assert not User.objects.filter(email="operator-wannabe@example.test").exists()
    with region_scope(world_a.region):
        assert not Membership.objects.filter(user__email="operator-wannabe@example.test").exists()


def test_made_up_tokens_do_not_buy_fresh_allowances(client, db):
    limits = {"client": "100/m", "address": "3/m", "region": "100/m", "global": "100/m"}
    with override_settings(LUMBUNG_RATE_LIMITS=limits):
        statuses = [
            Client()
            .get("/api/v1/regions", HTTP_AUTHORIZATION=f"Bearer lmb_{secrets.token_hex(8)}")
            .status_code
            for _ in range(5)
        ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_token_guessing_is_limited_per_account(client, db):
    UserFactory.create(email="sasaran@example.test")
    body = {"email": "sasaran@example.test", "password": "salah"}
    codes = [
        client.post("/api/v1/auth/token", body, content_type="application/json").status_code
        for _ in range(7)
    ]
    assert codes[:5] == [401] * 5
    assert 429 in codes[5:]


def test_escalation_skips_a_case_that_moved_on(world_a):
    # given an overdue case read into the escalation's list
    region = world_a.region
    with region_scope(region):
        start = dt.datetime(2026, 1, 5, 2, tzinfo=dt.UTC)
        with mock.patch("django.utils.timezone.now", return_value=start):
            case = SampleCase(region=region, title="lama")
            case_start(case, actor=None)
        stale = SampleCase.objects.get(pk=case.pk)
        # when an officer rejects it before the escalation gets to it
        case_transition(
            region=region,
            actor=world_a.users[Role.OFFICER],
            case=case,
            action="reject",
            note="bukan pengaduan",
        )
        # then escalating the stale copy does nothing
        assert case_escalate(region=region, case=stale) is False
        assert SampleCase.objects.get(pk=case.pk).escalation_level == 0
