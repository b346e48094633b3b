"""Bulk import of recipient lists: CSV and XLSX, every row checked, all or nothing by
default, only the valid rows on request, the error report, progress, and nothing written
to the registry (or to another region) when it fails."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections

from lumbung.core.errors import DomainError, PermissionDenied
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.tests.factories import RegionWorld
from lumbung.grants.importing import run as run_module
from lumbung.grants.importing.rows import RowChecker, header_map
from lumbung.grants.models import ImportJob, Person
from lumbung.grants.nik import checker as nik_checker
from lumbung.grants.services.imports import import_start

from .bansos_factories import KELURAHAN_A, add_person, enable_grants, make_nik

HEADER = [
    "nik",
    "kk",
    "name",
    "birth_date",
    "sex",
    "address",
    "kelurahan_code",
    "phone",
    "welfare_decile",
]


@pytest.fixture
def gworld_a(world_a: RegionWorld) -> RegionWorld:
    return enable_grants(world_a)


@pytest.fixture
def gworld_b(world_b: RegionWorld) -> RegionWorld:
    return enable_grants(world_b)


def row(n: int, **over: str) -> list[str]:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=97 * n)
    sex = "P" if n % 2 else "L"
    values = {
        "nik": make_nik(birth, sex),
        "kk": f"3273{n:012d}",
        "name": f"Warga Nomor {n}",
        "birth_date": birth.isoformat(),
        "sex": sex,
        "address": f"Jl. Merdeka {n}",
        "kelurahan_code": KELURAHAN_A,
        "phone": f"08123456{n:04d}",
        "welfare_decile": str(n % 10 + 1),
    }
    values.update(over)
    return [values[c] for c in HEADER]


def csv_file(
    rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ","
) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("daftar.csv", out.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows: list[list[object]], header: list[str] = HEADER) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("daftar.xlsx", out.getvalue(), "application/octet-stream")


def run(world: RegionWorld, upload: SimpleUploadedFile, capture, **kwargs) -> ImportJob:
    with region_scope(world.region), capture(execute=True):
        job = import_start(
            region=world.region, actor=world.users[Role.OFFICER], file=upload, **kwargs
        )
    with region_scope(world.region):
        return ImportJob.objects.get(region=world.region, pk=job.pk)


def persons(world: RegionWorld) -> list[Person]:
    with region_scope(world.region):
        return list(Person.objects.filter(region=world.region).order_by("nik"))


def report_rows(job: ImportJob) -> list[dict[str, str]]:
    with job.error_report.open("rb") as raw:
        return list(csv.DictReader(io.StringIO(raw.read().decode())))


def test_a_valid_csv_is_imported_with_one_audit_event(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    # given
    rows = [row(n) for n in range(5)]
    # when
    job = run(gworld_a, csv_file(rows), django_capture_on_commit_callbacks)
    # then
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows, job.imported_rows, job.error_rows) == (5, 5, 5, 0)
    found = persons(gworld_a)
    assert sorted(p.nik for p in found) == sorted(r[0] for r in rows)
    first = next(p for p in found if p.nik == rows[1][0])
    assert (first.sex, first.birth_date, first.phone) == (
        "P",
        dt.date(1970, 4, 8),
        "+62812345600" + "01",
    )
    assert first.import_job_id == job.pk
    assert first.source == "import"
    with dangerously_unscoped():
        events = AuditEvent.objects.filter(action="grants.bansos_import", object_id=str(job.pk))
        assert events.count() == 1
        changes = events.get().changes
    assert (changes["rows"], changes["imported"], changes["added"], changes["updated"]) == (
        5,
        5,
        5,
        0,
    )


def test_indonesian_headers_any_case_and_semicolons(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    header = [
        " NIK ",
        "No KK",
        "Nama",
        "Tanggal Lahir",
        "Jenis Kelamin",
        "ALAMAT",
        "kode_desa",
        "No HP",
        "Desil",
    ]
    values = row(1)
    values[3] = "08/04/1970"
    values[4] = "perempuan"
    job = run(gworld_a, csv_file([values], header, ";"), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, report_rows(job)
    assert persons(gworld_a)[0].name == "Warga Nomor 1"


def test_an_xlsx_list_is_imported(gworld_a, django_capture_on_commit_callbacks) -> None:
    values: list[object] = list(row(3))
    values[3] = dt.datetime.fromisoformat(str(values[3]))  # a spreadsheet date cell
    values[8] = 4  # a number cell
    job = run(gworld_a, xlsx_file([values, list(row(4))]), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, report_rows(job)
    assert [p.welfare_decile for p in persons(gworld_a) if p.nik == values[0]] == [4]


def test_a_nik_stored_as_a_spreadsheet_number_is_refused(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    values: list[object] = list(row(3))
    values[0] = int(str(values[0]))
    job = run(gworld_a, xlsx_file([values]), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert [(r["row"], r["column"]) for r in report_rows(job)] == [("2", "nik")]


def test_any_error_imports_nothing_and_reports_every_bad_row(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    # given: one good row, then every kind of mistake
    good = row(0)
    bad = [
        row(1, nik="123"),
        row(2, kk="12"),
        row(3, birth_date="1999-01-01"),  # not the NIK's
        row(4, sex="P"),  # row 4 is a man's NIK
        row(5, welfare_decile="11"),
        row(6, kelurahan_code="36.71.01.1001"),  # Tangerang's
        row(7, name=""),
        row(8, phone="12"),
        good[:1] + row(9)[1:3] + good[3:5] + row(9)[5:],  # the NIK of row 2
        row(10, name=good[2], birth_date=good[3], nik=make_nik(dt.date(1970, 1, 1), "L")),
    ]
    # when
    job = run(gworld_a, csv_file([good, *bad]), django_capture_on_commit_callbacks)
    # then
    assert job.status == ImportJob.Status.FAILED
    assert (job.imported_rows, job.error_rows, job.processed_rows) == (0, 10, 11)
    assert persons(gworld_a) == []
    found = [(r["row"], r["column"], r["kind"]) for r in report_rows(job)]
    assert found == [
        ("3", "nik", "error"),
        ("4", "kk", "error"),
        ("5", "birth_date", "error"),
        ("6", "sex", "error"),
        ("7", "welfare_decile", "error"),
        ("8", "kelurahan_code", "error"),
        ("9", "name", "error"),
        ("10", "phone", "error"),
        ("11", "nik", "error"),
        ("12", "name", "error"),
    ]
    # The uploader sees the value as written, to find the row (documented).
    assert report_rows(job)[0]["value"] == "123"
    # "The same NIK as row 2." in whichever language is active
    assert report_rows(job)[8]["message"].rstrip(".").split()[-1] == "2"


def test_valid_only_imports_the_valid_rows(gworld_a, django_capture_on_commit_callbacks) -> None:
    rows = [row(0), row(1, welfare_decile="0"), row(2)]
    job = run(
        gworld_a, csv_file(rows), django_capture_on_commit_callbacks, mode=ImportJob.Mode.VALID_ONLY
    )
    assert job.status == ImportJob.Status.DONE
    assert (job.imported_rows, job.error_rows) == (2, 1)
    assert [p.nik for p in persons(gworld_a)] == sorted([rows[0][0], rows[2][0]])
    assert [r["row"] for r in report_rows(job)] == ["3"]


def test_the_same_nik_again_updates_the_person_and_keeps_what_the_list_leaves_blank(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    person = add_person(gworld_a, phone="081200000001", name="Siti", welfare_decile=2)
    values = row(
        1,
        nik=person.nik,
        birth_date=person.birth_date.isoformat(),
        sex=person.sex,
        name="Siti Aminah",
        phone="",
        welfare_decile="",
    )
    job = run(gworld_a, csv_file([values]), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    [found] = persons(gworld_a)
    assert (found.pk, found.name, found.phone, found.welfare_decile) == (
        person.pk,
        "Siti Aminah",
        "+6281200000001",
        2,
    )
    with dangerously_unscoped():
        changes = AuditEvent.objects.get(action="grants.bansos_import").changes
    assert (changes["added"], changes["updated"]) == (0, 1)


def test_a_possible_duplicate_in_the_registry_is_a_warning(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    person = add_person(gworld_a, name="Budi Santoso", birth_date=dt.date(1970, 1, 1))
    values = row(0, name="BUDI  santoso", nik=make_nik(dt.date(1970, 1, 1), "L"))
    job = run(gworld_a, csv_file([values]), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    [warning] = report_rows(job)
    assert warning["kind"] == "warning"
    assert person.nik[-4:] in warning["message"]
    assert person.nik not in warning["message"]


def test_a_file_without_the_required_columns_fails_with_one_line(
    gworld_a, django_capture_on_commit_callbacks
) -> None:
    job = run(gworld_a, csv_file([["x"]], ["alamat"]), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert [r["row"] for r in report_rows(job)] == ["1"]


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(gworld_a) -> None:
    upload = SimpleUploadedFile("daftar.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "text/csv")
    with region_scope(gworld_a.region), pytest.raises(DomainError) as refused:
        import_start(region=gworld_a.region, actor=gworld_a.users[Role.OFFICER], file=upload)
    assert refused.value.code == "bansos_import_file"


def test_only_registry_staff_may_import(gworld_a) -> None:
    with region_scope(gworld_a.region), pytest.raises(PermissionDenied):
        import_start(
            region=gworld_a.region, actor=gworld_a.users[Role.AUDITOR], file=csv_file([row(0)])
        )


def test_an_import_never_touches_another_region(
    gworld_a, gworld_b, django_capture_on_commit_callbacks
) -> None:
    # given: a person of region B with a NIK that region A's list also holds
    other = add_person(gworld_b, name="Warga Tangerang", kelurahan_code="36.71.01.1001")
    values = row(0, nik=other.nik, birth_date=other.birth_date.isoformat(), sex=other.sex)
    # when
    job = run(gworld_a, csv_file([values, row(1)]), django_capture_on_commit_callbacks)
    # then: A has its own person with that NIK; B's is unchanged
    assert job.status == ImportJob.Status.DONE
    assert len(persons(gworld_a)) == 2
    [still] = persons(gworld_b)
    assert (still.pk, still.name, still.import_job_id) == (other.pk, "Warga Tangerang", None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_is_visible_to_other_connections_while_the_import_runs(
    gworld_a, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    # given: chunks of two rows, and a page polling from its own connection
    monkeypatch.setattr(run_module, "CHUNK", 2)
    seen: list[tuple[int, int, str]] = []
    original = run_module.Progress.write
    page = connections.create_connection(DEFAULT_DB_ALIAS)

    def spy(self, processed, total, **extra):
        original(self, processed, total, **extra)
        with page.cursor() as cursor:
            cursor.execute(
                "SELECT processed_rows, total_rows, status FROM grants_importjob WHERE id = %s",
                [self.job.pk],
            )
            seen.append(tuple(cursor.fetchone()))

    monkeypatch.setattr(run_module.Progress, "write", spy)
    # when
    try:
        job = run(
            gworld_a, csv_file([row(n) for n in range(5)]), django_capture_on_commit_callbacks
        )
    finally:
        page.close()
    # then
    assert job.status == ImportJob.Status.DONE
    assert seen == [
        (0, 0, "running"),
        (0, 5, "running"),
        (2, 5, "running"),
        (4, 5, "running"),
        (5, 5, "running"),
    ]


def test_a_failure_while_writing_leaves_nothing_half_written(
    gworld_a, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    def broken(self, **kwargs):
        with __import__("django.db").db.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO grants_person (region_id, nik, kk, name, birth_date, sex, address, "
                "kelurahan_code, phone, source, created_at, updated_at) SELECT %s, nik, kk, name, "
                "birth_date, sex, address, kelurahan_code, phone, 'import', %s, %s "
                f"FROM {self.table}",
                [kwargs["region_id"], kwargs["now"], kwargs["now"]],
            )
        raise RuntimeError("disk full")

    monkeypatch.setattr(run_module.Stage, "upsert", broken)
    # when: the task fails (the task backend records the exception)
    job = run(gworld_a, csv_file([row(0), row(1)]), django_capture_on_commit_callbacks)
    # then
    assert persons(gworld_a) == []
    assert job.status == ImportJob.Status.FAILED


# --- The fast path of the row check --------------------------------------------------------


def _checker(region_code: str = "32.73") -> RowChecker:
    return RowChecker(region_code, header_map(HEADER), nik_checker(dt.date(2026, 6, 1)))


_FAST_CASES = [
    {},
    {"kk": "", "birth_date": "", "sex": "", "address": "", "phone": "", "welfare_decile": ""},
    {"kelurahan_code": ""},
    {"birth_date": "01/01/1970"},
    {"birth_date": "1870-01-01"},  # another century than the NIK's inferred one: the date
    {"birth_date": "2070-01-01"},  # settles it, unless it is in the future
    {"birth_date": "1970-01-02"},
    {"birth_date": "1970-02-30"},
    {"sex": "l"},
    {"sex": "P"},
    {"sex": "perempuan"},
    {"name": "  Warga   Nomor 0 "},
    {"name": "Warga\tNomor"},
    {"name": "Warga\x00Nomor"},
    {"name": "Warga\u00a0Nomor"},
    {"name": ""},
    {"name": "x" * 151},
    {"address": "Jl.  Merdeka"},
    {"address": "y" * 301},
    {"kk": "3273 0000 0000 0001"},
    {"kk": "327300000000001"},
    {"phone": "0812-3456-7890"},
    {"phone": "081234567"},
    {"phone": "+6281234567890"},
    {"welfare_decile": "10"},
    {"welfare_decile": "11"},
    {"welfare_decile": "5.0"},
    {"welfare_decile": " 5"},
    {"kelurahan_code": "3273011001"},
    {"kelurahan_code": "32.73.01.9999"},
    {"kelurahan_code": "32.71.01.1001"},
    {"nik": " 3273014101700001"},
    {"nik": "3273000101700001"},
    {"nik": "3273010101700000"},
    {"nik": "9973010101700001"},
    {"nik": "3273013201700001"},
]


@pytest.mark.parametrize("over", _FAST_CASES)
def test_the_fast_path_stages_a_row_exactly_as_the_full_check(over: dict[str, str]) -> None:
    # given: a row of the list, changed in one way
    cells = row(0, **over)
    # when
    fast = _checker().check(2, list(cells))
    full = _checker()
    slow = full.check_slow(2, list(cells))
    # then: the same staged row (or the same refusal)
    assert fast == slow
    assert (fast is None) == bool(full.errors)


def test_the_fast_path_takes_the_common_row() -> None:
    # given
    check = _checker()
    # when
    staged = check._fast.check(2, row(0))
    # then: accepted without the full check, phone in the registry's form
    assert staged is not None
    assert staged.phone == "+628123456" + "0000"


def test_the_fast_path_leaves_repeats_to_the_full_check() -> None:
    # given: the same NIK twice, then the same person under another NIK
    check = _checker()
    first = row(0)
    again = row(1, nik=first[0], birth_date=first[3], sex=first[4], name="Someone Else")
    twin = row(2, name="Warga Nomor 0", birth_date=first[3], kelurahan_code=first[6])
    twin[0] = first[0][:12] + "9999"
    twin[4] = first[4]
    # when
    results = [check.check(2, first), check.check(3, again), check.check(4, twin)]
    # then
    assert results[0] is not None
    assert results[1:] == [None, None]
    assert [(e.row, e.column) for e in check.errors] == [(3, "nik"), (4, "name")]
