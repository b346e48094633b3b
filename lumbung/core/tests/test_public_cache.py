"""Public pages are rendered once per language for anonymous visitors and go stale the
moment an audited write commits; signed-in people always get a fresh page."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from conftest import login
from lumbung.core import public_cache
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_update_profile
from lumbung.core.tenancy import region_scope

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def real_cache():
    # The versions this process remembers came from the cache before the switch.
    public_cache._local.clear()
    with override_settings(CACHES=LOCMEM):
        caches["public"].clear()
        caches["default"].clear()
        yield
        caches["public"].clear()
    public_cache._local.clear()


def test_anonymous_region_home_is_served_from_the_cache_until_a_write(client, world_a, real_cache):
    url = f"/{world_a.region.slug}/"
    # given an anonymous visitor opened the region home once
    first = client.get(url)
    assert first.status_code == 200
    assert "X-Lumbung-Cache" not in first
    # when the next visitor opens it
    second = client.get(url)
    # then it comes from the cache, byte for byte, with no cookie set
    assert second["X-Lumbung-Cache"] == "hit"
    assert second.content == first.content
    assert not second.cookies
    # with the same protective headers as a rendered page
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header]
    # when the admin changes the tagline (an audited write that commits)
    with region_scope(world_a.region):
        region_update_profile(
            region=world_a.region,
            actor=world_a.users[Role.REGION_ADMIN],
            data={"tagline": "Kota Kembang Terbaru"},
        )
    # then the next anonymous visitor sees the change at once
    third = client.get(url)
    assert "X-Lumbung-Cache" not in third
    assert "Kota Kembang Terbaru" in third.content.decode()


def test_each_language_is_cached_apart(client, world_a, real_cache):
    url = f"/{world_a.region.slug}/"
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="en")  # the browser's wish is not followed
    client.cookies["django_language"] = "en"  # the visitor's choice is
    english = client.get(url)
    assert '<html lang="id"' in indonesian.content.decode()
    assert indonesian.content != english.content
    assert client.get(url)["X-Lumbung-Cache"] == "hit"


def test_signed_in_people_are_never_served_a_cached_page(client, world_a, real_cache):
    url = f"/{world_a.region.slug}/"
    client.get(url)
    client.get(url)
    login(client, world_a.users[Role.OFFICER])
    response = client.get(url)
    assert "X-Lumbung-Cache" not in response
    assert world_a.users[Role.OFFICER].display_name in response.content.decode()


def test_api_region_detail_is_cached_and_rate_limited(client, world_a, real_cache):
    url = f"/api/v1/regions/{world_a.region.slug}"
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Lumbung-Cache"] == "hit"
    with override_settings(
        LUMBUNG_RATE_LIMITS={"client": "2/m", "region": "100/m", "global": "100/m"}
    ):
        assert client.get(url).status_code == 429


def test_back_office_pages_are_never_cached(client, world_a, real_cache):
    login(client, world_a.users[Role.REGION_ADMIN])
    url = f"/{world_a.region.slug}/staff/"
    client.get(url)
    assert "X-Lumbung-Cache" not in client.get(url)


def test_a_no_cache_request_gets_a_fresh_page(client, world_a, real_cache):
    url = f"/{world_a.region.slug}/"
    client.get(url)
    assert client.get(url)["X-Lumbung-Cache"] == "hit"
    assert "X-Lumbung-Cache" not in client.get(url, HTTP_CACHE_CONTROL="no-cache")


def test_switching_a_module_off_applies_at_once_with_the_region_snapshot(
    client, world_a, real_cache
):
    from lumbung.core.services.regions import region_modules_set

    url = f"/{world_a.region.slug}/sample/"
    login(client, world_a.users[Role.OFFICER])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the region now comes from the snapshot
    with region_scope(world_a.region):
        region_modules_set(
            region=world_a.region, actor=world_a.users[Role.REGION_ADMIN], disable=["sample"]
        )
    assert client.get(url).status_code == 404


def test_an_activated_region_is_found_at_once(client, db, real_cache):
    from lumbung.core.services.regions import region_add

    assert client.get("/kabupaten-bandung/").status_code == 404
    region_add(code="32.04", actor=None)
    assert client.get("/kabupaten-bandung/").status_code == 200


def test_case_work_stales_public_pages_but_not_the_remembered_setup(world_a, real_cache):
    from django.db import transaction

    from lumbung.core.public_cache import public_version, settings_version
    from lumbung.core.services.audit import audit_record

    region = world_a.region
    public, setup = public_version(), settings_version()
    # when a case changes (a report filed, an application moved)
    with region_scope(region), transaction.atomic():
        audit_record(region=region, actor=None, action="test.case", casework=True)
    # then public answers go stale, and the region's setup kept in memory stays
    assert public_version() != public
    assert settings_version() == setup
    # when the setup changes
    with region_scope(region), transaction.atomic():
        audit_record(region=region, actor=None, action="test.setup")
    # then both go stale
    assert settings_version() != setup


def test_with_the_database_cache_a_version_is_rewritten_in_one_statement(db_cache):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lumbung.core import public_cache

    public_cache.bump_public_version()  # the first writes the row the usual way
    with CaptureQueriesContext(connection) as captured:
        public_cache.bump_public_version()
    assert len(captured) == 1
    # and it is the value Django's own cache reads, in this process and any other
    version = public_cache._local[public_cache.VERSION_KEY][0]
    assert cache.get(public_cache.VERSION_KEY) == version
    public_cache._local.clear()
    assert public_cache.public_version() == version


@pytest.fixture
def db_cache():
    from django.core.management import call_command

    database = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lumbung_cache_test",
        },
        "public": LOCMEM["public"],
    }
    with override_settings(CACHES=database):
        call_command("createcachetable", verbosity=0)
        yield
        caches["default"].clear()
