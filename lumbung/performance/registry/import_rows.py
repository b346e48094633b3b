"""Reading a staff file into rows: the header, each cell parsed and checked on its own
(NIP, grade, dates, NIK, employment type). What needs the whole file or the registry (units,
supervisors, duplicates, cycles) is checked in import_check.py."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from lumbung.grants.importing.readers import (
    NUMBER_AS_TEXT,
    FileError,
    csv_rows,
    kind_of,
    xlsx_rows,
)

from ..models import EmploymentType
from .nip import nip_error
from .rules import grade_error, nik_error

REQUIRED = ("nip", "name", "unit_code", "position", "job_grade", "employment_type", "active_from")
OPTIONAL = ("supervisor_nip", "active_to", "effective_date", "email", "nik")
COLUMNS = (*REQUIRED, *OPTIONAL)
MAX_ROWS = 50_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
Bad = Callable[[str, str], None]


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.column, "message": self.message}


@dataclass
class Row:
    """One line of the file, parsed; `present` names the optional columns the file has."""

    line: int
    nip: str
    name: str
    unit_code: str
    position: str
    job_grade: int
    employment_type: str
    active_from: dt.date
    supervisor_nip: str = ""
    active_to: dt.date | None = None
    effective: dt.date | None = None
    email: str = ""
    nik: str = ""
    present: frozenset[str] = field(default_factory=frozenset)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0
    failed_nips: set[str] = field(default_factory=set)  # NIPs of rows with problems


def parse_file(raw: IO[bytes], filename: str, today: dt.date) -> Parsed:
    """Every row of a CSV or XLSX staff file, with the problems of each cell."""
    parsed = Parsed()
    try:
        lines = _lines(raw, filename)
        header = [_column(h) for h in next(lines, [])]
        if not _header_ok(header, parsed):
            return parsed
        for number, cells in enumerate(lines, start=2):
            if not any(c.strip() for c in cells):
                continue
            parsed.total += 1
            if parsed.total > MAX_ROWS:
                parsed.problems.append(Problem(number, "", _too_many()))
                return parsed
            _parse_row(number, dict(zip(header, cells, strict=False)), today, parsed)
    except FileError as error:
        parsed.problems.append(Problem(0, "file", str(error)))
    except csv.Error:  # a NUL byte or a broken quote further down the file
        parsed.problems.append(Problem(0, "file", _("Upload a CSV or XLSX file.")))
    return parsed


def _too_many() -> str:
    return _("A file holds at most %(count)d people: split it.") % {"count": MAX_ROWS}


def _lines(raw: IO[bytes], filename: str) -> Iterator[list[str]]:
    head = raw.read(4096)
    raw.seek(0)
    return xlsx_rows(raw) if kind_of(head, filename) == "xlsx" else csv_rows(raw)


def _column(text: str) -> str:
    return text.strip().lower().replace(" ", "_").replace("-", "_")


def _header_ok(header: list[str], parsed: Parsed) -> bool:
    for name in REQUIRED:
        if name not in header:
            parsed.problems.append(Problem(1, name, _("This column is missing.")))
    for name in header:
        if name and name not in COLUMNS:
            parsed.problems.append(Problem(1, name, _("Unknown column.")))
    seen: set[str] = set()
    for name in header:
        if name in seen:
            parsed.problems.append(Problem(1, name, _("This column appears twice.")))
        seen.add(name)
    return not parsed.problems


def _parse_row(number: int, cells: dict[str, str], today: dt.date, parsed: Parsed) -> None:
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem(number, column, message))

    text = {k: v.replace("\x00", "").strip() for k, v in cells.items()}
    kind = text.get("employment_type", "").lower()
    if kind not in EmploymentType.values:
        bad("employment_type", _("Write PNS or PPPK."))
    for column in ("nip", "supervisor_nip"):
        if text.get(column, "").startswith(NUMBER_AS_TEXT):
            bad(column, _("Store the NIP as text: a spreadsheet number loses its last digits."))
            text[column] = ""
    nip = text.get("nip", "")
    if (message := nip_error(nip, today=today, pppk=kind == EmploymentType.PPPK)) is not None:
        bad("nip", message)
    for column in ("name", "unit_code", "position"):
        if not text.get(column):
            bad(column, _("This field is required."))
    grade = _grade(text.get("job_grade", ""), bad)
    dates = {
        c: _date(text.get(c, ""), c, bad) for c in ("active_from", "active_to", "effective_date")
    }
    if dates["active_from"] is None and text.get("active_from", "") == "":
        bad("active_from", _("This field is required."))
    start, end = dates["active_from"], dates["active_to"]
    if start is not None and end is not None and end < start:
        bad("active_to", _("The end comes before the start."))
    nik = text.get("nik", "").removeprefix(NUMBER_AS_TEXT)
    if (message := nik_error(nik)) is not None:
        bad("nik", message)
    email = text.get("email", "").lower()
    if email and ("@" not in email or len(email) > 254):
        bad("email", _("Enter a valid email address."))
    if problems or grade is None or start is None:
        parsed.problems.extend(problems)
        parsed.failed_nips.add(nip)
        return
    parsed.rows.append(Row(
        line=number, nip=nip, name=text["name"][:200], unit_code=text["unit_code"],
        position=text["position"][:200], job_grade=grade, employment_type=kind,
        active_from=start, supervisor_nip=text.get("supervisor_nip", ""), active_to=end,
        effective=dates["effective_date"], email=email, nik=nik,
        present=frozenset(c for c in OPTIONAL if c in cells),
    ))  # fmt: skip


def _grade(value: str, bad: Bad) -> int | None:
    grade = int(value) if value.isascii() and value.isdigit() and len(value) < 4 else 0
    if (message := grade_error(grade)) is not None:
        bad("job_grade", message)
        return None
    return grade


def _date(value: str, column: str, bad: Bad) -> dt.date | None:
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    bad(column, _("Write the date as YYYY-MM-DD (or DD/MM/YYYY)."))
    return None
