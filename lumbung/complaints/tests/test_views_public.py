"""The module's public pages: filing, tracking, the list and map, supporting, the
reporter's reply, photos, figures and downloads, and the tenant wall around all of them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from conftest import login
from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..models import Complaint, ComplaintPhoto
from ..services import report_transition
from ..views.public import FILED
from .factories import BANDUNG, NEAR_BANDUNG, file_report, png, reload

pytestmark = pytest.mark.django_db


def url(name: str, region: Region, **kwargs: object) -> str:
    return reverse(f"core:complaints:{name}", kwargs={"region_slug": region.slug, **kwargs})


def _resolve(world: RegionWorld, complaint: Complaint) -> Complaint:
    region, officer = world.region, world.users[Role.OFFICER]
    with region_scope(region):
        report_transition(region=region, actor=officer, complaint=complaint, action="verify")
        return report_transition(
            region=region, actor=officer, complaint=reload(complaint), action="resolve", note="Done"
        )


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": "jalan-rusak",
        "description": "Lubang besar di Jalan Asia Afrika",
        "latitude": str(BANDUNG[0]),
        "longitude": str(BANDUNG[1]),
        "location_text": "Depan Gedung Merdeka",
        "kelurahan": "",
        "visibility": "default",
        "contact_email": "warga@example.test",
    }
    data.update(changes)
    return data


def test_filing_with_a_photo_shows_the_ticket_and_secret_link_once(client, cworld_a):
    # given an anonymous visitor with a photo carrying a GPS position
    region = cworld_a.region
    form = _form(photos=[png(exif_gps=True)])

    # when they file a report
    response = client.post(url("file", region), form)

    # then they are sent to the confirmation, which shows the ticket and the secret link once
    assert response.status_code == 302
    assert response["Location"] == url("filed", region)
    with region_scope(region):
        complaint = Complaint.objects.get(region=region)
        photo = ComplaintPhoto.objects.get(complaint=complaint)
        with photo.image.open("rb") as handle:
            assert not Image.open(handle).getexif().get(0x8825)
    assert complaint.reporter is None
    assert complaint.source == "web"
    page = client.get(url("filed", region))
    assert page.status_code == 200
    body = page.content.decode()
    assert complaint.ticket in body
    assert "?key=" in body
    assert FILED not in client.session
    again = client.get(url("filed", region))
    assert again.status_code == 302
    assert "?key=" not in again.content.decode()


def test_field_errors_answer_422_and_write_nothing(client, cworld_a):
    region = cworld_a.region
    bad = _form(description="short", latitude="", longitude="", location_text="")
    bad["contact_email"] = "not-an-email"

    response = client.post(url("file", region), bad)

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"description", "location_text", "contact_email"} <= set(errors)
    with region_scope(region):
        assert not Complaint.objects.filter(region=region).exists()
    unknown = client.post(url("file", region), _form(category="no-such-thing"))
    assert unknown.status_code == 422
    assert "category" in unknown.context["form"].errors


def test_the_filing_limit_is_a_clear_429(client, cworld_a, settings):
    settings.LUMBUNG_COMPLAINT_FILING_LIMITS = {"address": "1/h", "contact": "100/h"}
    region = cworld_a.region
    assert client.post(url("file", region), _form()).status_code == 302

    response = client.post(url("file", region), _form())

    assert response.status_code == 429
    assert response.context["form"].non_field_errors()
    with region_scope(region):
        assert Complaint.objects.filter(region=region).count() == 1


def test_the_form_lists_categories_and_kelurahan_and_a_signed_in_citizen_files_as_self(
    client, cworld_a
):
    region, citizen = cworld_a.region, cworld_a.users[Role.CITIZEN]
    page = client.get(url("file", region))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="jalan-rusak"' in body
    assert "<optgroup" in body  # kelurahan grouped by kecamatan
    assert 'href="tel:112"' in body
    login(client, citizen)

    client.post(url("file", region), _form(kelurahan="32.73.02.1001", visibility="private"))

    with region_scope(region):
        complaint = Complaint.objects.get(region=region)
    assert complaint.reporter == citizen
    assert complaint.is_public is False
    mine = client.get(url("mine", region))
    assert complaint.ticket in mine.content.decode()


def test_mine_sends_anonymous_visitors_to_log_in(client, cworld_a):
    response = client.get(url("mine", cworld_a.region))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_private_report_is_tracked_by_its_key_only(client, cworld_a):
    # given an anonymous private report
    region = cworld_a.region
    filed = file_report(region, is_public=False, contact_email="rahasia@example.test")
    track = url("track", region, ticket=filed.complaint.ticket)

    # then a stranger gets a 404, a wrong key too
    assert client.get(track).status_code == 404
    assert client.get(track, {"key": "wrong"}).status_code == 404

    # when the key is given once, the session remembers it
    page = client.get(track, {"key": filed.secret})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "rahasia@example.test" not in page.content.decode()
    assert client.get(track).status_code == 200

    # staff of the region see it, with a link to their page; the contact stays off it
    other = login(type(client)(), cworld_a.users[Role.OFFICER])
    staff_page = other.get(track)
    assert staff_page.status_code == 200
    assert url("staff-detail", region, ticket=filed.complaint.ticket) in staff_page.content.decode()
    assert "rahasia@example.test" not in staff_page.content.decode()


def test_the_public_list_shows_public_reports_only_without_contacts(client, cworld_a):
    region = cworld_a.region
    shown = file_report(region, contact_email="terbuka@example.test", contact_name="Budi Santoso")
    hidden = file_report(region, is_public=False, description="Pungutan liar di kantor")

    response = client.get(url("index", region))

    body = response.content.decode()
    assert response.status_code == 200
    assert shown.complaint.ticket in body
    assert hidden.complaint.ticket not in body
    assert "terbuka@example.test" not in body
    assert "Budi Santoso" not in body
    assert 'href="tel:112"' in body
    points = response.context["points"]
    assert [p["label"].split(" ")[0] for p in points] == [shown.complaint.ticket]
    assert 'id="complaints-points"' in body


def test_keyset_pagination_reads_on_to_older_reports(client, cworld_a, monkeypatch):
    region = cworld_a.region
    tickets = [file_report(region).complaint.ticket for _ in range(3)]
    from ..selectors import report_public_page

    monkeypatch.setattr(
        "lumbung.complaints.views.public.report_public_page",
        lambda region, filters, after=None: report_public_page(
            region, filters, after=after, size=2
        ),
    )

    first = client.get(url("index", region))
    cursor = first.context["next_cursor"]
    second = client.get(url("index", region), {"after": cursor})

    assert [r.ticket for r, _label in first.context["reports"]] == tickets[:0:-1]
    assert [r.ticket for r, _label in second.context["reports"]] == [tickets[0]]
    assert second.context["next_cursor"] == ""


def test_filters_narrow_the_list_and_the_map(client, cworld_a):
    region = cworld_a.region
    road = file_report(region).complaint
    rubbish = file_report(
        region, category="sampah", description="Sampah menumpuk tiga hari"
    ).complaint

    response = client.get(url("index", region), {"category": "sampah", "status": "submitted"})

    tickets = [r.ticket for r, _label in response.context["reports"]]
    assert tickets == [rubbish.ticket]
    assert [p["url"].rstrip("/").rsplit("/", 1)[-1] for p in response.context["points"]] == [
        rubbish.ticket
    ]
    assert road.ticket not in response.content.decode()
    closed = client.get(url("index", region), {"status": "closed", "since": "bad-date"})
    assert closed.status_code == 200
    assert closed.context["reports"] == []


def test_nearby_lists_open_reports_of_the_category_near_the_pin(client, cworld_a, cworld_b):
    region = cworld_a.region
    near = file_report(region).complaint
    file_report(cworld_b.region)  # the same spot in another region
    query = {
        "category": "jalan-rusak",
        "latitude": str(NEAR_BANDUNG[0]),
        "longitude": str(NEAR_BANDUNG[1]),
    }

    partial = client.get(url("nearby", region), query, HTTP_HX_REQUEST="true")
    page = client.get(url("nearby", region), query)
    elsewhere = client.get(url("nearby", region), {**query, "category": "sampah"})

    assert [r.ticket for r, _ in partial.context["matches"]] == [near.ticket]
    assert "<html" not in partial.content.decode()
    assert "formaction" in partial.content.decode()
    assert [r.ticket for r, _ in page.context["matches"]] == [near.ticket]
    assert "<html" in page.content.decode()
    assert elsewhere.context["matches"] == []
    assert client.get(url("nearby", region), {"latitude": "nan"}).status_code == 200


def test_supporting_twice_says_so_and_counts_once(client, cworld_a):
    region = cworld_a.region
    complaint = file_report(region).complaint
    support = url("support", region, ticket=complaint.ticket)

    first = client.post(support, follow=True)
    second = client.post(support, follow=True)

    assert first.status_code == 200
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["info"]
    assert reload(complaint).supporters_count == 1


def test_the_reporter_confirms_with_a_rating_by_key(client, cworld_a):
    region = cworld_a.region
    filed = file_report(region)
    complaint = _resolve(cworld_a, filed.complaint)
    track = url("track", region, ticket=complaint.ticket)
    reply = url("reply", region, ticket=complaint.ticket)

    # a stranger sees no reply form and cannot reply
    assert client.get(track).context["reply_form"] is None
    refused = client.post(reply, {"answer": "confirm", "rating": "5"})
    assert refused.status_code == 403
    assert reload(complaint).state == "resolved"

    # the key holder sees the form and confirms with a rating
    assert client.get(track, {"key": filed.secret}).context["can_reply"] is True
    done = client.post(reply, {"answer": "confirm", "rating": "4", "comment": "Rapi"})

    assert done.status_code == 302
    complaint = reload(complaint)
    assert complaint.state == "closed"
    assert complaint.rating == 4


def test_the_signed_in_reporter_disputes_with_a_reason(client, cworld_a):
    region, citizen = cworld_a.region, cworld_a.users[Role.CITIZEN]
    complaint = _resolve(cworld_a, file_report(region, actor=citizen).complaint)
    reply = url("reply", region, ticket=complaint.ticket)
    login(client, citizen)

    no_reason = client.post(reply, {"answer": "dispute", "rating": "2"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.context["reply_form"].errors
    assert reload(complaint).state == "resolved"

    client.post(reply, {"answer": "dispute", "reason": "Masih berlubang", "rating": "2"})

    complaint = reload(complaint)
    assert complaint.state == "in_progress"
    assert complaint.rating == 2
    page = client.get(url("track", region, ticket=complaint.ticket)).content.decode()
    assert "Masih berlubang" in page
    assert cworld_a.users[Role.OFFICER].display_name not in page


def test_photos_follow_the_reports_visibility(client, cworld_a):
    region = cworld_a.region
    public = file_report(region, photos=[png()]).complaint
    private = file_report(region, is_public=False, photos=[png()])
    with region_scope(region):
        public_photo = ComplaintPhoto.objects.get(complaint=public)
        private_photo = ComplaintPhoto.objects.get(complaint=private.complaint)

    shown = client.get(url("photo", region, pk=public_photo.pk))
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert "public" in shown["Cache-Control"]
    assert client.get(url("photo", region, pk=private_photo.pk)).status_code == 404

    client.get(url("track", region, ticket=private.complaint.ticket), {"key": private.secret})
    own = client.get(url("photo", region, pk=private_photo.pk))
    assert own.status_code == 200
    assert "private" in own["Cache-Control"]
    staff = login(type(client)(), cworld_a.users[Role.OFFICER])
    assert staff.get(url("photo", region, pk=private_photo.pk)).status_code == 200


def test_another_regions_ticket_and_photo_are_not_found(client, cworld_a, cworld_b):
    theirs = file_report(cworld_b.region, photos=[png()])
    with region_scope(cworld_b.region):
        photo = ComplaintPhoto.objects.get(complaint=theirs.complaint)
    here = cworld_a.region

    assert client.get(url("track", here, ticket=theirs.complaint.ticket)).status_code == 404
    assert (
        client.get(
            url("track", here, ticket=theirs.complaint.ticket), {"key": theirs.secret}
        ).status_code
        == 404
    )
    assert client.post(url("support", here, ticket=theirs.complaint.ticket)).status_code == 404
    assert client.get(url("photo", here, pk=photo.pk)).status_code == 404
    assert reload(theirs.complaint).supporters_count == 0


def test_pages_read_in_english_with_the_language_cookie(client, cworld_a):
    region = cworld_a.region
    complaint = file_report(region).complaint
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(url("track", region, ticket=complaint.ticket)).content.decode()
    listing = client.get(url("index", region))

    assert 'lang="en"' in page
    assert "Damaged road or pothole" in page
    assert "Jalan rusak atau berlubang" not in page
    assert listing.context["points"][0]["label"].endswith("Damaged road or pothole")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert (
        "Jalan rusak atau berlubang"
        in client.get(url("track", region, ticket=complaint.ticket)).content.decode()
    )


def test_the_tracking_page_shows_status_due_and_timeline(client, cworld_a):
    region = cworld_a.region
    complaint = file_report(region).complaint

    response = client.get(url("track", region, ticket=complaint.ticket))

    assert response.status_code == 200
    assert response.context["due"]
    assert response.context["overdue"] is False
    assert response.context["can_support"] is True
    assert [e["title"] for e in response.context["timeline"]]
    assert 'href="tel:112"' in response.content.decode()
