"""The registry's field rules, shared by one person's form (services/registry.py) and a
million-row import: each parser takes the raw text and returns a value or raises
FieldError with the message a person can act on. The common shapes take a fast path."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils.translation import gettext as _
from lokal import wilayah

from lumbung.core.pdp import normalise_phone

NAME_MAX, ADDRESS_MAX = 150, 300
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
SEXES = {
    "l": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lk": "L",
    "m": "L",
    "male": "L",
    "pria": "L",
    "p": "P",
    "perempuan": "P",
    "pr": "P",
    "f": "P",
    "female": "P",
    "wanita": "P",
}


class FieldError(ValueError):
    """A value that cannot go in the registry; str(error) is the message for the person."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _no_control(text: str) -> str:
    # Whitespace is folded to spaces; other control characters (NUL) have no place here.
    if _CONTROL.search(text):
        raise FieldError(_("Remove the control characters."))
    return text


def clean_name(value: str) -> str:
    name = _no_control(" ".join(value.split()))
    if not name:
        raise FieldError(_("The name is required."))
    if len(name) > NAME_MAX:
        raise FieldError(_("At most %(n)d characters.") % {"n": NAME_MAX})
    return name


def name_key(name: str) -> str:
    """The name as compared for duplicates and the public lookup: case and spaces aside."""
    return " ".join(name.split()).casefold()


def clean_kk(value: str) -> str:
    if len(value) == 16 and value.isascii() and value.isdigit():
        return value
    kk = "".join(ch for ch in value if ch not in " .-")
    if kk and not (len(kk) == 16 and kk.isascii() and kk.isdigit()):
        raise FieldError(_("A family card number (KK) is 16 digits."))
    return kk


@lru_cache(maxsize=65536)  # a list holds a few tens of thousands of distinct birth dates
def parse_date(value: str) -> dt.date:
    text = value.strip()
    if " " in text:  # "1980-05-17 00:00:00" from a spreadsheet
        text = text.split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(_("Write the date as YYYY-MM-DD or DD/MM/YYYY."))


def parse_sex(value: str) -> str:
    found = SEXES.get(value.strip().lower())
    if found is None:
        raise FieldError(_("Write L (male) or P (female)."))
    return found


def parse_decile(value: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if text.endswith(".0"):  # a spreadsheet's number
        text = text[:-2]
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 10:
        raise FieldError(_("The welfare decile is a whole number from 1 to 10."))
    return int(text)


def clean_phone(value: str) -> str:
    text = value.strip()
    if not text:
        return ""
    if 10 <= len(text) <= 13 and text.startswith("08") and text.isascii() and text.isdigit():
        return "+62" + text[1:]  # what lokal's rules give a mobile number, without the cost
    phone = normalise_phone(text)
    if phone is None:
        raise FieldError(_("Enter an Indonesian phone number."))
    return phone


def clean_address(value: str) -> str:
    address = _no_control(" ".join(value.split()))
    if len(address) > ADDRESS_MAX:
        raise FieldError(_("At most %(n)d characters.") % {"n": ADDRESS_MAX})
    return address


@lru_cache(maxsize=600)
def kelurahan_codes(region_code: str) -> frozenset[str]:
    """Every kelurahan/desa code of a kabupaten/kota ("32.73.01.1001")."""
    return frozenset(
        village.code
        for kecamatan in wilayah.list_wilayah(region_code)
        for village in wilayah.list_wilayah(kecamatan.code)
    )


def clean_kelurahan(value: str, region_code: str) -> str:
    """A kelurahan/desa of the region, dotted; a province's are those of its kabupaten/kota."""
    text = value.strip()
    if not text:
        return ""
    code = text if "." in text else wilayah.normalize_wilayah_code(text)
    if "." in region_code:
        known = code in kelurahan_codes(region_code)
    else:
        known = code.startswith(region_code + ".") and code.count(".") == 3
        known = known and wilayah.wilayah_name(code) is not None
    if not known:
        raise FieldError(_("Not a kelurahan/desa code of this region."))
    return code
