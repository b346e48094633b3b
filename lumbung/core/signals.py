"""Receivers that keep audit coverage on writes made by third-party apps (allauth)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest

from .models import User
from .services.audit import audit_record


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(region=None, actor=user, action="auth.login")


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The attempted e-mail is kept (it is needed to spot attacks); the password never is.
    with transaction.atomic():
        audit_record(
            region=None,
            actor=None,
            action="auth.login_failed",
            changes={"email": str(credentials.get("email") or credentials.get("username") or "")},
        )
