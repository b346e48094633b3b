"""Both test regions with the complaints module on (and the starter categories)."""

from __future__ import annotations

import pytest

from lumbung.core.tests.factories import RegionWorld

from .factories import enable_complaints


@pytest.fixture
def cworld_a(world_a: RegionWorld) -> RegionWorld:
    return enable_complaints(world_a)


@pytest.fixture
def cworld_b(world_b: RegionWorld) -> RegionWorld:
    return enable_complaints(world_b)
