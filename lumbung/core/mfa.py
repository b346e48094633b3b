"""Second factor for staff: TOTP through django-allauth's MFA."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from .models import Region, User
from .models.people import STAFF_ROLES
from .permissions import roles_of


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_verify(user: User, code: str) -> bool:
    """Check a TOTP code (each code is accepted once)."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return bool(authenticator and code and TOTP(authenticator).validate_code(code.strip()))


def needs_totp_setup(user: User, region: Region) -> bool:
    """Staff of a region that requires a second factor, who have not set one up yet."""
    if not region.staff_mfa_required:
        return False
    if not roles_of(user, region) & STAFF_ROLES:
        return False
    return not has_totp(user)
