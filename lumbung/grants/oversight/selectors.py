"""Reads for the oversight pages and routes: red flags with their explanations and evidence,
suspicions waiting for review, and the rows a generated PDF is about. Every read is by
region; an id of another region is NotFound."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Model, QuerySet

from lumbung.core.errors import NotFound
from lumbung.core.models import Region

from ..flags import EvidenceLink, Explanation, explain
from ..models import (
    AmountChange,
    BansosProgramme,
    FlagKind,
    HibahProgramme,
    Organisation,
    Person,
    Proposal,
    RedFlag,
    Suspicion,
    Tranche,
)


class FlagStatus(StrEnum):
    CURRENT = "current"  # found at the last refresh, not dismissed
    GONE = "gone"  # no longer found, never dismissed
    DISMISSED = "dismissed"
    ALL = "all"


@dataclass(frozen=True)
class FlagFilters:
    kind: str = ""
    status: FlagStatus = FlagStatus.CURRENT


def flag_list(region: Region, filters: FlagFilters) -> QuerySet[RedFlag]:
    """The region's flags, newest first, of one kind and status."""
    rows = RedFlag.objects.filter(region=region).select_related("dismissed_by")
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status is FlagStatus.CURRENT:
        rows = rows.filter(is_current=True, dismissed_at__isnull=True)
    elif filters.status is FlagStatus.GONE:
        rows = rows.filter(is_current=False, dismissed_at__isnull=True)
    elif filters.status is FlagStatus.DISMISSED:
        rows = rows.filter(dismissed_at__isnull=False)
    return rows


def flag_get(region: Region, pk: int) -> RedFlag:
    found = RedFlag.objects.filter(region=region, pk=pk).select_related("dismissed_by").first()
    if found is None:
        raise NotFound()
    return found


@dataclass(frozen=True)
class Evidence:
    """One row a flag rests on, with what a reviewer needs to see of it."""

    model: str
    id: int
    label: str
    detail: str = ""
    public_id: str = ""  # proposals: their page in the public register


@dataclass(frozen=True)
class ExplainedFlag:
    flag: RedFlag
    explanation: Explanation
    evidence: tuple[Evidence, ...]


def flags_explained(region: Region, flags: Iterable[RedFlag]) -> list[ExplainedFlag]:
    """Each flag with its explanation in the active language and its evidence rows, read in
    one query per kind of evidence (not per flag)."""
    rows = list(flags)
    explanations = [_explain(f) for f in rows]
    wanted: dict[str, set[int]] = defaultdict(set)
    for explanation in explanations:
        for link in explanation.links:
            wanted[link.model].add(link.id)
    found = _evidence_rows(region, wanted)
    return [
        ExplainedFlag(flag, explanation, tuple(_known(found, explanation.links)))
        for flag, explanation in zip(rows, explanations, strict=True)
    ]


def _explain(flag: RedFlag) -> Explanation:
    """The flag's own explanation; evidence stored by an older detector whose shape no
    longer fits falls back to the kind's name and the rows the flag points at."""
    try:
        return explain(flag.kind, flag.evidence)
    except (KeyError, TypeError, ValueError):
        pointed = (
            ("proposal", flag.proposal_id),
            ("organisation", flag.organisation_id),
            ("person", flag.person_id),
        )
        links = tuple(EvidenceLink(model, pk) for model, pk in pointed if pk is not None)
        return Explanation(str(FlagKind(flag.kind).label), links)


def _known(found: dict[tuple[str, int], Evidence], links: Iterable[EvidenceLink]) -> list[Evidence]:
    # A row deleted since the refresh is simply not shown: the explanation still says it.
    return [found[(link.model, link.id)] for link in links if (link.model, link.id) in found]


def _evidence_rows(region: Region, wanted: dict[str, set[int]]) -> dict[tuple[str, int], Evidence]:
    readers = {
        "proposal": _proposals,
        "organisation": _organisations,
        "person": _persons,
        "bansos_programme": _bansos_programmes,
        "tranche": _tranches,
        "amount_change": _amount_changes,
    }
    out: dict[tuple[str, int], Evidence] = {}
    for model, ids in wanted.items():
        reader = readers.get(model)
        if reader is None or not ids:
            continue
        for item in reader(region, sorted(ids)):
            out[(item.model, item.id)] = item
    return out


def _of(model: type[Model], region: Region, ids: list[int]) -> QuerySet[Any]:
    return model._default_manager.filter(region=region, pk__in=ids)


def _proposals(region: Region, ids: list[int]) -> Iterable[Evidence]:
    for p in _of(Proposal, region, ids).select_related("organisation", "programme"):
        detail = f"{p.organisation.name} · {p.programme.name} {p.programme.year}"
        yield Evidence("proposal", p.pk, f"{p.number} · {p.title}", detail, str(p.public_id))


def _organisations(region: Region, ids: list[int]) -> Iterable[Evidence]:
    for o in _of(Organisation, region, ids):
        detail = f"{o.legal_number} · {o.legal_date:%Y-%m-%d} · {o.address}"
        yield Evidence("organisation", o.pk, o.name, detail)


def _persons(region: Region, ids: list[int]) -> Iterable[Evidence]:
    # Masked NIK: the flag pages are not the screen where a full NIK is read (and audited).
    for p in _of(Person, region, ids):
        detail = f"NIK ••••{p.nik[-4:]} · {p.birth_date:%Y-%m-%d} · {p.kelurahan_code}"
        yield Evidence("person", p.pk, p.name, detail)


def _bansos_programmes(region: Region, ids: list[int]) -> Iterable[Evidence]:
    for b in _of(BansosProgramme, region, ids):
        yield Evidence("bansos_programme", b.pk, f"{b.name} {b.year}")


def _tranches(region: Region, ids: list[int]) -> Iterable[Evidence]:
    for t in _of(Tranche, region, ids).select_related("proposal"):
        detail = f"{t.paid_on:%Y-%m-%d} · {t.reference}"
        yield Evidence("tranche", t.pk, f"{t.proposal.number} #{t.number}", detail)


def _amount_changes(region: Region, ids: list[int]) -> Iterable[Evidence]:
    for a in _of(AmountChange, region, ids).select_related("proposal"):
        yield Evidence("amount_change", a.pk, f"{a.proposal.number} · {a.stage}", a.justification)


# Suspicions ------------------------------------------------------------------------------


def suspicions_open(region: Region) -> QuerySet[Suspicion]:
    """Suspicions the auditors still have to review: not reviewed, not filed as complaints."""
    return (
        Suspicion.objects.filter(region=region, complaint__isnull=True, reviewed_at__isnull=True)
        .select_related("proposal", "programme")
        .order_by("created_at", "id")
    )


def suspicion_get(region: Region, pk: int) -> Suspicion:
    found = (
        Suspicion.objects.filter(region=region, pk=pk)
        .select_related("proposal", "programme")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


# What documents and suspicions are about ---------------------------------------------------


def hibah_programme_get(region: Region, pk: int) -> HibahProgramme:
    return _one(HibahProgramme.objects.filter(region=region, pk=pk))


def proposal_get(region: Region, pk: int) -> Proposal:
    return _one(Proposal.objects.filter(region=region, pk=pk).select_related("organisation"))


def proposal_by_public_id(region: Region, public_id: str) -> Proposal:
    return _one(Proposal.objects.filter(region=region, public_id=public_id))


def tranche_get(region: Region, pk: int) -> Tranche:
    return _one(Tranche.objects.filter(region=region, pk=pk))


def bansos_programmes(region: Region) -> QuerySet[BansosProgramme]:
    return BansosProgramme.objects.filter(region=region).order_by("-year", "code")


def bansos_programme_get(region: Region, pk: int) -> BansosProgramme:
    return _one(BansosProgramme.objects.filter(region=region, pk=pk))


def _one(rows: QuerySet[Any]) -> Any:
    found = rows.first()
    if found is None:
        raise NotFound()
    return found
