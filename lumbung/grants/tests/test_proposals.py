"""Proposals from the organisation's side: submission with its RAB, withdrawal, and
resubmission after a send-back (the step's clock resumes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from lumbung.core.errors import ErrorCode
from lumbung.core.models import ModuleActivation, Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import UserFactory

from ..errors import GrantsError
from ..models import AmountChange, BudgetLine, HibahProgramme, Proposal, Stage
from ..services.organisations import organisation_reject, region_today
from ..services.proposals import (
    BudgetLineInput,
    ProposalInput,
    proposal_resubmit,
    proposal_submit,
    proposal_withdraw,
)
from ..services.stages import proposal_send_back
from ..workflow import EVALUATION, RETURNED, SUBMITTED, WITHDRAWN
from .factories import (
    LINES,
    PATH,
    GrantsWorld,
    events,
    make_organisation,
    make_programme,
    proposal_at,
    refusal,
    reload,
    submit,
)


def data(gw: GrantsWorld, lines: Any = LINES, programme: Any = None) -> ProposalInput:
    return ProposalInput(
        programme=programme or gw.programme,
        title="Pelatihan UMKM",
        purpose="Pelatihan usaha bagi warga",
        location="Balai RW 05",
        lines=list(lines),
    )


def proposals(gw: GrantsWorld) -> int:
    with region_scope(gw.region):
        return Proposal.objects.filter(region=gw.region).count()


@pytest.mark.parametrize("state", [*PATH, "returned", "rejected", "withdrawn"])
def test_the_factory_reaches_every_state_through_the_services(
    gworld_a: GrantsWorld, state: str
) -> None:
    assert proposal_at(gworld_a, state).state == state


def test_submitting_numbers_the_proposal_and_keeps_the_rab_and_requested_amount(
    gworld_a: GrantsWorld,
) -> None:
    # given the region names its proposals SABI
    region = gworld_a.region
    ModuleActivation.objects.filter(region=region, module="grants").update(
        settings={"proposal_prefix": "SABI"}
    )

    # when the organisation submits its RAB of two lines
    proposal = submit(gworld_a, documents=False)

    # then the number is the region's next, the requested amount the lines' exact sum
    year = gworld_a.programme.year
    assert proposal.number == f"SABI-3273-{year}-000001"
    assert proposal.state == SUBMITTED
    assert proposal.due_at is not None
    assert proposal.amount_requested == Decimal("50000000.00")
    with region_scope(region):
        lines = list(BudgetLine.objects.filter(region=region, proposal=proposal))
        [change] = AmountChange.objects.filter(region=region, proposal=proposal)
        steps = Transition.objects.filter(region=region, case_id=str(proposal.pk))
        assert [t.action for t in steps] == ["start"]
    assert [line.total for line in lines] == [Decimal("15000000.00"), Decimal("35000000.00")]
    assert (change.stage, change.amount, change.previous) == (Stage.REQUESTED, Decimal("5e7"), None)
    [event] = events(region, "grants.hibah.submit", proposal)
    assert event.actor_id == gworld_a.applicant.pk


def test_only_the_organisations_accounts_submit(gworld_a: GrantsWorld) -> None:
    error = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.world.users[Role.CITIZEN],
        organisation=gworld_a.organisation,
        data=data(gworld_a),
    )

    assert error.code == GrantsError.NOT_APPLICANT


def test_a_rejected_organisation_cannot_submit_but_a_pending_one_can(
    gworld_a: GrantsWorld,
) -> None:
    region = gworld_a.region
    pending, account = make_organisation(gworld_a.world, verified=False)
    assert submit(gworld_a, organisation=pending, applicant=account).state == SUBMITTED

    with region_scope(region):
        organisation_reject(
            region=region,
            actor=gworld_a.world.users[Role.OFFICER],
            organisation=pending,
            reason="Fiktif",
        )
    error = refusal(
        region, proposal_submit, actor=account, organisation=pending, data=data(gworld_a)
    )

    assert error.code == GrantsError.ORGANISATION_REJECTED


def test_an_organisation_with_an_overdue_lpj_cannot_submit(gworld_a: GrantsWorld) -> None:
    # given a disbursed grant whose LPJ was due yesterday
    region = gworld_a.region
    late = proposal_at(gworld_a, "disbursed")
    yesterday = region_today(region) - dt.timedelta(days=1)
    with region_scope(region):
        Proposal.objects.filter(region=region, pk=late.pk).update(lpj_due_on=yesterday)
    before = proposals(gworld_a)

    # when the organisation submits a new proposal
    error = refusal(
        region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a),
    )

    # then it is refused, naming the late proposal, and nothing is written
    assert error.code == GrantsError.LPJ_OVERDUE
    assert late.number in str(error.message)
    assert proposals(gworld_a) == before


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"closes_on": dt.date(2000, 1, 1)},
        {"opens_on": dt.date(2999, 1, 1)},
    ],
)
def test_a_closed_programme_takes_no_proposal(gworld_a: GrantsWorld, change: dict) -> None:
    closed = make_programme(gworld_a.world, **change)

    error = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a, programme=closed),
    )

    assert error.code == GrantsError.PROGRAMME_CLOSED


@pytest.mark.parametrize(
    ("quantity", "price"),
    [
        (Decimal(1), Decimal("-5000")),
        (Decimal(1), Decimal(0)),
        (Decimal(0), Decimal(5000)),
        (Decimal(1), 5000.5),
        (Decimal(1), Decimal("10000000000000000")),
        (Decimal(1), Decimal("100.005")),
        (Decimal(1), "NaN"),
        (Decimal(1), "lima ribu"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(
    gworld_a: GrantsWorld, quantity: Any, price: Any
) -> None:
    before = proposals(gworld_a)

    error = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a, lines=[BudgetLineInput("Tenda", quantity, "unit", price)]),
    )

    assert error.code == GrantsError.AMOUNT_INVALID
    assert error.field_errors
    assert proposals(gworld_a) == before


def test_a_sum_of_lines_above_the_maximum_is_refused(gworld_a: GrantsWorld) -> None:
    huge = BudgetLineInput("Gedung", Decimal(1), "unit", Decimal("900000000000000"))

    error = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a, lines=[huge, huge]),
    )

    assert error.code == GrantsError.AMOUNT_INVALID


def test_an_empty_rab_is_refused(gworld_a: GrantsWorld) -> None:
    error = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a, lines=[]),
    )

    assert error.code == GrantsError.BUDGET_EMPTY


def test_the_organisation_withdraws_a_fresh_proposal_and_a_stranger_cannot(
    gworld_a: GrantsWorld,
) -> None:
    region = gworld_a.region
    proposal = submit(gworld_a)

    stranger = refusal(region, proposal_withdraw, actor=UserFactory.create(), proposal=proposal)
    with region_scope(region):
        withdrawn = proposal_withdraw(region=region, actor=gworld_a.applicant, proposal=proposal)

    assert stranger.code == GrantsError.NOT_APPLICANT
    assert withdrawn.state == WITHDRAWN
    [event] = events(region, "grants.hibah.withdraw", proposal)
    assert event.actor_id == gworld_a.applicant.pk


def test_a_proposal_under_evaluation_cannot_be_withdrawn(gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, EVALUATION)

    error = refusal(gworld_a.region, proposal_withdraw, actor=gworld_a.applicant, proposal=proposal)

    assert error.code == ErrorCode.INVALID_TRANSITION


def test_resubmitting_returns_to_the_step_that_sent_it_back_with_new_lines(
    gworld_a: GrantsWorld,
) -> None:
    # given a proposal sent back at the evaluation
    region = gworld_a.region
    proposal = proposal_at(gworld_a, EVALUATION)
    with region_scope(region):
        returned = proposal_send_back(
            region=region,
            actor=gworld_a.world.users[Role.OFFICER],
            proposal=proposal,
            note="RAB terlalu mahal",
        )
    assert (returned.state, returned.paused_state, returned.due_at) == (RETURNED, EVALUATION, None)

    # when the organisation resubmits a cheaper RAB
    cheaper = [BudgetLineInput("Konsumsi", Decimal(300), "porsi", Decimal(100000))]
    with region_scope(region):
        back = proposal_resubmit(
            region=region,
            actor=gworld_a.applicant,
            proposal=returned,
            note="RAB diperbaiki",
            lines=cheaper,
        )

    # then it is at the evaluation again, its clock running, the new amount recorded
    assert back.state == EVALUATION
    assert back.due_at is not None
    assert back.amount_requested == Decimal("30000000.00")
    with region_scope(region):
        last = AmountChange.objects.filter(region=region, proposal=proposal).last()
    assert last is not None
    assert last.previous == Decimal("50000000.00")
    assert events(region, "grants.hibah.resubmit", proposal)
    [amount_event] = events(region, "grants.hibah.amount", proposal)
    assert amount_event.changes["amount_requested"] == ["50000000.00", "30000000.00"]


def test_only_the_organisation_resubmits(gworld_a: GrantsWorld) -> None:
    returned = proposal_at(gworld_a, "returned")

    error = refusal(
        gworld_a.region,
        proposal_resubmit,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=returned,
    )

    assert error.code == GrantsError.NOT_APPLICANT
    assert reload(returned).state == RETURNED


def test_another_regions_programme_or_proposal_is_not_found(
    gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    foreign: HibahProgramme = gworld_b.programme
    theirs = submit(gworld_b)

    wrong_programme = refusal(
        gworld_a.region,
        proposal_submit,
        actor=gworld_a.applicant,
        organisation=gworld_a.organisation,
        data=data(gworld_a, programme=foreign),
    )
    wrong_proposal = refusal(
        gworld_a.region, proposal_withdraw, actor=gworld_b.applicant, proposal=theirs
    )

    assert wrong_programme.code == wrong_proposal.code == ErrorCode.NOT_FOUND


def test_submitting_is_one_transaction(gworld_a: Any) -> None:
    """A failure after the proposal row is written leaves nothing behind."""
    from unittest import mock

    from ..services import proposals as module

    before = _count(gworld_a)
    failing = mock.patch.object(module, "_write_lines", side_effect=RuntimeError("disk full"))
    with failing, pytest.raises(RuntimeError):
        submit(gworld_a)
    assert _count(gworld_a) == before


def _count(gw: Any) -> int:
    with region_scope(gw.region):
        return Proposal.objects.filter(region=gw.region).count()
