"""Logging an entry: every rule refuses with its own code and names the field; the device
key makes a resent entry the same entry; withdrawing frees the time; all audited."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from PIL import Image

from lumbung.core.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import AuditEvent, Transition
from lumbung.core.tenancy import region_scope

from ..errors import PerformanceError
from ..models import Entry, Period, PeriodState
from ..workflow import APPROVED, REJECTED, SUBMITTED, WITHDRAWN
from ..worklog import services
from ..worklog.services import entry_create, entry_evidence_attach, entry_withdraw
from .factories import PerfWorld, activity_make, entry_make
from .test_worklog_helpers import (  # noqa: F401 - frozen is a fixture
    SATURDAY,
    TODAY,
    entry_input,
    frozen,
    log_entry,
    set_settings,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def perf(perf_a: PerfWorld) -> Iterator[PerfWorld]:
    with region_scope(perf_a.region):
        yield perf_a


def refused(perf: PerfWorld, who: str = "staff", **changes: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        entry_create(region=perf.region, actor=perf.user(who), data=entry_input(perf, **changes))
    return caught.value


def test_an_entry_waits_for_the_supervisor_with_its_minutes_and_audit(perf):
    # when the analyst logs two letters from 08:00 to 09:00
    entry = log_entry(perf)
    # then it waits for the head of division, due in three working days
    assert entry.state == SUBMITTED
    assert entry.reviewer_id == perf.people["kabid"].pk
    assert (entry.standard_minutes, entry.claimed_minutes, entry.approved_minutes) == (30, 60, 0)
    assert entry.due_at is not None
    assert entry.due_at.date() == dt.date(2026, 2, 16)
    assert Transition.objects.filter(
        region=perf.region, case_id=str(entry.pk), action="start"
    ).exists()
    event = AuditEvent.objects.get(region=perf.region, action="performance.entry_create")
    assert event.object_id == str(entry.pk)
    assert event.changes["claimed_minutes"] == 60


def test_the_same_device_key_returns_the_same_entry(perf):
    data = entry_input(perf)
    first, made = entry_create(region=perf.region, actor=perf.user("staff"), data=data)
    again, made_again = entry_create(region=perf.region, actor=perf.user("staff"), data=data)
    assert (made, made_again) == (True, False)
    assert again.pk == first.pk
    assert Entry.objects.filter(region=perf.region).count() == 1


def test_a_replay_is_answered_even_when_the_day_has_filled_up_since(perf):
    data = entry_input(perf)
    first, _made = entry_create(region=perf.region, actor=perf.user("staff"), data=data)
    # the same key with other fields (a client bug) still names the first entry
    changed = entry_input(perf, client_key=data.client_key, quantity=1)
    again, made = entry_create(region=perf.region, actor=perf.user("staff"), data=changed)
    assert not made
    assert again.pk == first.pk
    assert again.quantity == 2


def test_a_key_that_raced_past_the_check_returns_the_winner(perf, monkeypatch):
    data = entry_input(perf)
    winner, _made = entry_create(region=perf.region, actor=perf.user("staff"), data=data)

    def lost_race(*args: object) -> object:
        raise IntegrityError("perf_entry_client_key")

    monkeypatch.setattr(services, "_create", lost_race)
    again, made = entry_create(region=perf.region, actor=perf.user("staff"), data=data)
    assert not made
    assert again.pk == winner.pk


def test_a_key_is_one_person_s_only(perf):
    data = entry_input(perf)
    entry_create(region=perf.region, actor=perf.user("staff"), data=data)
    theirs, made = entry_create(region=perf.region, actor=perf.user("peer"), data=data)
    assert made
    assert theirs.employee_id == perf.people["peer"].pk


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"work_date": TODAY + dt.timedelta(days=1)}, PerformanceError.FUTURE_DATE, "work_date"),
        ({"work_date": dt.date(2026, 2, 5)}, PerformanceError.TOO_OLD, "work_date"),
        ({"work_date": SATURDAY}, PerformanceError.NOT_WORKING_DAY, "work_date"),
        ({"quantity": 3}, PerformanceError.EXCEEDS_SPAN, "quantity"),
    ],
)
def test_each_rule_refuses_with_its_code_and_field(perf, changes, code, field):
    error = refused(perf, **changes)
    assert error.code == code
    assert field in error.field_errors
    assert not Entry.objects.filter(region=perf.region).exists()
    assert not AuditEvent.objects.filter(region=perf.region, action__startswith="performance.entry")


def test_back_dating_counts_working_days_not_calendar_days(perf):
    # Friday 6 February is three working days back (Monday, Tuesday, today): allowed
    assert log_entry(perf, work_date=dt.date(2026, 2, 6)).work_date == dt.date(2026, 2, 6)
    set_settings(perf, backdate_working_days=1)
    assert refused(perf, work_date=dt.date(2026, 2, 9)).code == PerformanceError.TOO_OLD


def test_assigned_overtime_may_fall_on_a_closed_day(perf):
    assert log_entry(perf, work_date=SATURDAY, overtime=True).overtime


def test_time_ranges_of_one_person_may_not_overlap(perf):
    log_entry(perf)  # 08:00-09:00
    error = refused(perf, start_time=dt.time(8, 30), end_time=dt.time(9, 30), quantity=1)
    assert error.code == PerformanceError.OVERLAP
    assert "start_time" in error.field_errors
    # touching ends are fine, and another person's time is theirs
    log_entry(perf, start_time=dt.time(9, 0), end_time=dt.time(10, 0))
    log_entry(perf, "peer", start_time=dt.time(8, 30), end_time=dt.time(9, 30), quantity=1)


@pytest.mark.parametrize("state", [REJECTED, WITHDRAWN])
def test_a_rejected_or_withdrawn_entry_frees_its_time(perf, state):
    entry_make(perf, day=TODAY, state=state)  # 08:00-09:00
    assert log_entry(perf).state == SUBMITTED


def test_an_approved_entry_keeps_its_time(perf):
    entry_make(perf, day=TODAY, state=APPROVED)
    assert refused(perf).code == PerformanceError.OVERLAP


def test_the_daily_cap_counts_the_day_s_submitted_and_approved_minutes(perf):
    set_settings(perf, daily_cap_minutes=150)
    entry_make(perf, day=TODAY, state=APPROVED)  # 60 minutes
    entry_make(perf, day=TODAY, start=dt.time(9), end=dt.time(10), state=REJECTED)
    log_entry(perf, start_time=dt.time(10), end_time=dt.time(11))  # 120 claimed
    error = refused(perf, start_time=dt.time(11), end_time=dt.time(12), quantity=2)
    assert error.code == PerformanceError.DAILY_CAP
    assert "quantity" in error.field_errors
    log_entry(perf, start_time=dt.time(11), end_time=dt.time(12), quantity=1)  # exactly 150


def test_only_an_activity_in_use_for_the_person_s_position_counts(perf):
    proposed = activity_make(perf.region, "Usulan")
    type(proposed).objects.filter(pk=proposed.pk).update(state="proposed")
    assert refused(perf, activity_id=proposed.pk).code == PerformanceError.ACTIVITY_NOT_ALLOWED
    social = activity_make(perf.region, "Asesmen sosial")
    type(social).objects.filter(pk=social.pk).update(positions=["Pekerja Sosial"])
    error = refused(perf, activity_id=social.pk)
    assert error.code == PerformanceError.ACTIVITY_NOT_ALLOWED
    assert "activity" in error.field_errors
    assert log_entry(perf, "outsider", activity_id=social.pk).reviewer_id is None


def test_a_closed_month_takes_no_entry(perf):
    Period.objects.create(region=perf.region, year=2026, month=2, state=PeriodState.CLOSED)
    error = refused(perf)
    assert error.code == PerformanceError.MONTH_CLOSED
    assert "work_date" in error.field_errors


def test_someone_outside_the_registry_logs_nothing(perf):
    with pytest.raises(DomainError) as caught:
        entry_create(region=perf.region, actor=perf.admin, data=entry_input(perf))
    assert caught.value.code == PerformanceError.NOT_AN_EMPLOYEE


def test_bad_input_names_its_fields_before_anything_is_read(perf):
    bad = entry_input(
        perf, client_key="no spaces!", start_time=dt.time(9), end_time=dt.time(8), quantity=0
    )
    with pytest.raises(ValidationFailed) as caught:
        entry_create(region=perf.region, actor=perf.user("staff"), data=bad)
    assert set(caught.value.field_errors) == {"client_key", "end_time", "quantity"}


def test_another_region_s_activity_is_not_in_the_catalogue(perf, perf_b):
    foreign = perf_b.activities["letter"].pk
    assert refused(perf, activity_id=foreign).code == PerformanceError.ACTIVITY_NOT_ALLOWED


# Withdrawing and evidence -------------------------------------------------------------------


def test_the_author_withdraws_a_waiting_entry_and_the_time_is_free_again(perf):
    entry = log_entry(perf)
    withdrawn = entry_withdraw(region=perf.region, actor=perf.user("staff"), entry=entry)
    assert withdrawn.state == WITHDRAWN
    assert AuditEvent.objects.filter(region=perf.region, action="performance.entry_withdraw")
    log_entry(perf)  # the same time again


def test_nobody_else_withdraws_it_and_a_reviewed_one_stays(perf):
    entry = log_entry(perf)
    with pytest.raises(NotFound):
        entry_withdraw(region=perf.region, actor=perf.user("kabid"), entry=entry)
    approved = entry_make(perf, day=TODAY, start=dt.time(13), end=dt.time(14), state=APPROVED)
    with pytest.raises(DomainError) as caught:
        entry_withdraw(region=perf.region, actor=perf.user("staff"), entry=approved)
    assert caught.value.code == ErrorCode.INVALID_TRANSITION


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return SimpleUploadedFile("bukti.png", out.getvalue(), content_type="image/png")


def test_evidence_is_a_pdf_or_an_image_checked_by_content(perf):
    entry = log_entry(perf)
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    attached = entry_evidence_attach(
        region=perf.region, actor=perf.user("staff"), entry=entry, upload=pdf
    )
    assert attached.evidence.name.endswith(".pdf")
    fake = SimpleUploadedFile("bukti.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationFailed) as caught:
        entry_evidence_attach(region=perf.region, actor=perf.user("staff"), entry=entry,
                              upload=fake)  # fmt: skip
    assert "evidence" in caught.value.field_errors
    made, _ = entry_create(
        region=perf.region,
        actor=perf.user("staff"),
        data=entry_input(perf, start_time=dt.time(10), end_time=dt.time(11)),
        evidence=_png(),
    )
    assert made.evidence.name.endswith(".png")
