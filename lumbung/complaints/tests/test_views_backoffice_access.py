"""Who sees what on the staff pages: contact details only with an audit event, citizens
and strangers kept out, another region's tickets not found, and the region admin's
categories, answer templates and Open311 keys."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..services.common import digest
from .factories import file_report, reload
from .test_views_backoffice import events, page

pytestmark = pytest.mark.django_db

# Contact details --------------------------------------------------------------------------------


def test_contact_details_are_shown_only_with_an_audit_event(client, cworld_a):
    # given a report with contact details
    region = cworld_a.region
    complaint = file_report(region, contact_email="warga@example.test").complaint
    officer = login(client, cworld_a.users[Role.OFFICER])

    # when the officer opens the case page and the contact page
    detail = officer.get(page("staff-detail", cworld_a, complaint.ticket))
    asked = officer.get(page("staff-contact", cworld_a, complaint.ticket))

    # then neither shows the address, and nothing is recorded
    assert "warga@example.test" not in detail.content.decode() + asked.content.decode()
    assert events(region, "pdp.read") == []

    # when they ask to see it, with htmx
    shown = officer.post(
        page("staff-contact", cworld_a, complaint.ticket),
        {"purpose": "Konfirmasi lokasi"},
        HTTP_HX_REQUEST="true",
    )

    # then the address is shown and the look recorded: who, which fields, why
    assert shown.status_code == 200
    assert "warga@example.test" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    [event] = events(region, "pdp.read")
    assert event.actor == cworld_a.users[Role.OFFICER]
    assert event.object_id == str(complaint.pk)
    assert "contact_email" in event.changes["fields"]
    assert event.reason == "Konfirmasi lokasi"


def test_contact_needs_a_purpose(client, cworld_a):
    complaint = file_report(cworld_a.region, contact_email="warga@example.test").complaint
    response = login(client, cworld_a.users[Role.OFFICER]).post(
        page("staff-contact", cworld_a, complaint.ticket), {"purpose": ""}
    )
    assert response.status_code == 422
    assert "warga@example.test" not in response.content.decode()
    assert events(cworld_a.region, "pdp.read") == []


# Who may come in ------------------------------------------------------------------------------


def test_citizens_get_403_and_strangers_the_login_page(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    urls = [
        page("queue", cworld_a),
        page("staff-detail", cworld_a, complaint.ticket),
        page("staff-contact", cworld_a, complaint.ticket),
        page("categories", cworld_a),
    ]

    anonymous = [Client().get(u) for u in urls]
    citizen = [login(client, cworld_a.users[Role.CITIZEN]).get(u) for u in urls]
    acted = client.post(
        page("staff-act", cworld_a, complaint.ticket),
        {"action": "verify", "expected_version": 0},
    )

    assert all(r.status_code == 302 and "/accounts/login/" in r["Location"] for r in anonymous)
    assert [r.status_code for r in citizen] == [403, 403, 403, 403]
    assert acted.status_code == 403
    assert reload(complaint).state == "submitted"


def test_an_auditor_reads_the_case_but_may_not_act(client, cworld_a):
    complaint = file_report(cworld_a.region).complaint
    auditor = login(client, cworld_a.users[Role.AUDITOR])

    detail = auditor.get(page("staff-detail", cworld_a, complaint.ticket))
    acted = auditor.post(
        page("staff-act", cworld_a, complaint.ticket),
        {"action": "verify", "expected_version": complaint.version},
    )

    assert detail.status_code == 200
    assert "actions" not in detail.context
    assert "answer_form" not in detail.context
    assert acted.status_code == 403
    assert reload(complaint).state == "submitted"


def test_another_regions_ticket_is_404_everywhere(client, cworld_a, cworld_b):
    # given a report of Kota Tangerang
    theirs = file_report(cworld_b.region, contact_email="b@example.test").complaint
    officer = login(client, cworld_a.users[Role.REGION_ADMIN])

    # when Bandung's admin opens or acts on it under Bandung's address
    answers = [
        officer.get(page("staff-detail", cworld_a, theirs.ticket)),
        officer.post(page("staff-contact", cworld_a, theirs.ticket), {"purpose": "x"}),
        officer.post(
            page("staff-act", cworld_a, theirs.ticket),
            {"action": "verify", "expected_version": theirs.version},
        ),
        officer.post(page("staff-answer", cworld_a, theirs.ticket), {"body": "x", "public": "1"}),
    ]

    # then each is a 404 and the report is untouched
    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    assert "b@example.test" not in "".join(r.content.decode() for r in answers)
    assert reload(theirs).state == "submitted"
    assert events(cworld_b.region, "pdp.read") == []


# Region administration -------------------------------------------------------------------------


CATEGORY = {
    "code": "trotoar",
    "name_id": "Trotoar rusak",
    "name_en": "Broken pavement",
    "sla_class": "c14",
    "public_by_default": "on",
    "is_active": "on",
    "order": "50",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "Not A Code!"}, "code"),
        ({"code": "jalan-rusak"}, "code"),  # taken
        ({"name_en": ""}, "name_en"),
        ({"sla_class": "c99"}, "sla_class"),
    ],
    ids=["bad-code", "taken-code", "no-name", "bad-class"],
)
def test_bad_category_shows_field_errors_and_writes_nothing(client, cworld_a, change, field):
    before = len(events(cworld_a.region, "complaints.category.save"))
    admin = login(client, cworld_a.users[Role.REGION_ADMIN])

    response = admin.post(page("categories", cworld_a), {**CATEGORY, **change})

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert len(events(cworld_a.region, "complaints.category.save")) == before


def test_region_admin_adds_and_edits_a_category(client, cworld_a):
    before = len(events(cworld_a.region, "complaints.category.save"))
    admin = login(client, cworld_a.users[Role.REGION_ADMIN])

    added = admin.post(
        page("categories", cworld_a), {**CATEGORY, "default_unit": cworld_a.other_unit.pk}
    )
    with region_scope(cworld_a.region):
        from ..models import Category

        category = Category.objects.get(code="trotoar")
    edit = reverse(
        "core:complaints:category-edit",
        kwargs={"region_slug": cworld_a.region.slug, "pk": category.pk},
    )
    form = admin.get(edit)
    changed = admin.post(edit, {**CATEGORY, "name_en": "Damaged pavement", "order": "60"})

    assert added.status_code == 302
    assert category.default_unit == cworld_a.other_unit
    assert form.status_code == 200
    assert "Broken pavement" in form.content.decode()
    assert changed.status_code == 302
    category.refresh_from_db()
    assert (category.name_en, category.order, category.is_active) == ("Damaged pavement", 60, True)
    assert len(events(cworld_a.region, "complaints.category.save")) == before + 2


def test_adopting_the_starter_set(client, world_a):
    from lumbung.core.services.regions import region_modules_set

    from ..models import Category

    region_modules_set(region=world_a.region, actor=None, enable=["complaints"])
    admin = login(client, world_a.users[Role.REGION_ADMIN])

    response = admin.post(page("categories", world_a), {"adopt": "1"})

    assert response.status_code == 302
    with region_scope(world_a.region):
        assert Category.objects.filter(code="jalan-rusak").exists()
    assert events(world_a.region, "complaints.category.adopt")


def test_officer_may_not_manage_categories(client, cworld_a):
    before = len(events(cworld_a.region, "complaints.category.save"))
    officer = login(client, cworld_a.users[Role.OFFICER])
    assert officer.post(page("categories", cworld_a), CATEGORY).status_code == 403
    assert len(events(cworld_a.region, "complaints.category.save")) == before


def test_region_admin_adds_and_edits_an_answer_template(client, cworld_a):
    admin = login(client, cworld_a.users[Role.REGION_ADMIN])

    refused = admin.post(page("templates", cworld_a), {"title": "", "body": "Teks"})
    added = admin.post(
        page("templates", cworld_a), {"title": "Selesai", "body": "Sudah.", "is_active": "on"}
    )
    from ..models import AnswerTemplate

    with region_scope(cworld_a.region):
        template = AnswerTemplate.objects.get(title="Selesai")
    edit = reverse(
        "core:complaints:template-edit",
        kwargs={"region_slug": cworld_a.region.slug, "pk": template.pk},
    )
    changed = admin.post(edit, {"title": "Selesai", "body": "Sudah diperbaiki."})

    assert refused.status_code == 422
    assert "title" in refused.context["form"].errors
    assert added.status_code == 302
    assert changed.status_code == 302
    template.refresh_from_db()
    assert (template.body, template.is_active) == ("Sudah diperbaiki.", False)


def test_open311_key_is_shown_once_and_can_be_revoked(client, cworld_a):
    from ..models import Open311Client

    admin = login(client, cworld_a.users[Role.REGION_ADMIN])

    # when the admin issues a key
    issued = admin.post(page("clients", cworld_a), {"name": "Aplikasi Warga"})

    # then the page shows it once, only its hash is kept, and the next visit does not show it
    assert issued.status_code == 200
    client_row, key = issued.context["issued"]
    assert key in issued.content.decode()
    with region_scope(cworld_a.region):
        stored = Open311Client.objects.get(pk=client_row.pk)
    assert stored.key_hash == digest(key)
    assert key not in admin.get(page("clients", cworld_a)).content.decode()

    # when they revoke it
    revoked = admin.post(page("clients", cworld_a), {"revoke": stored.pk})

    # then it is revoked and audited
    assert revoked.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None
    assert events(cworld_a.region, "complaints.client.revoke")


def test_another_regions_client_cannot_be_revoked(client, cworld_a, cworld_b):
    from ..models import Open311Client
    from ..services import client_issue

    with region_scope(cworld_b.region):
        theirs, _key = client_issue(region=cworld_b.region, actor=None, name="Tangerang App")
    admin = login(client, cworld_a.users[Role.REGION_ADMIN])

    response = admin.post(page("clients", cworld_a), {"revoke": theirs.pk})

    assert response.status_code == 404
    with region_scope(cworld_b.region):
        assert Open311Client.objects.get(pk=theirs.pk).revoked_at is None
