"""The region's activity catalogue: the administrator adds (in use at once), edits and
retires activities; a civil servant proposes one, which counts only once a curator (a unit
head or the administrator) accepts it. Every activity is a case of ACTIVITY_FLOW, so each
step is a Transition row and an audit event."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError, ErrorCode, PermissionDenied, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.permissions import can
from lumbung.core.services.workflow import case_start, case_transition

from ..common import record, same_region
from ..errors import PerformanceError
from ..models import Activity
from ..selectors import employee_of
from ..workflow import PROPOSED
from .errors import WorklogError

NAME_MAX, UNIT_MAX, POSITION_MAX, POSITIONS_MAX = 200, 60, 200, 50
MINUTES_MAX = 24 * 60


@dataclass(frozen=True)
class ActivityInput:
    name_id: str
    name_en: str
    output_unit_id: str
    output_unit_en: str
    standard_minutes: int
    positions: tuple[str, ...] = ()


def _tidy(data: ActivityInput) -> ActivityInput:
    """Spaces collapsed, positions without blanks or repeats; or field errors."""
    texts = {
        name: " ".join(str(getattr(data, name)).split())
        for name in ("name_id", "name_en", "output_unit_id", "output_unit_en")
    }
    positions = tuple(dict.fromkeys(" ".join(p.split()) for p in data.positions if p.strip()))
    errors: dict[str, list[str]] = {}
    for name, value in texts.items():
        limit = NAME_MAX if name.startswith("name") else UNIT_MAX
        if not value or "\x00" in value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if not 1 <= data.standard_minutes <= MINUTES_MAX:
        errors["standard_minutes"] = [_("From 1 to %(n)d minutes.") % {"n": MINUTES_MAX}]
    if len(positions) > POSITIONS_MAX or any(len(p) > POSITION_MAX for p in positions):
        errors["positions"] = [
            _("At most %(n)d positions of up to %(m)d characters each.")
            % {"n": POSITIONS_MAX, "m": POSITION_MAX}
        ]
    if errors:
        raise ValidationFailed(errors)
    return ActivityInput(**texts, standard_minutes=data.standard_minutes, positions=positions)


def _require(actor: User, perm: str, region: Region) -> None:
    if not can(actor, perm, region):
        raise PermissionDenied()


def _apply(activity: Activity, data: ActivityInput) -> dict[str, list[object]]:
    """Set the fields; the changes, for the audit event."""
    changes: dict[str, list[object]] = {}
    for name, value in asdict(data).items():
        value = list(value) if name == "positions" else value
        if getattr(activity, name) != value:
            changes[name] = [getattr(activity, name), value]
            setattr(activity, name, value)
    return changes


@transaction.atomic
def activity_create(*, region: Region, actor: User, data: ActivityInput) -> Activity:
    """The administrator's new activity, in use at once (started, then accepted)."""
    _require(actor, "performance.manage_catalogue", region)
    activity = Activity(region=region)
    changes = _apply(activity, _tidy(data))
    case_start(activity, actor=actor)
    case_transition(region=region, actor=actor, case=activity, action="accept")
    record(region, actor, activity, "activity_create", changes, casework=False)
    return activity


@transaction.atomic
def activity_update(
    *, region: Region, actor: User, activity: Activity, data: ActivityInput
) -> Activity:
    """The administrator corrects an activity. Entries already made keep the standard
    minutes they were made with."""
    same_region(region, activity)
    _require(actor, "performance.manage_catalogue", region)
    if activity.state not in (PROPOSED, "approved"):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("A retired or declined activity cannot be changed."),
            status=409,
        )
    changes = _apply(activity, _tidy(data))
    if changes:
        activity.save()
        record(region, actor, activity, "activity_update", changes, casework=False)
    return activity


@transaction.atomic
def activity_propose(*, region: Region, actor: User, data: ActivityInput) -> Activity:
    """A civil servant proposes an activity missing from the catalogue; it waits for a
    curator and counts for nothing until accepted."""
    person = employee_of(region, actor)
    if person is None:
        raise DomainError(
            PerformanceError.NOT_AN_EMPLOYEE,
            _("You are not an active civil servant in this region's staff registry."),
            status=403,
        )
    activity = Activity(region=region, proposed_by=person)
    changes = _apply(activity, _tidy(data))
    case_start(activity, actor=actor)
    record(region, actor, activity, "activity_propose", changes)
    return activity


def _curate(region: Region, actor: User, activity: Activity) -> None:
    same_region(region, activity)
    _require(actor, "performance.curate_activities", region)
    proposer = activity.proposed_by
    if proposer is not None and proposer.user_id == actor.pk:
        raise DomainError(
            WorklogError.OWN_PROPOSAL,
            _("Someone else accepts or declines an activity you proposed."),
            status=403,
        )


@transaction.atomic
def activity_accept(
    *, region: Region, actor: User, activity: Activity, data: ActivityInput | None = None
) -> Activity:
    """A curator accepts a proposal, wording or minutes corrected first if need be."""
    _curate(region, actor, activity)
    changes = _apply(activity, _tidy(data)) if data is not None else {}
    if changes:
        activity.save()
    case_transition(region=region, actor=actor, case=activity, action="accept")
    record(region, actor, activity, "activity_accept", changes)
    return activity


@transaction.atomic
def activity_decline(*, region: Region, actor: User, activity: Activity, reason: str) -> Activity:
    """A curator declines a proposal, saying why (the proposer reads it)."""
    _curate(region, actor, activity)
    case_transition(region=region, actor=actor, case=activity, action="decline", note=reason)
    return activity


@transaction.atomic
def activity_retire(*, region: Region, actor: User, activity: Activity, reason: str) -> Activity:
    """The administrator takes an activity out of use; entries already made keep it."""
    same_region(region, activity)
    _require(actor, "performance.manage_catalogue", region)
    case_transition(region=region, actor=actor, case=activity, action="retire", note=reason)
    return activity
