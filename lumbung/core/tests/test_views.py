"""The back office: a dashboard per role, the wall between regions, the auditor's read-only
view and the language switch. The region admin's screens are in test_views_admin.py."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from lumbung.core.models import AuditEvent, ModuleActivation
from lumbung.core.models.people import Role
from lumbung.core.services.audit import audit_record
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.backoffice import (
    PROFILE,
    event_count,
    signed_in,
    units_of,
    upload,
    url,
)
from lumbung.core.tests.factories import make_world

pytestmark = pytest.mark.django_db


def dashboards_in(response) -> set[str]:
    return set(re.findall(r'data-dashboard="([a-z_]+)"', response.content.decode()))


# Who gets in -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "dashboard"),
    [
        (Role.REGION_ADMIN, "admin"),
        (Role.AUDITOR, "auditor"),
        (Role.UNIT_HEAD, "unit_head"),
        (Role.OFFICER, "officer"),
    ],
)
def test_each_role_sees_its_own_dashboard(client, world_a, role, dashboard):
    # given a member of Kota Bandung holding one role
    client = signed_in(client, world_a.users[role])

    # when they open the back office
    response = client.get(url("dashboard", world_a.region))

    # then exactly that role's panel shows
    assert response.status_code == 200
    assert dashboards_in(response) == {dashboard}


def test_platform_operator_sees_the_admin_dashboard_of_any_region(client, world_a, operator):
    response = signed_in(client, operator).get(url("dashboard", world_a.region))

    assert response.status_code == 200
    assert dashboards_in(response) == {"admin"}


def test_province_admin_sees_its_active_kabupaten_kota(client, world_b):
    # given Banten active, and of its kabupaten/kota only Kota Tangerang
    banten = make_world("36")

    # when Banten's admin opens the back office
    response = signed_in(client, banten.users[Role.REGION_ADMIN]).get(
        url("dashboard", banten.region)
    )

    # then the oversight panel lists Kota Tangerang and no inactive neighbour
    assert dashboards_in(response) == {"admin", "province"}
    page = response.content.decode()
    assert "Kota Tangerang" in page
    assert "Kota Cilegon" not in page


def test_citizen_is_refused_the_back_office(client, world_a):
    response = signed_in(client, world_a.users[Role.CITIZEN]).get(url("dashboard", world_a.region))

    assert response.status_code == 403


def test_signed_out_visitor_is_sent_to_log_in(client, world_a):
    target = url("members", world_a.region)

    response = client.get(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next={target}" in response["Location"]


@pytest.mark.parametrize(
    "name", ["dashboard", "units", "members", "calendar", "sla", "modules", "profile", "audit"]
)
def test_staff_of_one_region_are_refused_another_regions_back_office(
    client, world_a, world_b, name
):
    # given the admin of Kota Bandung
    client = signed_in(client, world_a.users[Role.REGION_ADMIN])

    # when they open a back-office page of Kota Tangerang
    response = client.get(url(name, world_b.region))

    # then they are refused, and nothing of Tangerang is shown
    assert response.status_code == 403
    assert "@kota-tangerang.test" not in response.content.decode()


# The auditor ---------------------------------------------------------------------------------


def test_auditor_reads_and_filters_the_audit_log(client, world_a, world_b):
    # given events in both regions
    with transaction.atomic():
        audit_record(region=world_b.region, actor=None, action="unit.secret", reason="B-only")

    # when Bandung's auditor filters the log for unit events
    response = signed_in(client, world_a.users[Role.AUDITOR]).get(
        url("audit", world_a.region), {"action": "unit."}
    )

    # then Bandung's unit events are listed and nothing of Tangerang
    assert response.status_code == 200
    listed = [e.action for e in response.context["page"]]
    assert listed == ["unit.create", "unit.create"]
    assert "B-only" not in response.content.decode()


def test_auditor_downloads_the_audit_log_as_csv(client, world_a, world_b):
    response = signed_in(client, world_a.users[Role.AUDITOR]).get(url("audit-csv", world_a.region))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert rows[0].startswith("seq,time,actor,action")
    with region_scope(world_a.region):
        assert len(rows) == 1 + AuditEvent.objects.count()
    assert not any(world_b.region.slug in row for row in rows)


def test_audit_csv_cells_never_start_a_spreadsheet_formula(client, world_a):
    # given an event whose text someone made look like a formula
    region = world_a.region
    with transaction.atomic():
        audit_record(
            region=region,
            actor=None,
            action="unit.note",
            changes={"name": "=1+1"},
            reason='=HYPERLINK("http://evil.example","klik")',
        )

    # when the auditor downloads the log and opens it as a spreadsheet would
    response = signed_in(client, world_a.users[Role.AUDITOR]).get(url("audit-csv", region))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    # then the cell is plain text, and the changes are readable JSON
    row = next(r for r in rows if r[3] == "unit.note")
    assert row[8] == '\'=HYPERLINK("http://evil.example","klik")'
    assert json.loads(row[7]) == {"name": "=1+1"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_officer_may_not_read_the_audit_log(client, world_a):
    client = signed_in(client, world_a.users[Role.OFFICER])

    assert client.get(url("audit", world_a.region)).status_code == 403
    assert client.get(url("audit-csv", world_a.region)).status_code == 403


AUDITOR_POSTS: dict[str, dict[str, Any]] = {
    "dashboard": {},
    "units": {"code": "X", "name": "X", "kind": "dinas"},
    "units-import": {"file": "code,name,kind,parent_code\nX,X,dinas,\n"},
    "members": {"email": "x@example.test", "role": "auditor"},
    "modules": {},
    "calendar": {"date": "2030-01-02", "name": "Libur"},
    "sla": {"target": "sample.case:received", "working_days": 9},
    "profile": PROFILE,
    "audit": {},
    "audit-csv": {},
}


@pytest.mark.parametrize("name", sorted(AUDITOR_POSTS))
def test_every_post_by_the_auditor_is_refused(client, world_a, name):
    # given Bandung's auditor, who reads everything and changes nothing
    region = world_a.region
    before = event_count(region)
    data = dict(AUDITOR_POSTS[name])
    if "file" in data:
        data["file"] = upload(data["file"])

    # when they post to a back-office page
    response = signed_in(client, world_a.users[Role.AUDITOR]).post(url(name, region), data)

    # then it is refused and nothing is written
    assert response.status_code in {403, 405}
    assert event_count(region) == before
    assert set(units_of(region)) == {"DPMPTSP", "DINSOS"}
    assert ModuleActivation.objects.get(region=region, module="sample").enabled


# Language -----------------------------------------------------------------------------------


def test_pages_are_in_bahasa_indonesia_until_english_is_chosen(client, world_a):
    # given an officer on the back office, in the default language
    client = signed_in(client, world_a.users[Role.OFFICER])
    page = url("dashboard", world_a.region)
    before = client.get(page).content.decode()
    assert '<html lang="id"' in before
    assert "Ruang Kerja" in before

    # when they switch to English
    switched = client.post("/i18n/setlang/", {"language": "en", "next": page})

    # then they return to the page, now in English
    assert switched.status_code == 302
    assert switched["Location"] == page
    after = client.get(page).content.decode()
    assert '<html lang="en"' in after
    assert "Back office" in after
    assert "Ruang Kerja" not in after
