"""The receipt and the permit as real PDFs, each with a QR code to its verification page;
the owner's NIK is never printed."""

from __future__ import annotations

import pytest
from django.test import override_settings

from lumbung.core.tenancy import region_scope

from ..codes import code_for
from ..documents import document_html, document_pdf, verification_url
from ..selectors import verify
from .factories import NIK, PermitsWorld, issue, permit_of, register

pytestmark = pytest.mark.django_db


@override_settings(LUMBUNG_BASE_URL="https://lumbung.example.id")
def test_the_receipt_is_a_pdf_with_its_verification_link(pworld_a: PermitsWorld) -> None:
    permit = permit_of(register(pworld_a))
    region = pworld_a.region
    with region_scope(region):
        url = verification_url(region, permit)
        html = document_html(region, permit)
        pdf = document_pdf(region, permit)
        code = url.rstrip("/").rsplit("/", 1)[-1]
        assert verify(region, code).status == "valid"
    assert url == (
        f"https://lumbung.example.id/{region.slug}/permits/verify/"
        f"{code_for(region.pk, permit.token)}/"
    )
    assert url in html
    assert "data:image/svg+xml" in html  # the QR code, drawn inline
    assert permit.number in html
    assert "Warung Nasi Bu Euis" in html
    assert "56102" in html
    assert NIK not in html
    assert pdf.startswith(b"%PDF-")


def test_the_permit_is_a_pdf_with_its_type_and_validity(pworld_a: PermitsWorld) -> None:
    permit = issue(pworld_a)
    region = pworld_a.region
    with region_scope(region):
        html = document_html(region, permit, language="en")
        pdf = document_pdf(region, permit)
    assert "Pharmacy permit" in html
    assert permit.number in html
    assert verification_url(region, permit) in html
    assert permit.valid_until is not None
    assert str(permit.valid_until.year) in html
    assert NIK not in html
    assert pdf.startswith(b"%PDF-")
