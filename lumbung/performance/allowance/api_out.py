"""Rows of the allowance area as the API sends them (shared by api.py's routes)."""

from __future__ import annotations

from typing import Any

from lumbung.core.models import Region

from ..models import Period, TppFormula, TppResult
from .explain import Explanation
from .months import cutoff_of
from .selectors import total_of


def formula_out(formula: TppFormula) -> dict[str, Any]:
    fields = (
        "id", "name", "kind", "effective_from", "target_minutes", "performance_weight",
        "attendance_weight", "late_bands", "early_bands", "absence_percent",
    )  # fmt: skip
    return {name: getattr(formula, name) for name in fields}


def period_out(region: Region, period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "year": period.year,
        "month": period.month,
        "state": period.state,
        "computed_at": period.computed_at,
        "closed_at": period.closed_at,
        "cutoff": cutoff_of(region, period.year, period.month),
        "people": getattr(period, "people", 0),
        "total": total_of(period),
    }


def result_out(result: TppResult) -> dict[str, Any]:
    fields = (
        "id", "employee_id", "unit_id", "job_grade", "base_amount", "approved_minutes",
        "target_minutes", "performance_share", "attendance_share", "deduction_percent",
        "working_days", "days_present", "late_minutes", "amount",
    )  # fmt: skip
    row = {name: getattr(result, name) for name in fields}
    row.update(nip=result.employee.nip, name=result.employee.name, unit=result.unit.name)
    return row


def explanation_out(found: Explanation) -> dict[str, Any]:
    figures = found.figures
    return {
        "employee_id": found.employee.pk,
        "nip": found.employee.nip,
        "name": found.employee.name,
        "year": found.year,
        "month": found.month,
        "formula": formula_out(found.formula),
        "job_grade": found.job_grade,
        "base_amount": found.base,
        "approved_minutes": found.minutes,
        "performance_share": figures.performance_share,
        "attendance_share": figures.attendance_share,
        "deduction_percent": figures.deduction_percent,
        "absent_days": found.absent_days,
        "amount": figures.amount,
        "stored_amount": found.result.amount if found.result else None,
        "period_state": found.period.state if found.period else None,
        "entries": [
            {
                "id": e.entry.pk,
                "work_date": e.entry.work_date,
                "activity": e.entry.activity.name,
                "quantity": e.entry.quantity,
                "approved_quantity": e.entry.approved_quantity,
                "outcome": e.outcome,
                "minutes": e.minutes,
            }
            for e in found.entries
        ],
        "days": [
            {
                "work_date": d.day,
                "kind": d.kind,
                "check_in": d.record.check_in if d.record else None,
                "check_out": d.record.check_out if d.record else None,
                "late_minutes": d.late_minutes,
                "early_minutes": d.early_minutes,
                "deduction_percent": d.percent,
            }
            for d in found.days
        ],
    }
