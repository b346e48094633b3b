"""Log in as each demo role of Kota Bandung, see the right dashboard, switch language.

Elements are found by stable hooks (form field names, data-dashboard, the html lang
attribute, tel: links), never by CSS classes or exact wording, so restyling and rewording
the templates does not break these journeys."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

REGION = "kota-bandung"
PASSWORD = "lumbung-demo"  # the demo's published password (lumbung.core.demo.DEMO_PASSWORD)
DASHBOARDS = ("admin", "officer", "unit_head", "auditor")
STAFF = [
    pytest.param(f"admin@{REGION}.demo", "admin", id="region-admin"),
    pytest.param(f"officer@{REGION}.demo", "officer", id="officer"),
    pytest.param(f"head@{REGION}.demo", "unit_head", id="unit-head"),
    pytest.param(f"auditor@{REGION}.demo", "auditor", id="auditor"),
]


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("[type='submit']").first.click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def visit(page: Page, path: str) -> int:
    """Open a page; its HTTP status."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    return response.status


def switch_language(page: Page, code: str) -> None:
    """Use the header's language form, whether it offers a select or one button per language."""
    form = page.locator("form[action*='setlang']").first
    select = form.locator("select[name='language']")
    if select.count():
        select.select_option(code)
        form.locator("[type='submit']").first.click()
    else:
        form.locator(f"[type='submit'][name='language'][value='{code}']").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


def chrome_text(page: Page) -> str:
    """The header and the page's main heading: translated text, but no one-off flash
    message or activity list that could change between two loads of the same page."""
    heading = page.locator("main h1").first
    return page.locator("header").first.inner_text() + "\n" + heading.inner_text()


def assert_language_switches(page: Page) -> None:
    """Indonesian by default; English by the switch, with the page's text translated; and back."""
    expect(page.locator("html")).to_have_attribute("lang", "id")
    path = page.url
    text_id = chrome_text(page)
    switch_language(page, "en")
    assert page.url == path, "the language switch should stay on the same page"
    text_en = chrome_text(page)
    assert text_en != text_id, "switching to English did not change the page's text"
    switch_language(page, "id")
    assert chrome_text(page) == text_id


@pytest.mark.parametrize(("email", "dashboard"), STAFF)
def test_staff_member_lands_on_their_role_dashboard(page: Page, email: str, dashboard: str) -> None:
    # given a demo staff member of Kota Bandung
    # when they log in through the login page
    log_in(page, email)
    # then they land on the region's back office, with their role's part of the dashboard
    expect(page).to_have_url(re.compile(rf"/{REGION}/staff/$"))
    expect(page.locator(f"[data-dashboard='{dashboard}']")).to_be_visible()
    for other in DASHBOARDS:
        if other != dashboard:
            expect(page.locator(f"[data-dashboard='{other}']")).to_have_count(0)
    # and they can read it in English and back in Indonesian
    assert_language_switches(page)
    expect(page.locator(f"[data-dashboard='{dashboard}']")).to_be_visible()


def test_citizen_gets_no_back_office(page: Page) -> None:
    # given a demo citizen
    # when they log in
    log_in(page, "citizen1@warga.demo")
    # then they are on the platform's home page, with no dashboard at all
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("[data-dashboard]")).to_have_count(0)
    assert_language_switches(page)
    # and the region's back office refuses them
    assert visit(page, f"/{REGION}/staff/") == 403
    expect(page.locator("[data-dashboard]")).to_have_count(0)


def test_region_home_warns_it_is_not_for_emergencies(page: Page) -> None:
    # given an anonymous visitor
    # when they open Kota Bandung's home page
    status = visit(page, f"/{REGION}/")
    # then it answers in Indonesian and shows the "not for emergencies, call 112" notice
    assert status == 200
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("main a[href='tel:112']")).to_be_visible()
    # and so it does in English
    switch_language(page, "en")
    expect(page.locator("main a[href='tel:112']")).to_be_visible()
