"""The platform operator's console: find a region, activate it with modules."""

import pytest

from conftest import login
from lumbung.core.models import ModuleActivation, Region

pytestmark = pytest.mark.django_db


def test_operator_finds_and_activates_a_region(client, operator):
    # given a signed-in platform operator
    login(client, operator)
    # when they search for "serang"
    page = client.get("/platform/regions/", {"q": "serang"})
    # then both Serang regions are listed, not active yet
    assert page.status_code == 200
    assert b"Kabupaten Serang" in page.content
    assert b"Kota Serang" in page.content
    # when they activate Kabupaten Serang with the sample module
    response = client.post("/platform/regions/", {"code": "36.04", "modules": ["sample"]})
    # then it is a tenant with that module on
    assert response.status_code == 302
    region = Region.objects.get(code="36.04")
    assert region.is_active
    assert ModuleActivation.objects.filter(region=region, module="sample", enabled=True).exists()


def test_operator_lands_on_the_console_after_login(client, operator):
    login(client, operator)
    assert client.get("/after-login/")["Location"] == "/platform/regions/"


def test_console_is_for_operators_only(client, citizen):
    login(client, citizen)
    assert client.get("/platform/regions/").status_code == 403
    assert client.post("/platform/regions/", {"code": "36.04"}).status_code == 403
    assert not Region.objects.get(code="36.04").is_active


def test_activating_an_active_region_shows_the_error(client, operator, region_a):
    login(client, operator)
    client.cookies["django_language"] = "en"
    response = client.post("/platform/regions/", {"code": region_a.code})
    assert response.status_code == 422
    assert "already active" in response.content.decode()
