"""The E-RK journey of issue 6, in a real browser against the demo's Kabupaten Serang: a civil
servant logs a day on a phone-sized screen, once online and then with no signal; the
entries wait on the device ("waiting to send"), survive a reload, and are sent exactly once
when the connection returns, even when the first answer is lost on the way back; one that
breaks a rule stays on the device with the server's reason. Her supervisor rejects one
entry, approves a smaller quantity of another and the rest of the day at once; the region
administrator computes and closes the month; a late entry is then refused at its field; she
opens "My allowance" and reads the amount and which entries and attendance days produced
it. A second test logs an entry with script disabled: the plain form is the fallback.

Set-up, and why it is honest. Closing needs a finished month past its cut-off that is still
open. The demo's E-RK regions (Kota Bandung, Kota Tangerang) close last month on its
cut-off (once it has come), so the journey takes a demo region that adopts the module now: Kabupaten
Serang. `seed_month` (run through the project's services in the server's database, before
any page is opened) does what its administrator and payroll would do first: switch the
module on; register two civil servants of DPMPTSP from the first day of last month (an
analyst and her supervisor, accounts of their own with the demo's password); add two
catalogue activities, the platform's pinned default formula (Bandung's: share = min(1,
approved minutes / 6,000)) and the grades' base amounts; import last month's attendance
export (present every working day, late once). It raises two region settings the way an
administrator would for a late catch-up: back-dating reaches the last working day of last
month (the day the journey logs), and, only while today is before last month's cut-off (the
5th), the cut-off moves to today so last month may be closed. Everything the people do is
then done through the pages: logging, reviewing, computing, closing, reading the allowance.

Elements are found by form field names, URLs and data- hooks, never by wording, except the
one English label read after switching the language."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect

from .conftest import ACTION_TIMEOUT_MS, ARTIFACTS, ServerPython
from .test_journeys import log_in, switch_language

pytestmark = pytest.mark.e2e

MODULE = __name__  # the subprocess imports this file to run the server-side functions
REGION = "kabupaten-serang"  # Kabupaten Serang (36.04): the demo leaves E-RK off there
ASN = f"e2e.asn@{REGION}.demo"
SUPERVISOR = f"e2e.atasan@{REGION}.demo"
ADMIN = f"admin@{REGION}.demo"
ASN_NIP = "199005172015032001"
SUPERVISOR_NIP = "197808122003121002"
ASN_GRADE, SUPERVISOR_GRADE = 9, 12
ASN_BASE = 6_000_000  # Rupiah a month at full performance (if the region has none yet)
SUPERVISOR_BASE = 10_000_000
LETTER = ("Menyusun konsep surat dinas", "Draft an official letter", "surat", "letter", 30)
FILE_CHECK = (
    "Memeriksa berkas permohonan izin",
    "Check a permit application file",
    "berkas",
    "file",
    15,
)
LATE_MINUTES = 18  # the first working day of the month, in the attendance export
PHONE_WIDTH = 390
PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
API_ENTRIES = f"**/api/v1/regions/{REGION}/performance/entries"
# The day's entries by their part in the journey: start, end, activity, quantity, note.
DAY = {
    "online": ("08:00", "09:00", "letter", 2, "Surat undangan rapat"),
    "adjust": ("09:00", "10:30", "check", 6, "Berkas izin usaha"),
    "reject": ("10:30", "11:30", "letter", 2, "Surat balasan"),
    "afternoon": ("13:00", "15:00", "check", 8, "Berkas izin reklame"),
}
OFFLINE = ("adjust", "reject", "afternoon")
# Logged with no signal too, over the first entry's time: the server refuses it on reconnecting.
CLASH = ("08:30", "09:30", "letter", 2, "Surat undangan rapat")


# Server side: run by `server_python` in the server's database ------------------------------


def seed_month() -> dict[str, Any]:
    """Give the region what the journey needs before anyone opens a page (see the module's
    docstring); idempotent. The day to log, the people and the activities."""
    from decimal import Decimal

    from django.db import transaction

    from lumbung.core.calendar import RegionCalendar
    from lumbung.core.demo import demo_user
    from lumbung.core.models import ModuleActivation, Region, Unit
    from lumbung.core.services.audit import audit_record
    from lumbung.core.services.regions import region_modules_set
    from lumbung.core.tenancy import region_scope
    from lumbung.performance.allowance.attendance import attendance_import
    from lumbung.performance.allowance.formulas import (
        bandung_default,
        formula_add,
        formula_in_force,
    )
    from lumbung.performance.allowance.months import cutoff_of
    from lumbung.performance.common import month_closed, settings_of
    from lumbung.performance.models import (
        Activity,
        Employee,
        EmploymentType,
        FormulaKind,
        TppFormula,
    )
    from lumbung.performance.registry.selectors import tpp_base_on
    from lumbung.performance.registry.services import EmployeeInput, employee_create
    from lumbung.performance.registry.tpp import tpp_base_add
    from lumbung.performance.selectors import region_today
    from lumbung.performance.worklog.activities import ActivityInput, activity_create

    region = Region.objects.get(slug=REGION)
    with region_scope(region):
        admin = demo_user(ADMIN)
        region_modules_set(region=region, actor=admin, enable=["performance"])
        calendar = RegionCalendar(region)
        today = region_today(region)
        first = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        last = today.replace(day=1) - dt.timedelta(days=1)
        working = [
            first + dt.timedelta(days=n)
            for n in range((last - first).days + 1)
            if calendar.is_working_day(first + dt.timedelta(days=n))
        ]
        day = working[-1]
        assert not month_closed(region, day), f"{first:%m/%Y} is closed in {region}'s demo"

        # The settings an administrator raises for a late catch-up of last month.
        noon = dt.time(12)
        reach = calendar.working_days_between(
            dt.datetime.combine(day, noon, tzinfo=calendar.tz),
            dt.datetime.combine(today, noon, tzinfo=calendar.tz),
        )
        wanted = {
            "backdate_working_days": max(reach + 1, settings_of(region)["backdate_working_days"])
        }
        if today < cutoff_of(region, first.year, first.month):
            wanted["cutoff_day"] = today.day
        row = ModuleActivation.objects.get(region=region, module="performance")
        if any(row.settings.get(k) != v for k, v in wanted.items()):
            with transaction.atomic():
                before = {k: row.settings.get(k) for k in wanted}
                row.settings = {**row.settings, **wanted}
                row.save(update_fields=["settings", "updated_at"])
                # No service writes module settings yet: the audit event (not case work)
                # also tells the running server to read them again.
                audit_record(
                    region=region,
                    actor=None,
                    action="module.settings",
                    obj=row,
                    changes={k: [before[k], v] for k, v in wanted.items()},
                    reason="e2e: catch up last month",
                )

        if not TppFormula.objects.filter(region=region, effective_from__lte=first).exists():
            formula_add(region=region, actor=admin, data=bandung_default(first))
        formula = formula_in_force(region, first)
        assert formula.kind == FormulaKind.MINUTES, f"the journey expects {formula} by minutes"
        for grade, amount in ((ASN_GRADE, ASN_BASE), (SUPERVISOR_GRADE, SUPERVISOR_BASE)):
            if tpp_base_on(region, grade, first) is None:
                tpp_base_add(
                    region=region,
                    actor=admin,
                    job_grade=grade,
                    amount=Decimal(amount),
                    effective_from=first,
                )

        unit = Unit.objects.get(region=region, code="DPMPTSP")
        people = {}
        for key, nip, email, name, position, grade, boss in (
            (
                "supervisor",
                SUPERVISOR_NIP,
                SUPERVISOR,
                "Hendra Gunawan",
                "Kepala Bidang Perizinan",
                SUPERVISOR_GRADE,
                None,
            ),
            ("asn", ASN_NIP, ASN, "Rani Kusumawati", "Analis Perizinan", ASN_GRADE, "supervisor"),
        ):
            demo_user(email, name)
            person = Employee.objects.filter(region=region, nip=nip).first()
            if person is None:
                person = employee_create(
                    region=region,
                    actor=admin,
                    data=EmployeeInput(
                        nip=nip,
                        name=name,
                        unit=unit,
                        position=position,
                        job_grade=grade,
                        employment_type=EmploymentType.PNS,
                        active_from=first,
                        supervisor=people[boss] if boss else None,
                        email=email,
                    ),
                )
            people[key] = person

        activities = {}
        for key, (name_id, name_en, unit_id, unit_en, minutes) in (
            ("letter", LETTER),
            ("check", FILE_CHECK),
        ):
            found = Activity.objects.filter(region=region, name_id=name_id).first()
            if found is None:
                found = activity_create(
                    region=region,
                    actor=admin,
                    data=ActivityInput(
                        name_id=name_id,
                        name_en=name_en,
                        output_unit_id=unit_id,
                        output_unit_en=unit_en,
                        standard_minutes=minutes,
                        positions=(),
                    ),
                )
            activities[key] = found.pk

        # Last month's export of the attendance machines: every working day, late once.
        rows = ["nip,tanggal,jam_masuk,jam_pulang"]
        for n, worked in enumerate(working):
            check_in = f"07:{30 + LATE_MINUTES:02d}" if n == 0 else "07:21"
            check_out = "16:35" if worked.weekday() == 4 else "16:04"
            rows.append(f"{ASN_NIP},{worked.isoformat()},{check_in},{check_out}")
        attendance_import(
            region=region,
            actor=admin,
            kind="attendance",
            filename="mesin-absensi.csv",
            data="\n".join(rows).encode(),
        )
        base = tpp_base_on(region, ASN_GRADE, first)

    return {
        "today": today.isoformat(),
        "today_working": calendar.is_working_day(today),
        "day": day.isoformat(),
        "month": f"{first:%Y-%m}",
        "working_days": [d.isoformat() for d in working],
        "asn": people["asn"].pk,
        "activities": activities,
        "base": int(base or 0),
        "target_minutes": formula.target_minutes,
    }


def entries_by_key(keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every entry stored under each device key (all regions, every state)."""
    from lumbung.core.tenancy import dangerously_unscoped
    from lumbung.performance.models import Entry

    found: dict[str, list[dict[str, Any]]] = {key: [] for key in keys}
    with dangerously_unscoped():
        for entry in Entry.objects.filter(client_key__in=keys).order_by("pk"):
            found[entry.client_key].append(
                {
                    "pk": entry.pk,
                    "state": entry.state,
                    "quantity": entry.quantity,
                    "approved_quantity": entry.approved_quantity,
                    "review_note": entry.review_note,
                    "work_date": entry.work_date.isoformat(),
                }
            )
    return found


def day_entry_count(person: int, day: str) -> int:
    from lumbung.core.tenancy import dangerously_unscoped
    from lumbung.performance.models import Entry

    with dangerously_unscoped():
        return Entry.objects.filter(employee_id=person, work_date=day).count()


def month_state(month: str) -> dict[str, Any]:
    from lumbung.core.models import Region
    from lumbung.core.tenancy import dangerously_unscoped
    from lumbung.performance.models import Period, TppResult

    year, number = (int(p) for p in month.split("-"))
    with dangerously_unscoped():
        region = Region.objects.get(slug=REGION)
        period = Period.objects.get(region=region, year=year, month=number)
        paid = TppResult.objects.get(period=period, employee__nip=ASN_NIP)
        return {"state": period.state, "amount": int(paid.amount)}


# Browser side -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(server_python: ServerPython) -> dict[str, Any]:
    return dict(server_python(f"{MODULE}.seed_month"))


@contextmanager
def signed_in(
    browser: Browser, base_url: str, email: str, **options: Any
) -> Iterator[tuple[BrowserContext, Page]]:
    context = browser.new_context(base_url=base_url, locale="id-ID", **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, email)
        yield context, page
    except Exception:
        who = email.split("@")[0]
        page.screenshot(path=str(ARTIFACTS / f"performance-{who}.png"), full_page=True)
        raise
    finally:
        context.close()


def _log_page(page: Page, day: str) -> Locator:
    page.goto(f"/{REGION}/performance/log/?day={day}")
    form = page.locator("form[data-worklog-form]")
    expect(form).to_be_visible()
    expect(form.locator("[name='work_date']")).to_have_value(day)
    return form


def _fill(form: Locator, name: str, activities: dict[str, int]) -> str:
    """Fill the entry form as a person would; the device key the form will send it with."""
    start, end, activity, quantity, note = CLASH if name == "clash" else DAY[name]
    form.locator("[name='start_time']").fill(start)
    form.locator("[name='end_time']").fill(end)
    form.locator("[name='activity']").select_option(str(activities[activity]))
    form.locator("[name='quantity']").fill(str(quantity))
    form.locator("[name='note']").fill(note)
    return form.locator("[name='client_key']").input_value()


def _fits_the_phone(page: Page) -> None:
    """Nothing makes the whole page scroll sideways (a wide table scrolls in its frame)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px wide"


def _saved(page: Page) -> Locator:
    return page.locator("ul[data-worklog-day] > li[data-entry-id]")


def _waiting(page: Page) -> Locator:
    return page.locator("ul[data-worklog-pending] > li[data-pending-state='waiting']")


def _gave_up(page: Page, form: Locator) -> None:
    """The page's attempt to send ended without a connection: it says so, and the next
    `online` starts a new attempt (one runs at a time)."""
    expect(page.locator("[data-worklog-status]")).to_have_text(
        form.get_attribute("data-msg-offline") or "?"
    )


def _reconnect(context: BrowserContext) -> None:
    """The signal drops and comes back: the page hears `online` and sends its queue."""
    context.set_offline(True)
    context.set_offline(False)


def _wait_for(page: Page, done: Any, what: str) -> None:
    """Let the page run (and its routes answer) until `done()` holds."""
    for _ in range(ACTION_TIMEOUT_MS // 100):
        if done():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def _phone_logs_the_day(
    browser: Browser, base_url: str, server_python: ServerPython, seeded: dict[str, Any]
) -> dict[str, str]:
    """The civil servant's phone: one entry online, four with no signal, sent once on
    reconnecting (one of them refused by a rule). The device keys of the day's entries,
    by their part (DAY)."""
    day, acts = seeded["day"], seeded["activities"]
    keys: dict[str, str] = {}
    with signed_in(browser, base_url, ASN, **PHONE) as (context, phone):
        form = _log_page(phone, day)
        _fits_the_phone(phone)

        # Online: sent at once, and the page shows the server's list.
        keys["online"] = _fill(form, "online", acts)
        with phone.expect_navigation():
            form.locator("[type='submit']").click()
        expect(_saved(phone)).to_have_count(1)
        expect(_saved(phone).first).to_have_attribute("data-client-key", keys["online"])
        expect(phone.locator("ul[data-worklog-pending]")).to_be_hidden()

        # No signal: each entry is kept on the device, visibly waiting to send.
        context.set_offline(True)
        for name in (*OFFLINE, "clash"):
            keys[name] = _fill(form, name, acts)
            form.locator("[type='submit']").click()
            expect(phone.locator(f"li[data-client-key='{keys[name]}']")).to_have_attribute(
                "data-pending-state", "waiting"
            )
        clash = keys.pop("clash")
        queued = [*(keys[name] for name in OFFLINE), clash]
        assert len({*keys.values(), clash}) == 5, keys
        _expect_waiting(phone, form, queued)
        expect(_saved(phone)).to_have_count(1)

        # The signal returns too weak to carry a request, and the page is reloaded: the
        # entries come back from the device's storage, still waiting.
        phone.route(API_ENTRIES, lambda route: route.abort())
        context.set_offline(False)
        phone.reload()
        _gave_up(phone, form)
        _expect_waiting(phone, form, queued)
        expect(_saved(phone)).to_have_count(1)

        # Reconnecting, the first entry reaches the server but its answer is lost: the
        # device cannot know, so it keeps the entry waiting. The next reconnect sends it
        # again; the server answers with the entry it has (200), not a new one, and that
        # answer is lost too.
        lost: list[tuple[str, int]] = []

        def lose_answer(route: Route) -> None:
            if route.request.method != "POST":
                route.continue_()
                return
            answer = route.fetch()
            lost.append((json.loads(route.request.post_data or "{}")["client_key"], answer.status))
            route.abort("connectionreset")

        phone.unroute(API_ENTRIES)
        phone.route(API_ENTRIES, lose_answer)
        for attempt in (1, 2):
            _reconnect(context)
            _wait_for(phone, lambda n=attempt: len(lost) == n, f"attempt {attempt} to reach it")
            _gave_up(phone, form)
        assert lost == [(keys["adjust"], 201), (keys["adjust"], 200)], lost
        _expect_waiting(phone, form, queued)
        stored = server_python(f"{MODULE}.entries_by_key", keys=queued)
        assert [len(stored[k]) for k in queued] == [1, 0, 0, 0], stored

        # Reloaded while the signal is still too weak, the page finds that entry in the
        # server's list of the day: it stops keeping it, and shows it once.
        phone.unroute(API_ENTRIES)
        phone.route(API_ENTRIES, lambda route: route.abort())
        phone.reload()
        _gave_up(phone, form)
        expect(_saved(phone)).to_have_count(2)
        expect(_saved(phone).nth(1)).to_have_attribute("data-client-key", keys["adjust"])
        _expect_waiting(phone, form, queued[1:])

        # The connection comes back for good: the rest is sent; the clash is refused and
        # stays on the device with the server's reason until she removes it.
        phone.unroute(API_ENTRIES)
        with phone.expect_navigation():
            _reconnect(context)
        expect(_saved(phone)).to_have_count(4)
        for key in keys.values():
            saved = phone.locator(f"ul[data-worklog-day] > li[data-client-key='{key}']")
            expect(saved).to_have_attribute("data-state", "submitted")
        refused = phone.locator("ul[data-worklog-pending] > li")
        expect(refused).to_have_count(1)
        expect(refused).to_have_attribute("data-client-key", clash)
        expect(refused).to_have_attribute("data-pending-state", "refused")
        expect(refused.locator("[data-pending-reason]")).not_to_be_empty()
        refused.locator(f"button[data-pending-remove='{clash}']").click()
        expect(phone.locator("ul[data-worklog-pending]")).to_be_hidden()
        assert phone.evaluate(f"localStorage.getItem('{_storage_key(form)}')") == "[]"

        # Sending every entry again, as it was (a device restored from a backup), makes
        # nothing new: each is answered with the entry already made.
        sent_again = [
            {
                "client_key": keys[name],
                "work_date": day,
                "start_time": start,
                "end_time": end,
                "activity_id": acts[activity],
                "quantity": quantity,
                "note": note,
                "overtime": False,
            }
            for name, (start, end, activity, quantity, note) in DAY.items()
        ]
        statuses = phone.evaluate(
            """async ([api, bodies]) => {
                const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
                const statuses = [];
                for (const body of bodies) {
                  const answer = await fetch(api, {method: "POST", credentials: "same-origin",
                    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                    body: JSON.stringify(body)});
                  statuses.push(answer.status);
                }
                return statuses;
            }""",
            [form.get_attribute("data-api"), sent_again],
        )
        assert statuses == [200, 200, 200, 200], statuses

    stored = server_python(f"{MODULE}.entries_by_key", keys=[*keys.values(), clash])
    assert {k: len(v) for k, v in stored.items()} == {
        **dict.fromkeys(keys.values(), 1),
        clash: 0,
    }, stored
    del stored[clash]
    assert all(v[0]["work_date"] == day for v in stored.values()), stored
    assert server_python(f"{MODULE}.day_entry_count", person=seeded["asn"], day=day) == 4
    return keys


def _storage_key(form: Locator) -> str:
    return form.get_attribute("data-storage-key") or ""


def _expect_waiting(page: Page, form: Locator, keys: list[str]) -> None:
    """The queue shows exactly these entries, in order, each with the "waiting" badge in
    the page's language, and the device's storage holds them."""
    waiting = _waiting(page)
    expect(waiting).to_have_count(len(keys))
    for n, key in enumerate(keys):
        expect(waiting.nth(n)).to_be_visible()
        expect(waiting.nth(n)).to_have_attribute("data-client-key", key)
        expect(waiting.nth(n).locator(".badge")).to_have_text(
            form.get_attribute("data-msg-waiting") or "?"
        )
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('{_storage_key(form)}') || '[]')")
    assert [item["client_key"] for item in kept] == keys, kept


def _supervisor_reviews(
    browser: Browser,
    base_url: str,
    server_python: ServerPython,
    seeded: dict[str, Any],
    keys: dict[str, str],
) -> None:
    """Reject one entry with a reason, approve a smaller quantity of another, then the
    rest of the day at once, from the queue."""
    day = seeded["day"]
    stored = server_python(f"{MODULE}.entries_by_key", keys=list(keys.values()))
    pk = {name: stored[key][0]["pk"] for name, key in keys.items()}
    with signed_in(browser, base_url, SUPERVISOR) as (_context, desk):
        desk.goto(f"/{REGION}/performance/approvals/")
        section = desk.locator(f"section[data-employee='{seeded['asn']}'][data-day='{day}']")
        expect(section).to_be_visible()
        expect(section.locator("input[name='entries']")).to_have_count(4)

        section.locator(f"a[href$='/approvals/{pk['reject']}/']").click()
        reject = desk.locator("form:has(input[name='action'][value='reject'])")
        reject.locator("[name='reject-reason']").fill("Surat balasan sudah dihitung kemarin.")
        with desk.expect_navigation():
            reject.locator("[type='submit']").click()
        expect(desk).to_have_url(re.compile(r"/performance/approvals/$"))

        section.locator(f"a[href$='/approvals/{pk['adjust']}/']").click()
        adjust = desk.locator("form:has(input[name='action'][value='adjust'])")
        adjust.locator("[name='adjust-quantity']").fill("4")
        adjust.locator("[name='adjust-reason']").fill("Dua berkas belum lengkap.")
        with desk.expect_navigation():
            adjust.locator("[type='submit']").click()
        expect(section.locator("input[name='entries']")).to_have_count(2)

        with desk.expect_navigation():
            section.locator(f"button[name='day'][value='{seeded['asn']}:{day}']").click()
        expect(desk.locator("section[data-employee]")).to_have_count(0)

    stored = server_python(f"{MODULE}.entries_by_key", keys=list(keys.values()))
    got = {name: stored[key][0] for name, key in keys.items()}
    assert [got[n]["state"] for n in ("online", "adjust", "reject", "afternoon")] == [
        "approved",
        "approved",
        "rejected",
        "approved",
    ], got
    assert got["adjust"]["approved_quantity"] == 4, got
    assert got["reject"]["review_note"] == "Surat balasan sudah dihitung kemarin.", got


def _admin_closes_the_month(
    browser: Browser, base_url: str, server_python: ServerPython, month: str
) -> None:
    with signed_in(browser, base_url, ADMIN) as (_context, desk):
        desk.goto(f"/{REGION}/performance/months/")
        compute = desk.locator("form[action$='/performance/months/compute/']")
        compute.locator("[name='month']").fill(month)
        with desk.expect_navigation():
            compute.locator("[type='submit']").click()
        expect(desk).to_have_url(re.compile(r"/performance/months/\d+/$"))
        expect(desk.locator("[data-period-state]")).to_have_attribute("data-period-state", "open")
        close = desk.locator("form[action$='/close/']")
        with desk.expect_navigation():
            close.locator("[type='submit']").click()
        expect(desk.locator("[data-period-state]")).to_have_attribute("data-period-state", "closed")
        expect(desk.locator("form[action$='/close/']")).to_have_count(0)
    assert server_python(f"{MODULE}.month_state", month=month)["state"] == "closed"


def _expected_amount(seeded: dict[str, Any], approved_minutes: int) -> int:
    """base x min(1, minutes / target), rounded half up to whole Rupiah (the Bandung rule)."""
    target = seeded["target_minutes"]
    return (2 * seeded["base"] * min(approved_minutes, target) + target) // (2 * target)


def _asn_reads_the_allowance(
    browser: Browser, base_url: str, seeded: dict[str, Any], approved_minutes: int
) -> None:
    amount = _expected_amount(seeded, approved_minutes)
    month, day = seeded["month"], seeded["day"]
    with signed_in(browser, base_url, ASN, **PHONE) as (_context, phone):
        # The day shows the review: what was approved, what was not and why.
        phone.goto(f"/{REGION}/performance/log/?day={day}")
        states = phone.locator("ul[data-worklog-day] > li[data-entry-id]")
        expect(states).to_have_count(4)
        expect(phone.locator("ul[data-worklog-day] > li[data-state='rejected']")).to_contain_text(
            "Surat balasan sudah dihitung kemarin."
        )

        # The month is closed: a late entry is refused; the page falls back to posting the
        # plain form, and the server names the field to fix.
        form = phone.locator("form[data-worklog-form]")
        _fill(form, "clash", seeded["activities"])
        form.locator("[name='start_time']").fill("16:00")
        form.locator("[name='end_time']").fill("17:00")
        with phone.expect_navigation():
            form.locator("[type='submit']").click()
        expect(form.locator("[name='work_date']")).to_have_attribute("aria-invalid", "true")
        expect(states).to_have_count(4)

        phone.locator("nav.module-nav a[href$='/performance/tpp/']").click()
        picker = phone.locator("form:has(select[name='month'])")
        picker.locator("select[name='month']").select_option(month)
        with phone.expect_navigation():
            picker.locator("[type='submit']").click()
        _fits_the_phone(phone)
        explained = phone.locator("[data-tpp-amount]")
        expect(explained).to_have_attribute("data-tpp-amount", str(amount))
        expect(explained).to_have_attribute("data-tpp-paid", str(amount))
        expect(explained).to_have_attribute("data-period-state", "closed")
        expect(explained).to_contain_text("Rp" + f"{amount:,}".replace(",", "."))
        expect(phone.locator("[data-approved-minutes]")).to_have_attribute(
            "data-approved-minutes", str(approved_minutes)
        )

        # Which entries produced it: each with its outcome and the minutes it counted.
        rows = phone.locator("tr[data-explained-entry]")
        expect(rows).to_have_count(4)
        outcomes = [r.get_attribute("data-outcome") for r in rows.all()]
        minutes = [r.get_attribute("data-minutes") for r in rows.all()]
        assert outcomes == ["approved", "adjusted", "rejected", "approved"], outcomes
        assert minutes == ["60", "60", "0", "120"], minutes

        # And which attendance days: every working day of the month, late once.
        days = phone.locator("tr[data-explained-day]")
        expect(days).to_have_count(len(seeded["working_days"]))
        expect(phone.locator("tr[data-explained-day][data-kind='present']")).to_have_count(
            len(seeded["working_days"])
        )
        late = phone.locator("tr[data-explained-day]:not([data-late-minutes='0'])")
        expect(late).to_have_count(1)
        expect(late).to_have_attribute("data-day", seeded["working_days"][0])
        expect(late).to_have_attribute("data-late-minutes", str(LATE_MINUTES))

        # The same page in English.
        switch_language(phone, "en")
        expect(phone.locator("main h1")).to_have_text("My allowance")
        expect(phone.locator("#entries-h")).to_have_text("Reviewed entries")
        expect(explained).to_have_attribute("data-tpp-amount", str(amount))


def test_a_civil_servant_logs_a_day_offline_and_is_paid_for_it(
    browser: Browser, base_url: str, server_python: ServerPython, seeded: dict[str, Any]
) -> None:
    # given a civil servant of DPMPTSP catching up the last working day of last month
    # when she logs it on her phone, partly with no signal
    keys = _phone_logs_the_day(browser, base_url, server_python, seeded)
    # and her supervisor reviews the day
    _supervisor_reviews(browser, base_url, server_python, seeded, keys)
    # and the month is computed and closed
    _admin_closes_the_month(browser, base_url, server_python, seeded["month"])
    # then she sees her allowance and exactly what produced it: 60 + 4x15 + 0 + 120 minutes
    _asn_reads_the_allowance(browser, base_url, seeded, approved_minutes=240)
    paid = server_python(f"{MODULE}.month_state", month=seeded["month"])["amount"]
    assert paid == _expected_amount(seeded, 240), paid


def test_without_script_the_plain_form_logs_an_entry(
    browser: Browser, base_url: str, server_python: ServerPython, seeded: dict[str, Any]
) -> None:
    # given the civil servant on a phone whose browser runs no script
    with signed_in(browser, base_url, ASN, java_script_enabled=False, **PHONE) as (_c, phone):
        form = _log_page(phone, seeded["today"])
        # when she logs an entry of today with the plain form
        key = _fill(form, "online", seeded["activities"])
        form.locator("[name='start_time']").fill("07:30")
        form.locator("[name='end_time']").fill("08:00")
        form.locator("[name='quantity']").fill("1")
        if not seeded["today_working"]:  # a weekend or holiday: only assigned overtime
            form.locator("[name='overtime']").check()
        with phone.expect_navigation():
            form.locator("[type='submit']").click()
        # then the server saved it and shows it in the day's list, nothing waits on the device
        saved = phone.locator(f"ul[data-worklog-day] > li[data-client-key='{key}']")
        expect(saved).to_have_attribute("data-state", "submitted")
        expect(phone.locator("ul[data-worklog-pending]")).to_be_hidden()
        _fits_the_phone(phone)
    stored = server_python(f"{MODULE}.entries_by_key", keys=[key])
    assert [e["work_date"] for e in stored[key]] == [seeded["today"]], stored
