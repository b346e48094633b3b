"""Checklists as region data: the starter set a region adopts on first use, its own items,
and the answers a step records — manual ones from the reviewer, computed ones from
checks.py with their evidence. Nobody ticks a computed item by hand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.services.audit import audit_record

from ..checks import COMPUTED_CHECKS
from ..errors import GrantsError
from ..models import ChecklistAnswer, ChecklistItem, Proposal
from ..workflow import EVALUATION, REVIEW_STAGES, SUBMITTED
from .organisations import region_today

# (state, key, name_id, name_en, computed_check, needs_date, required)
STARTER_ITEMS: tuple[tuple[str, str, str, str, str, bool, bool], ...] = (
    (
        SUBMITTED,
        "doc-deed",
        "Akta pendirian ada dan sah",
        "Deed of establishment present and valid",
        "",
        False,
        True,
    ),
    (
        SUBMITTED,
        "doc-legal",
        "SK badan hukum ada dan sah",
        "Legal registration decree present and valid",
        "",
        False,
        True,
    ),
    (SUBMITTED, "doc-npwp", "NPWP organisasi ada", "Organisation's NPWP present", "", False, True),
    (
        SUBMITTED,
        "doc-domicile",
        "Surat keterangan domisili ada",
        "Certificate of domicile present",
        "",
        False,
        True,
    ),
    (
        SUBMITTED,
        "doc-bank",
        "Rekening bank atas nama organisasi",
        "Bank account in the organisation's name",
        "",
        False,
        True,
    ),
    (
        SUBMITTED,
        "doc-proposal",
        "Proposal lengkap dan ditandatangani",
        "Proposal complete and signed",
        "",
        False,
        True,
    ),
    (
        SUBMITTED,
        "doc-rab",
        "RAB wajar dan sesuai proposal",
        "Cost breakdown (RAB) reasonable and matching",
        "",
        False,
        True,
    ),
    (
        SUBMITTED,
        "all-documents",
        "Semua dokumen wajib terunggah",
        "All required documents attached",
        "documents_attached",
        False,
        True,
    ),
    (
        SUBMITTED,
        "no-overdue-lpj",
        "Tidak ada LPJ yang terlambat",
        "No overdue accountability report (LPJ)",
        "no_overdue_lpj",
        False,
        True,
    ),
    # Shown and flagged, not blocking by default: a region makes them required as data.
    (
        SUBMITTED,
        "no-grant-last-year",
        "Tidak menerima hibah pada tahun anggaran sebelumnya",
        "Has not received a grant in the previous year",
        "no_previous_year_grant",
        False,
        False,
    ),
    (
        SUBMITTED,
        "organisation-age",
        "Terdaftar cukup lama sebelum pengajuan",
        "Registered long enough before applying",
        "organisation_min_age",
        False,
        False,
    ),
    (
        EVALUATION,
        "not-fictitious",
        "Organisasi tidak fiktif: dikunjungi pada tanggal",
        "Organisation is not fictitious: visited on",
        "",
        True,
        True,
    ),
    (
        EVALUATION,
        "address-matches",
        "Alamat sesuai dengan yang terdaftar",
        "Address matches the registered one",
        "",
        False,
        True,
    ),
    (
        EVALUATION,
        "officers-met",
        "Pengurus ditemui dan sesuai",
        "Officers met and matching the registration",
        "",
        False,
        True,
    ),
    (
        EVALUATION,
        "activity-real",
        "Kegiatan yang diusulkan nyata dan wajar",
        "The proposed activity is real and reasonable",
        "",
        False,
        True,
    ),
)
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
ITEM_FIELDS = (
    "name_id",
    "name_en",
    "state",
    "key",
    "computed_check",
    "needs_date",
    "required",
    "position",
    "is_active",
)


@dataclass(frozen=True)
class Answer:
    passed: bool
    on_date: dt.date | None = None
    note: str = ""


def checklist_adopt_starter(*, region: Region, actor: User | None) -> list[ChecklistItem]:
    """Add the starter items the region does not have yet (by state and key)."""
    have = set(ChecklistItem.objects.filter(region=region).values_list("state", "key"))
    added: list[ChecklistItem] = []
    with transaction.atomic():
        for position, (state, key, name_id, name_en, check, dated, required) in enumerate(
            STARTER_ITEMS
        ):
            if (state, key) in have:
                continue
            added.append(
                ChecklistItem.objects.create(
                    region=region,
                    state=state,
                    key=key,
                    name_id=name_id,
                    name_en=name_en,
                    computed_check=check,
                    needs_date=dated,
                    required=required,
                    position=(position + 1) * 10,
                )
            )
        if added:
            audit_record(
                region=region,
                actor=actor,
                action="grants.checklist.adopt",
                changes={"keys": [f"{i.state}:{i.key}" for i in added]},
            )
    return added


def checklist_items(region: Region, state: str) -> list[ChecklistItem]:
    """The region's active items for a step; a region that has none yet gets the starter
    set the first time it needs one."""
    if not ChecklistItem.objects.filter(region=region).exists():
        checklist_adopt_starter(region=region, actor=None)
    return list(ChecklistItem.objects.filter(region=region, state=state, is_active=True))


@transaction.atomic
def checklist_item_save(
    *, region: Region, actor: User, data: Mapping[str, Any], item: ChecklistItem | None = None
) -> ChecklistItem:
    """Create or change one of the region's checklist items (region administrators)."""
    if not can(actor, "grants.manage_programmes", region):
        raise PermissionDenied()
    if item is not None and item.region_id != region.pk:
        raise NotFound()
    values = {k: data[k] for k in ITEM_FIELDS if k in data}
    target = item or ChecklistItem(region=region)
    before = {k: getattr(target, k) for k in ITEM_FIELDS} if item else {}
    for key, value in values.items():
        setattr(target, key, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if target.state not in REVIEW_STAGES:
        errors["state"] = [_("Choose a review step.")]
    if not KEY.match(target.key or ""):
        errors["key"] = [_("Lowercase letters, digits and hyphens only, at most 60.")]
    elif (
        ChecklistItem.objects.filter(region=region, state=target.state, key=target.key)
        .exclude(pk=target.pk)
        .exists()
    ):
        errors["key"] = [_("Another item of this step has this key.")]
    if target.computed_check and target.computed_check not in COMPUTED_CHECKS:
        errors["computed_check"] = [_("Choose one of the checks the system computes.")]
    for name in ("name_id", "name_en"):
        if not getattr(target, name):
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(errors)
    target.save()
    audit_record(
        region=region,
        actor=actor,
        action="grants.checklist.save",
        obj=target,
        changes={
            k: [before.get(k), getattr(target, k)]
            for k in ITEM_FIELDS
            if before.get(k) != getattr(target, k)
        },
    )
    return target


def _check_manual(
    items: list[ChecklistItem], answers: Mapping[str, Answer], today: dt.date
) -> dict[str, ChecklistItem]:
    by_key = {i.key: i for i in items}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        raise DomainError(
            GrantsError.CHECKLIST_UNKNOWN_ITEM,
            _("Not an item of this step's checklist: %(keys)s") % {"keys": ", ".join(unknown)},
            status=422,
        )
    computed = sorted(k for k in answers if by_key[k].computed_check)
    if computed:
        raise DomainError(
            GrantsError.CHECKLIST_COMPUTED,
            _("These items are checked by the system, not by hand: %(keys)s")
            % {"keys": ", ".join(computed)},
            status=422,
        )
    manual = {k: i for k, i in by_key.items() if not i.computed_check}
    unanswered = sorted(k for k in manual if k not in answers)
    if unanswered:
        raise DomainError(
            GrantsError.CHECKLIST_INCOMPLETE,
            _("Answer every item: %(keys)s") % {"keys": ", ".join(unanswered)},
            status=422,
        )
    for key, answer in answers.items():
        undated = answer.on_date is None or answer.on_date > today
        if manual[key].needs_date and answer.passed and undated:
            raise ValidationFailed({key: [_("Give the date, not in the future.")]})
    return manual


def checklist_record(
    *,
    region: Region,
    actor: User,
    proposal: Proposal,
    state: str,
    answers: Mapping[str, Answer],
) -> list[ChecklistAnswer]:
    """Record a step's manual answers and compute its computed ones (inside the step's
    transaction); returns every answer of the step."""
    today = region_today(region)
    items = checklist_items(region, state)
    manual = _check_manual(items, answers, today)
    now = timezone.now()
    stored = []
    for item in items:
        if item.key in manual:
            answer = answers[item.key]
            values: dict[str, Any] = {
                "passed": answer.passed,
                "on_date": answer.on_date,
                "note": answer.note.strip(),
                "computed": False,
                "evidence": {},
                "actor": actor,
            }
        else:
            outcome = COMPUTED_CHECKS[item.computed_check](proposal, today)
            values = {"passed": outcome.passed, "on_date": None, "note": "", "computed": True}
            values.update(evidence=outcome.evidence, actor=None)
        row, _created = ChecklistAnswer.objects.update_or_create(
            region=region, proposal=proposal, item=item, defaults={**values, "answered_at": now}
        )
        stored.append(row)
    audit_record(
        region=region,
        actor=actor,
        action="grants.hibah.checklist",
        obj=proposal,
        changes={"state": state, "answers": {a.item.key: a.passed for a in stored}},
    )
    return stored


def checklist_gate(answers: list[ChecklistAnswer]) -> None:
    """Refuse the step while a required item has not passed."""
    failed = [a.item.key for a in answers if a.item.required and not a.passed]
    if failed:
        raise DomainError(
            GrantsError.CHECKLIST_FAILED,
            _("Required checks did not pass: %(keys)s. Send the proposal back or reject it.")
            % {"keys": ", ".join(failed)},
            status=409,
        )
