"""Open311 GeoReport v2 filing: POST requests with a region's api_key, its answer in JSON
and XML, and every refusal (no key, a revoked or another region's key, no location, bad
fields) answered in the specification's error format with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from lumbung.core.models import AuditEvent, Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Complaint, Open311Client, Source
from ..services import client_revoke
from .open311_helpers import BASE, error_codes, get, issue_key, xml

pytestmark = pytest.mark.django_db


def post(client: Client, region: Region, fmt: str = "json", **fields: Any) -> Any:
    fields.setdefault("jurisdiction_id", region.slug)
    return client.post(f"{BASE}requests.{fmt}", fields)


def report(key: str, **fields: Any) -> dict[str, Any]:
    return {
        "api_key": key,
        "service_code": "jalan-rusak",
        "lat": "-6.9218",
        "long": "107.607",
        "description": "Lubang besar di depan pasar, bahaya untuk motor",
        **fields,
    }


def count(region: Region) -> int:
    with region_scope(region):
        return Complaint.objects.filter(region=region).count()


def test_filing_with_a_key_gives_the_ticket_at_once(cworld_a):
    region = cworld_a.region
    key = issue_key(region)
    csrf_checked = Client(enforce_csrf_checks=True)  # outside clients send no CSRF token
    response = post(
        csrf_checked,
        region,
        **report(key, email="warga@example.test", first_name="Siti", last_name="Rahayu"),
    )
    assert response.status_code == 200
    answer = response.json()
    assert len(answer) == 1
    assert set(answer[0]) == {"service_request_id", "service_notice", "account_id"}
    ticket = answer[0]["service_request_id"]
    with region_scope(region):
        complaint = Complaint.objects.get(region=region, ticket=ticket)
        assert complaint.source == Source.OPEN311
        assert complaint.client == Open311Client.objects.get(region=region)
        assert complaint.contact_name == "Siti Rahayu"
        assert complaint.contact_email == "warga@example.test"
        assert complaint.reporter is None
        event = AuditEvent.objects.get(region=region, action="complaints.file")
        assert event.changes["source"] == Source.OPEN311
    shown = get(csrf_checked, f"requests/{ticket}.json", region).json()[0]
    assert shown["status"] == "open"


def test_filing_answers_in_xml(client, cworld_a):
    key = issue_key(cworld_a.region)
    response = post(client, cworld_a.region, "xml", **report(key))
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    assert [c.tag for c in root[0]] == ["service_request_id", "service_notice", "account_id"]
    assert (root[0].findtext("service_request_id") or "").startswith("LAKSA-")


def test_an_address_is_enough_as_a_location(client, cworld_a):
    key = issue_key(cworld_a.region)
    fields = report(key, address_string="Jl. Merdeka 5, depan sekolah")
    del fields["lat"], fields["long"]
    response = post(client, cworld_a.region, **fields)
    assert response.status_code == 200
    row = get(client, f"requests/{response.json()[0]['service_request_id']}.json", cworld_a.region)
    assert row.json()[0]["address"] == "Jl. Merdeka 5, depan sekolah"
    assert row.json()[0]["lat"] is None


def test_a_private_category_files_a_report_that_open311_does_not_show(client, cworld_a):
    key = issue_key(cworld_a.region)
    response = post(client, cworld_a.region, **report(key, service_code="pungli"))
    assert response.status_code == 200
    ticket = response.json()[0]["service_request_id"]
    assert get(client, f"requests/{ticket}.json", cworld_a.region).status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_key_or_a_wrong_key_is_403(client, cworld_a, fmt):
    region = cworld_a.region
    for key in ("", "o311_not-a-key"):
        response = post(client, region, fmt, **report(key))
        assert response.status_code == 403
        assert error_codes(response) == [403]
    assert count(region) == 0


def test_a_revoked_key_and_another_regions_key_are_403(client, cworld_a, cworld_b):
    region = cworld_a.region
    key = issue_key(region)
    with region_scope(region):
        held = Open311Client.objects.get(region=region)
        client_revoke(region=region, actor=cworld_a.users[Role.REGION_ADMIN], client=held)
    assert post(client, region, **report(key)).status_code == 403
    theirs = issue_key(cworld_b.region)
    assert post(client, region, **report(theirs)).status_code == 403
    assert count(region) == 0
    assert count(cworld_b.region) == 0


def test_no_jurisdiction_is_400_and_an_unknown_one_404(client, cworld_a):
    key = issue_key(cworld_a.region)
    missing = client.post(f"{BASE}requests.json", report(key))
    assert missing.status_code == 400
    unknown = client.post(f"{BASE}requests.xml", {"jurisdiction_id": "nowhere", **report(key)})
    assert unknown.status_code == 404
    assert error_codes(unknown) == [404]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"lat": "", "long": ""}, "location"),
        ({"long": ""}, "lat"),
        ({"lat": "north"}, "lat"),
        ({"lat": "NaN"}, "lat"),
        ({"lat": "1e400"}, "lat"),
        ({"service_code": ""}, "service_code"),
    ],
)
def test_a_missing_location_or_service_code_is_400(client, cworld_a, change, named):
    region = cworld_a.region
    response = post(client, region, **report(issue_key(region), **change))
    assert response.status_code == 400
    assert error_codes(response) == [400]
    if named != "location":
        assert response.json()[0]["description"].startswith(named)
    assert count(region) == 0


def test_bad_fields_are_400_each_named_as_the_client_named_it(client, cworld_a):
    region = cworld_a.region
    fields = report(
        issue_key(region),
        service_code="no-such",
        description="short",
        lat="40.0",
        long="10.0",
        email="not-an-email",
        phone="12",
    )
    response = post(client, region, **fields)
    assert response.status_code == 400
    errors = response.json()
    assert {e["code"] for e in errors} == {400}
    named = {e["description"].split(":", 1)[0] for e in errors}
    assert named == {"service_code", "description", "lat", "email", "phone"}
    assert count(region) == 0
    root = xml(post(client, region, "xml", **fields))
    assert root.tag == "errors"
    assert len(root) == len(errors)
