"""The module's public figures: the page, its CSV and JSON twins, and a province's view of
its kabupaten and kota side by side."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_add
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import ComplaintPhoto
from ..services import report_answer
from .factories import file_report, png
from .test_views_public import _resolve, url

pytestmark = pytest.mark.django_db


def _stats_fixture(world: RegionWorld) -> None:
    region = world.region
    file_report(region)
    file_report(region, is_public=False)
    _resolve(world, file_report(region).complaint)


def test_stats_csv_and_json_agree_with_the_page(client, cworld_a):
    region = cworld_a.region
    _stats_fixture(cworld_a)

    page = client.get(url("stats", region))
    data = json.loads(client.get(url("stats-json", region)).content)
    rows = list(csv.DictReader(io.StringIO(client.get(url("stats-csv", region)).content.decode())))

    assert page.status_code == 200
    assert page.context["total"]["stats"].received == 3
    assert (data["received"], data["open"], data["resolved"]) == (3, 3, 1)
    assert data["on_time_share"] == 1.0
    assert sum(u["received"] for u in data["units"]) == 3
    assert sum(m["received"] for m in data["months"]) == 3
    region_row = next(r for r in rows if r["scope"] == "region")
    assert (region_row["received"], region_row["resolved"]) == ("3", "1")
    assert sum(int(r["received"]) for r in rows if r["scope"] == "unit") == 3
    assert sum(int(r["received"]) for r in rows if r["scope"] == "month") == 3
    future = json.loads(client.get(url("stats-json", region), {"since": "2999-01-01"}).content)
    assert future["received"] == 0


def test_stats_csv_cells_never_start_a_formula(client, cworld_a):
    region = cworld_a.region
    cworld_a.unit.short_name = "=HYPERLINK(1)"
    with region_scope(region):
        cworld_a.unit.save(update_fields=["short_name"])
    file_report(region)

    text = client.get(url("stats-csv", region)).content.decode()

    assert "'=HYPERLINK(1)" in text
    assert ",=HYPERLINK" not in text


def test_a_province_sees_its_kabupaten_and_kota_side_by_side(client, cworld_a, cworld_b):
    # given Jawa Barat running the module, and Kota Bandung (its kota) with reports
    _stats_fixture(cworld_a)
    file_report(cworld_b.region)  # Banten's Kota Tangerang: not Jawa Barat's
    province = region_add(code="32", actor=None, modules=["complaints"])

    page = client.get(url("stats", province))
    data = json.loads(client.get(url("stats-json", province)).content)

    assert page.status_code == 200
    assert [row["stats"].label for row in page.context["children"]] == [cworld_a.region.title]
    assert [(c["key"], c["received"]) for c in data["kabupaten_kota"]] == [
        (cworld_a.region.slug, 3)
    ]
    assert data["received"] == 0  # the province's own reports
    assert client.get(url("index", province)).status_code == 200
    assert client.get(url("file", province)).status_code == 200


def test_a_photo_of_an_internal_note_is_for_staff_only(client, cworld_a):
    # given a public report whose officer attached a photo to an internal note
    region, officer = cworld_a.region, cworld_a.users[Role.OFFICER]
    filed = file_report(region)
    with region_scope(region):
        note = report_answer(
            region=region,
            actor=officer,
            complaint=filed.complaint,
            body="Foto lokasi untuk tim",
            public=False,
            photos=[png()],
        )
        photo = ComplaintPhoto.objects.get(update=note)
    photo_url = reverse(
        "core:complaints:photo", kwargs={"region_slug": region.slug, "pk": photo.pk}
    )
    # then the public and the reporter's key get a 404, and the tracking page does not show it
    assert client.get(photo_url).status_code == 404
    track = reverse(
        "core:complaints:track",
        kwargs={"region_slug": region.slug, "ticket": filed.complaint.ticket},
    )
    page = client.get(track, {"key": filed.secret})
    assert photo_url not in page.content.decode()
    assert client.get(photo_url).status_code == 404
    # while staff see it
    assert login(type(client)(), officer).get(photo_url).status_code == 200
