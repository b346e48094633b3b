"""The fast path of the row check: a row written the way almost every row of a real list
is (a clean 16-digit NIK, the date as YYYY-MM-DD or as the region writes it, L/P, a
kelurahan code of the region, a mobile number as 08…) is accepted here with a handful of
string tests and dictionary lookups, and comes out exactly as the full check
(rows.RowChecker.check_slow) would stage it. Anything else, or anything wrong, returns
None and the full check runs, which names every problem. So this path may refuse too much
but never accepts what the full check would refuse (tests/test_imports.py compares them)."""

from __future__ import annotations

import datetime as dt

from ..nik import NikChecker
from . import fields as f
from .staged import Staged

_new = tuple.__new__

_DECILES: dict[str, int | None] = {str(n): n for n in range(1, 11)}
_DECILES[""] = None
_PHONE_LENGTHS = frozenset(range(10, 14))
NAME_MAX, ADDRESS_MAX = f.NAME_MAX, f.ADDRESS_MAX


class FastPath:
    """The common shapes of one file's rows, with the lookups built once per import."""

    def __init__(self, region_code: str, positions: dict[str, int], nik: NikChecker) -> None:
        self.today = nik.today
        self.codes = nik.codes
        # {DDMMYY of a NIK: (birth date, sex, the date as YYYY-MM-DD)}: most lists write
        # the NIK's own date, and a string comparison settles it.
        self.births = {key: (d, sex, d.isoformat()) for key, (d, sex) in nik.births.items()}
        # A province's villages are checked one by one (rare): only a kabupaten/kota's set.
        self.villages = f.kelurahan_codes(region_code) if "." in region_code else None
        self.dates: dict[str, dt.date | None] = {}
        get = positions.get
        self.at = tuple(
            get(column, -1)
            for column in (
                "nik",
                "kk",
                "name",
                "birth_date",
                "sex",
                "address",
                "kelurahan_code",
                "phone",
                "welfare_decile",
            )
        )
        self.width = max(self.at) + 1

    def check(self, row: int, cells: list[str]) -> Staged | None:
        """The row as the full check would stage it, or None: let the full check decide."""
        if len(cells) < self.width:
            return None
        p_nik, p_kk, p_name, p_birth, p_sex, p_address, p_kel, p_phone, p_decile = self.at
        nik = cells[p_nik]
        if len(nik) != 16 or not nik.isdigit() or not nik.isascii():
            return None
        if nik[:4] not in self.codes or nik[4:6] == "00" or nik[12:] == "0000":
            return None
        found = self.births.get(nik[6:12])
        if found is None:
            return None
        name = cells[p_name]
        if not (
            name
            and len(name) <= NAME_MAX
            and name.isprintable()  # no control characters, no tab or newline
            and "  " not in name
            and name[0] != " "
            and name[-1] != " "
        ):
            return None  # clean_name would change it, or refuse it
        kk = cells[p_kk] if p_kk >= 0 else ""
        if kk and (len(kk) != 16 or not kk.isdigit() or not kk.isascii()):
            return None
        birth, sex, iso = found
        if p_birth >= 0 and (text := cells[p_birth]) and text != iso:
            given = self._date(text)
            if given is None or not self._same_day(given, birth):
                return None
            birth = given
        if p_sex >= 0 and (text := cells[p_sex]) and text != sex:
            return None
        address = cells[p_address] if p_address >= 0 else ""
        if address and not (
            len(address) <= ADDRESS_MAX
            and address.isprintable()
            and "  " not in address
            and address[0] != " "
            and address[-1] != " "
        ):
            return None
        kelurahan = cells[p_kel] if p_kel >= 0 else ""
        if kelurahan and (self.villages is None or kelurahan not in self.villages):
            return None
        phone = cells[p_phone] if p_phone >= 0 else ""
        if phone:
            if not (
                len(phone) in _PHONE_LENGTHS
                and phone.startswith("08")
                and phone.isdigit()
                and phone.isascii()
            ):
                return None
            phone = "+62" + phone[1:]
        text = cells[p_decile] if p_decile >= 0 else ""
        if text not in _DECILES:
            return None
        values = (row, nik, kk, name, birth, sex, address, kelurahan, phone, _DECILES[text])
        return _new(Staged, values)  # NamedTuple's own __new__ costs a Python call

    def _date(self, text: str) -> dt.date | None:
        # A list holds a few tens of thousands of distinct dates: parse each once.
        try:
            return self.dates[text]
        except KeyError:
            pass
        try:
            value: dt.date | None = f.parse_date(text)
        except f.FieldError:
            value = None
        if len(self.dates) < 200_000:
            self.dates[text] = value
        return value

    def _same_day(self, given: dt.date, inferred: dt.date) -> bool:
        """The NIK's day in the date as written (which settles the century), not later than
        today: what nik.matches accepts."""
        return (
            given <= self.today
            and given.day == inferred.day
            and given.month == inferred.month
            and given.year % 100 == inferred.year % 100
        )
