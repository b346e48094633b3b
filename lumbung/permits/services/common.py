"""What every permits service shares: the region's today and settings, the region wall,
the applicant check, and moving an application with its permit type's stage deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.calendar import RegionCalendar
from lumbung.core.errors import Conflict, DomainError, ErrorCode, NotFound
from lumbung.core.models import Membership, Region, Unit, User
from lumbung.core.models.people import Role
from lumbung.core.permissions import roles_of
from lumbung.core.selectors import module_settings
from lumbung.core.services.audit import audit_record
from lumbung.core.services.workflow import case_transition

from ..errors import PermitsError
from ..models import Application, StageSla
from ..workflow import APPLICATION_FLOW, SLA_STAGES, STAGE_ROLES, VERIFYING_STAGES

MODULE = "permits"


def settings_of(region: Region) -> dict[str, Any]:
    return module_settings(region, MODULE)


def region_today(region: Region) -> dt.date:
    return RegionCalendar(region).local_date(timezone.now())


def same_region(region: Region, obj: Any) -> None:
    """A foreign row is a 404, never a 403 that confirms it exists."""
    if obj is None or obj.region_id != region.pk:
        raise NotFound()


def require_applicant(application: Application, actor: User | None) -> User:
    """Only the account that applied acts for the applicant."""
    if actor is None or actor.pk != application.applicant_id:
        raise DomainError(
            PermitsError.NOT_APPLICANT, _("Only the applicant can do this."), status=403
        )
    return actor


def record(
    region: Region,
    actor: User | None,
    obj: Any,
    action: str,
    changes: dict[str, Any],
    reason: str = "",
) -> None:
    audit_record(
        region=region,
        actor=actor,
        action=f"permits.{action}",
        obj=obj,
        changes=changes,
        reason=reason,
    )


def lock(region: Region, application: Application, expected_version: int | None) -> Application:
    """The application's row, locked for the step; a copy someone has moved since is stale,
    so two officers taking the same step at once cannot both succeed."""
    same_region(region, application)
    fresh = (
        Application.objects.select_for_update(of=("self",))
        .select_related("permit_type")
        .filter(region=region, pk=application.pk)
        .first()
    )
    if fresh is None:
        raise NotFound()
    version = application.version if expected_version is None else expected_version
    if fresh.version != version:
        raise Conflict(
            ErrorCode.CONCURRENT_UPDATE,
            _("Someone else changed this application a moment ago. Reload it and try again."),
        )
    return fresh


def begin(
    region: Region, actor: User, application: Application, action: str, expected_version: int | None
) -> Application:
    """Lock the application and check, before anything is written, that the action applies
    to its state and the actor's role may take it (the engine checks again on the move)."""
    fresh = lock(region, application, expected_version)
    step = APPLICATION_FLOW.action(action)
    if fresh.state not in step.sources:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("“%(action)s” is not possible while the application is “%(state)s”.")
            % {"action": step.label, "state": APPLICATION_FLOW.state(fresh.state).label},
            status=409,
        )
    if not roles_of(actor, region) & step.roles:
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Your role may not take this action."), status=403
        )
    return fresh


def not_own(application: Application, actor: User) -> None:
    """Nobody decides, inspects or signs their own application."""
    if application.applicant_id == actor.pk:
        raise DomainError(
            PermitsError.OWN_APPLICATION,
            _("You cannot act on your own application."),
            status=403,
        )


def member_of_unit(region: Region, actor: User, unit: Unit | None, roles: set[Role]) -> bool:
    """Whether the actor holds one of `roles` in `unit` (or region-wide, with no unit)."""
    where = Q(unit__isnull=True) if unit is None else Q(unit=unit) | Q(unit__isnull=True)
    return (
        Membership.objects.filter(region=region, user=actor, role__in=roles, is_active=True)
        .filter(where)
        .exists()
    )


def require_stage_role(region: Region, actor: User, application: Application) -> None:
    """Only who decides the current stage sends it back or rejects it; at the staff stages
    of a type with a verifying unit, only that unit's staff (or region-wide staff)."""
    wanted = STAGE_ROLES.get(application.state)
    if wanted is None:
        return
    if not roles_of(actor, region) & wanted:
        raise DomainError(
            PermitsError.NOT_STAGE_ROLE,
            _("Only the role deciding this stage can send it back or reject it."),
            status=403,
        )
    require_verifying_unit(region, actor, application)


def require_verifying_unit(region: Region, actor: User, application: Application) -> None:
    permit_type = application.permit_type
    staff_stage = application.state in VERIFYING_STAGES
    if permit_type is None or permit_type.verifying_unit_id is None or not staff_stage:
        return
    if not member_of_unit(
        region, actor, permit_type.verifying_unit, {Role.OFFICER, Role.UNIT_HEAD}
    ):
        raise DomainError(
            PermitsError.NOT_STAGE_ROLE,
            _("Only the verifying unit's staff can act at this stage."),
            status=403,
        )


def type_sla(application: Application, stage: str) -> int | None:
    if application.permit_type_id is None:
        return None
    return (
        StageSla.objects.filter(
            region_id=application.region_id, permit_type_id=application.permit_type_id, stage=stage
        )
        .values_list("working_days", flat=True)
        .first()
    )


def move(
    region: Region,
    actor: User | None,
    application: Application,
    action: str,
    note: str = "",
) -> Application:
    """Take `action` through core's engine, then, in the same transaction, give the new
    stage its permit type's deadline (core takes deadlines from the workflow state; the
    per-type deadline is this module's). A resubmission keeps the engine's resumed
    deadline: the working days that were left when the clock stopped."""
    late = application.due_at is not None and timezone.now() > application.due_at
    case_transition(
        region=region,
        actor=actor,
        case=application,
        action=action,
        note=note,
        expected_version=application.version,
    )
    application.refresh_from_db()
    updates: dict[str, Any] = {}
    if late and not application.missed_deadline:
        updates["missed_deadline"] = True
    if application.state in SLA_STAGES and action != "resubmit":
        days = type_sla(application, application.state)
        if days is not None:
            start = application.state_entered_at
            updates["due_at"] = RegionCalendar(region).add_working_days(start, days)
    if updates:
        Application.objects.filter(region=region, pk=application.pk).update(**updates)
        for name, value in updates.items():
            setattr(application, name, value)
    return application
