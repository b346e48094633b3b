"""Writes of the staff registry, one person at a time: register, correct the details, move
(unit, position, grade, supervisor) from an effective date, end the employment, and read the
full NIK (audited).

The Employee row always holds the current state; every move closes the open Posting the
day before the effective date and opens a new one, so the history is never lost. A move
effective on the day the open posting started corrects that posting instead (a posting of
no days would say nothing)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import ErrorCode
from lumbung.core.models import Region, Unit, User
from lumbung.core.services.audit import personal_data_read

from ..common import month_closed, record, same_region
from ..errors import PerformanceError
from ..models import Employee, EmploymentType, Posting
from ..selectors import region_today
from .errors import RegistryError
from .rules import (
    Problems,
    accounts_by_email,
    check_nip,
    check_supervisor,
    closed_message,
    grade_error,
    nik_error,
)
from .selectors import open_posting

DETAILS = ("nip", "name", "employment_type", "email", "nik")
POSTED = ("unit", "position", "job_grade", "supervisor")


@dataclass(frozen=True)
class EmployeeInput:
    nip: str
    name: str
    unit: Unit
    position: str
    job_grade: int
    employment_type: str
    active_from: dt.date
    supervisor: Employee | None = None
    email: str = ""
    nik: str = ""


class EmployeeChanges(TypedDict, total=False):
    """The fields a change names; a field left out stays as it is."""

    nip: str
    name: str
    employment_type: str
    email: str
    nik: str  # "" removes it
    unit: Unit
    position: str
    job_grade: int
    supervisor: Employee | None


@transaction.atomic
def employee_create(*, region: Region, actor: User | None, data: EmployeeInput) -> Employee:
    """Register a civil servant with their first posting, from `active_from`."""
    person = Employee(region=region, active_from=data.active_from)
    fields = {k: getattr(data, k) for k in (*DETAILS, *POSTED)}
    problems = _check(region, person, fields, day=data.active_from)
    problems.raise_any()
    _assign(region, person, fields)
    person.save()
    Posting.objects.create(
        region=region, employee=person, valid_from=person.active_from, **_posted(person)
    )
    record(region, actor, person, "employee_create", _snapshot(person))
    return person


@transaction.atomic
def employee_change(
    *,
    region: Region,
    actor: User | None,
    employee: Employee,
    changes: EmployeeChanges,
    effective: dt.date | None = None,
) -> Employee:
    """Change a person's details and/or move them from `effective` (default: today)."""
    same_region(region, employee)
    # NO KEY: an entry by someone this person supervises checks their row at commit; a
    # full lock here would deadlock with it as the worklog's did (test_worklog_statements).
    person = Employee.objects.select_for_update(no_key=True).get(region=region, pk=employee.pk)
    wanted: dict[str, Any] = dict(changes)
    moved = [k for k in POSTED if k in wanted and _differs(person, k, wanted[k])]
    day = effective or region_today(region)
    problems = _check(region, person, wanted, day=day)
    if moved:
        _check_move(region, person, day, problems)
    problems.raise_any()
    before = _snapshot(person)
    _assign(region, person, wanted)
    person.save()
    if moved:
        _repost(region, person, day)
    diff = {k: [before[k], v] for k, v in _snapshot(person).items() if before[k] != v}
    if diff:
        action = "employee_move" if moved else "employee_update"
        record(
            region, actor, person, action, {**diff, **({"effective": str(day)} if moved else {})}
        )
    return person


@transaction.atomic
def employee_end(
    *, region: Region, actor: User | None, employee: Employee, day: dt.date, reason: str = ""
) -> Employee:
    """End the employment on `day` (the last day worked). Nobody still active may report
    to the person: move their reports first."""
    same_region(region, employee)
    person = Employee.objects.select_for_update(no_key=True).get(region=region, pk=employee.pk)
    problems = Problems()
    last = Posting.objects.filter(region=region, employee=person).order_by("-valid_from").first()
    start = max(person.active_from, last.valid_from if last else person.active_from)
    if day < start:
        problems.add(
            "active_to",
            RegistryError.EFFECTIVE_DATE,
            _("The end cannot come before %(day)s.") % {"day": start.isoformat()},
        )
    if month_closed(region, day):
        problems.add("active_to", PerformanceError.MONTH_CLOSED, closed_message(day), 409)
    reports = Employee.objects.filter(region=region, supervisor=person, active_from__lte=day)
    still = reports.exclude(active_to__lte=day).count()
    if still:
        problems.add(
            "active_to",
            RegistryError.STILL_SUPERVISES,
            _("%(count)d active people still report to this person: move them first.")
            % {"count": still},
            409,
        )
    problems.raise_any()
    was = person.active_to
    person.active_to = day
    person.save(update_fields=["active_to", "updated_at"])
    if last is not None:
        Posting.objects.filter(region=region, pk=last.pk).update(valid_to=day)
    record(
        region, actor, person, "employee_end", {"active_to": [_iso(was), day.isoformat()]}, reason
    )
    return person


@transaction.atomic
def employee_nik_read(*, region: Region, actor: User, employee: Employee, purpose: str) -> str:
    """The full NIK for an authorised staff screen; the read itself is audited."""
    same_region(region, employee)
    personal_data_read(region=region, actor=actor, obj=employee, fields=["nik"], purpose=purpose)
    return employee.nik


# Checks -----------------------------------------------------------------------------------


def _check(region: Region, person: Employee, wanted: dict[str, Any], *, day: dt.date) -> Problems:
    """Every field-level rule of the values `wanted` for `person` (new when pk is None)."""
    problems = Problems()
    today = region_today(region)
    for name in ("name", "position"):
        if name in wanted and not str(wanted[name]).strip():
            problems.add(name, ErrorCode.VALIDATION, _("This field is required."))
    if wanted.get("employment_type", person.employment_type) not in EmploymentType.values:
        problems.add("employment_type", ErrorCode.VALIDATION, _("Choose PNS or PPPK."))
    if "nip" in wanted or "employment_type" in wanted:
        nip = wanted.get("nip", person.nip).strip()
        check_nip(problems, nip, wanted.get("employment_type", person.employment_type), today)
        others = Employee.objects.filter(region=region, nip=nip).exclude(pk=person.pk)
        if "nip" not in problems.errors and others.exists():
            problems.add(
                "nip",
                PerformanceError.NIP_TAKEN,
                _("Another person in the registry has this NIP."),
                409,
            )
    if wanted.get("nik"):
        _check_nik(region, person, wanted["nik"].strip(), problems)
    if "job_grade" in wanted and (message := grade_error(wanted["job_grade"])) is not None:
        problems.add("job_grade", RegistryError.GRADE_INVALID, message)
    if wanted.get("email"):
        _check_account(region, person, wanted["email"], problems)
        try:
            validate_email(wanted["email"].strip())
        except ValidationError:
            problems.add("email", ErrorCode.VALIDATION, _("Enter a valid email address."))
    if wanted.get("unit") is not None:
        same_region(region, wanted["unit"])
    if wanted.get("supervisor") is not None:
        same_region(region, wanted["supervisor"])
        if wanted["supervisor"].pk == person.pk:
            problems.add(
                "supervisor",
                PerformanceError.SUPERVISOR_CYCLE,
                _("Nobody supervises themselves."),
                409,
            )
        else:
            check_supervisor(problems, person, wanted["supervisor"], day)
    return problems


def _check_nik(region: Region, person: Employee, nik: str, problems: Problems) -> None:
    if (message := nik_error(nik)) is not None:
        problems.add("nik", RegistryError.NIK_INVALID, message)
    elif Employee.objects.filter(region=region, nik=nik).exclude(pk=person.pk).exists():
        problems.add(
            "nik", RegistryError.NIK_TAKEN, _("Another person in the registry has this NIK."), 409
        )


def _check_account(region: Region, person: Employee, email: str, problems: Problems) -> None:
    account = accounts_by_email([email]).get(email.strip().lower())
    if account is None:
        return
    linked = Employee.objects.filter(region=region, user=account).exclude(pk=person.pk)
    if linked.exists():
        problems.add(
            "email",
            RegistryError.ACCOUNT_TAKEN,
            _("This account belongs to another person in the registry."),
            409,
        )


def _check_move(region: Region, person: Employee, day: dt.date, problems: Problems) -> None:
    today = region_today(region)
    current = open_posting(person)
    start = max(person.active_from, current.valid_from if current else person.active_from)
    if person.active_to is not None:
        problems.add(
            "effective_date",
            RegistryError.EMPLOYMENT_ENDED,
            _("This person's employment has ended: nothing more can change."),
        )
    elif day > today:
        problems.add(
            "effective_date",
            PerformanceError.FUTURE_DATE,
            _("Enter a move on or after the day it takes effect."),
        )
    elif day < start:
        problems.add(
            "effective_date",
            RegistryError.EFFECTIVE_DATE,
            _("A move cannot take effect before %(day)s.") % {"day": start.isoformat()},
        )
    elif month_closed(region, day):
        problems.add("effective_date", PerformanceError.MONTH_CLOSED, closed_message(day), 409)


# Writing ----------------------------------------------------------------------------------


def _assign(region: Region, person: Employee, wanted: dict[str, Any]) -> None:
    for name, value in wanted.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    if "email" in wanted:
        person.email = person.email.lower()
        person.user = accounts_by_email([person.email]).get(person.email)


def _differs(person: Employee, name: str, value: Any) -> bool:
    if name in ("unit", "supervisor"):
        return getattr(person, f"{name}_id") != (value.pk if value is not None else None)
    return bool(getattr(person, name) != (value.strip() if isinstance(value, str) else value))


def _posted(person: Employee) -> dict[str, Any]:
    return {k: getattr(person, k) for k in POSTED}


def _repost(region: Region, person: Employee, day: dt.date) -> None:
    current = open_posting(person)
    if current is not None and current.valid_from == day:
        Posting.objects.filter(region=region, pk=current.pk).update(**_posted(person))
        return
    if current is not None:
        Posting.objects.filter(region=region, pk=current.pk).update(
            valid_to=day - dt.timedelta(days=1)
        )
    Posting.objects.create(region=region, employee=person, valid_from=day, **_posted(person))


def _snapshot(person: Employee) -> dict[str, Any]:
    """The audited fields as plain values (the NIK is masked by the audit log itself)."""
    return {
        "nip": person.nip,
        "name": person.name,
        "employment_type": person.employment_type,
        "email": person.email,
        "nik": person.nik,
        "unit": person.unit_id,
        "position": person.position,
        "job_grade": person.job_grade,
        "supervisor": person.supervisor_id,
        "active_from": person.active_from.isoformat(),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
