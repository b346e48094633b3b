"""The `lumbung` command line: the demo, adding regions and switching their modules, and the
reference list of Indonesia's 552 regions it draws on."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest.mock import patch

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Model
from django_tasks_db.models import DBTaskResult

from lumbung.core.demo import CITIZENS, DEMO_PASSWORD
from lumbung.core.models import (
    AuditChainHead,
    AuditEvent,
    CollectiveLeaveDay,
    Membership,
    ModuleActivation,
    Notification,
    Region,
    RegionHoliday,
    Unit,
    User,
)
from lumbung.core.models.people import Role
from lumbung.core.models.regions import RegionType, TimeZone
from lumbung.core.services.audit import audit_chains, audit_verify_chain, chain_key
from lumbung.core.services.workflow import case_start
from lumbung.core.tasks import periodic_all
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.core.tests.factories import make_world
from lumbung.core.tests.sample.models import SampleCase

pytestmark = pytest.mark.django_db

DEMO_REGIONS = {
    "kota-bandung": "32.73",
    "kota-tangerang": "36.71",
    "kabupaten-serang": "36.04",
    "banten": "36",
}
STAFF = {
    "admin": Role.REGION_ADMIN,
    "officer": Role.OFFICER,
    "head": Role.UNIT_HEAD,
    "auditor": Role.AUDITOR,
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    models: list[type[Model]] = [
        Region,
        Unit,
        Membership,
        User,
        AuditEvent,
        ModuleActivation,
        RegionHoliday,
        CollectiveLeaveDay,
    ]
    with dangerously_unscoped():
        counted = {m.__name__: m._default_manager.count() for m in models}
    counted["active regions"] = Region.objects.filter(is_active=True).count()
    return counted


def enabled_modules(slug: str) -> list[str]:
    return list(
        ModuleActivation.objects.filter(region__slug=slug, enabled=True).values_list(
            "module", flat=True
        )
    )


# --- lumbung demo --------------------------------------------------------------------------


@pytest.fixture
def demo(db: None) -> str:
    return run("demo")


def test_demo_activates_the_four_pinned_regions(demo: str) -> None:
    # given / when the demo is loaded
    # then the three kabupaten/kota and their province are tenants, under their real codes
    active = dict(Region.objects.filter(is_active=True).values_list("slug", "code"))
    assert active == DEMO_REGIONS
    banten = Region.objects.get(slug="banten")
    assert banten.type == RegionType.PROVINSI
    assert set(
        Region.objects.filter(parent=banten, is_active=True).values_list("slug", flat=True)
    ) == {
        "kota-tangerang",
        "kabupaten-serang",
    }
    for slug in DEMO_REGIONS:
        assert slug in demo


@pytest.mark.parametrize("slug", DEMO_REGIONS)
def test_demo_has_staff_in_every_role_of_each_region(demo: str, slug: str) -> None:
    # given / when the demo is loaded
    region = Region.objects.get(slug=slug)

    # then each staff account can log in with the published password and holds its role
    with dangerously_unscoped():
        for local, role in STAFF.items():
            user = User.objects.get(email=f"{local}@{slug}.demo")
            assert user.check_password(DEMO_PASSWORD)
            assert Membership.objects.filter(
                region=region, user=user, role=role, is_active=True
            ).exists()
            assert f"{local}@{slug}.demo" in demo
        assert Unit.objects.filter(region=region).count() >= 11


def test_demo_has_five_citizens(demo: str) -> None:
    # given / when the demo is loaded
    # then citizen1..5@warga.demo exist with the published password, and hold no staff role
    emails = [f"citizen{n}@warga.demo" for n in range(1, 6)]
    assert [email for email, _name in CITIZENS] == emails
    with dangerously_unscoped():
        for email in emails:
            user = User.objects.get(email=email)
            assert user.check_password(DEMO_PASSWORD)
            assert not Membership.objects.filter(user=user).exists()
            assert email in demo


def test_demo_twice_neither_fails_nor_duplicates(demo: str) -> None:
    # given the demo loaded once
    before = counts()

    # when it is loaded again
    run("demo")

    # then no row was added, not even an audit event, and every chain still verifies
    assert counts() == before
    assert [c for c in audit_chains() if audit_verify_chain(c) is not None] == []


def test_demo_loads_its_data_through_the_audited_services(demo: str) -> None:
    # given / when the demo is loaded
    # then each region's chain tells how it was set up
    with dangerously_unscoped():
        actions = set(
            AuditEvent.objects.filter(
                chain=chain_key(Region.objects.get(slug="kota-bandung"))
            ).values_list("action", flat=True)
        )
    assert {"region.activate", "unit.create", "membership.grant", "calendar.holiday_set"} <= actions


def test_demo_is_refused_when_debug_is_off_and_not_allowed(settings: Any) -> None:
    # given a production-like configuration
    settings.DEBUG = False
    settings.LUMBUNG_DEMO_ALLOWED = False
    before = counts()

    # when the demo is asked for without saying it is meant
    with pytest.raises(CommandError, match="allow-without-debug"):
        run("demo")

    # then nothing was loaded
    assert counts() == before


def test_demo_loads_when_debug_is_off_if_asked_for_explicitly(settings: Any) -> None:
    # given a production-like configuration
    settings.DEBUG = False
    settings.LUMBUNG_DEMO_ALLOWED = False

    # when the operator insists
    run("demo", "--allow-without-debug")

    # then the demo is there
    assert Region.objects.filter(is_active=True).count() == len(DEMO_REGIONS)


def test_demo_loads_when_debug_is_on(settings: Any) -> None:
    # given a development configuration
    settings.DEBUG = True
    settings.LUMBUNG_DEMO_ALLOWED = False

    # when the demo is loaded, then it needs no extra flag
    run("demo")
    assert Region.objects.filter(is_active=True).count() == len(DEMO_REGIONS)


# --- lumbung region add / modules / list ----------------------------------------------------


def test_region_add_makes_a_reference_region_a_tenant_with_its_modules(db: None) -> None:
    # given / when the operator adds Kota Bandung with the sample module
    output = run("region", "add", "32.73", "--modules", "sample")

    # then it is active, at its slug, with the module on, and its chain has begun
    bandung = Region.objects.get(code="32.73")
    assert bandung.is_active
    assert bandung.activated_at is not None
    assert "/kota-bandung/" in output
    assert enabled_modules("kota-bandung") == ["sample"]
    assert audit_verify_chain(chain_key(bandung)) is None


def test_region_add_of_an_unknown_code_is_a_command_error(db: None) -> None:
    # given no region has code 99.99; when it is added, then the command fails, adding nothing
    with pytest.raises(CommandError, match="region_unknown"):
        run("region", "add", "99.99")
    assert not Region.objects.filter(is_active=True).exists()


def test_region_add_of_an_active_region_is_a_command_error(db: None) -> None:
    # given Kota Bandung already active
    run("region", "add", "32.73")
    before = counts()

    # when it is added again
    with pytest.raises(CommandError, match="region_already_active"):
        run("region", "add", "32.73", "--modules", "sample")

    # then nothing changed
    assert counts() == before


def test_region_add_with_an_unknown_module_writes_nothing(db: None) -> None:
    # given / when Kota Bandung is added with a module that does not exist
    with pytest.raises(CommandError, match="module_unknown"):
        run("region", "add", "32.73", "--modules", "sample,ekraf")

    # then the region is still only reference data: not active, no modules, no events
    bandung = Region.objects.get(code="32.73")
    assert not bandung.is_active
    assert enabled_modules("kota-bandung") == []
    assert not AuditChainHead.objects.filter(chain=chain_key(bandung)).exists()
    with dangerously_unscoped():
        assert not AuditEvent.objects.filter(region=bandung).exists()


def test_region_modules_switches_modules_off_and_on(db: None) -> None:
    # given Kota Bandung with the sample module on
    run("region", "add", "32.73", "--modules", "sample")

    # when the operator disables it, then enables it again
    off = run("region", "modules", "kota-bandung", "--disable", "sample")
    assert enabled_modules("kota-bandung") == []
    on = run("region", "modules", "kota-bandung", "--enable", "sample")

    # then it is on again, each step printed and audited
    assert enabled_modules("kota-bandung") == ["sample"]
    assert "(no modules)" in off
    assert "sample" in on
    with dangerously_unscoped():
        actions = list(
            AuditEvent.objects.filter(chain="32.73", action__startswith="module.")
            .order_by("seq")
            .values_list("action", flat=True)
        )
    assert actions == ["module.enable", "module.disable", "module.enable"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["kota-tangerang", "--enable", "sample"], "No active region"),
        (["kota-bandung", "--enable", "ekraf"], "module_unknown"),
        (["kota-bandung", "--enable", "sample", "--disable", "sample"], "validation_error"),
    ],
    ids=["inactive-region", "unknown-module", "on-and-off"],
)
def test_region_modules_refuses_what_it_cannot_do(args: list[str], message: str) -> None:
    # given Kota Bandung active without modules
    run("region", "add", "32.73")
    before = counts()

    # when the operator asks for something impossible
    with pytest.raises(CommandError, match=message):
        run("region", "modules", *args)

    # then nothing changed
    assert counts() == before


def test_region_list_shows_active_regions_with_their_modules(db: None) -> None:
    # given Bandung with the sample module and Tangerang without
    run("region", "add", "32.73", "--modules", "sample")
    run("region", "add", "36.71")

    # when the operator lists regions
    lines = run("region", "list").splitlines()

    # then each active region is a line, with its modules; reference regions are not listed
    assert [line.split()[:2] for line in lines] == [
        ["32.73", "kota-bandung"],
        ["36.71", "kota-tangerang"],
    ]
    assert lines[0].split()[2:] == ["sample"]
    assert lines[1].split()[2:] == []


# --- the reference data -----------------------------------------------------------------------


def test_reference_data_has_38_provinces_and_514_kabupaten_kota(db: None) -> None:
    # given the reference migration; then every region is there once, with its own slug
    assert Region.objects.filter(type=RegionType.PROVINSI).count() == 38
    assert Region.objects.filter(type__in=[RegionType.KABUPATEN, RegionType.KOTA]).count() == 514
    assert Region.objects.values("slug").distinct().count() == 552


def test_every_kabupaten_kota_sits_under_its_province_in_its_time_zone(db: None) -> None:
    # given every kabupaten/kota with its parent
    children = Region.objects.exclude(type=RegionType.PROVINSI).select_related("parent")

    # then the parent is the province its code starts with, and they share a time zone
    wrong = [
        r.code
        for r in children
        if r.parent is None
        or r.parent.type != RegionType.PROVINSI
        or r.parent.code != r.code.split(".")[0]
        or r.timezone != r.parent.timezone
    ]
    assert wrong == []
    assert not Region.objects.filter(type=RegionType.PROVINSI, parent__isnull=False).exists()


def test_kota_and_kabupaten_types_match_their_names(db: None) -> None:
    # given every kabupaten/kota; then "Kota ..." is a kota and the rest are kabupaten
    mismatched = [
        r.code
        for r in Region.objects.exclude(type=RegionType.PROVINSI)
        if r.name.startswith("Kota ") != (r.type == RegionType.KOTA)
    ]
    assert mismatched == []


@pytest.mark.parametrize(
    ("code", "name", "zone"),
    [
        ("32.73", "Kota Bandung", TimeZone.WIB),
        ("36", "Banten", TimeZone.WIB),
        ("61", "Kalimantan Barat", TimeZone.WIB),
        ("62", "Kalimantan Tengah", TimeZone.WIB),
        ("51", "Bali", TimeZone.WITA),
        ("52", "Nusa Tenggara Barat", TimeZone.WITA),
        ("64", "Kalimantan Timur", TimeZone.WITA),
        ("65", "Kalimantan Utara", TimeZone.WITA),
        ("73", "Sulawesi Selatan", TimeZone.WITA),
        ("81", "Maluku", TimeZone.WIT),
        ("82", "Maluku Utara", TimeZone.WIT),
        ("91.71", "Kota Jayapura", TimeZone.WIT),
        ("93", "Papua Selatan", TimeZone.WIT),
        ("94", "Papua Tengah", TimeZone.WIT),
        ("95", "Papua Pegunungan", TimeZone.WIT),
        ("96", "Papua Barat Daya", TimeZone.WIT),
    ],
)
def test_regions_have_their_real_time_zone(db: None, code: str, name: str, zone: TimeZone) -> None:
    # given the reference row; then its name and time zone are the real ones
    region = Region.objects.get(code=code)
    assert (region.name, region.timezone) == (name, zone)


def test_the_reference_list_is_counted_per_time_zone(db: None) -> None:
    # given every province; then the zones split as Keppres 41/1987 has it:
    # WIB Sumatra, Java, West/Central Kalimantan; WITA Bali, Nusa Tenggara,
    # South/East/North Kalimantan, Sulawesi; WIT Maluku and the six Papua provinces.
    provinces: dict[str, Any] = {
        zone: sorted(
            Region.objects.filter(type=RegionType.PROVINSI, timezone=zone).values_list(
                "code", flat=True
            )
        )
        for zone in TimeZone.values
    }
    assert len(provinces[TimeZone.WIB]) == 18
    assert len(provinces[TimeZone.WITA]) == 12
    assert provinces[TimeZone.WIT] == ["81", "82", "91", "92", "93", "94", "95", "96"]


# --- lumbung worker -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_batch_runs_the_escalation_through_the_database_queue(settings: Any) -> None:
    # given the database task backend, as in production, and a case overdue since March
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = make_world("32.73", modules=["sample"])
    received = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)
    with (
        patch("django.utils.timezone.now", return_value=received),
        region_scope(world.region),
        transaction.atomic(),
    ):
        case = SampleCase(region=world.region, title="Sampah menumpuk", unit=world.unit)
        case_start(case, actor=world.users[Role.CITIZEN])

    # when the worker runs once in batch mode
    run("worker", "--batch")

    # then the periodic tasks (escalation, housekeeping) ran to success and the unit head
    # was told
    statuses = list(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["SUCCESSFUL"] * len(periodic_all())
    with region_scope(world.region):
        assert SampleCase.objects.get(pk=case.pk).escalation_level == 1
        told = Notification.objects.filter(region=world.region).values_list(
            "recipient__email", flat=True
        )
        assert list(told) == [world.users[Role.UNIT_HEAD].email]
