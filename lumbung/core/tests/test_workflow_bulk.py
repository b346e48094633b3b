"""Starting and moving many cases at once (core.services.workflow_bulk), on the test-only
SAMPLE_FLOW: a bulk start leaves every case as case_start leaves one (state, entry time,
deadline, version, a start transition) in a fixed number of statements; a bulk move keeps
the same rules as one transition (source state, role, note), one transition row per moved
case, the moved ids returned and the cases someone else moved first left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test.utils import CaptureQueriesContext, override_settings

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import Transition
from lumbung.core.models.people import Role
from lumbung.core.services.workflow import case_start, sla_override_set
from lumbung.core.services.workflow_bulk import cases_start_bulk, cases_transition_bulk
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld
from lumbung.core.tests.sample.models import SampleCase

from .test_workflow import MONDAY_10_WIB, clock, start_case, take

pytestmark = pytest.mark.django_db


def bulk(
    world: RegionWorld, ids: list[int], action: str, role: Role | None, **kw: Any
) -> list[int]:
    actor = world.users[role] if role is not None else None
    with region_scope(world.region), transaction.atomic():
        return cases_transition_bulk(
            region=world.region, actor=actor, model=SampleCase, ids=ids, action=action, **kw
        )


def states(world: RegionWorld, ids: list[int]) -> dict[int, str]:
    with region_scope(world.region):
        return dict(SampleCase.objects.filter(pk__in=ids).values_list("pk", "state"))


def test_moves_every_case_in_the_source_state_and_logs_each(world_a: RegionWorld) -> None:
    cases = [start_case(world_a) for _ in range(3)]
    ids = [c.pk for c in cases]
    moved = bulk(world_a, ids, "accept", Role.OFFICER)
    assert sorted(moved) == sorted(ids)
    assert set(states(world_a, ids).values()) == {"in_progress"}
    with region_scope(world_a.region):
        logged = Transition.objects.filter(
            region=world_a.region, action="accept", case_id__in=[str(i) for i in ids]
        )
        assert logged.count() == 3
        assert {t.actor_id for t in logged} == {world_a.users[Role.OFFICER].pk}
        fresh = SampleCase.objects.get(pk=ids[0])
    assert fresh.version == 1
    assert fresh.due_at is not None


def test_a_case_already_moved_is_left_alone_and_not_returned(world_a: RegionWorld) -> None:
    first, second = start_case(world_a), start_case(world_a)
    take(world_a, first, "reject", Role.OFFICER, note="Bukan pengaduan.")
    moved = bulk(world_a, [first.pk, second.pk], "accept", Role.OFFICER)
    assert moved == [second.pk]
    assert states(world_a, [first.pk, second.pk]) == {
        first.pk: "rejected",
        second.pk: "in_progress",
    }


def test_a_role_the_action_does_not_name_is_refused(world_a: RegionWorld) -> None:
    case = start_case(world_a)
    with pytest.raises(DomainError) as refused:
        bulk(world_a, [case.pk], "accept", Role.CITIZEN)
    assert refused.value.code == ErrorCode.ACTION_NOT_ALLOWED
    assert states(world_a, [case.pk]) == {case.pk: "received"}


def test_vetted_is_honoured_only_for_system_actions(world_a: RegionWorld) -> None:
    """The sample's actions are role-based: a caller's say-so does not open them."""
    case = start_case(world_a)
    with pytest.raises(DomainError):
        bulk(world_a, [case.pk], "accept", Role.CITIZEN, vetted=True)


def test_a_required_note_is_required(world_a: RegionWorld) -> None:
    case = start_case(world_a)
    with pytest.raises(DomainError) as refused:
        bulk(world_a, [case.pk], "reject", Role.OFFICER, note="  ")
    assert refused.value.code == ErrorCode.NOTE_REQUIRED
    assert "note" in refused.value.field_errors


def test_another_regions_case_is_never_moved(world_a: RegionWorld, world_b: RegionWorld) -> None:
    theirs = start_case(world_b)
    assert bulk(world_a, [theirs.pk], "accept", Role.OFFICER) == []
    assert states(world_b, [theirs.pk]) == {theirs.pk: "received"}


# Starting many cases ------------------------------------------------------------------------


def new_cases(world: RegionWorld, count: int) -> list[SampleCase]:
    return [
        SampleCase(region=world.region, title=f"Lampu jalan mati {n}", unit=world.unit)
        for n in range(count)
    ]


def fields(case: SampleCase) -> tuple[Any, ...]:
    return (case.state, case.state_entered_at, case.due_at, case.version, case.escalation_level)


def test_a_bulk_start_leaves_each_case_as_case_start_leaves_one(world_a: RegionWorld) -> None:
    # given the region's own deadline for the initial state, and one case started singly
    citizen = world_a.users[Role.CITIZEN]
    with region_scope(world_a.region), transaction.atomic():
        sla_override_set(
            region=world_a.region, actor=world_a.users[Role.REGION_ADMIN],
            workflow="sample.case", state="received", working_days=7,
        )  # fmt: skip
    single = start_case(world_a, at=MONDAY_10_WIB)

    # when three more are started together at the same moment
    with clock(MONDAY_10_WIB), region_scope(world_a.region), transaction.atomic():
        started = cases_start_bulk(new_cases(world_a, 3), actor=citizen, note="Lewat aplikasi")

    # then each is saved in the same state, with the same deadline, as the single one
    with region_scope(world_a.region):
        fresh = [SampleCase.objects.get(pk=c.pk) for c in [single, *started]]
        starts = Transition.objects.filter(
            region=world_a.region, case_type="sample.samplecase", action="start",
            case_id__in=[str(c.pk) for c in started],
        )  # fmt: skip
        logged = list(starts.values_list("case_id", "from_state", "to_state", "actor", "note"))
    assert len({fields(c) for c in fresh}) == 1
    assert fresh[0].state == "received"
    assert fresh[0].due_at is not None
    assert fresh[0].due_at > MONDAY_10_WIB + dt.timedelta(days=7)  # 7 working days, not 3
    assert sorted(logged) == sorted(
        (str(c.pk), "", "received", citizen.pk, "Lewat aplikasi") for c in started
    )


LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bulk"},
}


@override_settings(CACHES=LOCMEM, LUMBUNG_PUBLIC_VERSION_SECONDS=3600)
def test_a_bulk_start_costs_the_same_few_statements_for_many_cases(world_a: RegionWorld) -> None:
    # given a process that remembers the region's setup (deadlines, calendar), as it does
    caches["public"].clear()
    with region_scope(world_a.region), transaction.atomic():
        cases_start_bulk(new_cases(world_a, 1), actor=None)  # the region's deadlines read once
        with CaptureQueriesContext(transaction.get_connection()) as few:
            cases_start_bulk(new_cases(world_a, 2), actor=None)
        with CaptureQueriesContext(transaction.get_connection()) as many:
            cases_start_bulk(new_cases(world_a, 60), actor=None)
        assert SampleCase.objects.filter(region=world_a.region).count() == 63
    # then the cases and their transitions are one multi-row insert each
    assert len(many.captured_queries) == len(few.captured_queries) == 2
    caches["public"].clear()


def test_a_bulk_start_refuses_a_mix_of_regions_or_saved_cases(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    mixed = [*new_cases(world_a, 1), *new_cases(world_b, 1)]
    with region_scope(world_a.region), pytest.raises(ValueError, match="one model and one region"):
        cases_start_bulk(mixed, actor=None)
    saved = start_case(world_a)
    with region_scope(world_a.region), pytest.raises(ValueError, match="one model and one region"):
        cases_start_bulk([saved, *new_cases(world_a, 1)], actor=None)
    with region_scope(world_a.region):
        assert SampleCase.objects.filter(region=world_a.region).count() == 1
        assert cases_start_bulk([], actor=None) == []


def test_a_started_case_is_the_same_whether_started_alone_or_in_bulk(
    world_a: RegionWorld,
) -> None:
    """case_start and cases_start_bulk agree on every workflow field, at any moment."""
    moment = MONDAY_10_WIB + dt.timedelta(days=4, hours=9)  # a Friday evening
    with clock(moment), region_scope(world_a.region), transaction.atomic():
        alone = SampleCase(region=world_a.region, title="Sendiri", unit=world_a.unit)
        case_start(alone, actor=None)
        (together,) = cases_start_bulk(new_cases(world_a, 1), actor=None)
    assert fields(alone) == fields(together)
