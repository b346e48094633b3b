"""The shapes of the SKP API (named PerfSkp…: a schema's class name is its OpenAPI component
name, shared by every module). Targets are exact: a decimal string or a whole number, never
a JSON float; minutes are whole numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema

from ..models import SkpEvaluation, SkpPlan, SkpResult
from ..review.schemas import PerfPersonRef
from .inputs import IndicatorInput, ResultInput
from .selectors import Evidence, yearly_predicate

MAX_ID = 2**31 - 1
RatingIn = Literal["above", "as_expected", "below"]


def _exact(value: Any) -> Any:
    """A binary float is not an exact target: refuse it before it becomes a Decimal."""
    if isinstance(value, float | bool):
        raise ValueError("Give the target as a decimal string or a whole number, not a float.")
    return value


Target = Annotated[
    Decimal,
    BeforeValidator(_exact),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"},
                {"type": "integer", "minimum": 1, "maximum": 999_999_999_999},
            ],
            "description": "Above 0, at most two decimals: a decimal string or an integer",
        }
    ),
]


class PerfSkpIndicatorIn(Schema):
    text: str = Field(max_length=500, description="What is measured")
    target: Target
    target_unit: str = Field(max_length=60, description="Its unit: dokumen, %, bulan, ...")


class PerfSkpResultIn(Schema):
    kind: Literal["main", "additional"] = Field(description="main (utama) or additional")
    text: str = Field(max_length=1000, description="The result (hasil kerja)")
    indicators: list[PerfSkpIndicatorIn] = Field(min_length=1, max_length=10)
    activities: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list,
        max_length=30,
        description="Catalogue activities whose approved minutes are its evidence",
    )

    def data(self) -> ResultInput:
        return ResultInput(
            kind=self.kind,
            text=self.text,
            indicators=tuple(
                IndicatorInput(i.text, i.target, i.target_unit) for i in self.indicators
            ),
            activities=tuple(self.activities),
        )


class PerfSkpPlanIn(Schema):
    year: int = Field(ge=2000, le=2100, description="Last, this or next year")
    results: list[PerfSkpResultIn] = Field(default_factory=list, max_length=30)


class PerfSkpResultsIn(Schema):
    results: list[PerfSkpResultIn] = Field(max_length=30, description="Every result, in order")


class PerfSkpNoteIn(Schema):
    note: str = Field(min_length=1, max_length=2000, description="Why; the other side reads it")


class PerfSkpEvaluationIn(Schema):
    period: int = Field(ge=1, le=4, description="The quarter; the 4th is the year's")
    result_rating: RatingIn
    behaviour_rating: RatingIn
    feedback: str = Field(min_length=1, max_length=4000, description="The person reads it")


class PerfSkpPlanQuery(Schema):
    scope: Literal["visible", "mine", "to_agree"] = Field(
        "visible",
        description="visible: every plan I may read; mine: my own; to_agree: proposed to me",
    )
    year: int | None = Field(None, ge=2000, le=2100)
    state: Literal["draft", "proposed", "agreed"] | None = None


class PerfSkpIndicatorOut(Schema):
    id: int
    text: str
    target: Decimal
    target_unit: str


class PerfSkpActivityRef(Schema):
    id: int
    name: str


class PerfSkpResultOut(Schema):
    id: int
    kind: str
    text: str
    indicators: list[PerfSkpIndicatorOut]
    activities: list[PerfSkpActivityRef]


class PerfSkpEvaluationOut(Schema):
    id: int
    period: int
    annual: bool = Field(description="The 4th quarter's: its predicate is the year's")
    result_rating: str
    behaviour_rating: str
    predicate: str = Field(
        description="sangat_baik, baik, butuh_perbaikan, kurang or sangat_kurang"
    )
    feedback: str
    appraiser: PerfPersonRef
    created_at: dt.datetime


class PerfSkpPlanOut(Schema):
    id: int
    year: int
    state: str = Field(description="draft, proposed or agreed")
    employee: PerfPersonRef
    appraiser: PerfPersonRef | None
    unit: str
    position: str
    due_at: dt.datetime | None = Field(description="The appraiser's deadline while proposed")
    agreed_at: dt.datetime | None
    version: int


class PerfSkpPlanDetailOut(PerfSkpPlanOut):
    results: list[PerfSkpResultOut]
    evaluations: list[PerfSkpEvaluationOut]
    predicate: str | None = Field(description="The year's predicate, once the 4th is evaluated")


class PerfSkpResultEvidenceOut(Schema):
    result_id: int
    text: str
    activities: list[PerfSkpActivityRef]
    minutes: list[int] = Field(description="Approved minutes of its activities, per quarter")
    year_minutes: int
    year_entries: int


class PerfSkpEvidenceOut(Schema):
    plan_id: int
    year: int
    total_minutes: list[int] = Field(description="Every approved minute of the person, per quarter")
    results: list[PerfSkpResultEvidenceOut]


def _person(person: Any) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "position": person.position}


def plan_out(plan: SkpPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "state": plan.state,
        "employee": _person(plan.employee),
        "appraiser": _person(plan.appraiser),
        "unit": str(plan.unit),
        "position": plan.position,
        "due_at": plan.due_at,
        "agreed_at": plan.agreed_at,
        "version": plan.version,
    }


def _result_out(result: SkpResult) -> dict[str, Any]:
    return {
        "id": result.pk,
        "kind": result.kind,
        "text": result.text,
        "indicators": [
            {"id": i.pk, "text": i.text, "target": i.target, "target_unit": i.target_unit}
            for i in result.indicators.all()
        ],
        "activities": [{"id": a.pk, "name": a.name} for a in result.activities.all()],
    }


def evaluation_out(evaluation: SkpEvaluation) -> dict[str, Any]:
    return {
        "id": evaluation.pk,
        "period": evaluation.period,
        "annual": evaluation.annual,
        "result_rating": evaluation.result_rating,
        "behaviour_rating": evaluation.behaviour_rating,
        "predicate": evaluation.predicate,
        "feedback": evaluation.feedback,
        "appraiser": _person(evaluation.appraiser),
        "created_at": evaluation.created_at,
    }


def plan_detail_out(plan: SkpPlan) -> dict[str, Any]:
    return {
        **plan_out(plan),
        "results": [_result_out(r) for r in plan.results.all()],
        "evaluations": [evaluation_out(e) for e in plan.evaluations.all()],
        "predicate": yearly_predicate(plan),
    }


def evidence_out(plan: SkpPlan, shown: Evidence) -> dict[str, Any]:
    return {
        "plan_id": plan.pk,
        "year": plan.year,
        "total_minutes": shown.total_by_quarter(),
        "results": [
            {
                "result_id": item.result.pk,
                "text": item.result.text,
                "activities": [{"id": a.pk, "name": a.name} for a in item.activities],
                "minutes": item.by_quarter(),
                "year_minutes": item.year_minutes,
                "year_entries": item.year_entries,
            }
            for item in shown.results
        ],
    }
