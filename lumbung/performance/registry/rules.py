"""The registry's rules, shared by the one-person services and the import: each check
returns what is wrong in words (or nothing), and `Problems` gathers them per field so that
a form or an API client sees every mistake at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import User
from lumbung.core.pdp import validate_nik
from lumbung.core.tenancy import dangerously_unscoped

from ..errors import PerformanceError
from ..models import Employee, EmploymentType
from ..selectors import MAX_CHAIN
from .errors import RegistryError
from .nip import nip_error

GRADES = range(1, 18)  # kelas jabatan 1 (lowest) to 17 (highest)


@dataclass
class Problems:
    """Field errors gathered before any write; the first one's code and status answer."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    first: tuple[StrEnum, int] | None = None

    def add(self, name: str, code: StrEnum, message: str, status: int = 422) -> None:
        self.errors.setdefault(name, []).append(message)
        if self.first is None:
            self.first = (code, status)

    def raise_any(self) -> None:
        if self.first is None:
            return
        code, status = self.first
        message = next(iter(self.errors.values()))[0]
        raise DomainError(code, message, field_errors=self.errors, status=status)


def check_nip(problems: Problems, nip: str, employment_type: str, today: dt.date) -> None:
    pppk = employment_type == EmploymentType.PPPK
    if (message := nip_error(nip, today=today, pppk=pppk)) is not None:
        problems.add("nip", PerformanceError.NIP_INVALID, message)


def nik_error(nik: str) -> str | None:
    if not nik:
        return None
    if validate_nik(nik) is not None:
        return _("Not a valid NIK: 16 digits starting with a real region code and birth date.")
    return None


def grade_error(grade: int) -> str | None:
    if grade not in GRADES:
        return _("The job grade (kelas jabatan) is a number from 1 to 17.")
    return None


def accounts_by_email(emails: Iterable[str]) -> dict[str, User]:
    """The accounts with these addresses (any case), keyed by the lower-cased address. An
    account is platform-wide, not a region's row."""
    wanted = {e.strip().lower() for e in emails if e.strip()}
    if not wanted:
        return {}
    with dangerously_unscoped():  # accounts are stored with lower-cased addresses
        return {u.email: u for u in User.objects.filter(email__in=wanted)}


def check_supervisor(
    problems: Problems, person: Employee | None, supervisor: Employee, day: dt.date
) -> None:
    """`supervisor` must still be employed on `day` and must not report to `person`."""
    if supervisor.active_to is not None and supervisor.active_to < day:
        problems.add("supervisor", RegistryError.SUPERVISOR_INACTIVE, inactive_message())
    elif person is not None and person.pk is not None and _reaches(supervisor, person.pk):
        problems.add("supervisor", PerformanceError.SUPERVISOR_CYCLE, cycle_message(), 409)


def inactive_message() -> str:
    return _("The supervisor's employment has ended.")


def cycle_message() -> str:
    return _("This supervisor reports (directly or not) to this person: that would be a cycle.")


def _reaches(start: Employee, target: int) -> bool:
    """Whether `target` is `start` or above it in its supervisor chain."""
    current: int | None = start.pk
    seen: set[int] = set()
    chain = Employee.objects.filter(region_id=start.region_id)
    while current is not None and current not in seen and len(seen) <= MAX_CHAIN * 4:
        if current == target:
            return True
        seen.add(current)
        current = chain.filter(pk=current).values_list("supervisor_id", flat=True).first()
    return False


def closed_message(day: dt.date) -> str:
    return _("%(month)s is closed: a change now needs an authorised correction.") % {
        "month": day.strftime("%m/%Y")
    }
