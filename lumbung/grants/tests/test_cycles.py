"""Programmes and cycles: the list computed in the database, reviewed, approved by a
second person, handed over with proof once, and closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.grants.models import Entitlement, Handover
from lumbung.grants.selectors_bansos import (
    cycle_summaries,
    public_aggregates,
    public_recipient_names,
)
from lumbung.grants.services.cycles import (
    cycle_approve,
    cycle_close,
    cycle_compute,
    cycle_create,
    entitlement_remove,
    handover_record,
    programme_save,
)

from .bansos_factories import add_person, enable_grants


@pytest.fixture
def gworld(world_a):
    return enable_grants(world_a)


def programme(world, **over):
    data = {
        "code": "lansia",
        "name_id": "Bantuan Lansia",
        "name_en": "Elderly aid",
        "year": 2026,
        "benefit_kind": "cash",
        "benefit_amount": Decimal("300000"),
        "cycles_per_year": 4,
        "eligibility": [{"field": "age", "op": "gte", "value": 60}],
        **over,
    }
    with region_scope(world.region):
        return programme_save(region=world.region, actor=world.users[Role.REGION_ADMIN], data=data)


def computed_cycle(world):
    prog = programme(world)
    old = [add_person(world, birth_date=dt.date(1950, 1, d), name=f"Lansia {d}") for d in (1, 2)]
    add_person(world, birth_date=dt.date(1990, 1, 1))
    officer = world.users[Role.OFFICER]
    with region_scope(world.region):
        cycle = cycle_create(
            region=world.region,
            actor=officer,
            programme=prog,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
        )
        listed = cycle_compute(region=world.region, actor=officer, cycle=cycle)
    return cycle, listed, old


def test_a_programme_with_a_bad_rule_or_amount_is_refused(gworld) -> None:
    with pytest.raises(ValidationFailed) as refused:
        programme(
            gworld,
            eligibility=[{"field": "income", "op": "lte", "value": 1}],
            benefit_amount=Decimal("-1"),
        )
    assert set(refused.value.field_errors) == {"eligibility", "benefit_amount"}
    with pytest.raises(ValidationFailed):
        programme(gworld, benefit_amount=300000.0)  # a float is never money


def test_a_programme_code_is_unique_per_year(gworld) -> None:
    programme(gworld)
    with pytest.raises(DomainError) as refused:
        programme(gworld)
    assert refused.value.code == "bansos_programme_code_taken"


def test_the_list_is_computed_from_the_rules(gworld) -> None:
    cycle, listed, old = computed_cycle(gworld)
    assert listed == 2
    assert (cycle.state, cycle.computed_by) == ("computed", gworld.users[Role.OFFICER])
    with region_scope(gworld.region):
        rows = Entitlement.objects.filter(region=gworld.region, cycle=cycle)
        assert sorted(e.person_id for e in rows) == sorted(p.pk for p in old)
        assert {e.amount for e in rows} == {Decimal("300000.00")}
    with dangerously_unscoped():
        assert AuditEvent.objects.filter(action="grants.cycle_compute").count() == 1


def test_whoever_computed_the_list_cannot_approve_it(gworld) -> None:
    cycle, _n, _old = computed_cycle(gworld)
    with region_scope(gworld.region):
        with pytest.raises(DomainError) as refused:
            cycle_approve(region=gworld.region, actor=gworld.users[Role.OFFICER], cycle=cycle)
        assert refused.value.code == "bansos_same_person_approves"
        approved = cycle_approve(
            region=gworld.region, actor=gworld.users[Role.UNIT_HEAD], cycle=cycle
        )
    assert approved.state == "approved"
    assert approved.approved_by == gworld.users[Role.UNIT_HEAD]


def test_review_handover_once_and_close(gworld, tmp_path) -> None:
    from lumbung.complaints.tests.factories import png

    cycle, _n, _old = computed_cycle(gworld)
    officer, head = gworld.users[Role.OFFICER], gworld.users[Role.UNIT_HEAD]
    with region_scope(gworld.region):
        first, second = Entitlement.objects.filter(region=gworld.region, cycle=cycle).order_by("id")
        entitlement_remove(
            region=gworld.region, actor=officer, entitlement=second, reason="Sudah meninggal"
        )
        cycle_approve(region=gworld.region, actor=head, cycle=cycle)
        handover = handover_record(
            region=gworld.region,
            actor=officer,
            entitlement=first,
            paid_on=dt.date(2026, 1, 5),
            channel="post",
            reference="POS-1",
            photo=png(),
        )
        with pytest.raises(DomainError) as twice:
            handover_record(
                region=gworld.region,
                actor=officer,
                entitlement=first,
                paid_on=dt.date(2026, 1, 5),
                channel="post",
                reference="POS-2",
            )
        assert twice.value.code == "bansos_already_handed_over"
        with pytest.raises(DomainError) as removed:
            handover_record(
                region=gworld.region,
                actor=officer,
                entitlement=second,
                paid_on=dt.date(2026, 1, 5),
                channel="post",
                reference="POS-3",
            )
        assert removed.value.code == "bansos_entitlement_state"
        [summary] = cycle_summaries(gworld.region, cycle.programme)
        closed = cycle_close(region=gworld.region, actor=officer, cycle=cycle)
        aggregates = public_aggregates(gworld.region, by="programme")
    assert handover.photo.name
    with region_scope(gworld.region):
        assert Handover.objects.filter(region=gworld.region, entitlement=first).count() == 1
    assert (summary.listed, summary.removed, summary.disbursed) == (0, 1, 1)
    assert summary.amount_disbursed == Decimal("300000.00")
    assert closed.state == "closed"
    assert aggregates == [
        {
            "cycle__programme__code": "lansia",
            "cycle__programme__year": 2026,
            "recipients": 1,
            "received": 1,
            "total": Decimal("300000.00"),
            "total_received": Decimal("300000.00"),
        }
    ]


def test_closing_with_people_still_listed_needs_a_note(gworld) -> None:
    cycle, _n, _old = computed_cycle(gworld)
    with region_scope(gworld.region):
        cycle_approve(region=gworld.region, actor=gworld.users[Role.UNIT_HEAD], cycle=cycle)
        with pytest.raises(DomainError) as refused:
            cycle_close(region=gworld.region, actor=gworld.users[Role.OFFICER], cycle=cycle)
        assert refused.value.code == "bansos_entitlements_open"
        cycle_close(
            region=gworld.region,
            actor=gworld.users[Role.OFFICER],
            cycle=cycle,
            note="Tidak ditemukan di alamat",
        )
        statuses = set(
            Entitlement.objects.filter(region=gworld.region).values_list("status", flat=True)
        )
    assert statuses == {"failed"}


def test_names_are_published_only_where_the_region_chose_it(gworld) -> None:
    from lumbung.core.models import ModuleActivation

    cycle, _n, old = computed_cycle(gworld)
    with region_scope(gworld.region):
        cycle_approve(region=gworld.region, actor=gworld.users[Role.UNIT_HEAD], cycle=cycle)
        assert public_recipient_names(gworld.region, cycle) is None
        ModuleActivation.objects.filter(region=gworld.region, module="grants").update(
            settings={"publish_bansos_names": True}
        )
        names = public_recipient_names(gworld.region, cycle)
    assert names is not None
    assert {n["nik"] for n in names} == {"*" * 12 + p.nik[-4:] for p in old}


def test_another_regions_cycle_is_not_found(gworld, world_b) -> None:
    from lumbung.core.errors import NotFound

    cycle, _n, _old = computed_cycle(gworld)
    other = enable_grants(world_b)
    with region_scope(other.region), pytest.raises(NotFound):
        cycle_approve(region=other.region, actor=other.users[Role.UNIT_HEAD], cycle=cycle)
