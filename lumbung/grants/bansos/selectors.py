"""Reads the bansos pages and API need beyond selectors_bansos: one object by id (always
with the region, so another region's id is NotFound), a person's entitlements, a cycle's
list, and the public cycles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lumbung.core.errors import NotFound
from lumbung.core.kelurahan import kelurahan_name
from lumbung.core.models import Region

from ..models import BansosProgramme, Cycle, Entitlement, ImportJob, Person
from ..selectors_bansos import PUBLIC_STATES, CycleSummary, cycle_summaries


def _one(found: Any) -> Any:
    if found is None:
        raise NotFound()
    return found


def person_get(region: Region, pk: int) -> Person:
    return _one(Person.objects.filter(region=region, pk=pk).first())


def programme_get(region: Region, pk: int) -> BansosProgramme:
    return _one(BansosProgramme.objects.filter(region=region, pk=pk).first())


def cycle_get(region: Region, pk: int) -> Cycle:
    found = Cycle.objects.filter(region=region, pk=pk).select_related("programme").first()
    return _one(found)


def entitlement_get(region: Region, pk: int) -> Entitlement:
    found = (
        Entitlement.objects.filter(region=region, pk=pk)
        .select_related("cycle__programme", "person")
        .first()
    )
    return _one(found)


def import_job_get(region: Region, pk: int) -> ImportJob:
    return _one(ImportJob.objects.filter(region=region, pk=pk).first())


def cycle_summary(region: Region, cycle: Cycle) -> CycleSummary:
    """The cycle's counts and totals (one query over the programme's cycles)."""
    for summary in cycle_summaries(region, cycle.programme):
        if summary.cycle.pk == cycle.pk:
            return summary
    raise NotFound()


def cycle_entitlements(region: Region, cycle: Cycle, *, status: str = "") -> QuerySet[Entitlement]:
    """The cycle's list, by name: each row with its person (show `nik_masked`) and
    handover."""
    found = Entitlement.objects.filter(region=region, cycle=cycle)
    if status:
        found = found.filter(status=status)
    return found.select_related("person", "handover").order_by("person__name", "id")


def person_entitlements(region: Region, person: Person) -> QuerySet[Entitlement]:
    return (
        Entitlement.objects.filter(region=region, person=person)
        .select_related("cycle__programme")
        .order_by("-cycle__period_start", "-id")
    )


def public_cycle_get(region: Region, pk: int) -> Cycle:
    """A cycle whose list is public: approved or closed, of an active programme."""
    found = (
        Cycle.objects.filter(
            region=region, pk=pk, state__in=PUBLIC_STATES, programme__is_active=True
        )
        .select_related("programme")
        .first()
    )
    return _one(found)


def public_cycles(region: Region) -> QuerySet[Cycle]:
    return (
        Cycle.objects.filter(region=region, state__in=PUBLIC_STATES, programme__is_active=True)
        .select_related("programme")
        .order_by("-programme__year", "programme__code", "number")
    )


def programmes_by_code(region: Region) -> dict[tuple[str, int], BansosProgramme]:
    """{(code, year): programme}: the aggregates name programmes by code and year."""
    return {(p.code, p.year): p for p in BansosProgramme.objects.filter(region=region)}


def kelurahan_label(region: Region, code: str) -> str:
    return kelurahan_name(region, code) or code
