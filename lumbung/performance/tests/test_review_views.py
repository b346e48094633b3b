"""The review pages: the queue grouped by person and day with its bulk approvals, one
entry's review page with its refusals at their fields, the administrator's list of entries
stuck at the top, and another region's entries as 404s."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from lumbung.core.models import User
from lumbung.core.tenancy import region_scope

from ..models import Entry
from ..workflow import APPROVED, REJECTED, SUBMITTED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def url(perf: PerfWorld, name: str, *args: Any) -> str:
    return reverse(f"core:performance:{name}", args=[perf.region.slug, *args])


def make(perf: PerfWorld, who: str = "staff", **options: Any) -> Entry:
    with region_scope(perf.region):
        return entry_make(perf, who, **{"day": DAY, **options})


def states(perf: PerfWorld, *entries: Entry) -> list[str]:
    with region_scope(perf.region):
        found = dict(Entry.objects.values_list("pk", "state"))
    return [found[e.pk] for e in entries]


def test_the_queue_shows_each_persons_day(
    english: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    make(perf_a, "staff")
    with region_scope(perf_a.region):
        Entry.objects.filter(region=perf_a.region).update(note="Surat izin PT Maju")
    make(perf_a, "peer", activity="meeting")
    make(perf_b, "staff")
    page = signed_in(english, perf_a.user("kabid")).get(url(perf_a, "approvals"))
    body = page.content.decode()
    assert page.status_code == 200
    assert perf_a.people["staff"].name in body
    assert perf_a.people["peer"].name in body
    assert "Surat izin PT Maju" in body
    assert "Approve this whole day" in body
    assert perf_b.people["staff"].name not in body
    assert perf_a.people["staff"].nip not in body  # the queue needs no NIP
    filtered = english.get(url(perf_a, "approvals"), {"person": perf_a.people["peer"].pk})
    shown = filtered.content.decode()
    assert f'data-employee="{perf_a.people["peer"].pk}"' in shown
    assert f'data-employee="{perf_a.people["staff"].pk}"' not in shown


def test_someone_who_reviews_nobody_sees_an_empty_queue(english: Client, perf_a: PerfWorld) -> None:
    make(perf_a, "staff")
    page = signed_in(english, perf_a.user("peer")).get(url(perf_a, "approvals"))
    assert page.status_code == 200
    assert "Nothing waits for your review." in page.content.decode()
    admin = signed_in(english, perf_a.admin).get(url(perf_a, "approvals"))
    assert "not in this region's staff registry" in admin.content.decode()


def test_approving_a_day_and_a_selection_from_the_queue(english: Client, perf_a: PerfWorld) -> None:
    a, b = make(perf_a, "staff"), make(perf_a, "staff", start=dt.time(10), end=dt.time(11))
    p1, p2 = make(perf_a, "peer"), make(perf_a, "peer", start=dt.time(10), end=dt.time(11))
    client = signed_in(english, perf_a.user("kabid"))
    day = client.post(url(perf_a, "approvals"), {"day": f"{perf_a.people['staff'].pk}:{DAY}"})
    assert day.status_code == 302
    assert states(perf_a, a, b, p1, p2) == [APPROVED, APPROVED, SUBMITTED, SUBMITTED]
    chosen = client.post(url(perf_a, "approvals"), {"entries": [p2.pk]}, follow=True)
    assert "1 entry approved." in chosen.content.decode()
    assert states(perf_a, p1, p2) == [SUBMITTED, APPROVED]


def test_bulk_refusals_are_shown_and_move_nothing(
    english: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    mine, theirs = make(perf_a, "staff"), make(perf_b, "staff")
    client = signed_in(english, perf_a.user("kabid"))
    empty = client.post(url(perf_a, "approvals"), {})
    assert empty.status_code == 422
    assert "Choose at least one entry." in empty.content.decode()
    foreign = client.post(url(perf_a, "approvals"), {"entries": [mine.pk, theirs.pk]})
    assert foreign.status_code == 404
    peers = signed_in(english, perf_a.user("peer")).post(
        url(perf_a, "approvals"), {"entries": [mine.pk]}
    )
    assert peers.status_code == 403
    assert "not waiting for your review" in peers.content.decode()
    assert states(perf_a, mine) == [SUBMITTED]
    assert states(perf_b, theirs) == [SUBMITTED]


def test_the_entry_page_takes_each_action_with_its_errors_at_the_field(
    english: Client, perf_a: PerfWorld
) -> None:
    entry = make(perf_a, "staff", quantity=2)
    client = signed_in(english, perf_a.user("kabid"))
    page = client.get(url(perf_a, "approval", entry.pk))
    assert page.status_code == 200
    assert "Approve a smaller quantity" in page.content.decode()
    bigger = client.post(
        url(perf_a, "approval", entry.pk),
        {"action": "adjust", "adjust-quantity": 2, "adjust-reason": "x"},
    )
    assert bigger.status_code == 422
    assert "less than claimed" in bigger.content.decode()
    no_reason = client.post(url(perf_a, "approval", entry.pk), {"action": "reject"})
    assert no_reason.status_code == 422
    assert "This field is required." in no_reason.content.decode()
    assert states(perf_a, entry) == [SUBMITTED]
    done = client.post(
        url(perf_a, "approval", entry.pk),
        {"action": "reject", "reject-reason": "Bukan kegiatan hari itu"},
    )
    assert done.status_code == 302
    assert states(perf_a, entry) == [REJECTED]
    again = client.post(url(perf_a, "approval", entry.pk), {"action": "approve"}, follow=True)
    assert again.status_code == 409
    assert "already reviewed" in again.content.decode()


def test_the_entry_page_is_the_reviewers_and_404_across_regions(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    mine, theirs = make(perf_a, "staff"), make(perf_b, "staff")
    assert (
        signed_in(client, perf_a.user("peer")).get(url(perf_a, "approval", mine.pk)).status_code
        == 403
    )
    kabid = signed_in(client, perf_a.user("kabid"))
    assert kabid.get(url(perf_a, "approval", theirs.pk)).status_code == 404
    posted = kabid.post(url(perf_a, "approval", theirs.pk), {"action": "approve"})
    assert posted.status_code == 404
    assert states(perf_b, theirs) == [SUBMITTED]


def test_the_administrator_sees_entries_stuck_at_the_top(
    english: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    stuck = make(perf_a, "kabid")  # head reviews it, and head has no supervisor
    fine = make(perf_a, "peer")
    with region_scope(perf_a.region):
        Entry.objects.filter(pk__in=[stuck.pk, fine.pk]).update(
            due_at=timezone.now() - dt.timedelta(days=2), note="Lewat tenggat"
        )
    page = signed_in(english, perf_a.admin).get(url(perf_a, "approvals_stuck"))
    body = page.content.decode()
    assert page.status_code == 200
    assert perf_a.people["kabid"].name in body
    assert perf_a.people["peer"].name not in body  # kabid is above peer: it can escalate
    assert (
        signed_in(english, perf_a.user("kabid")).get(url(perf_a, "approvals_stuck")).status_code
        == 403
    )
