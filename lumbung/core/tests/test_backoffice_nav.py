"""The back office's navigation links each enabled module's staff pages, for those who may
open them, and nothing of a module the region has not switched on."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.services.regions import region_modules_set
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

pytestmark = pytest.mark.django_db


def dashboard(client: Client, world: RegionWorld) -> str:
    url = reverse("core:dashboard", kwargs={"region_slug": world.region.slug})
    page = client.get(url)
    assert page.status_code == 200
    return page.content.decode()


def test_enabled_modules_link_their_staff_pages(client: Client, world_a: RegionWorld) -> None:
    with region_scope(world_a.region), transaction.atomic():
        region_modules_set(region=world_a.region, actor=None, enable=["grants"])
    login(client, world_a.users[Role.OFFICER])
    text = dashboard(client, world_a)
    assert reverse("core:grants:queue", kwargs={"region_slug": world_a.region.slug}) in text
    complaints = f"/{world_a.region.slug}/complaints/staff/"
    assert complaints not in text  # the region has not switched complaints on
