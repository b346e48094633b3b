"""Number series: each region's series counts 1, 2, 3… per year with no gap and no number
given twice, even to simultaneous callers; and the printed form of a number."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from lumbung.core.models import NumberSeries, Region
from lumbung.core.services.numbering import number_format, number_next
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld, make_world
from lumbung.core.tests.test_workflow import requires_postgres

pytestmark = pytest.mark.django_db


def take(region: Region, series: str = "hibah", year: int = 2026) -> int:
    with region_scope(region), transaction.atomic():
        return number_next(region, series, year)


def test_a_series_counts_from_one_without_gaps(world_a: RegionWorld) -> None:
    # given / when three numbers are taken
    numbers = [take(world_a.region) for _ in range(3)]

    # then they are 1, 2, 3, and one row holds the last
    assert numbers == [1, 2, 3]
    with region_scope(world_a.region):
        [row] = NumberSeries.objects.filter(region=world_a.region)
    assert (row.series, row.year, row.last) == ("hibah", 2026, 3)


def test_each_region_series_and_year_counts_on_its_own(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given Bandung's 2026 hibah series at 2
    take(world_a.region)
    take(world_a.region)

    # when another series, another year and another region each take a number
    others = [
        take(world_a.region, series="bansos"),
        take(world_a.region, year=2027),
        take(world_b.region),
    ]

    # then each starts at 1, and Bandung's hibah series goes on at 3
    assert others == [1, 1, 1]
    assert take(world_a.region) == 3


def test_a_number_taken_in_a_transaction_that_fails_is_given_again(world_a: RegionWorld) -> None:
    # given number 1 taken
    assert take(world_a.region) == 1

    # when number 2 is taken by a write that then fails
    def failing_write() -> int:
        with region_scope(world_a.region), transaction.atomic():
            given = number_next(world_a.region, "hibah", 2026)
            if given:
                raise RuntimeError(f"proposal {given} could not be saved")
        return given

    with pytest.raises(RuntimeError, match="proposal 2 "):
        failing_write()

    # then 2 was not lost: the next write gets it, so the printed series has no gap
    assert take(world_a.region) == 2


@requires_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_callers_never_get_the_same_number() -> None:
    # given a region and eight workers, each with its own connection
    world = make_world("32.73")
    workers, each = 8, 5
    barrier = threading.Barrier(workers)
    taken: list[list[Any]] = [[] for _ in range(workers)]

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(each):
                # each number in its own transaction, all racing for the same row
                taken[index].append(take(world.region))
        except Exception as error:  # reported by the assertion below
            taken[index].append(error)
        finally:
            connection.close()

    # when they all take numbers of one series at once
    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then every number from 1 to 40 was given exactly once
    numbers = [n for batch in taken for n in batch]
    assert sorted(numbers) == list(range(1, workers * each + 1))
    assert all(batch == sorted(batch) for batch in taken)


@pytest.mark.parametrize(
    ("prefix", "code", "year", "number", "printed"),
    [
        ("LAKSA", "32.73", 2026, 123, "LAKSA-3273-2026-000123"),
        ("HIBAH", "36.71", 2027, 1, "HIBAH-3671-2027-000001"),
        ("IZIN", "32", 2026, 1234567, "IZIN-32-2026-1234567"),
    ],
)
def test_a_number_is_printed_with_the_region_code_year_and_six_digits(
    prefix: str, code: str, year: int, number: int, printed: str
) -> None:
    region = Region(code=code)

    assert number_format(prefix, region, year, number) == printed
