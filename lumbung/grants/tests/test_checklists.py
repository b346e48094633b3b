"""Checklists as region data: the starter set, the region's own items, manual answers, and
the computed answers the system fills in with their evidence."""

from __future__ import annotations

from decimal import Decimal

from lumbung.core.errors import ErrorCode
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import GrantsError
from ..models import ChecklistAnswer, ChecklistItem, Proposal
from ..services.checklists import (
    STARTER_ITEMS,
    Answer,
    checklist_adopt_starter,
    checklist_item_save,
)
from ..services.organisations import region_today
from ..services.stages import proposal_check
from ..workflow import ASSIGNMENT, DECIDED, SUBMITTED
from .factories import (
    GrantsWorld,
    events,
    make_organisation,
    make_programme,
    manual_answers,
    proposal_at,
    refusal,
    submit,
)


def items(gw: GrantsWorld) -> int:
    with region_scope(gw.region):
        return ChecklistItem.objects.filter(region=gw.region).count()


def check(gw: GrantsWorld, proposal: Proposal) -> dict[str, ChecklistAnswer]:
    with region_scope(gw.region):
        proposal_check(
            region=gw.region,
            actor=gw.world.users[Role.OFFICER],
            proposal=proposal,
            answers=manual_answers(SUBMITTED),
        )
        found = ChecklistAnswer.objects.filter(region=gw.region, proposal=proposal)
        return {a.item.key: a for a in found.select_related("item")}


def test_the_starter_set_is_adopted_on_first_use_and_once(gworld_a: GrantsWorld) -> None:
    # given a region that has no checklist yet
    assert items(gworld_a) == 0

    # when its first proposal is checked
    check(gworld_a, submit(gworld_a))

    # then the starter set is its data, and adopting again adds nothing
    assert items(gworld_a) == len(STARTER_ITEMS)
    with region_scope(gworld_a.region):
        assert checklist_adopt_starter(region=gworld_a.region, actor=None) == []
        visit = ChecklistItem.objects.get(region=gworld_a.region, key="not-fictitious")
    assert visit.needs_date
    assert visit.name_en.startswith("Organisation is not fictitious")
    [event] = events(gworld_a.region, "grants.checklist.adopt")
    assert len(event.changes["keys"]) == len(STARTER_ITEMS)


def test_nobody_ticks_a_computed_item_by_hand(gworld_a: GrantsWorld) -> None:
    proposal = submit(gworld_a)
    officer = gworld_a.world.users[Role.OFFICER]
    by_hand = manual_answers(SUBMITTED) | {"all-documents": Answer(passed=True)}

    computed = refusal(
        gworld_a.region, proposal_check, actor=officer, proposal=proposal, answers=by_hand
    )
    unknown = refusal(
        gworld_a.region,
        proposal_check,
        actor=officer,
        proposal=proposal,
        answers=manual_answers(SUBMITTED) | {"lain-lain": Answer(passed=True)},
    )
    partial = dict(manual_answers(SUBMITTED))
    partial.pop("doc-rab")
    incomplete = refusal(
        gworld_a.region, proposal_check, actor=officer, proposal=proposal, answers=partial
    )

    assert computed.code == GrantsError.CHECKLIST_COMPUTED
    assert unknown.code == GrantsError.CHECKLIST_UNKNOWN_ITEM
    assert incomplete.code == GrantsError.CHECKLIST_INCOMPLETE


def test_a_grant_last_year_is_computed_with_its_evidence(gworld_a: GrantsWorld) -> None:
    # given the organisation got a grant from last year's programme
    last_year = make_programme(gworld_a.world, year=region_today(gworld_a.region).year - 1)
    earlier = proposal_at(gworld_a, DECIDED, programme=last_year)

    # when its new proposal is checked
    proposal = submit(gworld_a)
    answers = check(gworld_a, proposal)

    # then the item fails with the earlier number as evidence; not required, it is a flag
    repeat = answers["no-grant-last-year"]
    assert (repeat.computed, repeat.passed) == (True, False)
    assert repeat.evidence == {"year": last_year.year, "proposals": [earlier.number]}
    with region_scope(gworld_a.region):
        assert Proposal.objects.get(region=gworld_a.region, pk=proposal.pk).state == ASSIGNMENT


def test_a_region_may_make_a_computed_item_required(gworld_a: GrantsWorld) -> None:
    # given a young organisation, and a region that requires the minimum age
    region = gworld_a.region
    young, account = make_organisation(gworld_a.world, legal_date=region_today(region))
    with region_scope(region):
        checklist_adopt_starter(region=region, actor=None)
        age = ChecklistItem.objects.get(region=region, key="organisation-age")
        checklist_item_save(
            region=region,
            actor=gworld_a.world.users[Role.REGION_ADMIN],
            item=age,
            data={"required": True},
        )

    # when its proposal is checked
    proposal = submit(gworld_a, organisation=young, applicant=account)
    error = refusal(
        region,
        proposal_check,
        actor=gworld_a.world.users[Role.OFFICER],
        proposal=proposal,
        answers=manual_answers(SUBMITTED),
    )

    # then the computed age check blocks it
    assert error.code == GrantsError.CHECKLIST_FAILED
    assert "organisation-age" in str(error.message)
    [event] = events(region, "grants.checklist.save", age)
    assert event.changes["required"] == [False, True]


def test_items_are_saved_by_administrators_with_known_checks(gworld_a: GrantsWorld) -> None:
    region = gworld_a.region
    item = {
        "state": SUBMITTED,
        "key": "surat-rt",
        "name_id": "Surat pengantar RT/RW",
        "name_en": "Letter from the neighbourhood head",
        "position": 5,
    }

    officer = refusal(
        region, checklist_item_save, actor=gworld_a.world.users[Role.OFFICER], data=item
    )
    bad_check = refusal(
        region,
        checklist_item_save,
        actor=gworld_a.world.users[Role.REGION_ADMIN],
        data=item | {"computed_check": "looks_fine"},
    )
    bad_state = refusal(
        region,
        checklist_item_save,
        actor=gworld_a.world.users[Role.REGION_ADMIN],
        data=item | {"state": "closed"},
    )
    with region_scope(region):
        saved = checklist_item_save(
            region=region, actor=gworld_a.world.users[Role.REGION_ADMIN], data=item
        )

    assert officer.code == ErrorCode.PERMISSION_DENIED
    assert bad_check.code == bad_state.code == ErrorCode.VALIDATION
    assert (saved.key, saved.required, saved.computed_check) == ("surat-rt", True, "")
    assert events(region, "grants.checklist.save", saved)


def test_the_field_visit_date_is_kept(gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, "consideration")

    with region_scope(gworld_a.region):
        visit = ChecklistAnswer.objects.get(
            region=gworld_a.region, proposal=proposal, item__key="not-fictitious"
        )

    assert visit.on_date == region_today(gworld_a.region)
    assert visit.passed
    assert proposal.amount_recommended == Decimal("45000000.00")
