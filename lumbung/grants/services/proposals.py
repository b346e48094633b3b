"""A proposal from the organisation's side: submitting it with its cost breakdown (RAB),
withdrawing it, and resubmitting it after it was sent back. Also the amount rules every
stage shares: exact Rupiah, never above the previous stage's amount without a recorded
justification, and a programme's approved total never above its ceiling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record
from lumbung.core.services.numbering import number_format, number_next
from lumbung.core.services.workflow import case_start, case_transition

from ..checks import MODULE, overdue_lpj
from ..errors import GrantsError
from ..models import (
    AmountChange,
    BudgetLine,
    HibahProgramme,
    Organisation,
    Proposal,
    Stage,
    Verification,
)
from ..models.common import MONEY_MAX
from ..workflow import FUNDED
from .organisations import kelurahan_of_region, region_today, require_account, same_region

SEN = Decimal("0.01")
MAX_LINES = 200
QUANTITY_MAX = Decimal("9999999999")
PREVIOUS_STAGE = {
    Stage.RECOMMENDED: Stage.REQUESTED,
    Stage.CONSIDERED: Stage.RECOMMENDED,
    Stage.FINAL: Stage.CONSIDERED,
}


@dataclass
class BudgetLineInput:
    description: str
    quantity: Any
    unit: str
    unit_price: Any


@dataclass
class ProposalInput:
    programme: HibahProgramme
    title: str
    purpose: str
    location: str
    lines: Sequence[BudgetLineInput] = field(default_factory=list)
    kelurahan_code: str = ""
    # A pin on the map (both or neither), for the public register's map.
    latitude: Any = None
    longitude: Any = None


# --- exact Rupiah ---------------------------------------------------------------------------


def amount_error(field_name: str, message: str) -> DomainError:
    return DomainError(
        GrantsError.AMOUNT_INVALID, message, field_errors={field_name: [message]}, status=422
    )


def rupiah(value: Any, field_name: str = "amount", *, upper: Decimal = MONEY_MAX) -> Decimal:
    """An exact, positive Rupiah amount with at most two decimals (sen), at most `upper`.
    Floats are refused: a binary fraction is not an amount of money."""
    if isinstance(value, float | bool) or value is None:
        raise amount_error(field_name, _("Give the amount as an exact number of Rupiah."))
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise amount_error(field_name, _("Give the amount as an exact number of Rupiah.")) from None
    if not amount.is_finite():
        raise amount_error(field_name, _("Give the amount as an exact number of Rupiah."))
    if amount <= 0:
        raise amount_error(field_name, _("The amount must be more than zero."))
    if amount > upper:
        raise amount_error(field_name, _("The amount is too large to be real."))
    if amount != amount.quantize(SEN):
        raise amount_error(field_name, _("At most two decimals (sen)."))
    return amount.quantize(SEN)


def clean_lines(lines: Sequence[BudgetLineInput]) -> list[dict[str, Any]]:
    """The RAB lines with their totals; the requested amount is their exact sum."""
    if not lines:
        raise DomainError(
            GrantsError.BUDGET_EMPTY,
            _("Add at least one line to the cost breakdown (RAB)."),
            field_errors={"lines": [_("This field is required.")]},
            status=422,
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed({"lines": [_("At most %(n)d lines.") % {"n": MAX_LINES}]})
    rows: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        where = f"lines.{index}"
        quantity = rupiah(line.quantity, f"{where}.quantity", upper=QUANTITY_MAX)
        price = rupiah(line.unit_price, f"{where}.unit_price")
        description, unit = line.description.strip(), line.unit.strip()
        if not description or not unit:
            raise ValidationFailed({where: [_("Describe the item and its unit.")]})
        total = (quantity * price).quantize(SEN, rounding=ROUND_HALF_UP)
        if total > MONEY_MAX:
            raise amount_error(f"{where}.unit_price", _("The amount is too large to be real."))
        rows.append(
            {
                "position": index + 1,
                "description": description[:200],
                "quantity": quantity,
                "unit": unit[:30],
                "unit_price": price,
                "total": total,
            }
        )
    if sum(r["total"] for r in rows) > MONEY_MAX:
        raise amount_error("lines", _("The amount is too large to be real."))
    return rows


def amount_set(
    region: Region,
    actor: User | None,
    proposal: Proposal,
    stage: Stage,
    amount: Decimal,
    justification: str = "",
) -> AmountChange:
    """Set one stage's amount (inside the caller's transaction): above the previous
    stage's amount only with a justification; every change is kept and audited."""
    justification = justification.strip()
    # The requested amount has no stage before it; its previous is its own old value.
    previous = proposal.amount_at(PREVIOUS_STAGE.get(stage, stage))
    rises = stage in PREVIOUS_STAGE and isinstance(previous, Decimal) and amount > previous
    if rises and not justification:
        raise DomainError(
            GrantsError.AMOUNT_RISE_UNJUSTIFIED,
            _("The amount is above the previous stage's; explain why."),
            field_errors={"justification": [_("This field is required.")]},
            status=422,
        )
    before = proposal.amount_at(stage)
    Proposal.objects.filter(region=region, pk=proposal.pk).update(**{f"amount_{stage}": amount})
    setattr(proposal, f"amount_{stage}", amount)
    change = AmountChange.objects.create(
        region=region,
        proposal=proposal,
        stage=stage,
        amount=amount,
        previous=previous if isinstance(previous, Decimal) else None,
        justification=justification,
        actor=actor,
    )
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.amount",
        obj=proposal,
        changes={f"amount_{stage}": [before, amount], "previous_stage": previous},
        reason=justification,
    )
    return change


def approved_total(
    region: Region, programme: HibahProgramme, exclude: int | None = None
) -> Decimal:
    """The sum of final amounts of the programme's proposals that count against it."""
    funded = Proposal.objects.filter(region=region, programme=programme, state__in=FUNDED)
    if exclude is not None:
        funded = funded.exclude(pk=exclude)
    return funded.aggregate(total=Sum("amount_final"))["total"] or Decimal(0)


def ceiling_check(region: Region, proposal: Proposal, amount: Decimal) -> None:
    """Lock the programme row so that two final amounts cannot both squeeze under its
    ceiling, then refuse `amount` if the approved total would pass it."""
    programme = HibahProgramme.objects.select_for_update().get(
        region=region, pk=proposal.programme_id
    )
    total = approved_total(region, programme, exclude=proposal.pk) + amount
    if total > programme.ceiling:
        raise DomainError(
            GrantsError.CEILING_EXCEEDED,
            _("This would bring the programme's approved total to %(total)s, above its ceiling.")
            % {"total": f"{total:,.2f}"},
            field_errors={"amount": [_("Above what the programme has left.")]},
            status=409,
        )


# --- the applicant's actions ----------------------------------------------------------------


def programme_open(region: Region, programme: HibahProgramme) -> None:
    same_region(region, programme)
    today = region_today(region)
    opens, closes = programme.opens_on, programme.closes_on
    if not programme.is_active or (opens and today < opens) or (closes and today > closes):
        raise DomainError(
            GrantsError.PROGRAMME_CLOSED,
            _("This programme does not accept proposals now."),
            field_errors={"programme": [_("Not open.")]},
            status=409,
        )


def may_apply(region: Region, organisation: Organisation) -> None:
    """A rejected organisation, or one with an overdue LPJ, may not apply. One still
    waiting for verification may: its administrative check waits for it."""
    if organisation.verification == Verification.REJECTED:
        raise DomainError(
            GrantsError.ORGANISATION_REJECTED,
            _("The organisation's registration was rejected; correct it first."),
            status=409,
        )
    late = list(overdue_lpj(region, region_today(region)).filter(organisation=organisation))
    if late:
        raise DomainError(
            GrantsError.LPJ_OVERDUE,
            _(
                "The organisation has an overdue accountability report (LPJ) for %(numbers)s; "
                "no new grant until it is submitted."
            )
            % {"numbers": ", ".join(p.number for p in late)},
            status=409,
        )


def _write_lines(region: Region, proposal: Proposal, rows: list[dict[str, Any]]) -> None:
    BudgetLine.objects.filter(region=region, proposal=proposal).delete()
    BudgetLine.objects.bulk_create(
        [BudgetLine(region=region, proposal=proposal, **row) for row in rows]
    )


def _pin(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """A map pin inside Indonesia's bounding box, both coordinates or neither."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    message = _("Place the pin inside Indonesia, or leave the map empty.")
    refused = ValidationFailed({"latitude": [message], "longitude": [message]})
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lng = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise refused from None
    if not (lat.is_finite() and lng.is_finite()):
        raise refused
    if not (Decimal(-11) <= lat <= Decimal(6) and Decimal(94) <= lng <= Decimal(142)):
        raise refused
    return lat, lng


@transaction.atomic
def proposal_submit(
    *, region: Region, actor: User, organisation: Organisation, data: ProposalInput
) -> Proposal:
    """Submit a proposal for the organisation; the requested amount is the RAB's sum."""
    same_region(region, organisation)
    require_account(organisation, actor)
    programme_open(region, data.programme)
    may_apply(region, organisation)
    texts = {"title": data.title.strip(), "purpose": data.purpose.strip()}
    texts["location"] = data.location.strip()
    missing = {k: [_("This field is required.")] for k, v in texts.items() if not v}
    if missing:
        raise ValidationFailed(missing)
    if data.kelurahan_code and not kelurahan_of_region(region, data.kelurahan_code):
        raise ValidationFailed({"kelurahan_code": [_("Choose a kelurahan/desa of this region.")]})
    pin = _pin(data.latitude, data.longitude)
    rows = clean_lines(data.lines)
    year = data.programme.year
    prefix = str(module_settings(region, MODULE)["proposal_prefix"])
    proposal = Proposal(
        region=region,
        number=number_format(prefix, region, year, number_next(region, "grants.hibah", year)),
        programme=data.programme,
        organisation=organisation,
        title=texts["title"][:200],
        purpose=texts["purpose"],
        location=texts["location"][:300],
        kelurahan_code=data.kelurahan_code,
        latitude=pin[0],
        longitude=pin[1],
        amount_requested=sum((r["total"] for r in rows), Decimal(0)),
        submitted_by=actor,
    )
    case_start(proposal, actor=actor)
    _write_lines(region, proposal, rows)
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.submit",
        obj=proposal,
        changes={
            "number": proposal.number,
            "programme": data.programme.pk,
            "organisation": organisation.pk,
            "amount_requested": proposal.amount_requested,
            "lines": len(rows),
        },
    )
    amount = proposal.amount_requested
    AmountChange.objects.create(
        region=region, proposal=proposal, stage=Stage.REQUESTED, amount=amount, actor=actor
    )
    return proposal


def _applicant_move(
    region: Region,
    actor: User,
    proposal: Proposal,
    action: str,
    note: str,
    expected_version: int | None,
) -> Proposal:
    """The organisation's own account takes the action as itself: every signed-in person
    holds the citizen role the workflow asks for, so the engine allows it once this
    service has checked the account belongs to the organisation."""
    same_region(region, proposal)
    require_account(proposal.organisation, actor)
    case_transition(
        region=region,
        actor=actor,
        case=proposal,
        action=action,
        note=note,
        expected_version=expected_version,
    )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def proposal_withdraw(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The organisation withdraws its proposal before the evaluation starts, or while it
    is back with them for correction."""
    return _applicant_move(region, actor, proposal, "withdraw", note, expected_version)


@transaction.atomic
def proposal_resubmit(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str = "",
    lines: Sequence[BudgetLineInput] | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """Send a corrected proposal back to the step that returned it, with the working days
    that step had left. New RAB lines replace the old and set a new requested amount."""
    same_region(region, proposal)
    require_account(proposal.organisation, actor)
    may_apply(region, proposal.organisation)
    if lines is not None:
        rows = clean_lines(lines)
        _write_lines(region, proposal, rows)
        amount_set(
            region, actor, proposal, Stage.REQUESTED, sum((r["total"] for r in rows), Decimal(0))
        )
    if proposal.paused_state in FUNDED and proposal.amount_final is not None:
        ceiling_check(region, proposal, proposal.amount_final)
    return _applicant_move(region, actor, proposal, "resubmit", note, expected_version)
