"""Paying a hibah in tranches (never more than its final amount), each with its proofs,
and its accountability report (LPJ): submitted by the organisation, verified or sent back
by staff."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.attachments import clean_document
from lumbung.core.errors import DomainError, ErrorCode, NotFound, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.permissions import roles_of
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record

from ..checks import MODULE
from ..errors import GrantsError
from ..models import Document, HibahProgramme, Proposal, Tranche
from ..workflow import AGREEMENT, DISBURSED, HIBAH_FLOW
from .documents import store_document
from .organisations import region_today, require_account
from .proposals import rupiah
from .stages import begin, lock, move


def lpj_due_on(region: Region, programme: HibahProgramme) -> dt.date:
    """The LPJ of a year's grant is due on the region's "MM-DD" of the following year."""
    text = str(module_settings(region, MODULE)["lpj_due"]).strip()
    try:
        month, day = (int(part) for part in text.split("-"))
        return dt.date(programme.year + 1, month, day)
    except ValueError:
        raise DomainError(
            GrantsError.SETTING_INVALID,
            _("The module's LPJ due date setting is not a valid MM-DD date."),
            status=500,
        ) from None


@transaction.atomic
def tranche_record(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    amount: Any,
    paid_on: dt.date,
    reference: str,
    proof: UploadedFile | None = None,
    expected_version: int | None = None,
) -> Tranche:
    """Record one payment. Tranches never add up to more than the final amount; the first
    one moves the proposal to disbursed and sets the LPJ due date."""
    fresh = lock(region, proposal, expected_version)
    _require_payer(region, actor)
    if fresh.state not in (AGREEMENT, DISBURSED) or fresh.amount_final is None:
        raise DomainError(
            GrantsError.NOT_DISBURSABLE,
            _("Only a proposal with a signed NPHD can be paid."),
            status=409,
        )
    value = rupiah(amount)
    errors: dict[str, list[str]] = {}
    if not isinstance(paid_on, dt.date) or paid_on > region_today(region):
        errors["paid_on"] = [_("Give the payment date, not in the future.")]
    if not reference.strip():
        errors["reference"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    paid = Tranche.objects.filter(region=region, proposal=fresh).aggregate(s=Sum("amount"))["s"]
    total = (paid or Decimal(0)) + value
    if total > fresh.amount_final:
        raise DomainError(
            GrantsError.TRANCHE_EXCEEDS_FINAL,
            _("Payments would reach %(total)s, above the final amount %(final)s.")
            % {"total": f"{total:,.2f}", "final": f"{fresh.amount_final:,.2f}"},
            field_errors={"amount": [_("Above what is left to pay.")]},
            status=409,
        )
    if fresh.state == AGREEMENT:
        begin(region, actor, fresh, "disburse", fresh.version)
    number = Tranche.objects.filter(region=region, proposal=fresh).count() + 1
    tranche = Tranche.objects.create(
        region=region,
        proposal=fresh,
        number=number,
        amount=value,
        paid_on=paid_on,
        reference=reference.strip()[:80],
        actor=actor,
    )
    if proof is not None:
        store_document(
            region,
            actor,
            clean_document(proof),
            Document.Kind.TRANSFER,
            proposal=fresh,
            tranche=tranche,
        )
    changes: dict[str, Any] = {"amount_disbursed": [fresh.amount_disbursed, total]}
    updates: dict[str, Any] = {"amount_disbursed": total}
    if fresh.state == AGREEMENT:
        updates["lpj_due_on"] = lpj_due_on(region, fresh.programme)
        changes["lpj_due_on"] = [None, updates["lpj_due_on"]]
    Proposal.objects.filter(region=region, pk=fresh.pk).update(**updates)
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.tranche",
        obj=fresh,
        changes={**changes, "tranche": number, "amount": value, "paid_on": paid_on},
        reason=reference.strip(),
    )
    if fresh.state == AGREEMENT:
        move(region, actor, fresh, "disburse")
    proposal.refresh_from_db()
    return tranche


def _require_payer(region: Region, actor: User) -> None:
    if not roles_of(actor, region) & HIBAH_FLOW.action("disburse").roles:
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Your role may not take this action."), status=403
        )


@transaction.atomic
def tranche_proof_attach(
    *, region: Region, actor: User, tranche: Tranche, upload: UploadedFile
) -> Document:
    """Attach the proof of a payment already recorded (the SP2D or the bank's transfer
    slip often arrives after the payment): a PDF or a photo, checked by content, linked
    to the tranche. Proofs are added, never replaced: each is part of the record."""
    if tranche.region_id != region.pk:
        raise NotFound()
    _require_payer(region, actor)
    cleaned = clean_document(upload)
    proposal = Proposal.objects.select_for_update().get(region=region, pk=tranche.proposal_id)
    return store_document(
        region, actor, cleaned, Document.Kind.TRANSFER, proposal=proposal, tranche=tranche
    )


@transaction.atomic
def lpj_submit(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    document: UploadedFile | None,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """The organisation hands in its accountability report (LPJ)."""
    fresh = lock(region, proposal, expected_version)
    require_account(fresh.organisation, actor)
    if document is None:
        raise DomainError(
            GrantsError.DOCUMENT_REQUIRED,
            _("Attach the accountability report (LPJ)."),
            field_errors={"document": [_("This field is required.")]},
            status=422,
        )
    begin(region, actor, fresh, "submit_lpj", fresh.version)
    store_document(region, actor, clean_document(document), Document.Kind.LPJ, proposal=fresh)
    now = timezone.now()
    Proposal.objects.filter(region=region, pk=fresh.pk).update(lpj_submitted_at=now)
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.lpj",
        obj=fresh,
        changes={"lpj_submitted_at": [fresh.lpj_submitted_at, now]},
    )
    moved = move(region, actor, fresh, "submit_lpj", note)
    proposal.refresh_from_db()
    return moved


@transaction.atomic
def lpj_verify(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """Staff accept the LPJ; the proposal is closed."""
    fresh = begin(region, actor, proposal, "verify_lpj", expected_version)
    moved = move(region, actor, fresh, "verify_lpj", note)
    proposal.refresh_from_db()
    return moved


@transaction.atomic
def lpj_return(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    note: str,
    expected_version: int | None = None,
) -> Proposal:
    """Staff send the LPJ back: the proposal waits for it again, and counts as overdue
    once its due date has passed."""
    fresh = begin(region, actor, proposal, "return_lpj", expected_version)
    Proposal.objects.filter(region=region, pk=fresh.pk).update(lpj_submitted_at=None)
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.lpj_return",
        obj=fresh,
        changes={"lpj_submitted_at": [fresh.lpj_submitted_at, None]},
        reason=note.strip(),
    )
    moved = move(region, actor, fresh, "return_lpj", note)
    proposal.refresh_from_db()
    return moved
