"""Units (OPD): creating and editing them with field-level errors, keeping the tree free of
loops, and importing a whole tree from CSV all or nothing, with a row-level report."""

from __future__ import annotations

from typing import Any

import pytest

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditChainHead, AuditEvent, Unit
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.audit import chain_key
from lumbung.core.services.units import ImportReport, unit_create, unit_update, units_import_csv
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.factories import RegionWorld

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,parent_code,short_name,email\n"


def create(world: RegionWorld, **data: Any) -> Unit:
    with region_scope(world.region):
        return unit_create(region=world.region, actor=world.users[Role.REGION_ADMIN], data=data)


def update(world: RegionWorld, unit: Unit, **data: Any) -> Unit:
    with region_scope(world.region):
        return unit_update(
            region=world.region, actor=world.users[Role.REGION_ADMIN], unit=unit, data=data
        )


def refused(call: Any, *args: Any, **kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def import_csv(world: RegionWorld, content: str) -> ImportReport:
    with region_scope(world.region):
        return units_import_csv(
            region=world.region, actor=world.users[Role.REGION_ADMIN], content=content
        )


def tree(world: RegionWorld) -> dict[str, str | None]:
    """{code: parent code} of every unit of the region."""
    with region_scope(world.region):
        return dict(Unit.objects.filter(region=world.region).values_list("code", "parent__code"))


def head(world: RegionWorld) -> int:
    row = AuditChainHead.objects.filter(chain=chain_key(world.region)).first()
    return row.last_seq if row else 0


def last_event(world: RegionWorld) -> AuditEvent:
    with region_scope(world.region):
        return AuditEvent.objects.filter(region=world.region).latest("seq")


# --- unit_create --------------------------------------------------------------------------


def test_unit_create_adds_a_unit_under_its_parent_with_an_event(world_a: RegionWorld) -> None:
    # given Bandung's DPMPTSP
    # when the admin adds a bidang under it
    unit = create(
        world_a,
        code=" DPMPTSP-PB ",
        name="Bidang Perizinan Berusaha",
        kind=UnitKind.BAGIAN,
        parent=world_a.unit,
        email="perizinan@bandung.go.id",
    )

    # then it sits under DPMPTSP, trimmed, and the chain records who added it
    assert (unit.code, unit.parent, unit.region) == ("DPMPTSP-PB", world_a.unit, world_a.region)
    event = last_event(world_a)
    assert (event.action, event.object_id) == ("unit.create", str(unit.pk))
    assert event.actor == world_a.users[Role.REGION_ADMIN]
    assert event.changes["parent"] == "DPMPTSP"


def test_unit_create_names_every_wrong_field_and_writes_nothing(world_a: RegionWorld) -> None:
    # given Bandung's units and chain as they stand
    units, seq = tree(world_a), head(world_a)

    # when a unit is submitted without code or name, with an unknown kind and a bad email
    error = refused(create, world_a, code=" ", name="", kind="kantor", email="bukan-email")

    # then each field says what is wrong, and nothing was written
    assert error.code == ErrorCode.VALIDATION
    assert set(error.field_errors) == {"code", "name", "kind", "email"}
    assert (tree(world_a), head(world_a)) == (units, seq)


def test_unit_create_refuses_values_longer_than_the_columns(world_a: RegionWorld) -> None:
    # given / when a code and name longer than the columns allow
    error = refused(create, world_a, code="X" * 41, name="N" * 201, kind=UnitKind.DINAS)

    # then both fields are named instead of the database failing
    assert set(error.field_errors) == {"code", "name"}


def test_unit_create_refuses_a_code_already_used_in_the_region(world_a: RegionWorld) -> None:
    # given Bandung already has DPMPTSP
    # when another unit is added with that code
    error = refused(create, world_a, code="DPMPTSP", name="Dinas Lain", kind=UnitKind.DINAS)

    # then the code field says so
    assert error.code == ErrorCode.VALIDATION
    assert set(error.field_errors) == {"code"}


def test_the_same_code_may_exist_in_another_region(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given both regions have a DPMPTSP, and Tangerang adds a code Bandung also adds
    create(world_a, code="DISDIK", name="Dinas Pendidikan", kind=UnitKind.DINAS)

    # when Tangerang adds the same code
    unit = create(world_b, code="DISDIK", name="Dinas Pendidikan", kind=UnitKind.DINAS)

    # then it is Tangerang's own unit
    assert unit.region == world_b.region


def test_a_parent_from_another_region_is_refused(
    world_a: RegionWorld, world_b: RegionWorld
) -> None:
    # given / when Bandung adds a unit under Tangerang's DPMPTSP
    error = refused(create, world_a, code="X", name="X", kind=UnitKind.BAGIAN, parent=world_b.unit)

    # then the parent is unknown to Bandung
    assert set(error.field_errors) == {"parent"}
    assert "X" not in tree(world_a)


# --- unit_update --------------------------------------------------------------------------


def test_unit_update_records_old_and_new_values(world_a: RegionWorld) -> None:
    # given DPMPTSP
    # when the admin renames it and moves it under Dinas Sosial
    update(world_a, world_a.unit, name="Dinas Penanaman Modal", parent=world_a.other_unit)

    # then the unit changed and the event holds each change, old -> new
    assert tree(world_a)["DPMPTSP"] == "DINSOS"
    event = last_event(world_a)
    assert event.action == "unit.update"
    assert event.changes == {
        "name": ["DPMPTSP", "Dinas Penanaman Modal"],
        "parent": ["", "Dinas Sosial"],
    }


def test_unit_update_that_changes_nothing_records_nothing(world_a: RegionWorld) -> None:
    # given DPMPTSP and the chain as it stands
    seq = head(world_a)

    # when it is saved with its own values (its own code is not a duplicate of itself)
    update(world_a, world_a.unit, code="DPMPTSP", name="DPMPTSP")

    # then there is no event
    assert head(world_a) == seq


def test_unit_update_refuses_another_unit_code(world_a: RegionWorld) -> None:
    # given / when DPMPTSP is given Dinas Sosial's code
    error = refused(update, world_a, world_a.unit, code="DINSOS")

    # then the code field says so and nothing changed
    assert set(error.field_errors) == {"code"}
    assert set(tree(world_a)) == {"DPMPTSP", "DINSOS"}


def test_unit_update_names_wrong_fields(world_a: RegionWorld) -> None:
    # given / when DPMPTSP is given an empty name, unknown kind and bad email
    error = refused(update, world_a, world_a.unit, name=" ", kind="kantor", email="a@")

    # then each field is named
    assert set(error.field_errors) == {"name", "kind", "email"}


def test_a_unit_cannot_sit_under_itself(world_a: RegionWorld) -> None:
    # given / when DPMPTSP is put under DPMPTSP
    error = refused(update, world_a, world_a.unit, parent=world_a.unit)

    # then it is a loop
    assert error.code == ErrorCode.UNIT_CYCLE
    assert tree(world_a)["DPMPTSP"] is None


def test_a_unit_cannot_sit_under_its_own_descendant(world_a: RegionWorld) -> None:
    # given Bidang Perizinan under DPMPTSP, and a Seksi under that bidang
    bidang = create(
        world_a, code="PB", name="Bidang Perizinan", kind=UnitKind.BAGIAN, parent=world_a.unit
    )
    create(world_a, code="PB-1", name="Seksi Perizinan", kind=UnitKind.OTHER, parent=bidang)
    with region_scope(world_a.region):
        seksi = Unit.objects.get(region=world_a.region, code="PB-1")

    # when DPMPTSP is moved under the seksi
    error = refused(update, world_a, world_a.unit, parent=seksi)

    # then it is refused as a loop, naming the parent field, and the tree is unchanged
    assert error.code == ErrorCode.UNIT_CYCLE
    assert set(error.field_errors) == {"parent"}
    assert tree(world_a) == {"DPMPTSP": None, "DINSOS": None, "PB": "DPMPTSP", "PB-1": "PB"}


# --- units_import_csv -------------------------------------------------------------------------


GOOD = (
    HEADER
    + "SETDA,Sekretariat Daerah,sekretariat,,Setda,setda@bandung.go.id\n"
    + "SETDA-HUKUM,Bagian Hukum,bagian,SETDA,,\n"
    + "DISHUB,Dinas Perhubungan,dinas,,Dishub,\n"
    + "DISHUB-LL,Bidang Lalu Lintas,bagian,DISHUB,,\n"
)


def test_a_good_file_creates_the_whole_tree(world_a: RegionWorld) -> None:
    # given / when a CSV with two units and a child of each is imported
    report = import_csv(world_a, GOOD)

    # then all four exist under the right parents, with one event for the import
    assert report.ok
    assert (report.created, report.updated) == (4, 0)
    assert tree(world_a) == {
        "DPMPTSP": None,
        "DINSOS": None,
        "SETDA": None,
        "SETDA-HUKUM": "SETDA",
        "DISHUB": None,
        "DISHUB-LL": "DISHUB",
    }
    with region_scope(world_a.region):
        setda = Unit.objects.get(region=world_a.region, code="SETDA")
    assert (setda.short_name, setda.email, setda.kind) == (
        "Setda",
        "setda@bandung.go.id",
        UnitKind.SEKRETARIAT,
    )
    event = last_event(world_a)
    assert (event.action, event.changes) == ("unit.import", {"created": 4, "updated": 0})


def test_a_parent_may_be_defined_later_in_the_file(world_a: RegionWorld) -> None:
    # given a file whose child rows come before their parents
    content = (
        HEADER
        + "KEC-1-KEL-1,Kelurahan Braga,kelurahan,KEC-1,,\n"
        + "KEC-1,Kecamatan Sumur Bandung,kecamatan,,,\n"
    )

    # when it is imported
    report = import_csv(world_a, content)

    # then the child sits under the parent all the same
    assert report.ok
    assert tree(world_a)["KEC-1-KEL-1"] == "KEC-1"


def test_a_parent_may_be_an_existing_unit(world_a: RegionWorld) -> None:
    # given / when a file adds a bidang under the existing DPMPTSP
    report = import_csv(world_a, HEADER + "DPMPTSP-PB,Bidang Perizinan,bagian,DPMPTSP,,\n")

    # then it is placed there
    assert report.ok
    assert tree(world_a)["DPMPTSP-PB"] == "DPMPTSP"


def test_a_file_with_errors_lists_each_row_and_column_and_writes_nothing(
    world_a: RegionWorld,
) -> None:
    # given a file with one good row and a mistake in each of the others
    content = (
        HEADER
        + "DISHUB,Dinas Perhubungan,dinas,,,\n"  # 2: fine
        + "DISDIK,,dinas,,,\n"  # 3: no name
        + "DINKES,Dinas Kesehatan,rumah_sakit,,,\n"  # 4: unknown kind
        + "UPT-1,UPT Parkir,other,DISPARKIR,,\n"  # 5: unknown parent
        + "DISHUB,Dinas Perhubungan Lagi,dinas,,,\n"  # 6: code twice in the file
        + ",Tanpa Kode,dinas,,,\n"  # 7: no code
        + "DISPORA,Dinas Pemuda dan Olahraga,dinas,,,pora@\n"  # 8: bad email
        + f"{'K' * 41},Kode Kepanjangan,dinas,,,\n"  # 9: code too long
        + "SELF,Di Bawah Diri Sendiri,bagian,SELF,,\n"  # 10: its own parent
    )
    units, seq = tree(world_a), head(world_a)

    # when it is imported
    report = import_csv(world_a, content)

    # then the report names each wrong row and column, and nothing at all was written
    assert not report.ok
    assert sorted((line, column) for line, column, _message in report.errors) == [
        (3, "name"),
        (4, "kind"),
        (5, "parent_code"),
        (6, "code"),
        (7, "code"),
        (8, "email"),
        (9, "code"),
        (10, "parent_code"),
    ]
    assert all(message for _line, _column, message in report.errors)
    assert (report.created, report.updated) == (0, 0)
    assert (tree(world_a), head(world_a)) == (units, seq)


def test_a_file_missing_a_required_column_is_refused_at_the_header(
    world_a: RegionWorld,
) -> None:
    # given / when a file without the kind column is imported
    report = import_csv(world_a, "code,name,parent_code\nDISHUB,Dinas Perhubungan,\n")

    # then line 1 names the missing column and nothing was written
    assert [(line, column) for line, column, _m in report.errors] == [(1, "kind")]
    assert "DISHUB" not in tree(world_a)


def test_a_loop_within_the_file_is_reported_not_raised(world_a: RegionWorld) -> None:
    # given a file where A sits under B and B under A
    content = HEADER + "A,Unit A,bagian,B,,\nB,Unit B,bagian,A,,\n"
    seq = head(world_a)

    # when it is imported
    report = import_csv(world_a, content)

    # then both rows are reported on parent_code and nothing was written
    assert [(line, column) for line, column, _m in report.errors] == [
        (2, "parent_code"),
        (3, "parent_code"),
    ]
    assert "A" not in tree(world_a)
    assert head(world_a) == seq


def test_a_loop_through_existing_units_is_reported(world_a: RegionWorld) -> None:
    # given DPMPTSP exists; a file puts a new bidang under DPMPTSP and DPMPTSP under it
    content = (
        HEADER
        + "PB,Bidang Perizinan,bagian,DPMPTSP,,\n"
        + "DPMPTSP,Dinas Penanaman Modal dan PTSP,dinas,PB,,\n"
    )

    # when it is imported
    report = import_csv(world_a, content)

    # then the loop is reported and DPMPTSP is untouched
    assert {column for _line, column, _m in report.errors} == {"parent_code"}
    assert tree(world_a) == {"DPMPTSP": None, "DINSOS": None}


def test_re_importing_updates_units_in_place(world_a: RegionWorld) -> None:
    # given the good file imported once
    import_csv(world_a, GOOD)
    with region_scope(world_a.region):
        ids = dict(Unit.objects.filter(region=world_a.region).values_list("code", "pk"))

    # when a corrected file is imported: Dishub renamed, the Lalu Lintas bidang moved
    corrected = GOOD.replace("Dinas Perhubungan,dinas", "Dinas Perhubungan Kota,dinas").replace(
        "DISHUB-LL,Bidang Lalu Lintas,bagian,DISHUB", "DISHUB-LL,Bidang Lalu Lintas,bagian,SETDA"
    )
    report = import_csv(world_a, corrected)

    # then the same rows were updated, none created
    assert report.ok
    assert (report.created, report.updated) == (0, 4)
    with region_scope(world_a.region):
        after = dict(Unit.objects.filter(region=world_a.region).values_list("code", "pk"))
        dishub = Unit.objects.get(region=world_a.region, code="DISHUB")
    assert after == ids
    assert dishub.name == "Dinas Perhubungan Kota"
    assert tree(world_a)["DISHUB-LL"] == "SETDA"


def test_a_file_saved_with_a_byte_order_mark_is_read(world_a: RegionWorld) -> None:
    # given / when a spreadsheet's UTF-8 export, which starts with a BOM, is imported
    report = import_csv(world_a, "\ufeff" + HEADER + "DISKAN,Dinas Perikanan,dinas,,,\n")

    # then the first column is still "code"
    assert report.ok
    assert "DISKAN" in tree(world_a)


def test_an_import_touches_only_its_own_region(world_a: RegionWorld, world_b: RegionWorld) -> None:
    # given / when Bandung imports a file naming a DPMPTSP parent (Tangerang has one too)
    import_csv(world_a, HEADER + "DPMPTSP-PB,Bidang Perizinan,bagian,DPMPTSP,,\n")

    # then the child sits under Bandung's DPMPTSP, and Tangerang is unchanged
    with region_scope(world_a.region):
        child = Unit.objects.get(region=world_a.region, code="DPMPTSP-PB")
    assert child.parent_id == world_a.unit.pk
    assert tree(world_b) == {"DPMPTSP": None, "DINSOS": None}


@pytest.mark.django_db
def test_csv_with_bare_carriage_returns_or_broken_quotes_is_a_report_not_a_crash(world_a):
    from lumbung.core.services.units import units_import_csv
    from lumbung.core.tenancy import region_scope

    with region_scope(world_a.region):
        # old Mac line ends are read as line ends
        mac = units_import_csv(
            region=world_a.region,
            actor=None,
            content="code,name,kind,parent_code\rX1,Satu,dinas,\r",
        )
        assert mac.ok, mac.errors
        # a field past the csv module's size limit is reported, not a server error
        huge = "x" * 200_000
        broken = units_import_csv(
            region=world_a.region,
            actor=None,
            content=f"code,name,kind,parent_code\nX2,{huge},dinas,\n",
        )
    assert not broken.ok
    assert "CSV" in broken.errors[0][2]
