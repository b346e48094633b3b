"""The demo's clock: modules write their demo's past through their own services, each step
with the clock set to the moment it happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.apps import apps
from django.utils import timezone


@contextmanager
def demo_clock() -> Iterator[Callable[[dt.datetime], None]]:
    """Within it, `timezone.now()` (and every model field defaulting to it) reads the time
    last set, until the block ends. Only the demo uses it: never a request."""
    real = timezone.now
    current = [real()]

    def now() -> dt.datetime:
        return current[0]

    def set_clock(when: dt.datetime) -> None:
        current[0] = when

    defaults = [f for m in apps.get_models() for f in m._meta.concrete_fields if f.default is real]
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(timezone, "now", now))
        for model_field in defaults:  # Field.get_default() calls the cached _get_default
            stack.enter_context(mock.patch.object(model_field, "_get_default", now))
        yield set_clock
