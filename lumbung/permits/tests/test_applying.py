"""Applying: the system picks the lane, permit type and levy; report-only businesses are
registered at once; bad input is refused with its code and nothing is half-written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent, Transition
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import PermitsError
from ..models import Application, ApplicationActivity, ApplicationDocument, Lane, Permit
from ..selectors import requirements_for
from .factories import PHARMACY, WARUNG, PermitsWorld, apply, pdf, permit_of, png, register

pytestmark = pytest.mark.django_db


def actions(pw: PermitsWorld) -> list[str]:
    with region_scope(pw.region):
        return list(
            AuditEvent.objects.filter(region=pw.region)
            .order_by("seq")
            .values_list("action", flat=True)
        )


def test_a_small_low_risk_business_is_registered_at_once(pworld_a: PermitsWorld) -> None:
    # given a warung with Rp 50 juta capital (low risk, under the Rp 500 juta threshold)
    # when it applies
    app = register(pworld_a)
    # then it is registered with its receipt, no officer involved
    assert app.state == "registered"
    assert app.lane == Lane.REPORT_ONLY
    assert app.permit_type is None
    assert app.fee_amount == 0
    permit = permit_of(app)
    assert permit.number.startswith("REG-3273-")
    assert permit.valid_until is None
    assert permit.signed_by is None
    with region_scope(pworld_a.region):
        steps = list(Transition.objects.filter(region=pworld_a.region, case_id=str(app.pk)))
    assert [(s.action, s.actor_id) for s in steps] == [
        ("start", pworld_a.user(Role.CITIZEN).pk),
        ("register", None),
    ]
    assert {
        "permits.application.apply",
        "permits.application.register",
        "permits.permit.issue",
    } <= set(actions(pworld_a))


def test_the_same_business_above_the_threshold_declares_itself(pworld_a: PermitsWorld) -> None:
    app = register(pworld_a, capital=Decimal("500000000"))
    assert app.lane == Lane.CERTIFICATE_SELF
    assert app.state == "registered"


def test_the_threshold_is_the_regions_setting(pworld_a: PermitsWorld) -> None:
    from lumbung.core.models import ModuleActivation

    with region_scope(pworld_a.region):
        ModuleActivation.objects.filter(region=pworld_a.region, module="permits").update(
            settings={"report_only_capital_threshold": 40_000_000}
        )
    assert register(pworld_a).lane == Lane.CERTIFICATE_SELF


def test_a_high_risk_activity_goes_to_the_document_check_with_its_deadline(
    pworld_a: PermitsWorld,
) -> None:
    app = apply(pworld_a)
    assert app.lane == Lane.PERMIT
    assert app.state == "document_check"
    assert app.permit_type == pworld_a.permit_type
    # the levy: Rp 100,000 + Rp 2,500 x 40 m²
    assert app.fee_amount == Decimal("200000")
    assert app.due_at is not None
    assert app.number.startswith("PRM-3273-")
    with region_scope(pworld_a.region):
        assert (
            ApplicationDocument.objects.filter(region=pworld_a.region, application=app).count() == 2
        )
        assert (
            ApplicationActivity.objects.filter(region=pworld_a.region, application=app).count() == 1
        )


def test_the_heaviest_activity_decides_the_lane(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a, kbli=[WARUNG, PHARMACY])
    assert app.lane == Lane.PERMIT


def test_requirements_are_known_before_anything_is_uploaded(pworld_a: PermitsWorld) -> None:
    with region_scope(pworld_a.region):
        plan = requirements_for(pworld_a.region, [PHARMACY], Decimal("300000000"))
        small = requirements_for(pworld_a.region, [WARUNG], Decimal("300000000"))
    assert plan.lane == Lane.PERMIT
    assert [(r.code, r.mandatory) for r in plan.requirements] == [
        ("denah", True),
        ("ktp", True),
        ("foto", False),
    ]
    assert small.instant
    assert small.requirements == []


def _refused(pw: PermitsWorld, **overrides: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        apply(pw, **overrides)
    with region_scope(pw.region):
        assert not Application.objects.filter(region=pw.region).exists()
        assert not Permit.objects.filter(region=pw.region).exists()
    return caught.value


def test_a_missing_mandatory_document_blocks_submission_naming_it(pworld_a: PermitsWorld) -> None:
    error = _refused(pworld_a, documents={"denah": pdf()})
    assert error.code == PermitsError.DOCUMENTS_MISSING
    assert set(error.field_errors) == {"documents.ktp"}


def test_documents_are_checked_by_content(pworld_a: PermitsWorld) -> None:
    error = _refused(pworld_a, documents={"denah": png("denah.pdf"), "ktp": png()})
    assert error.code == ErrorCode.VALIDATION
    assert "documents.denah" in error.field_errors


def test_an_unknown_requirement_is_refused(pworld_a: PermitsWorld) -> None:
    error = _refused(pworld_a, documents={"denah": pdf(), "ktp": png(), "sertifikat": pdf()})
    assert error.code == PermitsError.DOCUMENT_UNKNOWN


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owner_nik", "1234"),
        ("npwp", "12.345"),
        ("nib", "12345"),
        ("capital", 1.5),
        ("capital", "-1"),
        ("area_m2", "abc"),
        ("business_name", " "),
    ],
)
def test_bad_identity_or_numbers_are_refused_field_by_field(
    pworld_a: PermitsWorld, field: str, value: object
) -> None:
    error = _refused(pworld_a, **{field: value})
    assert error.code == ErrorCode.VALIDATION
    assert field in error.field_errors


def test_the_address_must_be_in_the_region(pworld_a: PermitsWorld, pworld_b: PermitsWorld) -> None:
    error = _refused(pworld_a, kelurahan_code=pworld_b.kelurahan)
    assert error.code == PermitsError.ADDRESS_OUTSIDE_REGION


def test_an_unknown_activity_is_refused(pworld_a: PermitsWorld) -> None:
    assert _refused(pworld_a, kbli=["99999"]).code == PermitsError.KBLI_UNKNOWN


def test_an_activity_needing_a_permit_the_region_lacks_is_refused(pworld_a: PermitsWorld) -> None:
    # 55110 (star hotels) is medium-high risk for a micro business: a verified certificate,
    # and the region has not set up its permit type
    assert _refused(pworld_a, kbli=["55110"]).code == PermitsError.NO_PERMIT_TYPE


def test_an_inactive_permit_type_takes_no_application(pworld_a: PermitsWorld) -> None:
    with region_scope(pworld_a.region):
        type(pworld_a.permit_type).objects.filter(pk=pworld_a.permit_type.pk).update(
            is_active=False
        )
    assert _refused(pworld_a).code == PermitsError.TYPE_INACTIVE


def test_a_per_m2_levy_needs_the_area(pworld_a: PermitsWorld) -> None:
    error = _refused(pworld_a, area_m2=None)
    assert "area_m2" in error.field_errors


def test_the_owners_nik_is_masked_in_the_audit_log(pworld_a: PermitsWorld) -> None:
    app = apply(pworld_a)
    with region_scope(pworld_a.region):
        event = AuditEvent.objects.get(region=pworld_a.region, action="permits.application.apply")
    assert event.object_id == str(app.pk)
    assert event.changes["owner_nik"] == "************0001"
