"""Personal data (UU 27/2022): validation, masking and keeping it out of logs."""

from __future__ import annotations

from typing import Any

from lokal import normalize_phone, parse_nik

# Field names whose values are personal data wherever they appear (audit diffs, exports).
PERSONAL_FIELDS = frozenset(
    {"nik", "kk", "phone", "phone_number", "address", "contact_phone", "birth_date", "npwp_owner"}
)


def mask_nik(nik: str) -> str:
    """Show no more than the last four digits, as public pages must."""
    digits = "".join(ch for ch in nik if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_text(value: str) -> str:
    if not value:
        return value
    return value[:1] + "***"


def mask_value(field: str, value: Any) -> Any:
    """Mask `value` if `field` names personal data; other values pass through."""
    if value in (None, "") or field not in PERSONAL_FIELDS:
        return value
    text = str(value)
    if field in {"nik", "kk"}:
        return mask_nik(text)
    if field in {"phone", "phone_number", "contact_phone"}:
        return mask_phone(text)
    return mask_text(text)


def validate_nik(value: str) -> str | None:
    """Return an error message for an invalid NIK, or None if it is structurally valid."""
    info = parse_nik(value)
    if info.valid:
        return None
    return info.errors[0].message if info.errors else "NIK tidak valid."


def normalise_phone(value: str) -> str | None:
    """E.164 form of an Indonesian phone number, or None if it is not one."""
    return normalize_phone(value)
