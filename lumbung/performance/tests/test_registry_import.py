"""Importing the staff registry: creating and updating in one file with supervisors defined
further down, every kind of bad row reported by row and column with nothing written, a
move by import becoming a posting, XLSX, and a bounded number of queries per file."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lumbung.core.models import AuditEvent
from lumbung.core.tenancy import region_scope

from ..models import Employee, ImportRun, Posting
from ..registry.imports import report_csv, staff_import
from .factories import NIPS, PerfWorld

pytestmark = pytest.mark.django_db

HEADER = "nip,name,unit_code,position,job_grade,employment_type,supervisor_nip,active_from"
BOSS, ANALYST = "197203032000031001", "199001012015031002"


def run_import(perf: PerfWorld, text: str, name: str = "staff.csv") -> ImportRun:
    with region_scope(perf.region):
        return staff_import(region=perf.region, actor=perf.admin,
                            file=io.BytesIO(text.encode()), filename=name)  # fmt: skip


def problems(run: ImportRun) -> set[tuple[int, str]]:
    return {(e["row"], e["field"]) for e in run.errors}


def test_a_file_creates_and_updates_with_a_supervisor_defined_further_down(perf_a):
    text = "\n".join([
        HEADER + ",effective_date",
        f"{ANALYST},Rina,DINSOS,Analis,7,PNS,{BOSS},2021-01-04,",
        f"{BOSS},Dedi,DINSOS,Kepala Bidang,11,PNS,{NIPS['head']},2020-01-01,",
        f"{NIPS['staff']},Staff,DINSOS,Analis Senior,8,PNS,{BOSS},2020-01-01,2024-02-01",
    ])  # fmt: skip
    run = run_import(perf_a, text)
    assert run.succeeded, run.errors
    assert (run.rows_total, run.rows_imported) == (3, 3)
    with region_scope(perf_a.region):
        people = {p.nip: p for p in Employee.objects.filter(region=perf_a.region)}
        assert people[ANALYST].supervisor_id == people[BOSS].pk
        assert people[BOSS].supervisor_id == perf_a.people["head"].pk
        staff = people[NIPS["staff"]]
        assert (staff.unit_id, staff.job_grade, staff.supervisor_id) == (
            perf_a.world.other_unit.pk, 8, people[BOSS].pk
        )  # fmt: skip
        history = Posting.objects.filter(region=perf_a.region, employee=staff).order_by(
            "valid_from"
        )
        assert [(p.valid_from, p.valid_to, p.job_grade) for p in history] == [
            (dt.date(2020, 1, 1), dt.date(2024, 1, 31), 7),
            (dt.date(2024, 2, 1), None, 8),
        ]
        assert Posting.objects.filter(region=perf_a.region, employee=people[ANALYST]).count() == 1
        (event,) = AuditEvent.objects.filter(
            region=perf_a.region, action="performance.staff_import"
        )
    assert event.changes == {"succeeded": True, "created": 2, "updated": 1, "moved": 1, "ended": 0}


def test_the_same_file_twice_changes_nothing_the_second_time(perf_a):
    text = f"{HEADER}\n{ANALYST},Rina,DINSOS,Analis,7,PNS,,2021-01-04\n"
    assert run_import(perf_a, text).succeeded
    again = run_import(perf_a, text)
    assert again.succeeded
    assert again.rows_imported == 0


def test_every_bad_row_is_reported_and_nothing_is_written(perf_a):
    text = "\n".join([
        HEADER,
        f"{ANALYST},Rina,NOPE,Analis,7,PNS,,2021-01-04",  # 2: unknown unit
        "199001012015031000,Budi,DINSOS,Analis,7,PNS,,2021-01-04",  # 3: serial 000
        f"{ANALYST},Rina lagi,DINSOS,Analis,7,PNS,,2021-01-04",  # 4: duplicate NIP
        f"{BOSS},Dedi,DINSOS,Kabid,11,PNS,199912312020121999,2021-01-04",  # 5: unknown boss
        "199105052015031007,Sari,DINSOS,Analis,7,PNS,,04/13/2021",  # 6: bad date
        "199105052015031008,Tono,DINSOS,Analis,18,PNSD,,2021-01-04",  # 7: grade, type
        f"{NIPS['head']},Head,DPMPTSP,Kepala Dinas,14,PNS,{NIPS['staff']},2020-01-01",  # 8: cycle
    ])  # fmt: skip
    run = run_import(perf_a, text)
    assert not run.succeeded
    assert problems(run) == {
        (2, "unit_code"), (3, "nip"), (4, "nip"), (5, "supervisor_nip"), (6, "active_from"),
        (7, "job_grade"), (7, "employment_type"), (8, "supervisor_nip"),
    }  # fmt: skip
    with region_scope(perf_a.region):
        assert Employee.objects.filter(region=perf_a.region).count() == 5
        assert Employee.objects.get(pk=perf_a.people["head"].pk).supervisor_id is None
    csv_text = report_csv(run)
    assert csv_text.splitlines()[0] == "row,column,message"
    assert "2,unit_code," in csv_text


def test_a_missing_column_or_an_unreadable_file_is_reported(perf_a):
    run = run_import(perf_a, "nip,name\n1,2\n")
    assert not run.succeeded
    assert (1, "unit_code") in problems(run)
    binary = run_import(perf_a, "\x00\x01garbage", name="x.csv")
    assert problems(binary) == {(0, "file")}
    late_nul = run_import(perf_a, HEADER + "\n" + "x," * 3000 + "\n\x00\n", name="x\x00.csv")
    assert not late_nul.succeeded  # reported by row, not a server error
    assert late_nul.filename == "x.csv"


def test_ending_a_supervisor_whose_people_stay_is_refused(perf_a):
    text = (
        f"{HEADER},active_to\n"
        f"{NIPS['kabid']},Kabid,DPMPTSP,Kepala Bidang,11,PNS,{NIPS['head']},2020-01-01,2024-01-31\n"
    )
    run = run_import(perf_a, text)
    assert problems(run) == {(2, "active_to")}


def test_an_xlsx_file_is_read_and_a_numeric_nip_is_refused(perf_a):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([ANALYST, "Rina", "DINSOS", "Analis", 7, "PNS", "", "2021-01-04"])
    sheet.append([int(BOSS), "Dedi", "DINSOS", "Kabid", 11, "PNS", "", dt.date(2020, 1, 1)])
    raw = io.BytesIO()
    book.save(raw)
    with region_scope(perf_a.region):
        run = staff_import(region=perf_a.region, actor=None, file=io.BytesIO(raw.getvalue()),
                           filename="staff.xlsx")  # fmt: skip
    assert problems(run) == {(3, "nip")}
    sheet.delete_rows(3)
    raw = io.BytesIO()
    book.save(raw)
    with region_scope(perf_a.region):
        run = staff_import(region=perf_a.region, actor=None, file=io.BytesIO(raw.getvalue()),
                           filename="staff.xlsx")  # fmt: skip
    assert run.succeeded, run.errors


def _file(count: int) -> str:
    rows = [f"1985{1 + n // 28 % 12:02d}{1 + n % 28:02d}2010011{1 + n // 336:03d},Orang {n},"
            f"DINSOS,Analis,7,PNS,{NIPS['head']},2021-01-04" for n in range(count)]  # fmt: skip
    return "\n".join([HEADER, *rows])


def test_rows_are_written_in_bulk_not_one_by_one(perf_a):
    with CaptureQueriesContext(connection) as queries:
        assert run_import(perf_a, _file(300)).succeeded
    # Bulk writes in batches (SQLite's batches are small: about 60 rows), never row by row.
    assert len(queries.captured_queries) < 300 // 10
