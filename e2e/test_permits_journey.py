"""The online-licensing journeys of issue 5 (Hayu), in a real browser against the demo of
Kota Bandung: a warung is registered at once with its receipt; a pharmacy goes through a
correction, the field inspection, the recommendation, approval, the levy and the head of
region's signature; and anyone who opens the verification link printed on the document
(what its QR code encodes) reads "valid", while an altered code is not found.

Elements are found by form field names, form actions and data- hooks, never by wording,
except the verdict a citizen reads on the verification page, which is the point of it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from .conftest import ACTION_TIMEOUT_MS, ARTIFACTS
from .test_journeys import REGION, log_in, switch_language, visit

pytestmark = pytest.mark.e2e

STAFF = f"@{REGION}.demo"
NPWP = "01.234.567.8-901.000"
# A printed code is 16 characters of token and 16 of HMAC, both URL-safe base64.
VERIFY_PATH = re.compile(rf"https?://[^/\s]+(/{REGION}/permits/verify/[A-Za-z0-9_-]{{32}}/)")


@contextmanager
def signed_in(browser: Browser, base_url: str, email: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="id-ID")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        if email:
            log_in(page, email)
        yield page
    except Exception:
        who = email.split("@")[0] or "visitor"
        page.screenshot(path=str(ARTIFACTS / f"permits-{who}.png"), full_page=True)
        raise
    finally:
        context.close()


def _pdf_bytes() -> bytes:
    """A small, real one-page PDF (the upload check reads the content, not the name)."""
    content = b"BT /F1 12 Tf 72 720 Td (Dokumen uji) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 110, 60)).save(out, "PNG")
    return out.getvalue()


def _pdf(name: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": _pdf_bytes()}


def _png(name: str) -> FilePayload:
    return {"name": name, "mimeType": "image/png", "buffer": _png_bytes()}


def _printed_verification_path(pdf: bytes) -> str:
    """The verification link printed under the document's QR code, read from the PDF's
    text: each font's ToUnicode map decodes the glyph codes of the page's text runs."""
    streams = []
    for start in re.finditer(rb"stream\r?\n", pdf):
        try:
            streams.append(zlib.decompressobj().decompress(pdf[start.end() :]))
        except zlib.error:
            continue
    glyphs = [
        re.findall(rb"<([0-9a-fA-F]+)>", run)
        for stream in streams
        if b"TJ" in stream
        for run in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S)
    ]
    codes = [code for run in glyphs for code in run]
    for stream in streams:
        cmap: dict[bytes, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                cmap[src.lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        if not cmap:
            continue
        text = "".join(
            cmap.get(code[i : i + 4].lower(), "\ufffd")
            for code in codes
            for i in range(0, len(code), 4)
        )
        found = VERIFY_PATH.search(text)
        if found:
            return found.group(1)
    raise AssertionError("no verification link printed in the PDF")


def _download_pdf(page: Page) -> bytes:
    """Follow the application page's PDF link as the signed-in holder; the PDF's bytes."""
    link = page.locator("main a[href$='/document.pdf']").first
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href") or "")
    assert response.status == 200, response.status
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-"), body[:20]
    return body


def _submit(page: Page, form: Locator) -> None:
    """Send the form and wait for the page it leads to (after any redirect)."""
    with page.expect_navigation():
        form.locator("[type='submit']").last.click()


def _apply(page: Page, kbli: str, capital: str, lane: str, fields: dict[str, str]) -> int:
    """Apply as a person would: the activity and capital first, then the plan's form with
    one file per requirement. The id of the application the page lands on."""
    page.goto(f"/{REGION}/permits/apply/")
    need = page.locator("main form:has(select[name='kbli'])")
    need.locator("select[name='kbli']").select_option(kbli)
    need.locator("input[name='capital']").fill(capital)
    _submit(page, need)
    expect(page.locator("[data-lane]")).to_have_attribute("data-lane", lane)
    form = page.locator("main form[method='post']:has(input[name='business_name'])")
    for name, value in {"npwp": NPWP, **fields}.items():
        form.locator(f"[name='{name}']").fill(value)
    kelurahan = form.locator("select[name='kelurahan_code']")
    kelurahan.select_option(
        kelurahan.locator("option:not([value=''])").first.get_attribute("value")
    )
    for upload in form.locator("input[type='file']").all():
        accept = upload.get_attribute("accept") or ""
        upload.set_input_files(files=[_pdf("berkas.pdf") if "pdf" in accept else _png("foto.png")])
    _submit(page, form)
    found = re.search(r"/permits/applications/(\d+)/$", page.url)
    assert found, page.url
    return int(found.group(1))


def _expect_state(page: Page, state: str) -> None:
    expect(page.locator("dd[data-state]")).to_have_attribute("data-state", state)


def _step(page: Page, pk: int, action: str, fill: dict[str, str] | None = None) -> None:
    """Take a step from the staff page of the application with its form; every choice
    is the favourable one ("yes"), every file a small real one."""
    page.goto(f"/{REGION}/permits/staff/applications/{pk}/")
    form = page.locator(f"form[data-action='{action}']")
    expect(form).to_be_visible()
    for radio in form.locator("input[type='radio'][value='yes']").all():
        radio.check()
    for name, value in (fill or {}).items():
        field = form.locator(f"[name='{action}-{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for upload in form.locator("input[type='file']").all():
        upload.set_input_files(files=[_png("lokasi.png")])
    _submit(page, form)
    # Taken: back on the application's page (a refusal stays on the step's URL, 4xx).
    expect(page).to_have_url(re.compile(rf"/staff/applications/{pk}/$"))


def _inspector(page: Page, pk: int) -> str:
    page.goto(f"/{REGION}/permits/staff/applications/{pk}/")
    options = page.locator("select[name='schedule-inspector'] option:not([value=''])")
    return options.first.get_attribute("value") or ""


def _visitor_verifies(browser: Browser, base_url: str, path: str, number: str) -> None:
    """An anonymous visitor opens the printed link: valid, in Indonesian, then English;
    the same link with one character changed is not in the region's records."""
    with signed_in(browser, base_url, "") as visitor:
        assert visit(visitor, path) == 200
        expect(visitor.locator("html")).to_have_attribute("lang", "id")
        answer = visitor.locator("[data-status]")
        expect(answer).to_have_attribute("data-status", "valid")
        expect(answer.locator(".verdict")).to_have_text("Berlaku")
        expect(answer.locator("code")).to_have_text(number)
        switch_language(visitor, "en")
        expect(answer).to_have_attribute("data-status", "valid")
        expect(answer.locator(".verdict")).to_have_text("Valid")
        switch_language(visitor, "id")
        code = path.rstrip("/").rsplit("/", 1)[1]
        altered = code[:-1] + ("A" if code[-1] != "A" else "B")
        assert visit(visitor, path.replace(code, altered)) == 404
        expect(visitor.locator("[data-status]")).to_have_attribute("data-status", "unknown")
        expect(visitor.locator("[data-status] code")).to_have_count(0)


def test_a_small_warung_is_registered_at_once_with_its_receipt(
    browser: Browser, base_url: str
) -> None:
    # given a citizen with a low-risk eating house and capital under the threshold
    with signed_in(browser, base_url, "citizen1@warga.demo") as citizen:
        # when they apply
        _apply(
            citizen,
            kbli="56102",
            capital="30000000",
            lane="report_only",
            fields={
                "business_name": "Warung Nasi Uji Cepat",
                "owner_name": "Siti Rahayu",
                "owner_nik": "3273010101900099",
                "business_address": "Jl. Cikutra No. 12",
            },
        )
        # then they are registered at once, with a receipt number and its PDF
        _expect_state(citizen, "registered")
        number = citizen.locator("main [aria-labelledby='issued-h'] code").first.inner_text()
        assert re.fullmatch(r"REG-[\w.-]+-\d{4}-\d{6}", number), number
        path = _printed_verification_path(_download_pdf(citizen))
    # and the receipt's printed link says it is valid
    _visitor_verifies(browser, base_url, path, number)


def test_a_pharmacy_goes_through_correction_inspection_and_signature(
    browser: Browser, base_url: str
) -> None:
    applicant = "citizen2@warga.demo"
    # given a pharmacy, an activity that needs a permit with a field inspection
    with signed_in(browser, base_url, applicant) as citizen:
        pk = _apply(
            citizen,
            kbli="47721",
            capital="350000000",
            lane="permit",
            fields={
                "business_name": "Apotek Uji Sejahtera",
                "owner_name": "Dewi Lestari",
                "owner_nik": "3273010101900098",
                "business_address": "Jl. Antapani No. 7",
                "area_m2": "40",
            },
        )
        _expect_state(citizen, "document_check")
    # when the officer asks for a correction, the clock stops
    with signed_in(browser, base_url, f"officer{STAFF}") as officer:
        _step(officer, pk, "correction", {"note": "Denah lokasi tidak terbaca; unggah ulang."})
        _expect_state(officer, "returned")
    # and the applicant reads the request and sends a new site plan back
    with signed_in(browser, base_url, applicant) as citizen:
        citizen.goto(f"/{REGION}/permits/applications/{pk}/")
        _expect_state(citizen, "returned")
        expect(citizen.locator("[data-correction]")).to_contain_text("Denah lokasi")
        expect(citizen.locator("dd[data-state] time")).to_have_count(0)
        resubmit = citizen.locator(f"form[action$='/applications/{pk}/resubmit/']")
        resubmit.locator("input[name='doc_denah']").set_input_files(files=[_pdf("denah.pdf")])
        resubmit.locator("[name='note']").fill("Denah baru sudah diunggah.")
        _submit(citizen, resubmit)
        _expect_state(citizen, "document_check")
        expect(citizen.locator("dd[data-state] time")).to_have_count(1)
    # then the officer checks the documents, inspects the premises and recommends
    with signed_in(browser, base_url, f"officer{STAFF}") as officer:
        _step(officer, pk, "check")
        _expect_state(officer, "inspection")
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        when = f"{tomorrow.isoformat()}T09:00"
        _step(officer, pk, "schedule", {"scheduled_at": when, "inspector": _inspector(officer, pk)})
        _step(officer, pk, "inspect", {"findings": "Ruang apotek sesuai denah; ada apoteker."})
        _expect_state(officer, "recommendation")
        _step(officer, pk, "recommend", {"text": "Memenuhi persyaratan teknis apotek."})
        _expect_state(officer, "approval")
    # and the head of unit approves: the levy is due
    with signed_in(browser, base_url, f"head{STAFF}") as head:
        _step(head, pk, "approve")
        _expect_state(head, "payment")
    with signed_in(browser, base_url, applicant) as citizen:
        citizen.goto(f"/{REGION}/permits/applications/{pk}/")
        pay = citizen.locator(f"form[action$='/applications/{pk}/pay/']")
        pay.locator("[name='reference']").fill("BJB-UJI-2025-0001")
        _submit(citizen, pay)
        _expect_state(citizen, "signing")
    # and the head of region signs
    with signed_in(browser, base_url, f"kepala{STAFF}") as signer:
        _step(signer, pk, "sign")
        _expect_state(signer, "issued")
    # then the applicant sees the permit issued and downloads it
    with signed_in(browser, base_url, applicant) as citizen:
        citizen.goto(f"/{REGION}/permits/applications/{pk}/")
        _expect_state(citizen, "issued")
        number = citizen.locator("main [aria-labelledby='issued-h'] code").first.inner_text()
        assert re.fullmatch(r"IZIN-[\w.-]+-\d{4}-\d{6}", number), number
        path = _printed_verification_path(_download_pdf(citizen))
    # and a citizen who scans its QR code reads that it is valid
    _visitor_verifies(browser, base_url, path, number)
