"""The civil servant's side of the SKP: making their plan for a year, writing its results
(each with indicators and the catalogue activities that are its evidence), proposing it to
their appraiser, and revising an agreed plan. The appraiser's side is in appraisal.py.

Only the person writes their plan, and only while it is a draft: a proposed plan waits for
the appraiser, an agreed one is locked until revised (with the reason) and agreed again.
Every write is one transaction with its audit event; the plan row is locked first, so an
edit and a proposal of the same plan never interleave."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from lumbung.core.models import Region, User
from lumbung.core.services.workflow import case_start
from lumbung.core.services.workflow_bulk import cases_transition_bulk

from ..common import record, same_region
from ..errors import PerformanceError
from ..models import (
    ANNUAL,
    Employee,
    ResultKind,
    SkpIndicator,
    SkpPlan,
    SkpResult,
    SkpResultActivity,
)
from ..selectors import employee_of, region_today
from ..workflow import AGREED, DRAFT, PROPOSED
from .errors import SkpError
from .inputs import RESULTS_MAX, ResultInput, note_of, result_checked
from .notices import skp_notify

# Guards ------------------------------------------------------------------------------------


def _me(region: Region, actor: User) -> Employee:
    me = employee_of(region, actor)
    if me is None:
        raise DomainError(
            PerformanceError.NOT_AN_EMPLOYEE,
            _("You are not an active civil servant in this region's staff registry."),
            status=403,
        )
    return me


def locked_plan(region: Region, plan: SkpPlan) -> SkpPlan:
    """The plan's row, locked for this transaction, with its person."""
    same_region(region, plan)
    fresh = (
        SkpPlan.objects.select_for_update(of=("self",))
        .select_related("employee")
        .filter(region=region, pk=plan.pk)
        .first()
    )
    if fresh is None:
        raise NotFound()
    return fresh


def _own(region: Region, actor: User, plan: SkpPlan, *, state: str = DRAFT) -> SkpPlan:
    """The actor's own plan, locked, in `state` (a draft, unless said otherwise)."""
    fresh = locked_plan(region, plan)
    if _me(region, actor).pk != fresh.employee_id:
        raise DomainError(
            SkpError.NOT_OWNER, _("Only the person whose plan it is may change it."), status=403
        )
    if fresh.state != state:
        raise Conflict(SkpError.LOCKED, _locked_message(fresh.state))
    return fresh


def _locked_message(state: str) -> str:
    if state == PROPOSED:
        return _("The plan waits for the appraiser: it changes only once they return it.")
    if state == AGREED:
        return _("The plan is agreed and locked: revise it first, then propose it again.")
    return _("Only an agreed plan can be revised.")


# Plans and results -------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, region: Region, actor: User, year: int, results: Sequence[ResultInput] = ()
) -> SkpPlan:
    """The actor's own plan for `year` (last, this or next year), a draft with `results`
    (or none yet): all of it, or nothing."""
    me = _me(region, actor)
    this_year = region_today(region).year
    if not this_year - 1 <= year <= this_year + 1:
        message = _("Make a plan for %(first)d, %(this)d or %(next)d.") % {
            "first": this_year - 1,
            "this": this_year,
            "next": this_year + 1,
        }
        raise DomainError(SkpError.YEAR, message, field_errors={"year": [message]}, status=422)
    plan = SkpPlan(
        region=region,
        employee=me,
        year=year,
        appraiser=me.supervisor,
        unit=me.unit,
        position=me.position,
    )
    try:
        with transaction.atomic():
            case_start(plan, actor=actor)
    except IntegrityError:
        message = _("You already have a plan for %(year)d.") % {"year": year}
        raise Conflict(SkpError.PLAN_EXISTS, message, field_errors={"year": [message]}) from None
    record(region, actor, plan, "skp.create", {"year": year})
    if results:
        plan_results_set(region=region, actor=actor, plan=plan, results=results)
    return plan


def _write(region: Region, plan: SkpPlan, data: ResultInput, result: SkpResult) -> SkpResult:
    result.kind, result.text = data.kind, data.text
    result.save()
    SkpIndicator.objects.filter(region=region, result=result).delete()
    SkpIndicator.objects.bulk_create(
        SkpIndicator(
            region=region,
            result=result,
            text=i.text,
            target=i.target,
            target_unit=i.target_unit,
            position=n,
        )
        for n, i in enumerate(data.indicators)
    )
    SkpResultActivity.objects.filter(region=region, result=result).delete()
    SkpResultActivity.objects.bulk_create(
        SkpResultActivity(region=region, result=result, activity_id=a) for a in data.activities
    )
    return result


def _described(data: ResultInput) -> dict[str, object]:
    return {
        "kind": data.kind,
        "text": data.text,
        "activities": list(data.activities),
        "indicators": [f"{i.text}: {i.target} {i.target_unit}" for i in data.indicators],
    }


@transaction.atomic
def result_add(*, region: Region, actor: User, plan: SkpPlan, data: ResultInput) -> SkpResult:
    """A new result at the end of the actor's draft plan."""
    fresh = _own(region, actor, plan)
    tidy = result_checked(region, fresh.employee, data)
    count = SkpResult.objects.filter(region=region, plan=fresh).count()
    if count >= RESULTS_MAX:
        message = _("A plan holds at most %(n)d results.") % {"n": RESULTS_MAX}
        raise ValidationFailed({"results": [message]})
    result = _write(region, fresh, tidy, SkpResult(region=region, plan=fresh, position=count))
    record(region, actor, fresh, "skp.result_add", {"result": result.pk, **_described(tidy)})
    return result


def _result_of(region: Region, plan: SkpPlan, result: SkpResult) -> None:
    same_region(region, result)
    if result.plan_id != plan.pk:
        raise NotFound()


@transaction.atomic
def result_update(
    *, region: Region, actor: User, result: SkpResult, data: ResultInput
) -> SkpResult:
    """Rewrite one result of the actor's draft plan, its indicators and links included."""
    same_region(region, result)
    fresh = _own(region, actor, result.plan)
    _result_of(region, fresh, result)
    tidy = result_checked(region, fresh.employee, data)
    _write(region, fresh, tidy, result)
    record(region, actor, fresh, "skp.result_update", {"result": result.pk, **_described(tidy)})
    return result


@transaction.atomic
def result_remove(*, region: Region, actor: User, result: SkpResult) -> None:
    """Take a result (with its indicators and links) out of the actor's draft plan."""
    same_region(region, result)
    fresh = _own(region, actor, result.plan)
    _result_of(region, fresh, result)
    changes = {"result": result.pk, "text": result.text}
    result.delete()
    record(region, actor, fresh, "skp.result_remove", changes)


@transaction.atomic
def plan_results_set(
    *, region: Region, actor: User, plan: SkpPlan, results: Sequence[ResultInput]
) -> SkpPlan:
    """Replace every result of the actor's draft plan (the API's whole-plan update). Field
    errors are named results.<n>.<field>; nothing is written unless all are right."""
    fresh = _own(region, actor, plan)
    if len(results) > RESULTS_MAX:
        message = _("A plan holds at most %(n)d results.") % {"n": RESULTS_MAX}
        raise ValidationFailed({"results": [message]})
    tidy: list[ResultInput] = []
    errors: dict[str, list[str]] = {}
    other: DomainError | None = None
    for n, data in enumerate(results):
        try:
            tidy.append(result_checked(region, fresh.employee, data))
        except ValidationFailed as refused:
            errors.update(_renamed(refused, n).field_errors)
        except DomainError as refused:
            other = other or _renamed(refused, n)
    if errors:
        raise ValidationFailed(errors)
    if other is not None:
        raise other
    SkpResult.objects.filter(region=region, plan=fresh).delete()
    for n, data in enumerate(tidy):
        _write(region, fresh, data, SkpResult(region=region, plan=fresh, position=n))
    record(region, actor, fresh, "skp.results_set", {"results": [_described(d) for d in tidy]})
    return fresh


def _renamed(refused: DomainError, n: int) -> DomainError:
    fields = {f"results.{n}.{k}": v for k, v in refused.field_errors.items()}
    return DomainError(refused.code, refused.message, field_errors=fields, status=refused.status)


# Proposing and revising --------------------------------------------------------------------


@transaction.atomic
def plan_propose(*, region: Region, actor: User, plan: SkpPlan) -> SkpPlan:
    """Send the draft to the appraiser: the person's supervisor in the registry now, who is
    kept on the plan (with the person's unit and position) as the one it was proposed to."""
    fresh = _own(region, actor, plan)
    if not SkpResult.objects.filter(region=region, plan=fresh, kind=ResultKind.MAIN).exists():
        message = _("Write at least one main result before proposing the plan.")
        raise DomainError(
            SkpError.NO_MAIN_RESULT, message, field_errors={"results": [message]}, status=422
        )
    person = fresh.employee
    if person.supervisor_id is None:
        raise Conflict(
            SkpError.NO_APPRAISER,
            _(
                "You have no supervisor in the staff registry to agree to the plan; "
                "ask the registry's administrator."
            ),
        )
    updates = {
        "appraiser_id": person.supervisor_id,
        "unit_id": person.unit_id,
        "position": person.position,
    }
    plan_step(region, actor, fresh, "propose", "", updates)
    record(region, actor, fresh, "skp.propose", {"appraiser": person.supervisor_id})
    fresh.refresh_from_db()
    skp_notify(region, fresh, "proposed")
    return fresh


@transaction.atomic
def plan_revise(*, region: Region, actor: User, plan: SkpPlan, reason: str) -> SkpPlan:
    """Reopen the actor's agreed plan as a draft, saying why; it counts again only once the
    appraiser agrees to it. A plan whose year is evaluated is final."""
    fresh = _own(region, actor, plan, state=AGREED)
    if fresh.evaluations.filter(period=ANNUAL).exists():
        raise Conflict(SkpError.FINAL, _("The year is evaluated: the plan is final."))
    note = note_of(reason)
    plan_step(region, actor, fresh, "revise", note, {"agreed_at": None, "agreed_by": None})
    record(region, actor, fresh, "skp.revise", {"state": [AGREED, DRAFT]}, note)
    fresh.refresh_from_db()
    skp_notify(region, fresh, "revised")
    return fresh


def plan_step(
    region: Region, actor: User, plan: SkpPlan, action: str, note: str, updates: dict[str, object]
) -> None:
    """One step of PLAN_FLOW; the caller has locked the plan and checked who acts."""
    moved = cases_transition_bulk(
        region=region,
        actor=actor,
        model=SkpPlan,
        ids=[plan.pk],
        action=action,
        note=note,
        vetted=True,
        updates=updates,
    )
    if not moved:  # the row is locked and its state checked: only a bug gets here
        raise Conflict(SkpError.LOCKED, _locked_message(plan.state))
