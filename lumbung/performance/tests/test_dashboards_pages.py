"""The dashboards' pages and API: who opens which, the figures they show, the CSV and JSON of
their tables, a bad month on its field, another region's ids a 404."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lumbung.core.models import User
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..workflow import APPROVED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db
MONTH = "2026-09"
DAY = dt.date(2026, 9, 1)


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def page(perf: PerfWorld, name: str, *args: object) -> str:
    return reverse(f"core:performance:{name}", args=[perf.region.slug, *args])


def api(perf: PerfWorld, path: str) -> str:
    return f"/api/v1/regions/{perf.region.slug}/performance{path}"


def as_user(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def month_data(perf_a: PerfWorld) -> PerfWorld:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=DAY, quantity=200, state=APPROVED)
        entry_make(perf_a, "outsider", day=DAY, quantity=10, state=APPROVED)
        entry_make(perf_a, "peer", day=DAY, quantity=2)
    return perf_a


def test_the_dashboard_shows_each_unit_a_chart_and_the_queues(
    english: Client, month_data: PerfWorld
) -> None:
    response = as_user(english, month_data.auditor).get(
        page(month_data, "dashboard"), {"month": MONTH}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-unit="{month_data.world.unit.pk}"' in body
    assert f'data-unit="{month_data.world.other_unit.pk}"' in body
    assert 'id="units-chart" type="application/json"' in body
    assert '<canvas data-chart="trend-chart"' in body
    assert month_data.people["kabid"].name in body  # the supervisor peer's entry waits on
    assert "<script>" not in body  # charts draw from JSON, no inline script (CSP)


def test_a_unit_head_sees_their_unit_and_its_people_only(
    client: Client, month_data: PerfWorld
) -> None:
    head = month_data.world.users[Role.UNIT_HEAD]
    body = (
        as_user(client, head).get(page(month_data, "dashboard"), {"month": MONTH}).content.decode()
    )
    assert f'data-unit="{month_data.world.unit.pk}"' in body
    assert f'data-unit="{month_data.world.other_unit.pk}"' not in body
    unit = client.get(page(month_data, "unit", month_data.world.unit.pk), {"month": MONTH})
    assert f'data-person="{month_data.people["staff"].pk}"' in unit.content.decode()
    other = client.get(page(month_data, "unit", month_data.world.other_unit.pk))
    assert other.status_code == 403


def test_staff_without_a_dashboard_role_get_403(client: Client, month_data: PerfWorld) -> None:
    as_user(client, month_data.user("peer"))
    assert client.get(page(month_data, "dashboard")).status_code == 403
    assert client.get(page(month_data, "anomalies")).status_code == 403
    assert client.get(api(month_data, "/dashboard")).status_code == 403


def test_the_head_of_region_sees_a_units_figures_but_no_names(
    client: Client, month_data: PerfWorld
) -> None:
    from lumbung.core.services.people import membership_grant
    from lumbung.core.tests.factories import UserFactory

    boss = UserFactory.create(email="walikota@example.test")
    with region_scope(month_data.region):
        membership_grant(region=month_data.region, actor=None, user=boss, role=Role.REGION_HEAD)
    body = (
        as_user(client, boss)
        .get(page(month_data, "unit", month_data.world.unit.pk), {"month": MONTH})
        .content.decode()
    )
    assert "data-people-hidden" in body
    assert month_data.people["staff"].name not in body
    person = client.get(page(month_data, "person-month", month_data.people["staff"].pk))
    assert person.status_code == 403
    detail = client.get(
        api(month_data, f"/dashboard/units/{month_data.world.unit.pk}"), {"month": MONTH}
    )
    assert detail.json()["people_shown"] is False
    assert detail.json()["people"] == []
    assert detail.json()["figures"]["people"] == 4


def test_a_supervisor_drills_into_their_staffs_month(client: Client, month_data: PerfWorld) -> None:
    staff = month_data.people["staff"]
    as_user(client, month_data.user("kabid"))
    body = client.get(page(month_data, "person-month", staff.pk), {"month": MONTH}).content.decode()
    assert 'data-count="approved">6000<' in body
    data = client.get(api(month_data, f"/dashboard/people/{staff.pk}"), {"month": MONTH}).json()
    assert (data["approved_minutes"], data["days"][0]["approved_minutes"]) == (6000, 6000)
    as_user(client, month_data.user("peer"))
    assert client.get(page(month_data, "person-month", staff.pk)).status_code == 403
    assert client.get(api(month_data, f"/dashboard/people/{staff.pk}")).status_code == 403


def test_the_units_csv_and_json_agree(client: Client, month_data: PerfWorld) -> None:
    as_user(client, month_data.admin)
    response = client.get(page(month_data, "dashboard-csv"), {"month": MONTH, "table": "units"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    data = client.get(api(month_data, "/dashboard"), {"month": MONTH}).json()
    by_unit = {int(r["unit_id"]): r for r in rows}
    for item in data["items"]:
        assert int(by_unit[item["id"]]["approved_minutes"]) == item["approved_minutes"]
    office = next(i for i in data["items"] if i["id"] == month_data.world.unit.pk)
    assert (office["people"], office["approved_minutes"], office["reached_target"]) == (4, 6000, 1)
    assert office["reached_share"] == "0.25"
    assert data["yardstick"]["target_minutes"] == 6000
    assert data["months"][-1] == MONTH
    pending = client.get(page(month_data, "dashboard-csv"), {"month": MONTH, "table": "pending"})
    assert month_data.people["kabid"].name in pending.content.decode()
    people = client.get(page(month_data, "unit-csv", month_data.world.unit.pk), {"month": MONTH})
    assert month_data.people["staff"].nip in people.content.decode()


def test_a_bad_month_is_an_error_on_its_field(english: Client, month_data: PerfWorld) -> None:
    as_user(english, month_data.admin)
    body = english.get(page(month_data, "dashboard"), {"month": "2026-13"}).content.decode()
    assert 'class="field-error" id="month-error">Give the month as YYYY-MM' in body
    response = english.get(api(month_data, "/dashboard"), {"month": "2026-13"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "month" in response.json()["errors"]
    future = english.get(api(month_data, "/anomalies"), {"month": "2999-01"})
    assert future.status_code == 422


def test_another_regions_unit_and_person_are_404(
    client: Client, month_data: PerfWorld, perf_b: PerfWorld
) -> None:
    as_user(client, month_data.admin)
    assert client.get(page(month_data, "unit", perf_b.world.unit.pk)).status_code == 404
    assert (
        client.get(page(month_data, "person-month", perf_b.people["staff"].pk)).status_code == 404
    )
    response = client.get(api(month_data, f"/dashboard/people/{perf_b.people['staff'].pk}"))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get(api(month_data, f"/dashboard/units/{2**63}")).status_code == 404


def test_the_anomalies_page_explains_and_links_each_finding(
    english: Client, month_data: PerfWorld
) -> None:
    from ..models import Entry

    with region_scope(month_data.region):
        made = [entry_make(month_data, "staff", day=DAY + dt.timedelta(days=n)) for n in range(5)]
        Entry.objects.filter(pk__in=[e.pk for e in made]).update(
            note="Menyusun laporan harian bidang"
        )
    as_user(english, month_data.auditor)
    body = english.get(page(month_data, "anomalies"), {"month": MONTH}).content.decode()
    assert "logged the same entry" in body
    link = page(month_data, "person-month", month_data.people["staff"].pk)
    assert f"{link}?month={MONTH}#entry-{made[0].pk}" in body
    data = english.get(api(month_data, "/anomalies"), {"month": MONTH}).json()
    assert data["count"] == 1
    assert data["items"][0]["kind"] == "copied_entries"
    assert [e["id"] for e in data["items"][0]["entries"]] == [e.pk for e in made]
    as_user(english, month_data.world.users[Role.UNIT_HEAD])
    assert english.get(api(month_data, "/anomalies")).status_code == 403
    assert (
        json.loads(english.get(api(month_data, "/anomalies")).content)["code"]
        == "permission_denied"
    )
