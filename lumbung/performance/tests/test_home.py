"""The module's landing page and menu: who gets in, what they see, and that every area the
menu names exists."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tests.factories import UserFactory

from ..views import AREAS
from .factories import PerfWorld

pytestmark = pytest.mark.django_db


def home_url(perf: PerfWorld) -> str:
    return reverse("core:performance:home", args=[perf.region.slug])


def test_every_area_of_the_menu_has_its_page(perf_a: PerfWorld) -> None:
    for area in AREAS:
        assert reverse(f"core:performance:{area.url_name}", args=[perf_a.region.slug])


def test_a_civil_servant_sees_their_record_and_their_areas(
    client: Client, perf_a: PerfWorld
) -> None:
    client.force_login(perf_a.user("peer"))
    page = client.get(home_url(perf_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert perf_a.people["peer"].nip in body
    assert reverse("core:performance:log", args=[perf_a.region.slug]) in body
    # Not an administrator: no registry, no formula.
    assert reverse("core:performance:staff", args=[perf_a.region.slug]) not in body


def test_an_auditor_outside_the_registry_gets_in_without_a_log(
    client: Client, perf_a: PerfWorld
) -> None:
    client.force_login(perf_a.auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(home_url(perf_a))
    assert page.status_code == 200
    body = page.content.decode()
    assert "not in this region" in body
    assert reverse("core:performance:log", args=[perf_a.region.slug]) not in body
    assert reverse("core:performance:anomalies", args=[perf_a.region.slug]) in body


def test_a_citizen_is_refused(client: Client, perf_a: PerfWorld) -> None:
    client.force_login(UserFactory.create(email="warga@example.test"))
    assert client.get(home_url(perf_a)).status_code == 403


def test_a_civil_servant_of_another_region_is_refused(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    client.force_login(perf_b.user("peer"))
    assert client.get(home_url(perf_a)).status_code == 403


def test_the_module_switched_off_is_a_404(client: Client, perf_a: PerfWorld) -> None:
    region_modules_set(region=perf_a.region, actor=None, disable=["performance"])
    client.force_login(perf_a.world.users[Role.REGION_ADMIN])
    assert client.get(home_url(perf_a)).status_code == 404
