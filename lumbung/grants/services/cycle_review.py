"""Undoing a cycle before it is approved: sending its list back to draft (to correct the
registry or the rules and compute again) and cancelling the cycle. Both need a reason,
which the workflow's transition and the audit log keep."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.audit import audit_record
from lumbung.core.services.workflow import case_transition

from ..models import Cycle, Entitlement
from .registry import require, same_region

WORK = "grants.manage_registry"


def _note(note: str) -> str:
    text = note.strip()
    if not text:
        raise ValidationFailed({"note": [_("Say why.")]})
    return text


def cycle_send_back(*, region: Region, actor: User, cycle: Cycle, note: str) -> Cycle:
    """Send a list under review back to draft. The list stays visible until the cycle is
    computed again, which replaces it; whoever computes it then may not approve it."""
    require(actor, region, WORK)
    same_region(region, cycle)
    why = _note(note)
    with transaction.atomic():
        case_transition(region=region, actor=actor, case=cycle, action="send_back", note=why)
        Cycle.objects.filter(region=region, pk=cycle.pk).update(computed_by=None, computed_at=None)
    cycle.refresh_from_db()
    return cycle


def cycle_cancel(*, region: Region, actor: User, cycle: Cycle, note: str) -> Cycle:
    """Cancel a cycle in draft or under review (unit heads and the region admin). Its
    list, if any, is kept for the record with everyone on it marked as removed, with the
    reason; the programme may open another cycle in its place."""
    require(actor, region, WORK)
    same_region(region, cycle)
    why = _note(note)
    with transaction.atomic():
        case_transition(region=region, actor=actor, case=cycle, action="cancel", note=why)
        listed = Entitlement.objects.filter(
            region=region, cycle=cycle, status=Entitlement.Status.LISTED
        )
        removed = listed.update(status=Entitlement.Status.REMOVED, note=why[:300])
        audit_record(
            region=region,
            actor=actor,
            action="grants.cycle_cancel",
            obj=cycle,
            changes={"removed": removed},
            reason=why,
        )
    cycle.refresh_from_db()
    return cycle
