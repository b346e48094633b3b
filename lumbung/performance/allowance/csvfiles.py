"""Reading the attendance machines' and the leave records' CSV files: the header names
machines and spreadsheets use, comma or semicolon, dates and times in the usual forms.
Only shape is checked here; the rules (who, which month) are in attendance.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 40 * 1024 * 1024  # a Bandung-sized month: 20,000 ASN x 23 days
MAX_ROWS = 600_000

# Header spellings seen in machine exports and hand-made sheets, normalised (lower case,
# spaces, dots and hyphens as underscores).
MACHINE_COLUMNS = {
    "nip": ("nip", "nip_baru", "no_induk", "nomor_induk", "employee", "employee_nip", "pegawai"),
    "date": ("date", "tanggal", "tgl", "work_date", "hari_tanggal"),
    "check_in": (
        "check_in", "checkin", "jam_masuk", "masuk", "in", "clock_in", "time_in", "scan_masuk",
    ),
    "check_out": (
        "check_out", "checkout", "jam_pulang", "pulang", "keluar", "out", "clock_out",
        "time_out", "scan_pulang",
    ),
}  # fmt: skip
LEAVE_COLUMNS = {
    "nip": MACHINE_COLUMNS["nip"],
    "from": ("from", "dari", "mulai", "start", "date_from", "tanggal_mulai", "tgl_mulai"),
    "to": ("to", "sampai", "selesai", "end", "date_to", "tanggal_selesai", "tgl_selesai"),
    "kind": ("kind", "jenis", "type", "tipe", "keterangan_jenis"),
    "note": ("note", "keterangan", "catatan", "alasan", "notes"),
}
OPTIONAL = {"note"}
LEAVE_KINDS = {
    "leave": "leave", "cuti": "leave",
    "duty": "duty", "dinas": "duty", "dinas_luar": "duty", "dl": "duty", "tugas": "duty",
    "sick": "sick", "sakit": "sick",
}  # fmt: skip
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Problem:
    row: int  # the line in the file; 1 is the header, 0 the file as a whole
    field: str
    message: str

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "message": self.message}


def decode(data: bytes) -> str | None:
    """UTF-8 (a spreadsheet's byte-order mark allowed), else None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _key(header: str) -> str:
    return re.sub(r"[\s.\-/]+", "_", header.strip().lower()).strip("_")


def read_rows(
    text: str, columns: dict[str, tuple[str, ...]]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows as {column: text} with their line numbers, or the header's problems."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [_key(h) for h in next(reader, [])]
    where: dict[str, int] = {}
    for name, spellings in columns.items():
        found = next((i for i, h in enumerate(header) if h in spellings), None)
        if found is not None:
            where[name] = found
    missing = [n for n in columns if n not in where and n not in OPTIONAL]
    if missing:
        message = _("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}
        return [], [Problem(1, "header", message)]
    rows: list[tuple[int, dict[str, str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            return [], [Problem(0, "file", _("At most %(n)d rows.") % {"n": MAX_ROWS})]
        values = {n: (cells[i].strip() if i < len(cells) else "") for n, i in where.items()}
        rows.append((reader.line_num, values))
    return rows, []


def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD or DD/MM/YYYY."""
    match = _ISO.match(text)
    parts = (match.group(1), match.group(2), match.group(3)) if match else None
    if parts is None and (match := _DMY.match(text)):
        parts = (match.group(3), match.group(2), match.group(1))
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def parse_time(text: str) -> dt.time | None:
    """HH:MM or HH:MM:SS (a dot also separates: 07.45)."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return dt.time(hour, minute, second)


def parse_nip(text: str) -> str:
    """The NIP as 18 digits: exports print it with spaces, or as a number in quotes."""
    return re.sub(r"[\s'\"]", "", text)


def errors_csv(problems: list[dict[str, object]]) -> str:
    """An import's problems as a CSV a spreadsheet opens: row, column, message."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("problem")])
    for problem in problems:
        writer.writerow([problem.get("row", ""), problem.get("field", ""), problem["message"]])
    return out.getvalue()
