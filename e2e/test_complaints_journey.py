"""The complaints journey of issue 3, in a real browser against the demo: a citizen on a
phone files a report with a photo, an officer triages and resolves it, the citizen confirms
and rates, and the report shows on the public map.

Elements are found by form field names, form actions and data- hooks, never by wording."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from .test_journeys import REGION, log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}  # a common phone screen, in CSS pixels
# "Permits and licensing" goes to DPMPTSP, the demo officer's unit, by default.
CATEGORY = "perizinan"


def _photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def _file_report(phone: Page) -> tuple[str, str]:
    """File a report as an anonymous citizen; (ticket, secret tracking link)."""
    phone.goto(f"/{REGION}/complaints/report/")
    expect(phone.locator("main a[href='tel:112']").first).to_be_visible()
    form = phone.locator("form#report-form")
    form.locator("select[name='category']").select_option(CATEGORY)
    # A pin on the map (the map is there once its script has run), and the place in words.
    pin_map = phone.locator("[data-pin-map]")
    expect(pin_map).to_be_visible()
    pin_map.click()
    expect(form.locator("input[name='latitude']")).not_to_have_value("")
    form.locator("[name='location_text']").fill("Depan kantor kelurahan, Jl. Merdeka")
    form.locator("textarea[name='description']").fill(
        "Antrean layanan izin usaha tidak dilayani sejak pagi, loket tutup tanpa pemberitahuan."
    )
    form.locator("input[name='photos']").set_input_files(
        files=[{"name": "loket.jpg", "mimeType": "image/jpeg", "buffer": _photo_bytes()}]
    )
    # Public, so that it shows on the region's list and map.
    form.locator("input[name='visibility'][value='public']").check()
    form.locator("input[name='contact_email']").fill("pelapor@example.test")
    form.locator("[type='submit']").last.click()
    phone.wait_for_load_state()
    ticket = phone.locator(".ticket").first.inner_text().strip()
    assert re.fullmatch(r"LAKSA-3273-\d{4}-\d{6}", ticket), ticket
    secret = phone.locator(".secret-link a").first.get_attribute("href") or ""
    assert "key=" in secret
    return ticket, secret


def _officer_resolves(officer: Page, ticket: str) -> None:
    log_in(officer, f"officer@{REGION}.demo")
    # The demo's queue is long; the officer finds the new one by its ticket.
    officer.goto(f"/{REGION}/complaints/staff/?q={ticket}")
    officer.locator(f"a[href$='/staff/{ticket}/']").first.click()
    officer.wait_for_load_state()
    verify = officer.locator("form[data-action='verify']")
    verify.locator("[type='submit']").click()
    officer.wait_for_load_state()
    expect(officer.locator("[data-state]").first).to_have_attribute("data-state", "in_progress")
    resolve = officer.locator("form[data-action='resolve']")
    resolve.locator("textarea[name='note']").fill("Loket dibuka kembali dan antrean dilayani.")
    resolve.locator("[type='submit']").click()
    officer.wait_for_load_state()
    expect(officer.locator("[data-state]").first).to_have_attribute("data-state", "resolved")


def test_a_report_from_a_phone_to_resolution_and_the_public_map(
    browser: Browser, base_url: str
) -> None:
    phone_context = browser.new_context(
        base_url=base_url, locale="id-ID", viewport=PHONE, is_mobile=True, has_touch=True
    )
    staff_context = browser.new_context(base_url=base_url, locale="id-ID")
    try:
        phone, officer = phone_context.new_page(), staff_context.new_page()
        # given a citizen on a phone who files a report with a photo
        ticket, secret = _file_report(phone)
        # when an officer of the unit verifies and resolves it from the work queue
        _officer_resolves(officer, ticket)
        # then the citizen, through the secret link, confirms it is fixed and rates it
        phone.goto(secret)
        reply = phone.locator(f"form[action$='/track/{ticket}/reply/']")
        reply.locator("input[name='answer'][value='confirm']").check()
        reply.locator("select[name='rating']").select_option("5")
        reply.locator("[type='submit']").click()
        phone.wait_for_load_state()
        expect(phone.locator("[data-state]").first).to_have_attribute("data-state", "closed")
        # and the report, with its photo, is on the region's public list and map
        phone.goto(f"/{REGION}/complaints/")
        expect(phone.locator(f"a[href*='/track/{ticket}/']").first).to_be_visible()
        points = json.loads(phone.locator("#complaints-points").inner_text())
        assert any(p["url"].endswith(f"/track/{ticket}/") for p in points), "not on the map"
        phone.goto(f"/{REGION}/complaints/track/{ticket}/")
        expect(phone.locator("img[src*='/complaints/photo/']").first).to_be_visible()
    finally:
        phone_context.close()
        staff_context.close()
