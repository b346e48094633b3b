"""The region's catalogue: permit types and their levy formula, requirements, stage
deadlines, the KBLI list (CSV import all-or-nothing, the starter set) and routing rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from lumbung.core.errors import DomainError, ErrorCode
from lumbung.core.models import AuditEvent, Unit
from lumbung.core.models.people import Role
from lumbung.core.tenancy import region_scope
from lumbung.core.testing.problems import problem_of

from ..errors import PermitsError
from ..models import Kbli, Lane, PermitType, RoutingRule
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
from .test_api_public import as_

pytestmark = pytest.mark.django_db

HEADER = "code,title_id,title_en,risk_micro,risk_small,risk_medium,risk_large,permit_type\n"


def events(pw: PermitsWorld, action: str) -> int:
    return len(events_of(pw, action))


def events_of(pw: PermitsWorld, action: str) -> list[AuditEvent]:
    with region_scope(pw.region):
        return list(AuditEvent.objects.filter(region=pw.region, action=action).order_by("seq"))


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


# The units that verify and sign a type ------------------------------------------------------


def close_unit(pw: PermitsWorld, unit: Unit) -> None:
    with region_scope(pw.region):
        Unit.objects.filter(region=pw.region, pk=unit.pk).update(is_active=False)
    unit.refresh_from_db()


def test_a_closed_unit_is_kept_by_its_type_but_not_newly_chosen(pworld_a: PermitsWorld) -> None:
    pw, t = pworld_a, pworld_a.permit_type
    close_unit(pw, pw.world.unit)  # the type's verifying and signing unit
    close_unit(pw, pw.world.other_unit)
    with region_scope(pw.region):
        kept = permit_type_save(
            region=pw.region, actor=None, permit_type=t,
            data=type_input(validity_months=12, verifying_unit=pw.world.unit,
                            signing_unit=pw.world.unit),
        )  # fmt: skip
        assert kept.validity_months == 12
        with pytest.raises(DomainError) as caught:
            permit_type_save(
                region=pw.region, actor=None, permit_type=t,
                data=type_input(signing_unit=pw.world.other_unit),
            )  # fmt: skip
    assert caught.value.code == ErrorCode.VALIDATION
    assert set(caught.value.field_errors) == {"signing_unit"}


def type_form(pw: PermitsWorld, **changes: object) -> dict[str, object]:
    t = pw.permit_type
    data: dict[str, object] = {
        "form": "type", "code": t.code, "name_id": t.name_id, "name_en": t.name_en,
        "legal_basis": t.legal_basis,
        "validity_months": t.validity_months, "fee_kind": t.fee_kind,
        "fee_amount": t.fee_amount, "fee_rate": t.fee_rate, "inspection_required": "on",
        "is_active": "on", "verifying_unit": t.verifying_unit_id or "",
        "signing_unit": t.signing_unit_id or "",
    }  # fmt: skip
    data.update(changes)
    return data


def test_the_type_page_changes_and_removes_its_units(
    client: Client, pworld_a: PermitsWorld
) -> None:
    pw = pworld_a
    page = f"/{pw.region.slug}/permits/staff/catalogue/types/{pw.permit_type.pk}/"
    client.force_login(pw.user(Role.REGION_ADMIN))
    other = pw.world.other_unit.pk
    moved = client.post(page, type_form(pw, verifying_unit=other, signing_unit=other))
    assert moved.status_code == 302
    with region_scope(pw.region):
        t = PermitType.objects.get(region=pw.region, pk=pw.permit_type.pk)
    assert (t.verifying_unit_id, t.signing_unit_id) == (other, other)
    update = events_of(pw, "permits.type.update")[-1]
    assert set(update.changes) == {"verifying_unit", "signing_unit"}
    cleared = client.post(page, type_form(pw, verifying_unit="", signing_unit=""))
    assert cleared.status_code == 302
    with region_scope(pw.region):
        t.refresh_from_db()
    assert (t.verifying_unit_id, t.signing_unit_id) == (None, None)


def test_the_type_page_offers_no_closed_unit_but_its_own(
    client: Client, pworld_a: PermitsWorld
) -> None:
    pw = pworld_a
    close_unit(pw, pw.world.unit)
    close_unit(pw, pw.world.other_unit)
    page = f"/{pw.region.slug}/permits/staff/catalogue/types/{pw.permit_type.pk}/"
    client.force_login(pw.user(Role.REGION_ADMIN))
    body = client.get(page).content.decode()
    for name in ("verifying_unit", "signing_unit"):
        select = body.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        assert f'value="{pw.world.unit.pk}"' in select
        assert f'value="{pw.world.other_unit.pk}"' not in select
    refused = client.post(page, type_form(pw, signing_unit=pw.world.other_unit.pk))
    assert refused.status_code == 422
    assert 'id="id_signing_unit_error"' in refused.content.decode()
    foreign = client.post(page, type_form(pw, signing_unit=999999))
    assert foreign.status_code == 422


def test_the_api_changes_and_removes_a_types_units(
    client: Client, pworld_a: PermitsWorld, pworld_b: PermitsWorld
) -> None:
    pw = pworld_a
    admin = as_(client, pw, Role.REGION_ADMIN)
    path = f"/types/{pw.permit_type.pk}"
    other = pw.world.other_unit
    moved = admin.send("patch", path, {"signing_unit_id": other.pk})
    assert moved.status_code == 200, moved.content
    assert moved.json()["signing_unit"] == {"id": other.pk, "name": other.name}
    assert moved.json()["verifying_unit"]["id"] == pw.world.unit.pk  # left out: kept
    removed = admin.send("patch", path, {"signing_unit_id": None, "verifying_unit_id": None})
    assert (removed.json()["signing_unit"], removed.json()["verifying_unit"]) == (None, None)
    foreign = admin.send("patch", path, {"signing_unit_id": pworld_b.world.unit.pk})
    assert foreign.status_code == 422
    assert "signing_unit_id" in problem_of(foreign)["errors"]
    close_unit(pw, other)
    closed = admin.send("patch", path, {"verifying_unit_id": other.pk})
    assert closed.status_code == 422
    assert set(problem_of(closed)["errors"]) == {"verifying_unit_id"}
    officer = as_(client, pw, Role.OFFICER).send("patch", path, {"signing_unit_id": None})
    assert officer.status_code == 403
