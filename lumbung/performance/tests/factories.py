"""Test data for the performance module: a region with the module on, a small office with a
supervisor chain whose people are the world's own accounts, the region's default (Bandung)
TPP formula, base amounts per grade, and entries in any state.

The chain, in the world's first unit (DPMPTSP):
    head     (the world's UNIT_HEAD account)    kepala dinas, grade 14
    kabid    (an account of its own)            head of division, grade 11, reports to head
    staff    (the world's OFFICER account)      analyst, grade 7, reports to kabid
    peer     (an account of its own)            analyst, grade 7, reports to kabid
and in the second unit (DINSOS) one `outsider` with no supervisor, for wrong-chain checks."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import membership_grant
from lumbung.core.services.regions import region_modules_set
from lumbung.core.services.workflow import case_start
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, UserFactory

from ..models import (
    Activity,
    Employee,
    EmploymentType,
    Entry,
    FormulaKind,
    Posting,
    TppBase,
    TppFormula,
)
from ..workflow import APPROVED

# Valid NIPs: birth date (8), appointment year and month (6), sex (1), serial (3).
NIPS = {
    "head": "197001012000031001",
    "kabid": "197502022001122002",
    "staff": "198803032010011003",
    "peer": "199004042015032004",
    "outsider": "198512122009021005",
}
BASES = {7: Decimal("4500000"), 11: Decimal("9000000"), 14: Decimal("18000000")}
FORMULA_FROM = dt.date(2020, 1, 1)
_serial = itertools.count(1)


@dataclass
class PerfWorld:
    world: RegionWorld
    people: dict[str, Employee] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    formula: TppFormula | None = None

    @property
    def region(self) -> Region:
        return self.world.region

    def user(self, who: str) -> User:
        """The account of a person of the chain ("head", "kabid", "staff", ...)."""
        user = self.people[who].user
        assert user is not None
        return user

    @property
    def admin(self) -> User:
        return self.world.users[Role.REGION_ADMIN]

    @property
    def auditor(self) -> User:
        return self.world.users[Role.AUDITOR]


def _employee(
    region: Region,
    key: str,
    *,
    unit: Unit,
    user: User | None,
    grade: int,
    position: str,
    supervisor: Employee | None,
) -> Employee:
    person = Employee.objects.create(
        region=region,
        nip=NIPS[key],
        name=f"{key.title()} {region.code}",
        unit=unit,
        position=position,
        job_grade=grade,
        employment_type=EmploymentType.PNS,
        supervisor=supervisor,
        user=user,
        active_from=dt.date(2020, 1, 1),
    )
    Posting.objects.create(
        region=region,
        employee=person,
        unit=unit,
        position=position,
        job_grade=grade,
        supervisor=supervisor,
        valid_from=person.active_from,
    )
    return person


def activity_make(
    region: Region, name: str = "Menyusun konsep surat dinas", minutes: int = 30
) -> Activity:
    """An approved activity of the catalogue ("draft an official letter: 30 minutes")."""
    activity = Activity(
        region=region,
        name_id=name,
        name_en=f"{name} (en)",
        output_unit_id="surat",
        output_unit_en="letter",
        standard_minutes=minutes,
    )
    case_start(activity, actor=None)
    Activity.objects.filter(pk=activity.pk).update(state=APPROVED, due_at=None)
    activity.refresh_from_db()
    return activity


def enable_performance(world: RegionWorld) -> PerfWorld:
    """Switch the module on in the world's region and build the office described above."""
    region = world.region
    region_modules_set(region=region, actor=None, enable=["performance"])
    perf = PerfWorld(world=world)
    with region_scope(region):
        kabid_user = UserFactory.create(email=f"kabid@{region.slug}.test")
        peer_user = UserFactory.create(email=f"peer@{region.slug}.test")
        outsider_user = UserFactory.create(email=f"outsider@{region.slug}.test")
        membership_grant(region=region, actor=None, user=kabid_user, role=Role.OFFICER,
                         unit=world.unit)  # fmt: skip
        payroll = UserFactory.create(email=f"payroll@{region.slug}.test")
        membership_grant(region=region, actor=None, user=payroll, role=Role.PAYROLL)
        world.users[Role.PAYROLL] = payroll
        unit, other = world.unit, world.other_unit
        head = _employee(region, "head", unit=unit, user=world.users[Role.UNIT_HEAD], grade=14,
                         position="Kepala Dinas", supervisor=None)  # fmt: skip
        kabid = _employee(region, "kabid", unit=unit, user=kabid_user, grade=11,
                          position="Kepala Bidang", supervisor=head)  # fmt: skip
        staff = _employee(region, "staff", unit=unit, user=world.users[Role.OFFICER], grade=7,
                          position="Analis Perizinan", supervisor=kabid)  # fmt: skip
        peer = _employee(region, "peer", unit=unit, user=peer_user, grade=7,
                         position="Analis Perizinan", supervisor=kabid)  # fmt: skip
        outsider = _employee(region, "outsider", unit=other, user=outsider_user, grade=7,
                             position="Pekerja Sosial", supervisor=None)  # fmt: skip
        perf.people = {"head": head, "kabid": kabid, "staff": staff, "peer": peer,
                       "outsider": outsider}  # fmt: skip
        for grade, amount in BASES.items():
            TppBase.objects.create(
                region=region, job_grade=grade, amount=amount, effective_from=FORMULA_FROM
            )
        perf.formula = TppFormula.objects.create(
            region=region,
            name="Bandung: menit kerja",
            kind=FormulaKind.MINUTES,
            effective_from=FORMULA_FROM,
            target_minutes=6000,
        )
        perf.activities = {
            "letter": activity_make(region),
            "meeting": activity_make(region, "Mengikuti rapat koordinasi", 60),
        }
    return perf


def entry_make(
    perf: PerfWorld,
    who: str = "staff",
    *,
    day: dt.date,
    start: dt.time = dt.time(8, 0),
    end: dt.time = dt.time(9, 0),
    activity: str = "letter",
    quantity: int = 2,
    state: str = "submitted",
) -> Entry:
    """An entry written straight to the table (no rules checked) in the given state: for
    tests of what reads entries, not of how they are made."""
    person = perf.people[who]
    chosen = perf.activities[activity]
    entry = Entry(
        region=perf.region,
        employee=person,
        reviewer=person.supervisor,
        work_date=day,
        start_time=start,
        end_time=end,
        activity=chosen,
        quantity=quantity,
        standard_minutes=chosen.standard_minutes,
        claimed_minutes=quantity * chosen.standard_minutes,
        client_key=uuid.uuid4().hex,
        created_by=person.user,
    )
    case_start(entry, actor=person.user)
    if state != "submitted":
        minutes = entry.claimed_minutes if state == APPROVED else 0
        Entry.objects.filter(pk=entry.pk).update(
            state=state,
            due_at=None,
            approved_quantity=quantity if state == APPROVED else None,
            approved_minutes=minutes,
            reviewed_at=timezone.now(),
        )
        entry.refresh_from_db()
    return entry


def serial() -> int:
    return next(_serial)
