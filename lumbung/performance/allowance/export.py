"""The payroll list of a computed month, per unit or whole, as CSV or XLSX. It holds pay
data, so every export is an audit event (who, which month, which unit, how many rows)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lumbung.core.models import Region, Unit, User

from ..common import record
from ..models import Period, TppResult

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    content: bytes
    content_type: str
    filename: str


def _header() -> list[str]:
    return [
        _("NIP"), _("name"), _("unit"), _("job grade"), _("base amount"), _("approved minutes"),
        _("target minutes"), _("performance share"), _("attendance share"),
        _("deduction (%)"), _("working days"), _("days present"), _("late minutes"),
        _("allowance"),
    ]  # fmt: skip


def payroll_rows(region: Region, period: Period, unit: Unit | None) -> list[list[object]]:
    found = TppResult.objects.filter(region=region, period=period).select_related(
        "employee", "unit"
    )
    if unit is not None:
        found = found.filter(unit=unit)
    return [
        [
            r.employee.nip,
            r.employee.name,
            r.unit.name,
            r.job_grade,
            r.base_amount,
            r.approved_minutes,
            r.target_minutes,
            r.performance_share,
            r.attendance_share,
            r.deduction_percent,
            r.working_days,
            r.days_present,
            r.late_minutes,
            r.amount,
        ]
        for r in found.order_by("unit__name", "employee__name", "employee_id")
    ]


def _text(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (names are typed by people)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return f"'{value}"
    return value


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    writer.writerows([_text(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("TPP")
    sheet.append(_header())
    for row in rows:
        # Money and shares stay exact decimals; the NIP stays text (18 digits).
        sheet.append([_text(v) if not isinstance(v, Decimal) else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def payroll_export(
    *, region: Region, actor: User, period: Period, unit: Unit | None, fmt: str
) -> Export:
    """The month's payroll list (of one unit, or all) in `fmt` (csv or xlsx)."""
    rows = payroll_rows(region, period, unit)
    content = _xlsx(rows) if fmt == "xlsx" else _csv(rows)
    scope = slugify(unit.code) if unit is not None else "all"
    record(
        region, actor, period, "payroll_export",
        {"unit": unit.pk if unit else None, "rows": len(rows), "format": fmt},
    )  # fmt: skip
    filename = f"tpp-{region.slug}-{period.year}-{period.month:02d}-{scope}.{fmt}"
    return Export(content, FORMATS[fmt], filename)
