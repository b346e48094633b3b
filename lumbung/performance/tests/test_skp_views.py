"""The SKP pages: "My SKP" and making a plan, the result editor with its indicator rows and
their refusals at the row and field, proposing, the appraiser's list, agreeing, returning
and evaluating from the plan's page, the evidence minutes and the predicate shown; who may
not read a plan and another region's plan get a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lumbung.core.models import User
from lumbung.core.tenancy import region_scope

from ..models import SkpEvaluation, SkpPlan, SkpResult
from ..selectors import region_today
from ..skp import appraisal, services
from ..skp.inputs import IndicatorInput, ResultInput
from .factories import PerfWorld, entry_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client: Client) -> Iterator[Client]:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield client


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def url(perf: PerfWorld, name: str, *args: Any) -> str:
    return reverse(f"core:performance:{name}", args=[perf.region.slug, *args])


def last_year(perf: PerfWorld) -> int:
    return region_today(perf.region).year - 1


def plan_with_result(perf: PerfWorld, who: str = "staff") -> SkpPlan:
    with region_scope(perf.region):
        plan = services.plan_create(region=perf.region, actor=perf.user(who), year=last_year(perf))
        services.result_add(
            region=perf.region, actor=perf.user(who), plan=plan,
            data=ResultInput("main", "Izin terbit tepat waktu",
                             (IndicatorInput("Izin dalam SLA", "95", "%"),),
                             (perf.activities["letter"].pk,)),
        )  # fmt: skip
    return plan


def agreed(perf: PerfWorld) -> SkpPlan:
    plan = plan_with_result(perf)
    with region_scope(perf.region):
        services.plan_propose(region=perf.region, actor=perf.user("staff"), plan=plan)
        return appraisal.plan_agree(region=perf.region, actor=perf.user("kabid"), plan=plan)


def indicator_rows(*rows: tuple[str, str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "indicators-TOTAL_FORMS": str(len(rows)),
        "indicators-INITIAL_FORMS": str(initial),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "10",
    }
    for n, (text, target, unit) in enumerate(rows):
        data |= {f"indicators-{n}-text": text, f"indicators-{n}-target": target,
                 f"indicators-{n}-target_unit": unit}  # fmt: skip
    return data


def test_a_civil_servant_makes_a_plan_from_my_skp(english: Client, perf_a: PerfWorld) -> None:
    client = signed_in(english, perf_a.user("staff"))
    page = client.get(url(perf_a, "skp"))
    assert page.status_code == 200
    assert "No plan yet." in page.content.decode()
    year = region_today(perf_a.region).year
    made = client.post(url(perf_a, "skp"), {"year": year})
    with region_scope(perf_a.region):
        plan = SkpPlan.objects.get()
    assert made.status_code == 302
    assert made["Location"] == url(perf_a, "skp_plan", plan.pk)
    again = client.post(url(perf_a, "skp"), {"year": year})
    assert again.status_code == 409
    assert f"You already have a plan for {year}." in again.content.decode()
    far = client.post(url(perf_a, "skp"), {"year": year + 5})
    assert far.status_code == 422  # not one of the choices
    listed = client.get(url(perf_a, "skp")).content.decode()
    assert f'data-plan="{plan.pk}"' in listed


def test_the_result_editor_saves_indicators_and_links(english: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        plan = services.plan_create(
            region=perf_a.region, actor=perf_a.user("staff"), year=last_year(perf_a)
        )
    client = signed_in(english, perf_a.user("staff"))
    assert client.get(url(perf_a, "skp_result_new", plan.pk)).status_code == 200
    # a target with three decimals is refused at its row, and nothing is written
    bad = client.post(
        url(perf_a, "skp_result_new", plan.pk),
        {"kind": "main", "text": "Izin terbit", **indicator_rows(("Izin", "1.005", "%"))},
    )
    assert bad.status_code == 422
    assert 'data-indicator-row="0"' in bad.content.decode()
    assert "has-error" in bad.content.decode()
    saved = client.post(
        url(perf_a, "skp_result_new", plan.pk),
        {
            "kind": "main",
            "text": "Izin terbit tepat waktu",
            "activities": [perf_a.activities["letter"].pk],
            **indicator_rows(("Izin dalam SLA", "95.5", "%"), ("", "", "")),
        },
    )
    assert saved.status_code == 302
    with region_scope(perf_a.region):
        result = SkpResult.objects.get(plan=plan)
        assert [i.target_unit for i in result.indicators.all()] == ["%"]
        assert list(result.activities.all()) == [perf_a.activities["letter"]]
    # editing: the row removed, another added
    edited = client.post(
        url(perf_a, "skp_result", result.pk),
        {"kind": "additional", "text": "Diubah",
         **indicator_rows(("Izin dalam SLA", "95.5", "%"), ("Laporan", "4", "laporan"),
                          initial=1),
         "indicators-0-DELETE": "on"},
    )  # fmt: skip
    assert edited.status_code == 302
    with region_scope(perf_a.region):
        result.refresh_from_db()
        assert (result.kind, [i.text for i in result.indicators.all()]) == (
            "additional", ["Laporan"],
        )  # fmt: skip
    removed = client.post(url(perf_a, "skp_result", result.pk), {"action": "delete"})
    assert removed.status_code == 302
    with region_scope(perf_a.region):
        assert not SkpResult.objects.exists()


def test_no_indicator_is_a_refusal_at_the_form(english: Client, perf_a: PerfWorld) -> None:
    with region_scope(perf_a.region):
        plan = services.plan_create(
            region=perf_a.region, actor=perf_a.user("staff"), year=last_year(perf_a)
        )
    client = signed_in(english, perf_a.user("staff"))
    answer = client.post(
        url(perf_a, "skp_result_new", plan.pk),
        {"kind": "main", "text": "Izin", **indicator_rows(("", "", ""))},
    )
    assert answer.status_code == 422
    assert "Give from 1 to 10 indicators for each result." in answer.content.decode()


def test_only_the_person_edits_their_plan(client: Client, perf_a: PerfWorld) -> None:
    plan = plan_with_result(perf_a)
    with region_scope(perf_a.region):
        result = SkpResult.objects.get(plan=plan)
    # the supervisor reads it but may not edit it; a colleague may not even read it
    kabid = signed_in(Client(), perf_a.user("kabid"))
    assert kabid.get(url(perf_a, "skp_result_new", plan.pk)).status_code == 403
    peer = signed_in(client, perf_a.user("peer"))
    assert peer.get(url(perf_a, "skp_result", result.pk)).status_code == 404
    assert peer.post(url(perf_a, "skp_result", result.pk), {"action": "delete"}).status_code == 404
    with region_scope(perf_a.region):
        assert SkpResult.objects.filter(pk=result.pk).exists()


def test_propose_agree_and_evaluate_from_the_plans_page(english: Client, perf_a: PerfWorld) -> None:
    plan = plan_with_result(perf_a)
    staff = signed_in(english, perf_a.user("staff"))
    assert staff.post(url(perf_a, "skp_plan", plan.pk), {"action": "propose"}).status_code == 302
    # the appraiser finds it waiting
    kabid = signed_in(Client(), perf_a.user("kabid"))
    kabid.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    team = kabid.get(url(perf_a, "skp_team")).content.decode()
    assert "Plans waiting for your agreement" in team
    assert f'data-plan="{plan.pk}"' in team
    page = kabid.get(url(perf_a, "skp_plan", plan.pk)).content.decode()
    assert "Agree to the plan" in page
    assert kabid.post(url(perf_a, "skp_plan", plan.pk), {"action": "agree"}).status_code == 302
    # the quarters to evaluate, then an evaluation with its predicate
    assert "Quarters to evaluate" in kabid.get(url(perf_a, "skp_team")).content.decode()
    missing = kabid.post(
        url(perf_a, "skp_plan", plan.pk),
        {"action": "evaluate", "evaluation-period": "1", "evaluation-result_rating": "above"},
    )
    assert missing.status_code == 422
    assert "This field is required." in missing.content.decode()
    done = kabid.post(
        url(perf_a, "skp_plan", plan.pk),
        {"action": "evaluate", "evaluation-period": "4", "evaluation-result_rating": "below",
         "evaluation-behaviour_rating": "above", "evaluation-feedback": "Tingkatkan hasil"},
    )  # fmt: skip
    assert done.status_code == 302
    with region_scope(perf_a.region):
        assert SkpEvaluation.objects.get().predicate == "butuh_perbaikan"
    shown = staff.get(url(perf_a, "skp_plan", plan.pk)).content.decode()
    assert "Needs improvement" in shown
    assert "Tingkatkan hasil" in shown
    assert "Revise the agreed plan" not in shown  # the year is evaluated: final


def test_a_return_needs_its_note_at_the_field(english: Client, perf_a: PerfWorld) -> None:
    plan = plan_with_result(perf_a)
    with region_scope(perf_a.region):
        services.plan_propose(region=perf_a.region, actor=perf_a.user("staff"), plan=plan)
    kabid = signed_in(english, perf_a.user("kabid"))
    empty = kabid.post(url(perf_a, "skp_plan", plan.pk), {"action": "return", "note-note": ""})
    assert empty.status_code == 422
    assert "This field is required." in empty.content.decode()
    done = kabid.post(
        url(perf_a, "skp_plan", plan.pk), {"action": "return", "note-note": "Tambah target"}
    )
    assert done.status_code == 302
    shown = signed_in(Client(), perf_a.user("staff")).get(url(perf_a, "skp_plan", plan.pk))
    assert "Tambah target" in shown.content.decode()  # in the history


def test_the_plans_page_shows_evidence_minutes(english: Client, perf_a: PerfWorld) -> None:
    plan = agreed(perf_a)
    with region_scope(perf_a.region):
        entry_make(perf_a, day=dt.date(last_year(perf_a), 4, 6), quantity=4, state="approved")
    page = signed_in(english, perf_a.user("head")).get(url(perf_a, "skp_plan", plan.pk))
    body = page.content.decode()
    assert page.status_code == 200
    assert '<td class="num" data-year-minutes>120</td>' in body
    assert "Menyusun konsep surat dinas" in body


def test_the_page_speaks_indonesian_by_default(client: Client, perf_a: PerfWorld) -> None:
    plan = plan_with_result(perf_a)
    staff = signed_in(client, perf_a.user("staff"))
    page = staff.get(url(perf_a, "skp_plan", plan.pk)).content.decode()
    assert 'data-state="draft">Draf<' in page
    staff.post(url(perf_a, "skp_plan", plan.pk), {"action": "propose"})
    assert "Diusulkan" in staff.get(url(perf_a, "skp_plan", plan.pk)).content.decode()


def test_who_may_not_read_a_plan_gets_a_404(
    client: Client, perf_a: PerfWorld, perf_b: PerfWorld
) -> None:
    plan = plan_with_result(perf_a)
    for who in ("peer", "outsider"):
        user = perf_a.user(who)
        assert signed_in(Client(), user).get(url(perf_a, "skp_plan", plan.pk)).status_code == 404
    assert (
        signed_in(Client(), perf_a.auditor).get(url(perf_a, "skp_plan", plan.pk)).status_code == 200
    )
    # another region's plan under this region's slug, for this region's administrator
    theirs = plan_with_result(perf_b)
    admin = signed_in(client, perf_a.admin)
    assert admin.get(url(perf_a, "skp_plan", theirs.pk)).status_code == 404
    team = admin.get(url(perf_a, "skp_team") + f"?year={last_year(perf_a)}").content.decode()
    assert f'data-plan="{plan.pk}"' in team
    assert perf_b.people["staff"].name not in team
