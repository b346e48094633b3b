"""Memberships (who holds which role where) and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import DomainError, ErrorCode, NotFound
from ..models import ApiToken, Membership, Region, Unit, User
from ..models.people import Role
from ..permissions import forget_roles
from .audit import audit_record

TOKEN_PREFIX = "lmb_"


@transaction.atomic
def membership_grant(
    *,
    region: Region,
    actor: User | None,
    user: User,
    role: Role,
    unit: Unit | None = None,
    title: str = "",
) -> Membership:
    """Give `user` a role in `region` (idempotent: an existing membership is reactivated)."""
    if role == Role.PLATFORM_OPERATOR:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("Platform operators are appointed for the whole platform, not per region."),
            field_errors={"role": [_("Not a regional role.")]},
            status=422,
        )
    if unit is not None and unit.region_id != region.pk:
        raise NotFound()
    membership, created = Membership.objects.get_or_create(
        region=region, user=user, role=role, unit=unit, defaults={"title": title}
    )
    if created or not membership.is_active:
        membership.is_active = True
        membership.title = title or membership.title
        membership.save(update_fields=["is_active", "title"])
        audit_record(
            region=region,
            actor=actor,
            action="membership.grant",
            obj=membership,
            changes={"user": user.email, "role": role.value, "unit": unit.code if unit else None},
        )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_revoke(*, region: Region, actor: User, membership: Membership, reason: str) -> None:
    if membership.region_id != region.pk:
        raise NotFound()
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(
            region=region,
            actor=actor,
            action="membership.revoke",
            obj=membership,
            changes={"is_active": [True, False]},
            reason=reason,
        )
    forget_roles(membership.user)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """Create a bearer token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100] or "api", prefix=secret[:12], key_hash=_digest(secret)
    )
    audit_record(region=None, actor=user, action="token.issue", obj=token)
    return token, secret


def token_authenticate(secret: str) -> User | None:
    """The active user a bearer secret belongs to, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=_digest(secret)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user._lumbung_token = token  # type: ignore[attr-defined]
    return token.user


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(region=None, actor=user, action="token.revoke", obj=token)


@transaction.atomic
def user_ensure(
    *, email: str, full_name: str = "", password: str | None = None, actor: User | None = None
) -> User:
    """The user with this email, created (without a usable password unless one is given)
    if new. New staff set their password through the reset-password email.

    An existing account whose address was never confirmed may have been opened by someone
    else in anticipation of this grant: its password is voided (and the address, vouched
    for by the admin, marked confirmed), so only the address's real owner gets in, through
    "forgot password"."""
    email = email.strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name)
        _mark_email_verified(user)
        # A person belongs to no one region, so their creation goes in the platform chain.
        audit_record(
            region=None, actor=actor, action="user.create", obj=user, changes={"email": email}
        )
    elif not email_verified(user):
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _mark_email_verified(user)
        audit_record(
            region=None,
            actor=actor,
            action="user.claim",
            obj=user,
            changes={"email": email},
            reason="unconfirmed account: password voided before a role was granted",
        )
    return user


def email_verified(user: User) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def _mark_email_verified(user: User) -> None:
    # An address entered by a region admin (or the demo) is trusted as verified.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@transaction.atomic
def member_invite(
    *,
    region: Region,
    actor: User,
    email: str,
    role: Role,
    full_name: str = "",
    unit: Unit | None = None,
    title: str = "",
) -> Membership:
    """Give the person with this email a role in the region, creating their account if
    needed. One transaction: a refused grant leaves no new account behind."""
    user = user_ensure(email=email, full_name=full_name, actor=actor)
    return membership_grant(
        region=region, actor=actor, user=user, role=role, unit=unit, title=title
    )
