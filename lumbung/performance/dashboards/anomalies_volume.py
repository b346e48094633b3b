"""Anomalies of volume and timing: people at the daily cap on most working days, quantities
far above the region's usual for an activity, reviewers who approve everything within
seconds, and entries made in bulk just before the month's close."""

from __future__ import annotations

import calendar as months
import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.models import Region, User

from ..common import settings_of
from ..models import Employee, Entry, Period, PeriodState
from ..workflow import APPROVED, REJECTED, SUBMITTED
from . import thresholds as t
from .anomalies import (
    AnomalyKind,
    EntryRef,
    Finding,
    activity_names,
    month_entries,
    names_of,
    samples,
)
from .month import Month, Yardstick


def _by_person(refs: dict[tuple[Any, ...], list[EntryRef]], person: int) -> list[EntryRef]:
    return refs.get((person,), [])


def at_cap(region: Region, stick: Yardstick) -> list[Finding]:
    """People whose claimed minutes reach the daily cap on most of the elapsed working days
    (the cap stops more; reaching it day after day is what looks implausible)."""
    cap = int(settings_of(region)["daily_cap_minutes"])
    need = max(t.CAP_MIN_DAYS, int((t.CAP_DAYS_SHARE * stick.elapsed_days).to_integral_value()))
    standing = month_entries(region, stick.month).filter(state__in=[SUBMITTED, APPROVED])
    daily = (
        standing.values("employee_id", "work_date")
        .annotate(total=Sum("claimed_minutes"))
        .filter(total__gte=cap)
        .order_by()
    )
    inner, params = daily.query.sql_with_params()
    # Only table names and %s placeholders are formatted in; every value is a parameter.
    sql = f"""SELECT employee_id, COUNT(*) AS days FROM ({inner}) capped
              GROUP BY employee_id HAVING COUNT(*) >= %s
              ORDER BY COUNT(*) DESC, employee_id LIMIT %s"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, need, t.MAX_FINDINGS])
        rows = cursor.fetchall()
    if not rows:
        return []
    ids = {person for person, _days in rows}
    people = names_of(region, ids)
    refs = samples(standing.filter(employee_id__in=ids), "employee_id")
    text = _(
        "%(name)s claimed the daily cap of %(cap)s minutes on %(days)s of %(working)s working days."
    )
    return [
        Finding(
            kind=AnomalyKind.AT_CAP,
            explanation=text
            % {
                "name": people.get(person, "?"),
                "cap": cap,
                "days": days,
                "working": stick.elapsed_days,
            },
            people=[(person, people.get(person, "?"))],
            count=days,
            entries=_by_person(refs, person),
        )
        for person, days in rows
    ]


def usual_quantities(found: QuerySet[Entry]) -> dict[int, int]:
    """Per activity with enough entries, the quantity at the percentile (from a histogram
    of (activity, quantity) counts: few groups, whatever the number of entries)."""
    histogram: dict[int, list[tuple[int, int]]] = {}
    rows = found.values("activity_id", "quantity").annotate(n=Count("id")).order_by()
    for row in rows:
        histogram.setdefault(row["activity_id"], []).append((row["quantity"], row["n"]))
    usual: dict[int, int] = {}
    for activity, counts in histogram.items():
        total = sum(n for _q, n in counts)
        if total < t.QUANTITY_MIN_SAMPLE:
            continue
        seen, rank = 0, t.QUANTITY_PERCENTILE * total
        for quantity, n in sorted(counts):
            seen += n
            if seen >= rank:
                usual[activity] = quantity
                break
    return usual


def large_quantities(region: Region, month: Month) -> list[Finding]:
    """Entries whose quantity is above the region's usual for the activity that month."""
    found = month_entries(region, month)
    usual = usual_quantities(found)
    if not usual:
        return []
    above = Q()
    for activity, quantity in usual.items():
        above |= Q(activity_id=activity, quantity__gt=quantity)
    flagged = found.filter(above)
    groups = list(
        flagged.values("employee_id", "activity_id")
        .annotate(n=Count("id"), top=Max("quantity"))
        .order_by("-n", "-top", "employee_id")[: t.MAX_FINDINGS]
    )
    if not groups:
        return []
    ids = {g["employee_id"] for g in groups}
    refs = samples(flagged.filter(employee_id__in=ids), "employee_id", "activity_id")
    people = names_of(region, ids)
    activities = activity_names(region, {g["activity_id"] for g in groups})
    text = _(
        "%(name)s entered %(activity)s %(count)s times with a quantity up to %(top)s, above "
        "%(usual)s, the region's 99th percentile for it this month."
    )
    return [
        Finding(
            kind=AnomalyKind.LARGE_QUANTITY,
            explanation=text
            % {
                "name": people.get(g["employee_id"], "?"),
                "activity": activities.get(g["activity_id"], "?"),
                "count": g["n"],
                "top": g["top"],
                "usual": usual[g["activity_id"]],
            },
            people=[(g["employee_id"], people.get(g["employee_id"], "?"))],
            count=g["n"],
            entries=refs.get((g["employee_id"], g["activity_id"]), []),
        )
        for g in groups
    ]


def fast_reviewers(region: Region, month: Month) -> list[Finding]:
    """Reviewers with enough reviews, nearly all approvals, and a median time from an
    entry's creation to its review under the threshold (more than half were faster)."""
    reviewed = month_entries(region, month).filter(
        state__in=[APPROVED, REJECTED], reviewed_at__isnull=False, reviewed_by__isnull=False
    )
    quick = Q(reviewed_at__lt=F("created_at") + dt.timedelta(seconds=t.FAST_REVIEW_SECONDS))
    share = int(t.FAST_APPROVAL_SHARE * 100)
    rows = list(
        reviewed.values("reviewed_by_id")
        .annotate(
            n=Count("id"),
            approved=Count("id", filter=Q(state=APPROVED)),
            fast=Count("id", filter=quick),
        )
        .annotate(fast_twice=F("fast") * 2, approved_pct=F("approved") * 100)
        .filter(n__gte=t.FAST_MIN_REVIEWS, fast_twice__gt=F("n"), approved_pct__gte=F("n") * share)
        .order_by("-n", "reviewed_by_id")[: t.MAX_FINDINGS]
    )
    if not rows:
        return []
    users = [r["reviewed_by_id"] for r in rows]
    refs = samples(reviewed.filter(quick, reviewed_by_id__in=users), "reviewed_by_id")
    reviewers = _reviewers(region, users)
    return [_fast(r, reviewers.get(r["reviewed_by_id"]), refs) for r in rows]


def _reviewers(region: Region, users: list[int]) -> dict[int, tuple[int | None, str]]:
    """Each reviewing account's registry record (id, name), or its account name."""
    found: dict[int, tuple[int | None, str]] = {
        u.pk: (None, u.full_name or u.email.split("@")[0])
        for u in User.objects.filter(pk__in=users).only("full_name", "email")
    }
    people = Employee.objects.filter(region=region, user_id__in=users)
    for pk, user_id, name in people.values_list("pk", "user_id", "name"):
        found[user_id] = (pk, name)
    return found


def _fast(
    row: dict[str, Any],
    reviewer: tuple[int | None, str] | None,
    refs: dict[tuple[Any, ...], list[EntryRef]],
) -> Finding:
    person, name = reviewer or (None, "?")
    text = _(
        "%(name)s approved %(approved)s of the %(reviews)s entries they reviewed; more than "
        "half of the reviews came within %(seconds)s seconds of the entry being logged."
    ) % {
        "name": name,
        "approved": row["approved"],
        "reviews": row["n"],
        "seconds": t.FAST_REVIEW_SECONDS,
    }
    return Finding(
        kind=AnomalyKind.FAST_REVIEWER,
        explanation=text,
        people=[(person, name)] if person else [],
        count=row["n"],
        entries=refs.get((row["reviewed_by_id"],), []),
    )


def month_close(region: Region, month: Month) -> dt.datetime:
    """When the month closed, or closes: the cut-off day of the next month, end of day."""
    closed = (
        Period.objects.filter(
            region=region, year=month.year, month=month.month, state=PeriodState.CLOSED
        )
        .values_list("closed_at", flat=True)
        .first()
    )
    if closed is not None:
        return closed
    following = month.back(-1)
    last_day = months.monthrange(following.year, following.month)[1]
    day = following.start.replace(day=min(int(settings_of(region)["cutoff_day"]), last_day))
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=RegionCalendar(region).tz)


def bulk_before_cutoff(region: Region, month: Month) -> list[Finding]:
    """People who created many entries in the last days before the close, for dates well
    before that window opened."""
    close = month_close(region, month)
    opens = close - dt.timedelta(days=t.BULK_WINDOW_DAYS)
    if opens > timezone.now():
        return []
    long_before = RegionCalendar(region).local_date(opens) - dt.timedelta(days=t.BULK_LAG_DAYS)
    late = month_entries(region, month).filter(
        created_at__gte=opens, created_at__lte=close, work_date__lte=long_before
    )
    rows = list(
        late.values("employee_id")
        .annotate(n=Count("id"), first=Min("work_date"), last=Max("work_date"))
        .filter(n__gte=t.BULK_MIN_ENTRIES)
        .order_by("-n", "employee_id")[: t.MAX_FINDINGS]
    )
    if not rows:
        return []
    ids = {r["employee_id"] for r in rows}
    people = names_of(region, ids)
    refs = samples(late.filter(employee_id__in=ids), "employee_id")
    text = _(
        "%(name)s created %(count)s entries for %(first)s to %(last)s in the last %(window)s "
        "days before the month's close on %(close)s."
    )
    local_close = close.astimezone(RegionCalendar(region).tz).strftime("%d/%m/%Y %H:%M")
    return [
        Finding(
            kind=AnomalyKind.BULK_BEFORE_CUTOFF,
            explanation=text
            % {
                "name": people.get(r["employee_id"], "?"),
                "count": r["n"],
                "first": r["first"].strftime("%d/%m/%Y"),
                "last": r["last"].strftime("%d/%m/%Y"),
                "window": t.BULK_WINDOW_DAYS,
                "close": local_close,
            },
            people=[(r["employee_id"], people.get(r["employee_id"], "?"))],
            count=r["n"],
            entries=_by_person(refs, r["employee_id"]),
        )
        for r in rows
    ]
