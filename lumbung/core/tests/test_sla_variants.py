"""Deadlines that depend on the case: a state's variants (a complaint's category class, a
permit's risk level), with region overrides per variant."""

import datetime as dt
from unittest import mock

import pytest

from lumbung.core.errors import DomainError
from lumbung.core.models.people import Role
from lumbung.core.services.workflow import case_start, case_transition, sla_days, sla_override_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.sample.models import SampleCase
from lumbung.core.tests.sample.workflow import SAMPLE_FLOW

pytestmark = pytest.mark.django_db

# Monday 2 November 2026, 09:00 WIB: no holiday in the next two weeks.
MONDAY = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


def _accepted(world, *, urgent: bool) -> SampleCase:
    region = world.region
    with mock.patch("django.utils.timezone.now", return_value=MONDAY):
        case = SampleCase(region=region, title="x", urgent=urgent)
        case_start(case, actor=None)
        case_transition(region=region, actor=world.users[Role.OFFICER], case=case, action="accept")
    case.refresh_from_db()
    return case


def _local_due(case: SampleCase) -> dt.date:
    assert case.due_at is not None
    return case.due_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()


def test_variant_default_sets_the_deadline(world_a):
    with region_scope(world_a.region):
        plain = _accepted(world_a, urgent=False)
        urgent = _accepted(world_a, urgent=True)
    # five working days after Monday is the next Monday; one working day is Tuesday
    assert _local_due(plain) == dt.date(2026, 11, 9)
    assert _local_due(urgent) == dt.date(2026, 11, 3)


def test_region_overrides_one_variant_only(world_a, world_b):
    admin = world_a.users[Role.REGION_ADMIN]
    with region_scope(world_a.region):
        sla_override_set(
            region=world_a.region,
            actor=admin,
            workflow=SAMPLE_FLOW.key,
            state="in_progress:urgent",
            working_days=3,
        )
        assert sla_days(world_a.region, SAMPLE_FLOW, "in_progress", "urgent") == 3
        assert sla_days(world_a.region, SAMPLE_FLOW, "in_progress", "") == 5
        assert _local_due(_accepted(world_a, urgent=True)) == dt.date(2026, 11, 5)
    with region_scope(world_b.region):
        assert sla_days(world_b.region, SAMPLE_FLOW, "in_progress", "urgent") == 1


def test_plain_override_does_not_touch_variants(world_a):
    admin = world_a.users[Role.REGION_ADMIN]
    with region_scope(world_a.region):
        sla_override_set(
            region=world_a.region,
            actor=admin,
            workflow=SAMPLE_FLOW.key,
            state="in_progress",
            working_days=10,
        )
        assert sla_days(world_a.region, SAMPLE_FLOW, "in_progress", "") == 10
        assert sla_days(world_a.region, SAMPLE_FLOW, "in_progress", "urgent") == 1


@pytest.mark.parametrize("target", ["in_progress:nope", "resolved", "resolved:urgent", "x"])
def test_unknown_targets_are_refused(world_a, target):
    with region_scope(world_a.region), pytest.raises(DomainError) as error:
        sla_override_set(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            workflow=SAMPLE_FLOW.key,
            state=target,
            working_days=3,
        )
    assert error.value.code == "validation_error"


def test_sla_page_offers_the_variants(client, world_a):
    from conftest import login

    login(client, world_a.users[Role.REGION_ADMIN])
    page = client.get(f"/{world_a.region.slug}/staff/sla/").content.decode()
    assert 'value="sample.case:in_progress:urgent"' in page
