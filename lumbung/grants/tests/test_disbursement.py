"""Tranches never above the final amount; the first moves the proposal to disbursed and
sets the LPJ due date; the LPJ is submitted, verified or sent back; reminders go once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lumbung.core.errors import ErrorCode
from lumbung.core.models import ModuleActivation, Notification
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import GrantsError
from ..models import Proposal, Tranche
from ..selectors_hibah import lpj_overdue_list, programme_usage, proposal_amounts, proposal_timeline
from ..services.disbursement import lpj_return, lpj_submit, lpj_verify, tranche_record
from ..services.organisations import region_today
from ..tasks import lpj_reminders
from ..workflow import AGREEMENT, CLOSED, DECIDED, DISBURSED, LPJ_SUBMITTED
from .factories import FINAL, GrantsWorld, events, pdf, png, proposal_at, refusal, reload


def pay(gw: GrantsWorld, proposal: Proposal, amount: Decimal, **kwargs: object) -> Tranche:
    with region_scope(gw.region):
        return tranche_record(
            region=gw.region,
            actor=gw.world.users[Role.OFFICER],
            proposal=proposal,
            amount=amount,
            paid_on=region_today(gw.region),
            reference="SP2D-77",
            **kwargs,  # type: ignore[arg-type]
        )


def test_the_first_tranche_disburses_and_sets_the_lpj_due_date(gworld_a: GrantsWorld) -> None:
    # given a signed agreement for 40 million, the region's LPJ due on 31 January
    region = gworld_a.region
    ModuleActivation.objects.filter(region=region, module="grants").update(
        settings={"lpj_due": "01-31"}
    )
    proposal = proposal_at(gworld_a, AGREEMENT)

    # when a first tranche of 25 million is paid, with its transfer proof
    first = pay(gworld_a, proposal, Decimal(25_000_000), proof=png())

    # then the proposal is disbursed, its LPJ due the January after the programme year
    stored = reload(proposal)
    assert (first.number, stored.state) == (1, DISBURSED)
    assert stored.amount_disbursed == Decimal(25_000_000)
    assert stored.lpj_due_on == dt.date(gworld_a.programme.year + 1, 1, 31)
    [event] = events(region, "grants.hibah.tranche", proposal)
    assert event.changes["amount_disbursed"] == ["0.00", "25000000.00"]
    assert events(region, "grants.hibah.disburse", proposal)

    # and a second tranche adds up, up to the final amount and no further
    second = pay(gworld_a, reload(proposal), Decimal(15_000_000))
    over = refusal(
        region,
        tranche_record,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=reload(proposal),
        amount=Decimal("0.01"),
        paid_on=region_today(region),
        reference="SP2D-78",
    )
    assert second.number == 2
    assert reload(proposal).amount_disbursed == FINAL
    assert over.code == GrantsError.TRANCHE_EXCEEDS_FINAL


def test_a_tranche_above_the_final_amount_is_refused_at_once(gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, AGREEMENT)

    error = refusal(
        gworld_a.region,
        tranche_record,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=proposal,
        amount=FINAL + Decimal(1),
        paid_on=region_today(gworld_a.region),
        reference="SP2D-1",
    )

    assert error.code == GrantsError.TRANCHE_EXCEEDS_FINAL
    assert reload(proposal).state == AGREEMENT


def test_nothing_is_paid_before_the_agreement_or_by_the_wrong_role(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    decided = proposal_at(gworld_a, DECIDED)
    agreed = proposal_at(gworld_a, AGREEMENT)
    kwargs = {"amount": Decimal(1000), "paid_on": region_today(region), "reference": "X"}

    early = refusal(
        region,
        tranche_record,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=decided,
        **kwargs,
    )
    applicant = refusal(region, tranche_record, actor=gworld_a.applicant, proposal=agreed, **kwargs)
    future = refusal(
        region,
        tranche_record,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=agreed,
        **(kwargs | {"paid_on": region_today(region) + dt.timedelta(days=2)}),
    )

    assert early.code == GrantsError.NOT_DISBURSABLE
    assert applicant.code == ErrorCode.ACTION_NOT_ALLOWED
    assert future.code == ErrorCode.VALIDATION


def test_the_lpj_is_submitted_by_the_organisation_and_verified(gworld_a: GrantsWorld) -> None:
    region, officer = gworld_a.region, gworld_a.world.users[Role.OFFICER]
    proposal = proposal_at(gworld_a, DISBURSED)

    missing = refusal(
        region, lpj_submit, actor=gworld_a.applicant, proposal=proposal, document=None
    )
    stranger = refusal(region, lpj_submit, actor=officer, proposal=proposal, document=pdf())
    with region_scope(region):
        submitted = lpj_submit(
            region=region, actor=gworld_a.applicant, proposal=proposal, document=pdf("lpj.pdf")
        )
        assert submitted.state == LPJ_SUBMITTED
        assert submitted.lpj_submitted_at is not None
        closed = lpj_verify(region=region, actor=officer, proposal=submitted)

    assert missing.code == GrantsError.DOCUMENT_REQUIRED
    assert stranger.code == GrantsError.NOT_APPLICANT
    assert closed.state == CLOSED
    assert events(region, "grants.hibah.lpj", proposal)
    assert events(region, "grants.hibah.verify_lpj", proposal)


def test_a_returned_lpj_waits_again_and_counts_as_overdue_after_the_date(
    gworld_a: GrantsWorld,
) -> None:
    region, officer = gworld_a.region, gworld_a.world.users[Role.OFFICER]
    submitted = proposal_at(gworld_a, LPJ_SUBMITTED)

    no_note = refusal(region, lpj_return, actor=officer, proposal=submitted, note="")
    with region_scope(region):
        back = lpj_return(region=region, actor=officer, proposal=submitted, note="Kuitansi kurang")
    assert (no_note.code, back.state, back.lpj_submitted_at) == (
        ErrorCode.NOTE_REQUIRED,
        DISBURSED,
        None,
    )
    [event] = events(region, "grants.hibah.lpj_return", submitted)
    assert event.reason == "Kuitansi kurang"

    due = back.lpj_due_on
    assert due is not None
    with region_scope(region):
        assert list(lpj_overdue_list(region, due)) == []
        assert list(lpj_overdue_list(region, due + dt.timedelta(days=1))) == [back]


def test_reminders_go_once_at_30_and_7_days_and_when_overdue(gworld_a: GrantsWorld) -> None:
    # given a disbursed grant whose LPJ is due on its due date
    region = gworld_a.region
    proposal = proposal_at(gworld_a, DISBURSED)
    due = proposal.lpj_due_on
    assert due is not None

    def run(days_before: int) -> int:
        with region_scope(region):
            return lpj_reminders(region=region, today=due - dt.timedelta(days=days_before))

    # when the task runs every day from 40 days before to 3 days after, twice on some days
    sent = [run(d) for d in (40, 30, 29, 8, 7, 7, 1, 0, -1, -2, -3)]

    # then the organisation got three reminders, each once; the officers the overdue one
    assert sum(sent) == 3
    with region_scope(region):
        kinds = list(
            Notification.objects.filter(region=region, recipient=gworld_a.applicant)
            .order_by("id")
            .values_list("kind", flat=True)
        )
        officers = Notification.objects.filter(
            region=region, recipient=gworld_a.world.users[Role.OFFICER], kind="grants.lpj_overdue"
        )
        assert officers.count() == 1
    assert kinds == ["grants.lpj_d30", "grants.lpj_d7", "grants.lpj_overdue"]
    marks = [e.changes["reminder"] for e in events(region, "grants.hibah.lpj_reminder", proposal)]
    assert marks == ["d30", "d7", "overdue"]


def test_selectors_show_amounts_timeline_and_usage(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    proposal = proposal_at(gworld_a, DISBURSED)

    with region_scope(region):
        amounts = proposal_amounts(proposal)
        timeline = proposal_timeline(region, proposal)
        usage = programme_usage(region, gworld_a.programme)

    assert amounts == {
        "requested": Decimal("50000000.00"),
        "recommended": Decimal("45000000.00"),
        "considered": Decimal("42000000.00"),
        "final": FINAL,
        "disbursed": FINAL,
    }
    steps = [e.action for e in timeline if e.kind == "transition"]
    assert steps[0] == "start"
    assert steps[-1] == "disburse"
    assert [e.action for e in timeline if e.kind == "amount"] == [
        "requested",
        "recommended",
        "considered",
        "final",
    ]
    assert (usage.approved, usage.remaining, usage.funded_count) == (
        FINAL,
        usage.ceiling - FINAL,
        1,
    )
