"""The audit log: every service write appends an event in its own transaction, events are
hash-chained per region, and `audit verify` names the first edited, deleted or inserted one."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.errors import DomainError
from lumbung.core.models import (
    AuditChainHead,
    AuditEvent,
    Membership,
    Region,
    Unit,
)
from lumbung.core.models.audit import PLATFORM_CHAIN
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.audit import (
    GENESIS,
    audit_record,
    audit_verify_chain,
    chain_key,
    event_digest,
)
from lumbung.core.services.calendar import (
    collective_leave_sync,
    region_holiday_remove,
    region_holiday_set,
)
from lumbung.core.services.people import (
    membership_grant,
    membership_revoke,
    token_issue,
    token_revoke,
    user_ensure,
)
from lumbung.core.services.regions import region_add, region_modules_set, region_update_profile
from lumbung.core.services.units import unit_create, unit_update, units_import_csv
from lumbung.core.services.workflow import case_start, case_transition, sla_override_set
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.tests.factories import RegionWorld, make_world
from lumbung.core.tests.sample.models import SampleCase

pytestmark = pytest.mark.django_db

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the in-memory SQLite test database is one connection, so "
    "threads cannot append in separate transactions",
)


def events(chain: str) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(chain=chain).order_by("seq"))


def head_seq(chain: str) -> int:
    head = AuditChainHead.objects.filter(chain=chain).first()
    return head.last_seq if head else 0


def actions_since(chain: str, seq: int) -> list[str]:
    return [e.action for e in events(chain) if e.seq > seq]


def tamper(chain: str, at: int, **fields: Any) -> None:
    """Change stored event #`at` behind the application's back, as someone with database
    access could."""
    with dangerously_unscoped():
        assert AuditEvent.objects.filter(chain=chain, seq=at).update(**fields) == 1


def forge(chain: str, seq: int, *, prev_hash: str, region: Region | None) -> AuditEvent:
    """An event whose own hash is right for its content: only its place can give it away."""
    event = AuditEvent(
        region=region,
        chain=chain,
        seq=seq,
        created_at=dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC),
        actor_label="intruder@example.test",
        action="unit.create",
        object_type="core.unit",
        object_id="999",
        object_repr="Dinas Siluman",
        changes={"code": "SILUMAN"},
        prev_hash=prev_hash,
    )
    event.hash = event_digest(event)
    with dangerously_unscoped():
        event.save(force_insert=True)
    return event


def renumber_from(chain: str, seq: int) -> None:
    """Move events #seq.. one place up, last first (the (chain, seq) pair is unique)."""
    for event in reversed([e for e in events(chain) if e.seq >= seq]):
        tamper(chain, event.seq, seq=event.seq + 1)


def verify_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# --- every service write appends an event ------------------------------------------------


def _unit_update(w: RegionWorld) -> None:
    unit_update(
        region=w.region,
        actor=w.users[Role.REGION_ADMIN],
        unit=w.unit,
        data={"name": "Dinas Penanaman Modal dan PTSP"},
    )


def _holiday_remove(w: RegionWorld) -> None:
    holiday = region_holiday_set(
        region=w.region, actor=None, date=dt.date(2026, 9, 25), name="Hari Jadi"
    )
    region_holiday_remove(region=w.region, actor=w.users[Role.REGION_ADMIN], holiday=holiday)


def _revoke(w: RegionWorld) -> None:
    membership = Membership.objects.get(region=w.region, user=w.users[Role.OFFICER])
    membership_revoke(
        region=w.region, actor=w.users[Role.REGION_ADMIN], membership=membership, reason="Mutasi"
    )


def _transition(w: RegionWorld) -> None:
    with transaction.atomic():
        case = SampleCase(region=w.region, title="Lampu jalan mati", unit=w.unit)
        case_start(case, actor=w.users[Role.CITIZEN])
    case_transition(region=w.region, actor=w.users[Role.OFFICER], case=case, action="accept")


def _token_revoke(w: RegionWorld) -> None:
    token, _secret = token_issue(user=w.users[Role.OFFICER])
    token_revoke(user=w.users[Role.OFFICER], token=token)


REGION_WRITES: list[Any] = [
    pytest.param(
        lambda w: unit_create(
            region=w.region,
            actor=w.users[Role.REGION_ADMIN],
            data={"code": "DISDIK", "name": "Dinas Pendidikan", "kind": UnitKind.DINAS},
        ),
        ["unit.create"],
        id="unit_create",
    ),
    pytest.param(_unit_update, ["unit.update"], id="unit_update"),
    pytest.param(
        lambda w: units_import_csv(
            region=w.region,
            actor=w.users[Role.REGION_ADMIN],
            content="code,name,kind,parent_code\nDISHUB,Dinas Perhubungan,dinas,\n",
        ),
        ["unit.import"],
        id="units_import_csv",
    ),
    pytest.param(
        lambda w: membership_grant(
            region=w.region,
            actor=w.users[Role.REGION_ADMIN],
            user=w.users[Role.CITIZEN],
            role=Role.OFFICER,
            unit=w.other_unit,
        ),
        ["membership.grant"],
        id="membership_grant",
    ),
    pytest.param(_revoke, ["membership.revoke"], id="membership_revoke"),
    pytest.param(
        lambda w: region_modules_set(region=w.region, actor=None, disable=["sample"]),
        ["module.disable"],
        id="region_modules_set",
    ),
    pytest.param(
        lambda w: region_update_profile(
            region=w.region, actor=w.users[Role.REGION_ADMIN], data={"tagline": "Kota Kembang"}
        ),
        ["region.update"],
        id="region_update_profile",
    ),
    pytest.param(
        lambda w: region_holiday_set(
            region=w.region, actor=None, date=dt.date(2026, 9, 25), name="Hari Jadi Kota Bandung"
        ),
        ["calendar.holiday_set"],
        id="region_holiday_set",
    ),
    pytest.param(
        _holiday_remove, ["calendar.holiday_set", "calendar.holiday_remove"], id="holiday_remove"
    ),
    pytest.param(
        lambda w: sla_override_set(
            region=w.region,
            actor=w.users[Role.REGION_ADMIN],
            workflow="sample.case",
            state="received",
            working_days=7,
        ),
        ["sla.set"],
        id="sla_override_set",
    ),
    pytest.param(_transition, ["sample.case.accept"], id="case_transition"),
]


@pytest.mark.parametrize(("write", "expected"), REGION_WRITES)
def test_every_region_service_write_appends_its_event_to_the_region_chain(
    world_a: RegionWorld, write: Callable[[RegionWorld], Any], expected: list[str]
) -> None:
    # given Bandung's chain as it stands
    chain = chain_key(world_a.region)
    before = head_seq(chain)

    # when a service writes
    with region_scope(world_a.region):
        write(world_a)

    # then exactly its events were appended, and the chain still verifies
    assert actions_since(chain, before) == expected
    assert head_seq(chain) == before + len(expected)
    assert audit_verify_chain(chain) is None


PLATFORM_WRITES: list[Any] = [
    pytest.param(
        lambda w: token_issue(user=w.users[Role.OFFICER]), ["token.issue"], id="token_issue"
    ),
    pytest.param(_token_revoke, ["token.issue", "token.revoke"], id="token_revoke"),
    pytest.param(
        lambda w: user_ensure(email="baru@warga.test", full_name="Warga Baru"),
        ["user.create"],
        id="user_ensure",
    ),
    pytest.param(
        lambda w: collective_leave_sync(years=[2026]),
        ["calendar.collective_leave_sync"],
        id="collective_leave_sync",
    ),
]


@pytest.mark.parametrize(("write", "expected"), PLATFORM_WRITES)
def test_every_platform_service_write_appends_its_event_to_the_platform_chain(
    world_a: RegionWorld, write: Callable[[RegionWorld], Any], expected: list[str]
) -> None:
    # given the platform chain as it stands
    before = head_seq(PLATFORM_CHAIN)

    # when a service that belongs to no one region writes
    write(world_a)

    # then its events went to the platform chain, which still verifies
    assert actions_since(PLATFORM_CHAIN, before) == expected
    assert audit_verify_chain(PLATFORM_CHAIN) is None


def test_adding_a_region_starts_its_own_chain(db: None) -> None:
    # given / when Kabupaten Serang becomes a tenant with the sample module
    region = region_add(code="36.04", actor=None, modules=["sample"])

    # then its chain starts at #1 from the genesis hash
    chain = events(chain_key(region))
    assert [(e.seq, e.action) for e in chain] == [(1, "region.activate"), (2, "module.enable")]
    assert chain[0].prev_hash == GENESIS
    assert chain[1].prev_hash == chain[0].hash


def test_an_existing_user_is_not_recreated_nor_audited_again(db: None) -> None:
    # given a person who already has an account
    user_ensure(email="Warga@Example.test", full_name="Warga")
    before = head_seq(PLATFORM_CHAIN)

    # when a region admin adds them again, with the address typed differently
    again = user_ensure(email="  warga@example.TEST ", full_name="Warga")

    # then it is the same account and no event
    assert again.email == "warga@example.test"
    assert head_seq(PLATFORM_CHAIN) == before


def test_a_service_that_fails_after_writing_its_event_leaves_no_event(world_a: RegionWorld) -> None:
    # given a received case, and a transition log that breaks after the event was written
    chain = chain_key(world_a.region)
    with region_scope(world_a.region), transaction.atomic():
        case = SampleCase(region=world_a.region, title="Drainase tersumbat", unit=world_a.unit)
        case_start(case, actor=world_a.users[Role.CITIZEN])
    before = head_seq(chain)

    # when the officer accepts it
    with (
        region_scope(world_a.region),
        patch("lumbung.core.services.workflow._log", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        case_transition(
            region=world_a.region, actor=world_a.users[Role.OFFICER], case=case, action="accept"
        )

    # then the event went with the rest of the transaction: nothing moved, nothing recorded
    assert head_seq(chain) == before
    assert actions_since(chain, before) == []
    with region_scope(world_a.region):
        assert SampleCase.objects.get(pk=case.pk).state == "received"
    assert audit_verify_chain(chain) is None


def test_a_write_whose_event_cannot_be_appended_is_undone(world_a: RegionWorld) -> None:
    # given an audit log that refuses to append
    failing = patch(
        "lumbung.core.services.units.audit_record", side_effect=RuntimeError("audit down")
    )

    # when a unit is created
    with region_scope(world_a.region), failing, pytest.raises(RuntimeError):
        unit_create(
            region=world_a.region,
            actor=None,
            data={"code": "DISDIK", "name": "Dinas Pendidikan", "kind": UnitKind.DINAS},
        )

    # then no unit exists without its event
    with region_scope(world_a.region):
        assert not Unit.objects.filter(region=world_a.region, code="DISDIK").exists()


def test_a_refused_write_appends_nothing(world_a: RegionWorld) -> None:
    # given Bandung's chain as it stands
    chain = chain_key(world_a.region)
    before = head_seq(chain)

    # when a service refuses bad input
    with region_scope(world_a.region), pytest.raises(DomainError):
        unit_create(region=world_a.region, actor=None, data={"code": "", "name": "", "kind": "?"})

    # then there is no event for it
    assert head_seq(chain) == before


# --- one chain per region ------------------------------------------------------------------


def test_each_region_has_its_own_chain_from_the_genesis_hash(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given two regions that were set up the same way
    # then each has its own chain: numbered from 1, linked hash to hash, from the genesis
    for world in (world_a, world_b):
        chain = events(chain_key(world.region))
        assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
        assert [e.prev_hash for e in chain] == [GENESIS, *(e.hash for e in chain[:-1])]
        assert {e.region_id for e in chain} == {world.region.pk}
        assert all(event_digest(e) == e.hash for e in chain)
    assert audit_verify_chain(chain_key(world_a.region)) is None


def test_tampering_with_one_region_does_not_break_another(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given Tangerang's chain edited
    tamper(chain_key(world_b.region), 2, reason="dihapus")

    # when each region's chain is verified
    code_a, out_a, _err = verify_cli(world_a.region.slug)
    code_b, _out, err_b = verify_cli(world_b.region.slug)
    code_all, _out, _err = verify_cli()

    # then Bandung is intact, Tangerang is broken, and the whole platform check fails
    assert (code_a, code_b, code_all) == (0, 1, 1)
    assert "32.73: ok" in out_a
    assert "36.71: BROKEN at event #2" in err_b


def test_verify_reports_an_intact_log(world_a: RegionWorld, world_b: RegionWorld) -> None:
    # given / when every chain is verified
    code, out, err = verify_cli()

    # then each chain is ok and the command exits zero
    assert code == 0
    assert err == ""
    assert "32.73: ok" in out
    assert "36.71: ok" in out


def test_verify_of_an_unknown_region_is_a_command_error(db: None) -> None:
    # given no region "atlantis"; when it is verified, then the command says so
    with pytest.raises(CommandError):
        call_command("audit", "verify", "atlantis", stdout=io.StringIO())


# --- tamper detection: edit, delete, insert ------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"reason": "tidak ada apa-apa"},
        {"actor_label": "someone-else@example.test"},
        {"changes": {"code": "LAIN"}},
        {"created_at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        {"action": "unit.delete"},
    ],
    ids=["reason", "actor", "changes", "time", "action"],
)
def test_an_edited_event_is_reported_as_edited(world_a: RegionWorld, change: dict) -> None:
    # given event #3 of Bandung's chain changed in the database
    chain = chain_key(world_a.region)
    tamper(chain, 3, **change)

    # when the chain is verified
    problem = audit_verify_chain(chain)
    code, _out, err = verify_cli(world_a.region.slug)

    # then #3 is named as edited, and the command fails
    assert problem is not None
    assert (problem.seq, problem.kind) == (3, "edited")
    assert code == 1
    assert "BROKEN at event #3 (edited)" in err


def test_an_edit_that_recomputes_its_own_hash_is_caught_by_the_next_event(
    world_a: RegionWorld,
) -> None:
    # given event #3 edited, with its hash recomputed to match
    chain = chain_key(world_a.region)
    third = events(chain)[2]
    third.reason = "diubah"
    tamper(chain, 3, reason="diubah", hash=event_digest(third))

    # when the chain is verified
    problem = audit_verify_chain(chain)

    # then #4 no longer follows it
    assert problem is not None
    assert problem.seq == 4


def test_a_rehashed_tail_is_caught_by_the_chain_head(world_a: RegionWorld) -> None:
    # given event #3 edited and every event after it re-linked and re-hashed
    chain = chain_key(world_a.region)
    stored = events(chain)
    prev = stored[1].hash
    for event in stored[2:]:
        if event.seq == 3:
            event.reason = "diubah"
        event.prev_hash = prev
        event.hash = event_digest(event)
        tamper(chain, event.seq, reason=event.reason, prev_hash=prev, hash=event.hash)
        prev = event.hash

    # when the chain is verified
    problem = audit_verify_chain(chain)

    # then the last event is not the one the head recorded
    assert problem is not None
    assert (problem.seq, problem.kind) == (len(stored), "edited")


@pytest.mark.parametrize("which", ["first", "middle"])
def test_a_deleted_event_is_reported_as_missing(world_a: RegionWorld, which: str) -> None:
    # given the first or a middle event of Bandung's chain deleted
    chain = chain_key(world_a.region)
    seq = {"first": 1, "middle": 4}[which]
    with dangerously_unscoped():
        AuditEvent.objects.filter(chain=chain, seq=seq).delete()

    # when the chain is verified
    problem = audit_verify_chain(chain)
    code, _out, err = verify_cli(world_a.region.slug)

    # then that event is named as deleted
    assert problem is not None
    assert (problem.seq, problem.kind) == (seq, "deleted")
    assert code == 1
    assert f"BROKEN at event #{seq} (deleted)" in err


def test_a_deleted_last_event_is_caught_by_the_chain_head(world_a: RegionWorld) -> None:
    # given the newest event of Bandung's chain deleted (a truncated tail)
    chain = chain_key(world_a.region)
    last = head_seq(chain)
    with dangerously_unscoped():
        AuditEvent.objects.filter(chain=chain, seq=last).delete()

    # when the chain is verified
    problem = audit_verify_chain(chain)
    code, _out, err = verify_cli(world_a.region.slug)

    # then the head notices the chain ends one event early
    assert problem is not None
    assert (problem.seq, problem.kind) == (last, "deleted")
    assert code == 1
    assert f"#{last}" in err


def test_an_event_inserted_with_a_forged_link_is_reported_as_inserted(
    world_a: RegionWorld,
) -> None:
    # given events #3.. renumbered to make room for a forged #3 with a made-up prev_hash
    chain = chain_key(world_a.region)
    renumber_from(chain, 3)
    forge(chain, 3, prev_hash="f" * 64, region=world_a.region)

    # when the chain is verified
    problem = audit_verify_chain(chain)
    code, _out, err = verify_cli(world_a.region.slug)

    # then the forged event is named
    assert problem is not None
    assert (problem.seq, problem.kind) == (3, "inserted")
    assert code == 1
    assert "BROKEN at event #3 (inserted)" in err


def test_an_event_inserted_with_a_correct_link_breaks_the_next_one(world_a: RegionWorld) -> None:
    # given a forged #3 that links correctly to #2, and the real events moved up one place
    chain = chain_key(world_a.region)
    second = events(chain)[1]
    renumber_from(chain, 3)
    forge(chain, 3, prev_hash=second.hash, region=world_a.region)

    # when the chain is verified
    problem = audit_verify_chain(chain)

    # then the real event after it no longer follows it
    assert problem is not None
    assert (problem.seq, problem.kind) == (4, "inserted")


def test_events_swapped_out_of_order_are_reported(world_a: RegionWorld) -> None:
    # given events #2 and #3 swapped
    chain = chain_key(world_a.region)
    tamper(chain, 2, seq=1000)
    tamper(chain, 3, seq=2)
    tamper(chain, 1000, seq=3)

    # when the chain is verified
    problem = audit_verify_chain(chain)

    # then #2 does not follow #1
    assert problem is not None
    assert (problem.seq, problem.kind) == (2, "inserted")


def test_an_event_appended_behind_the_log_back_is_caught_by_the_chain_head(
    world_a: RegionWorld,
) -> None:
    # given a well-linked forged event appended after the last one, the head left alone
    chain = chain_key(world_a.region)
    last = events(chain)[-1]
    forge(chain, last.seq + 1, prev_hash=last.hash, region=world_a.region)

    # when the chain is verified
    problem = audit_verify_chain(chain)
    code, _out, _err = verify_cli(world_a.region.slug)

    # then the head says the chain should have ended before it
    assert problem is not None
    assert (problem.seq, problem.kind) == (last.seq + 1, "inserted")
    assert code == 1


# --- what an event holds -----------------------------------------------------------------------


def test_personal_data_in_changes_is_masked(world_a: RegionWorld) -> None:
    # given / when a region admin records the office phone and address
    with region_scope(world_a.region):
        region_update_profile(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            data={"contact_phone": "081234567890", "address": "Jl. Wastukencana No. 2"},
        )
    [event] = [e for e in events(chain_key(world_a.region)) if e.action == "region.update"]

    # then the event shows the change, masked
    assert event.changes["contact_phone"] == ["", "0812******90"]
    assert event.changes["address"] == ["", "J***"]
    stored = json.dumps(event.changes)
    assert "081234567890" not in stored
    assert "Wastukencana" not in stored


def test_a_nik_is_stored_with_no_more_than_its_last_four_digits(world_a: RegionWorld) -> None:
    # given / when a service records a change of NIK and phone number
    with transaction.atomic():
        event = audit_record(
            region=world_a.region,
            actor=world_a.users[Role.OFFICER],
            action="sample.case.update",
            changes={"nik": ["3273010101900001", "3273014107850002"], "phone": "+6281234567890"},
        )

    # then only the last four NIK digits survive, and the stored event still verifies
    stored = events(event.chain)[-1]
    assert stored.changes["nik"] == ["************0001", "************0002"]
    assert "81234567890" not in json.dumps(stored.changes)
    assert audit_verify_chain(event.chain) is None


def test_the_request_id_a_request_carries_is_recorded(client: Client, world_a: RegionWorld) -> None:
    # given the region admin, logged in
    login(client, world_a.users[Role.REGION_ADMIN])
    url = reverse("core:units", kwargs={"region_slug": world_a.region.slug})
    form = {"code": "DISPORA", "name": "Dinas Pemuda dan Olahraga", "kind": "dinas"}

    # when they add a unit through a request that carries X-Request-ID, and one that does not
    first = client.post(url, form, HTTP_X_REQUEST_ID="req-7f3a9c")
    second = client.post(url, {**form, "code": "DISPAR"})

    # then each event records its request's id, the one the response echoes
    assert (first.status_code, second.status_code) == (302, 302)
    created = [e for e in events(chain_key(world_a.region)) if e.action == "unit.create"][-2:]
    assert [e.request_id for e in created] == ["req-7f3a9c", second["X-Request-ID"]]
    assert first["X-Request-ID"] == "req-7f3a9c"
    assert len(second["X-Request-ID"]) == 32


def test_an_event_written_outside_a_request_has_no_request_id(world_a: RegionWorld) -> None:
    # given Bandung set up by services called directly (no request)
    # then its events carry no request id rather than a stale one
    assert {e.request_id for e in events(chain_key(world_a.region))} == {""}


def test_the_hash_does_not_depend_on_the_zone_the_time_was_written_in(
    world_a: RegionWorld,
) -> None:
    # given an event recorded while the clock reads local (WIB) time
    wib = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with patch("django.utils.timezone.now", return_value=wib), transaction.atomic():
        audit_record(region=world_a.region, actor=None, action="test.clock")

    # when the chain is verified from what the database hands back (in UTC)
    # then it holds
    assert audit_verify_chain(chain_key(world_a.region)) is None


# --- concurrency (PostgreSQL) --------------------------------------------------------------


THREADS = 6


def run_at_once(work: Callable[[int], None]) -> list[BaseException]:
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            work(index)
        except BaseException as error:  # reported by the caller's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_service_writes_keep_the_chain_valid() -> None:
    # given an active region whose chain already has events
    world = make_world("32.73", modules=["sample"])
    chain = chain_key(world.region)
    before = head_seq(chain)

    # when six officers' requests each create a unit at the same moment
    def create(index: int) -> None:
        with region_scope(world.region):
            unit_create(
                region=world.region,
                actor=None,
                data={"code": f"UPT-{index}", "name": f"UPT {index}", "kind": UnitKind.OTHER},
            )

    errors = run_at_once(create)

    # then every append got its own place in one unbroken chain
    assert errors == []
    assert actions_since(chain, before) == ["unit.create"] * THREADS
    assert head_seq(chain) == before + THREADS
    assert audit_verify_chain(chain) is None


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_first_appends_to_a_new_chain_keep_it_valid() -> None:
    # given a region that has never had an event (its chain has no head yet)
    region = Region.objects.get(code="36.03")
    chain = chain_key(region)
    assert head_seq(chain) == 0

    # when six appends start that chain at the same moment
    def append(index: int) -> None:
        with transaction.atomic():
            audit_record(region=region, actor=None, action="test.append", changes={"n": index})

    errors = run_at_once(append)

    # then the chain has six events numbered 1..6 and verifies
    assert errors == []
    assert [e.seq for e in events(chain)] == list(range(1, THREADS + 1))
    assert sorted(e.changes["n"] for e in events(chain)) == list(range(THREADS))
    assert audit_verify_chain(chain) is None
