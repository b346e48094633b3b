"""The SKP services: a person's plan for a year with results, indicators and linked
activities; proposing it to the appraiser, who agrees (locking it) or returns it with a
note; revising an agreed plan; the quarterly evaluations with their predicate; and the
evidence — approved minutes of the linked activities, computed per quarter. Nobody agrees to
or evaluates their own plan; every step is an audit event; bad input names its field and
writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent, Notification, Transition
from lumbung.core.tenancy import dangerously_unscoped, region_scope

from ..errors import PerformanceError
from ..models import Employee, SkpEvaluation, SkpIndicator, SkpPlan, SkpResult
from ..selectors import region_today
from ..skp import appraisal, services
from ..skp.errors import SkpError
from ..skp.inputs import IndicatorInput, ResultInput
from ..skp.selectors import evidence
from ..workflow import AGREED, DRAFT, PROPOSED
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def scoped(perf_a: PerfWorld) -> Iterator[None]:
    with region_scope(perf_a.region):
        yield


def events(action: str) -> list[AuditEvent]:
    with dangerously_unscoped():
        return list(AuditEvent.objects.filter(action=f"performance.{action}").order_by("seq"))


def last_year(perf: PerfWorld) -> int:
    """A year whose four quarters have all begun, whatever today is."""
    return region_today(perf.region).year - 1


def a_result(perf: PerfWorld, kind: str = "main", **changes: object) -> ResultInput:
    data = {
        "kind": kind,
        "text": "Terselenggaranya  pelayanan perizinan tepat waktu",
        "indicators": (
            IndicatorInput("Izin terbit dalam SLA", "95.5", "%"),
            IndicatorInput("Dokumen kajian", 12, "dokumen"),
        ),
        "activities": (perf.activities["letter"].pk,),
    }
    return ResultInput(**{**data, **changes})  # type: ignore[arg-type]


def plan_of(perf: PerfWorld, who: str = "staff", year: int | None = None) -> SkpPlan:
    plan = services.plan_create(
        region=perf.region, actor=perf.user(who), year=year or last_year(perf)
    )
    services.result_add(region=perf.region, actor=perf.user(who), plan=plan, data=a_result(perf))
    return plan


def agreed(perf: PerfWorld, who: str = "staff", year: int | None = None) -> SkpPlan:
    plan = plan_of(perf, who, year)
    services.plan_propose(region=perf.region, actor=perf.user(who), plan=plan)
    boss = perf.people[who].supervisor
    assert boss is not None
    assert boss.user is not None
    return appraisal.plan_agree(region=perf.region, actor=boss.user, plan=plan)


def refused(call: object, **kwargs: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)  # type: ignore[operator]
    return caught.value


# Making and writing a plan -----------------------------------------------------------------


def test_a_civil_servant_makes_a_draft_with_a_result(perf_a: PerfWorld) -> None:
    # given staff, who reports to kabid
    # when staff makes a plan for this year and writes a result
    year = region_today(perf_a.region).year
    plan = services.plan_create(region=perf_a.region, actor=perf_a.user("staff"), year=year)
    result = services.result_add(
        region=perf_a.region, actor=perf_a.user("staff"), plan=plan, data=a_result(perf_a)
    )
    # then the draft names staff's supervisor, unit and position at the time
    assert (plan.state, plan.year, plan.appraiser, plan.position) == (
        DRAFT, year, perf_a.people["kabid"], "Analis Perizinan",
    )  # fmt: skip
    assert result.text == "Terselenggaranya pelayanan perizinan tepat waktu"  # spaces tidied
    targets = list(SkpIndicator.objects.filter(result=result).values_list("target", "target_unit"))
    assert targets == [(Decimal("95.50"), "%"), (Decimal("12.00"), "dokumen")]
    assert list(result.activities.all()) == [perf_a.activities["letter"]]
    assert [e.changes["year"] for e in events("skp.create")] == [year]
    [added] = events("skp.result_add")
    assert added.changes["indicators"] == [
        "Izin terbit dalam SLA: 95.50 %",
        "Dokumen kajian: 12.00 dokumen",
    ]


def test_one_plan_per_person_and_year_near_the_present(perf_a: PerfWorld) -> None:
    year = region_today(perf_a.region).year
    staff = perf_a.user("staff")
    services.plan_create(region=perf_a.region, actor=staff, year=year)
    again = refused(services.plan_create, region=perf_a.region, actor=staff, year=year)
    assert (again.code, again.status) == (SkpError.PLAN_EXISTS, 409)
    far = refused(services.plan_create, region=perf_a.region, actor=staff, year=year + 2)
    assert (far.code, far.status, list(far.field_errors)) == (SkpError.YEAR, 422, ["year"])
    assert SkpPlan.objects.count() == 1


def test_someone_outside_the_registry_has_no_plan(perf_a: PerfWorld) -> None:
    error = refused(
        services.plan_create, region=perf_a.region, actor=perf_a.admin, year=last_year(perf_a)
    )
    assert (error.code, error.status) == (PerformanceError.NOT_AN_EMPLOYEE, 403)


def test_bad_result_input_names_every_field_and_writes_nothing(perf_a: PerfWorld) -> None:
    plan = services.plan_create(
        region=perf_a.region, actor=perf_a.user("staff"), year=last_year(perf_a)
    )
    bad = ResultInput(
        kind="major",
        text="  ",
        indicators=(
            IndicatorInput("Dokumen", 0.1, "dokumen"),  # type: ignore[arg-type]  # a float
            IndicatorInput("", "1.005", ""),
            IndicatorInput("Izin", "NaN", "izin"),
        ),
    )
    error = refused(
        services.result_add, region=perf_a.region, actor=perf_a.user("staff"), plan=plan, data=bad
    )
    assert error.code == ErrorCode.VALIDATION
    assert set(error.field_errors) == {
        "kind", "text", "indicators.0.target", "indicators.1.text", "indicators.1.target",
        "indicators.1.target_unit", "indicators.2.target",
    }  # fmt: skip
    none = refused(
        services.result_add, region=perf_a.region, actor=perf_a.user("staff"), plan=plan,
        data=a_result(perf_a, indicators=()),
    )  # fmt: skip
    assert list(none.field_errors) == ["indicators"]
    assert not SkpResult.objects.exists()
    assert not SkpIndicator.objects.exists()


def test_only_usable_catalogue_activities_are_linked(perf_a: PerfWorld) -> None:
    # given an activity of the catalogue that only another position may log
    meeting = perf_a.activities["meeting"]
    meeting.positions = ["Pekerja Sosial"]
    meeting.save()
    plan = services.plan_create(
        region=perf_a.region, actor=perf_a.user("staff"), year=last_year(perf_a)
    )
    # when staff links it
    error = refused(
        services.result_add, region=perf_a.region, actor=perf_a.user("staff"), plan=plan,
        data=a_result(perf_a, activities=(meeting.pk,)),
    )  # fmt: skip
    # then the rule is named at the field, and nothing is written
    assert (error.code, list(error.field_errors)) == (SkpError.ACTIVITY_NOT_USABLE, ["activities"])
    assert not SkpResult.objects.exists()


def test_the_whole_plan_is_replaced_or_nothing_is(perf_a: PerfWorld) -> None:
    plan = plan_of(perf_a)
    staff = perf_a.user("staff")
    error = refused(
        services.plan_results_set, region=perf_a.region, actor=staff, plan=plan,
        results=[a_result(perf_a), a_result(perf_a, "additional", text="")],
    )  # fmt: skip
    assert list(error.field_errors) == ["results.1.text"]
    assert SkpResult.objects.filter(plan=plan).count() == 1
    services.plan_results_set(
        region=perf_a.region, actor=staff, plan=plan,
        results=[a_result(perf_a, text="Satu"), a_result(perf_a, "additional", text="Dua")],
    )  # fmt: skip
    texts = list(SkpResult.objects.filter(plan=plan).values_list("kind", "text"))
    assert texts == [("additional", "Dua"), ("main", "Satu")]
    assert len(events("skp.results_set")) == 1


def test_results_are_edited_and_removed_by_the_person_only(perf_a: PerfWorld) -> None:
    plan = plan_of(perf_a)
    result = SkpResult.objects.get(plan=plan)
    for who in ("kabid", "peer"):
        error = refused(
            services.result_update, region=perf_a.region, actor=perf_a.user(who), result=result,
            data=a_result(perf_a, text="Diubah"),
        )  # fmt: skip
        assert (error.code, error.status) == (SkpError.NOT_OWNER, 403)
    services.result_update(
        region=perf_a.region, actor=perf_a.user("staff"), result=result,
        data=a_result(perf_a, text="Diubah", activities=()),
    )  # fmt: skip
    result.refresh_from_db()
    assert (result.text, result.activities.count()) == ("Diubah", 0)
    services.result_remove(region=perf_a.region, actor=perf_a.user("staff"), result=result)
    assert not SkpResult.objects.filter(plan=plan).exists()
    assert not SkpIndicator.objects.exists()
    assert len(events("skp.result_update")) == 1
    assert len(events("skp.result_remove")) == 1


# Proposing, agreeing, returning, revising -------------------------------------------------


def test_the_supervisor_agrees_and_the_plan_is_locked(perf_a: PerfWorld) -> None:
    # given staff's plan, proposed
    plan = plan_of(perf_a)
    proposed = services.plan_propose(region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    assert (proposed.state, proposed.appraiser_id) == (PROPOSED, perf_a.people["kabid"].pk)
    assert proposed.due_at is not None  # the appraiser's deadline runs
    # then kabid hears of it
    with dangerously_unscoped():
        assert Notification.objects.filter(
            recipient=perf_a.user("kabid"), kind="performance.skp.proposed"
        ).exists()
    # when kabid agrees
    done = appraisal.plan_agree(region=perf_a.region, actor=perf_a.user("kabid"), plan=plan)
    # then the plan is agreed, locked, on record and staff is told
    assert (done.state, done.agreed_by) == (AGREED, perf_a.user("kabid"))
    assert done.agreed_at is not None
    assert done.due_at is None
    [event] = events("skp.agree")
    assert event.actor == perf_a.user("kabid")
    assert event.changes["state"] == [PROPOSED, AGREED]
    steps = Transition.objects.filter(case_type="performance.skpplan", case_id=str(plan.pk))
    assert list(steps.values_list("action", flat=True)) == ["start", "propose", "agree"]
    locked = refused(
        services.result_add, region=perf_a.region, actor=perf_a.user("staff"), plan=plan,
        data=a_result(perf_a),
    )  # fmt: skip
    assert (locked.code, locked.status) == (SkpError.LOCKED, 409)


def test_a_plan_needs_a_main_result_and_an_appraiser(perf_a: PerfWorld) -> None:
    plan = services.plan_create(
        region=perf_a.region, actor=perf_a.user("staff"), year=last_year(perf_a)
    )
    services.result_add(
        region=perf_a.region, actor=perf_a.user("staff"), plan=plan,
        data=a_result(perf_a, "additional"),
    )  # fmt: skip
    error = refused(
        services.plan_propose, region=perf_a.region, actor=perf_a.user("staff"), plan=plan
    )
    assert (error.code, error.status) == (SkpError.NO_MAIN_RESULT, 422)
    # the head of the agency has nobody above them in the registry
    top = plan_of(perf_a, "head")
    error = refused(
        services.plan_propose, region=perf_a.region, actor=perf_a.user("head"), plan=top
    )
    assert (error.code, error.status) == (SkpError.NO_APPRAISER, 409)
    assert SkpPlan.objects.get(pk=top.pk).state == DRAFT


def test_only_the_appraiser_agrees_never_the_person(perf_a: PerfWorld) -> None:
    plan = plan_of(perf_a)
    services.plan_propose(region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    own = refused(appraisal.plan_agree, region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    assert (own.code, own.status) == (SkpError.OWN_PLAN, 403)
    # peer, the unit head above kabid, and the administrator are not staff's appraiser
    for user in (perf_a.user("peer"), perf_a.user("head"), perf_a.admin):
        error = refused(appraisal.plan_agree, region=perf_a.region, actor=user, plan=plan)
        assert (error.code, error.status) == (SkpError.NOT_APPRAISER, 403)
    assert SkpPlan.objects.get(pk=plan.pk).state == PROPOSED
    assert not events("skp.agree")


def test_whoever_supervises_the_person_now_appraises(perf_a: PerfWorld) -> None:
    # given staff's plan proposed to kabid, then staff moved under the head of the agency
    plan = plan_of(perf_a)
    services.plan_propose(region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    Employee.objects.filter(pk=perf_a.people["staff"].pk).update(supervisor=perf_a.people["head"])
    # when the head agrees
    done = appraisal.plan_agree(region=perf_a.region, actor=perf_a.user("head"), plan=plan)
    # then the head is the plan's appraiser
    assert (done.state, done.appraiser_id) == (AGREED, perf_a.people["head"].pk)


def test_a_return_needs_a_note_and_reopens_the_draft(perf_a: PerfWorld) -> None:
    plan = plan_of(perf_a)
    services.plan_propose(region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    kabid = perf_a.user("kabid")
    error = refused(appraisal.plan_return, region=perf_a.region, actor=kabid, plan=plan, note=" ")
    assert (error.code, list(error.field_errors)) == (ErrorCode.VALIDATION, ["note"])
    done = appraisal.plan_return(
        region=perf_a.region, actor=kabid, plan=plan, note="Target terlalu rendah"
    )
    assert done.state == DRAFT
    [event] = events("skp.return")
    assert (event.reason, event.actor) == ("Target terlalu rendah", kabid)
    with dangerously_unscoped():
        told = Notification.objects.get(kind="performance.skp.returned")
    assert (told.recipient, told.body) == (perf_a.user("staff"), "Target terlalu rendah")
    # the person edits again
    services.result_add(
        region=perf_a.region, actor=perf_a.user("staff"), plan=plan, data=a_result(perf_a)
    )


def test_an_agreed_plan_is_revised_with_a_reason_until_the_year_is_evaluated(
    perf_a: PerfWorld,
) -> None:
    plan = agreed(perf_a)
    staff = perf_a.user("staff")
    by_kabid = refused(
        services.plan_revise, region=perf_a.region, actor=perf_a.user("kabid"), plan=plan,
        reason="x",
    )  # fmt: skip
    assert by_kabid.code == SkpError.NOT_OWNER
    done = services.plan_revise(region=perf_a.region, actor=staff, plan=plan, reason="Tugas baru")
    assert (done.state, done.agreed_at) == (DRAFT, None)
    assert events("skp.revise")[0].reason == "Tugas baru"
    # agreed again and evaluated for the year, it is final
    services.plan_propose(region=perf_a.region, actor=staff, plan=plan)
    appraisal.plan_agree(region=perf_a.region, actor=perf_a.user("kabid"), plan=plan)
    appraisal.evaluation_create(
        region=perf_a.region, actor=perf_a.user("kabid"), plan=plan, period=4,
        result_rating="as_expected", behaviour_rating="as_expected", feedback="Baik",
    )  # fmt: skip
    final = refused(services.plan_revise, region=perf_a.region, actor=staff, plan=plan, reason="x")
    assert (final.code, final.status) == (SkpError.FINAL, 409)


# Evaluations -------------------------------------------------------------------------------


def test_the_appraiser_evaluates_a_quarter_with_the_regulations_predicate(
    perf_a: PerfWorld,
) -> None:
    plan = agreed(perf_a)
    done = appraisal.evaluation_create(
        region=perf_a.region, actor=perf_a.user("kabid"), plan=plan, period=1,
        result_rating="above", behaviour_rating="below", feedback="  Hasil baik, sikap kurang ",
    )  # fmt: skip
    assert (done.predicate, done.feedback, done.appraiser) == (
        "kurang", "Hasil baik, sikap kurang", perf_a.people["kabid"],
    )  # fmt: skip
    [event] = events("skp.evaluate")
    assert event.changes["predicate"] == "kurang"
    assert event.changes["period"] == 1
    again = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("kabid"),
        plan=plan, period=1, result_rating="above", behaviour_rating="above", feedback="Lagi",
    )  # fmt: skip
    assert (again.code, again.status) == (SkpError.ALREADY_EVALUATED, 409)
    assert SkpEvaluation.objects.get().predicate == "kurang"


def test_nobody_evaluates_their_own_plan_or_a_plan_not_agreed(perf_a: PerfWorld) -> None:
    rating = {"period": 1, "result_rating": "above", "behaviour_rating": "above", "feedback": "x"}
    plan = agreed(perf_a, "kabid")
    own = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("kabid"),
        plan=plan, **rating,
    )  # fmt: skip
    assert own.code == SkpError.OWN_PLAN
    other = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("staff"),
        plan=plan, **rating,
    )  # fmt: skip
    assert other.code == SkpError.NOT_APPRAISER
    draft = plan_of(perf_a, "peer")
    early = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("kabid"),
        plan=draft, **rating,
    )  # fmt: skip
    assert (early.code, early.status) == (SkpError.NOT_AGREED, 409)
    assert not SkpEvaluation.objects.exists()


def test_a_quarter_is_evaluated_once_it_has_begun(perf_a: PerfWorld) -> None:
    plan = agreed(perf_a, year=region_today(perf_a.region).year + 1)
    error = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("kabid"),
        plan=plan, period=1, result_rating="above", behaviour_rating="above", feedback="x",
    )  # fmt: skip
    assert (error.code, list(error.field_errors)) == (SkpError.PERIOD_NOT_STARTED, ["period"])


def test_bad_ratings_are_named_at_their_fields(perf_a: PerfWorld) -> None:
    plan = agreed(perf_a)
    error = refused(
        appraisal.evaluation_create, region=perf_a.region, actor=perf_a.user("kabid"),
        plan=plan, period=5, result_rating="great", behaviour_rating="", feedback="",
    )  # fmt: skip
    assert set(error.field_errors) == {"period", "result_rating", "behaviour_rating", "feedback"}
    assert not SkpEvaluation.objects.exists()
    assert not events("skp.evaluate")


# Evidence ----------------------------------------------------------------------------------


def test_evidence_is_the_approved_minutes_of_the_linked_activities_per_quarter(
    perf_a: PerfWorld,
) -> None:
    # given staff's plan linking "letter" (30 minutes a letter) to its one result
    year = last_year(perf_a)
    plan = agreed(perf_a, year=year)
    day = dt.date(year, 2, 3)
    entry_make(perf_a, day=day, quantity=2, state="approved")  # 60 minutes, Q1
    entry_make(perf_a, day=dt.date(year, 5, 4), quantity=1, state="approved")  # 30, Q2
    entry_make(perf_a, day=day, start=dt.time(10), end=dt.time(11), state="submitted")
    entry_make(perf_a, day=day, start=dt.time(13), end=dt.time(14), state="rejected")
    entry_make(perf_a, day=day, start=dt.time(9), end=dt.time(10), activity="meeting",
               quantity=1, state="approved")  # fmt: skip  # 60, not linked
    entry_make(perf_a, "peer", day=day, state="approved")  # someone else's
    entry_make(perf_a, day=dt.date(year + 1, 1, 5), state="approved")  # another year
    # when the evidence is read
    shown = evidence(perf_a.region, SkpPlan.objects.get(pk=plan.pk))
    # then only staff's approved minutes of "letter" in the year count, by quarter
    [result] = shown.results
    assert result.by_quarter() == [60, 30, 0, 0]
    assert (result.year_minutes, result.year_entries) == (90, 2)
    assert shown.total_by_quarter() == [120, 30, 0, 0]  # every approved minute of staff
