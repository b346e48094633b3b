"""Starting and moving many cases of one workflow at once: a civil servant sending a few
days of activity entries together, a supervisor approving a day's entries, an escalation
sweep. Starting is one multi-row INSERT of the cases and one of their transitions; moving is
one locked SELECT, one UPDATE and one multi-row INSERT of transitions; instead of two or
three statements per case. The rules are the same as case_start's and case_transition's."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import DomainError, ErrorCode
from ..models import Region, User
from ..models.workflow import Transition, WorkflowCase
from ..permissions import roles_of
from ..workflow import RESUME, workflows
from .workflow import due_at_for

Case = TypeVar("Case", bound=WorkflowCase)


def cases_start_bulk(
    cases: Sequence[Case], *, actor: User | None, note: str = "", batch_size: int = 1000
) -> list[Case]:
    """Put new, unsaved cases of one model and one region in their workflow's initial
    state and save them, each with its `start` transition, as case_start does one by one:
    the same state, entry time, deadline (per the case's variant) and version. Call it
    inside the module service's transaction, which also writes that service's audit event.
    Returns the cases, saved (their ids set)."""
    if not cases:
        return []
    model, region = type(cases[0]), cases[0].region
    if any(type(c) is not model or c.region_id != region.pk or c.pk for c in cases):
        raise ValueError("Start new cases of one model and one region together.")
    workflow = workflows.get(model.WORKFLOW_KEY)
    now = timezone.now()
    deadlines: dict[str, Any] = {}
    for case in cases:
        variant = case.sla_variant(workflow.initial)
        if variant not in deadlines:  # one deadline per variant: most batches have one
            deadlines[variant] = due_at_for(region, workflow, workflow.initial, now, variant)
        case.state, case.state_entered_at = workflow.initial, now
        case.due_at, case.version = deadlines[variant], 0
    case_type = model._meta.label_lower
    # Within the caller's transaction no savepoint of its own: two statements, not four.
    with transaction.atomic(savepoint=False):
        saved = model.objects.bulk_create(cases, batch_size=batch_size)
        if any(case.pk is None for case in saved):  # a database that cannot return new ids
            raise RuntimeError("cases_start_bulk needs the new rows' ids from the database.")
        Transition.objects.bulk_create(
            (
                Transition(
                    region=region, workflow=workflow.key, case_type=case_type,
                    case_id=str(case.pk), action="start", from_state="",
                    to_state=workflow.initial, actor=actor, note=note, attachments=[],
                    created_at=now,
                )
                for case in saved
            ),
            batch_size=batch_size,
        )  # fmt: skip
    return saved


@transaction.atomic
def cases_transition_bulk(
    *,
    region: Region,
    actor: User | None,
    model: type[WorkflowCase],
    ids: Collection[int],
    action: str,
    note: str = "",
    vetted: bool = False,
    updates: Mapping[str, Any] | None = None,
) -> list[int]:
    """Take `action` on every case of `model` in `ids` that is in one of its source states;
    return the ids moved (others, already moved by someone else, are left alone).

    `vetted=True` says the calling service has checked who may act (a relationship such as
    the supervisor chain, not a role); it is honoured only for `system` actions. `updates`
    are further fields set on every moved case in the same UPDATE. The caller writes the
    audit event for the batch."""
    workflow = workflows.get(model.WORKFLOW_KEY)
    step = workflow.action(action)
    if step.target == RESUME:
        raise ValueError("A resumed case returns to its own state: move it with case_transition.")
    if not (vetted and step.system) and not (actor and roles_of(actor, region) & step.roles):
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
    moving = list(
        model.objects.select_for_update()
        .filter(region=region, pk__in=list(ids), state__in=step.sources)
        .order_by("pk")
        .values_list("pk", "state")
    )
    if not moving:
        return []
    now = timezone.now()
    due = due_at_for(region, workflow, step.target, now)
    model.objects.filter(region=region, pk__in=[pk for pk, _state in moving]).update(
        state=step.target,
        state_entered_at=now,
        due_at=due,
        escalation_level=0,
        version=F("version") + 1,
        **(updates or {}),
    )
    case_type = model._meta.label_lower
    Transition.objects.bulk_create(
        Transition(
            region=region,
            workflow=workflow.key,
            case_type=case_type,
            case_id=str(pk),
            action=step.key,
            from_state=state,
            to_state=step.target,
            actor=actor,
            note=note,
            created_at=now,
        )
        for pk, state in moving
    )
    return [pk for pk, _state in moving]
