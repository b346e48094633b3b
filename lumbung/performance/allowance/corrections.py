"""Authorised corrections, each with its reason: an entry's approval turned round (or its
approved quantity changed), or one attendance day set right. Each writes a Correction row
and an audit event and computes that person's month again. They are the only way to
change a closed month; payroll may use them in an open month too (a forgotten scan)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.workflow_bulk import cases_transition_bulk

from ..common import record
from ..models import AttendanceDay, Correction, DayKind, Employee, Entry
from .attendance import late_and_early
from .compute import period_of, person_recompute
from .errors import AllowanceError


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationFailed({"reason": [_("A correction needs its reason.")]})
    return reason.strip()


def _refuse(message: str, field: str) -> DomainError:
    return DomainError(
        AllowanceError.CORRECTION_INVALID, message, field_errors={field: [message]}, status=409
    )


@transaction.atomic
def entry_correct(
    *, region: Region, actor: User, entry: Entry, approve: bool, reason: str,
    quantity: int | None = None,
) -> Correction:  # fmt: skip
    """Approve (with `quantity`, default the claimed one) or reject a reviewed entry."""
    reason = _reason(reason)
    period = period_of(region, entry.work_date.year, entry.work_date.month)
    quantity = entry.quantity if quantity is None else quantity
    if approve and not 1 <= quantity <= entry.quantity:
        raise ValidationFailed(
            {"quantity": [_("Between 1 and the claimed quantity (%(n)d).") % {"n": entry.quantity}]}
        )
    minutes = quantity * entry.standard_minutes if approve else 0
    updates: dict[str, Any] = {
        "approved_quantity": quantity if approve else None,
        "approved_minutes": minutes,
        "reviewed_at": timezone.now(),
        "reviewed_by": actor,
        "review_note": reason,
    }
    action = "correct_approve" if approve else "correct_reject"
    moved = cases_transition_bulk(
        region=region, actor=actor, model=Entry, ids=[entry.pk], action=action, note=reason,
        vetted=False, updates=updates,
    )  # fmt: skip
    if not moved:
        raise _refuse(_("Only an approved or rejected entry can be corrected."), "entry")
    changes = {
        "state": [entry.state, "approved" if approve else "rejected"],
        "approved_minutes": [entry.approved_minutes, minutes],
    }
    correction = Correction.objects.create(
        region=region, period=period, entry=entry, changes=changes, reason=reason, actor=actor
    )
    record(region, actor, entry, "entry_correct", changes, reason)
    person_recompute(region, period, entry.employee)
    return correction


@transaction.atomic
def attendance_correct(
    *, region: Region, actor: User, employee: Employee, work_date: dt.date, kind: str,
    reason: str, check_in: dt.time | None = None, check_out: dt.time | None = None,
) -> Correction:  # fmt: skip
    """Set one working day of one person: present (with the times that count), on leave,
    duty or sick, or absent without leave."""
    reason = _reason(reason)
    _check_day(region, employee, work_date, kind, check_in, check_out)
    period = period_of(region, work_date.year, work_date.month)
    day = AttendanceDay.objects.filter(region=region, employee=employee, work_date=work_date)
    before = day.values("kind", "late_minutes", "early_minutes").first() or {}
    late, early = (
        late_and_early(region, work_date, check_in, check_out)
        if kind == DayKind.PRESENT
        else (0, 0)
    )
    present = kind == DayKind.PRESENT
    saved, _created = AttendanceDay.objects.update_or_create(
        region=region, employee=employee, work_date=work_date,
        defaults={
            "kind": kind, "check_in": check_in if present else None,
            "check_out": check_out if present else None, "late_minutes": late,
            "early_minutes": early, "source": "correction", "note": reason[:300],
        },
    )  # fmt: skip
    changes = {
        "kind": [before.get("kind"), kind],
        "late_minutes": [before.get("late_minutes"), late],
        "early_minutes": [before.get("early_minutes"), early],
    }
    correction = Correction.objects.create(
        region=region, period=period, attendance=saved, changes=changes, reason=reason, actor=actor
    )
    record(region, actor, saved, "attendance_correct", changes, reason)
    person_recompute(region, period, employee)
    return correction


def _check_day(
    region: Region, employee: Employee, day: dt.date, kind: str,
    check_in: dt.time | None, check_out: dt.time | None,
) -> None:  # fmt: skip
    if kind not in DayKind.values:
        raise ValidationFailed({"kind": [_("Choose a kind of day.")]})
    if not RegionCalendar(region).is_working_day(day):
        raise _refuse(_("This is not a working day: it is not counted."), "work_date")
    if day < employee.active_from or (employee.active_to and day > employee.active_to):
        raise _refuse(_("This person is not active on this date."), "work_date")
    if kind == DayKind.PRESENT and check_in is None and check_out is None:
        raise ValidationFailed({"check_in": [_("A day present needs a check-in or check-out.")]})
    if check_in and check_out and check_out < check_in:
        raise ValidationFailed({"check_out": [_("The check-out is before the check-in.")]})
