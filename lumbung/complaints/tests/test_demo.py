"""The complaints part of `lumbung demo`: every state a visitor looks for, a history in the
past written by the services, a published Open311 key, and nothing added the second time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model
from django.utils import timezone

from lumbung.core.demo import demo_load
from lumbung.core.models import AuditEvent, Region, Transition
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..models import (
    AnswerTemplate,
    Category,
    Complaint,
    ComplaintUpdate,
    Open311Client,
    Supporter,
    UpdateKind,
)
from ..services import client_authenticate
from ..workflow import CLOSED, DUPLICATE, IN_PROGRESS, REJECTED, RESOLVED, SUBMITTED

pytestmark = pytest.mark.django_db

WITH_COMPLAINTS = ("kota-bandung", "kota-tangerang", "kabupaten-serang")


@pytest.fixture
def demo(settings: Any) -> list[Region]:
    # A small demo: the random reports plus the fixed ones every region has.
    settings.LUMBUNG_DEMO_COMPLAINTS = 25
    return demo_load()


def reports(slug: str) -> Any:
    with dangerously_unscoped():
        return Complaint.objects.filter(region__slug=slug)


@pytest.mark.parametrize("slug", WITH_COMPLAINTS)
def test_each_region_with_the_module_has_reports_in_every_state(demo: Any, slug: str) -> None:
    # given / when the demo is loaded
    found = reports(slug)
    now = timezone.now()

    # then every state is there, with the situations a visitor looks for
    assert set(found.values_list("state", flat=True)) == {
        SUBMITTED,
        IN_PROGRESS,
        RESOLVED,
        CLOSED,
        REJECTED,
        DUPLICATE,
    }
    assert found.filter(state=SUBMITTED, due_at__lt=now).exists()
    assert found.filter(state=IN_PROGRESS, due_at__lt=now).exists()
    assert found.filter(state=IN_PROGRESS, reopen_count__gte=1).exists()
    assert found.filter(state=CLOSED, rating__isnull=False).exists()
    assert found.filter(state=DUPLICATE, duplicate_of__isnull=False).exists()
    # by demo citizens and by anonymous reporters who left an email
    assert found.filter(reporter__email__endswith="@warga.demo").exists()
    assert found.filter(reporter__isnull=True).exclude(contact_email="").exists()
    with dangerously_unscoped():
        kinds = set(
            ComplaintUpdate.objects.filter(complaint__in=found).values_list("kind", "is_public")
        )
    assert {(UpdateKind.ANSWER, True), (UpdateKind.NOTE, False)} <= kinds


@pytest.mark.parametrize("slug", WITH_COMPLAINTS)
def test_the_history_is_in_the_past_and_consistent(demo: Any, slug: str) -> None:
    # given / when the demo is loaded
    found = reports(slug)
    now = timezone.now()

    # then reports were filed over months, tickets in filing order, each milestone after
    # the filing, and the services' own timeline and transitions carry the same times
    assert found.filter(created_at__lt=now - dt.timedelta(days=30)).exists()
    assert not found.filter(created_at__gt=now).exists()
    by_time = list(found.order_by("created_at", "pk").values_list("year", "number"))
    assert by_time == sorted(by_time)
    for report in found.exclude(first_response_at=None):
        assert report.first_response_at is not None
        assert report.created_at < report.first_response_at <= now
        seconds = (report.first_response_at - report.created_at).total_seconds()
        assert report.first_response_seconds == int(seconds)
    rated = found.filter(state=CLOSED, rating__isnull=False).first()
    assert rated is not None
    with dangerously_unscoped():
        steps = list(
            Transition.objects.filter(case_type="complaints.complaint", case_id=str(rated.pk))
            .order_by("created_at")
            .values_list("action", "created_at")
        )
        filed = AuditEvent.objects.get(action="complaints.file", object_id=str(rated.pk))
    assert steps[0][0] == "start"
    assert steps[0][1] == rated.created_at == filed.created_at
    assert steps[-1][1] == rated.closed_at
    # and the clock is the real one again
    assert abs((timezone.now() - dt.datetime.now(dt.UTC)).total_seconds()) < 60


def test_the_province_has_no_reports(demo: Any) -> None:
    assert not reports("banten").exists()


def test_each_region_has_its_categories_templates_and_published_open311_key(demo: Any) -> None:
    for slug in WITH_COMPLAINTS:
        region = Region.objects.get(slug=slug)
        with region_scope(region):
            # the published key lets the demo's Open311 client in; another does not
            client = client_authenticate(region, f"demo-open311-{slug}")
            assert client is not None
            assert client_authenticate(region, "demo-open311-elsewhere") is None
            assert Category.objects.filter(region=region).count() >= 10
            assert AnswerTemplate.objects.filter(region=region).count() >= 3
            assert reports(slug).filter(client=client).exists()


def test_loading_it_again_adds_nothing(demo: Any) -> None:
    # given the demo loaded once
    models: list[type[Model]] = [
        Complaint,
        ComplaintUpdate,
        Supporter,
        Category,
        AnswerTemplate,
        Open311Client,
        Transition,
        AuditEvent,
    ]
    with dangerously_unscoped():
        before = {m: m._default_manager.count() for m in models}

        # when it is loaded again
        demo_load()

        # then no report, timeline entry, key or audit event was added
        assert {m: m._default_manager.count() for m in models} == before
