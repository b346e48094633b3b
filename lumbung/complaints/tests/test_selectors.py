"""Reads of the complaints module: the public page (keyset), nearby reports, figures per
region, unit and month, the province's side-by-side view, and escalation of overdue ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lumbung.core import rls
from lumbung.core.models import Notification
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_add, region_modules_set
from lumbung.core.tasks import escalate_overdue_region
from lumbung.core.tenancy import region_scope

from ..models import Complaint
from ..selectors import (
    Cursor,
    PublicFilters,
    report_public_page,
    reports_nearby,
)
from ..selectors_stats import figures, province_stats, report_stats, report_stats_by_unit
from ..services import report_confirm, report_transition
from ..tasks import figures_refresh_all
from .factories import NEAR_BANDUNG, file_report, reload

pytestmark = pytest.mark.django_db


def test_the_public_page_reads_on_by_keyset_and_hides_private_reports(cworld_a):
    region = cworld_a.region
    tickets = [
        file_report(region, description=f"Laporan nomor {i}").complaint.ticket for i in range(5)
    ]
    file_report(region, description="Laporan rahasia", is_public=False)
    with region_scope(region):
        first, cursor = report_public_page(region, PublicFilters(), size=3)
        assert cursor is not None
        second, end = report_public_page(
            region, PublicFilters(), after=Cursor.decode(cursor.encode()), size=3
        )
    assert [c.ticket for c in first + second] == list(reversed(tickets))
    assert end is None


def test_a_cursor_from_outside_is_ignored_when_malformed():
    assert Cursor.decode("abc") is None
    assert Cursor.decode("1.2.3") is None
    assert Cursor.decode("") is None


def test_nearby_finds_open_reports_of_the_same_category_within_100_metres(cworld_a):
    region = cworld_a.region
    near = file_report(region).complaint
    file_report(region, category="sampah", description="Sampah menumpuk di sini")
    far = file_report(region, latitude=Decimal("-6.930000"), longitude=Decimal("107.607000"))
    with region_scope(region):
        found = reports_nearby(
            region, category="jalan-rusak", latitude=NEAR_BANDUNG[0], longitude=NEAR_BANDUNG[1]
        )
    assert [c.pk for c in found] == [near.pk]
    assert far.complaint.pk not in [c.pk for c in found]


def test_figures_count_deadlines_and_satisfaction(cworld_a):
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    citizen = cworld_a.users[Role.CITIZEN]
    done = file_report(region, actor=citizen).complaint
    file_report(region, category="sampah", description="Sampah menumpuk lagi")
    with region_scope(region):
        report_transition(region=region, actor=officer, complaint=done, action="verify")
        report_transition(
            region=region, actor=officer, complaint=reload(done), action="resolve", note="ok"
        )
        report_confirm(region=region, actor=citizen, complaint=reload(done), rating=4)
        stats = report_stats(region)
        units = {s.label: s for s in report_stats_by_unit(region)}
    assert (stats.received, stats.open, stats.resolved) == (2, 1, 1)
    assert stats.resolved_on_time == 1
    assert stats.on_time_share == 1.0
    assert stats.satisfaction == 4.0
    assert stats.median_first_response_hours is not None
    assert units[cworld_a.unit.short_name or cworld_a.unit.name].received == 1


def test_a_province_sees_its_cities_side_by_side(cworld_a):
    # given Jawa Barat running the module, and Kota Bandung (its city) with two reports
    province = region_add(code="32", actor=None, modules=["complaints"])
    file_report(cworld_a.region)
    file_report(cworld_a.region, category="sampah", description="Sampah menumpuk lagi")
    # when the province reads its figures
    with region_scope(province):
        rows = province_stats(province)
    # then each running city is a row of counts
    assert [(r.key, r.received) for r in rows] == [(cworld_a.region.slug, 2)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security")
def test_the_provinces_view_reads_through_row_level_security(cworld_a):
    province = region_add(code="32", actor=None, modules=["complaints"])
    file_report(cworld_a.region)
    with region_scope(province), transaction.atomic():
        rls.activate(province)
        try:
            rows = province_stats(province)
            # and the province's own wall is back afterwards: the city's rows are hidden
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM complaints_complaint")
                hidden = cursor.fetchone()[0]
        finally:
            rls.deactivate()
    assert [r.received for r in rows] == [1]
    assert hidden == 0


def test_a_city_without_the_module_is_not_in_the_provinces_view(cworld_a):
    province = region_add(code="32", actor=None, modules=["complaints"])
    with region_scope(cworld_a.region):
        region_modules_set(region=cworld_a.region, actor=None, disable=["complaints"])
    with region_scope(province):
        assert province_stats(province) == []


def test_overdue_reports_escalate_to_the_unit_head_then_the_region_admin(cworld_a):
    region = cworld_a.region
    complaint = file_report(region).complaint  # routed to world's unit by its category
    head, admin = cworld_a.users[Role.UNIT_HEAD], cworld_a.users[Role.REGION_ADMIN]
    with region_scope(region):
        Complaint.objects.filter(pk=complaint.pk).update(
            due_at=timezone.now() - dt.timedelta(days=10)
        )
        assert escalate_overdue_region(region) == 1
        assert escalate_overdue_region(region) == 1
        assert escalate_overdue_region(region) == 0  # the ladder has two rungs
        told = set(
            Notification.objects.filter(kind="workflow.overdue").values_list("recipient", flat=True)
        )
    assert {head.pk, admin.pk} <= told
    assert reload(complaint).escalation_level == 2


def test_medians_per_region_and_per_unit_agree_on_every_database(cworld_a):
    # given three reports of one unit and one of another, with known response times
    region = cworld_a.region
    ours = [file_report(region).complaint for _ in range(3)]
    theirs = file_report(region, category="bansos", description="Bantuan belum diterima").complaint
    with region_scope(region):
        for complaint, hours in zip(ours, (1, 2, 10), strict=True):
            Complaint.objects.filter(pk=complaint.pk).update(
                first_response_seconds=hours * 3600, resolution_seconds=hours * 7200
            )
        Complaint.objects.filter(pk=theirs.pk).update(first_response_seconds=4 * 3600)
        region_row = report_stats(region)
        units = {s.key: s for s in report_stats_by_unit(region)}
    # then the medians are the middle values, in hours
    assert region_row.median_first_response_hours == 3.0  # of 1, 2, 4, 10
    assert region_row.median_resolution_hours == 4.0  # of 2, 4, 20
    unit = units[str(cworld_a.unit.pk)]
    assert (unit.median_first_response_hours, unit.median_resolution_hours) == (2.0, 4.0)


def test_all_time_figures_come_from_the_workers_count_and_a_period_is_counted_now(cworld_a):
    # given one report, and the worker's count of the region's figures
    region = cworld_a.region
    file_report(region)
    with region_scope(region):
        assert figures_refresh_all.call() == 1
        # when another report comes in
        file_report(region, category="sampah", description="Sampah menumpuk lagi")
        kept, now = figures(region), figures(region, since=dt.date(2000, 1, 1))
    # then the all-time page shows the count as of the worker's run (and says when),
    # while a chosen period is counted at once
    assert kept.region.received == 1
    assert kept.as_of <= now.as_of
    assert now.region.received == 2
