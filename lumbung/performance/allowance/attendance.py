"""Importing attendance: the machines' export (NIP, date, check-in, check-out) and the leave
and official-duty records (NIP, from, to, kind, note). Every row is checked first; one bad
row refuses the whole file (the run and its problems are kept, nothing else is written);
a good file is written in bulk, one upsert per batch, with one audit event.

Lateness and leaving early are whole minutes against the office hours of the day
(common.office_hours; seconds are ignored). A missing check-in counts as late for the whole
office day, a missing check-out as leaving at opening time: the top band, as most regional
rules treat an untapped scan. Machine rows on a region's non-working day are skipped (not
counted, not an error). A leave, duty or sick record overrides the day: it is written on
every working day of its range, and a machine row for such a day keeps its times but not
its lateness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User

from ..common import office_hours, record
from ..errors import PerformanceError
from ..models import AttendanceDay, DayKind, Employee, ImportKind, ImportRun, Period, PeriodState
from ..selectors import region_today
from .csvfiles import (
    LEAVE_COLUMNS,
    LEAVE_KINDS,
    MACHINE_COLUMNS,
    MAX_BYTES,
    Problem,
    decode,
    parse_date,
    parse_nip,
    parse_time,
    read_rows,
)

LEAVE_KINDS_STORED = (DayKind.LEAVE, DayKind.DUTY, DayKind.SICK)
BATCH = 2000
MAX_RANGE_DAYS = 366


class ImportRefused(DomainError):
    """A file with problems: nothing of it was written; `run` keeps the problems."""

    def __init__(self, run: ImportRun) -> None:
        problems: dict[str, list[str]] = {}
        for p in run.errors:
            problems.setdefault(f"row {p['row']}.{p['field']}", []).append(str(p["message"]))
        super().__init__(
            PerformanceError.IMPORT_FAILED,
            _("%(n)d problems in the file; nothing was imported.") % {"n": len(run.errors)},
            field_errors=problems,
            status=422,
        )
        self.run = run


@dataclass
class _Context:
    """What checking a file needs, read once: the registry by NIP, closed months, today,
    and the working-day calendar (memoised per date)."""

    region: Region
    people: dict[str, tuple[int, dt.date, dt.date | None]]
    closed: set[tuple[int, int]]
    today: dt.date
    calendar: RegionCalendar
    working: dict[dt.date, bool]

    @classmethod
    def of(cls, region: Region) -> _Context:
        people = {
            nip: (pk, start, end)
            for pk, nip, start, end in Employee.objects.filter(region=region).values_list(
                "pk", "nip", "active_from", "active_to"
            )
        }
        closed = set(
            Period.objects.filter(region=region, state=PeriodState.CLOSED).values_list(
                "year", "month"
            )
        )
        cal = RegionCalendar(region)
        return cls(region, people, closed, region_today(region), cal, {})

    def is_working(self, day: dt.date) -> bool:
        if day not in self.working:
            self.working[day] = self.calendar.is_working_day(day)
        return self.working[day]

    def person(self, nip: str, day: dt.date | None, row: int, out: list[Problem]) -> int | None:
        found = self.people.get(parse_nip(nip))
        if found is None:
            out.append(Problem(row, "nip", _("No one in the staff registry has this NIP.")))
            return None
        pk, start, end = found
        if day is not None and (day < start or (end is not None and day > end)):
            out.append(Problem(row, "nip", _("This person is not active on this date.")))
            return None
        return pk

    def open_day(self, day: dt.date, row: int, name: str, out: list[Problem]) -> bool:
        if (day.year, day.month) in self.closed:
            message = _("%(month)s is closed: a change needs an authorised correction.")
            out.append(Problem(row, name, message % {"month": day.strftime("%m/%Y")}))
            return False
        return True


def late_and_early(
    region: Region, day: dt.date, check_in: dt.time | None, check_out: dt.time | None
) -> tuple[int, int]:
    opens, closes = office_hours(region, day)
    span = _minutes(closes) - _minutes(opens)
    late = span if check_in is None else max(0, _minutes(check_in) - _minutes(opens))
    early = span if check_out is None else max(0, _minutes(closes) - _minutes(check_out))
    return late, early


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def _machine_row(
    ctx: _Context, row: int, values: dict[str, str], out: list[Problem]
) -> AttendanceDay | None:
    day = parse_date(values["date"])
    if day is None:
        out.append(Problem(row, "date", _("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
    times: dict[str, dt.time | None] = {}
    for name in ("check_in", "check_out"):
        times[name] = parse_time(values[name]) if values[name] else None
        if values[name] and times[name] is None:
            out.append(Problem(row, name, _("Write the time as HH:MM or HH:MM:SS.")))
    if not values["check_in"] and not values["check_out"]:
        out.append(Problem(row, "check_in", _("A row needs a check-in or a check-out time.")))
    person = ctx.person(values["nip"], day, row, out)
    if day is None or person is None or not ctx.open_day(day, row, "date", out):
        return None
    if day > ctx.today:
        out.append(Problem(row, "date", _("This date is in the future.")))
        return None
    check_in, check_out = times["check_in"], times["check_out"]
    if check_in and check_out and check_out < check_in:
        out.append(Problem(row, "check_out", _("The check-out is before the check-in.")))
        return None
    late, early = late_and_early(ctx.region, day, check_in, check_out)
    return AttendanceDay(
        region=ctx.region, employee_id=person, work_date=day, kind=DayKind.PRESENT,
        check_in=check_in, check_out=check_out, late_minutes=late, early_minutes=early,
        source="machine",
    )  # fmt: skip


def _checked_machine(
    ctx: _Context, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[AttendanceDay], list[Problem]]:
    problems: list[Problem] = []
    days: list[AttendanceDay] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for row, values in rows:
        day = _machine_row(ctx, row, values, problems)
        if day is None:
            continue
        key = (day.employee_id, day.work_date)
        if key in seen:
            message = _("The same person and date are already on line %(line)d.")
            problems.append(Problem(row, "date", message % {"line": seen[key]}))
            continue
        seen[key] = row
        if ctx.is_working(day.work_date):
            days.append(day)
    return days, problems


def _leave_row(
    ctx: _Context, row: int, values: dict[str, str], out: list[Problem]
) -> tuple[int, dt.date, dt.date, str, str] | None:
    start, end = parse_date(values["from"]), parse_date(values["to"])
    for name, day in (("from", start), ("to", end)):
        if day is None:
            out.append(Problem(row, name, _("Write the date as YYYY-MM-DD or DD/MM/YYYY.")))
    kind = LEAVE_KINDS.get(values["kind"].strip().lower().replace(" ", "_"))
    if kind is None:
        out.append(Problem(row, "kind", _("The kind is leave, duty or sick.")))
    person = ctx.person(values["nip"], None, row, out)
    if start is None or end is None or kind is None or person is None:
        return None
    if end < start or (end - start).days >= MAX_RANGE_DAYS:
        out.append(Problem(row, "to", _("The range ends before it starts, or spans a year.")))
        return None
    return person, start, end, kind, values.get("note", "")[:300]


def _checked_leave(
    ctx: _Context, rows: list[tuple[int, dict[str, str]]]
) -> tuple[list[AttendanceDay], list[Problem]]:
    problems: list[Problem] = []
    days: dict[tuple[int, dt.date], tuple[int, AttendanceDay]] = {}
    for row, values in rows:
        found = _leave_row(ctx, row, values, problems)
        if found is None:
            continue
        person, start, end, kind, note = found
        for offset in range((end - start).days + 1):
            day = start + dt.timedelta(days=offset)
            if not ctx.open_day(day, row, "from", problems):
                break
            if (person, day) in days:
                message = _("The same person and date are already on line %(line)d.")
                problems.append(Problem(row, "from", message % {"line": days[(person, day)][0]}))
                break
            if ctx.is_working(day):
                days[(person, day)] = (row, _leave_day(ctx.region, person, day, kind, note))
    return [d for _row, d in days.values()], problems


def _leave_day(region: Region, person: int, day: dt.date, kind: str, note: str) -> AttendanceDay:
    return AttendanceDay(
        region=region, employee_id=person, work_date=day, kind=kind, late_minutes=0,
        early_minutes=0, source=kind, note=note,
    )  # fmt: skip


def _keep_leave(region: Region, days: list[AttendanceDay]) -> None:
    """A machine row on a day already on leave or duty keeps the leave (and no lateness)."""
    if not days:
        return
    people = {d.employee_id for d in days}
    first, last = min(d.work_date for d in days), max(d.work_date for d in days)
    on_leave = dict(
        (((pk, day), kind))
        for pk, day, kind in AttendanceDay.objects.filter(
            region=region,
            employee_id__in=people,
            work_date__range=(first, last),
            kind__in=LEAVE_KINDS_STORED,
        ).values_list("employee_id", "work_date", "kind")
    )
    for day in days:
        kind = on_leave.get((day.employee_id, day.work_date))
        if kind is not None:
            day.kind, day.late_minutes, day.early_minutes = kind, 0, 0


MACHINE_FIELDS = ["kind", "check_in", "check_out", "late_minutes", "early_minutes", "source"]
LEAVE_FIELDS = ["kind", "late_minutes", "early_minutes", "source", "note"]


def attendance_import(
    *, region: Region, actor: User | None, kind: str, filename: str, data: bytes
) -> ImportRun:
    """Import one file (`kind` attendance or leave). A refused file raises ImportRefused
    after its run, with every problem, is recorded (in its own transaction)."""
    ctx = _Context.of(region)
    rows, problems = _read(
        data, MACHINE_COLUMNS if kind == ImportKind.ATTENDANCE else LEAVE_COLUMNS
    )
    check = _checked_machine if kind == ImportKind.ATTENDANCE else _checked_leave
    days, row_problems = check(ctx, rows) if rows else ([], [])
    problems += row_problems
    if not problems and not rows:
        problems = [Problem(0, "file", _("The file has no rows."))]
    if problems:
        run = _run_refused(region, actor, kind, filename, len(rows), problems)
        raise ImportRefused(run)
    return _run_write(region, actor, kind, filename, len(rows), days)


def _read(data: bytes, columns: dict[str, tuple[str, ...]]) -> tuple[list[Any], list[Problem]]:
    if len(data) > MAX_BYTES:
        return [], [Problem(0, "file", _("The file is larger than 40 MB."))]
    text = decode(data)
    if text is None:
        return [], [Problem(0, "file", _("Save the file as CSV in UTF-8."))]
    return read_rows(text, columns)


@transaction.atomic
def _run_refused(
    region: Region, actor: User | None, kind: str, filename: str, total: int, found: list[Problem]
) -> ImportRun:
    run = ImportRun.objects.create(
        region=region, kind=kind, filename=filename[:200], rows_total=total,
        errors=[p.as_json() for p in found], succeeded=False, created_by=actor,
    )  # fmt: skip
    record(region, actor, run, "attendance_import_refused", {"problems": len(found)})
    return run


@transaction.atomic
def _run_write(
    region: Region, actor: User | None, kind: str, filename: str, total: int,
    days: list[AttendanceDay],
) -> ImportRun:  # fmt: skip
    run = ImportRun.objects.create(
        region=region, kind=kind, filename=filename[:200], rows_total=total,
        rows_imported=len(days), succeeded=True, created_by=actor,
    )  # fmt: skip
    machine = kind == ImportKind.ATTENDANCE
    if machine:
        _keep_leave(region, days)
    for day in days:
        day.import_run = run
    AttendanceDay.objects.bulk_create(
        days,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["region", "employee", "work_date"],
        update_fields=[*(MACHINE_FIELDS if machine else LEAVE_FIELDS), "import_run"],
    )
    record(region, actor, run, "attendance_import", {"days": len(days), "kind": kind})
    return run
