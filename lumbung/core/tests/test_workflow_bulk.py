"""Moving many cases at once (core.services.workflow_bulk), on the test-only SAMPLE_FLOW:
the same rules as one transition (source state, role, note), one transition row per moved
case, the moved ids returned and the cases someone else moved first left alone."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import Transition
from lumbung.core.models.people import Role
from lumbung.core.services.workflow_bulk import cases_transition_bulk
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld
from lumbung.core.tests.sample.models import SampleCase

from .test_workflow import start_case, take

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
