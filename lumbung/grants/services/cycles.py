"""Bansos programmes and their cycles: a cycle's list is computed from the programme's
eligibility rules in the database, reviewed (people removed with a reason), approved by
someone other than whoever computed it, handed over with proof, and closed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.attachments import clean_image
from lumbung.core.errors import DomainError, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.audit import audit_record
from lumbung.core.services.workflow import case_start, case_transition

from ..bansos_errors import BansosError
from ..eligibility import rules_clean, rules_q
from ..models import BansosProgramme, BenefitKind, Cycle, Entitlement, Handover, Person
from ..models.common import MONEY_MAX
from ..workflow import APPROVED, CANCELLED, COMPUTED, DRAFT
from .registry import require, same_region

MANAGE, WORK = "grants.manage_programmes", "grants.manage_registry"


def programme_save(
    *,
    region: Region,
    actor: User,
    data: dict[str, Any],
    programme: BansosProgramme | None = None,
) -> BansosProgramme:
    """Create or change a programme: bilingual name, benefit, cycles, eligibility rules."""
    require(actor, region, MANAGE)
    if programme is not None:
        same_region(region, programme)
    values = _programme_values(region, data, programme)
    with transaction.atomic():
        target = programme or BansosProgramme(region=region)
        changes = {k: [getattr(target, k, None), v] for k, v in values.items()}
        for name, value in values.items():
            setattr(target, name, value)
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError:
            raise DomainError(
                BansosError.PROGRAMME_CODE_TAKEN,
                _("The region already has a programme with this code this year."),
                field_errors={"code": [_("Already used this year.")]},
                status=409,
            ) from None
        audit_record(
            region=region, actor=actor, action="grants.programme_save", obj=target, changes=changes
        )
    return target


def _programme_values(
    region: Region, data: dict[str, Any], current: BansosProgramme | None
) -> dict[str, Any]:
    def get(name: str, default: Any = "") -> Any:
        return data.get(name, getattr(current, name, default) if current else default)

    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {
        "code": str(get("code")).strip().lower(),
        "name_id": str(get("name_id")).strip(),
        "name_en": str(get("name_en")).strip(),
        "benefit_kind": get("benefit_kind", BenefitKind.CASH),
        "benefit_item": str(get("benefit_item")).strip(),
        "is_active": bool(get("is_active", True)),
    }
    if not values["code"] or len(values["code"]) > 40:
        errors["code"] = [_("Give a code of at most 40 characters.")]
    if not values["name_id"]:
        errors["name_id"] = [_("The name in Bahasa Indonesia is required.")]
    values["name_en"] = values["name_en"] or values["name_id"]
    for name, low, high in (("year", 2000, 2100), ("cycles_per_year", 1, 12)):
        try:
            values[name] = int(get(name, 1))
            if not low <= values[name] <= high:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = [
                _("A whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
            ]
    errors.update(_benefit(values, get("benefit_amount", 0)))
    try:
        values["eligibility"] = rules_clean(get("eligibility", []), region.code)
    except ValueError as error:
        errors["eligibility"] = str(error).split("\n")
    if errors:
        raise ValidationFailed(errors)
    return values


def _benefit(values: dict[str, Any], raw: Any) -> dict[str, list[str]]:
    if values["benefit_kind"] not in BenefitKind.values:
        return {"benefit_kind": [_("Cash or in kind.")]}
    if isinstance(raw, float):
        return {"benefit_amount": [_("Give the amount as an exact number, not a float.")]}
    try:
        amount = Decimal(str(raw or 0))
    except InvalidOperation:
        return {"benefit_amount": [_("Give an amount in Rupiah.")]}
    if not amount.is_finite() or amount < 0 or amount >= MONEY_MAX or amount != round(amount, 2):
        return {"benefit_amount": [_("Give an amount in Rupiah from 0, at most two decimals.")]}
    if values["benefit_kind"] == BenefitKind.CASH and amount == 0:
        return {"benefit_amount": [_("A cash benefit needs an amount.")]}
    if values["benefit_kind"] == BenefitKind.IN_KIND and not values["benefit_item"]:
        return {"benefit_item": [_("Name the item handed over.")]}
    values["benefit_amount"] = amount
    return {}


def cycle_create(
    *,
    region: Region,
    actor: User,
    programme: BansosProgramme,
    period_start: dt.date,
    period_end: dt.date,
) -> Cycle:
    """Open the programme's next cycle, in draft."""
    require(actor, region, WORK)
    same_region(region, programme)
    if period_end < period_start:
        raise ValidationFailed({"period_end": [_("The period ends before it starts.")]})
    with transaction.atomic():
        BansosProgramme.objects.select_for_update().filter(region=region, pk=programme.pk).get()
        cycles = Cycle.objects.filter(region=region, programme=programme)
        number = (cycles.aggregate(n=Max("number"))["n"] or 0) + 1
        # A cancelled cycle keeps its number but not its place in the year: the cycle
        # opened to replace it takes the next number.
        if cycles.exclude(state=CANCELLED).count() >= programme.cycles_per_year:
            raise DomainError(
                BansosError.CYCLE_STATE,
                _("The programme has %(n)d cycles a year.") % {"n": programme.cycles_per_year},
            )
        cycle = Cycle(
            region=region,
            programme=programme,
            number=number,
            period_start=period_start,
            period_end=period_end,
        )
        case_start(cycle, actor=actor)
        audit_record(
            region=region,
            actor=actor,
            action="grants.cycle_create",
            obj=cycle,
            changes={"programme": programme.code, "number": number},
        )
    return cycle


def cycle_compute(*, region: Region, actor: User, cycle: Cycle) -> int:
    """Compute the list in the database (INSERT … SELECT over the eligible persons who are
    not retired) and put the cycle under review; returns how many are listed. Recomputing
    a cycle sent back replaces its list."""
    require(actor, region, WORK)
    same_region(region, cycle)
    programme = cycle.programme
    with transaction.atomic():
        Entitlement.objects.filter(region=region, cycle=cycle).delete()
        amount = programme.benefit_amount if programme.benefit_kind == BenefitKind.CASH else 0
        eligible = (
            Person.objects.filter(region=region, retired_at__isnull=True)
            .filter(rules_q(programme.eligibility, cycle.period_start))
            .order_by()
            .values_list(
                Value(region.pk),
                Value(cycle.pk),
                "id",
                Value(Decimal(amount)),
                Value(Entitlement.Status.LISTED),
                Value(""),
            )
        )
        sql, params = eligible.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO grants_entitlement (region_id, cycle_id, person_id, amount, status, "
                f"note) {sql}",
                params,
            )
            listed = cursor.rowcount
        case_transition(region=region, actor=actor, case=cycle, action="compute")
        Cycle.objects.filter(region=region, pk=cycle.pk).update(
            computed_by=actor, computed_at=timezone.now()
        )
        audit_record(
            region=region,
            actor=actor,
            action="grants.cycle_compute",
            obj=cycle,
            changes={"listed": listed, "rules": programme.eligibility},
        )
    cycle.refresh_from_db()
    return int(listed)


def entitlement_remove(
    *, region: Region, actor: User, entitlement: Entitlement, reason: str
) -> Entitlement:
    """Take a person off a list under review, with the reason."""
    require(actor, region, WORK)
    same_region(region, entitlement)
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Say why the person is removed.")]})
    with transaction.atomic():
        found = _locked(region, entitlement)
        if found.cycle.state != COMPUTED or found.status != Entitlement.Status.LISTED:
            raise DomainError(
                BansosError.ENTITLEMENT_STATE,
                _("Only a listed person of a list under review can be removed."),
            )
        found.status, found.note = Entitlement.Status.REMOVED, reason.strip()[:300]
        found.save(update_fields=["status", "note"])
        audit_record(
            region=region,
            actor=actor,
            action="grants.entitlement_remove",
            obj=found,
            changes={"status": ["listed", "removed"]},
            reason=reason.strip(),
        )
    return found


def _locked(region: Region, entitlement: Entitlement) -> Entitlement:
    return (
        Entitlement.objects.select_for_update()
        .select_related("cycle")
        .get(region=region, pk=entitlement.pk)
    )


def cycle_approve(*, region: Region, actor: User, cycle: Cycle, note: str = "") -> Cycle:
    """Approve the list; refused to whoever computed it (four eyes)."""
    require(actor, region, WORK)
    same_region(region, cycle)
    with transaction.atomic():
        fresh = Cycle.objects.select_for_update().get(region=region, pk=cycle.pk)
        if fresh.computed_by_id == actor.pk:
            raise DomainError(
                BansosError.SAME_PERSON_APPROVES,
                _("Someone other than who computed the list must approve it."),
                status=403,
            )
        case_transition(region=region, actor=actor, case=fresh, action="approve", note=note)
        Cycle.objects.filter(region=region, pk=cycle.pk).update(
            approved_by=actor, approved_at=timezone.now()
        )
    cycle.refresh_from_db()
    return cycle


def handover_record(
    *,
    region: Region,
    actor: User,
    entitlement: Entitlement,
    paid_on: dt.date,
    channel: str,
    reference: str,
    photo: UploadedFile | None = None,
) -> Handover:
    """Record that the benefit reached its person, with proof; never twice."""
    require(actor, region, WORK)
    same_region(region, entitlement)
    errors: dict[str, list[str]] = {}
    if channel not in Handover.Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if not reference.strip() or len(reference.strip()) > 80:
        errors["reference"] = [_("Give the transfer or receipt reference (at most 80).")]
    if paid_on > timezone.localdate():
        errors["paid_on"] = [_("The date is in the future.")]
    cleaned = clean_image(photo, field="photo") if photo is not None else None
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        found = _locked(region, entitlement)
        if Handover.objects.filter(region=region, entitlement=found).exists():
            raise DomainError(
                BansosError.ALREADY_HANDED_OVER, _("This handover is already recorded."), status=409
            )
        if found.cycle.state != APPROVED or found.status != Entitlement.Status.LISTED:
            raise DomainError(
                BansosError.ENTITLEMENT_STATE,
                _("Only a listed person of an approved cycle can receive it."),
            )
        handover = Handover(
            region=region,
            entitlement=found,
            paid_on=paid_on,
            channel=channel,
            reference=reference.strip(),
            actor=actor,
        )
        if cleaned is not None:
            handover.photo.save(cleaned.name, cleaned.content, save=False)
        handover.save()
        found.status = Entitlement.Status.DISBURSED
        found.save(update_fields=["status"])
        audit_record(
            region=region,
            actor=actor,
            action="grants.handover_record",
            obj=found,
            changes={
                "status": ["listed", "disbursed"],
                "channel": channel,
                "paid_on": paid_on.isoformat(),
            },
        )
    return handover


def cycle_close(*, region: Region, actor: User, cycle: Cycle, note: str = "") -> Cycle:
    """Close the cycle. With people still listed a note is required, and they are marked
    as not having received it."""
    require(actor, region, WORK)
    same_region(region, cycle)
    with transaction.atomic():
        open_ = Entitlement.objects.filter(
            region=region, cycle=cycle, status=Entitlement.Status.LISTED
        )
        left = open_.count()
        if left and not note.strip():
            raise DomainError(
                BansosError.ENTITLEMENTS_OPEN,
                _("%(n)d people have not received it yet: add a note to close.") % {"n": left},
            )
        open_.update(status=Entitlement.Status.FAILED, note=note.strip()[:300])
        case_transition(region=region, actor=actor, case=cycle, action="close", note=note)
        audit_record(
            region=region,
            actor=actor,
            action="grants.cycle_close",
            obj=cycle,
            changes={"not_received": left},
            reason=note.strip(),
        )
    cycle.refresh_from_db()
    return cycle


__all__ = [
    "DRAFT",
    "cycle_approve",
    "cycle_close",
    "cycle_compute",
    "cycle_create",
    "entitlement_remove",
    "handover_record",
    "programme_save",
]
