"""Detectors about persons in the bansos registry. Persons are named in evidence by id
only: their names and NIKs stay in the registry, shown masked by whoever renders them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import Lower

from lumbung.core.models import Region

from ..models import Entitlement, FlagKind, Person
from .common import CHUNK, RECEIVED, Finding, digest, strip_chars


def consecutive_persons(region: Region, today: dt.date) -> list[Finding]:
    """A person (one NIK) who received bansos in year Y and in year Y+1."""
    received = Entitlement.objects.filter(region=region, status=Entitlement.Status.DISBURSED)
    year = OuterRef("cycle__programme__year")
    neighbour = received.filter(person=OuterRef("person")).filter(
        Q(cycle__programme__year=year + 1) | Q(cycle__programme__year=year - 1)
    )
    rows = (
        received.filter(Exists(neighbour))
        .values_list("person_id", "cycle__programme__year", "cycle__programme_id")
        .annotate(payments=Count("pk"))
        .order_by("person_id", "cycle__programme__year")
    )
    by_person: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for person, year_value, prog, payments in rows:
        by_person[person][year_value].append((prog, payments))
    findings = []
    for person, years in by_person.items():
        for first in sorted(years):
            if first + 1 in years:
                both = years[first] + years[first + 1]
                evidence = {
                    "person": person,
                    "years": [first, first + 1],
                    "programmes": sorted({prog for prog, _n in both}),
                    "payments": sum(n for _prog, n in both),
                }
                key = f"person:{person}:{first}"
                findings.append(
                    Finding(FlagKind.CONSECUTIVE_YEARS, key, evidence, person_id=person)
                )
    return findings


# --- A bansos recipient who is a civil servant ---------------------------------------------

CivilServantProvider = Callable[[Region], Iterable[str]]
_providers: dict[str, CivilServantProvider] = {}


def civil_servant_provider_register(name: str, provider: CivilServantProvider) -> None:
    """A staff registry registers a function that gives the NIKs of the region's civil
    servants: the performance module's registry does (its apps.ready). With none, this
    detector finds nothing: the grants module has no list of civil servants of its own."""
    _providers[name] = provider


def civil_servant_provider_unregister(name: str) -> None:
    _providers.pop(name, None)


def civil_servant_niks(region: Region) -> set[str]:
    return {nik for provider in _providers.values() for nik in provider(region)}


def civil_servants(region: Region, today: dt.date) -> list[Finding]:
    niks = sorted(civil_servant_niks(region))
    on_a_list = Entitlement.objects.filter(
        region=region, person=OuterRef("pk"), status__in=RECEIVED
    )
    findings = []
    for start in range(0, len(niks), CHUNK):
        people = Person.objects.filter(region=region, nik__in=niks[start : start + CHUNK])
        for pk in people.filter(Exists(on_a_list)).values_list("pk", flat=True):
            evidence = {"person": pk}
            findings.append(Finding(FlagKind.CIVIL_SERVANT, f"person:{pk}", evidence, person_id=pk))
    return findings


# --- Duplicate persons ---------------------------------------------------------------------


def duplicate_persons(region: Region, today: dt.date) -> list[Finding]:
    """Different NIKs with the same name, birth date and kelurahan/desa. (The same NIK twice
    cannot happen in a region: the registry keeps one person per NIK.) Retired persons are
    left out: retiring the second entry is how staff settle a duplicate that a list used."""
    identity = [F("folded"), F("birth_date"), F("kelurahan_code")]
    rows = (
        Person.objects.filter(region=region, retired_at__isnull=True)
        .exclude(kelurahan_code="")
        .annotate(folded=strip_chars(Lower(F("name")), " .,'\t"))
        .annotate(alike=Window(Count("pk"), partition_by=identity))
        .filter(alike__gt=1)
        .values_list("folded", "birth_date", "kelurahan_code", "pk")
        .order_by("folded", "birth_date", "kelurahan_code", "pk")
    )
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for folded, birth, kelurahan, pk in rows:
        groups[(folded, str(birth), kelurahan)].append(pk)
    return [
        Finding(
            FlagKind.DUPLICATE_PERSON,
            f"persons:{digest(*identity_key)}",
            {"persons": members, "kelurahan_code": identity_key[2]},
            person_id=max(members),
        )
        for identity_key, members in groups.items()
    ]
