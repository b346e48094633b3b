"""The complaints demo: for each demo region with the module on, the starter categories, a
few answer templates, an Open311 client with a published key (`demo-open311-<slug>`), and
200-240 reports of the last 120 days in every state, all written through the module's own
services (the stories are planned in demo_stories.py).

How the past is written: the services stamp `timezone.now()`. The demo plans each
report's story, sorts all the region's steps by time, and takes each with the clock set to
that moment (`_clock`: it patches `django.utils.timezone.now` and the model fields that
default to it, for the duration of the region's demo only). Deadlines, on-time flags,
durations, timelines, workflow transitions, notifications and audit events therefore come
from the services' own code, as they would have at the time; the auto-close task runs on
the nights it has something to close. Steps planned after the present are left out, so
recent reports are still open. Only `time.time()` (the anonymous filing limits) keeps
real time. The mail those steps would send is not sent.

Deterministic for a region (its random generator is seeded with the region's code), and
idempotent: a region that already has reports gets none. `LUMBUNG_DEMO_COMPLAINTS`
(a setting, if present) sets the number of reports per region, e.g. small in tests."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.apps import apps
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from lumbung.core.demo import CITIZENS, demo_user
from lumbung.core.models import Region, User

from .demo_stories import DAYS, World
from .demo_texts import TEMPLATES
from .models import AnswerTemplate, Complaint
from .services import categories_adopt_starter, client_authenticate, client_issue, template_save


def demo_load_region(region: Region) -> None:
    """The module's demo hook (ModuleConfig.demo). Runs inside the region's scope."""
    if region.is_province:
        return
    staff = {k: demo_user(f"{k}@{region.slug}.demo") for k in ("admin", "officer", "head")}
    citizens = [demo_user(email, name) for email, name in CITIZENS]
    # The stories' mail is history, not news: nobody is sent it.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
        _clock() as set_clock,
    ):
        now = timezone.now()
        set_clock(now - dt.timedelta(days=DAYS + 1))
        categories_adopt_starter(region=region, actor=staff["admin"])
        _templates(region, staff["admin"])
        key = f"demo-open311-{region.slug}"
        if client_authenticate(region, key) is None:
            client_issue(
                region=region, actor=staff["admin"], name="Aplikasi Warga (demo)", secret=key
            )
        if Complaint.objects.filter(region=region).exists():
            return
        world = World(region, random.Random(f"complaints-demo:{region.code}"), now)  # noqa: S311
        world.staff, world.citizens = staff, citizens
        for when, _order, step in world.plan():
            set_clock(when)
            step()


def _templates(region: Region, admin: User) -> None:
    if not AnswerTemplate.objects.filter(region=region).exists():
        for title, body in TEMPLATES:
            template_save(region=region, actor=admin, data={"title": title, "body": body})


@contextmanager
def _clock() -> Iterator[Callable[[dt.datetime], None]]:
    """Within it, `timezone.now()` (and every model field defaulting to it) reads the time
    last set, until the block ends."""
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
