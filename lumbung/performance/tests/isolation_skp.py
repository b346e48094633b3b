"""Isolation declarations of the SKP area's models, pages and API routes (imported by
test_isolation.py).

Plans are read by the region administrator (who may read every plan); the pages and routes
that only a plan's person or appraiser may use sign in the region's officer, whom the
planters make an employee of the region (review's walk_reviewer): their own plan, or the
plan of a new person who reports to them."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lumbung.core.models import Region
from lumbung.core.models.people import Role
from lumbung.core.testing.isolation import Kind, Planted, isolation

from ..models import (
    Employee,
    SkpEvaluation,
    SkpIndicator,
    SkpPlan,
    SkpResult,
    SkpResultActivity,
)
from ..selectors import region_today
from .isolation_review import walk_reviewer
from .test_isolation import _activity, _person

NS = "core:performance"
API = "/api/v1/regions/{region_slug}/performance/skp/plans"
# Plans of one person take a year each: the walk plants several in one region.
_years = itertools.count(1900)


def _plan(region: Region, person: Employee, *, year: int | None = None, **fields: Any) -> SkpPlan:
    fields.setdefault("state", "draft")
    fields.setdefault("appraiser", person.supervisor)
    return SkpPlan.objects.create(
        region=region, employee=person, year=year or next(_years), unit=person.unit,
        position=person.position, state_entered_at=timezone.now(), **fields,
    )  # fmt: skip


def _result(region: Region, plan: SkpPlan, tag: str) -> SkpResult:
    result = SkpResult.objects.create(region=region, plan=plan, kind="main", text=f"Hasil {tag}")
    SkpIndicator.objects.create(
        region=region, result=result, text=f"Indikator {tag}", target=Decimal(12),
        target_unit="dokumen",
    )  # fmt: skip
    return result


def _reporting(region: Region, tag: str) -> Employee:
    """A new person who reports to the walk's officer."""
    person = _person(region, tag)
    Employee.objects.filter(pk=person.pk).update(supervisor=walk_reviewer(region))
    person.refresh_from_db()
    return person


# Models ------------------------------------------------------------------------------------


def plant_plan(region: Region, tag: str) -> Planted:
    """A plan of a new person named by the tag."""
    return Planted(_plan(region, _person(region, tag)).pk, (tag,))


def plant_result(region: Region, tag: str) -> Planted:
    result = _result(region, _plan(region, _person(region, tag)), tag)
    return Planted(result.pk, (tag,))


def plant_indicator(region: Region, tag: str) -> Planted:
    result = _result(region, _plan(region, _person(region, tag)), tag)
    return Planted(SkpIndicator.objects.get(result=result).pk, (tag,))


def plant_link(region: Region, tag: str) -> Planted:
    result = _result(region, _plan(region, _person(region, tag)), tag)
    link = SkpResultActivity.objects.create(
        region=region, result=result, activity=_activity(region, tag)
    )
    return Planted(link.pk, (tag,))


def plant_evaluation(region: Region, tag: str) -> Planted:
    person = _reporting(region, tag)
    plan = _plan(region, person, state="agreed")
    evaluation = SkpEvaluation.objects.create(
        region=region, plan=plan, period=1, appraiser=walk_reviewer(region),
        result_rating="as_expected", behaviour_rating="as_expected", predicate="baik",
        feedback=f"Umpan balik {tag}",
    )  # fmt: skip
    return Planted(evaluation.pk, (tag,))


isolation.model(SkpPlan, plant_plan)
isolation.model(SkpResult, plant_result)
isolation.model(SkpIndicator, plant_indicator)
isolation.model(SkpResultActivity, plant_link)
isolation.model(SkpEvaluation, plant_evaluation)


# What the pages and routes need ------------------------------------------------------------


def plant_this_year(region: Region, tag: str) -> Planted:
    """A plan of this year (the appraisers' list shows a year), of a person named by tag."""
    plan = _plan(region, _person(region, tag), year=region_today(region).year)
    return Planted(plan.pk, (tag,))


def plant_mine(region: Region, tag: str) -> Planted:
    """The walk officer's own plan, its appraiser named by the tag."""
    plan = _plan(region, walk_reviewer(region), appraiser=_person(region, tag))
    return Planted(plan.pk, (tag,))


def plant_my_draft(region: Region, tag: str) -> Planted:
    """The walk officer's own draft, with a main result, and a supervisor to propose it to;
    an activity named by the tag is in the catalogue the editor offers."""
    me = walk_reviewer(region)
    Employee.objects.filter(pk=me.pk).update(supervisor=_person(region, f"{tag}-boss"))
    me.refresh_from_db()
    plan = _plan(region, me)
    _result(region, plan, tag)
    _activity(region, tag)
    return Planted(plan.pk, (tag,))


def plant_my_result(region: Region, tag: str) -> Planted:
    plan = SkpPlan.objects.get(pk=plant_my_draft(region, tag).pk)
    return Planted(SkpResult.objects.get(plan=plan).pk, (tag,))


def plant_my_agreed(region: Region, tag: str) -> Planted:
    plan = _plan(region, walk_reviewer(region), appraiser=_person(region, tag), state="agreed")
    return Planted(plan.pk, (tag,))


def plant_proposed_to_me(region: Region, tag: str) -> Planted:
    """A plan proposed to the walk officer by a person named by the tag."""
    plan = _plan(region, _reporting(region, tag), state="proposed")
    return Planted(plan.pk, (tag,))


def plant_agreed_by_me(region: Region, tag: str) -> Planted:
    """A plan of last year the walk officer agreed to: its quarters wait for evaluation."""
    year = region_today(region).year - 1
    plan = _plan(region, _reporting(region, tag), year=year, state="agreed")
    return Planted(plan.pk, (tag,))


def plant_evaluated(region: Region, tag: str) -> Planted:
    evaluation = SkpEvaluation.objects.get(pk=plant_evaluation(region, tag).pk)
    return Planted(evaluation.plan_id, (tag,))


def plant_with_result(region: Region, tag: str) -> Planted:
    plan = _plan(region, _person(region, tag))
    _result(region, plan, tag)
    return Planted(plan.pk, (tag,))


def plant_walk_officer(region: Region, tag: str) -> Planted:
    return Planted(walk_reviewer(region).pk, ())


def _note(_planted: Planted | None) -> dict[str, Any]:
    return {"note": "Catatan"}


def _evaluation(_planted: Planted | None) -> dict[str, Any]:
    return {"period": 1, "result_rating": "above", "behaviour_rating": "as_expected",
            "feedback": "Baik"}  # fmt: skip


# Pages
isolation.page(f"{NS}:skp", Kind.LIST, plant=plant_mine, role=Role.OFFICER)
isolation.page(f"{NS}:skp_team", Kind.LIST, plant=plant_this_year)
isolation.page(f"{NS}:skp_plan", Kind.DETAIL, plant=plant_with_result, object_param="pk")
isolation.page(
    f"{NS}:skp_result_new", Kind.DETAIL, plant=plant_my_draft, object_param="pk",
    role=Role.OFFICER,
)  # fmt: skip
isolation.page(
    f"{NS}:skp_result", Kind.DETAIL, plant=plant_my_result, object_param="pk", role=Role.OFFICER
)

# API
isolation.route("GET", API, Kind.LIST, plant=plant_plan, role=Role.REGION_ADMIN)
isolation.route(
    "POST", API, Kind.NONE, plant=plant_walk_officer,
    body=lambda _p: {"year": dt.date.today().year},
    reason="makes the caller's own plan in the caller's region",
)  # fmt: skip
PLAN = f"{API}/{{plan_id}}"
isolation.route(
    "GET", PLAN, Kind.DETAIL, plant=plant_plan, object_param="plan_id", role=Role.REGION_ADMIN
)
isolation.route(
    "GET", f"{PLAN}/evaluations", Kind.DETAIL, plant=plant_evaluated, object_param="plan_id",
    role=Role.REGION_ADMIN,
)  # fmt: skip
isolation.route(
    "GET", f"{PLAN}/evidence", Kind.DETAIL, plant=plant_with_result, object_param="plan_id",
    role=Role.REGION_ADMIN,
)  # fmt: skip
for method, path, planter, body in (
    ("PUT", PLAN, plant_my_draft, lambda _p: {"results": []}),
    ("POST", f"{PLAN}/propose", plant_my_draft, None),
    ("POST", f"{PLAN}/agree", plant_proposed_to_me, None),
    ("POST", f"{PLAN}/return", plant_proposed_to_me, _note),
    ("POST", f"{PLAN}/revise", plant_my_agreed, _note),
    ("POST", f"{PLAN}/evaluations", plant_agreed_by_me, _evaluation),
):
    isolation.route(
        method, path, Kind.WRITE, plant=planter, object_param="plan_id", model=SkpPlan,
        body=body,
    )  # fmt: skip
