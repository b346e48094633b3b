"""The printable documents: a registration receipt (instant lanes) and a permit, each a
real PDF (WeasyPrint) with a QR code (segno) to the public verification page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from lumbung.core.models import Region

from .codes import code_for
from .models import INSTANT_LANES, Application, Permit


def verification_url(region: Region, permit: Permit) -> str:
    """Where the QR code leads: the public verification page of the permit's region."""
    code = code_for(region.pk, permit.token)
    return f"{settings.LUMBUNG_BASE_URL}/{region.slug}/permits/verify/{code}/"


def document_html(region: Region, permit: Permit, language: str = "id") -> str:
    """The document as HTML: the receipt for an instant registration, else the permit.
    The owner's NIK is never printed; the business, its activities and address are."""
    url = verification_url(region, permit)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    application: Application = permit.application
    template = (
        "permits/pdf/receipt.html" if permit.lane in INSTANT_LANES else "permits/pdf/permit.html"
    )
    context = {
        "region": region,
        "permit": permit,
        "application": application,
        "activities": [a.kbli for a in application.activities.filter(region=region)],
        "permit_type": permit.permit_type,
        "verification_url": url,
        "qr": qr,
    }
    with translation.override(language):
        return render_to_string(template, context)


def document_pdf(region: Region, permit: Permit, language: str = "id") -> bytes:
    """The document as PDF bytes (served by a view; nothing is stored)."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = document_html(region, permit, language)
    pdf: bytes = HTML(string=html, base_url=settings.LUMBUNG_BASE_URL).write_pdf()
    return pdf
