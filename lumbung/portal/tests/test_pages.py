"""The server-rendered pages: both languages, the 112 notice, nothing inline that the CSP
would block, and the template helpers (Rupiah, <time> in the region's zone)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.tests.factories import RegionWorld

pytestmark = pytest.mark.django_db

MO_FILE = Path(settings.BASE_DIR) / "lumbung/locale/id/LC_MESSAGES/django.mo"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=\"", re.I)


def get(client: Client, url: str, lang: str = "id") -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_csp_clean(html: str, url: str) -> None:
    assert ' style="' not in html, f"inline style attribute on {url}"
    assert "<style" not in html, f"inline <style> on {url}"
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {url}"
    assert not INLINE_HANDLER.search(html), f"inline event handler on {url}"


@pytest.fixture(autouse=True)
def _catalog_compiled() -> None:
    assert MO_FILE.exists(), "compile the translations first: make messages"


def test_platform_home_speaks_both_languages(client: Client, world_a: RegionWorld) -> None:
    # given an active region
    url = reverse("portal:home")
    # when the home page is opened in Indonesian, then in English
    html_id = get(client, url, "id")
    html_en = get(client, url, "en")
    # then each shows its own language and lists the region
    assert '<html lang="id"' in html_id
    assert "Daerah di Lumbung ini" in html_id
    assert "Regions on this Lumbung" in html_en
    assert '<html lang="en"' in html_en
    assert world_a.region.title in html_id
    assert_csp_clean(html_id, url)


def test_region_home_shows_the_112_notice_in_both_languages(
    client: Client, world_a: RegionWorld
) -> None:
    url = reverse("portal:region", args=[world_a.region.slug])
    html_id = get(client, url, "id")
    html_en = get(client, url, "en")
    for html in (html_id, html_en):
        assert 'class="emergency"' in html
        assert 'href="tel:112"' in html
        assert world_a.region.code in html
    assert "Bukan untuk keadaan darurat." in html_id
    assert "hubungi 112" in html_id
    assert "Not for emergencies." in html_en
    assert "call 112" in html_en
    assert_csp_clean(html_id, url)


def test_language_switch_posts_without_javascript(client: Client, world_a: RegionWorld) -> None:
    # given the region home in Indonesian
    url = reverse("portal:region", args=[world_a.region.slug])
    html = get(client, url, "id")
    assert 'action="/i18n/setlang/"' in html
    # when the English button of the language form is sent
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    # then the same page comes back in English
    assert response.status_code == 302
    assert response["Location"] == url
    assert "Not for emergencies." in client.get(url).content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "dashboard",
        "units",
        "units-import",
        "members",
        "modules",
        "calendar",
        "sla",
        "profile",
        "audit",
    ],
)
def test_back_office_pages_render_without_inline_code(
    client: Client, world_a: RegionWorld, name: str
) -> None:
    login(client, world_a.users[Role.REGION_ADMIN])
    url = reverse(f"core:{name}", args=[world_a.region.slug])
    html_id = get(client, url, "id")
    html_en = get(client, url, "en")
    assert "Log Audit" in html_id
    assert "Audit log" in html_en
    assert_csp_clean(html_id, url)
    assert_csp_clean(html_en, url)


def test_public_and_account_pages_render_without_inline_code(
    client: Client, world_a: RegionWorld
) -> None:
    for url in [reverse("account_login"), reverse("account_signup"), "/no-such-page/"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
        html = client.get(url).content.decode()
        assert_csp_clean(html, url)
    assert "Masuk" in client.get(reverse("account_login")).content.decode()


def test_units_page_indents_the_tree_with_classes(client: Client, world_a: RegionWorld) -> None:
    login(client, world_a.users[Role.REGION_ADMIN])
    html = get(client, reverse("core:units", args=[world_a.region.slug]))
    assert 'class="depth-0"' in html
    assert "padding-left" not in html


def test_csv_import_lists_each_wrong_row(client: Client, world_a: RegionWorld) -> None:
    # given a CSV with an unknown kind on line 2 and a missing name on line 3
    login(client, world_a.users[Role.REGION_ADMIN])
    content = b"code,name,kind,parent_code\nA,Dinas A,nonsense,\nB,,dinas,\n"
    upload = SimpleUploadedFile("units.csv", content, content_type="text/csv")
    url = reverse("core:units-import", args=[world_a.region.slug])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when it is uploaded
    response = client.post(url, {"file": upload})
    # then nothing is imported and the report names each line and column
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported: 2 problems to fix." in html
    assert re.search(r'<td class="num">2</td><td><code>kind</code></td>', html)
    assert re.search(r'<td class="num">3</td><td><code>name</code></td>', html)


def test_rupiah_filter_formats_like_puebi() -> None:
    template = Template(
        "{% load lumbung %}{{ a|rupiah }}|{{ b|rupiah }}|{{ c|rupiah_short }}|{{ d|rupiah }}"
    )
    html = template.render(Context({"a": 1500000, "b": "-2500", "c": 1500000, "d": None}))
    assert html == "Rp1.500.000|-Rp2.500|Rp1,5 jt|"


def test_time_tag_shows_the_regions_zone(world_a: RegionWorld) -> None:
    moment = dt.datetime(2025, 8, 17, 3, 0, tzinfo=dt.UTC)
    template = Template("{% load lumbung %}{% time_tag when %}|{% time_tag day %}")
    context = {"when": moment, "day": dt.date(2025, 8, 17), "region": world_a.region}
    with translation.override("id"):
        html_id = template.render(Context(context))
    with translation.override("en"):
        html_en = template.render(Context(context))
    assert '<time datetime="2025-08-17T10:00:00+07:00">17 Agustus 2025, 10.00 WIB</time>' in html_id
    assert '<time datetime="2025-08-17">17 Agustus 2025</time>' in html_id
    assert "17 August 2025, 10:00 WIB</time>" in html_en
