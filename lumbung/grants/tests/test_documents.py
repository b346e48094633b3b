"""Generated PDFs. pypdf is not installed, so each test checks the PDF bytes' frame and
page count, and reads the text back from WeasyPrint's own layout of the exact HTML the PDF
was made from: a value that was not laid out on a page fails the test."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
import segno
from django.conf import settings
from django.utils import translation
from weasyprint import HTML
from weasyprint.formatting_structure.boxes import Box, TextBox

from lumbung.core.errors import NotFound
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

from ..documents import (
    PdfDocument,
    disbursement_order,
    inline_only_fetcher,
    nominative_list,
    nphd_draft,
    register_url,
    rupiah_words,
)
from ..models import BudgetLine, Proposal
from . import flag_factories as f


@pytest.fixture
def ga(world_a: RegionWorld) -> Iterator[RegionWorld]:
    f.enable_grants(world_a)
    with region_scope(world_a.region), translation.override("id"):
        yield world_a


def _texts(box: Box) -> Iterator[str]:
    if isinstance(box, TextBox):
        yield box.text
    for child in getattr(box, "children", None) or ():
        yield from _texts(child)


def laid_out(doc: PdfDocument) -> str:
    """Every piece of text WeasyPrint placed on the pages, whitespace removed (lines break
    anywhere)."""
    pages = HTML(string=doc.html).render().pages
    assert len(pages) == doc.pages
    return re.sub(r"\s+", "", "".join(t for page in pages for t in _texts(page._page_box)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_pdf(doc: PdfDocument) -> None:
    assert doc.content.startswith(b"%PDF-")
    assert doc.content.rstrip().endswith(b"%%EOF")
    assert doc.pages >= 1
    assert doc.filename.endswith(".pdf")
    assert "/" not in doc.filename


def assert_qr_to(doc: PdfDocument, url: str) -> None:
    expected = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    assert f'src="{expected}"' in html.unescape(doc.html)


def test_rupiah_in_words() -> None:
    assert rupiah_words(Decimal("150000000.00")) == "Seratus lima puluh juta rupiah"
    assert rupiah_words(Decimal("1500000.50")) == "Satu juta lima ratus ribu rupiah lima puluh sen"
    assert rupiah_words(Decimal("0")) == "Nol rupiah"


def test_nominative_list(ga: RegionWorld, world_b: RegionWorld) -> None:
    region = ga.region
    prog = f.programme(region, 2026, name_id="Hibah Rumah Ibadah")
    masjid = f.organisation(region, name="DKM Masjid Al-Ikhlas", address="Jl. Cibadak No. 12")
    listed = f.proposal(region, org=masjid, prog=prog, state="nominative", final=90_000_000)
    paid = f.proposal(region, prog=prog, state="disbursed", final=100_000_000)
    pending = f.proposal(region, prog=prog, state="tapd", final=70_000_000)
    dropped = f.proposal(region, prog=prog, state="rejected", final=50_000_000)
    doc = nominative_list(region=region, programme=prog)
    assert_pdf(doc)
    text = laid_out(doc)
    for expected in (
        region.title,
        "Hibah Rumah Ibadah",
        doc.number,
        masjid.name,
        "Jl. Cibadak No. 12",
        listed.number,
        paid.number,
        "Rp90.000.000",
        "Rp190.000.000",  # the total
        "Seratus sembilan puluh juta rupiah",
    ):
        assert squeeze(expected) in text, expected
    assert pending.number not in text
    assert dropped.number not in text
    assert_qr_to(doc, f"{register_url(region)}?programme={prog.code}")
    # another region's programme is not found
    f.enable_grants(world_b)
    with region_scope(world_b.region):
        foreign = f.programme(world_b.region, 2026)
    with pytest.raises(NotFound):
        nominative_list(region=region, programme=foreign)


def test_nphd_draft(ga: RegionWorld) -> None:
    region = ga.region
    org = f.organisation(
        region,
        name="Yayasan Cahaya",
        officers=[{"position": "ketua", "name": "Hj. Euis Rohaeti"}],
        bank_account_number="0091234567",
    )
    proposal = f.proposal(
        region, org=org, state="decided", final=150_000_000, purpose="Membangun sumur bor"
    )
    BudgetLine.objects.create(
        region=region,
        proposal=proposal,
        description="Pompa air submersible",
        quantity=Decimal(2),
        unit="unit",
        unit_price=Decimal(7_500_000),
        total=Decimal(15_000_000),
    )
    doc = nphd_draft(region=region, proposal=proposal)
    assert_pdf(doc)
    text = laid_out(doc)
    for expected in (
        region.title,
        "Yayasan Cahaya",
        "Hj. Euis Rohaeti",
        "Rp150.000.000",
        "Seratus lima puluh juta rupiah",
        "Membangun sumur bor",
        "Pompa air submersible",
        "0091234567",
        "10 Januari 2027",  # the LPJ due date: the region's default, 10 January next year
    ):
        assert squeeze(expected) in text, expected
    assert 'class="draft"' in doc.html
    assert_qr_to(doc, register_url(region, proposal))
    assert register_url(region, proposal) == (
        f"{settings.LUMBUNG_BASE_URL}/{region.slug}/grants/register/{proposal.public_id}/"
    )
    # once signed, its number and due date are the recorded ones, and it is no draft
    Proposal.objects.filter(pk=proposal.pk).update(
        nphd_number="027/NPHD/2026",
        nphd_signed_on=dt.date(2026, 4, 1),
        lpj_due_on=dt.date(2027, 1, 31),
    )
    proposal.refresh_from_db()
    signed = nphd_draft(region=region, proposal=proposal)
    assert signed.number == "027/NPHD/2026"
    assert 'class="draft"' not in signed.html
    assert squeeze("31 Januari 2027") in laid_out(signed)


def test_nphd_needs_a_final_amount(ga: RegionWorld) -> None:
    with pytest.raises(NotFound):
        nphd_draft(region=ga.region, proposal=f.proposal(ga.region, state="evaluation"))


def test_disbursement_order(ga: RegionWorld) -> None:
    region = ga.region
    proposal = f.proposal(
        region,
        state="disbursed",
        final=100_000_000,
        nphd_number="031/NPHD/2026",
        nphd_signed_on=dt.date(2026, 4, 1),
    )
    f.tranche(region, proposal, dt.date(2026, 4, 10), 40_000_000, number=1)
    second = f.tranche(region, proposal, dt.date(2026, 7, 10), 35_000_000, number=2)
    doc = disbursement_order(region=region, tranche=second)
    assert_pdf(doc)
    assert doc.number == f"{proposal.number}/PENCAIRAN/2"
    text = laid_out(doc)
    for expected in (
        "Rp35.000.000",
        "Tiga puluh lima juta rupiah",
        "Rp40.000.000",  # paid before
        "Rp25.000.000",  # remaining
        "031/NPHD/2026",
        second.reference,
        proposal.organisation.bank_account_number,
    ):
        assert squeeze(expected) in text, expected
    assert_qr_to(doc, register_url(region, proposal))


def test_text_from_the_records_is_text_and_nothing_is_fetched(ga: RegionWorld) -> None:
    region = ga.region
    org = f.organisation(region, name='<img src="http://169.254.169.254/x">Yayasan')
    proposal = f.proposal(region, org=org, state="decided", final=1_000_000)
    doc = nphd_draft(region=region, proposal=proposal)
    assert '<img src="http://169.254.169.254' not in doc.html
    assert squeeze("169.254.169.254") in laid_out(doc)  # shown as text
    for url in ("http://169.254.169.254/latest", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            inline_only_fetcher().fetch(url)
