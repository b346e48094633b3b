"""The permits API's applicant side: applying with documents, the refusals of a bad
application, following one's own applications only, resubmitting after a correction request
(the clock restarts), withdrawing, and renewing too early."""

from __future__ import annotations

import pytest

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of
from lumbung.core.tests.factories import UserFactory

from ..services.stages import application_request_correction
from .factories import apply, issue, pdf, reload
from .test_api_public import Api, as_
from .test_api_staff import pharmacy_form

pytestmark = pytest.mark.django_db


def test_applying_with_documents_goes_to_the_document_check(client, pworld_a):
    citizen = as_(client, pworld_a, Role.CITIZEN)
    response = citizen.form("/applications", pharmacy_form(pworld_a))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "document_check"
    assert body["permit"] is None
    assert sorted(d["requirement"] for d in body["documents"]) == ["denah", "ktp"]
    assert body["actions"] == ["withdraw"]
    listed = citizen.get("/my/applications").json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]


def test_a_missing_mandatory_document_is_named(client, pworld_a):
    form = pharmacy_form(pworld_a)
    del form["documents.ktp"]
    response = as_(client, pworld_a, Role.CITIZEN).form("/applications", form)
    assert response.status_code == 422
    problem = problem_of(response)
    assert problem["code"] == "permits_documents_missing"
    assert list(problem["errors"]) == ["documents.ktp"]


def test_a_document_of_the_wrong_kind_is_refused_by_content(client, pworld_a):
    form = {**pharmacy_form(pworld_a), "documents.ktp": pdf("ktp.png")}
    response = as_(client, pworld_a, Role.CITIZEN).form("/applications", form)
    assert response.status_code == 422
    assert "documents.ktp" in problem_of(response)["errors"]


def test_an_address_outside_the_region_is_refused(client, pworld_a, pworld_b):
    form = {**pharmacy_form(pworld_a), "kelurahan_code": pworld_b.kelurahan}
    response = as_(client, pworld_a, Role.CITIZEN).form("/applications", form)
    assert response.status_code == 422
    assert problem_of(response)["code"] == "permits_address_outside_region"


def test_someone_elses_application_and_permit_are_not_found(client, pworld_a):
    app = apply(pworld_a)
    permit = issue(pworld_a)
    other = Api(client, pworld_a, UserFactory.create(email="tetangga@example.test"))
    for path in (f"/applications/{app.pk}", f"/issued/{permit.pk}", f"/issued/{permit.pk}/pdf"):
        response = other.get(path)
        assert response.status_code == 404
        assert problem_of(response)["code"] == "not_found"
    assert other.get("/my/applications").json()["count"] == 0


def test_resubmitting_after_a_correction_request_returns_to_the_stage(client, pworld_a):
    pw = pworld_a
    app = apply(pw)
    with region_scope(pw.region):
        application_request_correction(
            region=pw.region, actor=pw.user(Role.OFFICER), application=app, note="Denah buram"
        )
    citizen = as_(client, pw, Role.CITIZEN)
    seen = citizen.get(f"/applications/{app.pk}").json()
    assert seen["state"] == "returned"
    assert seen["waiting_on"] == "applicant"
    assert seen["correction_note"] == "Denah buram"
    assert seen["due_at"] is None  # the clock stopped
    stale = citizen.post(f"/applications/{app.pk}/resubmit", {"expected_version": 0})
    assert stale.status_code == 409
    assert problem_of(stale)["code"] == "concurrent_update"
    form = {"expected_version": seen["version"], "note": "Sudah", "documents.denah": pdf()}
    response = citizen.form(f"/applications/{app.pk}/resubmit", form)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "document_check"
    assert response.json()["due_at"] is not None


def test_only_the_applicant_resubmits_or_withdraws(client, pworld_a):
    app = apply(pworld_a)
    officer = as_(client, pworld_a, Role.OFFICER)
    response = officer.post(f"/applications/{app.pk}/withdraw", {"expected_version": app.version})
    assert response.status_code == 403
    assert problem_of(response)["code"] == "permits_not_applicant"
    mine = as_(client, pworld_a, Role.CITIZEN).post(
        f"/applications/{app.pk}/withdraw", {"expected_version": app.version}
    )
    assert mine.json()["state"] == "withdrawn"
    assert reload(app).state == "withdrawn"


def test_renewing_before_the_window_is_refused(client, pworld_a):
    permit = issue(pworld_a)
    response = as_(client, pworld_a, Role.CITIZEN).form(
        f"/issued/{permit.pk}/renew", pharmacy_form(pworld_a)
    )
    assert response.status_code == 409
    assert problem_of(response)["code"] == "permits_renewal_too_early"
