"""The region's catalogue: permit types and their levy formula, requirements, stage
deadlines, the KBLI list (CSV import all-or-nothing, the starter set) and routing rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope

from ..errors import PermitsError
from ..models import Kbli, Lane, RoutingRule
from ..selectors import lane_for
from ..services.catalogue import (
    RuleInput,
    permit_type_save,
    routing_rule_save,
    routing_rules_adopt_default,
    stage_sla_set,
)
from ..services.kbli import STARTER, kbli_adopt_starter, kbli_import_csv
from .factories import PermitsWorld, type_input

pytestmark = pytest.mark.django_db

HEADER = "code,title_id,title_en,risk_micro,risk_small,risk_medium,risk_large,permit_type\n"


def events(pw: PermitsWorld, action: str) -> int:
    with region_scope(pw.region):
        return AuditEvent.objects.filter(region=pw.region, action=action).count()


def test_a_permit_type_is_saved_and_audited(pworld_a: PermitsWorld) -> None:
    admin = pworld_a.user(Role.REGION_ADMIN)
    with region_scope(pworld_a.region):
        billboard = permit_type_save(
            region=pworld_a.region,
            actor=admin,
            data=type_input(code="reklame", name_id="Izin Reklame", fee_kind="per_unit",
                            fee_rate=Decimal("150000"), fee_amount=Decimal(0)),
        )  # fmt: skip
        changed = permit_type_save(
            region=pworld_a.region,
            actor=admin,
            data=type_input(code="reklame", validity_months=12, fee_kind="per_unit",
                            fee_rate=Decimal("175000"), fee_amount=Decimal(0)),
            permit_type=billboard,
        )  # fmt: skip
    assert changed.fee_rate == Decimal("175000")
    assert events(pworld_a, "permits.type.create") == 2  # the fixture's and this one
    assert events(pworld_a, "permits.type.update") == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"code": "Bad Code"}, ErrorCode.VALIDATION),
        ({"validity_months": 601}, ErrorCode.VALIDATION),
        ({"fee_rate": 1.5}, ErrorCode.VALIDATION),
        ({"fee_kind": "fixed", "fee_rate": Decimal(5), "fee_amount": Decimal(1)},
         PermitsError.FEE_FORMULA_INVALID),
        ({"code": "apotek"}, ErrorCode.DUPLICATE),
    ],
)  # fmt: skip
def test_a_bad_permit_type_is_refused(
    pworld_a: PermitsWorld, overrides: dict[str, object], code: str
) -> None:
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        permit_type_save(region=pworld_a.region, actor=None, data=type_input(**overrides))
    assert caught.value.code == code


def test_a_unit_of_another_region_is_refused(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    data = type_input(code="lain", verifying_unit=pworld_b.world.unit)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        permit_type_save(region=pworld_a.region, actor=None, data=data)
    assert "verifying_unit" in caught.value.field_errors


@pytest.mark.parametrize(("stage", "days"), [("payment", 3), ("approval", 0), ("approval", 400)])
def test_a_stage_deadline_must_be_a_stage_with_a_clock(
    pworld_a: PermitsWorld, stage: str, days: int
) -> None:
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        stage_sla_set(region=pworld_a.region, actor=None, permit_type=pworld_a.permit_type,
                      stage=stage, working_days=days)  # fmt: skip
    assert caught.value.code == PermitsError.SLA_INVALID


def test_the_starter_set_is_adopted_once_with_valid_codes(pworld_a: PermitsWorld) -> None:
    with region_scope(pworld_a.region):
        codes = set(Kbli.objects.filter(region=pworld_a.region).values_list("code", flat=True))
        assert kbli_adopt_starter(region=pworld_a.region, actor=None) == 0
    assert codes == {row[0] for row in STARTER}
    assert len(codes) >= 20
    assert all(len(c) == 5 and c.isdigit() for c in codes)


def test_a_kbli_csv_is_imported_whole(pworld_a: PermitsWorld) -> None:
    csv = HEADER + (
        "56101,Restoran,Restaurants,rendah,rendah,menengah_tinggi,tinggi,\n"
        "47722,Perdagangan eceran obat di toko obat,Drugstores,menengah_rendah,"
        "menengah_rendah,menengah_rendah,menengah_rendah,apotek\n"
    )
    with region_scope(pworld_a.region):
        report = kbli_import_csv(region=pworld_a.region, actor=None, data=csv.encode())
        restaurant = Kbli.objects.get(region=pworld_a.region, code="56101")
        drugstore = Kbli.objects.get(region=pworld_a.region, code="47722")
    assert (report.created, report.updated) == (1, 1)
    assert restaurant.risk_medium == "menengah_tinggi"
    assert drugstore.permit_type == pworld_a.permit_type
    assert events(pworld_a, "permits.kbli.import") == 1


def test_a_bad_row_refuses_the_whole_file_naming_every_bad_row(pworld_a: PermitsWorld) -> None:
    csv = HEADER + (
        "11111,Satu,One,rendah,rendah,rendah,rendah,\n"
        "1234,Salah kode,Bad code,rendah,rendah,rendah,rendah,\n"
        "22222,Risiko salah,Bad risk,rendah,sedang,rendah,rendah,\n"
        "33333,Tanpa izin,No such type,rendah,rendah,rendah,rendah,izin-tidak-ada\n"
        "11111,Ganda,Twice,rendah,rendah,rendah,rendah,\n"
    )
    with region_scope(pworld_a.region):
        with pytest.raises(DomainError) as caught:
            kbli_import_csv(region=pworld_a.region, actor=None, data=csv)
        assert not Kbli.objects.filter(region=pworld_a.region, code="11111").exists()
    assert caught.value.code == PermitsError.KBLI_IMPORT_FAILED
    assert set(caught.value.field_errors) == {
        "row 3.code",
        "row 4.risk_small",
        "row 5.permit_type",
        "row 6.code",
    }


@pytest.mark.parametrize(
    "data", [b"code,title_id\n1,2\n", b"\xff\xfe\x00", HEADER.encode(), b"x" * (3 * 1024 * 1024)]
)
def test_a_file_that_is_no_kbli_list_is_refused(pworld_a: PermitsWorld, data: bytes) -> None:
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        kbli_import_csv(region=pworld_a.region, actor=None, data=data)
    assert caught.value.code == PermitsError.KBLI_IMPORT_FAILED


def test_the_regions_own_rules_replace_the_defaults(pworld_a: PermitsWorld) -> None:
    region = pworld_a.region
    with region_scope(region):
        rules = routing_rules_adopt_default(region=region, actor=None)
        assert len(rules) == 5
        assert routing_rules_adopt_default(region=region, actor=None) == rules
        # cafés always need the verified certificate here, whatever their size
        routing_rule_save(
            region=region,
            actor=pworld_a.user(Role.REGION_ADMIN),
            data=RuleInput(priority=1, lane=Lane.CERTIFICATE_VERIFIED, kbli_prefix="563",
                           permit_type=pworld_a.permit_type),
        )  # fmt: skip
        cafe = Kbli.objects.get(region=region, code="56303")
        warung = Kbli.objects.get(region=region, code="56102")
        assert lane_for(region, cafe, "micro", Decimal(1)).lane == Lane.CERTIFICATE_VERIFIED
        assert lane_for(region, warung, "micro", Decimal(1)).lane == Lane.REPORT_ONLY
        # the rules can be switched off: with none active, the fallback is the permit lane
        RoutingRule.objects.filter(region=region).update(is_active=False)
        assert lane_for(region, warung, "micro", Decimal(1)).lane == Lane.PERMIT
    assert events(pworld_a, "permits.rule.create") == 1
    assert events(pworld_a, "permits.rule.adopt_default") == 1


@pytest.mark.parametrize(
    "data",
    [
        RuleInput(priority=1, lane="fast"),
        RuleInput(priority=1, lane="permit", kbli_prefix="56a"),
        RuleInput(priority=1, lane="permit", capital_min="10", capital_max="5"),
        RuleInput(priority=1, lane="permit", risk="sedang"),
    ],
)
def test_a_bad_rule_is_refused(pworld_a: PermitsWorld, data: RuleInput) -> None:
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        routing_rule_save(region=pworld_a.region, actor=None, data=data)
    assert caught.value.code == PermitsError.RULE_INVALID


def test_a_rule_cannot_name_another_regions_permit_type(
    pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    data = RuleInput(priority=1, lane="permit", permit_type=pworld_b.permit_type)
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        routing_rule_save(region=pworld_a.region, actor=None, data=data)
    assert caught.value.code == ErrorCode.NOT_FOUND


def test_a_bad_activity_is_refused_field_by_field(pworld_a: PermitsWorld) -> None:
    from ..services.catalogue import kbli_save

    values = {"code": "5610", "title_id": "", "risk_micro": "sedang", "risk_small": "rendah",
              "risk_medium": "rendah", "risk_large": "rendah"}  # fmt: skip
    with region_scope(pworld_a.region), pytest.raises(DomainError) as caught:
        kbli_save(region=pworld_a.region, actor=None, values=values)
    assert caught.value.code == PermitsError.KBLI_INVALID
    assert set(caught.value.field_errors) == {"code", "title_id", "risk_micro"}


def test_every_catalogue_write_leaves_its_audit_event(pworld_a: PermitsWorld) -> None:
    # the fixture set the catalogue up through the services
    assert events(pworld_a, "permits.requirement.save") == 3
    assert events(pworld_a, "permits.type.sla") == 5
    assert events(pworld_a, "permits.kbli.save") == 1
    assert events(pworld_a, "permits.kbli.adopt_starter") == 1
