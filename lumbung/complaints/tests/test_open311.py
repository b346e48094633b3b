"""Open311 GeoReport v2 reads: every endpoint in JSON and in the specification's XML shape,
the filters, the status mapping, and the tenant wall (an unknown jurisdiction, another
region's ticket, private reports). Filing is in test_open311_create.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope

from ..models import Category, Complaint
from ..open311 import payloads
from ..services import report_answer, report_transition
from .factories import file_report, png, reload
from .open311_helpers import BASE, REQUEST_FIELDS, error_codes, get, xml

pytestmark = pytest.mark.django_db


def staff(world: Any) -> Any:
    return world.users[Role.OFFICER]


def move(world: Any, complaint: Complaint, action: str, note: str = "") -> Complaint:
    with region_scope(world.region):
        return report_transition(
            region=world.region,
            actor=staff(world),
            complaint=reload(complaint),
            action=action,
            note=note,
        )


# --- discovery and services --------------------------------------------------------------


def test_discovery_in_json_and_xml(client):
    data = get(client, "discovery.json", None).json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(get(client, "discovery.xml", None))
    assert root.tag == "discovery"
    endpoint_xml = root.find("endpoints/endpoint")
    assert endpoint_xml is not None
    assert endpoint_xml.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint_xml.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_regions_active_categories(client, cworld_a):
    region = cworld_a.region
    with region_scope(region):
        Category.objects.filter(region=region, code="sampah").update(is_active=False)
        codes = set(
            Category.objects.filter(region=region, is_active=True).values_list("code", flat=True)
        )
    rows = get(client, "services.json", region).json()
    assert {r["service_code"] for r in rows} == codes
    road = next(r for r in rows if r["service_code"] == "jalan-rusak")
    assert road["service_name"] == "Jalan rusak atau berlubang"  # Indonesian by default
    assert road["metadata"] is False
    assert road["type"] == "realtime"
    assert {"description", "keywords", "group"} <= set(road)
    root = xml(get(client, "services.xml", region))
    assert root.tag == "services"
    assert {s.tag for s in root} == {"service"}
    assert {c.tag for c in root[0]} == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert root[0].findtext("metadata") == "false"


def test_english_when_the_client_asks_for_it(client, cworld_a):
    response = client.get(
        BASE + "services.json",
        {"jurisdiction_id": cworld_a.region.slug},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    names = {r["service_code"]: r["service_name"] for r in response.json()}
    assert names["jalan-rusak"] == "Damaged road or pothole"
    assert response["Content-Language"] == "en"


def test_service_definition_has_no_attributes(client, cworld_a):
    region = cworld_a.region
    assert get(client, "services/jalan-rusak.json", region).json() == {
        "service_code": "jalan-rusak",
        "attributes": [],
    }
    root = xml(get(client, "services/jalan-rusak.xml", region))
    assert root.tag == "service_definition"
    assert [c.tag for c in root] == ["service_code", "attributes"]
    missing = get(client, "services/no-such.xml", region)
    assert missing.status_code == 404
    assert error_codes(missing) == [404]


# --- jurisdiction ------------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["services.json", "requests.json", "services.xml"])
def test_jurisdiction_missing_is_400_and_unknown_is_404(client, cworld_a, resource):
    missing = client.get(BASE + resource)
    assert missing.status_code == 400
    assert error_codes(missing) == [400]
    unknown = client.get(BASE + resource, {"jurisdiction_id": "no-such-region"})
    assert unknown.status_code == 404
    assert error_codes(unknown) == [404]


def test_a_region_with_complaints_switched_off_is_not_a_jurisdiction(client, cworld_a):
    region = cworld_a.region
    with region_scope(region):
        region_modules_set(region=region, actor=None, disable=["complaints"])
    response = get(client, "services.json", region)
    assert response.status_code == 404
    assert error_codes(response) == [404]


def test_unknown_resource_and_wrong_method_answer_in_open311_format(client, cworld_a):
    unknown = client.get(BASE + "whatever.xml")
    assert unknown.status_code == 404
    assert error_codes(unknown) == [404]
    wrong = client.post(BASE + "services.json", {"jurisdiction_id": cworld_a.region.slug})
    assert wrong.status_code == 405
    assert wrong["Allow"] == "GET, HEAD"
    assert error_codes(wrong) == [405]


# --- reading requests --------------------------------------------------------------------


def test_a_request_in_json_and_xml(client, cworld_a):
    region = cworld_a.region
    complaint = file_report(region, location_text="Jl. Asia Afrika").complaint
    rows = get(client, f"requests/{complaint.ticket}.json", region).json()
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == REQUEST_FIELDS
    assert row["service_request_id"] == complaint.ticket
    assert row["status"] == "open"
    assert row["service_code"] == "jalan-rusak"
    assert row["agency_responsible"] == cworld_a.unit.name
    assert row["address"] == "Jl. Asia Afrika"
    assert (row["lat"], row["long"]) == (-6.9218, 107.607)  # the Bandung test point
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == complaint.created_at.replace(
        microsecond=0
    )
    assert complaint.due_at is not None
    expected = dt.datetime.fromisoformat(row["expected_datetime"])
    assert expected == complaint.due_at.replace(microsecond=0)
    assert expected.utcoffset() == dt.timedelta(hours=7)  # the region's own WIB
    assert row["service_notice"]
    assert row["media_url"] is None
    root = xml(get(client, f"requests/{complaint.ticket}.xml", region))
    assert root.tag == "service_requests"
    assert [r.tag for r in root] == ["request"]
    assert {c.tag for c in root[0]} == REQUEST_FIELDS
    assert root[0].findtext("status") == "open"
    assert root[0].findtext("service_request_id") == complaint.ticket


def test_personal_data_is_never_shown(client, cworld_a):
    complaint = file_report(
        cworld_a.region,
        contact_name="Siti Rahayu",
        contact_email="siti@example.test",
        contact_phone="081234567890",
    ).complaint
    for fmt in ("json", "xml"):
        body = get(client, f"requests/{complaint.ticket}.{fmt}", cworld_a.region).content
        for secret in (b"Siti", b"siti@example.test", b"81234567890"):
            assert secret not in body


def test_statuses_map_onto_open_and_closed_and_notes_are_public_ones(client, cworld_a):
    region = cworld_a.region
    complaint = file_report(region).complaint
    move(cworld_a, complaint, "verify")
    with region_scope(region):
        report_answer(
            region=region, actor=staff(cworld_a), complaint=reload(complaint), body="Dicek besok"
        )
        report_answer(
            region=region,
            actor=staff(cworld_a),
            complaint=reload(complaint),
            body="catatan internal",
            public=False,
        )
    row = get(client, f"requests/{complaint.ticket}.json", region).json()[0]
    assert row["status"] == "open"
    assert row["status_notes"] == "Dicek besok"
    move(cworld_a, complaint, "resolve", "Sudah ditambal")
    row = get(client, f"requests/{complaint.ticket}.json", region).json()[0]
    assert row["status"] == "closed"  # resolved, awaiting the reporter: closed to Open311
    assert row["status_notes"] == "Sudah ditambal"
    assert row["expected_datetime"] is None
    assert dt.datetime.fromisoformat(row["updated_datetime"]) == reload(
        complaint
    ).updated_at.replace(microsecond=0)


def test_list_filters(client, cworld_a):
    region = cworld_a.region
    road = file_report(region).complaint
    light = file_report(region, category="lampu-jalan").complaint
    done = file_report(region, category="lampu-jalan").complaint
    move(cworld_a, done, "verify")
    move(cworld_a, done, "resolve", "Sudah menyala")

    def tickets(**params: Any) -> list[str]:
        response = get(client, "requests.json", region, **params)
        assert response.status_code == 200
        return [r["service_request_id"] for r in response.json()]

    assert tickets() == [done.ticket, light.ticket, road.ticket]  # newest first
    assert tickets(service_code="lampu-jalan") == [done.ticket, light.ticket]
    assert tickets(status="open") == [light.ticket, road.ticket]
    assert tickets(status="closed") == [done.ticket]
    assert tickets(status="open,closed") == [done.ticket, light.ticket, road.ticket]
    both = f"{road.ticket},{done.ticket}"
    # service_request_id overrides every other filter
    assert tickets(service_request_id=both, status="open") == [done.ticket, road.ticket]
    now = timezone.now()
    later = (now + dt.timedelta(days=1)).isoformat()
    assert tickets(start_date=later) == []
    assert len(tickets(start_date=(now - dt.timedelta(days=1)).isoformat(), end_date=later)) == 3
    assert tickets(end_date=(now - dt.timedelta(days=1)).isoformat()) == []


def test_old_reports_fall_outside_the_default_ninety_days(client, cworld_a):
    region = cworld_a.region
    old = file_report(region).complaint
    with region_scope(region):
        Complaint.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - dt.timedelta(days=120)
        )
    assert get(client, "requests.json", region).json() == []
    start = (timezone.now() - dt.timedelta(days=125)).date().isoformat()
    found = get(client, "requests.json", region, start_date=start).json()
    assert [r["service_request_id"] for r in found] == [old.ticket]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-06-01T00:00:00+07:00"},
        {"start_date": "2026-02-01", "end_date": "2026-01-01"},
    ],
)
def test_bad_filters_are_400(client, cworld_a, params):
    response = get(client, "requests.xml", cworld_a.region, **params)
    assert response.status_code == 400
    assert error_codes(response) == [400]


def test_private_and_spam_reports_are_neither_listed_nor_shown(client, cworld_a):
    region = cworld_a.region
    private = file_report(region, is_public=False).complaint
    spam = file_report(region).complaint
    move(cworld_a, spam, "reject", "Bukan pengaduan")
    shown = file_report(region).complaint
    listed = [r["service_request_id"] for r in get(client, "requests.json", region).json()]
    assert listed == [shown.ticket]
    for hidden in (private, spam):
        for resource in (f"requests/{hidden.ticket}.json", f"tokens/{hidden.ticket}.xml"):
            response = get(client, resource, region)
            assert response.status_code == 404
            assert error_codes(response) == [404]
        by_id = get(client, "requests.json", region, service_request_id=hidden.ticket)
        assert by_id.json() == []


def test_another_regions_ticket_is_404_and_never_listed(client, cworld_a, cworld_b):
    theirs = file_report(cworld_b.region, description="Laporan rahasia Tangerang").complaint
    mine = file_report(cworld_a.region).complaint
    for resource in (f"requests/{theirs.ticket}.json", f"tokens/{theirs.ticket}.json"):
        response = get(client, resource, cworld_a.region)
        assert response.status_code == 404
    both = f"{theirs.ticket},{mine.ticket}"
    listed = get(client, "requests.json", cworld_a.region, service_request_id=both)
    assert [r["service_request_id"] for r in listed.json()] == [mine.ticket]
    assert b"Tangerang" not in get(client, "requests.xml", cworld_a.region).content


def test_token_is_the_ticket(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    assert get(client, f"tokens/{complaint.ticket}.json", cworld_a.region).json() == [
        {"service_request_id": complaint.ticket, "token": complaint.ticket}
    ]
    root = xml(get(client, f"tokens/{complaint.ticket}.xml", cworld_a.region))
    assert root.tag == "service_requests"
    assert [c.tag for c in root[0]] == ["service_request_id", "token"]


def test_media_url_is_the_first_public_photo(client, cworld_a, monkeypatch):
    def photo_path(name: str, kwargs: dict[str, Any]) -> str:
        assert name == "core:complaints:photo"
        return f"/{kwargs['region_slug']}/complaints/photos/{kwargs['pk']}/"

    monkeypatch.setattr(payloads, "reverse", photo_path)
    region = cworld_a.region
    with_photo = file_report(region, photos=[png(), png("second.png")]).complaint
    without = file_report(region).complaint
    with region_scope(region):
        first = with_photo.photos.order_by("created_at", "id").first()
        report_answer(
            region=region,
            actor=staff(cworld_a),
            complaint=reload(without),
            body="foto internal",
            public=False,
            photos=[png()],
        )
    assert first is not None
    rows = {r["service_request_id"]: r for r in get(client, "requests.json", region).json()}
    url = rows[with_photo.ticket]["media_url"]
    assert url.startswith("http")
    assert url.endswith(f"/{region.slug}/complaints/photos/{first.pk}/")
    assert rows[without.ticket]["media_url"] is None  # an internal note's photo is not public


def test_the_list_costs_the_same_queries_at_any_length(client, cworld_a, settings):
    settings.LUMBUNG_COMPLAINT_FILING_LIMITS = {}
    region = cworld_a.region
    one_of_each_class = ("jalan-rusak", "lampu-jalan", "sampah", "fasilitas-umum")
    for category in one_of_each_class:
        file_report(region, category=category)
    with CaptureQueriesContext(connection) as few:
        get(client, "requests.json", region)
    for category in one_of_each_class * 3:
        file_report(region, category=category)
    with CaptureQueriesContext(connection) as many:
        rows = get(client, "requests.json", region).json()
    assert len(rows) == 16
    assert len(many) == len(few)
