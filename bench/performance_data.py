"""The performance bench's data: Kota Bandung with the E-RK module on, its setup through the
services like an operator's (units, TPP bases per grade, the pinned Bandung formula, the
activity catalogue, an administrator and payroll), then a Bandung-sized month COPYed in:
20,000 civil servants (accounts, registry rows, postings) in a supervisor tree per unit
(head, division heads, section heads, staff) under the Sekretaris Daerah, one attendance
row per person and working day (a machine row, or leave, duty or sick; a few days with no
row: absent), and 8 approved entries per person and working day, 3.5 million in all, every
row what the services write (`shape_check` compares one made through `entry_create` and
`entries_approve` column by column). Some people start, leave or are promoted during the
month, so every path of the month's computation runs. No transitions or audit events are
written for the COPYed rows: the month's computation reads neither."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import ApiToken, Region, User
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.people import (
    TOKEN_PREFIX,
    _digest,
    membership_grant,
    token_issue,
    user_ensure,
)
from lumbung.core.services.regions import region_add
from lumbung.core.services.units import unit_create
from lumbung.core.tenancy import region_scope
from lumbung.performance.allowance.formulas import bandung_default, formula_add
from lumbung.performance.models import (
    AttendanceDay,
    Employee,
    Entry,
    ImportKind,
    ImportRun,
    Posting,
)
from lumbung.performance.registry.tpp import tpp_base_add
from lumbung.performance.selectors import region_today
from lumbung.performance.worklog.activities import ActivityInput, activity_create

CODE = "32.73"  # Kota Bandung
PEOPLE, SLOTS, WORKING_DAYS = 20_000, 8, 22
UNIT_SIZE = 333  # about 60 agencies and districts for 20,000 people
DIVISIONS, SECTIONS = 4, 3  # per unit head, per division head
# Full monthly TPP per job grade (kelas jabatan 1..17), Rupiah.
BASES = {g: Decimal(1_500_000 + 450_000 * g + (g // 14) * 4_000_000) for g in range(1, 18)}
# (name, English, output unit, minutes): what staff log; the first is the API's.
ACTIVITIES = (
    ("Membalas surel dinas", "Answer official mail", "surel", "mail", 5),
    ("Mengagendakan surat masuk", "Register incoming letters", "surat", "letter", 10),
    ("Memverifikasi berkas permohonan", "Check an application file", "berkas", "file", 15),
    ("Menyusun konsep surat dinas", "Draft an official letter", "surat", "letter", 20),
    ("Menginput data ke aplikasi", "Enter data in an application", "data", "record", 5),
    ("Melayani konsultasi warga", "Advise a citizen", "orang", "person", 15),
    ("Menyusun laporan kegiatan", "Write an activity report", "laporan", "report", 45),
    ("Mengikuti rapat koordinasi", "Attend a coordination meeting", "rapat", "meeting", 30),
    ("Memeriksa kehadiran pegawai", "Check staff attendance", "rekap", "summary", 10),
    ("Mengarsipkan dokumen", "File documents", "dokumen", "document", 5),
)
STAFF_POSITIONS = ("Analis Kebijakan", "Pengelola Keuangan", "Pranata Komputer", "Arsiparis",
                   "Pengadministrasi Umum", "Penyuluh", "Pengawas Lapangan")  # fmt: skip
FIRST = ("Asep", "Dedi", "Rina", "Siti", "Yudi", "Nining", "Agus", "Euis", "Budi", "Lilis",
         "Ujang", "Neneng", "Hendra", "Wulan")  # fmt: skip
LAST = ("Sutisna", "Permana", "Kurniawan", "Suryani", "Hidayat", "Nurhayati", "Gunawan",
        "Rahmawati", "Setiawan")  # fmt: skip
SLOT_START, SLOT_SPAN, SLOT_GAP = 7 * 60 + 30, 50, 5  # 07:30, 50-minute entries, 5 between
ADJUSTED, MOVERS = 0.05, 0.005  # entries approved with a lower quantity; joiners and leavers
PROMOTED = 0.02  # promoted on the month's 11th: the posting in force on the 1st counts


@dataclass
class Setup:
    region: Region
    admin: User
    payroll: User
    year: int
    month: int
    days: list[dt.date]  # the month's working days
    units: list[int]
    activities: dict[int, int]  # {pk: standard minutes}


@dataclass
class Person:
    pk: int
    user: int
    unit: int
    grade: int
    position: str
    supervisor: int | None
    active_from: dt.date
    active_to: dt.date | None = None
    promoted: bool = False
    days: list[dt.date] = field(default_factory=list)  # working days in the month


def month_chosen(region: Region) -> tuple[int, int, list[dt.date]]:
    """The latest past month with 22 working days in the region's calendar (a Bandung month
    of the issue), else last month."""
    calendar, today = RegionCalendar(region), region_today(region)
    first = today.replace(day=1)
    fallback = None
    for _back in range(24):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        every = (first + dt.timedelta(days=n) for n in range((following - first).days))
        days = [d for d in every if calendar.is_working_day(d)]
        fallback = fallback or (first.year, first.month, days)
        if len(days) == WORKING_DAYS:
            return first.year, first.month, days
    assert fallback is not None
    return fallback


def region_setup() -> Setup:
    """Kota Bandung with the module on, its administrator and payroll, TPP bases of every
    grade, the Bandung formula and the catalogue, through the services."""
    region = region_add(code=CODE, actor=None, modules=["performance"])
    with region_scope(region), transaction.atomic():
        year, month, days = month_chosen(region)
        since = dt.date(year - 2, 1, 1)
        admin = user_ensure(email="admin@kota-bandung.bench", full_name="Admin Kota Bandung")
        membership_grant(region=region, actor=None, user=admin, role=Role.REGION_ADMIN)
        payroll = user_ensure(email="tpp@kota-bandung.bench", full_name="Pengelola TPP")
        membership_grant(region=region, actor=None, user=payroll, role=Role.PAYROLL)
        for grade, amount in BASES.items():
            tpp_base_add(
                region=region, actor=admin, job_grade=grade, amount=amount, effective_from=since
            )
        formula_add(region=region, actor=admin, data=bandung_default(since))
        activities = {}
        for name_id, name_en, unit_id, unit_en, minutes in ACTIVITIES:
            data = ActivityInput(name_id, name_en, unit_id, unit_en, minutes)
            made = activity_create(region=region, actor=admin, data=data)
            activities[made.pk] = minutes
    return Setup(region, admin, payroll, year, month, days, [], activities)


def units_add(setup: Setup, count: int) -> None:
    """The Sekretariat Daerah first (the Sekda's unit), then agencies and districts."""
    kinds = (UnitKind.DINAS, UnitKind.BADAN, UnitKind.KECAMATAN)
    with region_scope(setup.region), transaction.atomic():
        for n in range(count + 1):
            kind = UnitKind.SEKRETARIAT if n == 0 else kinds[n % len(kinds)]
            code, name = (
                ("SETDA", "Sekretariat Daerah") if n == 0 else (f"U{n:02d}", f"{kind.label} {n}")
            )
            unit = unit_create(region=setup.region, actor=None,
                               data={"code": code, "name": str(name), "kind": kind})  # fmt: skip
            setup.units.append(unit.pk)


# Bulk rows ------------------------------------------------------------------------------


def _reserve(cursor: Any, table: str, count: int) -> int:
    """Take `count` ids from the table's identity sequence; returns the one before the
    first (the loader is the database's only writer)."""
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT coalesce(max(id), 0) FROM {table}) + %s)",
        [count],
    )
    return int(cursor.fetchone()[0]) - count


def _copy(cursor: Any, model: type[Model], columns: Sequence[str], rows: Iterator[tuple]) -> int:
    """COPY rows of `columns` into the model's table; columns that differ from the model's
    (but for an omitted id) stop the load rather than write rows the services would not."""
    wanted = {f.column for f in model._meta.concrete_fields} - ({"id"} - set(columns))
    if set(columns) != wanted:
        raise RuntimeError(f"{model.__name__}: rows and model differ on {set(columns) ^ wanted}")
    count = 0
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


@contextmanager
def indexes_set_aside(cursor: Any, table: str) -> Iterator[None]:
    """Drop the table's constraints (but its primary key) and indexes, and put the same
    back afterwards: building an index once is far faster than growing it row by row."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype <> 'p'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT "
        "EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # the sorts of the builds
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _nip(rng: random.Random, taken: set[str], pppk: bool) -> str:
    while True:
        birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(34 * 365))
        year = rng.randint(max(birth.year + 22, 2019 if pppk else 1990), 2024)
        month = 21 if pppk else rng.randint(1, 12)
        nip = f"{birth:%Y%m%d}{year}{month:02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def people_plan(setup: Setup, count: int, seed: int = 11) -> list[Person]:
    """The registry: the Sekda, then per unit its head, division heads, section heads and
    staff, each reporting to the one above (`supervisor` is an index in the list until
    `people_load` gives everyone their id); a few join, leave or are promoted in the month."""
    rng = random.Random(seed)
    since = dt.date(setup.year - 5, 1, 1)
    people = [Person(0, 0, setup.units[0], 17, "Sekretaris Daerah", None, since)]
    agencies = setup.units[1:]
    for n, unit in enumerate(agencies):
        size = (count - 1) // len(agencies) + (1 if n < (count - 1) % len(agencies) else 0)
        _unit_people(rng, people, unit, size, since)
    first, last = setup.days[0].replace(day=1), setup.days[-1]
    for person in people:
        draw = rng.random()
        if person.grade < 9 and draw < MOVERS:  # joined on a working day of the month
            person.active_from = rng.choice(setup.days[1:-1])
        elif person.grade < 9 and draw < 2 * MOVERS:  # left during it
            person.active_to = rng.choice(setup.days[1:-1])
        elif person.grade < 8 and draw < 2 * MOVERS + PROMOTED:
            person.promoted = True
        start = max(person.active_from, first)
        person.days = [d for d in setup.days if start <= d <= (person.active_to or last)]
    return people


def _unit_people(
    rng: random.Random, people: list[Person], unit: int, size: int, since: dt.date
) -> None:
    """A unit's head (under the Sekda), division heads, section heads and staff."""

    def add(grade: int, position: str, boss: int) -> int:
        people.append(Person(0, 0, unit, grade, position, boss, since))
        return len(people) - 1

    if size <= 0:
        return
    head = add(14, "Kepala", 0)
    divisions = [add(12, "Kepala Bidang", head) for _n in range(min(DIVISIONS, size - 1))]
    sections = [
        add(9, "Kepala Seksi", divisions[n % len(divisions)])
        for n in range(min(DIVISIONS * SECTIONS, size - 1 - len(divisions)))
    ]
    bosses = sections or divisions or [head]
    for n in range(size - 1 - len(divisions) - len(sections)):
        add(rng.randint(5, 8), rng.choice(STAFF_POSITIONS), bosses[n % len(bosses)])


def people_load(setup: Setup, people: list[Person], seed: int = 12) -> None:
    """Accounts, registry rows and postings of everyone, COPYed; ids are filled in."""
    rng, taken = random.Random(seed), set[str]()
    region, now = setup.region, dt.datetime.now(dt.UTC)
    promotion = dt.date(setup.year, setup.month, 11)
    with connection.cursor() as cursor:
        users = _reserve(cursor, User._meta.db_table, len(people))
        employees = _reserve(cursor, Employee._meta.db_table, len(people))
        for n, person in enumerate(people):
            person.pk, person.user = employees + n + 1, users + n + 1
        user_rows: list[tuple[Any, ...]] = []
        employee_rows: list[tuple[Any, ...]] = []
        posting_rows: list[tuple[Any, ...]] = []
        for n, person in enumerate(people):
            boss = people[person.supervisor].pk if person.supervisor is not None else None
            pppk = person.grade < 9 and rng.random() < 0.15
            nip = _nip(rng, taken, pppk)
            name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}"
            email = f"asn{n}@kota-bandung.bench"
            user_rows.append((person.user, make_password(None), None, False, email, name, nip,
                              "id", True, False, False, now))  # fmt: skip
            grade = person.grade + 1 if person.promoted else person.grade
            employee_rows.append((person.pk, region.pk, nip, name, "", person.unit,
                                  person.position, grade, "pppk" if pppk else "pns", boss,
                                  person.user, email, person.active_from, person.active_to,
                                  now, now))  # fmt: skip
            posted = (region.pk, person.pk, person.unit, person.position)
            if person.promoted:
                before = promotion - dt.timedelta(days=1)
                posting_rows.append((*posted, person.grade, boss, person.active_from, before))
                posting_rows.append((*posted, grade, boss, promotion, None))
            else:
                posting_rows.append((*posted, grade, boss, person.active_from, person.active_to))
            person.supervisor = boss  # from here on the supervisor's id
        user_columns = ("id", "password", "last_login", "is_superuser", "email", "full_name",
                        "nip", "language", "is_active", "is_staff", "is_platform_operator",
                        "date_joined")  # fmt: skip
        _copy(cursor, User, user_columns, iter(user_rows))
        employee_columns = ("id", "region_id", "nip", "name", "nik", "unit_id", "position",
                            "job_grade", "employment_type", "supervisor_id", "user_id", "email",
                            "active_from", "active_to", "created_at", "updated_at")  # fmt: skip
        _copy(cursor, Employee, employee_columns, iter(employee_rows))
        posting_columns = ("region_id", "employee_id", "unit_id", "position", "job_grade",
                           "supervisor_id", "valid_from", "valid_to")  # fmt: skip
        _copy(cursor, Posting, posting_columns, iter(posting_rows))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _stamp(tz: zoneinfo.ZoneInfo, day: dt.date, minutes: int) -> str:
    moment = dt.datetime.combine(day, dt.time(minutes // 60 % 24, minutes % 60), tz)
    return moment.isoformat(sep=" ")


def attendance_load(setup: Setup, people: list[Person], seed: int = 13) -> int:
    """One row per person and working day, as the imports write them: the machine's
    check-in and check-out with lateness against office hours (94%), leave, duty or sick
    (5%); no row at all on 1% of days (absent without leave)."""
    rng, region = random.Random(seed), setup.region
    with region_scope(region), transaction.atomic():
        runs = {kind: ImportRun.objects.create(region=region, kind=kind, filename=f"{kind}.csv",
                                               succeeded=True, created_by=setup.payroll).pk
                for kind in (ImportKind.ATTENDANCE, ImportKind.LEAVE)}  # fmt: skip
    start = 7 * 60 + 30

    def rows() -> Iterator[tuple]:
        for person in people:
            for day in person.days:
                draw = rng.random()
                if draw < 0.01:
                    continue
                if draw < 0.06:
                    kind = ("leave", "duty", "sick")[int(draw * 1000) % 3]
                    yield (region.pk, person.pk, day, kind, None, None, 0, 0, kind, "",
                           runs[ImportKind.LEAVE])  # fmt: skip
                    continue
                end = 16 * 60 + (30 if day.weekday() == 4 else 0)
                arrive = start - 30 + int(rng.random() ** 3 * 120)  # most well before 07:30
                leave = end - 10 + int(rng.random() * 60)
                yield (region.pk, person.pk, day, "present", _hhmm(arrive), _hhmm(leave),
                       max(0, arrive - start),
                       max(0, end - leave), "machine", "", runs[ImportKind.ATTENDANCE])  # fmt: skip

    columns = ("region_id", "employee_id", "work_date", "kind", "check_in", "check_out",
               "late_minutes", "early_minutes", "source", "note", "import_run_id")  # fmt: skip
    table = AttendanceDay._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor, indexes_set_aside(cursor, table):
        return _copy(cursor, AttendanceDay, columns, rows())


ENTRY_COLUMNS = (
    "region_id", "state", "state_entered_at", "due_at", "escalation_level", "version",
    "paused_state", "paused_days_left", "employee_id", "reviewer_id", "work_date",
    "start_time", "end_time", "activity_id", "quantity", "standard_minutes",
    "claimed_minutes", "approved_quantity", "approved_minutes", "note", "evidence",
    "overtime", "client_key", "created_at", "created_by_id", "reviewed_at", "reviewed_by_id",
    "review_note",
)  # fmt: skip


def _choices(activities: dict[int, int]) -> list[tuple[int, int, int, int, int, int]]:
    """(activity, standard minutes, quantity, claimed, approved quantity, approved minutes)
    that fit a 50-minute slot; one in twenty approved with a lower quantity (adjusted)."""
    found = []
    for pk, minutes in activities.items():
        for quantity in range(1, SLOT_SPAN // minutes + 1):
            claimed = quantity * minutes
            found += [(pk, minutes, quantity, claimed, quantity, claimed)] * 19
            lower = max(1, quantity - 1)
            found.append((pk, minutes, quantity, claimed, lower, lower * minutes))
    return found


def entries_load(setup: Setup, people: list[Person], seed: int = 14) -> int:
    """SLOTS approved entries per person and working day, COPYed with the table's
    indexes set aside."""
    rng, region = random.Random(seed), setup.region
    tz = zoneinfo.ZoneInfo(region.timezone)
    choices, users = _choices(setup.activities), {p.pk: p.user for p in people}
    slots = [(SLOT_START + k * (SLOT_SPAN + SLOT_GAP)) for k in range(SLOTS)]
    times = [(_hhmm(s), _hhmm(s + SLOT_SPAN)) for s in slots]
    # Each entry made a minute after its end, all approved the next morning at 09:15.
    next_morning = dt.timedelta(days=1)
    stamps = {
        day: ([_stamp(tz, day, s + SLOT_SPAN + 1) for s in slots],
              _stamp(tz, day + next_morning, 9 * 60 + 15))
        for day in setup.days
    }  # fmt: skip
    count = len(choices)

    def rows() -> Iterator[tuple]:
        for person in people:
            boss = person.supervisor
            reviewer_user = users[boss] if boss is not None else setup.admin.pk
            for day in person.days:
                made, reviewed = stamps[day]
                for k in range(SLOTS):
                    activity, minutes, quantity, claimed, approved_q, approved = choices[
                        int(rng.random() * count)
                    ]
                    yield (region.pk, "approved", reviewed, None, 0, 1, "", None, person.pk, boss,
                           day, times[k][0], times[k][1], activity, quantity, minutes, claimed,
                           approved_q, approved, "", "", False, f"{rng.getrandbits(128):032x}",
                           made[k], person.user, reviewed, reviewer_user, "")  # fmt: skip

    table = Entry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor, indexes_set_aside(cursor, table):
        copied = _copy(cursor, Entry, ENTRY_COLUMNS, rows())
    return copied


# Through the services ------------------------------------------------------------------


def api_day(region: Region) -> tuple[dt.date, bool]:
    """The day the API's entries are logged on: today, as assigned overtime when the office
    is closed (a bench may run on a Sunday)."""
    today = region_today(region)
    return today, not RegionCalendar(region).is_working_day(today)


def api_clients(setup: Setup, people: list[Person], count: int) -> list[dict[str, Any]]:
    """Bearer tokens of `count` people spread over the units (everyone by default), each
    their own, so that the API's entries never wait on one another's row lock, overlap or
    cap. The first through `token_issue`; the rest COPYed as it writes them (the SHA-256
    of the secret), without its audit event each."""
    active = [p for p in people if p.active_to is None and p.supervisor is not None]
    chosen = active[:: max(1, len(active) // max(count, 1))][:count]
    first = User.objects.get(pk=chosen[0].user)
    with transaction.atomic():
        clients = [{"employee": chosen[0].pk, "user": first.pk,
                    "token": token_issue(user=first, name="bench")[1]}]  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    rows = []
    for person in chosen[1:]:
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        clients.append({"employee": person.pk, "user": person.user, "token": secret})
        rows.append((person.user, "bench", secret[:12], _digest(secret), now, None, None, None))
    columns = ("user_id", "name", "prefix", "key_hash", "created_at", "last_used_at",
               "expires_at", "revoked_at")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        _copy(cursor, ApiToken, columns, iter(rows))
    return clients


def shape_check(setup: Setup, employee: int) -> list[str]:
    """Where a COPYed entry and one made by `entry_create` and approved by the supervisor
    through `entries_approve` differ in shape: a column empty in one and filled in the
    other, or another state, version, escalation or pause. Empty means the bulk rows are
    what the services write."""
    from lumbung.performance.review.services import entries_approve
    from lumbung.performance.worklog.services import EntryInput, entry_create

    region = setup.region
    with region_scope(region):
        day, overtime = api_day(region)
        person = Employee.objects.select_related("user", "supervisor__user").get(pk=employee)
        activity = next(iter(setup.activities))
        data = EntryInput(client_key=f"shape-{time.time_ns()}", work_date=day,
                          start_time=dt.time(6, 0), end_time=dt.time(6, 5),
                          activity_id=activity, quantity=1, note="", overtime=overtime)  # fmt: skip
        made, _created = entry_create(region=region, actor=person.user, data=data)
        boss = person.supervisor.user if person.supervisor else None
        if boss is None:
            return ["the API's first person has no supervisor with an account"]
        entries_approve(region=region, actor=boss, ids=[made.pk])
        service = Entry.objects.get(pk=made.pk)
        bulk = Entry.objects.filter(
            region=region, employee=person, work_date__lt=day.replace(day=1)
        ).first()
    if bulk is None:
        return ["no COPYed entry to compare"]
    same = ("state", "version", "escalation_level", "paused_state", "overtime")
    found = []
    for f in Entry._meta.concrete_fields:
        a, b = getattr(service, f.attname), getattr(bulk, f.attname)
        if (a in (None, "")) != (b in (None, "")) or (f.name in same and a != b):
            found.append(f"Entry.{f.name}: service {a!r}, bulk {b!r}")
    return found


def load(scale: float, api_people: int) -> dict[str, Any]:
    """Everything above, timed; what the bench needs to find it again with --reuse."""
    started = time.monotonic()
    setup = region_setup()
    count = max(50, round(PEOPLE * scale))
    units_add(setup, max(1, round(count / UNIT_SIZE)))
    people = people_plan(setup, count)
    people_load(setup, people)
    timings = {"setup_and_people": round(time.monotonic() - started, 1)}
    moment = time.monotonic()
    days = attendance_load(setup, people)
    timings["attendance"] = round(time.monotonic() - moment, 1)
    moment = time.monotonic()
    entries = entries_load(setup, people)
    timings["entries"] = round(time.monotonic() - moment, 1)
    moment = time.monotonic()
    with connection.cursor() as cursor:
        for table in (Entry, AttendanceDay, Employee, Posting, User):
            cursor.execute(f"VACUUM (FREEZE, ANALYZE) {table._meta.db_table}")
    timings["vacuum"] = round(time.monotonic() - moment, 1)
    clients = api_clients(setup, people, api_people)
    problems = shape_check(setup, clients[0]["employee"])
    timings["total"] = round(time.monotonic() - started, 1)
    return {
        "region": setup.region.slug, "year": setup.year, "month": setup.month,
        "working_days": len(setup.days), "people": len(people), "entries": entries,
        "attendance_days": days, "units": len(setup.units),
        "joined": sum(p.active_from > setup.days[0] for p in people),
        "left": sum(p.active_to is not None for p in people),
        "promoted": sum(p.promoted for p in people),
        "api_activity": next(iter(setup.activities)), "clients": clients,
        "admin": setup.admin.pk, "payroll": setup.payroll.pk,
        "shape_differences": problems, "seconds": timings,
    }  # fmt: skip
