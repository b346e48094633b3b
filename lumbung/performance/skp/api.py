"""The SKP API, under /api/v1/regions/{region_slug}/performance/skp/: plans (list, read,
make, rewrite their results, propose, agree, return, revise), their quarterly evaluations
and the evidence minutes. A plan is read by whoever may see the person's pay data and by
its appraiser; anyone else, like another region, gets a 404."""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from lumbung.api.context import require
from lumbung.api.pagination import Page

from ..selectors import employee_of
from . import appraisal, selectors, services
from .schemas import (
    PerfSkpEvaluationIn,
    PerfSkpEvaluationOut,
    PerfSkpEvidenceOut,
    PerfSkpNoteIn,
    PerfSkpPlanDetailOut,
    PerfSkpPlanIn,
    PerfSkpPlanOut,
    PerfSkpPlanQuery,
    PerfSkpResultsIn,
    evaluation_out,
    evidence_out,
    plan_detail_out,
    plan_out,
)

router = Router()
API = "/skp/plans"
OWNER_CODES = (
    " Codes: performance_skp_not_owner (403), performance_skp_locked (409: proposed or "
    "agreed), validation_error, performance_skp_activity_not_usable (422), not_found (404)."
)
APPRAISER_CODES = (
    " Codes: performance_skp_not_appraiser, performance_skp_own_plan (403), "
    "performance_skp_locked (409: not proposed), not_found (404)."
)


class _Shown:
    """A queryset paged by ninja and shown row by row: only the page's rows are read."""

    def __init__(self, rows: Any) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return int(self.rows.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [plan_out(plan) for plan in self.rows[index]]


@router.get(
    API,
    response=list[PerfSkpPlanOut],
    summary="SKP plans I may read, my own, or those proposed to me",
    description="Newest year first. A person reads their own plans; supervisors up the chain, "
    "the unit head, payroll, auditors and the region administrator read theirs.",
)
@paginate(Page, page_size=50, max_page_size=200)
def plan_list(  # type: ignore[no-untyped-def]
    request: HttpRequest, region_slug: Path[str], filters: Query[PerfSkpPlanQuery]
):
    region, user = require(request, "performance.use")
    me = employee_of(region, user)
    if filters.scope == "to_agree":
        found = selectors.plans_to_agree(region, me)
    else:
        found = selectors.plans_visible(region, user)
        if filters.scope == "mine":
            found = found.filter(employee=me) if me else found.none()
    if filters.year is not None:
        found = found.filter(year=filters.year)
    if filters.state is not None:
        found = found.filter(state=filters.state)
    return _Shown(found.order_by("-year", "employee__name", "pk"))


@router.post(
    API,
    response={201: PerfSkpPlanDetailOut},
    summary="Make my plan for a year (with its results, or none yet)",
    description="Codes: performance_not_an_employee (403), performance_skp_plan_exists (409), "
    "performance_skp_year, validation_error, performance_skp_activity_not_usable (422).",
)
def plan_create(
    request: HttpRequest, region_slug: Path[str], payload: PerfSkpPlanIn
) -> Status[dict[str, Any]]:
    region, user = require(request, "performance.use")
    made = services.plan_create(
        region=region, actor=user, year=payload.year, results=[r.data() for r in payload.results]
    )
    return Status(201, plan_detail_out(selectors.plan_get(region, made.pk)))


def _plan(request: HttpRequest, plan_id: int) -> tuple[Any, Any, Any]:
    region, user = require(request, "performance.use")
    return region, user, selectors.plan_for(region, user, plan_id)


def _detail(region: Any, plan: Any) -> dict[str, Any]:
    return plan_detail_out(selectors.plan_get(region, plan.pk))


@router.get(f"{API}/{{int:plan_id}}", response=PerfSkpPlanDetailOut, summary="One SKP plan")
def plan_detail(request: HttpRequest, region_slug: Path[str], plan_id: int) -> dict[str, Any]:
    _region, _user, plan = _plan(request, plan_id)
    return plan_detail_out(plan)


@router.put(
    f"{API}/{{int:plan_id}}",
    response=PerfSkpPlanDetailOut,
    summary="Rewrite every result of my draft plan",
    description="Results, their indicators and linked activities, all replaced or none; field "
    "errors are named results.<n>.<field>." + OWNER_CODES,
)
def plan_update(
    request: HttpRequest, region_slug: Path[str], plan_id: int, payload: PerfSkpResultsIn
) -> dict[str, Any]:
    region, user, plan = _plan(request, plan_id)
    results = [r.data() for r in payload.results]
    services.plan_results_set(region=region, actor=user, plan=plan, results=results)
    return _detail(region, plan)


@router.post(
    f"{API}/{{int:plan_id}}/propose",
    response=PerfSkpPlanDetailOut,
    summary="Propose my draft plan to my appraiser",
    description="The appraiser is my supervisor in the registry now. Also: "
    "performance_skp_no_main_result (422), performance_skp_no_appraiser (409)." + OWNER_CODES,
)
def plan_propose(request: HttpRequest, region_slug: Path[str], plan_id: int) -> dict[str, Any]:
    region, user, plan = _plan(request, plan_id)
    services.plan_propose(region=region, actor=user, plan=plan)
    return _detail(region, plan)


@router.post(
    f"{API}/{{int:plan_id}}/agree",
    response=PerfSkpPlanDetailOut,
    summary="Agree to a plan proposed to me (it is then locked)",
    description=APPRAISER_CODES.strip(),
)
def plan_agree(request: HttpRequest, region_slug: Path[str], plan_id: int) -> dict[str, Any]:
    region, user, plan = _plan(request, plan_id)
    appraisal.plan_agree(region=region, actor=user, plan=plan)
    return _detail(region, plan)


@router.post(
    f"{API}/{{int:plan_id}}/return",
    response=PerfSkpPlanDetailOut,
    summary="Return a plan proposed to me, with what to change",
    description="It becomes a draft again." + APPRAISER_CODES,
)
def plan_return(
    request: HttpRequest, region_slug: Path[str], plan_id: int, payload: PerfSkpNoteIn
) -> dict[str, Any]:
    region, user, plan = _plan(request, plan_id)
    appraisal.plan_return(region=region, actor=user, plan=plan, note=payload.note)
    return _detail(region, plan)


@router.post(
    f"{API}/{{int:plan_id}}/revise",
    response=PerfSkpPlanDetailOut,
    summary="Reopen my agreed plan as a draft, with the reason",
    description="It counts again once the appraiser agrees to it. Also: performance_skp_final "
    "(409: the year is evaluated)." + OWNER_CODES,
)
def plan_revise(
    request: HttpRequest, region_slug: Path[str], plan_id: int, payload: PerfSkpNoteIn
) -> dict[str, Any]:
    region, user, plan = _plan(request, plan_id)
    services.plan_revise(region=region, actor=user, plan=plan, reason=payload.note)
    return _detail(region, plan)


@router.get(
    f"{API}/{{int:plan_id}}/evaluations",
    response=list[PerfSkpEvaluationOut],
    summary="A plan's evaluations, by quarter",
)
def evaluation_list(
    request: HttpRequest, region_slug: Path[str], plan_id: int
) -> list[dict[str, Any]]:
    _region, _user, plan = _plan(request, plan_id)
    return [evaluation_out(e) for e in plan.evaluations.all()]


@router.post(
    f"{API}/{{int:plan_id}}/evaluations",
    response={201: PerfSkpEvaluationOut},
    summary="Evaluate a quarter of a plan I appraise",
    description="The predicate follows the PermenPANRB 6/2022 matrix of the two ratings; the "
    "4th quarter's is the year's. Also: performance_skp_not_agreed, "
    "performance_skp_already_evaluated (409), performance_skp_period_not_started (422)."
    + APPRAISER_CODES,
)
def evaluation_create(
    request: HttpRequest, region_slug: Path[str], plan_id: int, payload: PerfSkpEvaluationIn
) -> Status[dict[str, Any]]:
    region, user, plan = _plan(request, plan_id)
    made = appraisal.evaluation_create(region=region, actor=user, plan=plan, **payload.dict())
    return Status(201, evaluation_out(made))


@router.get(
    f"{API}/{{int:plan_id}}/evidence",
    response=PerfSkpEvidenceOut,
    summary="The approved minutes of each result's linked activities, per quarter",
)
def plan_evidence(request: HttpRequest, region_slug: Path[str], plan_id: int) -> dict[str, Any]:
    region, _user, plan = _plan(request, plan_id)
    return evidence_out(plan, selectors.evidence(region, plan))
