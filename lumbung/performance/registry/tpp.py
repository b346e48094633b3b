"""Writes of the TPP base amounts: the full monthly allowance of each job grade, region data
with effective dates (the amount in effect on a day: selectors.tpp_base_on)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import ErrorCode
from lumbung.core.models import Region, User

from ..common import month_closed, record
from ..errors import PerformanceError
from ..models import TppBase
from .errors import RegistryError
from .rules import Problems, closed_message, grade_error


@transaction.atomic
def tpp_base_add(
    *,
    region: Region,
    actor: User | None,
    job_grade: int,
    amount: Decimal,
    effective_from: dt.date,
) -> TppBase:
    """A grade's full monthly allowance from a date on. A closed month keeps its bases."""
    problems = Problems()
    if (message := grade_error(job_grade)) is not None:
        problems.add("job_grade", RegistryError.GRADE_INVALID, message)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        problems.add(
            "amount",
            ErrorCode.VALIDATION,
            _("The amount is a positive number of Rupiah (at most 2 decimals)."),
        )
    if month_closed(region, effective_from):
        problems.add(
            "effective_from", PerformanceError.MONTH_CLOSED, closed_message(effective_from), 409
        )
    taken = TppBase.objects.filter(
        region=region, job_grade=job_grade, effective_from=effective_from
    )
    if "job_grade" not in problems.errors and taken.exists():  # a grade past smallint: no query
        problems.add(
            "effective_from",
            RegistryError.TPP_BASE_EXISTS,
            _("This grade already has a base amount from this date."),
            409,
        )
    problems.raise_any()
    base = TppBase.objects.create(
        region=region, job_grade=job_grade, amount=amount, effective_from=effective_from
    )
    record(
        region,
        actor,
        base,
        "tpp_base_add",
        {
            "job_grade": [None, job_grade],
            "amount": [None, str(amount)],
            "effective_from": [None, str(effective_from)],
        },
    )
    return base
