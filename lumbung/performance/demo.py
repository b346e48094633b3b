"""The performance (E-RK) demo: for each demo region with the module on, a hundred civil
servants (a setting) in the region's units with their supervisor chains (a staff file),
TPP bases per grade, the formula, the activity catalogue (and three proposals), and three
months of work: the two months before this one, closed with their TPP, and this month to
date. Everything is written through the module's own services, each step with the clock
set to the moment it happens (core's demo_clock), so every rule holds as it did then:

- entries are sent by their authors in batches of three or four working days (the batch
  service, the offline queue's "send all") on the evening of the last one, within the
  back-dating limit, never on a closed day but for assigned overtime;
- supervisors review every third working day (approving; a few rejections and adjusted
  quantities, with reasons); one approves each batch within seconds; one stopped two weeks
  ago (the escalation task moves those entries up); the last days' entries still wait; a
  few are withdrawn by their authors;
- each month's attendance (a generated machine export and leave records) is imported by
  the payroll officer on the 2nd of the next month; the month is computed on the 3rd and
  closed on its cut-off day, once that day has come (before it, last month is still open);
- the permit office (DPMPTSP) is overloaded, some staff are idle, some come late, and the
  anomalies auditors look for are there: an entry copied day after day, a note shared by
  six people on one day, a person at the daily cap every day, implausible quantities, a
  supervisor approving within seconds.

Entries made in bulk just before the cut-off for dates well before it cannot be made under
the default back-dating limit (3 working days; the anomaly looks at dates a week before the
last three days): the demo plans them only where the region's setting allows them (see
docs/performance/demo.md). Deterministic (seeded by the region's code) and idempotent: a
region that has entries gets nothing more. `LUMBUNG_DEMO_PERFORMANCE_STAFF` sets the
number of civil servants per region (0: none, no performance demo)."""

from __future__ import annotations

import datetime as dt
import io
import random
import zlib
from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from lumbung.core.calendar import RegionCalendar
from lumbung.core.demo import demo_user
from lumbung.core.demo_clock import demo_clock
from lumbung.core.models import Region, Unit
from lumbung.core.models.people import Role
from lumbung.core.services.people import membership_grant, user_ensure

from . import demo_data as d
from .allowance.attendance import attendance_import
from .allowance.compute import month_compute, period_of
from .allowance.formulas import bandung_barat_example, bandung_default, formula_add
from .allowance.months import cutoff_of, month_close
from .common import settings_of
from .models import Employee, Entry, ImportKind
from .registry.imports import staff_import
from .registry.tpp import tpp_base_add
from .review.services import entries_approve, entry_adjust, entry_reject
from .review.tasks import escalate_reviews_region
from .workflow import SUBMITTED
from .worklog import rules
from .worklog.activities import (
    ActivityInput,
    activity_accept,
    activity_create,
    activity_decline,
    activity_propose,
)
from .worklog.batch import entries_create_batch
from .worklog.services import EntryInput, entry_withdraw

STAFF_DEFAULT = 100
BANDUNG = "32.73"  # the pinned default formula; the other demo region takes the example
Step = Callable[[], None]


def demo_load_region(region: Region) -> None:
    """The module's demo hook (ModuleConfig.demo). Runs inside the region's scope."""
    size = int(getattr(settings, "LUMBUNG_DEMO_PERFORMANCE_STAFF", STAFF_DEFAULT))
    if size <= 0 or region.is_province or Entry.objects.filter(region=region).exists():
        return
    # The reviews' notices are history, not news: nobody is sent them.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        demo_clock() as set_clock,
    ):
        _Demo(region, size, set_clock).run()


class _Demo:
    def __init__(self, region: Region, size: int, set_clock: Callable[[dt.datetime], None]):
        self.region, self.set_clock = region, set_clock
        self.rng = random.Random(f"performance-demo:{region.code}")  # noqa: S311 - not secret
        self.calendar = RegionCalendar(region)
        self.now = timezone.now()
        self.today = self.calendar.local_date(self.now)
        first = self.today.replace(day=1)
        self.months = [d.month_back(first, 2), d.month_back(first, 1), first]
        units = list(Unit.objects.filter(region=region).values_list("code", flat=True))
        year = self.months[0].year - 1
        self.people = d.people(units, size, self.rng, year, region.slug)
        self.steps: list[tuple[dt.datetime, int, Step]] = []
        self.closed: set[tuple[int, int]] = set()
        self.forced: dict[str, str] = {}

    def local(self, day: dt.date, hour: int, minutes: int = 0) -> dt.datetime:
        """`minutes` after `hour` o'clock on `day`, the region's local time."""
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=self.calendar.tz)
        return start + dt.timedelta(minutes=minutes)

    def plan(self, when: dt.datetime, step: Step) -> None:
        self.steps.append((when, len(self.steps), step))

    def run(self) -> None:
        self.set_clock(self.local(self.months[0] - dt.timedelta(days=14), 9))
        self._setup()
        days = d.days_between(self.months[0], self.today)
        evening = self.now >= self.local(self.today, 19)
        self.working = [
            x for x in days if self.calendar.is_working_day(x) and (x < self.today or evening)
        ]
        self._cast()
        self.days = {p.nip: self._days_of(p) for p in self.people}
        self._force_reviews()
        self._plan_bulk()
        self._plan_batches()
        self._plan_reviews()
        self._plan_months()
        self._plan_proposals()
        for when, _order, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            if when <= self.now:  # what the plan puts in the future has not happened yet
                self.set_clock(when)
                step()
        self.set_clock(self.now)
        escalate_reviews_region(self.region)
        # Last month's attendance comes on the 2nd: before it, the demo imports it now.
        if self.now < self.local(self.months[2].replace(day=2), 7, 15):
            self._attendance(self.months[1], self.months[2] - dt.timedelta(days=1))
        self._attendance(self.months[2], self.today - dt.timedelta(days=1))
        for first in self.months[1:]:
            if (first.year, first.month) not in self.closed:  # the projected allowance
                self._compute(first)()

    # Before the first month: accounts, registry, allowance, catalogue ------------------------

    def _setup(self) -> None:
        region, slug = self.region, self.region.slug
        self.admin = demo_user(f"admin@{slug}.demo")
        self.payroll = demo_user(f"payroll@{slug}.demo", f"Payroll {region.name}")
        membership_grant(
            region=region, actor=self.admin, user=self.payroll, role=Role.PAYROLL,
            unit=Unit.objects.get(region=region, code="BPKAD"), title="Pengelola TPP",
        )  # fmt: skip
        # Every ASN has an account to log with; only the demo's own know the password.
        self.users = {
            p.nip: demo_user(p.email, p.name)
            if p.account in ("head", "atasan", "asn")
            else user_ensure(email=p.email, full_name=p.name)
            for p in self.people
        }
        file = io.BytesIO(d.staff_file(self.people))
        run = staff_import(region=region, actor=self.admin, file=file, filename="pegawai.csv")
        if not run.succeeded:
            raise RuntimeError(f"The demo's staff file was refused: {run.errors[:3]}")
        self.employees = {e.nip: e for e in Employee.objects.filter(region=region)}
        start = self.months[0].replace(month=1)
        for grade, amount in d.TPP_BASES.items():
            tpp_base_add(region=region, actor=self.admin, job_grade=grade, amount=amount,
                         effective_from=start)  # fmt: skip
        formula = bandung_default(start)
        if region.code != BANDUNG:
            example = bandung_barat_example(start)
            formula = replace(example, name=f"{region.name}: kinerja 60% + kehadiran 40%")
        formula_add(region=region, actor=self.payroll, data=formula)
        leads = tuple(sorted({p.position for p in self.people if p.lead}))
        self.activity_ids = [
            activity_create(
                region=region, actor=self.admin,
                data=ActivityInput(name_id, name_en, unit_id, unit_en, minutes,
                                   leads if who == "lead" else tuple(who)),
            ).pk
            for name_id, name_en, unit_id, unit_en, minutes, who in d.ACTIVITIES
        ]  # fmt: skip

    def _cast(self) -> None:
        """Who plays which part beyond their own days: the fast and the slow reviewer, the
        six who share a note, the one who logs in bulk, two on Saturday overtime, the
        three who propose activities."""
        named = {p.account: p for p in self.people if p.account in ("head", "atasan", "asn")}
        self.head, self.atasan, self.asn = named["head"], named["atasan"], named["asn"]
        leads = sorted(
            (p for p in self.people if p.reports and p.supervisor and p.unit != d.BUSY_UNIT),
            key=lambda p: (-len(p.reports), p.nip),
        )
        self.fast = leads[0]
        self.slow = next(p for p in leads if p.unit != self.fast.unit)
        normal = [
            p for p in self.people
            if p.profile == "normal" and p.supervisor not in (self.fast.nip, self.slow.nip)
        ]  # fmt: skip
        self.sharers = {p.nip for p in normal[:6]}
        self.bulk, rest = normal[6], normal[7:]
        self.overtimers = sorted(p.nip for p in self.people if p.unit == "DPUPR" and not p.lead)
        social = next((p for p in rest if p.unit == "DINSOS"), rest[0])
        staffing = next((p for p in rest if p.unit == "BKPSDM" and p is not social), rest[1])
        self.proposers = [self.asn, social, staffing]
        self.shared_days = {
            min(x for x in self.working if x >= first.replace(day=10))
            for first in self.months
            if any(x >= first.replace(day=10) for x in self.working)
        }
        # The Saturdays the offices are closed, up to the last day of the plan.
        self.saturdays = [
            x for x in d.days_between(self.months[0], self.working[-1])
            if x.weekday() == 5 and not self.calendar.is_working_day(x)
        ]  # fmt: skip

    def _days_of(self, person: d.Person) -> dict[dt.date, d.Day]:
        rng = random.Random(f"{self.region.code}:{person.nip}")  # noqa: S311 - not a secret
        kinds = d.day_kinds(rng, person, self.working)
        shared = person.nip in self.sharers
        large: dict[dt.date, int] = {}
        if person.profile == "large":
            for first in self.months:
                month = [x for x in self.working if x.month == first.month]
                large.update((month[n], q) for n, q in d.LARGE_DAYS.items() if n < len(month))
        return {
            day: (kind, d.day_entries(rng, person, day, shared=shared and day in self.shared_days,
                                      large=large.get(day, 0))
                  if kind in ("present", "duty") else [])
            for day, kind in kinds.items()
        }  # fmt: skip

    def _force_reviews(self) -> None:
        """The demo ASN's account shows an adjusted entry in the first month and a rejected
        one in the second."""
        for first, verdict in ((self.months[0], "adjust"), (self.months[1], "reject")):
            for day, (_kind, entries) in sorted(self.days[self.asn.nip].items()):
                chosen = [n for n, e in enumerate(entries) if e.quantity > 1]
                if day >= first.replace(day=10) and chosen:
                    self.forced[self._key(self.asn, day, chosen[0])] = verdict
                    break

    # Entries -------------------------------------------------------------------------------

    def _key(self, person: d.Person, day: dt.date, n: int) -> str:
        return f"demo-{self.region.code.replace('.', '')}-{person.nip}-{day:%Y%m%d}-{n}"

    def _input(self, person: d.Person, day: dt.date, n: int, planned: d.Planned) -> EntryInput:
        return EntryInput(
            client_key=self._key(person, day, n), work_date=day, start_time=planned.start,
            end_time=planned.end, activity_id=self.activity_ids[planned.activity],
            quantity=planned.quantity, note=planned.note, overtime=planned.overtime,
        )  # fmt: skip

    def _plan_batches(self) -> None:
        for person in self.people:
            rng = random.Random(f"{self.region.code}:batches:{person.nip}")  # noqa: S311
            days, held = self.days[person.nip], self.held.get(person.nip, set())
            for chunk in d.chunks(rng, self.working):
                items = [self._input(person, day, n, planned)
                         for day in chunk if day not in held
                         for n, planned in enumerate(days[day][1])]  # fmt: skip
                self._send(self.local(chunk[-1], 16, rng.randint(5, 170)), person, items)
            for saturday, planned in self._overtime(person):
                items = [self._input(person, saturday, n, p) for n, p in enumerate(planned)]
                self._send(self.local(saturday, 12, 30), person, items)

    def _overtime(self, person: d.Person) -> list[tuple[dt.date, list[d.Planned]]]:
        """Assigned overtime on Saturdays: the overloaded office every Saturday (its staff
        verify files, its heads correct drafts), two DPUPR field staff on the second
        Saturday of a month (a survey)."""
        if person.unit == d.BUSY_UNIT:
            work, each = (d.CORRECT, 8) if person.lead else (d.VERIFY, 12)
            morning = [
                d.Planned(dt.time(hour), dt.time(hour + 2), work, each, "Lembur", overtime=True)
                for hour in (8, 10)
            ]
            return [(saturday, morning) for saturday in self.saturdays]
        if person.nip in self.overtimers[:2]:
            survey = d.Planned(dt.time(8), dt.time(11), d.SURVEY, 1,
                               "Survei lapangan darurat longsor", overtime=True)  # fmt: skip
            return [(x, [survey]) for x in self.saturdays if 8 <= x.day <= 14]
        return []

    def _send(self, when: dt.datetime, person: d.Person, items: list[EntryInput]) -> None:
        if not items:
            return
        user = self.users[person.nip]

        def send() -> None:
            entries_create_batch(region=self.region, actor=user, items=items)

        self.plan(when, send)
        if person.supervisor == self.fast.nip:
            seconds = dt.timedelta(seconds=self.rng.randint(4, 25))
            self.plan(when + seconds, self._approve_at_once(person, items))
            return
        for item in items:
            if zlib.crc32(item.client_key.encode()) % 400 == 5 and person.profile == "normal":
                later = when + dt.timedelta(minutes=self.rng.randint(3, 40))
                self.plan(later, self._withdraw(person, item.client_key))

    def _approve_at_once(self, person: d.Person, items: list[EntryInput]) -> Step:
        keys = [i.client_key for i in items]

        def approve() -> None:
            found = Entry.objects.filter(region=self.region, employee=self.employees[person.nip],
                                         client_key__in=keys, state=SUBMITTED)  # fmt: skip
            ids = list(found.values_list("pk", flat=True))
            if ids:
                entries_approve(region=self.region, actor=self.users[self.fast.nip], ids=ids)

        return approve

    def _withdraw(self, person: d.Person, key: str) -> Step:
        def withdraw() -> None:
            employee = self.employees[person.nip]
            entry = Entry.objects.get(region=self.region, employee=employee, client_key=key)
            entry_withdraw(region=self.region, actor=self.users[person.nip], entry=entry)

        return withdraw

    def _plan_bulk(self) -> None:
        """One person forgets part of a month and logs it in one go two days before the
        cut-off: the days at least a week before the last three, as far back as the
        region's back-dating limit reaches (3 working days reach none of them)."""
        self.held: dict[str, set[dt.date]] = {}
        limit = int(settings_of(self.region)["backdate_working_days"])
        for first in self.months[:2]:
            cutoff = cutoff_of(self.region, first.year, first.month)
            sent = cutoff - dt.timedelta(days=2)
            days = [
                x for x in self.working
                if x.month == first.month and x <= cutoff - dt.timedelta(days=10)
                and rules.backdate_allowed(self.calendar, x, sent, limit)
            ]  # fmt: skip
            if len(days) < 4:
                continue
            self.held.setdefault(self.bulk.nip, set()).update(days)
            plan = self.days[self.bulk.nip]
            items = [self._input(self.bulk, day, n, planned)
                     for day in days for n, planned in enumerate(plan[day][1])]  # fmt: skip
            self._send(self.local(sent, 19), self.bulk, items)

    # Reviews, months, proposals --------------------------------------------------------------

    def _plan_reviews(self) -> None:
        """Supervisors review every third working day, in the morning; the slow one stopped
        two weeks ago (their team's entries wait, overdue, until the escalation task moves
        them up), atasan@ two days ago (the demo's queue is not empty)."""
        leads = [p for p in self.people if p.reports and p.nip != self.fast.nip]
        until = {self.slow.nip: self.working[-10], self.atasan.nip: self.working[-2]}
        for index, lead in enumerate(leads):
            rng = random.Random(f"{self.region.code}:reviews:{lead.nip}")  # noqa: S311
            last = until.get(lead.nip, self.working[-1])
            for n, day in enumerate(self.working):
                if (n + index) % 3 == 0 and day <= last:
                    self.plan(self.local(day, 9, rng.randint(0, 150)), self._session(lead))

    def _session(self, lead: d.Person) -> Step:
        def review() -> None:
            me, user = self.employees[lead.nip], self.users[lead.nip]
            waiting = Entry.objects.filter(region=self.region, reviewer=me, state=SUBMITTED)
            approve: list[int] = []
            for pk, key, quantity, day in waiting.values_list(
                "pk", "client_key", "quantity", "work_date"
            ):
                if (day.year, day.month) in self.closed:
                    continue  # left waiting: a closed month takes only corrections
                verdict = self._verdict(key, quantity)
                if verdict == "approve":
                    approve.append(pk)
                    continue
                entry = Entry.objects.get(region=self.region, pk=pk)
                if verdict == "reject":
                    reason = d.REJECT_REASONS[pk % len(d.REJECT_REASONS)]
                    entry_reject(region=self.region, actor=user, entry=entry, reason=reason)
                else:
                    entry_adjust(region=self.region, actor=user, entry=entry,
                                 quantity=quantity - max(1, quantity // 3),
                                 reason=d.ADJUST_REASON)  # fmt: skip
            for start in range(0, len(approve), 500):
                entries_approve(region=self.region, actor=user, ids=approve[start : start + 500])

        return review

    def _verdict(self, key: str, quantity: int) -> str:
        crc = zlib.crc32(key.encode())
        if key in self.forced:
            return self.forced[key]
        if crc % 250 == 0:
            return "reject"
        return "adjust" if crc % 200 == 1 and quantity > 1 else "approve"

    def _plan_months(self) -> None:
        """Attendance imported on the 2nd of the next month, the month computed on the 3rd
        and closed on its cut-off day."""
        for first in self.months[:2]:
            following = d.month_back(first, -1)
            last = following - dt.timedelta(days=1)
            cutoff = cutoff_of(self.region, first.year, first.month)
            self.plan(self.local(following.replace(day=2), 7, 15), self._import(first, last))
            self.plan(self.local(following.replace(day=3), 10), self._compute(first))
            self.plan(self.local(cutoff, 8, 30), self._close(first))

    def _import(self, first: dt.date, last: dt.date) -> Step:
        return lambda: self._attendance(first, last)

    def _attendance(self, first: dt.date, last: dt.date) -> None:
        machine, leave = d.attendance_files(self.people, self.days, first, last)
        for kind, data, name in ((ImportKind.LEAVE, leave, "cuti"),
                                 (ImportKind.ATTENDANCE, machine, "mesin-absensi")):  # fmt: skip
            if data:
                attendance_import(region=self.region, actor=self.payroll, kind=kind,
                                  filename=f"{name}-{first:%Y-%m}.csv", data=data)  # fmt: skip

    def _compute(self, first: dt.date) -> Step:
        def compute() -> None:
            month_compute(region=self.region, actor=self.payroll, year=first.year,
                          month=first.month)  # fmt: skip

        return compute

    def _close(self, first: dt.date) -> Step:
        def close() -> None:
            period = period_of(self.region, first.year, first.month)
            month_close(region=self.region, actor=self.payroll, period=period)
            self.closed.add((first.year, first.month))

        return close

    def _plan_proposals(self) -> None:
        """Three civil servants propose an activity: one waits, the head of the permit
        office accepts one and declines the other, saying why."""
        when = self.local(self.months[0] + dt.timedelta(days=2), 10)
        for n, proposer in enumerate(self.proposers):
            data = ActivityInput(*d.PROPOSALS[n])
            self.plan(when + dt.timedelta(minutes=n), self._propose(proposer, data, n))

    def _propose(self, proposer: d.Person, data: ActivityInput, n: int) -> Step:
        def propose() -> None:
            made = activity_propose(region=self.region, actor=self.users[proposer.nip], data=data)
            curator = self.users[self.head.nip]
            if n == 1:
                activity_accept(region=self.region, actor=curator, activity=made)
            elif n == 2:
                activity_decline(region=self.region, actor=curator, activity=made,
                                 reason=d.DECLINE_REASON)  # fmt: skip

        return propose
