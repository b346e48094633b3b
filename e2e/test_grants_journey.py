"""The hibah journey of issue 4, in a real browser against the demo: an organisation submits
a proposal with its cost breakdown and documents; the officer, the consideration team, the
evaluating unit, the budget team and the head of region each take their step; the NPHD is
recorded and the grant paid; the public register shows it disbursed, with every amount.

Elements are found by form field names, form actions and data- hooks, never by wording."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import ACTION_TIMEOUT_MS, ARTIFACTS
from .test_journeys import REGION, log_in

pytestmark = pytest.mark.e2e

# Sanggar Seni Sunda Giri Harja, a verified demo organisation registered by this citizen.
APPLICANT = "citizen4@warga.demo"
TITLE = "Pelatihan angklung untuk anak-anak RW 07"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@contextmanager
def signed_in(browser: Browser, base_url: str, email: str) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="id-ID")
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, email)
        yield page
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"grants-{email.split('@')[0]}.png"), full_page=True)
        raise
    finally:
        context.close()


def _pdf(name: str) -> dict[str, object]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def _submit_proposal(page: Page) -> int:
    """The organisation's account submits a proposal; its id (from the page it lands on)."""
    page.goto(f"/{REGION}/grants/proposals/new/")
    form = page.locator("form.grants-form")
    programme = form.locator("select[name='programme'] option:not([value=''])").first
    form.locator("select[name='programme']").select_option(programme.get_attribute("value"))
    form.locator("[name='title']").fill(TITLE)
    form.locator("[name='purpose']").fill("Melatih 30 anak bermain angklung setiap pekan.")
    form.locator("[name='location']").fill("Balai RW 07, Jl. Cikutra")
    form.locator("[name='lines-0-description']").fill("Seperangkat angklung")
    form.locator("[name='lines-0-quantity']").fill("2")
    form.locator("[name='lines-0-unit']").fill("set")
    form.locator("[name='lines-0-unit_price']").fill("7.500.000")
    for upload in form.locator("input[type='file']").all():
        upload.set_input_files(files=[_pdf("dokumen.pdf")])
    form.locator("[type='submit']").last.click()
    page.wait_for_load_state()
    found = re.search(r"/grants/proposals/(\d+)/", page.url)
    assert found, page.url
    return int(found.group(1))


def _step(page: Page, pk: int, action: str, fill: dict[str, str] | None = None) -> None:
    """Take the proposal's current step from the staff case page with its form."""
    page.goto(f"/{REGION}/grants/staff/proposals/{pk}/")
    form = page.locator(f"form[data-action='{action}']")
    expect(form).to_be_visible()
    for radio in form.locator("input[type='radio'][value='yes']").all():
        radio.check()
    today = dt.date.today().isoformat()
    for date in form.locator("input[type='date']").all():
        date.fill(today)
    for name, value in (fill or {}).items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for upload in form.locator("input[type='file']").all():
        upload.set_input_files(files=[_pdf("berkas.pdf")])
    version = form.locator("input[name='expected_version']").input_value()
    form.locator("[type='submit']").last.click()
    page.wait_for_load_state()
    # The step was taken: the case moved on, so the same form (same version) is gone.
    page.goto(f"/{REGION}/grants/staff/proposals/{pk}/")
    stale = page.locator(f"form[data-action='{action}'] input[value='{version}']")
    expect(stale).to_have_count(0)


def _unit_value(page: Page, pk: int, name: str) -> str:
    page.goto(f"/{REGION}/grants/staff/proposals/{pk}/")
    option = page.locator("form[data-action='assign'] select[name='unit'] option", has_text=name)
    return option.first.get_attribute("value") or ""


def test_a_proposal_from_submission_to_disbursement_and_the_public_register(
    browser: Browser, base_url: str
) -> None:
    with signed_in(browser, base_url, APPLICANT) as applicant:
        pk = _submit_proposal(applicant)
    staff = f"@{REGION}.demo"
    with signed_in(browser, base_url, f"officer{staff}") as officer:
        _step(officer, pk, "check_ok")
    with signed_in(browser, base_url, f"pertimbangan{staff}") as team:
        _step(team, pk, "assign", {"unit": _unit_value(team, pk, "Sosial")})
    with signed_in(browser, base_url, f"dinsos{staff}") as evaluator:
        _step(evaluator, pk, "recommend", {"amount": "14.000.000"})
    with signed_in(browser, base_url, f"pertimbangan{staff}") as team:
        _step(team, pk, "consider", {"amount": "13.500.000"})
    with signed_in(browser, base_url, f"tapd{staff}") as tapd:
        _step(tapd, pk, "finalise", {"amount": "13.000.000"})
    with signed_in(browser, base_url, f"kepala{staff}") as head:
        _step(head, pk, "decide", {"decision_number": "900/Kep.777-BPKAD/E2E"})
    with signed_in(browser, base_url, f"officer{staff}") as officer:
        _step(officer, pk, "sign_nphd", {"nphd_number": "027/777/NPHD/E2E"})
        _step(officer, pk, "disburse", {"amount": "13.000.000", "reference": "SP2D-E2E-1"})

    with signed_in(browser, base_url, APPLICANT) as public:
        public.goto(f"/{REGION}/grants/?q=angklung")
        row = public.locator("table tbody tr", has_text=TITLE)
        expect(row).to_have_count(1)
        expect(row.locator(".tag.state-disbursed")).to_be_visible()
        row.locator("a").first.click()
        public.wait_for_load_state()
        text = public.locator("main").inner_text().replace("\xa0", "").replace(" ", "")
        for amount in ("15.000.000", "14.000.000", "13.500.000", "13.000.000"):
            assert amount in text, amount
