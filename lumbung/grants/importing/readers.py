"""Reading a recipient list as a stream of rows, CSV or XLSX, never the whole file at once.

CSV: UTF-8 (a byte-order mark from Excel is fine), comma or semicolon (Excel in an
Indonesian locale writes semicolons). XLSX: the first sheet, read in openpyxl's read-only
streaming mode. A NIK or KK stored as a spreadsheet number is refused: a spreadsheet keeps
only 15 significant digits, so the 16th may already be lost."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
NUMBER_AS_TEXT = "\x00number"  # marks a numeric NIK/KK cell; rows.py reports it


class FileError(ValueError):
    pass


def kind_of(head: bytes, filename: str) -> str:
    """'xlsx' or 'csv', by content; FileError for anything else."""
    if head.startswith(XLSX_MAGIC):
        if not filename.lower().endswith(".xlsx"):
            raise FileError(_("Upload a CSV or XLSX file."))
        return "xlsx"
    if b"\x00" in head:
        raise FileError(_("Upload a CSV or XLSX file."))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not just a character cut at the end of the sample
            raise FileError(_("Save the CSV file as UTF-8.")) from None
    return "csv"


def count_lines(raw: IO[bytes]) -> int:
    """Rows in a CSV file, without the header: the progress bar's total (an estimate when a
    quoted value spans lines; the count is exact when the import ends)."""
    lines, last = 0, b"\n"
    for block in iter(lambda: raw.read(1 << 20), b""):
        lines += block.count(b"\n")
        last = block[-1:]
    raw.seek(0)
    return max(lines + (last != b"\n") - 1, 0)


def csv_rows(raw: IO[bytes]) -> Iterator[list[str]]:
    """The header, then every row, as lists of strings."""
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        yield next(csv.reader([first], delimiter=delimiter), [])
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError:
        raise FileError(_("Save the CSV file as UTF-8.")) from None
    finally:
        text.detach()


def xlsx_total(raw: IO[bytes]) -> int:
    import openpyxl

    book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].max_row or 0
    finally:
        book.close()
        raw.seek(0)
    return max(rows - 1, 0)


def xlsx_rows(raw: IO[bytes]) -> Iterator[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise FileError(_("The XLSX file cannot be read.")) from None
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
        return NUMBER_AS_TEXT + text if len(text) >= 15 else text
    return str(value)
