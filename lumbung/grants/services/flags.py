"""Storing the red flags the detectors find, and dismissing one with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.services.audit import audit_record

from ..flags import Finding, detect_all
from ..models import RedFlag

REASON_MAX = 2000
CHUNK = 500


class FlagError(StrEnum):
    ALREADY_DISMISSED = "grants_flag_already_dismissed"


@dataclass(frozen=True)
class Refreshed:
    created: int  # new findings
    current: int  # every finding of this run (new ones included)
    resolved: int  # flags no longer found (kept, marked not current)


@transaction.atomic
def flags_refresh(*, region: Region) -> Refreshed:
    """Run every detector and store what they find, in a few statements: new findings are
    created, findings still there are current (with fresh evidence), flags whose cause went
    away are kept but no longer current. A dismissed flag keeps its dismissal: its key is
    the same, so it is never raised again."""
    findings = {(f.kind, f.key): f for f in detect_all(region)}
    known = dict(
        ((kind, key), (pk, current))
        for pk, kind, key, current in RedFlag.objects.filter(region=region).values_list(
            "pk", "kind", "key", "is_current"
        )
    )
    now = timezone.now()
    rows = [_row(region, finding, now) for finding in findings.values()]
    RedFlag.objects.bulk_create(
        rows,
        batch_size=CHUNK,
        update_conflicts=True,
        unique_fields=["region", "kind", "key"],
        update_fields=["evidence", "is_current", "proposal", "organisation", "person"],
    )
    gone = [pk for ident, (pk, current) in known.items() if current and ident not in findings]
    for start in range(0, len(gone), CHUNK):
        RedFlag.objects.filter(region=region, pk__in=gone[start : start + CHUNK]).update(
            is_current=False
        )
    created = sum(1 for ident in findings if ident not in known)
    if created or gone:
        audit_record(
            region=region,
            actor=None,
            action="grants.flags.refresh",
            changes={"created": created, "resolved": len(gone), "current": len(findings)},
        )
    return Refreshed(created=created, current=len(findings), resolved=len(gone))


def _row(region: Region, finding: Finding, now: dt.datetime) -> RedFlag:
    return RedFlag(
        region=region,
        kind=finding.kind,
        key=finding.key,
        evidence=finding.evidence,
        proposal_id=finding.proposal_id,
        organisation_id=finding.organisation_id,
        person_id=finding.person_id,
        detected_at=now,
        is_current=True,
    )


@transaction.atomic
def flag_dismiss(*, region: Region, actor: User, flag: RedFlag, reason: str) -> RedFlag:
    """Dismiss a flag as explained (a false alarm, or checked and in order). The reason is
    required and goes into the audit log with the actor."""
    if flag.region_id != region.pk:
        raise NotFound()
    if not can(actor, "grants.dismiss_flag", flag):
        raise PermissionDenied()
    reason = reason.strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(
            {"reason": [_("Give the reason, in at most %(n)d characters.") % {"n": REASON_MAX}]}
        )
    locked = RedFlag.objects.select_for_update().get(region=region, pk=flag.pk)
    if locked.dismissed_at is not None:
        raise Conflict(FlagError.ALREADY_DISMISSED, _("This flag was already dismissed."))
    locked.dismissed_at = timezone.now()
    locked.dismissed_by = actor
    locked.dismissal_reason = reason
    locked.save(update_fields=["dismissed_at", "dismissed_by", "dismissal_reason"])
    audit_record(
        region=region,
        actor=actor,
        action="grants.flag.dismiss",
        obj=locked,
        changes={"kind": locked.kind, "key": locked.key},
        reason=reason,
    )
    return locked
