"""Writing activity entries: a civil servant logs a piece of work, attaches its evidence,
or withdraws it while it waits for review.

Creating an entry is the module's hottest write (a Bandung-sized region makes about 3.5
million a month), so it reads everything its rules need in three statements: the person's
registry row, locked (so two entries sent at once for the same person queue instead of
both passing the overlap and cap checks); that person's entries of the day together with
any entry already sent under the same device key (the idempotent replay); and the activity
with whether the month is closed. tests/test_worklog_statements.py pins the count.

Those three reads are written out as SQL (with the region named in each, as the ORM's
scope would), their values converted as the ORM converts them: built through the ORM they
cost 1.5 to 2.7 ms of Python each, mostly in compiling the query, against 0.2 to 0.5 ms
written out — the ORM's were together about a third of what logging an entry through the
API costs (bench/README.md, the performance bench). tests/test_worklog_services.py holds
every rule's answer; the SQL runs on SQLite too."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from lumbung.core.attachments import PDF_MAGIC, CleanFile, clean_image, clean_pdf
from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.workflow import case_start
from lumbung.core.services.workflow_bulk import cases_transition_bulk

from ..common import record, require_open_month, settings_of
from ..errors import PerformanceError
from ..models import Activity, Employee, Entry, Period, PeriodState
from ..selectors import region_today
from ..workflow import APPROVED, SUBMITTED, WITHDRAWN
from . import rules

# Entries that hold their time and minutes: a rejected or withdrawn one frees them.
LIVE = (SUBMITTED, APPROVED)
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
KEY_MAX = 64
NOTE_MAX = 2000
QUANTITY_MAX = 1000


@dataclass(frozen=True)
class EntryInput:
    client_key: str
    work_date: dt.date
    start_time: dt.time
    end_time: dt.time
    activity_id: int
    quantity: int
    note: str = ""
    overtime: bool = False


def entry_create(
    *,
    region: Region,
    actor: User,
    data: EntryInput,
    evidence: UploadedFile | None = None,
) -> tuple[Entry, bool]:
    """Log one entry for the signed-in civil servant; return it and whether it is new.
    The same device key sent again returns the entry already made (an offline queue that
    retries), never a second one."""
    data = replace(data, start_time=_wall(data.start_time), end_time=_wall(data.end_time))
    _validate(data)
    clean = clean_evidence(evidence) if evidence is not None else None
    try:
        return _create(region, actor, data, clean)
    except IntegrityError:
        # Two requests with one key raced past the replay check: the other one won.
        existing = Entry.objects.filter(
            region=region, employee__user=actor, client_key=data.client_key
        ).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def _create(
    region: Region, actor: User, data: EntryInput, evidence: CleanFile | None
) -> tuple[Entry, bool]:
    calendar = RegionCalendar(region)
    today = region_today(region)
    person = _locked_employee(region, actor, today)
    day = _day(region, person, data)
    if day.replayed is not None:
        return day.replayed, False
    settings = settings_of(region)
    rules.check_date(
        calendar,
        data.work_date,
        today,
        limit=int(settings["backdate_working_days"]),
        overtime=data.overtime,
    )
    activity = _activity_for(region, person, data)
    claimed = data.quantity * activity.standard_minutes
    rules.check_span(data.quantity, activity.standard_minutes, data.start_time, data.end_time)
    rules.check_overlap((data.start_time, data.end_time), day.spans)
    rules.check_cap(day.claimed, claimed, int(settings["daily_cap_minutes"]))
    entry = Entry(
        region=region,
        employee=person,
        reviewer_id=person.supervisor_id,
        work_date=data.work_date,
        start_time=data.start_time,
        end_time=data.end_time,
        activity=activity,
        quantity=data.quantity,
        standard_minutes=activity.standard_minutes,
        claimed_minutes=claimed,
        note=data.note,
        overtime=data.overtime,
        client_key=data.client_key,
        created_by=actor,
    )
    if evidence is not None:
        entry.evidence.save(evidence.name, evidence.content, save=False)
    case_start(entry, actor=actor)
    record(region, actor, entry, "entry_create", _summary(entry))
    return entry, True


# The three reads, written out -------------------------------------------------------------


@functools.cache
def _conversions(
    alias: str, model: type[Model], columns: tuple[str, ...]
) -> tuple[tuple[str, Any, tuple[Any, ...]], ...]:
    """For each column a read returns: its attribute name, its expression (None for a
    column that is no field) and the converters the ORM applies to its values on this
    database, worked out once per process (what a RawQuerySet works out on every read)."""
    db = connections[alias]
    fields = {f.column: f for f in model._meta.concrete_fields}
    found: list[tuple[str, Any, tuple[Any, ...]]] = []
    for column in columns:
        field = fields.get(column)
        if field is None:
            found.append((column, None, ()))
            continue
        col = field.get_col(model._meta.db_table)
        converters = (*db.ops.get_db_converters(col), *col.get_db_converters(db))
        found.append((field.attname, col, converters))
    return tuple(found)


class _Read:
    """The rows of one written-out SELECT of a model's columns (and extra ones), each value
    converted as the ORM would only when asked for: the day's entries are looked at for
    their times and minutes, and made into an Entry only when one is a replay."""

    def __init__(self, model: type[Model], sql: str, params: list[Any]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = tuple(c[0] for c in cursor.description)
            self.rows = cursor.fetchall()
        self.model = model
        self.plan = _conversions(connection.alias, model, columns)
        self.at = {name: i for i, (name, _col, _conv) in enumerate(self.plan)}

    def value(self, row: tuple[Any, ...], name: str) -> Any:
        index = self.at[name]
        value, (_name, col, converters) = row[index], self.plan[index]
        for convert in converters:
            value = convert(value, col, connection)
        return value

    def instance(self, row: tuple[Any, ...]) -> Any:
        """The row as a model instance; columns that are no field become attributes."""
        # from_db takes the values in the model's field order, not the table's.
        names = [f.attname for f in self.model._meta.concrete_fields if f.attname in self.at]
        values = [self.value(row, name) for name in names]
        made = self.model.from_db(connection.alias, names, values)
        for name, col, _conv in self.plan:
            if col is None:
                setattr(made, name, self.value(row, name))
        return made


def _for_update() -> str:
    """The person's lock. NO KEY UPDATE, not UPDATE: the foreign-key checks of other
    entries that name this person (a subordinate's entry names them its reviewer) take
    KEY SHARE at commit, which UPDATE would block. Their transaction has advanced the
    region's audit chain by then, and this one waits for the chain: with UPDATE, a
    supervisor and a subordinate logging at the same moment deadlocked (the bench found
    it). SQLite has no row locks (its writers queue on the whole database anyway)."""
    features = connection.features
    if features.has_select_for_no_key_update:
        return " FOR NO KEY UPDATE"
    return " FOR UPDATE" if features.has_select_for_update else ""


def _locked_employee(region: Region, actor: User, today: dt.date) -> Employee:
    """The actor's registry row, locked until commit: one person's entries queue here."""
    sql = (
        f"SELECT * FROM {Employee._meta.db_table} WHERE region_id = %s AND user_id = %s "  # noqa: S608
        "AND active_from <= %s AND (active_to IS NULL OR active_to >= %s)" + _for_update()
    )
    day = connection.ops.adapt_datefield_value(today)
    read = _Read(Employee, sql, [region.pk, actor.pk, day, day])
    if not read.rows:
        raise DomainError(
            PerformanceError.NOT_AN_EMPLOYEE,
            _("You are not an active civil servant in this region's staff registry."),
            status=403,
        )
    person: Employee = read.instance(read.rows[0])
    return person


@dataclass(frozen=True)
class _Day:
    """The person's day as the rules see it: the time each standing entry takes, and the
    minutes they claim; or the entry already sent under the device key."""

    spans: list[rules.Span]
    claimed: int
    replayed: Entry | None = None


def _day(region: Region, person: Employee, data: EntryInput) -> _Day:
    """The person's entries that hold time on the entry's day, and any sent before under
    its device key (read after the person's lock, so a concurrent entry is seen)."""
    sql = (
        f"SELECT * FROM {Entry._meta.db_table} WHERE region_id = %s AND employee_id = %s "  # noqa: S608
        "AND (client_key = %s OR (work_date = %s AND state IN (%s, %s)))"
    )
    day = connection.ops.adapt_datefield_value(data.work_date)
    read = _Read(Entry, sql, [region.pk, person.pk, data.client_key, day, *LIVE])
    spans, claimed = [], 0
    for row in read.rows:
        if read.value(row, "client_key") == data.client_key:
            return _Day([], 0, read.instance(row))
        spans.append((read.value(row, "start_time"), read.value(row, "end_time")))
        claimed += read.value(row, "claimed_minutes")
    return _Day(spans, claimed)


def _activity_for(region: Region, person: Employee, data: EntryInput) -> Activity:
    """The chosen activity, if it counts and the person's position may use it; read in
    the same statement as whether the entry's month is closed."""
    sql = (
        f"SELECT a.*, EXISTS (SELECT 1 FROM {Period._meta.db_table} p "  # noqa: S608
        "WHERE p.region_id = a.region_id AND p.year = %s AND p.month = %s AND p.state = %s) "
        f"AS month_closed FROM {Activity._meta.db_table} a WHERE a.region_id = %s AND a.id = %s"
    )
    params = [data.work_date.year, data.work_date.month, PeriodState.CLOSED, region.pk,
              data.activity_id]  # fmt: skip
    read = _Read(Activity, sql, params)
    activity: Activity | None = read.instance(read.rows[0]) if read.rows else None
    if activity is not None and getattr(activity, "month_closed", False):
        require_open_month(region, data.work_date)
    if activity is None or activity.state != APPROVED:
        rules.refuse(
            PerformanceError.ACTIVITY_NOT_ALLOWED,
            "activity",
            _("Choose an activity of the region's catalogue that is in use."),
        )
    if activity.positions and person.position not in activity.positions:
        rules.refuse(
            PerformanceError.ACTIVITY_NOT_ALLOWED,
            "activity",
            _("Your position (%(position)s) may not log this activity.")
            % {"position": person.position},
        )
    return activity


def _wall(moment: dt.time) -> dt.time:
    """A local wall-clock time to the minute: entries are counted in whole minutes."""
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def _validate(data: EntryInput) -> None:
    """What the input itself must satisfy, before anything is read."""
    errors: dict[str, list[str]] = {}
    key = data.client_key
    if not key or len(key) > KEY_MAX or not all(c.isalnum() or c in "-_" for c in key):
        errors["client_key"] = [_("A key of up to 64 letters, digits, - or _.")]
    if data.end_time <= data.start_time:
        errors["end_time"] = [_("The end is after the start, on the same day.")]
    if not 1 <= data.quantity <= QUANTITY_MAX:
        errors["quantity"] = [_("From 1 to %(n)d.") % {"n": QUANTITY_MAX}]
    if len(data.note) > NOTE_MAX or "\x00" in data.note:
        errors["note"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX}]
    if errors:
        raise ValidationFailed(errors)


def clean_evidence(upload: UploadedFile) -> CleanFile:
    """A PDF, or an image re-encoded without its location metadata; checked by content."""
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        return clean_pdf(upload, field="evidence", max_bytes=EVIDENCE_MAX_BYTES)
    return clean_image(upload, field="evidence", max_bytes=EVIDENCE_MAX_BYTES)


def _summary(entry: Entry) -> dict[str, object]:
    return {
        "work_date": entry.work_date.isoformat(),
        "time": f"{entry.start_time:%H:%M}-{entry.end_time:%H:%M}",
        "activity": entry.activity_id,
        "quantity": entry.quantity,
        "claimed_minutes": entry.claimed_minutes,
        "overtime": entry.overtime,
    }


# After the entry is made --------------------------------------------------------------------


def _own_waiting(region: Region, actor: User, entry: Entry) -> None:
    """Only the author changes an entry, only while it waits, only in an open month."""
    if (
        entry.region_id != region.pk
        or not Employee.objects.filter(region=region, pk=entry.employee_id, user=actor).exists()
    ):
        raise NotFound()
    if entry.state != SUBMITTED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Only an entry awaiting review can be changed."),
            status=409,
        )
    require_open_month(region, entry.work_date)


@transaction.atomic
def entry_withdraw(*, region: Region, actor: User, entry: Entry) -> Entry:
    """The author takes back an entry still awaiting review; its time and minutes are
    free again. A correction is a withdrawal and a new entry, so both stay on record."""
    _own_waiting(region, actor, entry)
    moved = cases_transition_bulk(
        region=region, actor=actor, model=Entry, ids=[entry.pk], action="withdraw", vetted=True
    )
    if not moved:  # reviewed a moment ago
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Only an entry awaiting review can be changed."),
            status=409,
        )
    entry.refresh_from_db()
    record(region, actor, entry, "entry_withdraw", {"state": [SUBMITTED, WITHDRAWN]})
    return entry


@transaction.atomic
def entry_evidence_attach(
    *, region: Region, actor: User, entry: Entry, upload: UploadedFile
) -> Entry:
    """Attach (or replace) the evidence file of an entry awaiting review."""
    _own_waiting(region, actor, entry)
    clean = clean_evidence(upload)
    old = entry.evidence.name or ""
    entry.evidence.save(clean.name, clean.content, save=False)
    Entry.objects.filter(region=region, pk=entry.pk).update(evidence=entry.evidence.name)
    record(region, actor, entry, "entry_evidence", {"evidence": [old, entry.evidence.name]})
    return entry
