"""The review steps: each sets what it sets and moves the proposal, by the role of its
step; send-back and rejection by the role deciding the current step; two reviewers taking
the same step at once cannot both succeed."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import Transition
from lumbung.core.models.people import Role
from lumbung.core.services.people import membership_grant
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import UserFactory, make_world

from ..errors import GrantsError
from ..models import AmountChange, ChecklistAnswer, Proposal
from ..services.checklists import Answer
from ..services.organisations import region_today
from ..services.proposals import proposal_resubmit
from ..services.stages import (
    proposal_assign,
    proposal_check,
    proposal_consider,
    proposal_decide,
    proposal_finalise,
    proposal_recommend,
    proposal_reject,
    proposal_send_back,
    proposal_sign_nphd,
)
from ..workflow import ASSIGNMENT, CONSIDERATION_STATE, EVALUATION, NOMINATIVE, SUBMITTED, TAPD
from .factories import (
    GrantsWorld,
    events,
    grants_world,
    make_organisation,
    make_programme,
    manual_answers,
    pdf,
    proposal_at,
    refusal,
    reload,
    submit,
)

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: two threads need two transactions on separate connections",
)


def staff(gw: GrantsWorld, role: Role) -> Any:
    return gw.world.users[role]


def actions(gw: GrantsWorld, proposal: Proposal) -> list[str]:
    with region_scope(gw.region):
        return [
            t.action for t in Transition.objects.filter(region=gw.region, case_id=str(proposal.pk))
        ]


def test_the_check_waits_for_the_organisations_verification(gworld_a: GrantsWorld) -> None:
    pending, account = make_organisation(gworld_a.world, verified=False)
    proposal = submit(gworld_a, organisation=pending, applicant=account)

    error = refusal(
        gworld_a.region,
        proposal_check,
        actor=staff(gworld_a, Role.OFFICER),
        proposal=proposal,
        answers=manual_answers(SUBMITTED),
    )

    assert error.code == GrantsError.ORGANISATION_NOT_VERIFIED
    assert reload(proposal).state == SUBMITTED


def test_a_failed_required_item_refuses_the_check_and_writes_nothing(
    gworld_a: GrantsWorld,
) -> None:
    proposal = submit(gworld_a)
    answers = manual_answers(SUBMITTED) | {"doc-deed": Answer(passed=False, note="Tidak sah")}

    error = refusal(
        gworld_a.region,
        proposal_check,
        actor=staff(gworld_a, Role.OFFICER),
        proposal=proposal,
        answers=answers,
    )

    assert error.code == GrantsError.CHECKLIST_FAILED
    assert "doc-deed" in str(error.message)
    with region_scope(gworld_a.region):
        assert not ChecklistAnswer.objects.filter(region=gworld_a.region, proposal=proposal)
    assert reload(proposal).state == SUBMITTED


def test_missing_documents_fail_the_computed_item(gworld_a: GrantsWorld) -> None:
    proposal = submit(gworld_a, documents=False)

    error = refusal(
        gworld_a.region,
        proposal_check,
        actor=staff(gworld_a, Role.OFFICER),
        proposal=proposal,
        answers=manual_answers(SUBMITTED),
    )

    assert error.code == GrantsError.CHECKLIST_FAILED
    assert "all-documents" in str(error.message)


def test_the_check_records_answers_with_computed_evidence_and_moves_on(
    gworld_a: GrantsWorld,
) -> None:
    region, officer = gworld_a.region, staff(gworld_a, Role.OFFICER)
    proposal = submit(gworld_a)

    with region_scope(region):
        checked = proposal_check(
            region=region, actor=officer, proposal=proposal, answers=manual_answers(SUBMITTED)
        )
        answers = {
            a.item.key: a
            for a in ChecklistAnswer.objects.filter(
                region=region, proposal=proposal
            ).select_related("item")
        }

    assert checked.state == ASSIGNMENT
    documents = answers["all-documents"]
    assert (documents.computed, documents.passed, documents.actor_id) == (True, True, None)
    assert documents.evidence["missing"] == []
    assert answers["doc-deed"].actor_id == officer.pk
    assert answers["no-overdue-lpj"].evidence["overdue"] == []
    assert actions(gworld_a, proposal) == ["start", "check_ok"]

    [event] = events(region, "grants.hibah.checklist", proposal)
    assert event.changes["answers"]["doc-deed"] is True
    assert events(region, "grants.hibah.check_ok", proposal)


def test_a_role_outside_the_step_cannot_take_it(gworld_a: GrantsWorld) -> None:
    proposal = submit(gworld_a)

    error = refusal(
        gworld_a.region,
        proposal_check,
        actor=staff(gworld_a, Role.BUDGET_TEAM),
        proposal=proposal,
        answers=manual_answers(SUBMITTED),
    )

    assert error.code == ErrorCode.ACTION_NOT_ALLOWED


def test_assignment_takes_a_unit_of_the_region(
    gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    region, team = gworld_a.region, staff(gworld_a, Role.CONSIDERATION_TEAM)
    proposal = proposal_at(gworld_a, ASSIGNMENT)

    foreign = refusal(
        region, proposal_assign, actor=team, proposal=proposal, unit=gworld_b.world.unit
    )
    with region_scope(region):
        assigned = proposal_assign(
            region=region, actor=team, proposal=proposal, unit=gworld_a.world.other_unit
        )

    assert foreign.code == GrantsError.UNIT_REQUIRED
    assert (assigned.state, assigned.evaluating_unit) == (EVALUATION, gworld_a.world.other_unit)

    [event] = events(region, "grants.hibah.unit", proposal)
    assert event.changes["evaluating_unit"] == [None, gworld_a.world.other_unit.pk]


def test_only_the_evaluating_units_staff_recommend(gworld_a: GrantsWorld) -> None:
    # given a proposal evaluated by the world's unit, and an officer of the other unit
    region = gworld_a.region
    proposal = proposal_at(gworld_a, EVALUATION)
    outsider = UserFactory.create()
    with region_scope(region):
        membership_grant(
            region=region,
            actor=None,
            user=outsider,
            role=Role.OFFICER,
            unit=gworld_a.world.other_unit,
        )

    # when the outsider recommends an amount, or sends it back
    answers = manual_answers(EVALUATION, on=region_today(region))
    recommend = refusal(
        region,
        proposal_recommend,
        actor=outsider,
        proposal=proposal,
        answers=answers,
        amount=Decimal(1000),
    )
    send_back = refusal(region, proposal_send_back, actor=outsider, proposal=proposal, note="x")

    # then both are refused
    assert recommend.code == send_back.code == GrantsError.NOT_EVALUATING_UNIT


def test_the_field_visit_needs_its_date(gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, EVALUATION)

    error = refusal(
        gworld_a.region,
        proposal_recommend,
        actor=staff(gworld_a, Role.OFFICER),
        proposal=proposal,
        answers=manual_answers(EVALUATION),  # no date
        amount=Decimal(1000),
    )

    assert error.code == ErrorCode.VALIDATION
    assert "not-fictitious" in error.field_errors


def test_the_final_amount_keeps_the_programme_under_its_ceiling(gworld_a: GrantsWorld) -> None:
    # given a programme of Rp 70 million, one proposal finalised at 40 million
    small = make_programme(gworld_a.world, ceiling=Decimal(70_000_000))
    proposal_at(gworld_a, NOMINATIVE, programme=small)
    second = proposal_at(gworld_a, TAPD, programme=small)

    # when TAPD sets 40 million on the second, then 30 million
    over = refusal(
        gworld_a.region,
        proposal_finalise,
        actor=staff(gworld_a, Role.BUDGET_TEAM),
        proposal=second,
        amount=Decimal(40_000_000),
    )
    with region_scope(gworld_a.region):
        fits = proposal_finalise(
            region=gworld_a.region,
            actor=staff(gworld_a, Role.BUDGET_TEAM),
            proposal=second,
            amount=Decimal(30_000_000),
        )

    # then the first is refused and changes nothing; the second fills it exactly
    assert over.code == GrantsError.CEILING_EXCEEDED
    assert fits.state == NOMINATIVE
    assert fits.amount_final == Decimal(30_000_000)


def test_a_rejected_proposal_frees_its_share_of_the_ceiling(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    small = make_programme(gworld_a.world, ceiling=Decimal(40_000_000))
    first = proposal_at(gworld_a, NOMINATIVE, programme=small)
    second = proposal_at(gworld_a, TAPD, programme=small)
    with region_scope(region):
        proposal_reject(
            region=region, actor=staff(gworld_a, Role.REGION_HEAD), proposal=first, note="Batal"
        )
        done = proposal_finalise(
            region=region,
            actor=staff(gworld_a, Role.BUDGET_TEAM),
            proposal=second,
            amount=Decimal(40_000_000),
        )

    assert done.state == NOMINATIVE


def test_resuming_into_the_nominative_list_checks_the_ceiling_again(
    gworld_a: GrantsWorld,
) -> None:
    # given a listed proposal sent back by the head, and another filling the ceiling since
    region = gworld_a.region
    small = make_programme(gworld_a.world, ceiling=Decimal(40_000_000))
    listed = proposal_at(gworld_a, NOMINATIVE, programme=small)
    with region_scope(region):
        returned = proposal_send_back(
            region=region, actor=staff(gworld_a, Role.REGION_HEAD), proposal=listed, note="Cek"
        )
    proposal_at(gworld_a, NOMINATIVE, programme=small)

    # when the organisation resubmits
    error = refusal(region, proposal_resubmit, actor=gworld_a.applicant, proposal=returned)

    # then it cannot return to the list above the ceiling
    assert error.code == GrantsError.CEILING_EXCEEDED


def test_decision_and_nphd_record_their_facts(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    listed = proposal_at(gworld_a, NOMINATIVE)
    head, officer = staff(gworld_a, Role.REGION_HEAD), staff(gworld_a, Role.OFFICER)

    no_number = refusal(region, proposal_decide, actor=head, proposal=listed, decision_number=" ")
    with region_scope(region):
        decided = proposal_decide(
            region=region, actor=head, proposal=listed, decision_number="900/Kep.7/2026"
        )
    no_document = refusal(
        region,
        proposal_sign_nphd,
        actor=officer,
        proposal=decided,
        nphd_number="1/NPHD",
        signed_on=region_today(region),
        document=None,
    )
    future = refusal(
        region,
        proposal_sign_nphd,
        actor=officer,
        proposal=decided,
        nphd_number="1/NPHD",
        signed_on=region_today(region) + dt.timedelta(days=3),
        document=pdf(),
    )

    assert no_number.code == future.code == ErrorCode.VALIDATION
    assert no_document.code == GrantsError.DOCUMENT_REQUIRED
    assert decided.decision_number == "900/Kep.7/2026"

    assert events(region, "grants.hibah.decision", listed)
    assert events(region, "grants.hibah.decide", listed)


@pytest.mark.parametrize(
    ("state", "wrong", "right"),
    [
        (SUBMITTED, Role.BUDGET_TEAM, Role.OFFICER),
        (ASSIGNMENT, Role.OFFICER, Role.CONSIDERATION_TEAM),
        (CONSIDERATION_STATE, Role.REGION_HEAD, Role.CONSIDERATION_TEAM),
        (TAPD, Role.CONSIDERATION_TEAM, Role.BUDGET_TEAM),
        (NOMINATIVE, Role.BUDGET_TEAM, Role.REGION_HEAD),
    ],
)
def test_only_the_role_of_the_current_step_sends_back_or_rejects(
    gworld_a: GrantsWorld, state: str, wrong: Role, right: Role
) -> None:
    region = gworld_a.region
    proposal = proposal_at(gworld_a, state)

    refused = refusal(
        region, proposal_reject, actor=staff(gworld_a, wrong), proposal=proposal, note="x"
    )
    no_note = refusal(
        region, proposal_reject, actor=staff(gworld_a, right), proposal=proposal, note=""
    )
    with region_scope(region):
        rejected = proposal_reject(
            region=region, actor=staff(gworld_a, right), proposal=proposal, note="Tidak layak"
        )

    assert refused.code == GrantsError.NOT_STAGE_ROLE
    assert no_note.code == ErrorCode.NOTE_REQUIRED
    assert rejected.state == "rejected"

    [event] = events(region, "grants.hibah.reject", proposal)
    assert event.reason == "Tidak layak"


def test_a_stale_copy_cannot_take_the_step_again(gworld_a: GrantsWorld) -> None:
    region, team = gworld_a.region, staff(gworld_a, Role.CONSIDERATION_TEAM)
    proposal = proposal_at(gworld_a, CONSIDERATION_STATE)
    first, second = reload(proposal), reload(proposal)
    with region_scope(region):
        proposal_consider(region=region, actor=team, proposal=first, amount=Decimal(40_000_000))

    error = refusal(region, proposal_consider, actor=team, proposal=second, amount=Decimal(1))

    assert error.code == ErrorCode.CONCURRENT_UPDATE
    with region_scope(region):
        assert AmountChange.objects.filter(region=region, proposal=proposal).count() == 3


def test_another_regions_proposal_is_not_found(
    gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    theirs = submit(gworld_b)

    error = refusal(
        gworld_a.region,
        proposal_check,
        actor=staff(gworld_a, Role.OFFICER),
        proposal=theirs,
        answers=manual_answers(SUBMITTED),
    )

    assert error.code == ErrorCode.NOT_FOUND
    assert reload(theirs).state == SUBMITTED


# --- at the same moment (PostgreSQL) ---------------------------------------------------------


def race(gw: GrantsWorld, calls: list[Callable[[Proposal], Any]], ids: list[int]) -> list[Any]:
    """Run each call on its own loaded copy of a proposal, in its own thread and
    connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with region_scope(gw.region):
                mine = Proposal.objects.get(region=gw.region, pk=ids[index])
                barrier.wait(timeout=30)
                calls[index](mine)
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = str(error.code)
        except Exception as error:  # reported by the assertions on the outcomes
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_considerations_of_one_proposal_cannot_both_succeed() -> None:
    # given a proposal at the consideration team, and two members who each loaded it
    gw = grants_world(make_world("32.73", modules=["sample"]))
    proposal = proposal_at(gw, CONSIDERATION_STATE)
    team = staff(gw, Role.CONSIDERATION_TEAM)

    def consider(amount: int) -> Callable[[Proposal], Any]:
        return lambda p: proposal_consider(
            region=gw.region, actor=team, proposal=p, amount=Decimal(amount)
        )

    # when both set an amount at the same moment
    outcomes = race(gw, [consider(41_000_000), consider(39_000_000)], [proposal.pk] * 2)

    # then one wins and the other is told someone else got there first
    assert sorted(map(str, outcomes)) == sorted(["ok", str(ErrorCode.CONCURRENT_UPDATE)])
    stored = reload(proposal)
    assert stored.state == TAPD
    with region_scope(gw.region):
        considered = AmountChange.objects.filter(
            region=gw.region, proposal=proposal, stage="considered"
        )
        assert [c.amount for c in considered] == [stored.amount_considered]
    assert actions(gw, proposal).count("consider") == 1


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_final_amounts_cannot_both_squeeze_under_the_ceiling() -> None:
    # given a programme of 60 million and two proposals at TAPD
    gw = grants_world(make_world("32.73", modules=["sample"]))
    small = make_programme(gw.world, ceiling=Decimal(60_000_000))
    first, second = (proposal_at(gw, TAPD, programme=small) for _ in range(2))
    budget = staff(gw, Role.BUDGET_TEAM)

    def finalise(p: Proposal) -> Any:
        return proposal_finalise(
            region=gw.region, actor=budget, proposal=p, amount=Decimal(40_000_000)
        )

    # when TAPD finalises both at 40 million at the same moment
    outcomes = race(gw, [finalise, finalise], [first.pk, second.pk])

    # then only one fits; the programme stays under its ceiling
    assert sorted(map(str, outcomes)) == sorted(["ok", str(GrantsError.CEILING_EXCEEDED)])
    finals = [reload(p).amount_final for p in (first, second)]
    assert sorted(map(str, finals)) == sorted(["None", "40000000.00"])
