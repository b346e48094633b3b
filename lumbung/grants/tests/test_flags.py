"""Red flags: each detector finds what it should and only that, in one region, in a fixed
number of queries; refreshing keeps flags stable; dismissing needs a reason and a role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lumbung.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import AuditEvent, ModuleActivation, Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..flags import (
    Finding,
    civil_servant_provider_register,
    civil_servant_provider_unregister,
    detect_all,
    explain,
)
from ..models import FlagKind, Proposal, RedFlag
from ..services.flags import FlagError, flag_dismiss, flags_refresh
from ..services.registry import person_retire
from ..tasks_flags import flags_refresh_all
from . import flag_factories as f

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    f.enable_grants(world_a)
    with region_scope(world_a.region):
        yield world_a


@pytest.fixture
def gb(world_b: RegionWorld) -> RegionWorld:
    return f.enable_grants(world_b)


def found(world: RegionWorld, kind: FlagKind, today: dt.date = TODAY) -> list[Finding]:
    return [x for x in detect_all(world.region, today) if x.kind == kind]


def test_organisation_funded_in_consecutive_years(ga: RegionWorld) -> None:
    # given one organisation funded in 2025 and 2026, another in 2024 and 2026 (a gap)
    region = ga.region
    steady, gap = f.organisation(region), f.organisation(region)
    p25 = f.proposal(region, org=steady, year=2025, state="closed", final=100_000_000)
    p26 = f.proposal(region, org=steady, year=2026, state="nominative", final=90_000_000)
    f.proposal(region, org=gap, year=2024, state="closed", final=1)
    f.proposal(region, org=gap, year=2026, state="nominative", final=1)
    # a rejected proposal and one without a final amount are not funding
    f.proposal(region, org=gap, year=2025, state="rejected", final=5)
    f.proposal(region, org=gap, year=2027, state="evaluation")
    # when
    flags = found(ga, FlagKind.CONSECUTIVE_YEARS)
    # then
    assert [(x.key, x.organisation_id, x.proposal_id) for x in flags] == [
        (f"org:{steady.pk}:2025", steady.pk, p26.pk)
    ]
    assert flags[0].evidence["years"] == [2025, 2026]
    assert sorted(flags[0].evidence["proposals"]) == [p25.pk, p26.pk]
    text = explain(flags[0].kind, flags[0].evidence)
    assert steady.name in text.text
    assert "2025" in text.text
    assert ("organisation", steady.pk) in [(link.model, link.id) for link in text.links]


def test_person_paid_in_consecutive_years(ga: RegionWorld) -> None:
    region = ga.region
    twice, once, listed_only = f.person(region), f.person(region), f.person(region)
    c25, c26 = f.bansos_cycle(region, 2025), f.bansos_cycle(region, 2026)
    f.entitlement(region, twice, c25)
    f.entitlement(region, twice, c26)
    f.entitlement(region, once, c26)
    f.entitlement(region, listed_only, c25)
    f.entitlement(region, listed_only, c26, status="listed")  # not received yet
    flags = found(ga, FlagKind.CONSECUTIVE_YEARS)
    assert [(x.key, x.person_id) for x in flags] == [(f"person:{twice.pk}:2025", twice.pk)]
    assert flags[0].evidence["payments"] == 2
    # the explanation names no one: persons are ids in evidence
    assert twice.name not in explain(flags[0].kind, flags[0].evidence).text
    assert twice.nik not in str(flags[0].evidence)


@pytest.mark.parametrize(
    ("kind", "field", "one", "same", "other"),
    [
        (FlagKind.SHARED_BANK, "bank_account_number", "123-456.789 0", "1234567890", "1234567891"),
        (FlagKind.SHARED_PHONE, "phone", "+62 812-1111-2222", "081211112222", "081211112223"),
        (
            FlagKind.SHARED_ADDRESS,
            "address",
            "Jl. Merdeka No. 5",
            "jl merdeka no 5",
            "Jl. Merdeka 6",
        ),
    ],
)
def test_shared_contact_details_across_organisations(
    ga: RegionWorld, gb: RegionWorld, kind: FlagKind, field: str, one: str, same: str, other: str
) -> None:
    region = ga.region
    a = f.organisation(region, **{field: one})
    b = f.organisation(region, **{field: same})
    f.organisation(region, **{field: other})
    with region_scope(gb.region):  # the same value in another region is no one's business here
        f.organisation(gb.region, **{field: same})
    flags = found(ga, kind)
    assert len(flags) == 1
    assert flags[0].evidence["organisations"] == [a.pk, b.pk]
    assert flags[0].organisation_id == b.pk
    assert one not in flags[0].key
    assert same not in flags[0].key
    assert b.name in explain(kind, flags[0].evidence).text


def test_recent_organisation_uses_the_region_threshold(ga: RegionWorld) -> None:
    region = ga.region
    made = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    young = f.organisation(region, legal_date=dt.date(2025, 11, 1))  # 92 days before
    old = f.organisation(region, legal_date=dt.date(2020, 1, 1))
    edge = f.organisation(region, legal_date=dt.date(2023, 2, 2))  # exactly 1095 days before
    inside = f.organisation(region, legal_date=dt.date(2023, 2, 3))  # 1094 days before
    p = f.proposal(region, org=young, created_at=made)
    q = f.proposal(region, org=inside, created_at=made)
    f.proposal(region, org=old, created_at=made)
    f.proposal(region, org=edge, created_at=made)
    f.proposal(region, org=young, created_at=made, state="withdrawn")
    flags = found(ga, FlagKind.RECENT_ORGANISATION)
    assert sorted(x.key for x in flags) == sorted([f"proposal:{p.pk}", f"proposal:{q.pk}"])
    assert {x.evidence["age_days"] for x in flags} == {92, 1094}
    assert flags[0].evidence["min_age_days"] == 1095
    mine = next(x for x in flags if x.proposal_id == p.pk)
    assert young.name in explain(mine.kind, mine.evidence).text
    assert "92" in explain(mine.kind, mine.evidence).text
    # when the region lowers its threshold to 60 days, nothing is young enough any more
    ModuleActivation.objects.filter(region=region, module="grants").update(
        settings={"organisation_min_age_days": 60}
    )
    assert found(ga, FlagKind.RECENT_ORGANISATION) == []


def test_civil_servant_needs_a_staff_registry(ga: RegionWorld) -> None:
    region = ga.region
    servant, citizen = f.person(region), f.person(region)
    cycle = f.bansos_cycle(region, 2026)
    f.entitlement(region, servant, cycle, status="listed")
    f.entitlement(region, citizen, cycle)
    # no staff registry is on: nothing can be found
    assert found(ga, FlagKind.CIVIL_SERVANT) == []
    civil_servant_provider_register("test", lambda r: {servant.nik} if r == region else set())
    try:
        flags = found(ga, FlagKind.CIVIL_SERVANT)
    finally:
        civil_servant_provider_unregister("test")
    assert [(x.key, x.person_id) for x in flags] == [(f"person:{servant.pk}", servant.pk)]


def test_duplicate_persons(ga: RegionWorld) -> None:
    region = ga.region
    a = f.person(region, name="Siti Aminah", birth_date=dt.date(1970, 5, 1))
    b = f.person(region, name="SITI  AMINAH", birth_date=dt.date(1970, 5, 1))
    f.person(region, name="Siti Aminah", birth_date=dt.date(1971, 5, 1))
    f.person(
        region, name="Siti Aminah", birth_date=dt.date(1970, 5, 1), kelurahan_code="32.73.02.1001"
    )
    flags = found(ga, FlagKind.DUPLICATE_PERSON)
    assert [x.evidence["persons"] for x in flags] == [[a.pk, b.pk]]
    assert "Siti" not in flags[0].key


def test_a_duplicate_settled_by_retiring_one_entry_is_no_longer_found(ga: RegionWorld) -> None:
    # given the same person registered twice, the second entry then retired
    region = ga.region
    f.person(region, name="Siti Aminah", birth_date=dt.date(1970, 5, 1))
    second = f.person(region, name="Siti Aminah", birth_date=dt.date(1970, 5, 1))
    assert found(ga, FlagKind.DUPLICATE_PERSON)
    person_retire(region=region, actor=ga.users[Role.OFFICER], person=second, reason="Ganda")
    # then the detector no longer finds them
    assert found(ga, FlagKind.DUPLICATE_PERSON) == []


def test_amount_rise_is_shown_with_its_justification(ga: RegionWorld) -> None:
    region = ga.region
    p = f.proposal(region, state="tapd")
    f.amount_change(region, p, "requested", 100, None)
    f.amount_change(region, p, "recommended", 90, 100)
    rise = f.amount_change(region, p, "considered", 120, 90, why="harga bahan naik")
    flags = found(ga, FlagKind.AMOUNT_RISE)
    assert [(x.key, x.proposal_id) for x in flags] == [(f"amount:{rise.pk}", p.pk)]
    text = explain(flags[0].kind, flags[0].evidence).text
    assert "harga bahan naik" in text
    assert "Rp120" in text
    assert "Rp90" in text


def test_disbursement_before_the_nphd(ga: RegionWorld, english: Any) -> None:
    region = ga.region
    early = f.proposal(region, state="disbursed", final=100, nphd_signed_on=dt.date(2026, 3, 10))
    unsigned = f.proposal(region, state="disbursed", final=100)
    proper = f.proposal(region, state="disbursed", final=100, nphd_signed_on=dt.date(2026, 3, 1))
    t1 = f.tranche(region, early, dt.date(2026, 3, 9), 50)
    t2 = f.tranche(region, unsigned, dt.date(2026, 3, 9), 50)
    f.tranche(region, proper, dt.date(2026, 3, 1), 50)  # the same day is in order
    flags = found(ga, FlagKind.EARLY_DISBURSEMENT)
    assert sorted(x.key for x in flags) == sorted([f"tranche:{t1.pk}", f"tranche:{t2.pk}"])
    texts = {x.proposal_id: explain(x.kind, x.evidence).text for x in flags}
    assert "no signed NPHD" in texts[unsigned.pk]
    assert "no signed NPHD" not in texts[early.pk]


def test_lpj_overdue(ga: RegionWorld) -> None:
    region = ga.region
    due = dt.date(2026, 1, 10)
    late = f.proposal(region, state="disbursed", final=100, lpj_due_on=due)
    sent = f.proposal(region, state="lpj_submitted", final=100, lpj_due_on=due)
    Proposal.objects.filter(pk=sent.pk).update(lpj_submitted_at=timezone.now())
    unpaid = f.proposal(region, state="agreement", final=100, lpj_due_on=due)
    for item in (late, sent):
        f.tranche(region, item, dt.date(2025, 6, 1), 100)
    assert [x.key for x in found(ga, FlagKind.LPJ_OVERDUE)] == [f"proposal:{late.pk}"]
    # on the due date itself it is not overdue yet
    assert found(ga, FlagKind.LPJ_OVERDUE, today=due) == []
    assert unpaid.pk not in [x.proposal_id for x in found(ga, FlagKind.LPJ_OVERDUE)]


def _plant_everything(region: Region, n: int) -> None:
    for i in range(n):
        org = f.organisation(region, bank_account_number="999", legal_date=dt.date(2026, 1, 1))
        p25 = f.proposal(region, org=org, year=2025, state="closed", final=10)
        p26 = f.proposal(
            region, org=org, year=2026, state="disbursed", final=10, lpj_due_on=dt.date(2026, 1, 1)
        )
        f.amount_change(region, p26, "final", 20, 10, why="x")
        f.tranche(region, p25, dt.date(2025, 5, 1), 5)
        who = f.person(region, name="Sama", kelurahan_code="32.73.01.1001")
        f.entitlement(region, who, f.bansos_cycle(region, 2025, code=f"c{i}a"))
        f.entitlement(region, who, f.bansos_cycle(region, 2026, code=f"c{i}b"))


def test_detectors_do_not_query_per_row(ga: RegionWorld) -> None:
    # given a region with a few of every finding, and then many more
    _plant_everything(ga.region, 2)
    with CaptureQueriesContext(connection) as few:
        small = detect_all(ga.region, TODAY)
    _plant_everything(ga.region, 8)
    with CaptureQueriesContext(connection) as many:
        large = detect_all(ga.region, TODAY)
    # then five times the findings cost the same number of queries
    assert len(large) > 3 * len(small) > 0
    assert len(many.captured_queries) == len(few.captured_queries)


def test_refresh_creates_keeps_resolves_and_respects_dismissal(ga: RegionWorld) -> None:
    region, auditor = ga.region, ga.users[Role.AUDITOR]
    a = f.organisation(region, phone="0811000111")
    b = f.organisation(region, phone="0811-000-111")
    bank_a = f.organisation(region, bank_account_number="55501")
    f.organisation(region, bank_account_number="55501")
    # first run: two new flags
    first = flags_refresh(region=region)
    assert (first.created, first.current, first.resolved) == (2, 2, 0)
    assert AuditEvent.objects.filter(region=region, action="grants.flags.refresh").count() == 1
    phone = RedFlag.objects.get(region=region, kind=FlagKind.SHARED_PHONE)
    bank = RedFlag.objects.get(region=region, kind=FlagKind.SHARED_BANK)
    # second run, nothing changed: nothing new, no audit noise
    again = flags_refresh(region=region)
    assert (again.created, again.current, again.resolved) == (0, 2, 0)
    assert RedFlag.objects.filter(region=region).count() == 2
    assert AuditEvent.objects.filter(region=region, action="grants.flags.refresh").count() == 1
    # the bank flag is dismissed; the phone's cause goes away
    flag_dismiss(region=region, actor=auditor, flag=bank, reason="Satu bendahara, sudah dicek")
    type(b).objects.filter(pk=b.pk).update(phone="0822999888")
    third = flags_refresh(region=region)
    assert (third.created, third.resolved) == (0, 1)
    phone.refresh_from_db()
    bank.refresh_from_db()
    assert phone.is_current is False
    assert phone.dismissed_at is None
    assert bank.is_current is True
    assert bank.dismissed_at is not None
    # the phone is shared again: the same flag comes back, not a new one
    type(b).objects.filter(pk=b.pk).update(phone=a.phone)
    type(bank_a).objects.filter(pk=bank_a.pk).update(name="Yayasan Baru")
    fourth = flags_refresh(region=region)
    assert fourth.created == 0
    phone.refresh_from_db()
    bank.refresh_from_db()
    assert phone.is_current is True
    assert bank.dismissed_at is not None
    assert "Yayasan Baru" in bank.evidence["organisation_names"]
    assert RedFlag.objects.filter(region=region).count() == 2


def test_refresh_stays_in_its_region(ga: RegionWorld, gb: RegionWorld) -> None:
    with region_scope(gb.region):
        f.organisation(gb.region, bank_account_number="1")
        f.organisation(gb.region, bank_account_number="1")
    assert flags_refresh(region=ga.region).current == 0
    with region_scope(gb.region):
        assert flags_refresh(region=gb.region).created == 1
    assert RedFlag.objects.filter(region=ga.region).count() == 0


def _bank_flag(world: RegionWorld) -> RedFlag:
    f.organisation(world.region, bank_account_number="42")
    f.organisation(world.region, bank_account_number="42")
    flags_refresh(region=world.region)
    return RedFlag.objects.get(region=world.region, kind=FlagKind.SHARED_BANK)


def test_dismiss_needs_a_reason_and_is_audited(ga: RegionWorld) -> None:
    flag, head = _bank_flag(ga), ga.users[Role.UNIT_HEAD]
    with pytest.raises(ValidationFailed) as refused:
        flag_dismiss(region=ga.region, actor=head, flag=flag, reason="   ")
    assert "reason" in refused.value.field_errors
    flag.refresh_from_db()
    assert flag.dismissed_at is None
    flag_dismiss(region=ga.region, actor=head, flag=flag, reason="Rekening bersama koperasi")
    flag.refresh_from_db()
    assert flag.dismissed_by == head
    assert flag.dismissal_reason == "Rekening bersama koperasi"
    event = AuditEvent.objects.get(region=ga.region, action="grants.flag.dismiss")
    assert event.actor == head
    assert event.reason == "Rekening bersama koperasi"
    assert event.object_id == str(flag.pk)
    with pytest.raises(Conflict) as twice:
        flag_dismiss(region=ga.region, actor=head, flag=flag, reason="lagi")
    assert twice.value.code == FlagError.ALREADY_DISMISSED


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CITIZEN])
def test_dismiss_is_refused_to_other_roles(ga: RegionWorld, role: Role) -> None:
    flag = _bank_flag(ga)
    with pytest.raises(PermissionDenied):
        flag_dismiss(region=ga.region, actor=ga.users[role], flag=flag, reason="tidak apa")
    flag.refresh_from_db()
    assert flag.dismissed_at is None
    assert not AuditEvent.objects.filter(region=ga.region, action="grants.flag.dismiss").exists()


def test_another_regions_flag_is_not_found(ga: RegionWorld, gb: RegionWorld) -> None:
    with region_scope(gb.region):
        foreign = _bank_flag(gb)
    # the auditor of region A cannot dismiss it, even naming region A
    with pytest.raises(NotFound):
        flag_dismiss(region=ga.region, actor=ga.users[Role.AUDITOR], flag=foreign, reason="x")
    # nor as region B, holding no role there
    with region_scope(gb.region), pytest.raises(PermissionDenied):
        flag_dismiss(region=gb.region, actor=ga.users[Role.AUDITOR], flag=foreign, reason="x")


def test_refresh_all_visits_regions_with_grants_on(ga: RegionWorld, world_b: RegionWorld) -> None:
    _bank_flag(ga)
    RedFlag.objects.filter(region=ga.region).delete()
    assert flags_refresh_all.call() == 1  # region B has the module off
    assert RedFlag.objects.filter(region=ga.region).count() == 1
