"""Both test regions with the grants module on, its teams staffed, a verified
organisation and an open programme."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from lumbung.core.tests.factories import RegionWorld

from .factories import GrantsWorld, grants_world


@pytest.fixture
def gworld_a(world_a: RegionWorld) -> GrantsWorld:
    return grants_world(world_a)


@pytest.fixture
def gworld_b(world_b: RegionWorld) -> GrantsWorld:
    return grants_world(world_b)


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    """Messages in English: the test's own calls, and the pages and API answers the client
    gets (Indonesian is the default; tests that read a message's words read the source)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client
