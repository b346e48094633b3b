"""The staff pages of hibah: the queue with its deadlines and counts, the case page with the
form of the current step for a role that may take it, every step taken through the page,
refusals shown at their field with nothing moved, stale forms, access and other regions;
the organisations' verification and the overdue LPJ list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import login
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..models import Organisation, Proposal, RedFlag
from ..services.organisations import region_today
from ..workflow import EVALUATION, SUBMITTED
from .factories import (
    GrantsWorld,
    events,
    make_organisation,
    manual_answers,
    pdf,
    proposal_at,
    reload,
)

pytestmark = pytest.mark.django_db


def url(gw: GrantsWorld, name: str, **kwargs: Any) -> str:
    return reverse(f"core:grants:{name}", kwargs={"region_slug": gw.region.slug, **kwargs})


def as_role(client: Client, gw: GrantsWorld, role: Role) -> Client:
    return login(client, gw.user(role))


def checklist_post(state: str, *, passed: bool = True, on: dt.date | None = None) -> dict[str, str]:
    data = {}
    for key, answer in manual_answers(state, passed=passed, on=on).items():
        data[key] = "yes" if answer.passed else "no"
        if answer.on_date:
            data[f"{key}__date"] = answer.on_date.isoformat()
    return data


def step(client: Client, gw: GrantsWorld, proposal: Proposal, action: str, **data: Any) -> Any:
    body = {"action": action, "expected_version": reload(proposal).version, **data}
    return client.post(url(gw, "case-step", pk=proposal.pk), body)


# --- The queue ----------------------------------------------------------------------------------


def test_queue_shows_open_proposals_with_deadlines_counts_and_filters(
    client: Client, gworld_a
) -> None:
    # given a proposal at the check past its deadline and one at the assignment
    late = proposal_at(gworld_a, "submitted")
    assigned = proposal_at(gworld_a, "assignment")
    closed = proposal_at(gworld_a, "withdrawn")
    with region_scope(gworld_a.region):
        Proposal.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=9))
    officer = as_role(client, gworld_a, Role.OFFICER)

    # when the officer opens the queue, then only the check's stage
    everything = officer.get(url(gworld_a, "queue"))
    checks = officer.get(url(gworld_a, "queue"), {"state": "submitted"})
    overdue = officer.get(url(gworld_a, "queue"), {"overdue": "on"})

    # then the open ones show, the late one first and marked, with the counts per stage
    rows = list(everything.context["page"])
    assert [p.pk for p in rows] == [late.pk, assigned.pk]
    assert rows[0].due.overdue
    assert closed.number not in everything.content.decode()
    assert everything.context["overdue_count"] == 1
    assert dict((s, n) for s, _label, n in everything.context["counts"])["assignment"] == 1
    assert 'class="due due-late"' in everything.content.decode()
    assert [p.pk for p in checks.context["page"]] == [late.pk]
    assert [p.pk for p in overdue.context["page"]] == [late.pk]


def test_staff_pages_render_in_indonesian_and_english(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "evaluation")
    pages = [
        url(gworld_a, "queue"),
        url(gworld_a, "case", pk=proposal.pk),
        url(gworld_a, "organisations"),
        url(gworld_a, "organisation", pk=gworld_a.organisation.pk),
        url(gworld_a, "lpj-overdue"),
    ]
    officer = as_role(client, gworld_a, Role.OFFICER)
    for page in pages:
        response = officer.get(page)
        assert response.status_code == 200, page
        assert b'<html lang="id"' in response.content
    officer.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for page in pages:
        response = officer.get(page)
        assert response.status_code == 200, page
        assert b'<html lang="en"' in response.content
        assert b"Evaluation by the unit (OPD)" in response.content or page != pages[1]


def test_access_citizens_get_403_signed_out_the_login_page_auditors_read(
    client: Client, gworld_a
) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    pages = [url(gworld_a, "queue"), url(gworld_a, "case", pk=proposal.pk)]
    assert all(client.get(p).status_code == 302 for p in pages)
    login(client, gworld_a.applicant)
    assert all(client.get(p).status_code == 403 for p in pages)
    denied = step(client, gworld_a, proposal, "check_ok", **checklist_post(SUBMITTED))
    assert denied.status_code == 403
    auditor = as_role(client, gworld_a, Role.AUDITOR)
    assert all(auditor.get(p).status_code == 200 for p in pages)
    case = auditor.get(pages[1])
    assert case.context["steps"] == []  # the auditor reads, never acts
    assert reload(proposal).state == "submitted"


def test_another_regions_proposal_is_404(client: Client, gworld_a, gworld_b) -> None:
    theirs = proposal_at(gworld_b, "submitted")
    officer = as_role(client, gworld_a, Role.OFFICER)
    assert officer.get(url(gworld_a, "case", pk=theirs.pk)).status_code == 404
    response = officer.post(
        url(gworld_a, "case-step", pk=theirs.pk),
        {"action": "check_ok", "expected_version": theirs.version, **checklist_post(SUBMITTED)},
    )
    assert response.status_code == 404
    assert reload(theirs).state == "submitted"
    other_org = url(gworld_a, "organisation", pk=gworld_b.organisation.pk)
    assert officer.get(other_org).status_code == 404


# --- The steps, through the page ----------------------------------------------------------------


def test_each_step_through_the_page_by_its_role(client: Client, gworld_a) -> None:
    # given a new proposal and the region's staff
    proposal = proposal_at(gworld_a, "submitted")
    today = region_today(gworld_a.region)

    def take(role: Role, action: str, expected: str, **data: Any) -> None:
        response = step(as_role(client, gworld_a, role), gworld_a, proposal, action, **data)
        assert response.status_code == 302, (action, response.content.decode()[-3000:])
        assert reload(proposal).state == expected

    # when each role takes its step through the case page
    page = as_role(client, gworld_a, Role.OFFICER).get(url(gworld_a, "case", pk=proposal.pk))
    assert [a.key for a, _form in page.context["steps"]] == ["check_ok", "send_back", "reject"]
    take(Role.OFFICER, "check_ok", "assignment", **checklist_post(SUBMITTED))
    take(Role.CONSIDERATION_TEAM, "assign", "evaluation", unit=gworld_a.world.unit.pk)
    take(
        Role.OFFICER,
        "recommend",
        "consideration",
        amount="45.000.000",
        **checklist_post(EVALUATION, on=today),
    )
    take(Role.CONSIDERATION_TEAM, "consider", "tapd", amount="42000000")
    take(Role.BUDGET_TEAM, "finalise", "nominative", amount="40.000.000")
    take(Role.REGION_HEAD, "decide", "decided", decision_number="900/Kep.1-BPKAD/2026")
    take(
        Role.OFFICER,
        "sign_nphd",
        "agreement",
        nphd_number="027/NPHD/2026",
        signed_on=today.isoformat(),
        document=pdf("nphd.pdf"),
    )
    take(
        Role.OFFICER,
        "disburse",
        "disbursed",
        amount="25.000.000",
        paid_on=today.isoformat(),
        reference="SP2D-1",
    )
    take(
        Role.OFFICER,
        "disburse",
        "disbursed",
        amount="15.000.000",
        paid_on=today.isoformat(),
        reference="SP2D-2",
    )

    # then every amount is kept by stage, and both tranches are paid
    fresh = reload(proposal)
    assert (fresh.amount_recommended, fresh.amount_final) == (
        Decimal("45000000"),
        Decimal("40000000"),
    )
    assert fresh.amount_disbursed == Decimal("40000000")
    assert fresh.evaluating_unit_id == gworld_a.world.unit.pk
    assert len(events(gworld_a.region, "grants.hibah.tranche", fresh)) == 2
    case = as_role(client, gworld_a, Role.OFFICER).get(url(gworld_a, "case", pk=proposal.pk))
    assert case.context["steps"] == []  # fully paid: nothing left for staff until the LPJ


def test_lpj_verify_and_return_through_the_page(client: Client, gworld_a) -> None:
    verified = proposal_at(gworld_a, "lpj_submitted")
    returned = proposal_at(gworld_a, "lpj_submitted")
    officer = as_role(client, gworld_a, Role.OFFICER)
    missing_note = step(officer, gworld_a, returned, "return_lpj", note="")
    assert missing_note.status_code == 422
    assert 'id="id_return_lpj_note_error"' in missing_note.content.decode()
    assert step(officer, gworld_a, verified, "verify_lpj", note="").status_code == 302
    assert (
        step(officer, gworld_a, returned, "return_lpj", note="Kuitansi kurang").status_code == 302
    )
    assert reload(verified).state == "closed"
    assert reload(returned).state == "disbursed"


@pytest.mark.parametrize(
    ("state", "role", "action", "data", "field"),
    [
        ("evaluation", Role.OFFICER, "recommend", {"amount": "60.000.000"}, "justification"),
        ("consideration", Role.CONSIDERATION_TEAM, "consider", {"amount": "-5"}, "amount"),
        ("consideration", Role.CONSIDERATION_TEAM, "consider", {"amount": "lima"}, "amount"),
        ("tapd", Role.BUDGET_TEAM, "finalise", {"amount": "2.000.000.000"}, "amount"),
        ("submitted", Role.OFFICER, "send_back", {"note": ""}, "note"),
        ("nominative", Role.REGION_HEAD, "decide", {"decision_number": " "}, "decision_number"),
        (
            "decided",
            Role.OFFICER,
            "sign_nphd",
            {"nphd_number": "1", "signed_on": "2026-01-02"},
            "document",
        ),
        (
            "agreement",
            Role.OFFICER,
            "disburse",
            {"amount": "99.000.000", "paid_on": "2026-01-02", "reference": "X"},
            "amount",
        ),
    ],
)
def test_a_bad_step_input_is_shown_at_its_field_and_nothing_moves(
    client: Client, gworld_a, state: str, role: Role, action: str, data: dict[str, str], field: str
) -> None:
    # given a proposal at the step, and the role that takes it
    proposal = proposal_at(gworld_a, state)
    before = reload(proposal)
    if action == "recommend":
        data = {**data, **checklist_post(EVALUATION, on=region_today(gworld_a.region))}

    # when the step is posted with the bad value
    response = step(as_role(client, gworld_a, role), gworld_a, proposal, action, **data)

    # then the error is at that field and the proposal is as it was
    after = reload(proposal)
    assert response.status_code in (409, 422)
    assert f'id="id_{action}_{field}_error"' in response.content.decode()
    assert (after.state, after.version) == (before.state, before.version)
    assert (after.amount_recommended, after.amount_final) == (
        before.amount_recommended,
        before.amount_final,
    )


def test_a_failed_required_check_refuses_the_step(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    officer = as_role(client, gworld_a, Role.OFFICER)
    response = step(
        officer, gworld_a, proposal, "check_ok", **checklist_post(SUBMITTED, passed=False)
    )
    assert response.status_code == 409
    assert 'data-error="page"' in response.content.decode()
    assert reload(proposal).state == "submitted"


def test_a_stale_form_is_told_someone_else_changed_it(client: Client, gworld_a) -> None:
    # given the officer's form opened before a colleague sent the proposal back
    proposal = proposal_at(gworld_a, "submitted")
    shown_at = proposal.version
    officer = as_role(client, gworld_a, Role.OFFICER)
    step(officer, gworld_a, proposal, "send_back", note="Lengkapi akta")

    # when the old form is posted
    response = officer.post(
        url(gworld_a, "case-step", pk=proposal.pk),
        {"action": "reject", "expected_version": shown_at, "note": "Tidak layak"},
    )

    # then it is refused as stale and the proposal stays returned
    assert response.status_code == 409
    assert 'data-error="page"' in response.content.decode()
    assert reload(proposal).state == "returned"


def test_only_the_role_of_the_step_sees_and_takes_its_form(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "assignment")
    officer = as_role(client, gworld_a, Role.OFFICER)
    assert officer.get(url(gworld_a, "case", pk=proposal.pk)).context["steps"] == []
    refused = step(officer, gworld_a, proposal, "assign", unit=gworld_a.world.unit.pk)
    assert refused.status_code == 403
    assert reload(proposal).state == "assignment"
    team = as_role(client, gworld_a, Role.CONSIDERATION_TEAM)
    keys = [a.key for a, _f in team.get(url(gworld_a, "case", pk=proposal.pk)).context["steps"]]
    assert keys == ["assign", "send_back", "reject"]


def test_the_case_page_shows_flags_answers_and_the_timeline(client: Client, gworld_a) -> None:
    proposal = proposal_at(gworld_a, "consideration")
    with region_scope(gworld_a.region):
        RedFlag.objects.create(
            region=gworld_a.region,
            kind="shared_bank",
            key=f"test-{proposal.pk}",
            proposal=proposal,
            organisation=proposal.organisation,
            evidence={
                "organisations": [proposal.organisation_id],
                "organisation_names": ["Yayasan Kembar"],
                "value": "6789",
            },
        )
    page = as_role(client, gworld_a, Role.UNIT_HEAD).get(url(gworld_a, "case", pk=proposal.pk))
    text = page.content.decode()
    assert "Yayasan Kembar" in text
    assert "oversight/flags/" in text  # the unit head may dismiss it there
    assert 'data-item="all-documents"' in text  # a computed answer with its evidence
    assert 'data-item="not-fictitious"' in text
    assert 'data-kind="amount"' in text
    assert 'data-kind="transition"' in text


# --- Organisations and the overdue LPJ ----------------------------------------------------------


def test_verify_and_reject_an_organisation(client: Client, gworld_a) -> None:
    # given two organisations waiting for verification
    waiting, _account = make_organisation(gworld_a.world, verified=False)
    refused, _other = make_organisation(gworld_a.world, verified=False)
    officer = as_role(client, gworld_a, Role.OFFICER)
    listed = officer.get(url(gworld_a, "organisations")).content.decode()
    assert waiting.name in listed
    assert refused.name in listed

    # when the officer verifies one, then rejects the other first without and then with a reason
    done = officer.post(url(gworld_a, "organisation", pk=waiting.pk), {"decision": "verified"})
    no_reason = officer.post(url(gworld_a, "organisation", pk=refused.pk), {"decision": "rejected"})
    still = _state(refused)
    rejected = officer.post(
        url(gworld_a, "organisation", pk=refused.pk),
        {"decision": "rejected", "note": "Akta palsu"},
    )

    # then each decision is kept; the missing reason was shown at the note
    assert done.status_code == 302
    assert _state(waiting) == "verified"
    assert no_reason.status_code == 422
    assert 'id="id_note_error"' in no_reason.content.decode()
    assert still == "pending"
    assert rejected.status_code == 302
    assert _state(refused) == "rejected"


def _state(organisation: Organisation) -> str:
    with region_scope(organisation.region):
        return str(Organisation.objects.get(pk=organisation.pk).verification)


def test_the_consideration_team_reads_organisations_but_cannot_verify(
    client: Client, gworld_a
) -> None:
    waiting, _account = make_organisation(gworld_a.world, verified=False)
    team = as_role(client, gworld_a, Role.CONSIDERATION_TEAM)
    page = team.get(url(gworld_a, "organisation", pk=waiting.pk))
    assert page.status_code == 200
    assert page.context["form"] is None
    refused = team.post(url(gworld_a, "organisation", pk=waiting.pk), {"decision": "verified"})
    assert refused.status_code == 403
    assert _state(waiting) == "pending"


def test_the_overdue_lpj_list(client: Client, gworld_a) -> None:
    late = proposal_at(gworld_a, "disbursed")
    on_time = proposal_at(gworld_a, "disbursed")
    with region_scope(gworld_a.region):
        Proposal.objects.filter(pk=late.pk).update(
            lpj_due_on=region_today(gworld_a.region) - dt.timedelta(days=12)
        )
    page = as_role(client, gworld_a, Role.OFFICER).get(url(gworld_a, "lpj-overdue"))
    assert [(p.pk, days) for p, days in page.context["rows"]] == [(late.pk, 12)]
    assert on_time.number not in page.content.decode()
