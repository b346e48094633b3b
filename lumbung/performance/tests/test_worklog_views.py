"""The civil servant's pages: the day (the plain form that works without script, its
refusals at the fields, withdrawing) and the month with its totals; the catalogue's page
for proposing, curating and adding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Activity, Entry
from ..workflow import APPROVED, PROPOSED, REJECTED, SUBMITTED, WITHDRAWN
from .factories import PerfWorld, entry_make
from .test_worklog_helpers import TODAY, frozen  # noqa: F401 - a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def page(perf: PerfWorld, name: str) -> str:
    return f"/{perf.region.slug}/performance/{name}/"


def as_(perf: PerfWorld, who: str = "staff") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages' words, read in English
    user = perf.user(who) if who in perf.people else perf.world.users[Role(who)]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def form(perf: PerfWorld, **changes: object) -> dict[str, object]:
    return {
        "form": "entry",
        "client_key": "k-" + str(changes.pop("key", "1")),
        "work_date": TODAY.isoformat(),
        "start_time": "08:00",
        "end_time": "09:00",
        "activity": perf.activities["letter"].pk,
        "quantity": 2,
        "note": "Surat",
        **changes,
    }


def test_the_day_shows_its_entries_minutes_and_the_form_with_its_hooks(perf_a):
    with region_scope(perf_a.region):
        entry_make(perf_a, day=TODAY, state=APPROVED)
        entry_make(perf_a, day=TODAY, start=dt.time(9), end=dt.time(10), quantity=1)
    response = as_(perf_a).get(page(perf_a, "log"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-worklog-form" in html
    assert 'id="worklog-pending"' in html
    assert 'data-worklog-day="2026-02-11"' in html
    assert 'data-claimed="90"' in html  # 60 approved + 30 waiting
    assert 'data-approved="60"' in html
    assert html.count("data-entry-id=") == 2
    assert "/static/performance/worklog.js" in html


def test_the_plain_form_logs_an_entry_once(perf_a):
    client = as_(perf_a)
    first = client.post(page(perf_a, "log"), form(perf_a))
    assert first.status_code == 302
    again = client.post(page(perf_a, "log"), form(perf_a))  # a double click
    assert again.status_code == 302
    with region_scope(perf_a.region):
        assert Entry.objects.filter(region=perf_a.region).count() == 1


def test_a_refusal_is_shown_at_its_field_and_nothing_is_saved(perf_a):
    response = as_(perf_a).post(page(perf_a, "log"), form(perf_a, quantity=3))
    assert response.status_code == 422
    assert b"do not fit in 60 minutes" in response.content
    assert b'id="id_quantity_error"' in response.content
    with region_scope(perf_a.region):
        assert not Entry.objects.filter(region=perf_a.region).exists()


def test_the_author_withdraws_from_the_day(perf_a):
    with region_scope(perf_a.region):
        mine = entry_make(perf_a, day=TODAY)
        theirs = entry_make(perf_a, "peer", day=TODAY)
    client = as_(perf_a)
    assert (
        client.post(page(perf_a, "log"), {"form": "withdraw", "entry": theirs.pk}).status_code
        == 404
    )
    client.post(page(perf_a, "log"), {"form": "withdraw", "entry": mine.pk})
    with region_scope(perf_a.region):
        assert Entry.objects.get(pk=mine.pk).state == WITHDRAWN
        assert Entry.objects.get(pk=theirs.pk).state == SUBMITTED


def test_the_month_has_its_totals_and_filters(perf_a):
    with region_scope(perf_a.region):
        entry_make(perf_a, day=TODAY, state=APPROVED)  # 60
        entry_make(perf_a, day=dt.date(2026, 2, 10), state=REJECTED)  # 60
        entry_make(perf_a, day=dt.date(2026, 2, 9), quantity=1)  # 30 waiting
        entry_make(perf_a, day=dt.date(2026, 1, 9), state=APPROVED)  # another month
    client = as_(perf_a)
    html = client.get(page(perf_a, "entries"), {"month": "2026-02"}).content.decode()
    assert 'data-approved="60" data-waiting="30" data-rejected="60"' in html
    assert html.count("<tr data-entry-id=") == 3
    only = client.get(page(perf_a, "entries"), {"month": "2026-02", "state": "rejected"})
    assert only.content.decode().count("<tr data-entry-id=") == 1


def test_someone_outside_the_registry_has_no_day(perf_a):
    assert as_(perf_a, Role.AUDITOR.value).get(page(perf_a, "log")).status_code == 403


def test_a_proposal_from_the_page_waits_for_the_curator_who_accepts_it(perf_a):
    proposal = {
        "form": "propose", "propose-name_id": "Menyusun notula", "propose-name_en": "Minutes",
        "propose-output_unit_id": "notula", "propose-output_unit_en": "minutes",
        "propose-standard_minutes": 45, "propose-positions": "Analis Perizinan\n",
    }  # fmt: skip
    assert as_(perf_a).post(page(perf_a, "activities"), proposal).status_code == 302
    with region_scope(perf_a.region):
        made = Activity.objects.get(region=perf_a.region, name_id="Menyusun notula")
    assert made.state == PROPOSED
    assert made.positions == ["Analis Perizinan"]
    head = as_(perf_a, "head")
    queue = head.get(page(perf_a, "activities")).content.decode()
    assert f'data-proposal-id="{made.pk}"' in queue
    head.post(page(perf_a, "activities"), {"form": "accept", "activity": made.pk})
    with region_scope(perf_a.region):
        assert Activity.objects.get(pk=made.pk).state == APPROVED


def test_the_admin_adds_and_edits_an_activity(perf_a):
    admin = as_(perf_a, Role.REGION_ADMIN.value)
    bad = admin.post(page(perf_a, "activities"), {"form": "create", "create-name_id": "X"})
    assert bad.status_code == 422
    pk = perf_a.activities["letter"].pk
    edit = {
        "name_id": "Menyusun konsep surat", "name_en": "Draft a letter", "output_unit_id": "surat",
        "output_unit_en": "letter", "standard_minutes": 40, "positions": "",
    }  # fmt: skip
    assert admin.post(f"{page(perf_a, 'activities')}{pk}/", edit).status_code == 302
    with region_scope(perf_a.region):
        assert Activity.objects.get(pk=pk).standard_minutes == 40
    assert as_(perf_a).get(f"{page(perf_a, 'activities')}{pk}/").status_code == 403
