"""The hibah API: the whole journey by each role's bearer token (an organisation registers,
is verified, submits; every review step; a tranche; the LPJ; closed), then each refusal's
status and stable code, roles without permission, another region's ids and stale versions."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lumbung.core.models import AuditEvent, User
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import UserFactory

from ..checks import ORGANISATION_DOCUMENTS, PROPOSAL_DOCUMENTS
from ..models import AmountChange, BudgetLine, Organisation, Proposal, Tranche
from ..services.checklists import STARTER_ITEMS
from ..services.organisations import region_today
from .factories import (
    FINAL,
    GrantsWorld,
    make_organisation,
    make_programme,
    pdf,
    proposal_at,
    reload,
    submit,
)

pytestmark = pytest.mark.django_db

ORGANISATION = {
    "name": "Yayasan Kujang Emas",
    "kind": "yayasan",
    "legal_number": "AHU-0099.AH.01.04.2016",
    "legal_date": "2016-04-11",
    "npwp": "01.234.567.8-901.000",
    "address": "Jl. Dago No. 12, Bandung",
    "bank_name": "Bank BJB",
    "bank_account_number": "0012 3456 7890",
    "bank_account_name": "Yayasan Kujang Emas",
    "officers": [
        {"position": "ketua", "name": "Rina"},
        {"position": "sekretaris", "name": "Dede"},
        {"position": "bendahara", "name": "Ujang"},
    ],
}
LINES = [
    {"description": "Sewa panggung", "quantity": "1", "unit": "paket", "unit_price": "15000000"},
    {"description": "Konsumsi", "quantity": 350, "unit": "porsi", "unit_price": "100000.00"},
]


class Api:
    """A client calling as one user with a bearer token."""

    def __init__(self, client: Client, gw: GrantsWorld, user: User) -> None:
        _token, secret = token_issue(user=user, name="test")
        self.client, self.base = client, f"/api/v1/regions/{gw.region.slug}/grants"
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, **query: Any) -> Any:
        return self.client.get(self.base + path, query, headers=self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {})
        return self.client.post(
            self.base + path, data, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        data = json.dumps(body)
        return self.client.patch(
            self.base + path, data, content_type="application/json", headers=self.headers
        )

    def form(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(self.base + path, data, headers=self.headers)


def as_(client: Client, gw: GrantsWorld, role: Role) -> Api:
    return Api(client, gw, gw.user(role))


def manual(state: str, on: str = "") -> dict[str, Any]:
    return {
        key: {"passed": True, "on_date": on or None}
        for item_state, key, _id, _en, computed, _dated, _req in STARTER_ITEMS
        if item_state == state and not computed
    }


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    problem = problem_of(response)
    assert problem["code"] == code, problem
    return problem


# --- the journey ------------------------------------------------------------------------


def test_an_organisation_and_its_proposal_go_all_the_way_through_the_api(
    client: Client, gworld_a: GrantsWorld
) -> None:
    gw = gworld_a
    citizen = Api(client, gw, UserFactory.create(email="ketua@kujang.test"))
    officer, team = as_(client, gw, Role.OFFICER), as_(client, gw, Role.CONSIDERATION_TEAM)
    tapd, head = as_(client, gw, Role.BUDGET_TEAM), as_(client, gw, Role.REGION_HEAD)
    today = region_today(gw.region).isoformat()

    # an organisation registers, attaches its legal documents and is verified
    org = ok(citizen.post("/organisations", ORGANISATION), 201)
    assert (org["verification"], org["npwp"]) == ("pending", "012345678901000")
    for kind in ORGANISATION_DOCUMENTS:
        ok(
            citizen.form(f"/organisations/{org['id']}/documents", {"kind": kind, "file": pdf()}),
            201,
        )
    assert [o["id"] for o in ok(citizen.get("/my/organisations"))] == [org["id"]]
    pending = ok(officer.get("/organisations", verification="pending"))["items"]
    assert org["id"] in [o["id"] for o in pending]
    assert ok(officer.post(f"/organisations/{org['id']}/verify", {}))["verification"] == "verified"

    # it submits a proposal with its RAB (amounts as strings and integers, exact)
    body = {
        "organisation_id": org["id"],
        "programme_id": gw.programme.pk,
        "title": "Festival Kujang",
        "purpose": "Pentas seni warga",
        "location": "Taman Cikapayang",
        "lines": LINES,
    }
    proposal = ok(citizen.post("/proposals", body), 201)
    pid = proposal["id"]
    assert proposal["amounts"]["requested"] == "50000000.00"
    assert [line["total"] for line in proposal["lines"]] == ["15000000.00", "35000000.00"]
    for kind in PROPOSAL_DOCUMENTS:
        ok(citizen.form(f"/proposals/{pid}/documents", {"kind": kind, "file": pdf()}), 201)
    mine = ok(citizen.get("/my/proposals"))
    assert [p["id"] for p in mine["items"]] == [pid]

    # every review step, each by its role, each with the version it saw
    def step(api: Api, action: str, extra: dict[str, Any]) -> dict[str, Any]:
        version = ok(officer.get(f"/proposals/{pid}"))["version"]
        return ok(api.post(f"/proposals/{pid}/{action}", {"expected_version": version, **extra}))

    queue = ok(officer.get("/proposals", stage="submitted"))["items"]
    assert [(p["id"], p["due_at"] is not None) for p in queue] == [(pid, True)]
    assert step(officer, "check", {"answers": manual("submitted")})["state"] == "assignment"
    assert step(team, "assign", {"unit_id": gw.world.unit.pk})["state"] == "evaluation"
    recommended = step(
        officer, "recommend", {"answers": manual("evaluation", today), "amount": "45000000"}
    )
    assert recommended["amounts"]["recommended"] == "45000000.00"
    assert step(team, "consider", {"amount": 42_000_000})["state"] == "tapd"
    assert step(tapd, "finalise", {"amount": "40000000.00"})["state"] == "nominative"
    assert step(head, "decide", {"decision_number": "900/Kep.12/2026"})["state"] == "decided"
    version = ok(officer.get(f"/proposals/{pid}"))["version"]
    signed = officer.form(
        f"/proposals/{pid}/sign-nphd",
        {
            "expected_version": version,
            "nphd_number": "027/NPHD/2026",
            "signed_on": today,
            "document": pdf("nphd.pdf"),
        },
    )
    assert ok(signed)["state"] == "agreement"

    # a tranche pays it in full; the organisation hands in its LPJ; staff verify it
    version = ok(officer.get(f"/proposals/{pid}"))["version"]
    paid = officer.post(
        f"/proposals/{pid}/tranches",
        {
            "expected_version": version,
            "amount": "40000000",
            "paid_on": today,
            "reference": "SP2D-1",
        },
    )
    assert ok(paid, 201)["amount"] == "40000000.00"
    assert [t["number"] for t in ok(citizen.get(f"/proposals/{pid}/tranches"))] == [1]
    version = ok(citizen.get(f"/proposals/{pid}"))["version"]
    lpj = citizen.form(f"/proposals/{pid}/lpj", {"expected_version": version, "document": pdf()})
    assert ok(lpj)["state"] == "lpj_submitted"
    closed = step(officer, "lpj/verify", {})
    assert closed["state"] == "closed"

    # staff see every amount, answer, tranche and who took each step; the applicant no names
    amounts = closed["amounts"]
    assert (amounts["final"], amounts["disbursed"]) == ("40000000.00", "40000000.00")
    computed = [a for a in closed["answers"] if a["computed"]]
    assert computed
    assert all("evidence" in a for a in computed)
    actors = {e["action"]: e["actor"] for e in closed["timeline"] if e["kind"] == "transition"}
    assert actors["assign"] == gw.user(Role.CONSIDERATION_TEAM).display_name
    assert closed["actions"] == []
    seen = ok(citizen.get(f"/proposals/{pid}"))
    assert seen["viewer"] == "applicant"
    assert {e["actor"] for e in seen["timeline"]} == {None}
    with region_scope(gw.region):
        assert AuditEvent.objects.filter(region=gw.region, action="grants.hibah.tranche").exists()


# --- refusals -----------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    client: Client, gworld_a: GrantsWorld
) -> None:
    proposal = proposal_at(gworld_a, "consideration")
    team = as_(client, gworld_a, Role.CONSIDERATION_TEAM)

    response = team.post(
        f"/proposals/{proposal.pk}/consider",
        {"expected_version": proposal.version - 1, "amount": "1000"},
    )

    refused(response, 409, "concurrent_update")
    assert reload(proposal).amount_considered is None


def test_the_check_refuses_an_unverified_organisation_and_bad_answers(
    client: Client, gworld_a: GrantsWorld
) -> None:
    organisation, applicant = make_organisation(gworld_a.world, verified=False)
    proposal = submit(gworld_a, organisation=organisation, applicant=applicant)
    officer = as_(client, gworld_a, Role.OFFICER)
    url, version = f"/proposals/{proposal.pk}/check", proposal.version

    def check(answers: dict[str, Any]) -> Any:
        return officer.post(url, {"expected_version": version, "answers": answers})

    refused(check(manual("submitted")), 409, "grants_organisation_not_verified")
    with region_scope(gworld_a.region):
        Organisation.objects.filter(pk=organisation.pk).update(verification="verified")
    refused(
        check({**manual("submitted"), "nope": {"passed": True}}),
        422,
        "grants_checklist_unknown_item",
    )
    computed = {**manual("submitted"), "all-documents": {"passed": True}}
    refused(check(computed), 422, "grants_checklist_computed")
    refused(check({"doc-deed": {"passed": True}}), 422, "grants_checklist_incomplete")
    failed = {**manual("submitted"), "doc-deed": {"passed": False}}
    refused(check(failed), 409, "grants_checklist_failed")
    assert reload(proposal).state == "submitted"


@pytest.mark.parametrize(
    ("amount", "status", "code"),
    [
        (1.5, 422, "validation_error"),
        (True, 422, "validation_error"),
        ("abc", 422, "validation_error"),
        ("-5", 422, "grants_amount_invalid"),
        ("0", 422, "grants_amount_invalid"),
        ("10.001", 422, "grants_amount_invalid"),
        ("1" + "0" * 20, 422, "grants_amount_invalid"),
        ("43000000", 422, "grants_amount_rise_unjustified"),
    ],
)
def test_bad_amounts_are_refused_with_field_errors_and_nothing_is_written(
    client: Client, gworld_a: GrantsWorld, amount: Any, status: int, code: str
) -> None:
    proposal = proposal_at(gworld_a, "consideration")
    team = as_(client, gworld_a, Role.CONSIDERATION_TEAM)
    with region_scope(gworld_a.region):
        before = AmountChange.objects.filter(region=gworld_a.region, proposal=proposal).count()
    body = {"expected_version": proposal.version, "amount": amount}
    if code == "grants_amount_rise_unjustified":
        body["amount"] = str(Decimal(reload(proposal).amount_recommended) + 1)

    problem = refused(team.post(f"/proposals/{proposal.pk}/consider", body), status, code)

    assert any(key.startswith("amount") or key == "justification" for key in problem["errors"])
    with region_scope(gworld_a.region):
        assert (
            AmountChange.objects.filter(region=gworld_a.region, proposal=proposal).count() == before
        )
    assert reload(proposal).state == "consideration"


def test_the_ceiling_and_the_final_amount_hold_through_the_api(
    client: Client, gworld_a: GrantsWorld
) -> None:
    small = make_programme(gworld_a.world, ceiling=FINAL - 1)
    at_tapd = proposal_at(gworld_a, "tapd", programme=small)
    tapd = as_(client, gworld_a, Role.BUDGET_TEAM)
    over = {"expected_version": at_tapd.version, "amount": str(FINAL)}
    refused(tapd.post(f"/proposals/{at_tapd.pk}/finalise", over), 409, "grants_ceiling_exceeded")

    agreed = proposal_at(gworld_a, "agreement")
    officer = as_(client, gworld_a, Role.OFFICER)
    today = region_today(gworld_a.region).isoformat()
    body = {"expected_version": agreed.version, "paid_on": today, "reference": "SP2D-9"}
    too_much = officer.post(f"/proposals/{agreed.pk}/tranches", {**body, "amount": str(FINAL + 1)})
    refused(too_much, 409, "grants_tranche_exceeds_final")
    early = proposal_at(gworld_a, "decided")
    not_yet = {**body, "expected_version": early.version, "amount": "1000"}
    refused(officer.post(f"/proposals/{early.pk}/tranches", not_yet), 409, "grants_not_disbursable")
    with region_scope(gworld_a.region):
        assert not Tranche.objects.filter(region=gworld_a.region).exists()


def test_documents_are_required_and_checked_by_content(
    client: Client, gworld_a: GrantsWorld
) -> None:
    decided = proposal_at(gworld_a, "decided")
    officer = as_(client, gworld_a, Role.OFFICER)
    today = region_today(gworld_a.region).isoformat()
    form = {"expected_version": decided.version, "nphd_number": "1/NPHD", "signed_on": today}

    refused(
        officer.form(f"/proposals/{decided.pk}/sign-nphd", form), 422, "grants_document_required"
    )
    fake = SimpleUploadedFile("nphd.pdf", b"MZ not a pdf at all", "application/pdf")
    bad = officer.form(f"/proposals/{decided.pk}/sign-nphd", {**form, "document": fake})
    assert bad.status_code == 422
    assert "file" in problem_of(bad)["errors"]
    assert reload(decided).state == "decided"

    disbursed = proposal_at(gworld_a, "disbursed")
    citizen = Api(client, gworld_a, gworld_a.applicant)
    no_lpj = citizen.form(f"/proposals/{disbursed.pk}/lpj", {"expected_version": disbursed.version})
    refused(no_lpj, 422, "grants_document_required")


def test_roles_without_permission_are_refused(client: Client, gworld_a: GrantsWorld) -> None:
    proposal = proposal_at(gworld_a, "submitted")
    pid, version = proposal.pk, proposal.version
    citizen, officer = as_(client, gworld_a, Role.CITIZEN), as_(client, gworld_a, Role.OFFICER)
    team = as_(client, gworld_a, Role.CONSIDERATION_TEAM)

    refused(citizen.get("/proposals"), 403, "permission_denied")
    refused(citizen.get("/organisations"), 403, "permission_denied")
    refused(citizen.get(f"/proposals/{pid}"), 404, "not_found")  # not one of its accounts
    assign = {"expected_version": version, "unit_id": gworld_a.world.unit.pk}
    refused(officer.post(f"/proposals/{pid}/assign", assign), 409, "invalid_transition")
    refused(
        team.post(f"/proposals/{pid}/check", {"expected_version": version, "answers": {}}),
        403,
        "action_not_allowed",
    )
    back = {"expected_version": version, "note": "Kurang lengkap"}
    refused(team.post(f"/proposals/{pid}/send-back", back), 403, "grants_not_stage_role")
    refused(
        officer.post(f"/proposals/{pid}/withdraw", {"expected_version": version}),
        403,
        "grants_not_applicant",
    )
    organisation = make_organisation(gworld_a.world, verified=False)[0]
    refused(team.post(f"/organisations/{organisation.pk}/verify", {}), 403, "permission_denied")
    assert reload(proposal).state == "submitted"


def test_the_applicant_withdraws_and_resubmits_with_a_new_rab(
    client: Client, gworld_a: GrantsWorld
) -> None:
    returned = proposal_at(gworld_a, "returned")
    citizen = Api(client, gworld_a, gworld_a.applicant)
    body = {
        "expected_version": returned.version,
        "note": "Sudah diperbaiki",
        "lines": [
            {"description": "Tenda", "quantity": "2", "unit": "unit", "unit_price": "5000000"}
        ],
    }

    resubmitted = ok(citizen.post(f"/proposals/{returned.pk}/resubmit", body))

    assert resubmitted["state"] == "submitted"
    assert resubmitted["amounts"]["requested"] == "10000000.00"
    with region_scope(gworld_a.region):
        assert BudgetLine.objects.filter(region=gworld_a.region, proposal=returned).count() == 1
    withdrawn = citizen.post(
        f"/proposals/{returned.pk}/withdraw", {"expected_version": resubmitted["version"]}
    )
    assert ok(withdrawn)["state"] == "withdrawn"


def test_registration_refusals_carry_their_codes(client: Client, gworld_a: GrantsWorld) -> None:
    citizen = as_(client, gworld_a, Role.CITIZEN)
    ok(citizen.post("/organisations", ORGANISATION), 201)

    refused(citizen.post("/organisations", ORGANISATION), 409, "grants_organisation_exists")
    bad = refused(
        citizen.post("/organisations", {**ORGANISATION, "legal_number": "X-1", "npwp": "12"}),
        422,
        "validation_error",
    )
    assert "npwp" in bad["errors"]
    wrong_type = citizen.post("/organisations", {**ORGANISATION, "officers": "ketua"})
    assert "officers" in refused(wrong_type, 422, "validation_error")["errors"]
    with region_scope(gworld_a.region):
        assert Organisation.objects.filter(region=gworld_a.region, legal_number="X-1").count() == 0


def test_another_regions_ids_are_not_found(
    client: Client, gworld_a: GrantsWorld, gworld_b: GrantsWorld
) -> None:
    theirs = proposal_at(gworld_b, "submitted")
    officer = as_(client, gworld_a, Role.OFFICER)
    version = theirs.version

    refused(officer.get(f"/proposals/{theirs.pk}"), 404, "not_found")
    refused(officer.get(f"/proposals/{theirs.pk}/tranches"), 404, "not_found")
    check = {"expected_version": version, "answers": manual("submitted")}
    refused(officer.post(f"/proposals/{theirs.pk}/check", check), 404, "not_found")
    refused(officer.get(f"/organisations/{gworld_b.organisation.pk}"), 404, "not_found")
    refused(officer.post(f"/organisations/{gworld_b.organisation.pk}/verify", {}), 404, "not_found")
    citizen = Api(client, gworld_a, gworld_a.applicant)
    foreign_programme = {
        "organisation_id": gworld_a.organisation.pk,
        "programme_id": gworld_b.programme.pk,
        "title": "x",
        "purpose": "x",
        "location": "x",
        "lines": LINES,
    }
    assert (
        "programme_id"
        in refused(citizen.post("/proposals", foreign_programme), 422, "validation_error")["errors"]
    )
    assert reload(theirs).state == "submitted"
    with region_scope(gworld_a.region):
        assert not Proposal.objects.filter(region=gworld_a.region).exists()


def test_the_queue_filters_by_stage_programme_unit_and_overdue(
    client: Client, gworld_a: GrantsWorld
) -> None:
    waiting, evaluated = proposal_at(gworld_a, "submitted"), proposal_at(gworld_a, "evaluation")
    with region_scope(gworld_a.region):
        late = timezone.now() - dt.timedelta(days=1)
        Proposal.objects.filter(pk=waiting.pk).update(due_at=late)
    officer = as_(client, gworld_a, Role.OFFICER)

    def ids(**query: Any) -> list[int]:
        return [p["id"] for p in ok(officer.get("/proposals", **query))["items"]]

    assert ids() == [waiting.pk, evaluated.pk]
    assert ids(stage="evaluation") == [evaluated.pk]
    assert ids(unit=gworld_a.world.unit.pk) == [evaluated.pk]
    assert ids(overdue="true") == [waiting.pk]
    assert ids(programme=gworld_a.programme.pk + 1000) == []
    assert ok(officer.get("/proposals", overdue="true"))["items"][0]["overdue"] is True
