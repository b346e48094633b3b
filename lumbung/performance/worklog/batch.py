"""Logging many entries for one person at once: the offline page's "send all" (a phone
that kept a few days of entries while the signal was poor), and the demo's three months.

Every entry keeps exactly the rules of one entry (services.entry_create): the same input
checks, the same rule functions (rules.py) in the same order, each against the person's day
as it stands with the batch's earlier entries in it, and the same idempotency by device key
(a key already logged is returned as it is, never made twice). All or nothing: one entry
that breaks a rule refuses the whole batch, with a problem per entry that names its index,
key, rule and field, and nothing is written.

A batch costs the same few statements whatever its size: the person's row locked, their
entries on the batch's days together with any already sent under the batch's keys, the
activities, which of the batch's months are closed, one multi-row insert of the entries and
one of their start transitions (core's cases_start_bulk), and one audit event listing the
entries (three statements on the audit chain); entries sent before under the batch's keys
are read whole in one more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.workflow_bulk import cases_start_bulk

from ..common import record, require_open_month, settings_of
from ..errors import PerformanceError
from ..models import Activity, Employee, Entry, Period, PeriodState
from ..selectors import employees, region_today
from ..workflow import APPROVED
from . import rules
from .services import LIVE, EntryInput, _validate, _wall

# More than a week of a busy person's entries: a phone's queue, not a data load.
MAX_ITEMS = 200
# What the rules and the answer read of an activity.
ACTIVITY_FIELDS = ("region", "state", "standard_minutes", "positions", "name_id", "name_en",
                   "output_unit_id", "output_unit_en")  # fmt: skip


class BatchError(StrEnum):
    REFUSED = "performance_batch_refused"


@dataclass(frozen=True)
class ItemProblem:
    """Why one entry of a batch was refused: its place, its key and the rule it broke."""

    index: int
    client_key: str
    code: str
    status: int
    detail: str
    errors: dict[str, list[str]]

    def as_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "client_key": self.client_key,
            "code": self.code,
            "status": self.status,
            "detail": self.detail,
            "errors": self.errors,
        }


class BatchRefused(DomainError):
    """Some entries of a batch break a rule: none was logged. `problems` has one item per
    refused entry; the field errors name them as `items.<index>.<field>`. The status is the
    entries' own when they agree (409 for overlaps and closed months), else 422."""

    def __init__(self, problems: list[ItemProblem], total: int) -> None:
        statuses = {p.status for p in problems}
        errors = {
            f"items.{p.index}.{name}": messages
            for p in problems
            for name, messages in (p.errors or {"__all__": [p.detail]}).items()
        }
        super().__init__(
            BatchError.REFUSED,
            _("%(refused)d of the %(total)d entries break a rule; none was logged.")
            % {"refused": len(problems), "total": total},
            field_errors=errors,
            status=statuses.pop() if len(statuses) == 1 else 422,
        )
        self.problems = problems


@dataclass
class BatchResult:
    """The batch's entries in the order they were sent, and which of them are new (the
    others were logged before under the same key)."""

    entries: list[Entry] = field(default_factory=list)
    created: list[bool] = field(default_factory=list)

    @property
    def created_count(self) -> int:
        return sum(self.created)


def entries_create_batch(
    *, region: Region, actor: User, items: Sequence[EntryInput]
) -> BatchResult:
    """Log the signed-in civil servant's entries together, all or none; a key already
    logged returns its entry (an offline queue sending everything again after a lost
    answer gets the same entries back, none twice)."""
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationFailed(
            {"items": [_("Send from 1 to %(n)d entries at once.") % {"n": MAX_ITEMS}]}
        )
    cleaned = [
        replace(d, start_time=_wall(d.start_time), end_time=_wall(d.end_time)) for d in items
    ]
    problems = [*_input_problems(cleaned), *_repeated_keys(cleaned)]
    if problems:
        raise BatchRefused(sorted(problems, key=lambda p: p.index), len(items))
    try:
        return _create(region, actor, cleaned)
    except IntegrityError:
        # Another request with some of these keys committed between our read and our
        # insert (the person's row lock makes this rare): sent again, they are replays.
        return _create(region, actor, cleaned)


def _problem(index: int, data: EntryInput, error: DomainError) -> ItemProblem:
    return ItemProblem(
        index, data.client_key, str(error.code), error.status, str(error.message),
        error.field_errors,
    )  # fmt: skip


def _input_problems(items: Sequence[EntryInput]) -> list[ItemProblem]:
    """What each entry's input must satisfy on its own (the single entry's checks)."""
    found = []
    for index, data in enumerate(items):
        try:
            _validate(data)
        except DomainError as error:
            found.append(_problem(index, data, error))
    return found


def _repeated_keys(items: Sequence[EntryInput]) -> list[ItemProblem]:
    """A device key names one entry: sent twice in one batch, the second is a mistake."""
    first: dict[str, int] = {}
    found = []
    for index, data in enumerate(items):
        if data.client_key in first:
            message = _("This key is already used by entry %(n)d of the batch.") % {
                "n": first[data.client_key]
            }
            error = ValidationFailed({"client_key": [message]})
            found.append(_problem(index, data, error))
        first.setdefault(data.client_key, index)
    return found


@dataclass
class _Day:
    """One day of the person as the rules see it: the time taken and minutes claimed by
    the entries that still stand, the batch's earlier ones included."""

    spans: list[rules.Span] = field(default_factory=list)
    claimed: int = 0

    def add(self, start: dt.time, end: dt.time, claimed: int) -> None:
        self.spans.append((start, end))
        self.claimed += claimed


@transaction.atomic
def _create(region: Region, actor: User, items: list[EntryInput]) -> BatchResult:
    today = region_today(region)
    person = _locked_person(region, actor, today)
    keys = _keys(items)
    days: dict[dt.date, _Day] = {}
    sent: list[int] = []
    for pk, key, day, start, end, claimed, state in _known(region, person, items):
        if state in LIVE:
            days.setdefault(day, _Day()).add(start, end, claimed)
        if key in keys:
            sent.append(pk)
    replayed = _replayed(region, sent)
    by_key = {e.client_key: e for e in replayed}
    fresh = [(i, d) for i, d in enumerate(items) if d.client_key not in by_key]
    checker = _Checker(region, person, today, [d for _i, d in fresh])
    made: dict[int, Entry] = {}
    problems: list[ItemProblem] = []
    for index, data in fresh:
        try:
            made[index] = checker.entry(actor, data, days.setdefault(data.work_date, _Day()))
        except DomainError as error:
            problems.append(_problem(index, data, error))
    if problems:
        raise BatchRefused(problems, len(items))
    if made:
        cases_start_bulk(list(made.values()), actor=actor)
        record(region, actor, person, "entries_create", _summary(list(made.values())))
    return BatchResult(
        entries=[made[i] if i in made else by_key[d.client_key] for i, d in enumerate(items)],
        created=[i in made for i in range(len(items))],
    )


def _locked_person(region: Region, actor: User, today: dt.date) -> Employee:
    """The actor's registry row, locked until commit, as the single entry locks it: one
    person's entries, single or in batches, queue here. NO KEY UPDATE (on PostgreSQL): the
    foreign-key checks of entries by the people this person supervises only share the row,
    so a supervisor's own batch never waits for (or deadlocks with) theirs."""
    found = employees(region, on=today).filter(user=actor)
    person = found.select_for_update(no_key=True).order_by().first()
    if person is None:
        raise DomainError(
            PerformanceError.NOT_AN_EMPLOYEE,
            _("You are not an active civil servant in this region's staff registry."),
            status=403,
        )
    return person


def _keys(items: list[EntryInput]) -> set[str]:
    return {d.client_key for d in items}


def _known(region: Region, person: Employee, items: list[EntryInput]) -> list[tuple[Any, ...]]:
    """The person's entries sent before under the batch's keys, and those standing on the
    batch's days, in one statement: only what the rules and the replay check read."""
    dates = sorted({d.work_date for d in items})
    return list(
        Entry.objects.filter(region=region, employee=person)
        .filter(Q(client_key__in=_keys(items)) | Q(work_date__in=dates, state__in=LIVE))
        .order_by()
        .values_list(
            "pk", "client_key", "work_date", "start_time", "end_time", "claimed_minutes", "state"
        )
    )


def _replayed(region: Region, ids: list[int]) -> list[Entry]:
    """The entries already sent under the batch's keys, whole, to be answered as they are
    (a statement only when there are some)."""
    if not ids:
        return []
    return list(Entry.objects.filter(region=region, pk__in=ids).select_related("activity"))


class _Checker:
    """The single entry's rules, with what they read loaded once for the whole batch."""

    def __init__(
        self, region: Region, person: Employee, today: dt.date, items: list[EntryInput]
    ) -> None:
        settings = settings_of(region)
        self.region, self.person, self.today = region, person, today
        self.calendar = _Calendar(region)
        self.limit = int(settings["backdate_working_days"])
        self.cap = int(settings["daily_cap_minutes"])
        self.activities = _activities(region, {d.activity_id for d in items})
        months = {(d.work_date.year, d.work_date.month) for d in items}
        self.closed = _closed_months(region, months) if self.activities else set()

    def entry(self, actor: User, data: EntryInput, day: _Day) -> Entry:
        """The entry, unsaved, once every rule holds (in the single entry's order); the
        day takes its time and minutes, so the batch's next entries see them."""
        rules.check_date(
            self.calendar, data.work_date, self.today, limit=self.limit, overtime=data.overtime
        )
        activity = self._activity(data)
        claimed = data.quantity * activity.standard_minutes
        rules.check_span(data.quantity, activity.standard_minutes, data.start_time, data.end_time)
        rules.check_overlap((data.start_time, data.end_time), day.spans)
        rules.check_cap(day.claimed, claimed, self.cap)
        day.add(data.start_time, data.end_time, claimed)
        return Entry(
            region=self.region, employee=self.person, reviewer_id=self.person.supervisor_id,
            work_date=data.work_date, start_time=data.start_time, end_time=data.end_time,
            activity=activity, quantity=data.quantity,
            standard_minutes=activity.standard_minutes, claimed_minutes=claimed,
            note=data.note, overtime=data.overtime, client_key=data.client_key,
            created_by=actor,
        )  # fmt: skip

    def _activity(self, data: EntryInput) -> Activity:
        """As services._activity_for: a closed month first, then whether the activity is
        in use and the person's position may use it."""
        activity = self.activities.get(data.activity_id)
        if activity is not None and (data.work_date.year, data.work_date.month) in self.closed:
            require_open_month(self.region, data.work_date)
        if activity is None or activity.state != APPROVED:
            rules.refuse(
                PerformanceError.ACTIVITY_NOT_ALLOWED,
                "activity",
                _("Choose an activity of the region's catalogue that is in use."),
            )
        if activity.positions and self.person.position not in activity.positions:
            rules.refuse(
                PerformanceError.ACTIVITY_NOT_ALLOWED,
                "activity",
                _("Your position (%(position)s) may not log this activity.")
                % {"position": self.person.position},
            )
        return activity


def _activities(region: Region, ids: set[int]) -> dict[int, Activity]:
    if not ids:
        return {}
    found = Activity.objects.filter(region=region, pk__in=ids).only(*ACTIVITY_FIELDS)
    return {a.pk: a for a in found}


def _closed_months(region: Region, months: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of the batch's months are closed (a plain read: cheaper than an EXISTS per
    month on the activities' statement)."""
    closed = Period.objects.filter(
        region=region, state=PeriodState.CLOSED, year__in={year for year, _month in months}
    )
    return set(closed.values_list("year", "month")) & months


class _Calendar(RegionCalendar):
    """The region's calendar, remembering which days are closed for one batch: its entries
    ask about the same few days again and again."""

    def closed_days(self, start: dt.date, end: dt.date) -> dict[dt.date, str]:
        memo: dict[tuple[dt.date, dt.date], dict[dt.date, str]]
        memo = self.__dict__.setdefault("_closed_memo", {})
        if (start, end) not in memo:
            memo[start, end] = super().closed_days(start, end)
        return memo[start, end]


def _summary(made: list[Entry]) -> dict[str, object]:
    """The audit event's changes: which entries, on which days, how many minutes."""
    return {
        "entries": [e.pk for e in made],
        "days": sorted({e.work_date.isoformat() for e in made}),
        "claimed_minutes": sum(e.claimed_minutes for e in made),
    }
