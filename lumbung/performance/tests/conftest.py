"""Both test regions with the performance module on and a small office in each."""

from __future__ import annotations

import pytest

from lumbung.core.tests.factories import RegionWorld

from .factories import PerfWorld, enable_performance


@pytest.fixture
def perf_a(world_a: RegionWorld) -> PerfWorld:
    return enable_performance(world_a)


@pytest.fixture
def perf_b(world_b: RegionWorld) -> PerfWorld:
    return enable_performance(world_b)
