"""Checking a parsed staff file against the registry, as a whole: units by code, supervisors
by NIP (in the file, even further down, or already registered), duplicates, cycles, ended
supervisors, effective dates; and the plan of what to write. Nothing is written here.

The registry after the import (its "final state") is what the checks look at: people not
in the file keep their values, people in the file take the file's, so a file may move a
whole division under a new head that only appears at its end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lumbung.core.models import Region, Unit

from ..models import Employee, Period, PeriodState, Posting
from .import_rows import Bad, Problem, Row
from .rules import accounts_by_email, closed_message, cycle_message, inactive_message


@dataclass
class State:
    """One person as the registry will hold them: supervisor by NIP, end, account, NIK."""

    supervisor: str | None
    active_to: dt.date | None
    user_id: int | None
    nik: str
    row: Row | None = None


@dataclass
class Change:
    row: Row
    person: Employee  # an unsaved new one, or the registered one with the new values set
    created: bool
    supervisor: str | None = None  # by NIP: the supervisor may be created by the same file
    day: dt.date | None = None  # when a move takes effect
    moved: bool = False
    ended: bool = False
    changed: list[str] = field(default_factory=list)


@dataclass
class Plan:
    changes: list[Change]
    problems: list[Problem]
    pks: dict[str, int]  # NIP -> id of everyone already registered


@dataclass
class Context:
    today: dt.date
    existing: dict[str, Employee]
    nip_of: dict[int, str]
    units: dict[str, int]
    accounts: dict[str, int]
    starts: dict[int, dt.date]  # pk -> valid_from of the open (or last) posting
    closed: set[tuple[int, int]]
    pending: frozenset[str]  # NIPs on rows that failed on their own: not "unknown" elsewhere

    @classmethod
    def load(
        cls, region: Region, rows: list[Row], today: dt.date, pending: frozenset[str]
    ) -> Context:
        people = list(Employee.objects.filter(region=region))
        starts: dict[int, dt.date] = {}
        postings = Posting.objects.filter(region=region).order_by("employee_id", "valid_from")
        for pk, start in postings.values_list("employee_id", "valid_from"):
            starts[pk] = start
        periods = Period.objects.filter(region=region, state=PeriodState.CLOSED)
        emails = accounts_by_email(r.email for r in rows if r.email)
        return cls(
            today=today,
            existing={p.nip: p for p in people},
            nip_of={p.pk: p.nip for p in people},
            units=dict(Unit.objects.filter(region=region).values_list("code", "pk")),
            accounts={email: user.pk for email, user in emails.items()},
            starts=starts,
            closed=set(periods.values_list("year", "month")),
            pending=pending,
        )

    def is_closed(self, day: dt.date) -> bool:
        return (day.year, day.month) in self.closed


def plan_import(
    region: Region, rows: list[Row], today: dt.date, pending: frozenset[str] = frozenset()
) -> Plan:
    """What the file would change, and every problem that stops it."""
    problems: list[Problem] = []
    rows = _unique(rows, problems)
    ctx = Context.load(region, rows, today, pending)
    final = _final_states(ctx, rows)
    changes = [c for row in rows if (c := _change(region, ctx, row, final, problems))]
    _check_graph(final, problems)
    _check_unique(final, "nik", _("Another person has this NIK."), problems)
    _check_unique(final, "user_id", _("This account belongs to another person."), problems)
    pks = {nip: p.pk for nip, p in ctx.existing.items()}
    return Plan(changes, problems, pks)


def _unique(rows: list[Row], problems: list[Problem]) -> list[Row]:
    first: dict[str, int] = {}
    kept = []
    for row in rows:
        if row.nip in first:
            message = _("This NIP is already on row %(row)d.") % {"row": first[row.nip]}
            problems.append(Problem(row.line, "nip", message))
            continue
        first[row.nip] = row.line
        kept.append(row)
    return kept


def _final_states(ctx: Context, rows: list[Row]) -> dict[str, State]:
    final = {
        nip: State(ctx.nip_of.get(p.supervisor_id or 0), p.active_to, p.user_id, p.nik)
        for nip, p in ctx.existing.items()
    }
    for row in rows:
        before = final.get(row.nip)
        keep = before or State(None, None, None, "")
        final[row.nip] = State(
            supervisor=(row.supervisor_nip or None) if "supervisor_nip" in row.present
            else keep.supervisor,
            active_to=row.active_to or keep.active_to,  # an import never reopens an employment
            user_id=ctx.accounts.get(row.email) if "email" in row.present else keep.user_id,
            nik=row.nik if "nik" in row.present else keep.nik,
            row=row,
        )  # fmt: skip
    return final


def _change(
    region: Region, ctx: Context, row: Row, final: dict[str, State], problems: list[Problem]
) -> Change | None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem(row.line, column, message))

    unit_id = ctx.units.get(row.unit_code)
    if unit_id is None:
        bad("unit_code", _("No unit has the code %(code)s.") % {"code": row.unit_code[:40]})
    state = final[row.nip]
    if state.supervisor == row.nip:
        bad("supervisor_nip", _("Nobody supervises themselves."))
    elif state.supervisor and not {state.supervisor} & (final.keys() | ctx.pending):
        bad("supervisor_nip", _("No person has this supervisor NIP, in the file or the registry."))
    if unit_id is None:
        return None
    known = ctx.existing.get(row.nip)
    values = {
        "name": row.name, "employment_type": row.employment_type, "unit_id": unit_id,
        "position": row.position, "job_grade": row.job_grade, "active_to": state.active_to,
        "email": row.email if "email" in row.present else (known.email if known else ""),
        "nik": state.nik, "user_id": state.user_id,
    }  # fmt: skip
    if known is None:
        person = Employee(region=region, nip=row.nip, active_from=row.active_from, **values)
        return Change(row, person, created=True, supervisor=state.supervisor)
    return _update(ctx, row, known, values, state, bad)


def _update(
    ctx: Context, row: Row, known: Employee, values: dict[str, object], state: State, bad: Bad
) -> Change | None:
    old_sup = ctx.nip_of.get(known.supervisor_id or 0)
    changed = [k for k, v in values.items() if getattr(known, k) != v]
    moved = bool({"unit_id", "position", "job_grade"} & set(changed)) or old_sup != state.supervisor
    if not changed and not moved:
        return None
    start = max(known.active_from, ctx.starts.get(known.pk, known.active_from))
    day = row.effective or ctx.today
    if moved:
        if known.active_to is not None:
            bad("nip", _("This person's employment has ended: nothing more can change."))
        elif day > ctx.today:
            bad("effective_date", _("Enter a move on or after the day it takes effect."))
        elif day < start:
            bad("effective_date", _("A move cannot take effect before %(day)s.") % {"day": start})
        elif ctx.is_closed(day):
            bad("effective_date", closed_message(day))
        start = max(start, day)
    ended = "active_to" in changed
    if ended and state.active_to is not None:
        if state.active_to < start:
            bad("active_to", _("The end cannot come before %(day)s.") % {"day": start})
        elif ctx.is_closed(state.active_to):
            bad("active_to", closed_message(state.active_to))
    for name, value in values.items():
        setattr(known, name, value)
    changed += ["supervisor"] if old_sup != state.supervisor else []
    return Change(row, known, created=False, supervisor=state.supervisor, day=day, moved=moved,
                  ended=ended, changed=changed)  # fmt: skip


def _check_graph(final: dict[str, State], problems: list[Problem]) -> None:
    """No supervisor cycles; nobody active reports to someone whose employment ended."""
    still: dict[str, int] = {}
    for nip, state in final.items():
        boss = final.get(state.supervisor or "")
        if state.row is not None and state.supervisor and _cycles(final, nip):
            problems.append(Problem(state.row.line, "supervisor_nip", cycle_message()))
        if boss is None or boss.active_to is None:
            continue
        if state.active_to is None or state.active_to > boss.active_to:
            if boss.row is not None and "active_to" in boss.row.present and boss.row.active_to:
                still[state.supervisor or ""] = still.get(state.supervisor or "", 0) + 1
            elif state.row is not None:
                problems.append(Problem(state.row.line, "supervisor_nip", inactive_message()))
    for nip, count in still.items():
        message = _("%(count)d active people still report to this person: move them first.")
        row = final[nip].row
        line = row.line if row is not None else 0
        problems.append(Problem(line, "active_to", message % {"count": count}))


def _cycles(final: dict[str, State], start: str) -> bool:
    seen: set[str] = set()
    current = final[start].supervisor
    while current is not None and current not in seen:
        if current == start:
            return True
        seen.add(current)
        current = final[current].supervisor if current in final else None
    return False


def _check_unique(
    final: dict[str, State], attribute: str, message: str, problems: list[Problem]
) -> None:
    holders: dict[object, list[State]] = {}
    for state in final.values():
        value = getattr(state, attribute)
        if value:
            holders.setdefault(value, []).append(state)
    column = "nik" if attribute == "nik" else "email"
    for shared in holders.values():
        if len(shared) > 1:
            for state in shared:
                if state.row is not None:
                    problems.append(Problem(state.row.line, column, message))
