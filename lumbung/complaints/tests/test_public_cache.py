"""The public list and figures are cached for anonymous visitors like the region home, and
a new report (an audited write) makes them stale at once."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from lumbung.core.tests.factories import make_world

from .factories import enable_complaints, file_report

LOCMEM = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
    "public": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
}

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def real_cache():
    with override_settings(CACHES=LOCMEM):
        caches["public"].clear()
        caches["default"].clear()
        yield
        caches["public"].clear()


@pytest.mark.parametrize(
    "path",
    [
        "/{slug}/complaints/",
        "/{slug}/complaints/stats/",
        "/api/v1/regions/{slug}/complaints/reports",
    ],
)
def test_the_public_list_is_cached_until_a_new_report(client, real_cache, path):
    world = enable_complaints(make_world("32.73"))
    url = path.format(slug=world.region.slug)
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url)["X-Lumbung-Cache"] == "hit"
    # when someone files a report
    filed = file_report(world.region, description="Lampu jalan mati sejak kemarin")
    # then the next visitor sees it at once
    fresh = client.get(url)
    assert "X-Lumbung-Cache" not in fresh
    if "stats" not in url:
        assert filed.complaint.ticket in fresh.content.decode()
