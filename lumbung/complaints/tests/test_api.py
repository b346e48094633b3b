"""The complaints API, public side: categories, filing (JSON and a form with photos), the
public list, tracking by ticket and key, the reporter's reply, nearby and figures. Staff
and region admin routes are in test_api_staff.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import login
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..errors import ComplaintError
from ..models import Complaint, ComplaintPhoto
from ..services import report_answer, report_transition
from .factories import NEAR_BANDUNG, file_report, png

pytestmark = pytest.mark.django_db

REPORT = {
    "category": "lampu-jalan",
    "description": "Lampu jalan mati sejak seminggu",
    "latitude": -6.9218,
    "longitude": 107.607,
    "contact_email": "warga@example.test",
}


def base(world) -> str:
    return f"/api/v1/regions/{world.region.slug}/complaints"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def resolve(world, complaint):
    with region_scope(world.region):
        for action, note in (("verify", ""), ("resolve", "Sudah diganti")):
            report_transition(
                region=world.region,
                actor=world.users[Role.OFFICER],
                complaint=complaint,
                action=action,
                note=note,
            )


def test_categories_are_public_and_named_in_the_request_language(client, cworld_a):
    english = client.get(f"{base(cworld_a)}/categories", HTTP_ACCEPT_LANGUAGE="en").json()
    bahasa = client.get(f"{base(cworld_a)}/categories", HTTP_ACCEPT_LANGUAGE="id").json()

    lampu = next(c for c in english if c["code"] == "lampu-jalan")
    assert lampu["name"] == lampu["name_en"] == "Street light out"
    assert next(c for c in bahasa if c["code"] == "lampu-jalan")["name"] == lampu["name_id"]
    assert {"group", "sla_class", "public_by_default", "description"} <= set(lampu)
    hidden = client.get(f"{base(cworld_a)}/categories", {"include_inactive": "true"})
    assert hidden.status_code == 403
    assert problem_of(hidden)["code"] == "permission_denied"


def test_anonymous_files_a_report_as_json_and_gets_its_key_once(client, cworld_a):
    # when someone without an account files a report
    response = post(client, f"{base(cworld_a)}/reports", REPORT)

    # then it has a ticket, a deadline and a tracking link holding the secret key
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ticket"].startswith("LAKSA-3273-")
    assert body["state"] == "submitted"
    assert body["due_at"]
    assert body["tracking_key"] in body["tracking_url"]
    with region_scope(cworld_a.region):
        complaint = Complaint.objects.get(region=cworld_a.region, ticket=body["ticket"])
        assert complaint.source == "api"
        assert complaint.reporter is None
        assert AuditEvent.objects.filter(action="complaints.file", object_id=str(complaint.pk))
    # and the key opens the report, which the public may also see
    tracked = client.get(
        f"{base(cworld_a)}/reports/{body['ticket']}", {"key": body["tracking_key"]}
    )
    assert tracked.json()["viewer"] == "reporter"


def test_a_signed_in_citizen_files_a_private_report(client, cworld_a):
    citizen = cworld_a.users[Role.CITIZEN]
    response = post(
        login(client, citizen), f"{base(cworld_a)}/reports", {**REPORT, "is_public": False}
    )

    assert response.status_code == 201
    assert response.json()["is_public"] is False
    with region_scope(cworld_a.region):
        assert Complaint.objects.get(region=cworld_a.region, reporter=citizen).ticket


def test_a_form_carries_up_to_five_photos(client, cworld_a):
    form = {**REPORT, "latitude": "-6.9218", "longitude": "107.607", "is_public": "true"}

    filed = client.post(f"{base(cworld_a)}/reports", {**form, "photos": [png(), png("b.png")]})

    assert filed.status_code == 201, filed.content
    with region_scope(cworld_a.region):
        assert ComplaintPhoto.objects.filter(complaint__ticket=filed.json()["ticket"]).count() == 2
    shown = client.get(f"{base(cworld_a)}/reports/{filed.json()['ticket']}").json()
    image = client.get(shown["photos"][0]["url"])
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    too_many = client.post(
        f"{base(cworld_a)}/reports", {**form, "photos": [png() for _ in range(6)]}
    )
    assert too_many.status_code == 422
    assert "photos" in problem_of(too_many)["errors"]
    fake = SimpleUploadedFile("photo.png", b"<svg onload=alert(1)>", "image/png")
    not_image = client.post(f"{base(cworld_a)}/reports", {**form, "photos": [fake]})
    assert not_image.status_code == 422
    assert "photos" in problem_of(not_image)["errors"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "no-such"}, "category"),
        ({"description": "pendek"}, "description"),
        ({"latitude": 40.0, "longitude": 10.0}, "latitude"),
        ({"latitude": 400}, "latitude"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"kelurahan": "36.71.01.1001"}, "kelurahan"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(client, cworld_a, change, field):
    response = post(client, f"{base(cworld_a)}/reports", {**REPORT, **change})

    problem = problem_of(response)
    assert response.status_code == 422
    assert problem["code"] == "validation_error"
    assert field in problem["errors"]
    with region_scope(cworld_a.region):
        assert not Complaint.objects.filter(region=cworld_a.region).exists()


def test_a_body_that_is_not_an_object_is_a_problem(client, cworld_a):
    url = f"{base(cworld_a)}/reports"
    for body in ("[1, 2]", "{not json"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 422
        assert problem_of(response)["code"] == "validation_error"


def test_anonymous_filing_is_limited_with_retry_after(client, cworld_a, settings):
    settings.LUMBUNG_COMPLAINT_FILING_LIMITS = {"address": "1/h", "contact": ""}
    assert post(client, f"{base(cworld_a)}/reports", REPORT).status_code == 201

    refused = post(client, f"{base(cworld_a)}/reports", REPORT)

    assert refused.status_code == 429
    assert problem_of(refused)["code"] == ComplaintError.FILING_LIMITED
    assert int(refused["Retry-After"]) > 0
    signed_in = post(
        login(client, cworld_a.users[Role.CITIZEN]), f"{base(cworld_a)}/reports", REPORT
    )
    assert signed_in.status_code == 201


def test_the_public_list_shows_public_reports_without_personal_data(client, cworld_a, cworld_b):
    region = cworld_a.region
    public = file_report(region, contact_email="rahasia@example.test").complaint
    private = file_report(region, is_public=False, description="Pungutan liar di kantor").complaint
    theirs = file_report(cworld_b.region, description="Jalan rusak di Tangerang").complaint

    response = client.get(f"{base(cworld_a)}/reports")

    assert response.status_code == 200
    tickets = [r["ticket"] for r in response.json()["items"]]
    assert tickets == [public.ticket]
    text = response.content.decode()
    assert "rahasia@example.test" not in text
    assert private.ticket not in text
    assert theirs.ticket not in text
    assert response.json()["items"][0]["category"]["code"] == "jalan-rusak"


def test_the_public_list_filters_and_reads_on_with_a_cursor(client, cworld_a):
    region = cworld_a.region
    first = file_report(region).complaint
    second = file_report(region).complaint
    file_report(region, category="sampah", description="Sampah menumpuk di pinggir jalan")

    page = client.get(f"{base(cworld_a)}/reports", {"category": "jalan-rusak", "size": 1}).json()
    assert [r["ticket"] for r in page["items"]] == [second.ticket]
    rest = client.get(
        f"{base(cworld_a)}/reports",
        {"category": "jalan-rusak", "size": 1, "cursor": page["next_cursor"]},
    ).json()
    assert [r["ticket"] for r in rest["items"]] == [first.ticket]
    assert rest["next_cursor"] is None
    assert client.get(f"{base(cworld_a)}/reports", {"status": "closed"}).json()["items"] == []
    bad = client.get(f"{base(cworld_a)}/reports", {"cursor": "yesterday"})
    assert bad.status_code == 422
    assert "cursor" in problem_of(bad)["errors"]


def test_a_private_report_is_for_its_reporter_key_holder_and_staff(client, cworld_a):
    citizen = cworld_a.users[Role.CITIZEN]
    filed = file_report(
        cworld_a.region, actor=citizen, is_public=False, contact_phone="081234567890"
    )
    url = f"{base(cworld_a)}/reports/{filed.complaint.ticket}"

    hidden = client.get(url)
    assert hidden.status_code == 404
    assert problem_of(hidden)["code"] == "not_found"
    assert client.get(url, {"key": "wrong"}).status_code == 404
    assert client.get(url, {"key": filed.secret}).json()["viewer"] == "reporter"
    own = login(client, citizen).get(url).json()
    assert own["viewer"] == "reporter"
    assert own["staff"] is None
    staff = login(client, cworld_a.users[Role.OFFICER]).get(url).json()
    assert staff["viewer"] == "staff"
    assert staff["staff"]["has_contact"] is True
    assert "081234567890" not in str(own) + str(staff)


def test_the_public_timeline_leaves_out_internal_notes(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    with region_scope(cworld_a.region):
        for public, body in ((True, "Tim akan datang besok"), (False, "Vendor lampu lambat")):
            report_answer(
                region=cworld_a.region,
                actor=cworld_a.users[Role.OFFICER],
                complaint=complaint,
                body=body,
                public=public,
                photos=[png()],
            )
    url = f"{base(cworld_a)}/reports/{complaint.ticket}"

    public = client.get(url).json()
    staff = login(client, cworld_a.users[Role.OFFICER]).get(url).json()

    assert [e["body"] for e in public["timeline"] if e["kind"] == "answer"] == [
        "Tim akan datang besok"
    ]
    assert "Vendor lampu lambat" not in str(public)
    assert len(public["photos"]) == 1  # the note's photo is as internal as the note
    assert {e["actor"] for e in public["timeline"]} == {None}
    assert "Vendor lampu lambat" in [e["body"] for e in staff["timeline"]]
    assert len(staff["photos"]) == 2
    assert staff["staff"]["actions"] == ["verify", "reject", "mark_duplicate"]


def test_another_regions_ticket_is_not_found(client, cworld_a, cworld_b):
    theirs = file_report(cworld_b.region).complaint
    login(client, cworld_a.users[Role.REGION_ADMIN])

    for path in ("", "/contact"):
        response = client.get(f"{base(cworld_a)}/reports/{theirs.ticket}{path}")
        assert response.status_code == 404
        assert problem_of(response)["code"] == "not_found"
    moved = post(
        client, f"{base(cworld_a)}/reports/{theirs.ticket}/transitions", {"action": "verify"}
    )
    assert moved.status_code == 404
    with region_scope(cworld_b.region):
        assert Complaint.objects.get(region=cworld_b.region, pk=theirs.pk).state == "submitted"


def test_the_key_holder_disputes_and_then_confirms_with_a_rating(client, cworld_a):
    filed = file_report(cworld_a.region, is_public=False)
    resolve(cworld_a, filed.complaint)
    url = f"{base(cworld_a)}/reports/{filed.complaint.ticket}"

    stranger = post(client, f"{url}/confirm", {"rating": 5})
    assert stranger.status_code == 404  # a private report: nothing to say about it

    disputed = post(client, f"{url}/dispute", {"reason": "Masih mati", "key": filed.secret})
    assert disputed.status_code == 200, disputed.content
    assert disputed.json()["state"] == "in_progress"
    resolve_again = filed.complaint
    with region_scope(cworld_a.region):
        resolve_again.refresh_from_db()
        report_transition(
            region=cworld_a.region,
            actor=cworld_a.users[Role.OFFICER],
            complaint=resolve_again,
            action="resolve",
            note="Diganti lagi",
        )
    confirmed = post(client, f"{url}/confirm", {"rating": 4, "key": filed.secret})
    assert confirmed.json()["state"] == "closed"
    assert confirmed.json()["rating"] == 4


def test_only_the_reporter_replies_to_a_public_report(client, cworld_a):
    filed = file_report(cworld_a.region)
    resolve(cworld_a, filed.complaint)
    url = f"{base(cworld_a)}/reports/{filed.complaint.ticket}"

    response = post(login(client, cworld_a.users[Role.CITIZEN]), f"{url}/confirm", {})

    assert response.status_code == 403
    assert problem_of(response)["code"] == ComplaintError.NOT_REPORTER
    bad = post(client, f"{url}/confirm", {"rating": 9, "key": filed.secret})
    assert bad.status_code == 422
    assert "rating" in problem_of(bad)["errors"]


def test_support_needs_a_sign_in_and_counts_once(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    url = f"{base(cworld_a)}/reports/{complaint.ticket}/support"

    anonymous = client.post(url)
    assert anonymous.status_code == 401
    assert problem_of(anonymous)["code"] == "unauthenticated"
    login(client, cworld_a.users[Role.CITIZEN])
    assert client.post(url).json() == {"supporters_count": 1}
    again = client.post(url)
    assert again.status_code == 409
    assert problem_of(again)["code"] == ComplaintError.ALREADY_SUPPORTED


def test_nearby_lists_open_public_reports_of_the_category(client, cworld_a, cworld_b):
    mine = file_report(cworld_a.region).complaint
    file_report(cworld_b.region)
    near = {"lat": str(NEAR_BANDUNG[0]), "lng": str(NEAR_BANDUNG[1])}

    found = client.get(f"{base(cworld_a)}/nearby", {"category": "jalan-rusak", **near})
    other = client.get(f"{base(cworld_a)}/nearby", {"category": "sampah", **near})

    assert [r["ticket"] for r in found.json()] == [mine.ticket]
    assert other.json() == []
    missing = client.get(f"{base(cworld_a)}/nearby", {"category": "sampah"})
    assert missing.status_code == 422
    assert {"lat", "lng"} <= set(problem_of(missing)["errors"])


def test_figures_are_public_and_count_private_reports_too(client, cworld_a):
    file_report(cworld_a.region)
    file_report(cworld_a.region, is_public=False)

    stats = client.get(f"{base(cworld_a)}/stats").json()

    assert stats["received"] == 2
    assert stats["open"] == 2
    assert sum(row["received"] for row in stats["by_unit"]) == 2
    assert sum(month["received"] for month in stats["by_month"]) == 2
    old = client.get(f"{base(cworld_a)}/stats", {"until": "2001-01-01"}).json()
    assert old["received"] == 0
    too_far = client.get(f"{base(cworld_a)}/stats", {"since": "0001-01-01"})
    assert too_far.status_code == 422


def test_the_openapi_document_lists_every_route(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    prefix = "/api/v1/regions/{region_slug}/complaints"
    expected = {
        ("get", "/categories"),
        ("post", "/categories"),
        ("patch", "/categories/{code}"),
        ("get", "/reports"),
        ("post", "/reports"),
        ("get", "/reports/{ticket}"),
        ("get", "/reports/{ticket}/contact"),
        ("post", "/reports/{ticket}/transitions"),
        ("post", "/reports/{ticket}/answers"),
        ("post", "/reports/{ticket}/route"),
        ("post", "/reports/{ticket}/assign"),
        ("post", "/reports/{ticket}/support"),
        ("post", "/reports/{ticket}/confirm"),
        ("post", "/reports/{ticket}/dispute"),
        ("get", "/nearby"),
        ("get", "/queue"),
        ("get", "/stats"),
        ("get", "/templates"),
        ("post", "/templates"),
        ("patch", "/templates/{template_id}"),
        ("get", "/open311-clients"),
        ("post", "/open311-clients"),
        ("delete", "/open311-clients/{client_id}"),
    }
    served = {
        (m, p.removeprefix(prefix)) for p, ms in paths.items() if p.startswith(prefix) for m in ms
    }
    assert served == expected
    filing = paths[f"{prefix}/reports"]["post"]
    assert set(filing["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {} in filing["security"]  # anonymous filing is allowed
    assert "201" in filing["responses"]
