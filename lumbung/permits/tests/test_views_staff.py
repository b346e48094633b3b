"""The staff's pages: the queue with its deadlines, only the current stage's forms for a
role that may take them, each step through the page to a signed permit, a refusal at its
field, revoking a permit, and the catalogue's administration with the KBLI import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Kbli, Permit, PermitStatus, PermitType
from .factories import PermitsWorld, apply, permit_of, png, reload, to_stage

pytestmark = pytest.mark.django_db


def url(pw: PermitsWorld, tail: str = "") -> str:
    return f"/{pw.region.slug}/permits/{tail}"


def as_role(client: Client, pw: PermitsWorld, role: Role) -> Client:
    client.force_login(pw.user(role))
    return client


def step(client: Client, pw: PermitsWorld, app_pk: int, action: str, **fields: object) -> int:
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(url(pw, f"staff/applications/{app_pk}/step/"), data).status_code


def test_the_queue_shows_the_deadline_and_a_citizen_is_refused(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    page = as_role(client, pworld_a, Role.OFFICER).get(url(pworld_a, "staff/"))
    body = page.content.decode()
    assert page.status_code == 200
    assert app.number in body
    assert "due-late" not in body.split("<tbody>")[1]
    as_role(client, pworld_a, Role.CITIZEN)
    assert client.get(url(pworld_a, "staff/")).status_code == 403


def test_only_the_current_stages_forms_for_a_role_that_may_take_them(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    officer = as_role(client, pworld_a, Role.OFFICER).get(
        url(pworld_a, f"staff/applications/{app.pk}/")
    )
    body = officer.content.decode()
    assert 'data-action="check"' in body
    assert 'data-action="sign"' not in body
    assert "3273010101900001" in body  # staff see the owner's NIK
    head = as_role(client, pworld_a, Role.REGION_HEAD)
    assert (
        'data-action="check"'
        not in head.get(url(pworld_a, f"staff/applications/{app.pk}/")).content.decode()
    )


def test_every_step_through_the_page_to_a_signed_permit(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    as_role(client, pworld_a, Role.OFFICER)
    with region_scope(pworld_a.region):
        docs = list(app.documents.filter(region=pworld_a.region, is_current=True))
    answers = {f"passed_{d.pk}": "yes" for d in docs}
    assert step(client, pworld_a, app.pk, "check", **answers) == 302
    assert reload(app).state == "inspection"
    officer = pworld_a.user(Role.OFFICER)
    assert (
        step(
            client,
            pworld_a,
            app.pk,
            "schedule",
            scheduled_at="2030-01-10T09:00",
            inspector=officer.pk,
        )
        == 302
    )
    assert (
        step(client, pworld_a, app.pk, "inspect", findings="Sesuai", passed="yes", photos=png())
        == 302
    )
    assert reload(app).state == "recommendation"
    assert step(client, pworld_a, app.pk, "recommend", favourable="yes", text="Layak") == 302
    as_role(client, pworld_a, Role.UNIT_HEAD)
    assert step(client, pworld_a, app.pk, "approve", note="") == 302
    assert reload(app).state == "payment"
    as_role(client, pworld_a, Role.OFFICER)
    assert step(client, pworld_a, app.pk, "payment", reference="BJB-7") == 302
    as_role(client, pworld_a, Role.REGION_HEAD)
    assert step(client, pworld_a, app.pk, "sign", note="") == 302
    assert reload(app).state == "issued"
    assert permit_of(app).signed_by == pworld_a.user(Role.REGION_HEAD)


def test_a_failed_checklist_is_refused_and_nothing_is_recorded(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    as_role(client, pworld_a, Role.OFFICER)
    with region_scope(pworld_a.region):
        docs = list(app.documents.filter(region=pworld_a.region, is_current=True))
    answers = {f"passed_{d.pk}": "no" for d in docs}
    assert step(client, pworld_a, app.pk, "check", **answers) == 409
    assert reload(app).state == "document_check"
    with region_scope(pworld_a.region):
        assert all(d.check_passed is None for d in app.documents.filter(region=pworld_a.region))


def test_a_correction_needs_its_reason_and_a_step_not_yours_is_refused(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    as_role(client, pworld_a, Role.OFFICER)
    assert step(client, pworld_a, app.pk, "correction", note="") == 422
    assert step(client, pworld_a, app.pk, "sign", note="") == 403
    assert step(client, pworld_a, app.pk, "correction", note="Denah buram") == 302
    assert reload(app).state == "returned"


def test_revoke_an_issued_permit_with_its_reason(client: Client, pworld_a: PermitsWorld) -> None:
    permit = permit_of(to_stage(pworld_a, apply(pworld_a), "issued"))
    as_role(client, pworld_a, Role.OFFICER)
    assert (
        client.post(
            url(pworld_a, f"staff/permits/{permit.pk}/"), {"action": "revoke", "reason": "x"}
        ).status_code
        == 403
    )
    as_role(client, pworld_a, Role.UNIT_HEAD)
    empty = client.post(
        url(pworld_a, f"staff/permits/{permit.pk}/"), {"action": "revoke", "reason": ""}
    )
    assert empty.status_code == 422
    done = client.post(
        url(pworld_a, f"staff/permits/{permit.pk}/"),
        {"action": "revoke", "reason": "Izin disalahgunakan"},
    )
    assert done.status_code == 302
    with region_scope(pworld_a.region):
        assert (
            Permit.objects.get(region=pworld_a.region, pk=permit.pk).status == PermitStatus.REVOKED
        )
    listing = client.get(url(pworld_a, "staff/permits/")).content.decode()
    assert 'data-status="revoked"' in listing


def test_the_kbli_import_reports_each_bad_row_and_imports_nothing(
    client: Client, pworld_a: PermitsWorld
) -> None:
    as_role(client, pworld_a, Role.REGION_ADMIN)
    header = "code,title_id,title_en,risk_micro,risk_small,risk_medium,risk_large\n"
    bad = (
        header + "12345,Satu,One,rendah,rendah,rendah,rendah\n1234,Dua,Two,rendah,x,rendah,rendah\n"
    )
    page = client.post(
        url(pworld_a, "staff/catalogue/kbli/"),
        {"file": SimpleUploadedFile("k.csv", bad.encode(), "text/csv")},
    )
    body = page.content.decode()
    assert page.status_code == 422
    assert "row 3" in body
    with region_scope(pworld_a.region):
        assert not Kbli.objects.filter(region=pworld_a.region, code="12345").exists()
    good = header + "12345,Satu,One,rendah,rendah,rendah,rendah\n"
    done = client.post(
        url(pworld_a, "staff/catalogue/kbli/"),
        {"file": SimpleUploadedFile("k.csv", good.encode(), "text/csv")},
    )
    assert done.status_code == 302
    with region_scope(pworld_a.region):
        assert Kbli.objects.filter(region=pworld_a.region, code="12345").exists()


def test_a_permit_type_is_created_with_its_documents_and_deadlines(
    client: Client, pworld_a: PermitsWorld
) -> None:
    as_role(client, pworld_a, Role.REGION_ADMIN)
    data = {
        "code": "reklame",
        "name_id": "Izin Reklame",
        "name_en": "Billboard permit",
        "validity_months": "12",
        "fee_kind": "per_m2",
        "fee_amount": "0",
        "fee_rate": "15000",
        "is_active": "on",
    }
    done = client.post(url(pworld_a, "staff/catalogue/"), data)
    assert done.status_code == 302
    with region_scope(pworld_a.region):
        t = PermitType.objects.get(region=pworld_a.region, code="reklame")
    edit = url(pworld_a, f"staff/catalogue/types/{t.pk}/")
    req = {
        "form": "requirement",
        "req-code": "desain",
        "req-name_id": "Desain reklame",
        "req-name_en": "Design",
        "req-format": "image",
        "req-mandatory": "on",
    }
    assert client.post(edit, req).status_code == 302
    assert client.post(edit, {"form": "sla", "sla-document_check": "2"}).status_code == 302
    bad = client.post(edit, {**data, "form": "type", "fee_kind": "fixed", "fee_rate": "5"})
    assert bad.status_code == 422
    with region_scope(pworld_a.region):
        assert t.requirements.filter(region=pworld_a.region, code="desain").exists()
        assert t.slas.get(region=pworld_a.region, stage="document_check").working_days == 2
    page = client.get(url(pworld_a)).content.decode()
    assert "Izin Reklame" in page


def test_the_routing_rules_page_adopts_the_defaults(client: Client, pworld_a: PermitsWorld) -> None:
    as_role(client, pworld_a, Role.REGION_ADMIN)
    assert client.post(url(pworld_a, "staff/catalogue/rules/"), {"adopt": "1"}).status_code == 302
    from ..models import RoutingRule

    with region_scope(pworld_a.region):
        assert RoutingRule.objects.filter(region=pworld_a.region).count() == 5
