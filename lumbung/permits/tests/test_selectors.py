"""Reads: one's own applications and permits, the staff queue with its deadlines, the
region's registrations, and the public figures; another region's never appear."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lumbung.core.errors import NotFound
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Application, PermitType
from ..selectors import (
    application_get,
    applications_of,
    due_in,
    permit_get,
    permits_of,
    queue,
    registrations,
)
from ..selectors_stats import permits_stats
from ..services.applications import application_resubmit
from ..services.defaults import application_approve_by_default
from ..services.stages import application_reject, application_request_correction
from .factories import PermitsWorld, apply, issue, permit_of, register, reload, to_stage

pytestmark = pytest.mark.django_db


def test_applicants_see_their_own_and_no_other_regions(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    mine, receipt = apply(pworld_a), register(pworld_a)
    theirs = register(pworld_b)
    citizen = pworld_a.user(Role.CITIZEN)
    with region_scope(pworld_a.region):
        assert {a.pk for a in applications_of(pworld_a.region, citizen)} == {mine.pk, receipt.pk}
        assert [p.application_id for p in permits_of(pworld_a.region, citizen)] == [receipt.pk]
        assert application_get(pworld_a.region, mine.pk) == mine
        with pytest.raises(NotFound):
            application_get(pworld_a.region, theirs.pk)
        with pytest.raises(NotFound):
            permit_get(pworld_a.region, permit_of(theirs).pk)
        assert [a.pk for a in registrations(pworld_a.region)] == [receipt.pk]


def test_the_queue_puts_the_soonest_deadline_first_and_says_how_long(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    later, sooner = apply(pworld_a), apply(pworld_a)
    apply(pworld_b)
    register(pworld_a)
    past = timezone.now() - dt.timedelta(days=7)
    with region_scope(pworld_a.region):
        Application.objects.filter(pk=sooner.pk).update(due_at=past)
        rows = list(queue(pworld_a.region))
        by_unit = list(queue(pworld_a.region, unit=pworld_a.world.other_unit))
        assert [a.pk for a in rows] == [sooner.pk, later.pk]
        assert by_unit == []
        assert (due_in(pworld_a.region, rows[0]) or 0) < 0
        assert (due_in(pworld_a.region, rows[1]) or 0) >= 0


def test_the_public_figures_count_per_permit_type(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    # given: two registrations, one permit issued after a correction, one rejected,
    # one issued by default, one still open; and region B's, which never count
    register(pworld_a)
    register(pworld_a)
    corrected = apply(pworld_a)
    with region_scope(pworld_a.region):
        application_request_correction(
            region=pworld_a.region, actor=pworld_a.user(Role.OFFICER), application=corrected,
            note="Denah kurang jelas",
        )  # fmt: skip
        application_resubmit(
            region=pworld_a.region, actor=pworld_a.user(Role.CITIZEN),
            application=reload(corrected),
        )  # fmt: skip
    to_stage(pworld_a, reload(corrected), "issued")
    rejected = to_stage(pworld_a, apply(pworld_a), "approval")
    with region_scope(pworld_a.region):
        application_reject(
            region=pworld_a.region, actor=pworld_a.user(Role.UNIT_HEAD), application=rejected,
            reason="Zona tidak sesuai",
        )  # fmt: skip
        PermitType.objects.filter(pk=pworld_a.permit_type.pk).update(
            default_approval=True, fee_kind="zero", fee_rate=Decimal(0), fee_amount=Decimal(0)
        )
    late = apply(pworld_a)
    with region_scope(pworld_a.region):
        Application.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
        application_approve_by_default(region=pworld_a.region, application=reload(late))
    apply(pworld_a)
    issue(pworld_b)
    # when
    with region_scope(pworld_a.region):
        rows = {row["key"]: row for row in permits_stats(pworld_a.region)}
    # then
    assert set(rows) == {"apotek", "report_only"}
    pharmacy = rows["apotek"]
    assert pharmacy["applications"] == 4
    assert (pharmacy["issued"], pharmacy["rejected"]) == (2, 1)
    assert pharmacy["approved_by_default"] == 1
    assert pharmacy["share_within_deadline"] == round(2 / 3, 4)
    assert pharmacy["unit"] == "DPMPTSP"
    assert isinstance(pharmacy["median_working_days"], int | float)
    assert rows["report_only"]["applications"] == 2
    assert rows["report_only"]["median_working_days"] == 0
    assert not any("nik" in key or "owner" in key for key in pharmacy)


def test_the_figures_are_the_modules_public_dataset(pworld_a: PermitsWorld) -> None:
    from lumbung.core.modules import registry

    register(pworld_a)
    config = registry.get("permits")
    assert config is not None
    (dataset,) = config.public_datasets
    with region_scope(pworld_a.region):
        rows = list(dataset.rows(pworld_a.region))
    assert [(r["key"], r["applications"]) for r in rows] == [("report_only", 1)]
