"""Reads of the bansos side: the registry search for staff (NIKs masked in lists), the
programme and cycle summaries, and what the public page may show — aggregates per
programme, kelurahan and cycle, and recipient names with the last 4 NIK digits only
where the region publishes them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from lumbung.core.models import Region
from lumbung.core.selectors import module_settings

from .models import BansosProgramme, Cycle, Entitlement, ImportJob, Person
from .workflow import APPROVED, CYCLE_CLOSED

PUBLIC_STATES = (APPROVED, CYCLE_CLOSED)  # a list is public once approved
PAID = Entitlement.Status.DISBURSED


def person_search(
    region: Region,
    *,
    q: str = "",
    kelurahan: str = "",
    decile_max: int | None = None,
    status: str = "",
) -> QuerySet[Person]:
    """The region's registry for staff lists: a NIK (whole) or part of a name; `status`
    "active" or "retired" (anything else: both). Show `nik_masked` in lists; the full NIK
    goes through person_personal_read (audited)."""
    found = Person.objects.filter(region=region)
    if status == "active":
        found = found.filter(retired_at__isnull=True)
    elif status == "retired":
        found = found.filter(retired_at__isnull=False)
    text = q.strip()
    if text.isdigit() and len(text) == 16:
        found = found.filter(nik=text)
    elif text:
        found = found.filter(name__icontains=text)
    if kelurahan:
        found = found.filter(kelurahan_code=kelurahan)
    if decile_max is not None:
        found = found.filter(welfare_decile__lte=decile_max)
    return found.only(
        "id",
        "region",
        "nik",
        "name",
        "birth_date",
        "sex",
        "kelurahan_code",
        "welfare_decile",
        "source",
        "updated_at",
        "retired_at",
        "retired_reason",
    ).order_by("name", "id")


def person_get(region: Region, pk: int) -> Person | None:
    return Person.objects.filter(region=region, pk=pk).first()


def import_job_list(region: Region) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(region=region).order_by("-created_at", "-id")


def programme_list(region: Region, *, year: int | None = None) -> QuerySet[BansosProgramme]:
    found = BansosProgramme.objects.filter(region=region)
    return found.filter(year=year) if year else found


@dataclass(frozen=True)
class CycleSummary:
    cycle: Cycle
    listed: int
    removed: int
    disbursed: int
    failed: int
    amount_listed: Decimal
    amount_disbursed: Decimal


def cycle_summaries(region: Region, programme: BansosProgramme) -> list[CycleSummary]:
    """Each cycle of a programme with its counts and totals, in one query."""
    status = Entitlement.Status
    cycles = (
        Cycle.objects.filter(region=region, programme=programme)
        .annotate(
            n_listed=Count("entitlements", filter=Q(entitlements__status=status.LISTED)),
            n_removed=Count("entitlements", filter=Q(entitlements__status=status.REMOVED)),
            n_disbursed=Count("entitlements", filter=Q(entitlements__status=status.DISBURSED)),
            n_failed=Count("entitlements", filter=Q(entitlements__status=status.FAILED)),
            sum_listed=Sum("entitlements__amount", filter=~Q(entitlements__status=status.REMOVED)),
            sum_disbursed=Sum("entitlements__amount", filter=Q(entitlements__status=PAID)),
        )
        .order_by("number")
    )
    return [
        CycleSummary(
            c,
            c.n_listed,
            c.n_removed,
            c.n_disbursed,
            c.n_failed,
            c.sum_listed or Decimal(0),
            c.sum_disbursed or Decimal(0),
        )
        for c in cycles
    ]


def _public_entitlements(region: Region) -> QuerySet[Entitlement]:
    return Entitlement.objects.filter(
        region=region, cycle__state__in=PUBLIC_STATES, cycle__programme__is_active=True
    ).exclude(status=Entitlement.Status.REMOVED)


def public_aggregates(region: Region, *, by: str) -> list[dict[str, Any]]:
    """Counts and totals of approved lists, `by` "programme", "cycle" or "kelurahan": no
    row below the group, no personal data."""
    keys = {
        "programme": ["cycle__programme__code", "cycle__programme__year"],
        "cycle": ["cycle__programme__code", "cycle__programme__year", "cycle__number"],
        "kelurahan": ["person__kelurahan_code"],
    }[by]
    rows = (
        _public_entitlements(region)
        .values(*keys)
        .annotate(
            recipients=Count("id"),
            received=Count("id", filter=Q(status=PAID)),
            total=Sum("amount"),
            total_received=Sum("amount", filter=Q(status=PAID)),
        )
        .order_by(*keys)
    )
    return [
        {
            **r,
            "total": r["total"] or Decimal(0),
            "total_received": r["total_received"] or Decimal(0),
        }
        for r in rows
    ]


def public_recipient_names(region: Region, cycle: Cycle) -> list[dict[str, str]] | None:
    """Names on an approved list with the last 4 NIK digits, or None where the region does
    not publish names (the default)."""
    if not module_settings(region, "grants").get("publish_bansos_names"):
        return None
    if cycle.region_id != region.pk or cycle.state not in PUBLIC_STATES:
        return []
    rows = (
        _public_entitlements(region)
        .filter(cycle=cycle)
        .values_list("person__name", "person__nik", "status")
        .order_by("person__name", "id")
    )
    return [
        {"name": name, "nik": "*" * 12 + nik[-4:], "status": str(Entitlement.Status(s).label)}
        for name, nik, s in rows
    ]
