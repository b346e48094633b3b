"""The applicant's pages: apply in two steps (the requirements before any upload), the
report-only lane's receipt at once, a missing document named at its field, the
correction answered, the levy's reference, withdrawal, the PDF, and nobody else's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Application, Permit
from ..services.stages import application_request_correction
from .factories import NIK, NPWP, PHARMACY, WARUNG, PermitsWorld, apply, pdf, png, reload, to_stage

pytestmark = pytest.mark.django_db


def url(pw: PermitsWorld, tail: str = "") -> str:
    return f"/{pw.region.slug}/permits/{tail}"


def signed_in(client: Client, pw: PermitsWorld, role: Role = Role.CITIZEN) -> Client:
    client.force_login(pw.user(role))
    return client


def identity(pw: PermitsWorld, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "business_name": "Warung Nasi Bu Euis",
        "npwp": NPWP,
        "owner_name": "Euis Komariah",
        "owner_nik": NIK,
        "business_address": "Jl. Braga No. 10",
        "kelurahan_code": pw.kelurahan,
        "kbli": [WARUNG],
        "capital": "50000000",
    }
    data.update(extra)
    return data


def test_apply_asks_to_sign_in(client: Client, pworld_a: PermitsWorld) -> None:
    page = client.get(url(pworld_a, "apply/"))
    assert page.status_code == 302
    assert "/login" in page["Location"] or "accounts" in page["Location"]


def test_the_requirements_show_before_any_upload(client: Client, pworld_a: PermitsWorld) -> None:
    signed_in(client, pworld_a)
    first = client.get(url(pworld_a, "apply/"))
    assert 'name="business_name"' not in first.content.decode()
    second = client.get(url(pworld_a, "apply/"), {"kbli": PHARMACY, "capital": "300000000"})
    body = second.content.decode()
    assert "data-requirements" in body
    assert "Denah lokasi" in body
    assert 'name="doc_denah"' in body
    assert 'name="business_name"' in body


def test_a_small_warung_is_registered_at_once_with_its_receipt(
    client: Client, pworld_a: PermitsWorld
) -> None:
    signed_in(client, pworld_a)
    done = client.post(url(pworld_a, "apply/"), identity(pworld_a))
    assert done.status_code == 302
    with region_scope(pworld_a.region):
        app = Application.objects.get(region=pworld_a.region, business_name="Warung Nasi Bu Euis")
        permit = Permit.objects.get(region=pworld_a.region, application=app)
    assert app.state == "registered"
    page = client.get(done["Location"])
    assert permit.number in page.content.decode()
    receipt = client.get(url(pworld_a, f"permits/{permit.pk}/document.pdf"))
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF")


def test_a_missing_document_is_named_at_its_field_and_nothing_is_written(
    client: Client, pworld_a: PermitsWorld
) -> None:
    signed_in(client, pworld_a)
    data = identity(
        pworld_a,
        kbli=[PHARMACY],
        capital="300000000",
        business_name="Apotek X",
        area_m2="40",
        doc_ktp=png(),
    )
    page = client.post(url(pworld_a, "apply/"), data)
    body = page.content.decode()
    assert page.status_code == 422
    assert 'id="id_doc_denah_error"' in body
    with region_scope(pworld_a.region):
        assert not Application.objects.filter(
            region=pworld_a.region, business_name="Apotek X"
        ).exists()


def test_a_bad_nik_is_refused_at_its_field(client: Client, pworld_a: PermitsWorld) -> None:
    signed_in(client, pworld_a)
    page = client.post(url(pworld_a, "apply/"), identity(pworld_a, owner_nik="123"))
    assert page.status_code == 422
    assert 'id="id_owner_nik_error"' in page.content.decode()


def test_a_permit_application_goes_to_the_document_check(
    client: Client, pworld_a: PermitsWorld
) -> None:
    signed_in(client, pworld_a)
    data = identity(
        pworld_a,
        kbli=[PHARMACY],
        capital="300000000",
        business_name="Apotek Y",
        area_m2="40",
        doc_denah=pdf(),
        doc_ktp=png(),
    )
    done = client.post(url(pworld_a, "apply/"), data)
    assert done.status_code == 302
    with region_scope(pworld_a.region):
        app = Application.objects.get(region=pworld_a.region, business_name="Apotek Y")
    assert app.state == "document_check"
    assert app.fee_amount == Decimal("200000")  # 100,000 + 2,500 x 40 m², by the system
    mine = client.get(url(pworld_a, "mine/")).content.decode()
    assert app.number in mine


def test_the_correction_request_is_answered_from_the_page(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        application_request_correction(
            region=pworld_a.region,
            actor=pworld_a.user(Role.OFFICER),
            application=app,
            note="Denah kurang jelas",
        )
    signed_in(client, pworld_a)
    page = client.get(url(pworld_a, f"applications/{app.pk}/")).content.decode()
    assert "Denah kurang jelas" in page
    assert 'name="doc_denah"' in page
    done = client.post(
        url(pworld_a, f"applications/{app.pk}/resubmit/"),
        {"doc_denah": pdf("baru.pdf"), "note": "Sudah diperbaiki"},
    )
    assert done.status_code == 302
    assert reload(app).state == "document_check"


def test_the_levy_reference_is_required_then_recorded(
    client: Client, pworld_a: PermitsWorld
) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "payment")
    signed_in(client, pworld_a)
    empty = client.post(url(pworld_a, f"applications/{app.pk}/pay/"), {"reference": ""})
    assert empty.status_code == 422
    assert reload(app).state == "payment"
    done = client.post(url(pworld_a, f"applications/{app.pk}/pay/"), {"reference": "BJB-42"})
    assert done.status_code == 302
    assert reload(app).state == "signing"
    assert reload(app).payment_reference == "BJB-42"


def test_withdraw(client: Client, pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    signed_in(client, pworld_a)
    assert client.post(url(pworld_a, f"applications/{app.pk}/withdraw/")).status_code == 302
    assert reload(app).state == "withdrawn"


def test_someone_elses_application_and_pdf_are_404(client: Client, pworld_a: PermitsWorld) -> None:
    app = to_stage(pworld_a, apply(pworld_a), "issued")
    with region_scope(pworld_a.region):
        permit = Permit.objects.get(region=pworld_a.region, application=app)
    client.force_login(pworld_a.user(Role.OFFICER))  # staff: may see the PDF
    assert client.get(url(pworld_a, f"permits/{permit.pk}/document.pdf")).status_code == 200
    from lumbung.core.tests.factories import UserFactory

    stranger = UserFactory.create(email="orang-lain@example.test")
    client.force_login(stranger)
    assert client.get(url(pworld_a, f"applications/{app.pk}/")).status_code == 404
    assert client.get(url(pworld_a, f"permits/{permit.pk}/document.pdf")).status_code == 404
    assert client.post(url(pworld_a, f"applications/{app.pk}/withdraw/")).status_code == 404
