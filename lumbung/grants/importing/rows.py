"""Checking a recipient list row by row: the header, every field, the NIK's facts against
the birth date and sex, and duplicates within the file (same NIK, or same name, birth
date and kelurahan). Valid rows come out as tuples ready for the staging table.

Columns (header names in English or Indonesian, any case, spaces or underscores):
nik (required), name/nama (required), kk/no_kk, birth_date/tanggal_lahir, sex/
jenis_kelamin (L/P; both default to what the NIK says), address/alamat, kelurahan_code/
kode_kelurahan/kode_desa, phone/telepon/no_hp, welfare_decile/desil. Others are ignored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from ..nik import NikChecker, matches
from . import fields as f
from .fast import FastPath
from .readers import NUMBER_AS_TEXT
from .staged import Staged

ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_nik", "nomor_nik", "nomor_induk_kependudukan"),
    "kk": ("kk", "no_kk", "nomor_kk", "nkk", "nomor_kartu_keluarga"),
    "name": ("name", "nama", "nama_lengkap", "full_name"),
    "birth_date": ("birth_date", "tanggal_lahir", "tgl_lahir", "date_of_birth"),
    "sex": ("sex", "jenis_kelamin", "jk", "gender", "kelamin"),
    "address": ("address", "alamat", "alamat_lengkap"),
    "kelurahan_code": ("kelurahan_code", "kode_kelurahan", "kode_desa", "kelurahan", "desa"),
    "phone": ("phone", "telepon", "no_telepon", "no_hp", "nomor_hp", "hp", "telp"),
    "welfare_decile": ("welfare_decile", "desil", "desil_kesejahteraan", "decile"),
}
COLUMNS = tuple(ALIASES)
REQUIRED = ("nik", "name")
_BY_ALIAS = {alias: column for column, names in ALIASES.items() for alias in names}
_HEADER_NOISE = re.compile(r"[\s\-./]+")


class RowError(NamedTuple):
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    value: str
    message: str


class HeaderError(ValueError):
    pass


def header_map(header: list[str]) -> dict[str, int]:
    """{column: position} from the file's header row; HeaderError names what is wrong."""
    found: dict[str, int] = {}
    for position, raw in enumerate(header):
        key = _HEADER_NOISE.sub("_", str(raw or "").strip().lower()).strip("_")
        column = _BY_ALIAS.get(key)
        if column is None:
            continue
        if column in found:
            raise HeaderError(_("Two columns mean %(column)s.") % {"column": column})
        found[column] = position
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise HeaderError(
            _("The header has no %(columns)s column.") % {"columns": ", ".join(missing)}
        )
    return found


@dataclass
class RowChecker:
    """Checks rows in file order; remembers each NIK and identity it has seen."""

    region_code: str
    positions: dict[str, int]
    nik: NikChecker
    errors: list[RowError] = field(default_factory=list)
    error_rows: int = 0
    _niks: dict[int, int] = field(default_factory=dict)  # NIK as a number: half the memory
    _people: dict[int, int] = field(default_factory=dict)  # hash of the identity
    _row_start: int = 0

    def __post_init__(self) -> None:
        self._fast = FastPath(self.region_code, self.positions, self.nik)

    def check(self, row: int, cells: list[str]) -> Staged | None:
        """The staged row, or None (its errors appended to `errors`)."""
        staged = self._fast.check(row, cells)
        if staged is not None:
            return self._unique_fast(staged, cells)
        return self.check_slow(row, cells)

    def check_slow(self, row: int, cells: list[str]) -> Staged | None:
        """Every rule, naming each problem: the rows the fast path leaves."""
        before = self._row_start = len(self.errors)
        values = self._values(row, cells)
        staged = self._fields(row, values)
        if staged is not None:
            staged = self._unique(staged, values)
        if len(self.errors) > before:
            self.error_rows += 1
            return None
        return staged

    def _values(self, row: int, cells: list[str]) -> dict[str, str]:
        size = len(cells)
        values = {c: (cells[i] if i < size else "") for c, i in self.positions.items()}
        for column in ("nik", "kk"):
            if values.get(column, "").startswith(NUMBER_AS_TEXT):
                values[column] = values[column][len(NUMBER_AS_TEXT) :]
                self._error(row, column, values[column], _NUMBER_MESSAGE())
                values[column] = ""
        return values

    def _fields(self, row: int, values: dict[str, str]) -> Staged | None:
        # Written out field by field: this runs a million times per list.
        before = len(self.errors)
        get = values.get
        nik_text = values["nik"].strip()
        info = self.nik.parse_fast(nik_text)
        if info is None and not any(e.column == "nik" for e in self.errors[self._row_start :]):
            self._error(row, "nik", nik_text, self.nik.error(nik_text))
        name = self._parse(row, "name", values["name"], f.clean_name, "")
        kk = self._parse(row, "kk", get("kk", ""), f.clean_kk, "")
        birth = self._parse(row, "birth_date", get("birth_date", ""), f.parse_date, None)
        sex = self._parse(row, "sex", get("sex", ""), f.parse_sex, "")
        address = self._parse(row, "address", get("address", ""), f.clean_address, "")
        phone = self._parse(row, "phone", get("phone", ""), f.clean_phone, "")
        decile = self._parse(row, "welfare_decile", get("welfare_decile", ""), f.parse_decile, None)
        kelurahan = self._parse(row, "kelurahan_code", get("kelurahan_code", ""), self._kel, "")
        if info is None or len(self.errors) > before:
            return None
        today = self.nik.today
        if birth is not None and (problem := matches(info, birth, None, today)):
            self._error(row, "birth_date", values["birth_date"], problem)
        if sex and sex != info.sex:
            self._error(row, "sex", values["sex"], matches(info, None, sex, today))
        if len(self.errors) > before:
            return None
        return Staged(
            row,
            info.nik,
            kk,
            name,
            birth or info.birth_date,
            sex or info.sex,
            address,
            kelurahan,
            phone,
            decile,
        )

    def _kel(self, text: str) -> str:
        return f.clean_kelurahan(text, self.region_code)

    def _parse(self, row: int, column: str, text: str, parse: Any, blank: Any) -> Any:
        if not text and column != "name":
            return blank
        try:
            return parse(text)
        except f.FieldError as error:
            self._error(row, column, text, str(error))
            return blank

    def _unique(self, staged: Staged, values: dict[str, str]) -> Staged | None:
        first = self._niks.setdefault(int(staged.nik), staged.row)
        if first != staged.row:
            message = _("The same NIK as row %(row)d.") % {"row": first}
            self._error(staged.row, "nik", staged.nik, message)
            return None
        identity = hash((f.name_key(staged.name), staged.birth_date, staged.kelurahan_code))
        first = self._people.setdefault(identity, staged.row)
        if first != staged.row:
            message = _(
                "The same name, birth date and kelurahan as row %(row)d, with another NIK."
            ) % {"row": first}
            self._error(staged.row, "name", values["name"], message)
            return None
        return staged

    def _unique_fast(self, staged: Staged, cells: list[str]) -> Staged | None:
        # The fast path's name is already folded, so its key is name.casefold().
        if self._niks.setdefault(int(staged.nik), staged.row) == staged.row and (
            self._people.setdefault(
                hash((staged.name.casefold(), staged.birth_date, staged.kelurahan_code)),
                staged.row,
            )
            == staged.row
        ):
            return staged
        # A repeat: undo nothing (setdefault kept the first row) and let the full check
        # name it.
        return self.check_slow(staged.row, cells)

    def _error(self, row: int, column: str, value: str, message: str) -> None:
        self.errors.append(RowError(row, column, value, message))


def _NUMBER_MESSAGE() -> str:  # noqa: N802 - a message, looked up in the reader's language
    return _("Store the number as text: a spreadsheet number keeps only 15 digits.")
