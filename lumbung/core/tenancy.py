"""Tenant scoping helpers. The scoped path is the easy one; leaving it is named loudly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import connection
from django_scopes import scope, scopes_disabled

if TYPE_CHECKING:
    from .models import Region


@contextmanager
def region_scope(region: Region) -> Iterator[None]:
    """Run the block as region `region`: scoped managers filter by it."""
    with scope(region=region.pk):
        yield


@contextmanager
def dangerously_unscoped() -> Iterator[None]:
    """Run the block with tenant scoping off. Only for platform-level work (migrations,
    `audit verify`, the region list, demo loading) that must see every region."""
    with scopes_disabled():
        yield


def is_postgres() -> bool:
    return connection.vendor == "postgresql"
