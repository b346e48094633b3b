"""Attendance imports: the machines' export (header and format variants, lateness against
office hours, non-working days skipped), leave records overriding missing days, every bad
row reported with nothing written, the run kept, and the audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from lumbung.core.models import AuditEvent
from lumbung.core.tenancy import region_scope

from ..allowance.attendance import ImportRefused, attendance_import
from ..allowance.csvfiles import errors_csv
from ..errors import PerformanceError
from ..models import AttendanceDay, DayKind, ImportRun, Period
from .factories import NIPS, PerfWorld

pytestmark = pytest.mark.django_db

MON, TUE, WED = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)
SATURDAY = dt.date(2026, 3, 7)


def run(perf: PerfWorld, text: str, kind: str = "attendance") -> ImportRun:
    with region_scope(perf.region):
        return attendance_import(
            region=perf.region, actor=perf.admin, kind=kind, filename="f.csv", data=text.encode()
        )


def refused(perf: PerfWorld, text: str, kind: str = "attendance") -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        run(perf, text, kind)
    return caught.value


def days(perf: PerfWorld, who: str = "staff") -> dict[dt.date, AttendanceDay]:
    with region_scope(perf.region):
        found = AttendanceDay.objects.filter(region=perf.region, employee=perf.people[who])
        return {d.work_date: d for d in found}


def test_machine_rows_are_imported_with_lateness_against_office_hours(perf_a: PerfWorld) -> None:
    # given: semicolons, Indonesian headers, both date forms, times with seconds and dots;
    #        office hours 07:30-16:00 (Friday 16:30); a Saturday row
    text = (
        "NIP;Tanggal;Jam Masuk;Jam Pulang\n"
        f"{NIPS['staff']};2026-03-02;07:45:59;16:00\n"
        f"'{NIPS['staff']}';03/03/2026;07.20;15.30\n"
        f"{NIPS['staff']};2026-03-04;;16:10\n"
        f"{NIPS['peer']};2026-03-02;07:30;16:00\n"
        f"{NIPS['staff']};07/03/2026;08:00;12:00\n"
    )
    # when
    done = run(perf_a, text)
    # then
    assert done.succeeded
    assert (done.rows_total, done.rows_imported) == (5, 4)  # the Saturday is not counted
    found = days(perf_a)
    assert (found[MON].late_minutes, found[MON].early_minutes) == (15, 0)  # seconds ignored
    assert (found[TUE].late_minutes, found[TUE].early_minutes) == (0, 30)
    assert found[WED].late_minutes == 8 * 60 + 30  # no check-in: late the whole office day
    assert SATURDAY not in found
    assert found[MON].kind == DayKind.PRESENT
    assert found[MON].import_run_id == done.pk
    with region_scope(perf_a.region):
        event = AuditEvent.objects.get(region=perf_a.region, action="performance.attendance_import")
    assert event.changes["days"] == 4


def test_a_new_file_updates_the_same_days(perf_a: PerfWorld) -> None:
    run(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},2026-03-02,08:30,16:00\n")
    run(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},2026-03-02,07:31,16:00\n")
    found = days(perf_a)
    assert len(found) == 1
    assert found[MON].late_minutes == 1


def test_every_bad_row_is_named_and_nothing_is_written(perf_a: PerfWorld) -> None:
    # given: a closed February; a good row among bad ones
    with region_scope(perf_a.region):
        Period.objects.create(region=perf_a.region, year=2026, month=2, state="closed")
    text = (
        "nip,date,check_in,check_out\n"
        f"{NIPS['staff']},2026-03-02,07:30,16:00\n"  # good
        "199999999999999999,2026-03-02,07:30,16:00\n"  # unknown NIP
        f"{NIPS['peer']},2026-13-02,07:30,16:00\n"  # bad date
        f"{NIPS['peer']},2026-03-03,7:3,16:00\n"  # bad time
        f"{NIPS['staff']},02/03/2026,07:35,16:00\n"  # duplicate of line 2
        f"{NIPS['peer']},2026-02-10,07:30,16:00\n"  # closed month
        f"{NIPS['peer']},2026-03-04,16:00,07:30\n"  # check-out before check-in
    )
    # when
    error = refused(perf_a, text)
    # then
    assert error.code == PerformanceError.IMPORT_FAILED
    assert set(error.field_errors) == {
        "row 3.nip", "row 4.date", "row 5.check_in", "row 6.date", "row 7.date",
        "row 8.check_out",
    }  # fmt: skip
    assert days(perf_a) == {}
    assert days(perf_a, "peer") == {}
    with region_scope(perf_a.region):
        kept = ImportRun.objects.get(region=perf_a.region)
        assert AuditEvent.objects.filter(
            region=perf_a.region, action="performance.attendance_import_refused"
        ).exists()
    assert not kept.succeeded
    assert len(kept.errors) == 6
    with translation.override("en"):
        assert "row" in errors_csv(kept.errors).splitlines()[0].lower()


def test_a_file_without_the_columns_or_not_utf8_is_refused(perf_a: PerfWorld) -> None:
    assert "row 1.header" in refused(perf_a, "nip,date\n1,2\n").field_errors
    with pytest.raises(ImportRefused) as caught, region_scope(perf_a.region):
        attendance_import(region=perf_a.region, actor=None, kind="attendance", filename="x",
                          data="nip;tgl\n\xff".encode("latin-1"))  # fmt: skip
    assert "row 0.file" in caught.value.field_errors
    assert "row 0.file" in refused(perf_a, "nip,date,check_in,check_out\n").field_errors


def test_another_regions_nip_is_unknown_here(perf_a: PerfWorld, perf_b: PerfWorld) -> None:
    # the two test regions share the same NIPs: change B's so that only B knows it
    with region_scope(perf_b.region):
        perf_b.people["staff"].__class__.objects.filter(pk=perf_b.people["staff"].pk).update(
            nip="199101012020011001"
        )
    error = refused(perf_a, "nip,date,check_in,check_out\n199101012020011001,2026-03-02,07:30,\n")
    assert "row 2.nip" in error.field_errors
    assert days(perf_b) == {}


def test_leave_covers_working_days_and_survives_a_machine_import(perf_a: PerfWorld) -> None:
    # given: the machine says staff came in late on Monday
    run(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},2026-03-02,09:00,16:00\n")
    # when: a duty record covers Monday to Saturday, and the machine file is imported again
    leave = (
        f"NIP,Dari,Sampai,Jenis,Keterangan\n{NIPS['staff']},2026-03-02,07/03/2026,dinas,Bimtek\n"
    )
    done = run(perf_a, leave, "leave")
    run(perf_a, f"nip,date,check_in,check_out\n{NIPS['staff']},2026-03-02,09:00,16:00\n")
    # then: the five working days are on duty, without lateness; the machine's time is kept
    found = days(perf_a)
    assert done.rows_imported == 5
    assert sorted(found) == [MON + dt.timedelta(days=n) for n in range(5)]
    assert {d.kind for d in found.values()} == {DayKind.DUTY}
    assert found[MON].late_minutes == 0
    assert found[MON].check_in == dt.time(9, 0)
    assert found[TUE].note == "Bimtek"


def test_bad_leave_rows_are_named(perf_a: PerfWorld) -> None:
    text = (
        "nip,from,to,kind,note\n"
        f"{NIPS['staff']},2026-03-02,2026-03-03,holiday,\n"  # unknown kind
        f"{NIPS['staff']},2026-03-05,2026-03-04,leave,\n"  # ends before it starts
        f"{NIPS['peer']},2026-03-02,2026-03-06,sick,\n"
        f"{NIPS['peer']},2026-03-04,2026-03-04,leave,\n"  # overlaps line 4
    )
    error = refused(perf_a, text, "leave")
    assert set(error.field_errors) == {"row 2.kind", "row 3.to", "row 5.from"}
    assert days(perf_a, "peer") == {}
