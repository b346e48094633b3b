"""Verification codes: unguessable, and checkable without storing them.

A code is a random token (secrets.token_urlsafe, 96 bits) followed by the first 96 bits
of an HMAC-SHA256 of the region and the token under the instance's SECRET_KEY. Only the
token is stored, so a database copy alone does not give anyone the codes; a forged or
altered code fails the HMAC and is "unknown"; a code of one region fails under another.
SECRET_KEY_FALLBACKS are tried too, so rotating the key does not void printed permits."""

from __future__ import annotations

import base64
import hmac
import re
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

TOKEN_BYTES = 12
PART = 16  # characters of the token and of the MAC, each (12 bytes in base64url)
CODE = re.compile(r"^[A-Za-z0-9_-]{32}$")
SALT = "lumbung.permits.verification"


def _mac(region_id: int, token: str, secret: str) -> str:
    digest = salted_hmac(SALT, f"{region_id}:{token}", secret=secret, algorithm="sha256")
    return base64.urlsafe_b64encode(digest.digest()[:TOKEN_BYTES]).decode()


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def code_for(region_id: int, token: str) -> str:
    """The printed code of a stored token."""
    return token + _mac(region_id, token, settings.SECRET_KEY)


def token_of(region_id: int, code: str) -> str | None:
    """The token a genuine code of this region carries, or None for anything else."""
    if not CODE.match(code or ""):
        return None
    token, mac = code[:PART], code[PART:]
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    for secret in secrets_:
        if hmac.compare_digest(mac, _mac(region_id, token, secret)):
            return token
    return None
