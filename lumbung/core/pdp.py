"""Personal data (UU 27/2022): validation, masking and keeping it out of logs."""

from __future__ import annotations

from typing import Any

from lokal import normalize_phone, parse_nik

# Parts of field names that mark personal data wherever they appear (audit diffs, exports):
# `applicant_nik`, `reporter.phone` and `alamat_rumah` are all caught, not only `nik`.
_ID_PARTS = frozenset({"nik", "kk", "nkk"})
_PHONE_PARTS = frozenset({"phone", "hp", "telepon", "whatsapp", "wa", "mobile"})
_TEXT_PARTS = frozenset({"address", "alamat", "birth", "lahir", "rt", "rw"})


def personal_kind(field: str) -> str | None:
    """'id', 'phone' or 'text' if the field name marks personal data, else None."""
    parts = set(field.lower().replace(".", "_").split("_"))
    if parts & _ID_PARTS:
        return "id"
    if parts & _PHONE_PARTS:
        return "phone"
    if parts & _TEXT_PARTS:
        return "text"
    return None


def mask_nik(nik: str) -> str:
    """Show no more than the last four digits, as public pages must."""
    digits = "".join(ch for ch in nik if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_phone(phone: str) -> str:
    """Keep the operator prefix and the last two digits of a full number; less otherwise."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) <= 8:
        return "*" * (len(digits) - 2) + digits[-2:] if len(digits) > 2 else "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 6) + digits[-2:]


def mask_text(value: str) -> str:
    if not value:
        return value
    return value[:1] + "***"


def mask_value(field: str, value: Any) -> Any:
    """Mask `value` if `field` names personal data; other values pass through."""
    kind = personal_kind(field)
    if value in (None, "") or kind is None:
        return value
    text = str(value)
    if kind == "id":
        return mask_nik(text)
    if kind == "phone":
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
