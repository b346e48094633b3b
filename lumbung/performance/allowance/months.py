"""Closing a month: from its cut-off (the `cutoff_day` of the next month) payroll staff or
the region administrator may close it, and the periodic task closes every month past its
cut-off. Closing computes the month a final time and locks it; after that only an
authorised correction changes what it paid."""

from __future__ import annotations

import calendar
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User

from ..common import record, settings_of
from ..errors import PerformanceError
from ..models import Period, PeriodState
from ..selectors import region_today
from .compute import compute_into, period_of
from .errors import AllowanceError

logger = logging.getLogger(__name__)


def cutoff_of(region: Region, year: int, month: int) -> dt.date:
    """The day from which the month may be closed: `cutoff_day` of the next month (the
    month's last day if the setting is larger)."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(max(1, int(settings_of(region)["cutoff_day"])), calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def is_due(region: Region, period: Period) -> bool:
    return region_today(region) >= cutoff_of(region, period.year, period.month)


@transaction.atomic
def month_close(*, region: Region, actor: User | None, period: Period) -> Period:
    """Compute the month a final time and lock it (from its cut-off on)."""
    period = Period.objects.select_for_update().get(region=region, pk=period.pk)
    if period.state == PeriodState.CLOSED:
        raise DomainError(
            PerformanceError.MONTH_CLOSED,
            _("%(month)s is already closed.") % {"month": str(period)},
            status=409,
        )
    if not is_due(region, period):
        cutoff = cutoff_of(region, period.year, period.month)
        raise DomainError(
            AllowanceError.NOT_DUE,
            _("%(month)s may be closed from %(day)s on.")
            % {"month": str(period), "day": cutoff.strftime("%d/%m/%Y")},
            status=409,
        )
    count, total = compute_into(region, period)
    period.state, period.closed_at, period.closed_by = PeriodState.CLOSED, timezone.now(), actor
    period.save(update_fields=["state", "closed_at", "closed_by"])
    record(
        region, actor, period, "month_close",
        {"state": [PeriodState.OPEN, PeriodState.CLOSED], "people": count, "total": total},
    )  # fmt: skip
    return period


def close_due(region: Region) -> int:
    """Close, in one region, every open month past its cut-off, and last month once its
    cut-off has passed even if nobody opened it. A month that cannot be computed (no
    formula, a grade without a base) stays open and is logged, so payroll can act."""
    today = region_today(region)
    last_month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    if today >= cutoff_of(region, *last_month):
        with transaction.atomic():
            period_of(region, *last_month)
    closed = 0
    waiting = Period.objects.filter(region=region, state=PeriodState.OPEN).order_by("year", "month")
    for period in waiting:
        if not is_due(region, period):
            continue
        try:
            month_close(region=region, actor=None, period=period)
        except DomainError as refused:
            logger.warning("performance: %s %s not closed (%s)", region.slug, period, refused.code)
            continue
        closed += 1
    return closed
