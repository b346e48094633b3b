"""Each flag explains itself from its kind and evidence alone: a sentence for staff and
auditors, and the ids of the rows it rests on (the pages that show them pick the URLs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from lokal import format_rupiah

from ..models import FlagKind, Stage


@dataclass(frozen=True)
class EvidenceLink:
    model: str  # proposal, organisation, person, bansos_programme, tranche, amount_change
    id: int


@dataclass(frozen=True)
class Explanation:
    text: str
    links: tuple[EvidenceLink, ...]


def explain(kind: str, evidence: dict[str, Any]) -> Explanation:
    """The translated explanation of a flag, in the active language."""
    text, links = _EXPLAINERS[FlagKind(kind)](evidence)
    return Explanation(text, tuple(links))


Links = list[EvidenceLink]


def _day(value: str | None) -> str:
    return date_format(dt.date.fromisoformat(value), "DATE_FORMAT") if value else ""


def _rp(value: str) -> str:
    return format_rupiah(Decimal(value))


def _many(model: str, ids: list[int]) -> Links:
    return [EvidenceLink(model, i) for i in ids]


def _consecutive(e: dict[str, Any]) -> tuple[str, Links]:
    first, second = e["years"]
    if "person" in e:
        text = _(
            "This person received social aid in %(first)d and again in %(second)d "
            "(%(payments)d payments)."
        ) % {"first": first, "second": second, "payments": e["payments"]}
        return text, [
            EvidenceLink("person", e["person"]),
            *_many("bansos_programme", e["programmes"]),
        ]
    text = _("%(organisation)s received a grant in %(first)d and again in %(second)d.") % {
        "organisation": e["organisation_name"],
        "first": first,
        "second": second,
    }
    return text, [
        EvidenceLink("organisation", e["organisation"]),
        *_many("proposal", e["proposals"]),
    ]


def _shared(message: str) -> Callable[[dict[str, Any]], tuple[str, Links]]:
    def explainer(e: dict[str, Any]) -> tuple[str, Links]:
        names = ", ".join(e["organisation_names"])
        text = message % {"count": len(e["organisations"]), "value": e["value"], "names": names}
        return text, _many("organisation", e["organisations"])

    return explainer


def _recent(e: dict[str, Any]) -> tuple[str, Links]:
    text = _(
        "%(organisation)s was registered on %(legal_date)s, %(age)d days before this proposal "
        "(%(proposal_date)s); the region flags organisations younger than %(min)d days."
    ) % {
        "organisation": e["organisation_name"],
        "legal_date": _day(e["legal_date"]),
        "proposal_date": _day(e["proposal_date"]),
        "age": e["age_days"],
        "min": e["min_age_days"],
    }
    return text, [
        EvidenceLink("proposal", e["proposal"]),
        EvidenceLink("organisation", e["organisation"]),
    ]


def _civil_servant(e: dict[str, Any]) -> tuple[str, Links]:
    text = _("This recipient's NIK is in the region's staff registry of civil servants.")
    return text, [EvidenceLink("person", e["person"])]


def _duplicate(e: dict[str, Any]) -> tuple[str, Links]:
    text = _(
        "%(count)d people with different NIKs have the same name, birth date and "
        "kelurahan/desa: they may be one person registered twice."
    ) % {"count": len(e["persons"])}
    return text, _many("person", e["persons"])


def _amount_rise(e: dict[str, Any]) -> tuple[str, Links]:
    text = _(
        "The %(stage)s amount of %(number)s, %(amount)s, is above the previous stage's "
        "%(previous)s."
    ) % {
        "stage": Stage(e["stage"]).label.lower(),
        "number": e["proposal_number"],
        "amount": _rp(e["amount"]),
        "previous": _rp(e["previous"]),
    }
    if e["justification"]:
        text += " " + _("Justification recorded: “%(why)s”") % {"why": e["justification"]}
    else:
        text += " " + _("No justification was recorded.")
    return text, [
        EvidenceLink("proposal", e["proposal"]),
        EvidenceLink("amount_change", e["amount_change"]),
    ]


def _early(e: dict[str, Any]) -> tuple[str, Links]:
    values = {
        "n": e["tranche_number"],
        "number": e["proposal_number"],
        "amount": _rp(e["amount"]),
        "paid_on": _day(e["paid_on"]),
        "signed_on": _day(e["nphd_signed_on"]),
    }
    if e["nphd_signed_on"]:
        text = _(
            "Tranche %(n)d of %(number)s (%(amount)s) was paid on %(paid_on)s, before the "
            "NPHD was signed on %(signed_on)s."
        )
    else:
        text = _(
            "Tranche %(n)d of %(number)s (%(amount)s) was paid on %(paid_on)s, and no signed "
            "NPHD is recorded."
        )
    return text % values, [
        EvidenceLink("proposal", e["proposal"]),
        EvidenceLink("tranche", e["tranche"]),
    ]


def _lpj(e: dict[str, Any]) -> tuple[str, Links]:
    text = _(
        "The accountability report (LPJ) of %(number)s by %(organisation)s was due on %(due)s "
        "and has not been submitted."
    ) % {
        "number": e["proposal_number"],
        "organisation": e["organisation_name"],
        "due": _day(e["due_on"]),
    }
    return text, [
        EvidenceLink("proposal", e["proposal"]),
        EvidenceLink("organisation", e["organisation"]),
    ]


_EXPLAINERS: dict[FlagKind, Callable[[dict[str, Any]], tuple[str, Links]]] = {
    FlagKind.CONSECUTIVE_YEARS: _consecutive,
    FlagKind.SHARED_BANK: lambda e: _shared(
        _("%(count)d organisations use the same bank account (ending %(value)s): %(names)s.")
    )(e),
    FlagKind.SHARED_PHONE: lambda e: _shared(
        _("%(count)d organisations give the same phone number (ending %(value)s): %(names)s.")
    )(e),
    FlagKind.SHARED_ADDRESS: lambda e: _shared(
        _("%(count)d organisations give the same address (%(value)s): %(names)s.")
    )(e),
    FlagKind.RECENT_ORGANISATION: _recent,
    FlagKind.CIVIL_SERVANT: _civil_servant,
    FlagKind.DUPLICATE_PERSON: _duplicate,
    FlagKind.AMOUNT_RISE: _amount_rise,
    FlagKind.EARLY_DISBURSEMENT: _early,
    FlagKind.LPJ_OVERDUE: _lpj,
}
