"""What the activity log's tests share (no tests here): a frozen clock on an ordinary
Wednesday, and an entry made through the service."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from lumbung.core.models import ModuleActivation
from lumbung.core.tenancy import region_scope

from ..models import Entry
from ..worklog.services import EntryInput, entry_create
from .factories import PerfWorld

WIB = ZoneInfo("Asia/Jakarta")
# Wednesday 11 February 2026, 10:00 in Bandung: no holiday within a week either side.
TODAY = dt.date(2026, 2, 11)
NOW = dt.datetime(2026, 2, 11, 10, 0, tzinfo=WIB)
SATURDAY = dt.date(2026, 2, 7)


@contextmanager
def clock(moment: dt.datetime = NOW) -> Iterator[None]:
    """Freeze `timezone.now()` (freezegun is not a dependency)."""
    with patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield


@pytest.fixture
def frozen() -> Iterator[None]:
    with clock():
        yield


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def entry_input(perf: PerfWorld, **changes: object) -> EntryInput:
    values: dict[str, object] = {
        "client_key": uuid.uuid4().hex,
        "work_date": TODAY,
        "start_time": dt.time(8, 0),
        "end_time": dt.time(9, 0),
        "activity_id": perf.activities["letter"].pk,
        "quantity": 2,
        "note": "Surat undangan rapat",
        "overtime": False,
    }
    values.update(changes)
    return EntryInput(**values)  # type: ignore[arg-type]


def log_entry(perf: PerfWorld, who: str = "staff", **changes: object) -> Entry:
    """An entry made through the service, every rule checked."""
    with region_scope(perf.region):
        entry, created = entry_create(
            region=perf.region, actor=perf.user(who), data=entry_input(perf, **changes)
        )
    assert created
    return entry


def set_settings(perf: PerfWorld, **values: object) -> None:
    """The region's module settings (no service writes them yet; tests keep no cache)."""
    row = ModuleActivation.objects.get(region=perf.region, module="performance")
    row.settings = {**(row.settings or {}), **values}
    row.save(update_fields=["settings"])
