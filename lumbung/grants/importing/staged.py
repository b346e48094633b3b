"""A valid row of a recipient list, as the staging table takes it (its own module: both
the full check and its fast path make them)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Staged(NamedTuple):
    """A valid row as the staging table takes it."""

    row: int
    nik: str
    kk: str
    name: str
    birth_date: dt.date
    sex: str
    address: str
    kelurahan_code: str
    phone: str
    welfare_decile: int | None
