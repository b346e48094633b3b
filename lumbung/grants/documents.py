"""The documents a hibah produces, as PDF (WeasyPrint): the nominative list of prospective
recipients of a programme, the NPHD draft of a proposal, and the disbursement order of a
tranche. Each carries the region's name, a document number and a QR code to the public
register, so a printed copy can be checked against what the region publishes.

Document numbers are derived from the records (the proposal's number, the tranche's), not
drawn from a series: printing a draft twice gives the same number and uses up none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from lokal import format_rupiah, terbilang
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from lumbung.core.errors import NotFound
from lumbung.core.models import Region

from .flags import region_today
from .models import BudgetLine, HibahProgramme, Proposal, Tranche
from .workflow import FUNDED


@dataclass(frozen=True)
class PdfDocument:
    number: str
    filename: str
    html: str  # what was laid out, kept for tests and previews
    content: bytes
    pages: int


def register_url(region: Region, proposal: Proposal | None = None) -> str:
    """The public register (of one proposal), where a printed document can be checked."""
    base = f"{settings.LUMBUNG_BASE_URL}/{region.slug}/grants/register/"
    return f"{base}{proposal.public_id}/" if proposal is not None else base


def rupiah_words(amount: Decimal) -> str:
    """The amount in Indonesian words, as written on agreements ("Seratus juta rupiah")."""
    whole = int(amount)
    sen = int((amount - whole) * 100)
    words = terbilang(whole) + " rupiah"
    if sen:
        words += " " + terbilang(sen) + " sen"
    return words[:1].upper() + words[1:]


def rupiah(amount: Decimal | None) -> str:
    if amount is None:
        return "-"
    return format_rupiah(amount, decimals=amount != amount.to_integral_value())


def nominative_list(*, region: Region, programme: HibahProgramme) -> PdfDocument:
    """The programme's prospective recipients (every proposal with a final amount, listed
    or further along), with their addresses, purposes and the total."""
    _same_region(region, programme)
    proposals = list(
        Proposal.objects.filter(
            region=region, programme=programme, state__in=FUNDED, amount_final__isnull=False
        )
        .select_related("organisation")
        .order_by("number")
    )
    total = sum((p.amount_final or Decimal(0) for p in proposals), Decimal(0))
    number = f"DNC/{region.code.replace('.', '')}/{programme.year}/{programme.code.upper()}"
    context = {
        "programme": programme,
        "rows": [(p, rupiah(p.amount_final)) for p in proposals],
        "total": rupiah(total),
        "total_words": rupiah_words(total),
        "qr_url": f"{register_url(region)}?programme={programme.code}",
    }
    return _render(region, "grants/pdf/nominative.html", number, context)


def nphd_draft(*, region: Region, proposal: Proposal) -> PdfDocument:
    """The grant agreement (NPHD) between the head of region and the organisation, to be
    signed: parties, amount in figures and words, purpose, obligations, the LPJ due date."""
    _same_region(region, proposal)
    if proposal.amount_final is None:
        raise NotFound(_("This proposal has no final amount yet."))
    from .services.disbursement import lpj_due_on

    organisation = proposal.organisation
    chair = next(
        (o.get("name", "") for o in organisation.officers if o.get("position") == "ketua"), ""
    )
    context = {
        "proposal": proposal,
        "organisation": organisation,
        "chair": chair,
        "amount": rupiah(proposal.amount_final),
        "amount_words": rupiah_words(proposal.amount_final),
        "lpj_due_on": proposal.lpj_due_on or lpj_due_on(region, proposal.programme),
        "lines": BudgetLine.objects.filter(region=region, proposal=proposal),
        "is_draft": proposal.nphd_signed_on is None,
        "qr_url": register_url(region, proposal),
    }
    number = proposal.nphd_number or f"{proposal.number}/NPHD"
    return _render(region, "grants/pdf/nphd.html", number, context)


def disbursement_order(*, region: Region, tranche: Tranche) -> PdfDocument:
    """The order to pay one tranche into the organisation's account, with what was paid
    before it and what remains of the final amount."""
    _same_region(region, tranche)
    proposal = Proposal.objects.select_related("organisation").get(
        region=region, pk=tranche.proposal_id
    )
    before = Tranche.objects.filter(
        region=region, proposal=proposal, number__lt=tranche.number
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    final = proposal.amount_final or Decimal(0)
    context = {
        "proposal": proposal,
        "organisation": proposal.organisation,
        "tranche": tranche,
        "amount": rupiah(tranche.amount),
        "amount_words": rupiah_words(tranche.amount),
        "final": rupiah(final),
        "before": rupiah(before),
        "remaining": rupiah(final - before - tranche.amount),
        "qr_url": register_url(region, proposal),
    }
    number = f"{proposal.number}/PENCAIRAN/{tranche.number}"
    return _render(region, "grants/pdf/disbursement.html", number, context)


def _same_region(region: Region, obj: Any) -> None:
    if obj.region_id != region.pk:
        raise NotFound()


def _render(region: Region, template: str, number: str, context: dict[str, Any]) -> PdfDocument:
    qr = segno.make(context["qr_url"], error="m")
    html = render_to_string(
        template,
        {
            **context,
            "region": region,
            "number": number,
            "qr": qr.svg_data_uri(scale=4, border=2),
            "printed_on": region_today(region),
        },
    )
    document = HTML(string=html, url_fetcher=inline_only_fetcher()).render()
    filename = number.replace("/", "-") + ".pdf"
    return PdfDocument(number, filename, html, document.write_pdf(), len(document.pages))


def inline_only_fetcher() -> URLFetcher:
    """Documents embed everything they show (the QR code is a data: URI): nothing that
    ended up in a document's text can make the server fetch a URL or read a file."""
    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
