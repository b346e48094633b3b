"""The workflow clock that stops while a case is with the applicant (sent back for
correction, waiting for a levy) and runs again on RESUME with exactly the working days the
case had left, proven on a test-only workflow that SampleCase follows for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.forms import SlaForm
from lumbung.core.models import Notification
from lumbung.core.models.people import Role
from lumbung.core.selectors import case_overdue
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.services.workflow import sla_override_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.backoffice import signed_in, url
from lumbung.core.tests.factories import RegionWorld
from lumbung.core.tests.sample.models import SampleCase
from lumbung.core.tests.test_workflow import (
    WIB,
    clock,
    events_of,
    log_of,
    reloaded,
    start_case,
    take,
)
from lumbung.core.workflow import RESUME, Action, State, Workflow, workflows

pytestmark = pytest.mark.django_db

STAFF = frozenset({Role.OFFICER, Role.UNIT_HEAD})
APPLICANT = frozenset({Role.CITIZEN})
RUNNING = ("received", "review", "drafting")

PAUSING_FLOW = Workflow(
    key="sample.pausing",
    initial="received",
    states=(
        State("received", "Received", sla_days=3),
        State("review", "Review", sla_days=5),
        State("drafting", "Drafting"),  # no deadline
        State("with_applicant", "Returned for correction", clock_stopped=True),
        State("awaiting_fee", "Awaiting the levy", clock_stopped=True),
        State("closed", "Closed", terminal=True),
        State("withdrawn", "Withdrawn", terminal=True),
    ),
    actions=(
        Action("accept", "Accept", ("received",), "review", STAFF),
        Action("draft", "Draft", ("review",), "drafting", STAFF),
        Action("send_back", "Send back", RUNNING, "with_applicant", STAFF, note_required=True),
        Action("ask_fee", "Ask for the levy", ("with_applicant",), "awaiting_fee", STAFF),
        Action("resubmit", "Resubmit", ("with_applicant", "awaiting_fee"), RESUME, APPLICANT),
        Action("withdraw", "Withdraw", ("with_applicant",), "withdrawn", APPLICANT),
        Action("close", "Close", ("review", "drafting"), "closed", STAFF),
    ),
)


@pytest.fixture(autouse=True)
def pausing_flow(monkeypatch: pytest.MonkeyPatch) -> Workflow:
    """SampleCase follows PAUSING_FLOW for the test, and the registry knows it (undone
    after, so that no other test sees a workflow it did not ask for)."""
    monkeypatch.setitem(workflows._by_key, PAUSING_FLOW.key, PAUSING_FLOW)
    monkeypatch.setattr(SampleCase, "WORKFLOW_KEY", PAUSING_FLOW.key)
    return PAUSING_FLOW


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=WIB)


def end_of(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 23, 59, 59, tzinfo=WIB)


def act(world: RegionWorld, case: SampleCase, action: str, when: dt.datetime) -> None:
    role = Role.CITIZEN if action in {"resubmit", "withdraw"} else Role.OFFICER
    with clock(when):
        take(world, case, action, role, note="Lengkapi surat keterangan domisili.")


# --- the days left survive the pause -------------------------------------------------------


def test_a_pause_over_weekends_and_holidays_keeps_exactly_the_working_days_left(
    world_a: RegionWorld,
) -> None:
    # given a case in review from Monday 27 April 2026: five working days, Labour Day
    # (Friday 1 May) skipped, so due Tuesday 5 May
    case = start_case(world_a, at=at(4, 27, 9))
    act(world_a, case, "accept", at(4, 27))
    assert case.due_at == end_of(5, 5)

    # when it is sent back on Wednesday 29 April (left: Thu 30, Mon 4, Tue 5)
    act(world_a, case, "send_back", at(4, 29, 14))

    # then the clock stops with those three days kept, and nothing is due
    paused = reloaded(world_a, case)
    assert (paused.state, paused.due_at) == ("with_applicant", None)
    assert (paused.paused_state, paused.paused_days_left) == ("review", 3)

    # when the applicant resubmits on Monday 8 June — after Ascension, Iduladha and
    # Pancasila day — in a week where Bandung closes on Wednesday 10 June
    with region_scope(world_a.region):
        region_holiday_set(
            region=world_a.region, actor=None, date=dt.date(2026, 6, 10), name="Libur daerah"
        )
    act(world_a, case, "resubmit", at(6, 8, 9))

    # then review runs again with exactly three working days: Tue 9, Thu 11, Fri 12 June
    resumed = reloaded(world_a, case)
    assert (resumed.state, resumed.due_at) == ("review", end_of(6, 12))
    assert resumed.state_entered_at == at(6, 8, 9)


@pytest.mark.parametrize(
    ("paused_at", "resumed_at", "due"),
    [
        pytest.param(at(3, 9, 9), at(3, 11), end_of(3, 11), id="overdue-resumed-on-a-wednesday"),
        pytest.param(at(3, 5, 15), at(3, 10), end_of(3, 10), id="paused-on-its-due-day"),
        pytest.param(at(3, 6, 9), at(3, 7), end_of(3, 9), id="resumed-on-a-saturday"),
    ],
)
def test_a_case_with_no_days_left_is_due_at_the_end_of_the_working_day_it_resumes(
    world_a: RegionWorld, paused_at: dt.datetime, resumed_at: dt.datetime, due: dt.datetime
) -> None:
    # given a case received Monday 2 March 2026, due Thursday 5 March, paused on or after
    # that day
    case = start_case(world_a, at=at(3, 2))
    assert case.due_at == end_of(3, 5)
    act(world_a, case, "send_back", paused_at)
    assert reloaded(world_a, case).paused_days_left == 0

    # when the applicant resubmits
    act(world_a, case, "resubmit", resumed_at)

    # then it is due at the end of that day (a Saturday: of the Monday after), not before
    # anyone could act on it, nor with a whole new deadline
    assert reloaded(world_a, case).due_at == due


def test_a_state_without_a_deadline_resumes_without_one(world_a: RegionWorld) -> None:
    # given a case being drafted, a state with no deadline
    case = start_case(world_a, at=at(3, 2))
    act(world_a, case, "accept", at(3, 2, 11))
    act(world_a, case, "draft", at(3, 3))
    assert reloaded(world_a, case).due_at is None

    # when it is sent back and resubmitted
    act(world_a, case, "send_back", at(3, 4))
    paused = reloaded(world_a, case)
    act(world_a, case, "resubmit", at(3, 16))

    # then the pause remembered "no deadline", and the case is back in drafting without one
    assert (paused.paused_state, paused.paused_days_left) == ("drafting", None)
    resumed = reloaded(world_a, case)
    assert (resumed.state, resumed.due_at) == ("drafting", None)


def test_a_region_override_does_not_change_the_days_a_paused_case_kept(
    world_a: RegionWorld,
) -> None:
    # given a case paused in review with 3 working days left
    case = start_case(world_a, at=at(4, 27, 9))
    act(world_a, case, "accept", at(4, 27))
    act(world_a, case, "send_back", at(4, 29, 14))

    # when the region meanwhile gives review 20 working days
    with region_scope(world_a.region):
        sla_override_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=PAUSING_FLOW.key,
            state="review",
            working_days=20,
        )
    act(world_a, case, "resubmit", at(5, 4, 9))

    # then the case gets back what it had, not a fresh 20 days: Tue 5, Wed 6, Thu 7 May
    assert reloaded(world_a, case).due_at == end_of(5, 7)


# --- where RESUME leads, and what it leaves behind --------------------------------------


@pytest.mark.parametrize("source", RUNNING)
def test_resume_returns_to_the_state_the_case_left_and_says_so(
    world_a: RegionWorld, source: str
) -> None:
    # given a case in `source`, sent back to the applicant
    case = start_case(world_a, at=at(3, 2))
    moves = {"received": [], "review": ["accept"], "drafting": ["accept", "draft"]}[source]
    for action in moves:
        act(world_a, case, action, at(3, 2, 11))
    act(world_a, case, "send_back", at(3, 3))

    # when the applicant resubmits
    act(world_a, case, "resubmit", at(3, 4))

    # then the case is back where it was, the log and the audit name that state (not
    # "@resume"), and the pause is forgotten
    stored = reloaded(world_a, case)
    assert stored.state == source
    assert (stored.paused_state, stored.paused_days_left) == ("", None)
    last = log_of(world_a, case)[-1]
    assert (last.action, last.from_state, last.to_state) == ("resubmit", "with_applicant", source)
    assert last.actor == world_a.users[Role.CITIZEN]
    event = events_of(world_a, case)[-1]
    assert event.action == f"{PAUSING_FLOW.key}.resubmit"
    assert event.changes == {"state": ["with_applicant", source]}


def test_a_second_kind_of_waiting_keeps_the_first_pause(world_a: RegionWorld) -> None:
    # given a case paused in review with 3 working days left
    case = start_case(world_a, at=at(4, 27, 9))
    act(world_a, case, "accept", at(4, 27))
    act(world_a, case, "send_back", at(4, 29, 14))

    # when, still with the applicant, it moves on to waiting for the levy, which is paid
    act(world_a, case, "ask_fee", at(4, 30))
    waiting = reloaded(world_a, case)
    act(world_a, case, "resubmit", at(5, 4, 9))

    # then it returns to review (not to the correction) with the three days it had
    assert (waiting.paused_state, waiting.paused_days_left) == ("review", 3)
    resumed = reloaded(world_a, case)
    assert (resumed.state, resumed.due_at) == ("review", end_of(5, 7))


def test_leaving_a_pause_by_another_way_clears_it(world_a: RegionWorld) -> None:
    # given a case sent back from review
    case = start_case(world_a, at=at(4, 27, 9))
    act(world_a, case, "accept", at(4, 27))
    act(world_a, case, "send_back", at(4, 29, 14))

    # when the applicant withdraws instead of resubmitting
    act(world_a, case, "withdraw", at(5, 4))

    # then the case is closed with no memory of a pause and nothing due
    stored = reloaded(world_a, case)
    assert (stored.state, stored.due_at) == ("withdrawn", None)
    assert (stored.paused_state, stored.paused_days_left) == ("", None)


def test_resume_is_refused_from_a_running_state(world_a: RegionWorld) -> None:
    # given a case in review
    case = start_case(world_a, at=at(3, 2))
    act(world_a, case, "accept", at(3, 2, 11))

    # when the applicant tries to "resubmit" it, then it is an invalid transition
    with pytest.raises(DomainError) as caught:
        act(world_a, case, "resubmit", at(3, 3))
    assert caught.value.code == ErrorCode.INVALID_TRANSITION
    assert reloaded(world_a, case).state == "review"


# --- escalation waits while the clock is stopped -----------------------------------------------


def test_a_paused_case_is_never_overdue_nor_escalated(
    world_a: RegionWorld, django_capture_on_commit_callbacks: Any
) -> None:
    # given a case due Thursday 5 March, sent back that afternoon
    case = start_case(world_a, at=at(3, 2))
    act(world_a, case, "send_back", at(3, 5, 15))
    mail.outbox.clear()

    # when the escalation runs on each of the next days, then nothing is overdue or sent
    from lumbung.core.tasks import escalate_overdue_region

    for day in (6, 9, 10, 16):
        with clock(at(3, day, 9)), django_capture_on_commit_callbacks(execute=True):
            assert escalate_overdue_region(world_a.region) == 0
        with region_scope(world_a.region):
            assert list(case_overdue(SampleCase, world_a.region, now=at(3, day, 9))) == []
    with region_scope(world_a.region):
        assert not Notification.objects.filter(region=world_a.region).exists()
    assert mail.outbox == []

    # when it is resubmitted on Tuesday 17 March (none left: due that evening), and the
    # escalation runs on Wednesday morning
    act(world_a, case, "resubmit", at(3, 17))
    with clock(at(3, 18, 9)), django_capture_on_commit_callbacks(execute=True):
        escalated = escalate_overdue_region(world_a.region)

    # then the clock ran again, and the unit head hears
    assert escalated == 1
    assert reloaded(world_a, case).escalation_level == 1


# --- deadlines a region may set ------------------------------------------------------------


def test_a_clock_stopped_state_offers_no_deadline_to_override() -> None:
    state = PAUSING_FLOW.state("with_applicant")

    assert state.sla_targets() == []
    field: Any = SlaForm().fields["target"]
    offered = [value for value, _label in field.choices]
    assert f"{PAUSING_FLOW.key}:review" in offered
    assert not [v for v in offered if v.startswith(PAUSING_FLOW.key) and "with_applicant" in v]


def test_the_service_refuses_a_deadline_for_a_clock_stopped_state(world_a: RegionWorld) -> None:
    with region_scope(world_a.region), pytest.raises(DomainError) as caught:
        sla_override_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=PAUSING_FLOW.key,
            state="with_applicant",
            working_days=5,
        )

    assert caught.value.code == ErrorCode.VALIDATION
    assert "state" in caught.value.field_errors


def test_the_deadlines_page_refuses_a_clock_stopped_state(
    client: Any, world_a: RegionWorld
) -> None:
    admin = signed_in(client, world_a.users[Role.REGION_ADMIN])

    response = admin.post(
        url("sla", world_a.region),
        {"target": f"{PAUSING_FLOW.key}:with_applicant", "working_days": 5},
    )

    assert response.status_code == 422
    assert "target" in response.context["form"].errors


# --- declaring a workflow with a stopped clock ------------------------------------------


def _flow(*states: State, actions: tuple[Action, ...] = (), initial: str = "open") -> Workflow:
    return Workflow(key="broken", initial=initial, states=states, actions=actions)


OPEN = State("open", "Open", sla_days=2)
WAITING = State("waiting", "Waiting", clock_stopped=True)
DONE = State("done", "Done", terminal=True)


@pytest.mark.parametrize(
    ("states", "actions", "initial", "message"),
    [
        pytest.param(
            (OPEN, WAITING),
            (Action("back", "Back", ("open",), RESUME, STAFF),),
            "open",
            "resumes from a running clock",
            id="resume-from-a-running-state",
        ),
        pytest.param(
            (OPEN, WAITING),
            (Action("back", "Back", ("waiting", "open"), RESUME, STAFF),),
            "open",
            "resumes from a running clock",
            id="resume-from-a-mix",
        ),
        pytest.param(
            (OPEN, WAITING),
            (Action("back", "Back", ("paused",), RESUME, STAFF),),
            "open",
            "unknown state",
            id="resume-from-an-undeclared-state",
        ),
        pytest.param((OPEN, WAITING), (), "waiting", "starts with its clock stopped", id="initial"),
        pytest.param(
            (OPEN, State("gone", "Gone", terminal=True, clock_stopped=True)),
            (),
            "open",
            "is final",
            id="final-and-stopped",
        ),
    ],
)
def test_a_workflow_misusing_the_stopped_clock_is_refused_at_definition(
    states: tuple[State, ...], actions: tuple[Action, ...], initial: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _flow(*states, actions=actions, initial=initial)


def test_a_well_formed_pausing_workflow_is_accepted() -> None:
    flow = _flow(
        OPEN,
        WAITING,
        DONE,
        actions=(
            Action("wait", "Wait", ("open",), "waiting", STAFF),
            Action("back", "Back", ("waiting",), RESUME, STAFF),
            Action("finish", "Finish", ("open", "waiting"), "done", STAFF),
        ),
    )

    assert flow.action("back").target == RESUME
    assert flow.open_states() == ["open", "waiting"]
