"""The region admin's back-office screens: units (and CSV import), people and roles,
modules, the calendar, deadlines and the profile. Bad input shows field errors with 422 and
writes nothing; every write is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.core.models import Membership, ModuleActivation, RegionHoliday, SlaOverride, User
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.backoffice import (
    PROFILE,
    event_count,
    events,
    signed_in,
    timezone_year,
    units_of,
    upload,
    url,
)

pytestmark = pytest.mark.django_db


# Units ------------------------------------------------------------------------------------


def test_region_admin_adds_a_unit_under_a_parent(client, world_a):
    # given the admin of Kota Bandung
    region = world_a.region
    admin = world_a.users[Role.REGION_ADMIN]

    # when they add a unit under DINSOS
    response = signed_in(client, admin).post(
        url("units", region),
        {
            "code": "DINSOS-BANSOS",
            "name": "Bidang Bansos",
            "kind": "bagian",
            "parent": world_a.other_unit.pk,
        },
    )

    # then the unit exists under its parent, and the write is audited with its actor
    assert response.status_code == 302
    unit = units_of(region)["DINSOS-BANSOS"]
    assert unit.parent == world_a.other_unit
    event = events(region, "unit.create")[-1]
    assert event.actor == admin
    assert event.object_id == str(unit.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "", "name": "Nama", "kind": "dinas"}, "code"),
        ({"code": "X", "name": "", "kind": "dinas"}, "name"),
        ({"code": "X", "name": "Nama", "kind": "ministry"}, "kind"),
        ({"code": "DINSOS", "name": "Duplikat", "kind": "dinas"}, "code"),  # taken
        ({"code": "X", "name": "Nama", "kind": "dinas", "email": "not-an-email"}, "email"),
    ],
    ids=["no-code", "no-name", "bad-kind", "taken-code", "bad-email"],
)
def test_bad_unit_input_shows_field_errors_and_writes_nothing(client, world_a, data, field):
    # given the admin and the region's audit log so far
    region = world_a.region
    before = event_count(region)

    # when they submit a bad unit
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(url("units", region), data)

    # then the page answers 422 with the error next to the field, and nothing is written
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert set(units_of(region)) == {"DPMPTSP", "DINSOS"}
    assert event_count(region) == before


def test_another_regions_unit_cannot_be_chosen_as_parent(client, world_a, world_b):
    # given a unit of Kota Tangerang
    theirs = world_b.other_unit

    # when Bandung's admin names it as the parent of a new unit
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("units", world_a.region),
        {"code": "NEW", "name": "Baru", "kind": "dinas", "parent": theirs.pk},
    )

    # then it is an invalid choice, and nothing is written in either region
    assert response.status_code == 422
    assert "parent" in response.context["form"].errors
    assert "NEW" not in units_of(world_a.region)
    assert "NEW" not in units_of(world_b.region)


def test_officer_cannot_add_a_unit(client, world_a):
    response = signed_in(client, world_a.users[Role.OFFICER]).post(
        url("units", world_a.region), {"code": "X", "name": "X", "kind": "dinas"}
    )

    assert response.status_code == 403
    assert "X" not in units_of(world_a.region)


def test_region_admin_imports_a_unit_tree_from_csv(client, world_a):
    # given a file with a new unit under a new parent, and a change to an existing one
    region = world_a.region
    csv_text = (
        "code,name,kind,parent_code,short_name,email\n"
        "KEC-A,Kecamatan Andir,kecamatan,,Andir,\n"
        "KEL-A1,Kelurahan Ciroyom,kelurahan,KEC-A,,\n"
        "DINSOS,Dinas Sosial Kota,dinas,,Dinsos,dinsos@example.go.id\n"
    )

    # when the admin uploads it
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("units-import", region), {"file": upload(csv_text)}
    )

    # then the tree is in place and the import is one audited event
    assert response.status_code == 302
    units = units_of(region)
    assert units["KEL-A1"].parent == units["KEC-A"]
    assert units["DINSOS"].name == "Dinas Sosial Kota"
    [event] = events(region, "unit.import")
    assert event.changes == {"created": 2, "updated": 1}


def test_bad_csv_gets_a_row_level_report_and_writes_nothing(client, world_a):
    # given a file with a good row, a row of unknown kind and a row with a missing parent
    region = world_a.region
    before = event_count(region)
    csv_text = (
        "code,name,kind,parent_code\n"
        "KEC-A,Kecamatan Andir,kecamatan,\n"
        "KEL-A1,Kelurahan Ciroyom,village,KEC-A\n"
        "KEL-A2,Kelurahan Dungus,kelurahan,KEC-Z\n"
    )

    # when the admin uploads it
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("units-import", region), {"file": upload(csv_text)}
    )

    # then each wrong row is reported by line and column, and not even the good row is saved
    assert response.status_code == 422
    report = response.context["report"]
    assert [(line, column) for line, column, _msg in report.errors] == [
        (3, "kind"),
        (4, "parent_code"),
    ]
    page = response.content.decode()
    assert "KEC-Z" in page
    assert set(units_of(region)) == {"DPMPTSP", "DINSOS"}
    assert event_count(region) == before


def test_csv_that_is_not_utf8_is_refused(client, world_a):
    text = "code,name,kind,parent_code\nA,Dinas Pariwisata é,dinas,\n"
    latin1 = SimpleUploadedFile("u.csv", text.encode("latin-1"))

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("units-import", world_a.region), {"file": latin1}
    )

    assert response.status_code == 422
    assert "file" in response.context["form"].errors
    assert set(units_of(world_a.region)) == {"DPMPTSP", "DINSOS"}


# People and roles -------------------------------------------------------------------------


def test_region_admin_grants_a_role_to_a_new_person(client, world_a):
    # given the admin of Kota Bandung
    region = world_a.region

    # when they make a new person an officer of DPMPTSP
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("members", region),
        {
            "email": "Baru@Bandung.go.id",
            "full_name": "Pegawai Baru",
            "role": "officer",
            "unit": world_a.unit.pk,
            "title": "Analis",
        },
    )

    # then the person exists, holds the role, and the grant is audited
    assert response.status_code == 302
    with region_scope(region):
        member = Membership.objects.select_related("user").get(user__email="baru@bandung.go.id")
    assert (member.role, member.unit, member.title) == ("officer", world_a.unit, "Analis")
    assert events(region, "membership.grant")[-1].object_id == str(member.pk)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "not-an-email", "role": "officer"}, "email"),
        ({"email": "x@example.test", "role": "platform_operator"}, "role"),
        ({"email": "x@example.test", "role": "officer", "unit": 999999}, "unit"),
    ],
    ids=["bad-email", "platform-role", "unknown-unit"],
)
def test_bad_grant_shows_field_errors_and_writes_nothing(client, world_a, data, field):
    region = world_a.region
    before = event_count(region)

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("members", region), data
    )

    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not User.objects.filter(email="x@example.test").exists()
    assert event_count(region) == before


def test_region_admin_revokes_a_role_with_a_reason(client, world_a):
    # given the officer's membership
    region = world_a.region
    with region_scope(region):
        member = Membership.objects.get(user=world_a.users[Role.OFFICER])

    # when the admin revokes it
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("members", region), {"revoke": member.pk, "reason": "Mutasi"}
    )

    # then it is inactive and the revocation is audited with its reason
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    [event] = events(region, "membership.revoke")
    assert (event.object_id, event.reason) == (str(member.pk), "Mutasi")


@pytest.mark.parametrize("value", ["other-region", "abc", ""])
def test_revoking_what_is_not_a_membership_here_is_404(client, world_a, world_b, value):
    # given a membership of Kota Tangerang
    with region_scope(world_b.region):
        theirs = Membership.objects.get(user=world_b.users[Role.OFFICER])
    target = theirs.pk if value == "other-region" else value

    # when Bandung's admin tries to revoke it (or sends garbage)
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("members", world_a.region), {"revoke": target}
    )

    # then it is "not found" and Tangerang's membership is untouched
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert events(world_a.region, "membership.revoke") == []


# Modules, calendar, deadlines, profile ------------------------------------------------------


def test_region_admin_switches_a_module_off_and_on(client, world_a, world_b):
    # given Kota Bandung with the sample module on
    region = world_a.region
    client = signed_in(client, world_a.users[Role.REGION_ADMIN])

    # when the admin saves the module form with it unticked
    off = client.post(url("modules", region), {})

    # then it is off here (its pages are 404), still on in Tangerang, and audited
    assert off.status_code == 302
    assert not ModuleActivation.objects.get(region=region, module="sample").enabled
    assert client.get(f"/{region.slug}/sample/").status_code == 404
    assert client.get(f"/{world_b.region.slug}/sample/").status_code == 200
    assert len(events(region, "module.disable")) == 1

    # when it is ticked again, then it is back on
    client.post(url("modules", region), {"sample": "on"})
    assert client.get(f"/{region.slug}/sample/").status_code == 200
    assert len(events(region, "module.enable")) == 2  # once at set-up, once now


def test_region_admin_adds_and_removes_a_local_holiday(client, world_a):
    region = world_a.region
    client = signed_in(client, world_a.users[Role.REGION_ADMIN])
    day = dt.date(timezone_year(), 9, 25)

    # when the admin declares the city's anniversary a holiday
    added = client.post(url("calendar", region), {"date": day.isoformat(), "name": "Hari Jadi"})

    # then it is a holiday of Bandung, audited
    assert added.status_code == 302
    with region_scope(region):
        holiday = RegionHoliday.objects.get(date=day)
    assert holiday.name == "Hari Jadi"
    assert events(region, "calendar.holiday_set")[-1].object_id == str(holiday.pk)

    # when they remove it again, then it is gone, audited
    client.post(url("calendar", region), {"remove": holiday.pk})
    with region_scope(region):
        assert not RegionHoliday.objects.filter(date=day).exists()
    assert len(events(region, "calendar.holiday_remove")) == 1


def test_bad_holiday_shows_field_errors_and_writes_nothing(client, world_a):
    region = world_a.region
    before = event_count(region)

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("calendar", region), {"date": "31-31-2026", "name": ""}
    )

    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"date", "name"}
    assert event_count(region) == before


@pytest.mark.parametrize("value", ["other-region", "abc"])
def test_removing_a_holiday_that_is_not_ours_changes_nothing(client, world_a, world_b, value):
    # given a holiday of Kota Tangerang
    with region_scope(world_b.region):
        theirs = RegionHoliday.objects.create(
            region=world_b.region, date=dt.date(timezone_year(), 3, 3), name="Hari Jadi Tangerang"
        )
    target = theirs.pk if value == "other-region" else value

    # when Bandung's admin asks to remove it (or sends garbage)
    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("calendar", world_a.region), {"remove": target}
    )

    # then nothing happens to Tangerang's calendar and nothing is audited
    assert response.status_code in {302, 404}
    with region_scope(world_b.region):
        assert RegionHoliday.objects.filter(pk=theirs.pk).exists()
    assert events(world_a.region, "calendar.holiday_remove") == []


def test_region_admin_sets_and_clears_a_deadline(client, world_a):
    region = world_a.region
    client = signed_in(client, world_a.users[Role.REGION_ADMIN])

    # when the admin gives "received" sample cases 2 working days
    response = client.post(
        url("sla", region), {"target": "sample.case:received", "working_days": 2}
    )

    # then the override exists and is audited as old -> new
    assert response.status_code == 302
    with region_scope(region):
        assert SlaOverride.objects.get(workflow="sample.case", state="received").working_days == 2
    assert events(region, "sla.set")[-1].changes == {"sample.case.received": [None, 2]}

    # when the field is left empty, then the default applies again
    client.post(url("sla", region), {"target": "sample.case:received", "working_days": ""})
    with region_scope(region):
        assert not SlaOverride.objects.exists()
    assert events(region, "sla.set")[-1].changes == {"sample.case.received": [2, None]}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target": "sample.case:received", "working_days": 0}, "working_days"),
        ({"target": "sample.case:received", "working_days": 400}, "working_days"),
        ({"target": "sample.case:resolved", "working_days": 3}, "target"),  # terminal
        ({"target": "nope:received", "working_days": 3}, "target"),
    ],
    ids=["zero", "too-many", "terminal-state", "unknown-workflow"],
)
def test_bad_deadline_shows_field_errors_and_writes_nothing(client, world_a, data, field):
    region = world_a.region
    before = event_count(region)

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(url("sla", region), data)

    assert response.status_code == 422
    assert field in response.context["form"].errors
    with region_scope(region):
        assert not SlaOverride.objects.exists()
    assert event_count(region) == before


def test_region_admin_edits_the_profile(client, world_a):
    region = world_a.region

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("profile", region), PROFILE
    )

    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.title, region.tagline, region.primary_color) == (
        "Pemerintah Kota Bandung",
        "Bandung Juara",
        "#123456",
    )
    [event] = events(region, "region.update")
    assert event.changes["tagline"] == ["", "Bandung Juara"]


def test_bad_profile_shows_field_errors_and_changes_nothing(client, world_a):
    region = world_a.region
    before = event_count(region)

    response = signed_in(client, world_a.users[Role.REGION_ADMIN]).post(
        url("profile", region), {**PROFILE, "contact_email": "not-an-email"}
    )

    assert response.status_code == 422
    assert "contact_email" in response.context["form"].errors
    region.refresh_from_db()
    assert region.tagline == ""
    assert event_count(region) == before
