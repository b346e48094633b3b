"""Escalation of reviews: an entry nobody reviewed by its deadline goes one step up the
supervisor chain, with a fresh deadline (the region's working-day SLA for the submitted
state), a notification to the new reviewer and one audit event per batch.

An entry whose reviewer has no supervisor stays where it is, its escalation level
unchanged; it shows on the region administrator's "unreviewed at the top" list
(selectors.unreviewed_at_top) until the registry gives the chain one more step.

Core's own escalation (lumbung.core.tasks) only notifies a role; this module's workflow
switches it off and runs this instead (apps.periodic_tasks)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region
from lumbung.core.selectors import region_list_active, region_modules_enabled
from lumbung.core.services.workflow import sla_days
from lumbung.core.tenancy import region_scope

from ..common import MODULE, record
from ..models import Entry
from ..workflow import ENTRY_FLOW, REVIEW_DAYS, SUBMITTED
from .notices import reviewers_notify
from .selectors import ESCALATABLE

logger = logging.getLogger(__name__)
# Entries moved per transaction (and per audit event): bounded locks and event size.
CHUNK = 2000


def _next_deadline(region: Region, now: dt.datetime) -> dt.datetime:
    days = sla_days(region, ENTRY_FLOW, SUBMITTED)
    return RegionCalendar(region).add_working_days(now, REVIEW_DAYS if days is None else days)


@transaction.atomic
def _escalate_chunk(region: Region, now: dt.datetime) -> tuple[int, int]:
    """Escalate up to CHUNK overdue entries; returns (entries looked at, entries moved)."""
    rows = list(
        Entry.objects.select_for_update(of=("self",))
        .filter(region=region, state=SUBMITTED, due_at__lt=now)
        .filter(ESCALATABLE)
        .order_by("pk")
        .values_list(
            "pk", "employee_id", "reviewer_id", "reviewer__supervisor_id", "employee__supervisor_id"
        )[:CHUNK]
    )
    by_target: dict[int, list[int]] = defaultdict(list)
    moves: list[tuple[int, int | None, int]] = []
    for pk, author, reviewer, above, authors_boss in rows:
        target = above if reviewer is not None else authors_boss
        if target is None or target == author:  # a cycle the registry should have refused
            continue
        by_target[target].append(pk)
        moves.append((pk, reviewer, target))
    if not moves:
        return len(rows), 0
    due = _next_deadline(region, now)
    for target, ids in by_target.items():
        Entry.objects.filter(region=region, pk__in=ids).update(
            reviewer_id=target,
            escalation_level=F("escalation_level") + 1,
            due_at=due,
            version=F("version") + 1,
        )
    changes = {"entries": moves, "due_at": due.isoformat()}
    record(region, None, None, "entries.escalate", changes)
    reviewers_notify(region, {pk: target for pk, _from, target in moves})
    return len(rows), len(moves)


def escalate_reviews_region(region: Region) -> int:
    """Escalate every overdue entry of one region; returns how many moved up."""
    now = timezone.now()
    moved = 0
    with region_scope(region):
        while True:
            seen, done = _escalate_chunk(region, now)
            moved += done
            if seen < CHUNK or done == 0:
                return moved


@task()
def escalate_reviews_all() -> int:
    """Escalate overdue reviews in every region running the module."""
    total = 0
    for region in list(region_list_active()):
        if MODULE in region_modules_enabled(region):
            moved = escalate_reviews_region(region)
            if moved:
                logger.info("performance: %d entries escalated in %s", moved, region.slug)
            total += moved
    return total
