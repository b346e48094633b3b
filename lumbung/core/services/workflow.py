"""The only code that moves a case through its workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendar import RegionCalendar
from ..errors import Conflict, DomainError, ErrorCode, NotFound
from ..models import Region, SlaOverride, StateLabel, Transition, User, WorkflowCase
from ..permissions import roles_of
from ..public_cache import remembered
from ..workflow import RESUME, Action, Workflow, workflows
from ..workflow_selectors import state_label
from .audit import audit_record


def sla_days(region: Region, workflow: Workflow, state: str, variant: str = "") -> int | None:
    """The region's deadline for `state` (and the case's variant of it) in working days."""
    spec = workflow.state(state)
    # Every filing and step reads them, only the audited SLA page changes them.
    overrides = remembered(
        f"sla:{region.pk}:{workflow.key}",
        lambda: dict(
            SlaOverride.objects.filter(region=region, workflow=workflow.key).values_list(
                "state", "working_days"
            )
        ),
    )
    return spec.deadline(overrides, variant)


def due_at_for(
    region: Region, workflow: Workflow, state: str, entered: dt.datetime, variant: str = ""
) -> dt.datetime | None:
    if workflow.state(state).terminal:
        return None
    days = sla_days(region, workflow, state, variant)
    if days is None:
        return None
    return RegionCalendar(region).add_working_days(entered, days)


def case_start(case: WorkflowCase, *, actor: User | None, note: str = "") -> Transition:
    """Put a new, unsaved case in its workflow's initial state and save it. Call it inside
    the module service's transaction, which also writes that service's audit event."""
    workflow = workflows.get(case.WORKFLOW_KEY)
    now = timezone.now()
    case.state = workflow.initial
    case.state_entered_at = now
    case.due_at = due_at_for(
        case.region, workflow, workflow.initial, now, case.sla_variant(workflow.initial)
    )
    case.version = 0
    case.save()
    return _log(case, workflow, "start", "", workflow.initial, actor, note, [], now)


def _allowed(action: Action, actor: User | None, case: WorkflowCase) -> bool:
    if actor is None:  # the system itself acts only where the workflow lets it
        return action.system
    return bool(roles_of(actor, case.region) & action.roles)


@transaction.atomic
def case_transition(
    *,
    region: Region,
    actor: User | None,
    case: WorkflowCase,
    action: str,
    note: str = "",
    attachments: Sequence[str] = (),
    expected_version: int | None = None,
) -> Transition:
    """Take `action` on `case`. Raises a DomainError with a stable code when the action does
    not apply to the case's state, the actor's roles do not allow it, a required note or
    attachment is missing, or another transition got there first."""
    if case.region_id != region.pk:
        raise NotFound()
    workflow = workflows.get(case.WORKFLOW_KEY)
    step = workflow.action(action)
    version = case.version if expected_version is None else expected_version
    fresh = type(case).objects.select_for_update().filter(region=region, pk=case.pk).first()
    if fresh is None:
        raise NotFound()
    _check(step, workflow, fresh, actor, note, attachments, version)
    now = timezone.now()
    from_state = fresh.state
    target, clock = _clock(region, workflow, step, fresh, now)
    updated = (
        type(case)
        .objects.filter(region=region, pk=case.pk, version=version)
        .update(
            state=target, state_entered_at=now, escalation_level=0, version=version + 1, **clock
        )
    )
    if updated != 1:
        raise _concurrent()
    case.refresh_from_db()
    audit_record(
        region=region,
        actor=actor,
        action=f"{workflow.key}.{step.key}",
        obj=case,
        changes={"state": [from_state, target]},
        reason=note,
        casework=True,
    )
    return _log(case, workflow, step.key, from_state, target, actor, note, attachments, now)


# A case whose clock runs (again) carries no memory of a pause.
_UNPAUSED: dict[str, object] = {"paused_state": "", "paused_days_left": None}


def _clock(
    region: Region, workflow: Workflow, step: Action, case: WorkflowCase, now: dt.datetime
) -> tuple[str, dict[str, object]]:
    """The state the action leads to, and the case's new deadline fields. Entering a
    clock-stopped state keeps the working days left of the state the case leaves; RESUME
    returns there with exactly those days (none left: due at the end of the working day)."""
    calendar = RegionCalendar(region)
    if step.target == RESUME:
        target, left = case.paused_state, case.paused_days_left
        return target, {"due_at": _resumed_due(calendar, now, left), **_UNPAUSED}
    if workflow.state(step.target).clock_stopped:
        if workflow.state(case.state).clock_stopped:
            # Still with the applicant, only another kind of waiting: keep the first pause's
            # state and days, or RESUME would return to a state whose clock never ran.
            return step.target, {"due_at": None}
        left = None
        if case.due_at is not None:
            left = calendar.working_days_between(now, case.due_at)
        return step.target, {"due_at": None, "paused_state": case.state, "paused_days_left": left}
    due = due_at_for(region, workflow, step.target, now, case.sla_variant(step.target))
    return step.target, {"due_at": due, **_UNPAUSED}


def _resumed_due(
    calendar: RegionCalendar, now: dt.datetime, left: int | None
) -> dt.datetime | None:
    """`left` working days from now. With none left (the state was overdue, or due today
    when it was paused) the case is due at the end of today — or, resumed on a closed day,
    at the end of the next working day, since nobody can act on it before then."""
    if left is None:
        return None
    if left == 0 and not calendar.is_working_day(calendar.local_date(now)):
        left = 1
    return calendar.add_working_days(now, left)


def _check(
    step: Action,
    workflow: Workflow,
    case: WorkflowCase,
    actor: User | None,
    note: str,
    attachments: Sequence[str],
    version: int,
) -> None:
    if case.version != version:
        raise _concurrent()
    if case.state not in step.sources:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("“%(action)s” is not possible while the case is “%(state)s”.")
            % {"action": step.label, "state": state_label(case.region, workflow.key, case.state)},
            status=409,
        )
    if not _allowed(step, actor, case):
        raise DomainError(
            ErrorCode.ACTION_NOT_ALLOWED, _("Your role may not take this action."), status=403
        )
    if step.note_required and not note.strip():
        raise DomainError(
            ErrorCode.NOTE_REQUIRED,
            _("This action needs a note."),
            field_errors={"note": [_("This field is required.")]},
            status=422,
        )
    if step.attachment_required and not attachments:
        raise DomainError(
            ErrorCode.ATTACHMENT_REQUIRED,
            _("This action needs an attachment."),
            field_errors={"attachments": [_("This field is required.")]},
            status=422,
        )


def _concurrent() -> Conflict:
    return Conflict(
        ErrorCode.CONCURRENT_UPDATE,
        _("Someone else changed this case a moment ago. Reload it and try again."),
    )


def _log(
    case: WorkflowCase,
    workflow: Workflow,
    action: str,
    from_state: str,
    to_state: str,
    actor: User | None,
    note: str,
    attachments: Sequence[str],
    when: dt.datetime,
) -> Transition:
    return Transition.objects.create(
        region=case.region,
        workflow=workflow.key,
        case_type=case._meta.label_lower,
        case_id=str(case.pk),
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        note=note,
        attachments=list(attachments),
        created_at=when,
    )


@transaction.atomic
def sla_override_set(
    *, region: Region, actor: User, workflow: str, state: str, working_days: int | None
) -> SlaOverride | None:
    """Set (or, with None, remove) the region's deadline for one workflow state, or for one
    variant of it ("state:variant")."""
    flow = _declared_workflow(workflow)
    targets = {t for s in flow.states for t in s.sla_targets()}
    if state not in targets:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("%(state)s is not an open state of this workflow.") % {"state": state},
            field_errors={"state": [_("Unknown state.")]},
            status=422,
        )
    if working_days is not None and not 1 <= working_days <= 365:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("A deadline is between 1 and 365 working days."),
            field_errors={"working_days": [_("Between 1 and 365.")]},
            status=422,
        )
    current = SlaOverride.objects.filter(region=region, workflow=workflow, state=state).first()
    old = current.working_days if current else None
    if working_days is None:
        if current:
            current.delete()
        row = None
    else:
        row, _created = SlaOverride.objects.update_or_create(
            region=region, workflow=workflow, state=state, defaults={"working_days": working_days}
        )
    audit_record(
        region=region,
        actor=actor,
        action="sla.set",
        obj=row,
        changes={f"{workflow}.{state}": [old, working_days]},
    )
    return row


LABEL_MAX = 100


@transaction.atomic
def state_label_set(
    *, region: Region, actor: User, workflow: str, state: str, label_id: str, label_en: str
) -> StateLabel | None:
    """Give one step of a workflow the region's own name in Indonesian and English (an
    empty name keeps the workflow's default in that language; both empty removes the
    region's names)."""
    flow = _declared_workflow(workflow)
    if state not in {s.key for s in flow.states}:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("%(state)s is not a state of this workflow.") % {"state": state},
            field_errors={"state": [_("Unknown state.")]},
            status=422,
        )
    names = {"label_id": " ".join(label_id.split()), "label_en": " ".join(label_en.split())}
    too_long = [f for f, v in names.items() if len(v) > LABEL_MAX]
    if too_long:
        message = _("At most %(n)d characters.") % {"n": LABEL_MAX}
        raise DomainError(
            ErrorCode.VALIDATION,
            message,
            field_errors={f: [message] for f in too_long},
            status=422,
        )
    current = StateLabel.objects.filter(region=region, workflow=workflow, state=state).first()
    old = {f: getattr(current, f) if current else "" for f in names}
    if old == names:
        return current
    row: StateLabel | None = None
    if not any(names.values()):
        if current:
            current.delete()
    else:
        row, _created = StateLabel.objects.update_or_create(
            region=region, workflow=workflow, state=state, defaults=names
        )
    audit_record(
        region=region,
        actor=actor,
        action="workflow.state_label",
        obj=row,
        changes={
            f"{workflow}.{state}.{f}": [old[f], names[f]] for f in names if old[f] != names[f]
        },
    )
    return row


def _declared_workflow(key: str) -> Workflow:
    """The installed workflow `key`, or a 422 naming the field (not a 400: it is input)."""
    try:
        return workflows.get(key)
    except DomainError:
        raise DomainError(
            ErrorCode.VALIDATION,
            _("%(workflow)s is not an installed workflow.") % {"workflow": key},
            field_errors={"workflow": [_("Unknown workflow.")]},
            status=422,
        ) from None
