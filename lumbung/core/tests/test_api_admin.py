"""Core's region-scoped API: the back office's operations, with roles and the region wall."""

import pytest

from lumbung.core.models import AuditEvent, Membership, ModuleActivation, RegionHoliday, Unit
from lumbung.core.models.people import Role
from lumbung.core.services.people import token_issue
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.testing.problems import problem_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """Call the API as a user with a bearer token: api(user).get(path) / .post(path, body)."""

    class Caller:
        def __init__(self, user):
            _token, secret = token_issue(user=user)
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

        def get(self, path, params=None):
            return client.get(path, params or {}, **self.headers)

        def send(self, method, path, body=None):
            return getattr(client, method)(
                path, body or {}, content_type="application/json", **self.headers
            )

    return Caller


def base(world) -> str:
    return f"/api/v1/regions/{world.region.slug}"


def test_admin_adds_lists_and_moves_units(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    # when the admin adds a unit under DPMPTSP
    created = admin.send(
        "post",
        f"{base(world_a)}/units",
        {
            "code": "DPMPTSP-1",
            "name": "Bidang Perizinan",
            "kind": "bagian",
            "parent_code": "DPMPTSP",
        },
    )
    # then it is in the tree, one level down, and audited
    assert created.status_code == 201, created.content
    tree = admin.get(f"{base(world_a)}/units").json()
    row = next(u for u in tree if u["code"] == "DPMPTSP-1")
    assert row["parent_code"] == "DPMPTSP"
    assert row["depth"] == 1
    # when it is moved to the top level and renamed
    moved = admin.send(
        "patch", f"{base(world_a)}/units/{row['id']}", {"name": "Bidang Izin", "parent_code": ""}
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["parent_code"] is None
    with region_scope(world_a.region):
        assert AuditEvent.objects.filter(region=world_a.region, action="unit.update").exists()


def test_unit_with_bad_input_is_a_field_error_and_nothing_is_written(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    response = admin.send(
        "post", f"{base(world_a)}/units", {"code": "DPMPTSP", "name": "Duplicate", "kind": "dinas"}
    )
    assert response.status_code == 422
    assert "code" in response.json()["errors"]
    with region_scope(world_a.region):
        assert Unit.objects.filter(region=world_a.region, code="DPMPTSP").count() == 1


def test_officer_cannot_add_units(api, world_a):
    officer = api(world_a.users[Role.OFFICER])
    response = officer.send(
        "post", f"{base(world_a)}/units", {"code": "X", "name": "X", "kind": "dinas"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unit_of_another_region_is_not_found(api, world_a, world_b):
    admin = api(world_a.users[Role.REGION_ADMIN])
    response = admin.send("patch", f"{base(world_a)}/units/{world_b.unit.pk}", {"name": "Taken"})
    assert response.status_code == 404
    with region_scope(world_b.region):
        assert Unit.objects.get(pk=world_b.unit.pk).name != "Taken"


def test_units_csv_import_reports_rows_and_writes_nothing_when_wrong(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    bad = "code,name,kind,parent_code\nA,Alpha,dinas,\nB,,dinas,ZZZ\n"
    response = admin.send("post", f"{base(world_a)}/units/import", {"csv": bad})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"3.name", "3.parent_code"}
    with region_scope(world_a.region):
        assert not Unit.objects.filter(region=world_a.region, code="A").exists()
    good = "code,name,kind,parent_code\nA,Alpha,dinas,\nA-1,Alpha satu,bagian,A\n"
    ok = admin.send("post", f"{base(world_a)}/units/import", {"csv": good})
    assert ok.status_code == 200
    assert ok.json()["created"] == 2


def test_admin_grants_and_revokes_a_role(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    granted = admin.send(
        "post",
        f"{base(world_a)}/members",
        {"email": "baru@bandung.test", "role": "officer", "unit_code": "DINSOS"},
    )
    assert granted.status_code == 201, granted.content
    assert granted.json()["unit_code"] == "DINSOS"
    listed = admin.get(f"{base(world_a)}/members", {"page_size": 100}).json()
    assert "baru@bandung.test" in {m["email"] for m in listed["items"]}
    revoked = admin.send("delete", f"{base(world_a)}/members/{granted.json()['id']}")
    assert revoked.status_code == 204
    with region_scope(world_a.region):
        assert not Membership.objects.get(pk=granted.json()["id"]).is_active


def test_platform_operator_role_cannot_be_granted_per_region(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    response = admin.send(
        "post", f"{base(world_a)}/members", {"email": "x@y.test", "role": "platform_operator"}
    )
    assert response.status_code == 422


def test_admin_switches_modules(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    assert admin.get(f"{base(world_a)}/modules").json() == {"enabled": ["sample"]}
    off = admin.send("post", f"{base(world_a)}/modules", {"disable": ["sample"]})
    assert off.json() == {"enabled": []}
    assert not ModuleActivation.objects.get(region=world_a.region, module="sample").enabled
    unknown = admin.send("post", f"{base(world_a)}/modules", {"enable": ["nope"]})
    assert unknown.status_code == 422
    assert unknown.json()["code"] == "module_unknown"


def test_calendar_and_local_holidays(api, client, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    added = admin.send(
        "post", f"{base(world_a)}/holidays", {"date": "2026-09-25", "name": "Hari Jadi Kota"}
    )
    assert added.status_code == 201, added.content
    closed = client.get(f"{base(world_a)}/calendar", {"year": 2026}).json()
    assert {"date": "2026-09-25", "name": "Hari Jadi Kota"} in closed
    assert any(d["date"] == "2026-08-17" for d in closed)
    removed = admin.send("delete", f"{base(world_a)}/holidays/{added.json()['id']}")
    assert removed.status_code == 204
    with region_scope(world_a.region):
        assert not RegionHoliday.objects.filter(region=world_a.region).exists()


def test_sla_override_set_and_cleared(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    body = {"workflow": "sample.case", "state": "received", "working_days": 2}
    assert admin.send("put", f"{base(world_a)}/sla", body).status_code == 200
    listed = admin.get(f"{base(world_a)}/sla").json()
    assert [(r["workflow"], r["state"], r["working_days"]) for r in listed] == [
        ("sample.case", "received", 2)
    ]
    cleared = admin.send("put", f"{base(world_a)}/sla", {**body, "working_days": None})
    assert cleared.status_code == 204
    bad = admin.send("put", f"{base(world_a)}/sla", {**body, "state": "resolved"})
    assert bad.status_code == 422


def test_sla_override_for_an_unknown_workflow_names_the_field(api, world_a):
    admin = api(world_a.users[Role.REGION_ADMIN])
    body = {"workflow": "nope.flow", "state": "received", "working_days": 2}

    response = admin.send("put", f"{base(world_a)}/sla", body)

    assert response.status_code == 422
    problem = problem_of(response)
    assert (problem["code"], list(problem["errors"])) == ("validation_error", ["workflow"])


def test_auditor_reads_the_log_but_cannot_write(api, world_a):
    auditor = api(world_a.users[Role.AUDITOR])
    events = auditor.get(f"{base(world_a)}/audit-events", {"action": "membership"}).json()
    assert events["count"] >= 4
    assert all(e["action"].startswith("membership") for e in events["items"])
    refused = auditor.send(
        "post", f"{base(world_a)}/units", {"code": "X", "name": "X", "kind": "dinas"}
    )
    assert refused.status_code == 403
    officer = api(world_a.users[Role.OFFICER])
    assert officer.get(f"{base(world_a)}/audit-events").status_code == 403


def test_audit_log_shows_only_the_regions_events(api, world_a, world_b):
    auditor = api(world_a.users[Role.AUDITOR])
    items = auditor.get(f"{base(world_a)}/audit-events", {"page_size": 100}).json()["items"]
    with dangerously_unscoped():
        b_hashes = set(
            AuditEvent.objects.filter(region=world_b.region).values_list("hash", flat=True)
        )
    assert b_hashes
    assert not {e["hash"] for e in items} & b_hashes


def test_admin_api_needs_authentication(client, world_a):
    response = client.get(f"{base(world_a)}/units")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_admin_edits_the_profile_and_uploads_a_logo(api, client, world_a):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    admin = api(world_a.users[Role.REGION_ADMIN])
    changed = admin.send("patch", f"{base(world_a)}/profile", {"tagline": "Kota Kembang"})
    assert changed.status_code == 200
    assert changed.json()["tagline"] == "Kota Kembang"
    bad = admin.send("patch", f"{base(world_a)}/profile", {"primary_color": "red"})
    assert bad.status_code == 422
    assert "primary_color" in bad.json()["errors"]
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "PNG")
    logo = SimpleUploadedFile("logo.png", out.getvalue(), "image/png")
    uploaded = client.post(f"{base(world_a)}/profile/logo", {"logo": logo}, **admin.headers)
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["logo_url"].endswith(".png")
    not_image = SimpleUploadedFile("logo.png", b"nope", "image/png")
    refused = client.post(f"{base(world_a)}/profile/logo", {"logo": not_image}, **admin.headers)
    assert refused.status_code == 422
    assert "logo" in refused.json()["errors"]
    officer = api(world_a.users[Role.OFFICER])
    assert officer.send("patch", f"{base(world_a)}/profile", {"tagline": "x"}).status_code == 403
