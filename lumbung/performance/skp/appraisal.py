"""The appraiser's side of the SKP: agreeing to a proposed plan or returning it with a note,
and evaluating each quarter of an agreed plan with the two ratings, feedback and the
predicate the PermenPANRB 6/2022 matrix gives them.

The appraiser is a relationship, not a role: the supervisor the plan was proposed to, or
whoever the staff registry says supervises the person now (a move mid-year hands the
evaluations to the new supervisor without losing the old one's). Nobody appraises their
own plan. Every agreement, return and evaluation is an audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.errors import Conflict, DomainError, ValidationFailed
from lumbung.core.models import Region, User

from ..common import record
from ..models import QUARTERS, Employee, Rating, SkpEvaluation, SkpPlan
from ..selectors import employee_of, region_today
from ..workflow import AGREED, PROPOSED
from .errors import SkpError
from .inputs import NOTE_MAX, note_of
from .notices import skp_notify
from .predicate import predicate_of
from .selectors import period_bounds
from .services import locked_plan, plan_step

FEEDBACK_MAX = NOTE_MAX * 2


def _appraiser(region: Region, actor: User, plan: SkpPlan, state: str) -> Employee:
    """The actor as the locked plan's appraiser, the plan in `state`; else why not."""
    me = employee_of(region, actor)
    if me is not None and me.pk == plan.employee_id:
        raise DomainError(
            SkpError.OWN_PLAN, _("Nobody agrees to or evaluates their own plan."), status=403
        )
    if me is None or me.pk not in (plan.appraiser_id, plan.employee.supervisor_id):
        raise DomainError(
            SkpError.NOT_APPRAISER,
            _("Only the person's appraiser (their supervisor) may do this."),
            status=403,
        )
    if plan.state != state:
        if state == AGREED:
            raise Conflict(SkpError.NOT_AGREED, _("Only an agreed plan is evaluated."))
        raise Conflict(SkpError.LOCKED, _("The plan is not waiting for your agreement."))
    return me


@transaction.atomic
def plan_agree(*, region: Region, actor: User, plan: SkpPlan) -> SkpPlan:
    """Agree to a proposed plan: it is locked, and the agreeing supervisor is its appraiser."""
    fresh = locked_plan(region, plan)
    me = _appraiser(region, actor, fresh, PROPOSED)
    updates = {"agreed_at": timezone.now(), "agreed_by": actor, "appraiser_id": me.pk}
    plan_step(region, actor, fresh, "agree", "", updates)
    record(region, actor, fresh, "skp.agree", {"state": [PROPOSED, AGREED], "appraiser": me.pk})
    fresh.refresh_from_db()
    skp_notify(region, fresh, "agreed")
    return fresh


@transaction.atomic
def plan_return(*, region: Region, actor: User, plan: SkpPlan, note: str) -> SkpPlan:
    """Send a proposed plan back to its person as a draft, with what to change."""
    text = note_of(note)
    fresh = locked_plan(region, plan)
    _appraiser(region, actor, fresh, PROPOSED)
    plan_step(region, actor, fresh, "return", text, {})
    record(region, actor, fresh, "skp.return", {"state": [PROPOSED, "draft"]}, text)
    fresh.refresh_from_db()
    skp_notify(region, fresh, "returned", body=text)
    return fresh


def _ratings(period: int, result_rating: str, behaviour_rating: str, feedback: str) -> str:
    """Field errors for every wrong input at once; the feedback, tidied."""
    errors: dict[str, list[str]] = {}
    if period not in QUARTERS:
        errors["period"] = [_("Choose a quarter from 1 to 4.")]
    for name, value in (("result_rating", result_rating), ("behaviour_rating", behaviour_rating)):
        if value not in Rating.values:
            errors[name] = [_("Choose above, as expected or below expectation.")]
    text = str(feedback).strip()
    if not text or len(text) > FEEDBACK_MAX or "\x00" in text:
        errors["feedback"] = [
            _("Required, at most %(n)d characters: the person reads it.") % {"n": FEEDBACK_MAX}
        ]
    if errors:
        raise ValidationFailed(errors)
    return text


@transaction.atomic
def evaluation_create(
    *,
    region: Region,
    actor: User,
    plan: SkpPlan,
    period: int,
    result_rating: str,
    behaviour_rating: str,
    feedback: str,
) -> SkpEvaluation:
    """The appraiser's evaluation of one quarter of an agreed plan, once the quarter has
    begun; the last quarter's is the year's. An evaluation is final: one per quarter."""
    text = _ratings(period, result_rating, behaviour_rating, feedback)
    fresh = locked_plan(region, plan)
    me = _appraiser(region, actor, fresh, AGREED)
    start = period_bounds(fresh.year, period)[0]
    if region_today(region) < start:
        message = _("This quarter begins on %(day)s: evaluate it from then.") % {
            "day": start.strftime("%d/%m/%Y")
        }
        raise DomainError(
            SkpError.PERIOD_NOT_STARTED, message, field_errors={"period": [message]}, status=422
        )
    if SkpEvaluation.objects.filter(region=region, plan=fresh, period=period).exists():
        message = _("This quarter is already evaluated; an evaluation is final.")
        raise Conflict(SkpError.ALREADY_EVALUATED, message)
    evaluation = SkpEvaluation.objects.create(
        region=region,
        plan=fresh,
        period=period,
        appraiser=me,
        result_rating=result_rating,
        behaviour_rating=behaviour_rating,
        predicate=predicate_of(result_rating, behaviour_rating),
        feedback=text,
        created_by=actor,
    )
    changes = {
        "plan": fresh.pk,
        "period": period,
        "result_rating": result_rating,
        "behaviour_rating": behaviour_rating,
        "predicate": evaluation.predicate,
    }
    record(region, actor, evaluation, "skp.evaluate", changes)
    skp_notify(region, fresh, "evaluated", body=text)
    return evaluation
