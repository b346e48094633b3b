"""The deadline arithmetic of a permit type's stage, as properties over any moment of the
year in regions of each time zone: the deadline is the type's working days away on the
region's calendar, and a correction pauses the clock exactly — the working days used
before the pause and after it add up to the stage's deadline, however long the pause."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models.people import Role
from lumbung.core.services.calendar import region_holiday_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import make_world

from ..models import StageSla
from ..services.applications import application_resubmit
from ..services.stages import application_request_correction
from .factories import PermitsWorld, apply, enable_permits, reload

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# A local holiday in the middle of the year, on a Wednesday, for every region below.
LOCAL_HOLIDAY = dt.date(2026, 6, 17)


@contextmanager
def clock(moment: dt.datetime) -> Iterator[None]:
    with patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield


# Kota Bandung (WIB), Kota Denpasar (WITA), Kota Jayapura (WIT).
@pytest.fixture(params=["32.73", "51.71", "91.71"])
def pworld(request: pytest.FixtureRequest, db: None) -> PermitsWorld:
    pw = enable_permits(make_world(request.param, modules=["sample"]))
    with region_scope(pw.region):
        region_holiday_set(
            region=pw.region, actor=None, date=LOCAL_HOLIDAY, name="Hari jadi", is_working_day=False
        )
    return pw


moments = st.integers(0, 360 * 24 * 60).map(lambda m: START + dt.timedelta(minutes=m))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    days=st.integers(1, 10),
    received=moments,
    worked_hours=st.integers(0, 24 * 14),
    paused_hours=st.integers(0, 24 * 40),
)
def test_a_correction_pauses_the_clock_exactly(
    pworld: PermitsWorld, days: int, received: dt.datetime, worked_hours: int, paused_hours: int
) -> None:
    region = pworld.region
    calendar = RegionCalendar(region)
    with region_scope(region):
        StageSla.objects.filter(
            region=region, permit_type=pworld.permit_type, stage="document_check"
        ).update(working_days=days)
    # given an application received at any moment: due `days` working days later
    with clock(received):
        app = apply(pworld)
    assert app.due_at is not None
    with region_scope(region):
        assert app.due_at == calendar.add_working_days(received, days)
        assert calendar.working_days_between(received, app.due_at) == days
        assert calendar.is_working_day(calendar.local_date(app.due_at))
    # when an officer asks for a correction some time later
    asked = received + dt.timedelta(hours=worked_hours)
    with clock(asked), region_scope(region):
        returned = application_request_correction(
            region=region, actor=pworld.user(Role.OFFICER), application=app, note="Denah buram"
        )
        used = calendar.working_days_between(received, asked)
    # and the applicant resubmits after any pause
    back = asked + dt.timedelta(hours=paused_hours)
    with clock(back), region_scope(region):
        resumed = application_resubmit(
            region=region, actor=pworld.user(Role.CITIZEN), application=reload(returned)
        )
    # then the stage gets back exactly the working days it had left
    left = returned.paused_days_left
    assert left == max(0, days - used)
    assert resumed.state == "document_check"
    assert resumed.due_at is not None
    with region_scope(region):
        if left:
            assert calendar.working_days_between(back, resumed.due_at) == left
            assert used + left == days
        assert calendar.is_working_day(calendar.local_date(resumed.due_at))
