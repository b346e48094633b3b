"""Personal data: masking, validation, audited reads, and nothing in logs."""

import logging

import pytest

from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.pdp import (
    mask_nik,
    mask_phone,
    mask_value,
    normalise_phone,
    personal_kind,
    validate_nik,
)
from lumbung.core.services.audit import personal_data_read
from lumbung.core.tenancy import region_scope
from lumbung.core.tests.sample.models import SampleCase

NIK = "3273015508950001"


def test_nik_mask_shows_at_most_the_last_four_digits():
    assert mask_nik(NIK) == "************0001"
    assert mask_value("nik", NIK).endswith("0001")
    assert NIK[:12] not in mask_value("nik", NIK)


def test_phone_mask_hides_the_middle():
    masked = mask_phone("081234567890")
    assert masked.startswith("0812")
    assert "345678" not in masked


@pytest.mark.parametrize(
    ("field", "kind"),
    [
        ("nik", "id"),
        ("applicant_nik", "id"),
        ("kk", "id"),
        ("reporter.phone", "phone"),
        ("nomor_hp", "phone"),
        ("alamat_rumah", "text"),
        ("address", "text"),
        ("birth_date", "text"),
        ("title", None),
        ("kind", None),
        ("unit", None),
    ],
)
def test_personal_fields_are_recognised_by_name_parts(field, kind):
    assert personal_kind(field) == kind


@pytest.mark.parametrize("number", ["0812345", "12", "08123456789012"])
def test_phone_mask_never_shows_more_than_six_digits(number):
    masked = mask_phone(number)
    assert len(masked) == len(number)
    assert sum(ch.isdigit() for ch in masked) <= 6


def test_non_personal_fields_pass_through():
    assert mask_value("title", "Jalan rusak") == "Jalan rusak"


def test_nik_and_phone_validation():
    assert validate_nik(NIK) is None
    assert validate_nik("1234") is not None
    assert normalise_phone("0812-3456-7890") == "+6281234567890"
    assert normalise_phone("12") is None


@pytest.mark.django_db
def test_staff_read_of_personal_data_is_an_audit_event(world_a):
    # given a case with a NIK
    region = world_a.region
    officer = world_a.users[Role.OFFICER]
    with region_scope(region):
        case = SampleCase.objects.create(
            region=region,
            title="x",
            nik=NIK,
            state="received",
            state_entered_at="2026-01-05T00:00Z",
        )
        # when an officer is shown the full NIK
        personal_data_read(
            region=region, actor=officer, obj=case, fields=["nik"], purpose="verifikasi"
        )
        # then the read is recorded, without the value
        event = AuditEvent.objects.get(region=region, action="pdp.read")
    assert event.actor == officer
    assert event.changes == {"fields": ["nik"]}
    assert event.reason == "verifikasi"
    assert NIK not in str(event.changes)


def test_log_records_do_not_carry_a_nik():
    # given the project's logging filter on a handler
    from lokal.samaran.logging import SamaranFilter

    handler = logging.StreamHandler()
    handler.addFilter(SamaranFilter())
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "NIK %s HP %s", (NIK, "081234567890"), None
    )
    # when the record is filtered
    handler.filter(record)
    # then the formatted message has neither value in full
    message = record.getMessage()
    assert NIK not in message
    assert "081234567890" not in message
