"""The red-flag detectors: each asks the database one set-based question (a constant number
of queries, whatever the number of rows) and returns its findings, each with a stable key,
so a re-run finds the same flag and a dismissed one stays dismissed, and the evidence that
explains it (explain.py turns it into text). services/flags.py stores them.

Proposals rejected or withdrawn are not looked at: they were never funded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lumbung.core.models import Region

from .common import Finding, region_today
from .explain import EvidenceLink, Explanation, explain
from .hibah import (
    amount_rises,
    consecutive_organisations,
    early_disbursements,
    lpj_overdue,
    recent_organisations,
    shared_addresses,
    shared_bank_accounts,
    shared_phones,
)
from .people import (
    civil_servant_niks,
    civil_servant_provider_register,
    civil_servant_provider_unregister,
    civil_servants,
    consecutive_persons,
    duplicate_persons,
)

Detector = Callable[[Region, dt.date], list[Finding]]

DETECTORS: tuple[Detector, ...] = (
    consecutive_organisations,
    consecutive_persons,
    shared_bank_accounts,
    shared_phones,
    shared_addresses,
    recent_organisations,
    civil_servants,
    duplicate_persons,
    amount_rises,
    early_disbursements,
    lpj_overdue,
)


def detect_all(region: Region, today: dt.date | None = None) -> list[Finding]:
    """Every detector's findings for the region (call inside its region scope)."""
    day = today or region_today(region)
    return [finding for detector in DETECTORS for finding in detector(region, day)]


__all__ = [
    "DETECTORS",
    "EvidenceLink",
    "Explanation",
    "Finding",
    "civil_servant_niks",
    "civil_servant_provider_register",
    "civil_servant_provider_unregister",
    "detect_all",
    "explain",
    "region_today",
]
