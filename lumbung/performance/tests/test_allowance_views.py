"""The allowance pages: a person's own month, another's only for those who may see pay data,
months (compute, close, export), attendance uploads with their problems, the formula form
with field errors, and corrections from a person's page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lumbung.core.models import User
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Correction, Entry, ImportRun, Period, TppFormula
from .factories import NIPS, PerfWorld, entry_make

pytestmark = pytest.mark.django_db
MON = dt.date(2026, 3, 2)


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def url(perf: PerfWorld, name: str, *args: object) -> str:
    return reverse(f"core:performance:{name}", args=[perf.region.slug, *args])


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_person_sees_their_month_explained(english: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        entry_make(perf_a, "staff", day=MON, quantity=100, state="approved")
    page = signed_in(english, perf_a.user("staff")).get(url(perf_a, "my_tpp"), {"month": "2026-03"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Rp" in body
    assert "3000 / 6000" in body
    assert "projected" in body


def test_another_persons_month_is_a_404_unless_they_may_see_it(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    staff = perf_a.people["staff"].pk
    assert (
        signed_in(client, perf_a.user("kabid")).get(url(perf_a, "tpp_person", staff)).status_code
        == 200
    )
    assert (
        signed_in(client, perf_a.user("peer")).get(url(perf_a, "tpp_person", staff)).status_code
        == 404
    )
    foreign = perf_b.people["staff"].pk
    assert (
        signed_in(client, perf_a.admin).get(url(perf_a, "tpp_person", foreign)).status_code == 404
    )


def test_months_are_computed_closed_and_exported(english: Client, perf_a: PerfWorld) -> None:
    payroll = signed_in(english, perf_a.world.users[Role.PAYROLL])
    bad = payroll.post(url(perf_a, "month_compute"), {"month": "1999-13"})
    assert bad.status_code == 422
    done = payroll.post(url(perf_a, "month_compute"), {"month": "2026-03"})
    assert done.status_code == 302
    with region_scope(perf_a.region):
        period = Period.objects.get(region=perf_a.region, year=2026, month=3)
    page = payroll.get(url(perf_a, "month", period.pk), {"unit": perf_a.world.unit.pk})
    assert NIPS["staff"] in page.content.decode()
    assert payroll.post(url(perf_a, "month_close", period.pk)).status_code == 302
    with region_scope(perf_a.region):
        assert Period.objects.get(pk=period.pk).state == "closed"
    exported = payroll.get(url(perf_a, "month_export", period.pk), {"format": "xlsx"})
    assert exported["Content-Disposition"].endswith('.xlsx"')
    assert payroll.get(url(perf_a, "month_export", period.pk), {"format": "pdf"}).status_code == 404
    assert signed_in(english, perf_a.user("staff")).get(url(perf_a, "months")).status_code == 403


def test_a_refused_upload_lists_its_problems(english: Client, perf_a: PerfWorld) -> None:
    payroll = signed_in(english, perf_a.world.users[Role.PAYROLL])
    upload = SimpleUploadedFile("absen.csv", b"nip,date,check_in,check_out\n1,2026-03-02,07:30,\n")
    page = payroll.post(url(perf_a, "attendance"), {"kind": "attendance", "file": upload})
    assert page.status_code == 422
    assert "nothing was imported" in page.content.decode()
    with region_scope(perf_a.region):
        run = ImportRun.objects.get(region=perf_a.region)
    problems = payroll.get(url(perf_a, "attendance_errors", run.pk))
    assert "No one in the staff registry has this NIP." in problems.content.decode()


def test_the_formula_form_shows_field_errors_and_saves(english: Client, perf_a: PerfWorld) -> None:
    admin = signed_in(english, perf_a.admin)
    form = {"name": "KBB", "kind": "weighted", "effective_from": "2026-04-01",
            "target_minutes": 6000, "performance_weight": "60", "attendance_weight": "30",
            "late_bands": "1-30: 0,5\n31-: 1", "early_bands": "",
            "absence_percent": "3"}  # fmt: skip
    refused = admin.post(url(perf_a, "formulas"), form)
    assert refused.status_code == 422
    assert "The two weights add up to 100." in refused.content.decode()
    malformed = admin.post(url(perf_a, "formulas"), {**form, "late_bands": "tiga puluh"})
    assert "Line 1" in malformed.content.decode()
    saved = admin.post(url(perf_a, "formulas"), {**form, "attendance_weight": "40"})
    assert saved.status_code == 302
    with region_scope(perf_a.region):
        latest = TppFormula.objects.filter(region=perf_a.region).first()
    assert latest is not None
    assert latest.late_bands == [[1, 30, "0.5"], [31, None, "1"]]


def test_payroll_corrects_an_entry_from_the_persons_page(
    english: Client, perf_a: PerfWorld
) -> None:
    with region_scope(perf_a.region):
        entry = entry_make(perf_a, "staff", day=MON, quantity=10, state="approved")
    payroll = signed_in(english, perf_a.world.users[Role.PAYROLL])
    page = payroll.get(url(perf_a, "tpp_person", perf_a.people["staff"].pk), {"month": "2026-03"})
    assert url(perf_a, "correct_entry", entry.pk) in page.content.decode()
    missing = payroll.post(url(perf_a, "correct_entry", entry.pk), {"decision": "reject"})
    assert missing.status_code == 422
    done = payroll.post(url(perf_a, "correct_entry", entry.pk),
                        {"decision": "approve", "quantity": 4, "reason": "Sebagian"})  # fmt: skip
    assert done.status_code == 302
    with region_scope(perf_a.region):
        assert Entry.objects.get(pk=entry.pk).approved_minutes == 120
        assert Correction.objects.filter(region=perf_a.region, entry=entry).exists()
    kabid = signed_in(english, perf_a.user("kabid"))
    assert kabid.post(url(perf_a, "correct_entry", entry.pk), {}).status_code == 403
