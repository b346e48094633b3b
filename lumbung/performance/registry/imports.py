"""Importing the staff registry from a CSV or XLSX file, all or nothing, and keeping it in
sync: a NIP already registered is updated, and a changed unit, position, grade or
supervisor becomes a new posting from the row's effective date (default: the import day).

The run itself (ImportRun) is recorded either way, with its row-level report; the registry
changes only when no row has a problem. Thousands of rows are written in bulk (a handful of
queries per thousand rows), and the import leaves one audit event, not one per row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import IO, Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.models import Region, User

from ..common import record
from ..models import Employee, ImportKind, ImportRun, Posting
from ..selectors import region_today
from .import_check import Change, plan_import
from .import_rows import Problem, parse_file

MAX_REPORTED = 5_000
BATCH = 1_000
UPDATED = ["name", "employment_type", "unit", "position", "job_grade", "active_to", "email",
           "nik", "user", "supervisor", "updated_at"]  # fmt: skip
POSTED = ["unit", "position", "job_grade", "supervisor"]
T = TypeVar("T")


def staff_import(
    *, region: Region, actor: User | None, file: IO[bytes], filename: str
) -> ImportRun:
    """Read, check and (when every row is right) apply a staff file; the run and its
    report are kept in both cases."""
    today = region_today(region)
    parsed = parse_file(file, filename, today)
    plan = plan_import(region, parsed.rows, today, frozenset(parsed.failed_nips))
    problems = sorted([*parsed.problems, *plan.problems], key=lambda p: (p.row, p.column))
    with transaction.atomic():
        run = ImportRun.objects.create(
            region=region,
            kind=ImportKind.STAFF,
            filename=filename.replace("\x00", "")[:200],
            rows_total=parsed.total,
            created_by=actor if actor and actor.pk else None,
        )
        if problems or not parsed.total:
            return _failed(region, actor, run, problems or [_empty()])
        counts = _write(region, plan.changes, plan.pks)
        run.rows_imported = counts["created"] + counts["updated"]
        run.succeeded = True
        run.save(update_fields=["rows_imported", "succeeded"])
        record(region, actor, run, "staff_import", {"succeeded": True, **counts})
    return run


def _empty() -> Problem:
    return Problem(0, "file", _("The file has no rows to import."))


def _failed(
    region: Region, actor: User | None, run: ImportRun, problems: list[Problem]
) -> ImportRun:
    shown = [p.as_dict() for p in problems[:MAX_REPORTED]]
    if len(problems) > MAX_REPORTED:
        more = len(problems) - MAX_REPORTED
        shown.append(
            Problem(0, "", _("… and %(count)d more problems.") % {"count": more}).as_dict()
        )
    run.errors = shown
    run.save(update_fields=["errors"])
    record(region, actor, run, "staff_import", {"succeeded": False, "problems": len(problems)})
    return run


def report_csv(run: ImportRun) -> str:
    """The run's problems as CSV (row, column, message): no cell values, so no personal data."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "message"])
    for problem in run.errors:
        writer.writerow([problem.get("row", ""), problem.get("field", ""),
                         _safe(str(problem.get("message", "")))])  # fmt: skip
    return out.getvalue()


def _safe(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# Writing ----------------------------------------------------------------------------------


def _write(region: Region, changes: list[Change], pks: dict[str, int]) -> dict[str, int]:
    now = timezone.now()
    new = [c for c in changes if c.created]
    for change in new:
        change.person.supervisor_id = pks.get(change.supervisor or "")  # a new one: below
    Employee.objects.bulk_create([c.person for c in new], batch_size=BATCH)
    pks = {**pks, **{c.person.nip: c.person.pk for c in new}}
    for change in changes:
        change.person.supervisor_id = pks[change.supervisor] if change.supervisor else None
        change.person.updated_at = now
    Employee.objects.bulk_update([c.person for c in changes], UPDATED, batch_size=BATCH)
    postings = [_first_posting(region, c) for c in new]
    postings += _repost(region, [c for c in changes if not c.created and (c.moved or c.ended)])
    Posting.objects.bulk_create(postings, batch_size=BATCH)
    return {
        "created": len(new),
        "updated": len(changes) - len(new),
        "moved": sum(c.moved for c in changes),
        "ended": sum(c.ended for c in changes),
    }


def _first_posting(region: Region, change: Change) -> Posting:
    person = change.person
    return Posting(region=region, employee=person, valid_from=person.active_from,
                   valid_to=person.active_to, **_posted(person))  # fmt: skip


def _posted(person: Employee) -> dict[str, Any]:
    return {"unit_id": person.unit_id, "position": person.position,
            "job_grade": person.job_grade, "supervisor_id": person.supervisor_id}  # fmt: skip


def _repost(region: Region, changes: list[Change]) -> list[Posting]:
    """Close or correct each mover's current posting; the new postings to create."""
    latest = _latest_postings(region, [c.person.pk for c in changes])
    touched: list[Posting] = []
    created: list[Posting] = []
    for change in changes:
        person, current = change.person, latest.get(change.person.pk)
        if change.moved and change.day is not None:
            if current is not None and current.valid_from == change.day:
                for name, value in _posted(person).items():
                    setattr(current, name, value)
                current.valid_to = person.active_to
                touched.append(current)
                continue
            if current is not None:
                current.valid_to = change.day - dt.timedelta(days=1)
                touched.append(current)
            created.append(Posting(region=region, employee=person, valid_from=change.day,
                                   valid_to=person.active_to, **_posted(person)))  # fmt: skip
        elif current is not None:  # ended only
            current.valid_to = person.active_to
            touched.append(current)
    fields = ["valid_to", "unit", "position", "job_grade", "supervisor"]
    Posting.objects.bulk_update(touched, fields, batch_size=BATCH)
    return created


def _latest_postings(region: Region, pks: list[int]) -> dict[int, Posting]:
    latest: dict[int, Posting] = {}
    for chunk in _chunks(pks):
        found = Posting.objects.filter(region=region, employee_id__in=chunk)
        for posting in found.order_by("employee_id", "-valid_from", "-pk"):
            latest.setdefault(posting.employee_id, posting)
    return latest


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]
