"""Property tests of the amount rules: exact Rupiah only; no stage above the one before it
without a justification; a programme's approved total never above its ceiling; tranches
never above the final amount. Each example runs in a transaction rolled back after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.core.errors import DomainError
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import GrantsError
from ..models import AmountChange, HibahProgramme, Proposal, Stage
from ..models.common import MONEY_MAX
from ..services.disbursement import tranche_record
from ..services.organisations import region_today
from ..services.proposals import approved_total, rupiah
from ..services.stages import proposal_consider, proposal_finalise
from ..workflow import AGREEMENT, CONSIDERATION_STATE, TAPD
from .factories import RECOMMENDED, GrantsWorld, make_programme, proposal_at

EXAMPLES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100_000_000), places=2)
# Tranches around a quarter of a 40 million grant, so that some sequences fit and some not.
quarter = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(25_000_000), places=2)


class _Undo(Exception):
    pass


@contextmanager
def undone() -> Iterator[None]:
    """Run the body in a transaction and roll it back, whatever it wrote."""
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass


def attempt(call: Any) -> str:
    try:
        call()
    except DomainError as error:
        return str(error.code)
    return "ok"


@given(
    value=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**18), max_value=10**18),
        st.floats(),
    )
)
def test_an_amount_is_accepted_only_if_exact_positive_in_sen_and_not_absurd(value: Any) -> None:
    plausible = (
        not isinstance(value, float)
        and Decimal(value).is_finite()
        and 0 < Decimal(value) <= MONEY_MAX
        and Decimal(value) == Decimal(value).quantize(Decimal("0.01"))
    )

    outcome = attempt(lambda: rupiah(value))

    assert outcome == ("ok" if plausible else str(GrantsError.AMOUNT_INVALID))
    if plausible:
        assert rupiah(value) == Decimal(value)


@pytest.fixture
def at_consideration(gworld_a: GrantsWorld) -> tuple[GrantsWorld, Proposal]:
    return gworld_a, proposal_at(gworld_a, CONSIDERATION_STATE)


@EXAMPLES
@given(amount=money, justification=st.sampled_from(["", "   ", "Harga bahan naik"]))
def test_no_stage_rises_above_the_one_before_without_a_justification(
    at_consideration: tuple[GrantsWorld, Proposal], amount: Decimal, justification: str
) -> None:
    gw, proposal = at_consideration
    region, team = gw.region, gw.world.users[Role.CONSIDERATION_TEAM]
    with region_scope(region), undone():
        outcome = attempt(
            lambda: proposal_consider(
                region=region,
                actor=team,
                proposal=Proposal.objects.get(region=region, pk=proposal.pk),
                amount=amount,
                justification=justification,
            )
        )
        if amount > RECOMMENDED and not justification.strip():
            assert outcome == GrantsError.AMOUNT_RISE_UNJUSTIFIED
        else:
            assert outcome == "ok"
            change = AmountChange.objects.filter(
                region=region, proposal=proposal, stage=Stage.CONSIDERED
            ).get()
            assert (change.amount, change.previous) == (amount, RECOMMENDED)
            assert change.justification == justification.strip()


@pytest.fixture
def three_at_tapd(gworld_a: GrantsWorld) -> tuple[GrantsWorld, HibahProgramme, list[Proposal]]:
    programme = make_programme(gworld_a.world)
    return gworld_a, programme, [proposal_at(gworld_a, TAPD, programme=programme) for _ in "abc"]


@EXAMPLES
@given(
    ceiling=st.decimals(min_value=1, max_value=Decimal(150_000_000), places=2),
    finals=st.lists(
        st.decimals(min_value=1, max_value=Decimal(42_000_000), places=2), min_size=3, max_size=3
    ),
)
def test_the_approved_total_never_passes_the_ceiling(
    three_at_tapd: tuple[GrantsWorld, HibahProgramme, list[Proposal]],
    ceiling: Decimal,
    finals: list[Decimal],
) -> None:
    gw, programme, proposals = three_at_tapd
    region, budget = gw.region, gw.world.users[Role.BUDGET_TEAM]
    with region_scope(region), undone():
        HibahProgramme.objects.filter(region=region, pk=programme.pk).update(ceiling=ceiling)
        running = Decimal(0)
        for proposal, amount in zip(proposals, finals, strict=True):
            outcome = attempt(
                lambda p=proposal, a=amount: proposal_finalise(
                    region=region,
                    actor=budget,
                    proposal=Proposal.objects.get(region=region, pk=p.pk),
                    amount=a,
                )
            )
            fits = running + amount <= ceiling
            assert outcome == ("ok" if fits else GrantsError.CEILING_EXCEEDED)
            running += amount if fits else 0
            assert approved_total(region, programme) == running <= ceiling


@pytest.fixture
def at_agreement(gworld_a: GrantsWorld) -> tuple[GrantsWorld, Proposal]:
    return gworld_a, proposal_at(gworld_a, AGREEMENT)


@EXAMPLES
@given(tranches=st.lists(quarter, min_size=1, max_size=5))
def test_tranches_never_add_up_above_the_final_amount(
    at_agreement: tuple[GrantsWorld, Proposal], tranches: list[Decimal]
) -> None:
    gw, proposal = at_agreement
    region, officer = gw.region, gw.world.users[Role.OFFICER]
    final = proposal.amount_final
    assert final is not None
    with region_scope(region), undone():
        paid = Decimal(0)
        for amount in tranches:
            outcome = attempt(
                lambda a=amount: tranche_record(
                    region=region,
                    actor=officer,
                    proposal=Proposal.objects.get(region=region, pk=proposal.pk),
                    amount=a,
                    paid_on=region_today(region),
                    reference="SP2D",
                )
            )
            fits = paid + amount <= final
            assert outcome == ("ok" if fits else GrantsError.TRANCHE_EXCEEDS_FINAL)
            paid += amount if fits else 0
            stored = Proposal.objects.get(region=region, pk=proposal.pk)
            assert stored.amount_disbursed == paid <= final
