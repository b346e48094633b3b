"""The NIP (Nomor Induk Pegawai) of a civil servant: 18 digits that say who they are.

    YYYYMMDD  birth date              19880303
    YYYYMM    appointment (TMT CPNS)  201001
    S         sex: 1 male, 2 female   1
    NNN       serial, from 001        003

A PPPK's number (NI PPPK) has the same shape but writes 21 where a PNS has the appointment
month (199203122022212004): accepted for PPPK only."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

NIP_LENGTH = 18
OLDEST_BIRTH_YEAR = 1940  # nobody born earlier is still in service
ADULT_AGE = 18
PPPK_MONTH = 21


def nip_error(nip: str, *, today: dt.date, pppk: bool = False) -> str | None:
    """Why `nip` is not a plausible NIP, in words; None when it is."""
    if len(nip) != NIP_LENGTH or not nip.isascii() or not nip.isdigit():
        return _("A NIP has exactly 18 digits.")
    birth = _birth(nip, today)
    if birth is None:
        return _("The first 8 digits of a NIP are a real birth date (YYYYMMDD).")
    year, month = int(nip[8:12]), int(nip[12:14])
    if not (1 <= month <= 12 or (pppk and month == PPPK_MONTH)):
        return _("Digits 13 and 14 of a NIP are the month of appointment (01 to 12).")
    if not _appointment_plausible(birth, year, month, today):
        return _(
            "The appointment (digits 9 to 14) must fall at least 18 years after the birth "
            "date and not in the future."
        )
    if nip[14] not in "12":
        return _("Digit 15 of a NIP is the sex: 1 or 2.")
    if nip[15:] == "000":
        return _("The last three digits of a NIP are a serial number from 001.")
    return None


def _birth(nip: str, today: dt.date) -> dt.date | None:
    try:
        birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return None
    if not OLDEST_BIRTH_YEAR <= birth.year <= today.year - ADULT_AGE:
        return None
    return birth


def _appointment_plausible(birth: dt.date, year: int, month: int, today: dt.date) -> bool:
    if month == PPPK_MONTH:  # a PPPK number has no month: its year alone is compared
        return birth.year + ADULT_AGE <= year <= today.year
    return (birth.year + ADULT_AGE, birth.month) <= (year, month) <= (today.year, today.month)
