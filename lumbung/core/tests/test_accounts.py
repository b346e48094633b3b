"""Signing up, verifying, resetting and signing in: django-allauth as configured here."""

import re

import pytest
from django.core import mail

from lumbung.core.models import AuditEvent
from lumbung.core.tenancy import dangerously_unscoped
from lumbung.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_sends_a_verification_email_and_verifying_logs_in(client):
    # when a citizen signs up
    response = client.post(
        "/accounts/signup/",
        {
            "email": "warga.baru@example.test",
            "password1": "Rahasia-12345",
            "password2": "Rahasia-12345",
        },
    )
    # then they must verify the address first
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]
    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[0].body))
    assert link, mail.outbox[0].body
    # when they follow the link
    confirmed = client.post(link.group(1))
    # then they are signed in
    assert confirmed.status_code == 302
    assert client.get("/after-login/").status_code == 302
    assert "_auth_user_id" in client.session


def test_login_by_email_and_audit(client):
    user = UserFactory.create(email="staf@example.test")

    response = client.post("/accounts/login/", {"login": "STAF@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    with dangerously_unscoped():
        assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()


def test_failed_logins_are_rate_limited_and_audited(client):
    # given an account with a verified address
    user = UserFactory.create(email="target@example.test")

    # when someone tries five wrong passwords
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong"})
    # then even the right password is refused for a while
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 429}
    # and every failure is audited, without the password
    with dangerously_unscoped():
        failed = AuditEvent.objects.filter(action="auth.login_failed")
        assert failed.count() >= 5
        assert all("wrong" not in str(e.changes) for e in failed)


def test_password_reset_sends_a_link(client):
    UserFactory.create(email="lupa@example.test")
    response = client.post("/accounts/password/reset/", {"email": "lupa@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
