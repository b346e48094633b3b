"""The permits API's staff side: a permit lane through every step by the right roles to
issue, verify valid, revoke, verify revoked; refusals with their status and code, roles
without permission, another region's ids, stale versions; the admin's catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..models import Application
from .factories import NIK, NPWP, PHARMACY, apply, issue, pdf, png, reload, to_stage
from .test_api_public import as_, code_of

pytestmark = pytest.mark.django_db


def pharmacy_form(pw: Any) -> dict[str, Any]:
    return {
        "business_name": "Apotek Sehat Sentosa", "npwp": NPWP, "owner_name": "Euis Komariah",
        "owner_nik": NIK, "business_address": "Jl. Braga No. 10",
        "kelurahan_code": pw.kelurahan, "kbli": PHARMACY, "capital": "300000000",
        "area_m2": "40", "documents.denah": pdf(), "documents.ktp": png(),
    }  # fmt: skip


def test_a_permit_goes_through_every_step_to_issue_then_is_revoked(client, pworld_a):
    pw = pworld_a
    citizen, officer = as_(client, pw, Role.CITIZEN), as_(client, pw, Role.OFFICER)
    head, region_head = as_(client, pw, Role.UNIT_HEAD), as_(client, pw, Role.REGION_HEAD)
    filed = citizen.form("/applications", pharmacy_form(pw))
    assert filed.status_code == 201, filed.content
    app = filed.json()
    assert app["state"] == "document_check"
    assert app["fee_amount"] == "200000.00"  # 100,000 + 2,500 x 40 m²
    assert app["due_at"] is not None
    assert app["waiting_on"] == "staff"
    path = f"/applications/{app['id']}"

    queue = officer.get("/applications", stage="document_check").json()
    assert [row["id"] for row in queue["items"]] == [app["id"]]

    seen = officer.get(path).json()
    assert seen["viewer"] == "staff"
    assert "check" in seen["actions"] or "check_pass" in seen["actions"]
    answers = {str(d["id"]): {"passed": True} for d in seen["documents"]}
    step = officer.post(f"{path}/check", {"expected_version": seen["version"], "answers": answers})
    assert step.status_code == 200, step.content
    assert step.json()["state"] == "inspection"

    v = step.json()["version"]
    when = timezone.now().isoformat()
    inspector = pw.user(Role.OFFICER).pk
    scheduled = officer.post(
        f"{path}/inspection",
        {"expected_version": v, "scheduled_at": when, "inspector_id": inspector},
    )
    assert scheduled.status_code == 200, scheduled.content
    recorded = officer.form(
        f"{path}/inspection/record",
        {"expected_version": v, "findings": "Sesuai denah", "passed": "true", "photos": [png()]},
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["inspections"][0]["photos"] == 1
    assert recorded.json()["state"] == "recommendation"

    v = recorded.json()["version"]
    body = {"expected_version": v, "favourable": True, "text": "Memenuhi syarat"}
    recommended = officer.post(f"{path}/recommend", body)
    assert recommended.json()["state"] == "approval"

    approved = head.post(f"{path}/approve", {"expected_version": recommended.json()["version"]})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "payment"
    mine = citizen.get(path).json()
    assert mine["waiting_on"] == "applicant"
    assert "record_payment" in mine["actions"]
    assert mine["recommendation"] is None  # staff only

    paid = citizen.post(
        f"{path}/payment", {"expected_version": mine["version"], "reference": "BJB-000123"}
    )
    assert paid.json()["state"] == "signing"
    signed = region_head.post(f"{path}/sign", {"expected_version": paid.json()["version"]})
    assert signed.status_code == 200, signed.content
    permit = signed.json()["permit"]
    assert signed.json()["state"] == "issued"
    assert permit["number"].startswith("IZIN-")

    anyone = as_(client, pw, None)
    assert anyone.get("/verify", code=code_of(permit)).json()["status"] == "valid"
    revoked = head.post(f"/issued/{permit['id']}/revoke", {"reason": "Izin dipalsukan"})
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["status"] == "revoked"
    assert anyone.get("/verify", code=code_of(permit)).json()["status"] == "revoked"
    again = head.post(f"/issued/{permit['id']}/reinstate", {"reason": "Keliru"})
    assert again.status_code == 409
    assert problem_of(again)["code"] == "permits_permit_status"


def test_stale_version_is_409_concurrent_update(client, pworld_a):
    app = apply(pworld_a)
    officer = as_(client, pworld_a, Role.OFFICER)
    body = {"expected_version": app.version + 1, "reason": "Denah buram"}
    response = officer.post(f"/applications/{app.pk}/request-correction", body)
    assert response.status_code == 409
    assert problem_of(response)["code"] == "concurrent_update"
    assert reload(app).state == "document_check"


@pytest.mark.parametrize(
    ("role", "path", "status", "code"),
    [
        (Role.CITIZEN, "/applications", 403, "permission_denied"),
        (Role.CITIZEN, "/issued", 403, "permission_denied"),
        (Role.CITIZEN, "/registrations", 403, "permission_denied"),
        (None, "/applications", 401, "unauthenticated"),
    ],
)
def test_lists_refuse_who_may_not_see_them(client, pworld_a, role, path, status, code):
    response = as_(client, pworld_a, role).get(path)
    assert response.status_code == status
    assert problem_of(response)["code"] == code


def test_each_step_refuses_the_wrong_role_with_its_code(client, pworld_a):
    pw = pworld_a
    app = to_stage(pw, apply(pw), "approval")
    version = {"expected_version": app.version}
    officer = as_(client, pw, Role.OFFICER).post(f"/applications/{app.pk}/approve", version)
    assert officer.status_code == 403
    assert problem_of(officer)["code"] == "action_not_allowed"
    auditor = as_(client, pw, Role.AUDITOR).post(f"/applications/{app.pk}/approve", version)
    assert auditor.status_code == 403
    stranger = as_(client, pw, Role.CITIZEN).post(
        f"/applications/{app.pk}/reject", {**version, "reason": "x"}
    )
    assert stranger.status_code == 403  # the applicant is not a stage role
    assert problem_of(stranger)["code"] == "permits_not_stage_role"
    assert reload(app).state == "approval"
    app = to_stage(pw, app, "signing")
    sign = as_(client, pw, Role.OFFICER).post(
        f"/applications/{app.pk}/sign", {"expected_version": app.version}
    )
    assert sign.status_code == 403
    suspend = as_(client, pw, Role.OFFICER).post(f"/issued/{issue(pw).pk}/suspend", {"reason": "x"})
    assert suspend.status_code == 403
    assert problem_of(suspend)["code"] == "action_not_allowed"


def test_refusals_of_the_steps(client, pworld_a):
    pw = pworld_a
    app = apply(pw)
    officer = as_(client, pw, Role.OFFICER)
    no_reason = officer.post(f"/applications/{app.pk}/reject", {"expected_version": app.version})
    assert no_reason.status_code == 422
    assert "reason" in problem_of(no_reason)["errors"]
    incomplete = officer.post(
        f"/applications/{app.pk}/check", {"expected_version": app.version, "answers": {}}
    )
    assert incomplete.status_code == 422
    assert problem_of(incomplete)["code"] == "permits_checklist_incomplete"
    not_yet = officer.post(
        f"/applications/{app.pk}/recommend",
        {"expected_version": app.version, "favourable": True, "text": "x"},
    )
    assert not_yet.status_code == 409
    assert problem_of(not_yet)["code"] == "invalid_transition"


def test_another_regions_ids_are_not_found(client, pworld_a, pworld_b):
    theirs = apply(pworld_b)
    their_permit = issue(pworld_b, business_name="Apotek Tangerang")
    officer, head = as_(client, pworld_a, Role.OFFICER), as_(client, pworld_a, Role.UNIT_HEAD)
    for response in (
        officer.get(f"/applications/{theirs.pk}"),
        officer.post(f"/applications/{theirs.pk}/reject", {"expected_version": 1, "reason": "x"}),
        head.post(f"/issued/{their_permit.pk}/revoke", {"reason": "x"}),
        head.get(f"/issued/{their_permit.pk}"),
    ):
        assert response.status_code == 404
        assert problem_of(response)["code"] == "not_found"
        assert "Tangerang" not in response.content.decode()
    assert reload(theirs).state == "document_check"


def test_the_queue_filters_overdue(client, pworld_a):
    pw = pworld_a
    late, on_time = apply(pw, business_name="Terlambat"), apply(pw, business_name="Tepat")
    with region_scope(pw.region):
        Application.objects.filter(region=pw.region, pk=late.pk).update(
            due_at=timezone.now() - timezone.timedelta(days=9)
        )
    officer = as_(client, pw, Role.OFFICER)
    overdue = officer.get("/applications", overdue="true").json()["items"]
    assert [a["id"] for a in overdue] == [late.pk]
    assert overdue[0]["due_in_working_days"] < 0
    assert [a["id"] for a in officer.get("/applications", overdue="false").json()["items"]] == [
        on_time.pk
    ]
    bad = officer.get("/applications", stage="issued")
    assert bad.status_code == 422


def test_the_admin_keeps_the_catalogue(client, pworld_a):
    pw = pworld_a
    admin = as_(client, pw, Role.REGION_ADMIN)
    created = admin.post("/types", {
        "code": "reklame", "name_id": "Izin Reklame", "name_en": "Billboard permit",
        "fee_kind": "per_m2", "fee_rate": "15000", "validity_months": 12,
        "verifying_unit_id": pw.world.unit.pk,
    })  # fmt: skip
    assert created.status_code == 201, created.content
    type_id = created.json()["id"]
    bad_fee = admin.send("patch", f"/types/{type_id}", {"fee_kind": "fixed"})
    assert bad_fee.status_code == 422
    assert problem_of(bad_fee)["code"] == "permits_fee_formula_invalid"
    kept = admin.send("patch", f"/types/{type_id}", {"default_approval": None, "is_active": None})
    assert kept.status_code == 200, kept.content
    assert kept.json()["is_active"] is True
    requirement = {"code": "desain", "name_id": "Desain", "name_en": "Design", "format": "image"}
    with_doc = admin.post(f"/types/{type_id}/requirements", requirement)
    assert [r["code"] for r in with_doc.json()["requirements"]] == ["desain"]
    deadlines = admin.send("put", f"/types/{type_id}/deadlines", {"working_days": {"approval": 4}})
    assert deadlines.json()["sla_working_days"] == {"approval": 4}
    duplicate = admin.post("/types", {"code": "reklame", "name_id": "x", "name_en": "x"})
    assert duplicate.status_code == 409
    assert problem_of(duplicate)["code"] == "duplicate"
    officer = as_(client, pw, Role.OFFICER).post(
        "/types", {"code": "x", "name_id": "x", "name_en": "x"}
    )
    assert officer.status_code == 403
    assert problem_of(officer)["code"] == "permission_denied"


def test_kbli_import_reports_each_bad_row(client, pworld_a):
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    header = b"code,title_id,title_en,risk_micro,risk_small,risk_medium,risk_large\n"
    bad = (
        header
        + b"1079,Roti,Bakery,rendah,rendah,rendah,rendah\n"
        + b"10792,Roti,Bakery,x,rendah,rendah,rendah\n"
    )
    response = admin.form("/kbli/import", {"file": SimpleUploadedFile("k.csv", bad, "text/csv")})
    assert response.status_code == 422
    problem = problem_of(response)
    assert problem["code"] == "permits_kbli_import_failed"
    assert any(key.startswith("row 2.") for key in problem["errors"])
    assert any(key.startswith("row 3.") for key in problem["errors"])
    good = header + b"10792,Roti,Bakery,rendah,rendah,menengah_rendah,menengah_rendah\n"
    imported = admin.form("/kbli/import", {"file": SimpleUploadedFile("k.csv", good, "text/csv")})
    assert imported.json() == {"created": 1, "updated": 0}


def test_routing_rules_are_kept_by_the_admin(client, pworld_a):
    admin = as_(client, pworld_a, Role.REGION_ADMIN)
    adopted = admin.post("/routing-rules/adopt-default")
    assert [r["priority"] for r in adopted.json()] == [10, 20, 30, 40, 50]
    rule = adopted.json()[0]
    changed = admin.send("put", f"/routing-rules/{rule['id']}", {
        "priority": 10, "lane": "report_only", "risk": "rendah", "below_threshold": True,
        "note": "Hayu",
    })  # fmt: skip
    assert changed.json()["note"] == "Hayu"
    listed = as_(client, pworld_a, Role.OFFICER).get("/routing-rules").json()
    assert len(listed) == 5
