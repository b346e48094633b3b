"""The workflow engine, proven on the test-only SAMPLE_FLOW: every declared transition, each
refusal with its stable code, the transition log, concurrency, deadlines counted in the
region's working days, and the escalation of overdue cases."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent, Notification, Transition
from lumbung.core.models.people import Role
from lumbung.core.selectors import case_overdue, transition_list
from lumbung.core.services.audit import audit_verify_chain, chain_key
from lumbung.core.services.people import membership_grant
from lumbung.core.services.workflow import case_start, case_transition, sla_override_set
from lumbung.core.tasks import escalate_overdue_all, escalate_overdue_region
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, UserFactory, make_world
from lumbung.core.tests.sample.models import SampleCase
from lumbung.core.tests.sample.workflow import SAMPLE_FLOW
from lumbung.core.workflow import Action, State, Workflow

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")
# Monday 2 March 2026, 10:00 WIB: an ordinary working week, two weeks before Idul Fitri.
MONDAY_10_WIB = dt.datetime(2026, 3, 2, 10, 0, tzinfo=WIB)
NOTE = "Sudah dicek ke lapangan."
ATTACHMENT = "attachments/berita-acara.pdf"
WORLD_ROLES = (Role.CITIZEN, Role.OFFICER, Role.UNIT_HEAD, Role.REGION_ADMIN, Role.AUDITOR)

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: the in-memory SQLite test database is one connection, so two "
    "threads cannot hold separate transactions on it",
)


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    """Freeze `timezone.now()` at `moment`, in UTC as Django gives it (freezegun is not a
    dependency)."""
    with patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield


def _paths(flow: Workflow) -> dict[str, list[Action]]:
    """The shortest list of actions that brings a new case to each state."""
    paths: dict[str, list[Action]] = {flow.initial: []}
    frontier = [flow.initial]
    while frontier:
        state = frontier.pop(0)
        for action in flow.actions_from(state):
            if action.target not in paths:
                paths[action.target] = [*paths[state], action]
                frontier.append(action.target)
    return paths


PATHS = _paths(SAMPLE_FLOW)
STATES = [s.key for s in SAMPLE_FLOW.states]


def start_case(
    world: RegionWorld, *, at: dt.datetime | None = None, unit: Any = None
) -> SampleCase:
    with clock(at) if at else nullcontext(), region_scope(world.region), transaction.atomic():
        case = SampleCase(
            region=world.region, title="Jalan berlubang di Jl. Braga", unit=unit or world.unit
        )
        case_start(case, actor=world.users[Role.CITIZEN])
    return case


def take(
    world: RegionWorld, case: SampleCase, action: str, role: Role | None, **kwargs: Any
) -> Transition:
    actor = world.users[role] if role is not None else None
    with region_scope(world.region):
        return case_transition(region=world.region, actor=actor, case=case, action=action, **kwargs)


def allowed_role(action: Action) -> Role:
    return sorted(action.roles)[0]


def bring_to(world: RegionWorld, case: SampleCase, state: str) -> None:
    for step in PATHS[state]:
        take(world, case, step.key, allowed_role(step), note=NOTE, attachments=[ATTACHMENT])
    assert case.state == state


def reloaded(world: RegionWorld, case: SampleCase) -> SampleCase:
    with region_scope(world.region):
        return SampleCase.objects.get(pk=case.pk)


def log_of(world: RegionWorld, case: SampleCase) -> list[Transition]:
    with region_scope(world.region):
        return list(transition_list(case).order_by("created_at", "id"))


def events_of(world: RegionWorld, case: SampleCase) -> list[AuditEvent]:
    with region_scope(world.region):
        return list(
            AuditEvent.objects.filter(
                region=world.region, object_type="sample.samplecase", object_id=str(case.pk)
            ).order_by("seq")
        )


def refusal(world: RegionWorld, case: SampleCase, action: str, role: Role | None, **kw: Any):
    with pytest.raises(DomainError) as caught:
        take(world, case, action, role, **kw)
    return caught.value


# --- every declared transition ---------------------------------------------------------


DECLARED = [
    pytest.param(action, source, role, id=f"{source}-{action.key}-by-{role.value}")
    for action in SAMPLE_FLOW.actions
    for source in action.sources
    for role in sorted(action.roles)
]


@pytest.mark.parametrize(("action", "source", "role"), DECLARED)
def test_every_declared_transition_moves_the_case_for_each_allowed_role(
    world_a: RegionWorld, action: Action, source: str, role: Role
) -> None:
    # given a case waiting in the action's source state
    case = start_case(world_a)
    bring_to(world_a, case, source)
    version, logged, audited = case.version, len(log_of(world_a, case)), events_of(world_a, case)

    # when someone holding an allowed role takes the action
    step = take(world_a, case, action.key, role, note=NOTE, attachments=[ATTACHMENT])

    # then the case is in the target state, one version on, with one more log row and event
    stored = reloaded(world_a, case)
    assert (stored.state, stored.version) == (action.target, version + 1)
    assert (step.from_state, step.to_state, step.action) == (source, action.target, action.key)
    assert step.actor == world_a.users[role]
    assert len(log_of(world_a, case)) == logged + 1
    new_events = events_of(world_a, case)[len(audited) :]
    assert [e.action for e in new_events] == [f"sample.case.{action.key}"]


def test_starting_a_case_puts_it_in_the_initial_state_and_logs_it(world_a: RegionWorld) -> None:
    # given / when a citizen's case is started
    case = start_case(world_a, at=MONDAY_10_WIB)

    # then it waits in the initial state, and the log's first row says so
    assert (case.state, case.version, case.escalation_level) == (SAMPLE_FLOW.initial, 0, 0)
    [first] = log_of(world_a, case)
    assert (first.action, first.from_state, first.to_state) == ("start", "", "received")
    assert first.actor == world_a.users[Role.CITIZEN]
    assert first.created_at == MONDAY_10_WIB


def test_each_transition_is_logged_with_who_when_from_to_note_and_attachments(
    world_a: RegionWorld,
) -> None:
    # given a received case
    case = start_case(world_a, at=MONDAY_10_WIB)
    officer = world_a.users[Role.OFFICER]
    moment = MONDAY_10_WIB + dt.timedelta(hours=2)

    # when the officer accepts it, then resolves it with a note and an attachment
    with clock(moment):
        take(world_a, case, "accept", Role.OFFICER, note="Diterima.")
        take(world_a, case, "resolve", Role.OFFICER, note=NOTE, attachments=[ATTACHMENT])

    # then each step is a row: who, when, from, to, note, attachments
    rows = [
        (t.action, t.actor, t.created_at, t.from_state, t.to_state, t.note, t.attachments)
        for t in log_of(world_a, case)[1:]
    ]
    assert rows == [
        ("accept", officer, moment, "received", "in_progress", "Diterima.", []),
        ("resolve", officer, moment, "in_progress", "resolved", NOTE, [ATTACHMENT]),
    ]
    assert {t.region_id for t in log_of(world_a, case)} == {world_a.region.pk}


def test_each_transition_appends_an_audit_event_with_the_state_change_and_the_note(
    world_a: RegionWorld,
) -> None:
    # given a received case
    case = start_case(world_a)

    # when the unit head rejects it with a note
    take(world_a, case, "reject", Role.UNIT_HEAD, note="Bukan kewenangan daerah.")

    # then the region's chain holds one event naming actor, object, change and reason
    [event] = events_of(world_a, case)
    assert event.action == "sample.case.reject"
    assert event.actor == world_a.users[Role.UNIT_HEAD]
    assert event.chain == chain_key(world_a.region)
    assert event.changes == {"state": ["received", "rejected"]}
    assert event.reason == "Bukan kewenangan daerah."
    assert audit_verify_chain(event.chain) is None


# --- refusals ----------------------------------------------------------------------------


NOT_APPLICABLE = [
    pytest.param(state, action, id=f"{action.key}-from-{state}")
    for state in STATES
    for action in SAMPLE_FLOW.actions
    if state not in action.sources
]


@pytest.mark.parametrize(("state", "action"), NOT_APPLICABLE)
def test_an_action_that_does_not_start_from_the_case_state_is_an_invalid_transition(
    world_a: RegionWorld, state: str, action: Action
) -> None:
    # given a case in a state the action does not leave from
    case = start_case(world_a)
    bring_to(world_a, case, state)
    version, logged = case.version, len(log_of(world_a, case))

    # when a role the action allows tries it anyway, with everything it could require
    error = refusal(
        world_a, case, action.key, allowed_role(action), note=NOTE, attachments=[ATTACHMENT]
    )

    # then it is refused as an invalid transition and nothing changed
    assert error.code == ErrorCode.INVALID_TRANSITION
    stored = reloaded(world_a, case)
    assert (stored.state, stored.version) == (state, version)
    assert len(log_of(world_a, case)) == logged


def test_an_action_the_workflow_does_not_declare_is_an_invalid_transition(
    world_a: RegionWorld,
) -> None:
    # given a received case
    case = start_case(world_a)

    # when someone asks for an action that does not exist
    error = refusal(world_a, case, "teleport", Role.REGION_ADMIN)

    # then the code is the same stable one, and the case did not move
    assert error.code == ErrorCode.INVALID_TRANSITION
    assert reloaded(world_a, case).state == "received"


DISALLOWED = [
    pytest.param(action, role, id=f"{action.key}-by-{role.value}")
    for action in SAMPLE_FLOW.actions
    # every signed-in person is a citizen of every region, so an action open to citizens
    # is open to everyone
    if Role.CITIZEN not in action.roles
    for role in WORLD_ROLES
    if role not in action.roles
]


@pytest.mark.parametrize(("action", "role"), DISALLOWED)
def test_a_role_the_action_does_not_allow_is_refused(
    world_a: RegionWorld, action: Action, role: Role
) -> None:
    # given a case in the action's source state
    case = start_case(world_a)
    bring_to(world_a, case, action.sources[0])
    version = case.version

    # when someone without an allowed role takes the action
    error = refusal(world_a, case, action.key, role, note=NOTE, attachments=[ATTACHMENT])

    # then it is refused with ACTION_NOT_ALLOWED and nothing moved
    assert error.code == ErrorCode.ACTION_NOT_ALLOWED
    stored = reloaded(world_a, case)
    assert (stored.state, stored.version) == (action.sources[0], version)


def test_the_system_itself_may_not_take_a_staff_action(world_a: RegionWorld) -> None:
    # given a received case
    case = start_case(world_a)

    # when a task (no actor) tries to accept it
    error = refusal(world_a, case, "accept", None)

    # then the engine refuses
    assert error.code == ErrorCode.ACTION_NOT_ALLOWED


def test_an_officer_of_another_region_acts_there_only_as_a_citizen(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given a case of Kota Bandung and an officer of Kota Tangerang
    case = start_case(world_a)
    outsider = world_b.users[Role.OFFICER]

    # when the outsider tries to accept the Bandung case
    with region_scope(world_a.region), pytest.raises(DomainError) as caught:
        case_transition(region=world_a.region, actor=outsider, case=case, action="accept")

    # then the role does not travel with them
    assert caught.value.code == ErrorCode.ACTION_NOT_ALLOWED


def test_a_case_of_another_region_is_not_found(world_a: RegionWorld, world_b: RegionWorld) -> None:
    # given a case of Kota Bandung
    case = start_case(world_a)

    # when Kota Tangerang's officer names it under Tangerang
    with region_scope(world_b.region), pytest.raises(DomainError) as caught:
        case_transition(
            region=world_b.region, actor=world_b.users[Role.OFFICER], case=case, action="accept"
        )

    # then it does not exist there
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert reloaded(world_a, case).state == "received"


@pytest.mark.parametrize("note", ["", "   \n"])
def test_an_action_that_needs_a_note_is_refused_without_one(
    world_a: RegionWorld, note: str
) -> None:
    # given a received case; rejecting it needs a note
    case = start_case(world_a)
    assert SAMPLE_FLOW.action("reject").note_required

    # when the officer rejects it with no (or a blank) note
    error = refusal(world_a, case, "reject", Role.OFFICER, note=note)

    # then the note field is named and the case stays where it was
    assert error.code == ErrorCode.NOTE_REQUIRED
    assert set(error.field_errors) == {"note"}
    assert reloaded(world_a, case).state == "received"
    assert events_of(world_a, case) == []


def test_an_action_that_needs_an_attachment_is_refused_without_one(world_a: RegionWorld) -> None:
    # given a case in progress; resolving it needs an attachment
    case = start_case(world_a)
    bring_to(world_a, case, "in_progress")
    assert SAMPLE_FLOW.action("resolve").attachment_required

    # when the officer resolves it without one
    error = refusal(world_a, case, "resolve", Role.OFFICER, note=NOTE)

    # then the attachments field is named and the case stays in progress
    assert error.code == ErrorCode.ATTACHMENT_REQUIRED
    assert set(error.field_errors) == {"attachments"}
    assert reloaded(world_a, case).state == "in_progress"


# --- concurrency -----------------------------------------------------------------------------


def test_a_stale_expected_version_is_a_concurrent_update(world_a: RegionWorld) -> None:
    # given a case the officer saw at version 0, which the head has accepted since
    case = start_case(world_a)
    seen = case.version
    take(world_a, case, "accept", Role.UNIT_HEAD)

    # when the officer acts on what they saw
    error = refusal(
        world_a, case, "resolve", Role.OFFICER, attachments=[ATTACHMENT], expected_version=seen
    )

    # then the engine says someone else got there first, and nothing moved
    assert error.code == ErrorCode.CONCURRENT_UPDATE
    stored = reloaded(world_a, case)
    assert (stored.state, stored.version) == ("in_progress", seen + 1)


def test_a_stale_copy_of_the_case_cannot_be_transitioned(world_a: RegionWorld) -> None:
    # given two copies of the same received case, and the first one accepted
    case = start_case(world_a)
    first, second = reloaded(world_a, case), reloaded(world_a, case)
    take(world_a, first, "accept", Role.OFFICER)

    # when the second (stale) copy is rejected
    error = refusal(world_a, second, "reject", Role.UNIT_HEAD, note=NOTE)

    # then it is a concurrent update, not a second transition
    assert error.code == ErrorCode.CONCURRENT_UPDATE
    assert reloaded(world_a, case).state == "in_progress"
    assert [t.action for t in log_of(world_a, case)] == ["start", "accept"]


def race(world: RegionWorld, case: SampleCase, moves: list[tuple[str, Role, dict]]) -> list[Any]:
    """Run each (action, role, kwargs) in its own thread and connection, all at once."""
    barrier = threading.Barrier(len(moves))
    outcomes: list[Any] = [None] * len(moves)

    def run(index: int, action: str, role: Role, kwargs: dict) -> None:
        try:
            with region_scope(world.region):
                mine = SampleCase.objects.get(pk=case.pk)
                barrier.wait(timeout=30)
                case_transition(
                    region=world.region, actor=world.users[role], case=mine, action=action, **kwargs
                )
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = error.code
        except Exception as error:  # reported by the assertions on `outcomes`
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *move)) for i, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_transitions_of_one_case_cannot_both_succeed() -> None:
    # given a received case, committed, and two staff who each loaded it
    world = make_world("32.73", modules=["sample"])
    case = start_case(world)

    # when, at the same moment, the officer accepts it and the head rejects it
    outcomes = race(
        world,
        case,
        [("accept", Role.OFFICER, {}), ("reject", Role.UNIT_HEAD, {"note": NOTE})],
    )

    # then exactly one wins; the other is told someone else got there first
    assert sorted(map(str, outcomes)) == sorted(["ok", str(ErrorCode.CONCURRENT_UPDATE)])
    winner = ["accept", "reject"][outcomes.index("ok")]
    stored = reloaded(world, case)
    assert stored.state == SAMPLE_FLOW.action(winner).target
    assert stored.version == 1
    assert [t.action for t in log_of(world, case)] == ["start", winner]
    assert [e.action for e in events_of(world, case)] == [f"sample.case.{winner}"]
    assert audit_verify_chain(chain_key(world.region)) is None


# --- deadlines -----------------------------------------------------------------------------


@pytest.fixture
def world_wit(db: None) -> RegionWorld:
    """Kota Jayapura, in WIT (UTC+9), two hours ahead of Bandung."""
    return make_world("91.71", modules=["sample"])


def test_due_at_is_the_end_of_the_last_working_day_of_the_state_sla(world_a: RegionWorld) -> None:
    # given "received" allows 3 working days; the case arrives on Monday 2 March 2026
    assert SAMPLE_FLOW.state("received").sla_days == 3

    # when it is started
    case = start_case(world_a, at=MONDAY_10_WIB)

    # then it is due at the end of Thursday 5 March, Bandung time
    assert case.due_at == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WIB)


def test_due_at_skips_the_weekend(world_a: RegionWorld) -> None:
    # given a case that arrives on Thursday 5 March 2026
    case = start_case(world_a, at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=WIB))

    # then its 3 working days are Friday, Monday and Tuesday
    assert case.due_at == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=WIB)


def test_a_transition_starts_the_next_state_clock(world_a: RegionWorld) -> None:
    # given a received case
    case = start_case(world_a, at=MONDAY_10_WIB)

    # when it is accepted on Wednesday 4 March ("in_progress" allows 5 working days)
    with clock(dt.datetime(2026, 3, 4, 14, 0, tzinfo=WIB)):
        take(world_a, case, "accept", Role.OFFICER)

    # then the new deadline is counted from Wednesday: Thu, Fri, Mon, Tue, Wed
    assert case.due_at == dt.datetime(2026, 3, 11, 23, 59, 59, tzinfo=WIB)
    assert case.state_entered_at == dt.datetime(2026, 3, 4, 14, 0, tzinfo=WIB)


def test_a_terminal_state_has_no_deadline(world_a: RegionWorld) -> None:
    # given a received case
    case = start_case(world_a)

    # when it is rejected
    take(world_a, case, "reject", Role.OFFICER, note=NOTE)

    # then nothing is due any more
    assert reloaded(world_a, case).due_at is None


def test_due_at_counts_in_the_region_time_zone(
    world_a: RegionWorld, world_wit: RegionWorld
) -> None:
    # given one instant: Thursday 5 March 2026 23:30 in Bandung is already Friday in Jayapura
    instant = dt.datetime(2026, 3, 5, 23, 30, tzinfo=WIB)

    # when each region receives a case at that instant
    bandung = start_case(world_a, at=instant)
    jayapura = start_case(world_wit, at=instant)

    # then Bandung counts from Thursday (Fri, Mon, Tue) and Jayapura from Friday (Mon-Wed)
    assert bandung.due_at == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=WIB)
    assert jayapura.due_at == dt.datetime(2026, 3, 11, 23, 59, 59, tzinfo=WIT)


def test_a_region_sla_override_changes_the_deadline_for_that_region_only(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given Bandung allows 10 working days for "received" instead of the default 3
    with region_scope(world_a.region):
        sla_override_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=SAMPLE_FLOW.key,
            state="received",
            working_days=10,
        )

    # when both regions receive a case on the same Monday
    bandung = start_case(world_a, at=MONDAY_10_WIB)
    tangerang = start_case(world_b, at=MONDAY_10_WIB)

    # then Bandung's is due two weeks later, Tangerang keeps the default
    assert bandung.due_at == dt.datetime(2026, 3, 16, 23, 59, 59, tzinfo=WIB)
    assert tangerang.due_at == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WIB)


def test_removing_an_sla_override_restores_the_default(world_a: RegionWorld) -> None:
    # given an override that was set and then removed
    admin = world_a.users[Role.REGION_ADMIN]
    with region_scope(world_a.region):
        for days in (10, None):
            sla_override_set(
                region=world_a.region,
                actor=admin,
                workflow=SAMPLE_FLOW.key,
                state="received",
                working_days=days,
            )

    # when a case arrives
    case = start_case(world_a, at=MONDAY_10_WIB)

    # then the workflow's own 3 working days apply again, and both changes were audited
    assert case.due_at == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WIB)
    with region_scope(world_a.region):
        changes = list(
            AuditEvent.objects.filter(region=world_a.region, action="sla.set")
            .order_by("seq")
            .values_list("changes", flat=True)
        )
    assert changes == [{"sample.case.received": [None, 10]}, {"sample.case.received": [10, None]}]


@pytest.mark.parametrize(
    ("state", "days", "field"),
    [
        ("resolved", 5, "state"),
        ("no_such_state", 5, "state"),
        ("received", 0, "working_days"),
        ("received", 366, "working_days"),
    ],
)
def test_an_sla_override_outside_the_rules_is_refused(
    world_a: RegionWorld, state: str, days: int, field: str
) -> None:
    # given / when an override names a terminal or unknown state, or an absurd deadline
    with region_scope(world_a.region), pytest.raises(DomainError) as caught:
        sla_override_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=SAMPLE_FLOW.key,
            state=state,
            working_days=days,
        )

    # then the field at fault is named and no override exists
    assert caught.value.code == ErrorCode.VALIDATION
    assert field in caught.value.field_errors
    case = start_case(world_a, at=MONDAY_10_WIB)
    assert case.due_at == dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WIB)


# --- overdue and escalation -------------------------------------------------------------------


DUE_THURSDAY = dt.datetime(2026, 3, 5, 23, 59, 59, tzinfo=WIB)
FRIDAY_9 = dt.datetime(2026, 3, 6, 9, 0, tzinfo=WIB)
FRIDAY_16 = dt.datetime(2026, 3, 6, 16, 0, tzinfo=WIB)
MONDAY_9 = dt.datetime(2026, 3, 9, 9, 0, tzinfo=WIB)


def test_case_overdue_lists_only_open_cases_of_the_region_past_their_deadline(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given, all received on Monday (due Thursday): an open Bandung case, a rejected one,
    # one accepted on Thursday (so due later), and an open Tangerang case
    overdue = start_case(world_a, at=MONDAY_10_WIB)
    closed = start_case(world_a, at=MONDAY_10_WIB)
    take(world_a, closed, "reject", Role.OFFICER, note=NOTE)
    moved_on = start_case(world_a, at=MONDAY_10_WIB)
    with clock(dt.datetime(2026, 3, 5, 15, 0, tzinfo=WIB)):
        take(world_a, moved_on, "accept", Role.OFFICER)
    start_case(world_b, at=MONDAY_10_WIB)
    fresh = start_case(world_a, at=dt.datetime(2026, 3, 5, 8, 0, tzinfo=WIB))

    # when Bandung asks for its overdue cases on Friday morning (and on Thursday evening)
    with region_scope(world_a.region):
        friday = list(case_overdue(SampleCase, world_a.region, now=FRIDAY_9))
        thursday = list(
            case_overdue(SampleCase, world_a.region, now=dt.datetime(2026, 3, 5, 22, 0, tzinfo=WIB))
        )

    # then only the open, past-due Bandung case is listed, and nothing before the deadline
    assert friday == [overdue]
    assert thursday == []
    assert fresh.due_at is not None
    assert fresh.due_at > FRIDAY_9


def escalate_at(moment: dt.datetime, world: RegionWorld, capture: Any) -> int:
    with clock(moment), capture(execute=True):
        return escalate_overdue_region(world.region)


def inbox(world: RegionWorld, role: Role) -> list[Notification]:
    with region_scope(world.region):
        return list(Notification.objects.filter(region=world.region, recipient=world.users[role]))


def test_an_overdue_case_is_escalated_to_the_unit_head_first(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given a case of the head's unit, due Thursday evening
    case = start_case(world_a, at=MONDAY_10_WIB)
    assert case.due_at == DUE_THURSDAY
    mail.outbox.clear()

    # when the escalation runs on Thursday evening, and again on Friday morning
    before = escalate_at(
        dt.datetime(2026, 3, 5, 22, 0, tzinfo=WIB), world_a, django_capture_on_commit_callbacks
    )
    after = escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks)

    # then nothing happens before the deadline; after it, the unit head (only) hears,
    # in the app and by email
    assert (before, after) == (0, 1)
    [note] = inbox(world_a, Role.UNIT_HEAD)
    assert note.kind == "workflow.overdue"
    assert inbox(world_a, Role.REGION_ADMIN) == []
    assert [m.to for m in mail.outbox] == [[world_a.users[Role.UNIT_HEAD].email]]
    assert reloaded(world_a, case).escalation_level == 1


def test_escalation_reaches_the_region_admin_once_overdue_by_another_working_day(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given a case due Thursday that the unit head was told about on Friday morning
    case = start_case(world_a, at=MONDAY_10_WIB)
    escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    # when the escalation runs again on Friday afternoon, on Monday, and on Tuesday
    friday = escalate_at(FRIDAY_16, world_a, django_capture_on_commit_callbacks)
    monday = escalate_at(MONDAY_9, world_a, django_capture_on_commit_callbacks)
    tuesday = escalate_at(
        MONDAY_9 + dt.timedelta(days=1), world_a, django_capture_on_commit_callbacks
    )

    # then Friday is not yet a whole working day late; by Monday it is, and the admin hears
    # once; there is no level after the admin
    assert (friday, monday, tuesday) == (0, 1, 0)
    assert len(inbox(world_a, Role.REGION_ADMIN)) == 1
    assert len(inbox(world_a, Role.UNIT_HEAD)) == 1
    assert [m.to for m in mail.outbox] == [[world_a.users[Role.REGION_ADMIN].email]]
    assert reloaded(world_a, case).escalation_level == 2


def test_an_escalation_level_is_never_notified_twice(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given an overdue case
    start_case(world_a, at=MONDAY_10_WIB)
    mail.outbox.clear()

    # when the task runs twice at the same moment
    runs = [escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks) for _ in range(2)]

    # then the unit head hears once
    assert runs == [1, 0]
    assert len(inbox(world_a, Role.UNIT_HEAD)) == 1
    assert len(mail.outbox) == 1


def test_each_escalation_is_an_audit_event(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given an overdue case escalated to both levels
    case = start_case(world_a, at=MONDAY_10_WIB)
    escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks)
    escalate_at(MONDAY_9, world_a, django_capture_on_commit_callbacks)

    # then the chain holds one system event per level, naming the role told
    events = [e for e in events_of(world_a, case) if e.action == "sample.case.escalate"]
    assert [(e.actor_label, e.changes) for e in events] == [
        ("system", {"escalation_level": [0, 1], "role": "unit_head"}),
        ("system", {"escalation_level": [1, 2], "role": "region_admin"}),
    ]
    assert audit_verify_chain(chain_key(world_a.region)) is None


def test_escalation_tells_the_head_of_the_case_unit_and_the_admin_of_any_unit(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given a case of Dinas Sosial, which has its own head; the region admin sits in DPMPTSP
    head_dinsos = UserFactory.create(email="kadis@dinsos.test")
    with region_scope(world_a.region):
        membership_grant(
            region=world_a.region,
            actor=None,
            user=head_dinsos,
            role=Role.UNIT_HEAD,
            unit=world_a.other_unit,
        )
    start_case(world_a, at=MONDAY_10_WIB, unit=world_a.other_unit)

    # when the case is escalated to both levels
    escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks)
    escalate_at(MONDAY_9, world_a, django_capture_on_commit_callbacks)

    # then the Dinas Sosial head heard, DPMPTSP's head did not, and the admin did
    with region_scope(world_a.region):
        told = set(
            Notification.objects.filter(region=world_a.region).values_list(
                "recipient__email", flat=True
            )
        )
    assert told == {head_dinsos.email, world_a.users[Role.REGION_ADMIN].email}


def test_the_periodic_task_escalates_every_active_region(
    world_a: RegionWorld, world_b: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given one overdue case in each region
    start_case(world_a, at=MONDAY_10_WIB)
    start_case(world_b, at=MONDAY_10_WIB)

    # when the worker's task runs (the test backend runs it at once)
    with clock(FRIDAY_9), django_capture_on_commit_callbacks(execute=True):
        result = escalate_overdue_all.enqueue()

    # then both cases were escalated, each to its own region's head
    assert result.return_value == 2
    assert len(inbox(world_a, Role.UNIT_HEAD)) == 1
    assert len(inbox(world_b, Role.UNIT_HEAD)) == 1


def test_a_case_that_moves_on_gets_a_fresh_deadline_and_escalation(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given an overdue case the unit head was told about
    case = start_case(world_a, at=MONDAY_10_WIB)
    escalate_at(FRIDAY_9, world_a, django_capture_on_commit_callbacks)

    # when the officer finally accepts it on Friday
    with clock(FRIDAY_16):
        take(world_a, case, "accept", Role.OFFICER)

    # then it is no longer overdue on Monday, and its escalation starts again from the head
    stored = reloaded(world_a, case)
    assert stored.escalation_level == 0
    assert escalate_at(MONDAY_9, world_a, django_capture_on_commit_callbacks) == 0


# --- declaring workflows --------------------------------------------------------------------


STAFF = frozenset({Role.OFFICER})


@pytest.mark.parametrize(
    ("initial", "action"),
    [
        pytest.param("draft", Action("go", "Go", ("open",), "done", STAFF), id="unknown-initial"),
        pytest.param("open", Action("go", "Go", ("draft",), "done", STAFF), id="unknown-source"),
        pytest.param("open", Action("go", "Go", ("open",), "archived", STAFF), id="unknown-target"),
    ],
)
def test_a_workflow_naming_an_undeclared_state_is_refused_at_definition(
    initial: str, action: Action
) -> None:
    # given states "open" and "done" only
    states = (State("open", "Open", sla_days=1), State("done", "Done", terminal=True))

    # when a workflow names another state, then defining it fails
    with pytest.raises(ValueError, match="unknown"):
        Workflow(key="broken", initial=initial, states=states, actions=(action,))


# --- property: whatever happens, the state is declared and the log replays to it ----------


ACTIONS = [a.key for a in SAMPLE_FLOW.actions]
REFUSALS = {
    ErrorCode.INVALID_TRANSITION,
    ErrorCode.ACTION_NOT_ALLOWED,
    ErrorCode.NOTE_REQUIRED,
    ErrorCode.ATTACHMENT_REQUIRED,
}
STEP = st.tuples(
    st.sampled_from(ACTIONS),
    st.sampled_from([None, *WORLD_ROLES]),
    st.booleans(),  # with a note
    st.booleans(),  # with an attachment
)


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, max_size=10))
def test_any_sequence_of_actions_leaves_a_declared_state_that_the_log_replays_to(
    world_a: RegionWorld, steps: list[tuple[str, Role | None, bool, bool]]
) -> None:
    with region_scope(world_a.region), transaction.atomic():
        # given a new case
        case = start_case(world_a)
        moved = 0

        # when anyone tries any action, with or without a note or attachment
        for action, role, with_note, with_attachment in steps:
            before, refused = case.state, None
            try:
                take(
                    world_a,
                    case,
                    action,
                    role,
                    note=NOTE if with_note else "",
                    attachments=[ATTACHMENT] if with_attachment else [],
                )
            except DomainError as error:
                refused = error.code
            if refused is None:
                # then a step that was taken went along a declared action
                moved += 1
                step = SAMPLE_FLOW.action(action)
                assert before in step.sources
                assert case.state == step.target
            else:
                # then a refused step changed nothing, for a reason the engine names
                assert refused in REFUSALS
                assert case.state == before

            # then the state is always one the workflow declares
            assert case.state in STATES

        # then replaying the log from nothing arrives at the stored state
        stored = reloaded(world_a, case)
        state = ""
        log = log_of(world_a, case)
        for row in log:
            assert row.from_state == state
            state = row.to_state
        assert state == stored.state == case.state
        assert stored.version == moved == len(log) - 1
        transaction.set_rollback(True)
