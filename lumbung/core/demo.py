"""The demo: three real regions and their province, with units, staff in every role and
citizens — all created through the project's own services, so running it twice changes
nothing the second time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Region, Unit, User
from .models.people import Role
from .models.units import UnitKind
from .modules import registry
from .reference import subdivisions
from .selectors import region_modules_enabled
from .services.calendar import collective_leave_sync, region_holiday_set
from .services.people import membership_grant, user_ensure
from .services.regions import (
    region_add,
    region_get_reference,
    region_modules_set,
    region_update_profile,
)
from .services.units import unit_create
from .tenancy import dangerously_unscoped, region_scope

DEMO_PASSWORD = "lumbung-demo"
DEMO_ACCOUNTS_HINT = (
    "admin@<slug>.demo, officer@<slug>.demo, head@<slug>.demo, auditor@<slug>.demo, "
    "dinsos@, pertimbangan@, tapd@, kepala@<slug>.demo; with E-RK: asn@, atasan@, payroll@"
)


@dataclass(frozen=True)
class DemoRegion:
    code: str
    modules: tuple[str, ...]
    tagline: str
    anniversary: tuple[int, int, str] | None = None  # (month, day, name): a local holiday


DEMO_REGIONS = (
    DemoRegion("36", (), "Pengawasan kabupaten/kota se-Banten"),
    DemoRegion(
        "32.73",
        ("grants", "permits", "performance", "complaints"),
        "Sabilulungan, Hayu dan E-RK: aplikasi yang dibagikan Kota Bandung",
        (9, 25, "Hari Jadi Kota Bandung"),
    ),
    DemoRegion(
        "36.71",
        ("complaints", "performance"),
        "LAKSA: Layanan Aspirasi dan Kotak Saran Anda",
        (2, 28, "Hari Jadi Kota Tangerang"),
    ),
    DemoRegion("36.04", ("complaints", "permits"), "Satu kode bersama tetangga se-Banten"),
)

# The OPD most regions have; codes follow the region's own numbering.
DEMO_UNITS = (
    ("SETDA", "Sekretariat Daerah", UnitKind.SEKRETARIAT, None),
    ("INSP", "Inspektorat", UnitKind.INSPEKTORAT, None),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", UnitKind.BADAN, None),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", UnitKind.BADAN, None),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", UnitKind.BADAN, None),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", UnitKind.DINAS, None),
    ("DPMPTSP", "Dinas Penanaman Modal dan PTSP", UnitKind.DINAS, None),
    ("DINSOS", "Dinas Sosial", UnitKind.DINAS, None),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", UnitKind.DINAS, None),
    ("SETDA-HUKUM", "Bagian Hukum", UnitKind.BAGIAN, "SETDA"),
    ("SETDA-ORG", "Bagian Organisasi", UnitKind.BAGIAN, "SETDA"),
)

CITIZENS = (
    ("citizen1@warga.demo", "Siti Rahmawati"),
    ("citizen2@warga.demo", "Budi Santoso"),
    ("citizen3@warga.demo", "Dewi Lestari"),
    ("citizen4@warga.demo", "Agus Setiawan"),
    ("citizen5@warga.demo", "Rina Marlina"),
)


def staff_accounts(slug: str) -> list[tuple[str, Role, str, str]]:
    """(email, role, unit code, position) of a demo region's staff."""
    return [
        (f"admin@{slug}.demo", Role.REGION_ADMIN, "DISKOMINFO", "Administrator Sistem"),
        (f"officer@{slug}.demo", Role.OFFICER, "DPMPTSP", "Analis Pelayanan"),
        (f"head@{slug}.demo", Role.UNIT_HEAD, "DPMPTSP", "Kepala Dinas"),
        (f"auditor@{slug}.demo", Role.AUDITOR, "INSP", "Auditor Ahli Muda"),
        (f"dinsos@{slug}.demo", Role.OFFICER, "DINSOS", "Pekerja Sosial Ahli Pertama"),
        (f"pertimbangan@{slug}.demo", Role.CONSIDERATION_TEAM, "SETDA", "Tim Pertimbangan"),
        (f"tapd@{slug}.demo", Role.BUDGET_TEAM, "BPKAD", "Sekretaris TAPD"),
        (f"kepala@{slug}.demo", Role.REGION_HEAD, "SETDA", "Kepala Daerah"),
    ]


def module_accounts(slug: str) -> list[tuple[str, str]]:
    """(email, what it is) of the accounts a module's demo adds where it is on: the E-RK
    civil servant with entries, their supervisor, and the payroll officer."""
    return [
        (f"asn@{slug}.demo", str(_("Civil servant with activity entries (E-RK)"))),
        (f"atasan@{slug}.demo", str(_("Their supervisor, who reviews them (E-RK)"))),
        (f"payroll@{slug}.demo", str(Role.PAYROLL.label)),
    ]


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # Hashed once: 21 accounts each hashing the same password took most of the demo's time.
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, full_name: str = "") -> User:
    """A demo account (created through the service) with the published demo password."""
    user = user_ensure(email=email, full_name=full_name)
    if not user.has_usable_password():
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def demo_load() -> list[Region]:
    """Load (or top up) the demo. Safe to run again: existing rows are left as they are."""
    year = timezone.localdate().year
    with transaction.atomic():
        collective_leave_sync(years=[year - 1, year, year + 1])
    regions = [_region(spec) for spec in DEMO_REGIONS]
    for email, name in CITIZENS:
        with transaction.atomic():
            demo_user(email, name)
    for region in regions:
        _module_demos(region)
    return regions


def _module_demos(region: Region) -> None:
    """Each module the region has on adds its own demo data (reports, applications...)
    through its hook, now that the region's units, staff and the citizens exist."""
    with region_scope(region):
        enabled = region_modules_enabled(region)
        for key in enabled:
            config = registry.get(key)
            if config is not None and config.demo:
                import_string(config.demo)(region)


def _region(spec: DemoRegion) -> Region:
    reference = region_get_reference(spec.code)
    wanted = [m for m in spec.modules if registry.get(m) is not None]
    if not reference.is_active:
        region = region_add(code=spec.code, actor=None, modules=wanted)
    else:
        region = reference
        with region_scope(region):
            missing = [m for m in wanted if m not in region_modules_enabled(region)]
        if missing:
            region_modules_set(region=region, actor=None, enable=missing)
    with region_scope(region):
        _profile(region, spec)
        units = _units(region)
        _staff(region, units)
        if spec.anniversary:
            _anniversary(region, spec)
    return region


def _profile(region: Region, spec: DemoRegion) -> None:
    # Only differing fields are written (and audited), so a second run changes nothing.
    admin = demo_user(f"admin@{region.slug}.demo")
    region_update_profile(
        region=region,
        actor=admin,
        data={
            "tagline": spec.tagline,
            "contact_email": f"layanan@{region.slug}.go.id.demo",
            "contact_phone": "(022) 0000000" if region.code.startswith("32") else "(021) 0000000",
            "address": f"Kantor Pemerintah {region.name}",
            # The demo is clicked through in two minutes; real regions keep TOTP required.
            "staff_mfa_required": False,
        },
    )


def _units(region: Region) -> dict[str, Unit]:
    existing = {u.code: u for u in Unit.objects.filter(region=region)}
    for code, name, kind, parent in DEMO_UNITS:
        if code not in existing:
            existing[code] = unit_create(
                region=region,
                actor=None,
                data={"code": code, "name": name, "kind": kind, "parent": existing.get(parent)},
            )
    if not region.is_province:
        _kecamatan(region, existing)
    return existing


def _kecamatan(region: Region, existing: dict[str, Unit]) -> None:
    """The first few real kecamatan of the region (from Kemendagri data) as units."""
    for code, name, _kind in subdivisions(region.code)[:3]:
        if code not in existing:
            existing[code] = unit_create(
                region=region,
                actor=None,
                data={"code": code, "name": f"Kecamatan {name}", "kind": UnitKind.KECAMATAN},
            )


def _staff(region: Region, units: dict[str, Unit]) -> None:
    for email, role, unit_code, title in staff_accounts(region.slug):
        local = email.split("@")[0].capitalize()
        user = demo_user(email, f"{local} {region.name}")
        membership_grant(
            region=region, actor=None, user=user, role=role, unit=units[unit_code], title=title
        )


def _anniversary(region: Region, spec: DemoRegion) -> None:
    assert spec.anniversary is not None
    month, day, name = spec.anniversary
    year = timezone.localdate().year
    date = dt.date(year, month, day)
    from .models import RegionHoliday

    if not RegionHoliday.objects.filter(region=region, date=date).exists():
        region_holiday_set(region=region, actor=None, date=date, name=name)


def demo_accounts() -> list[tuple[str, str]]:
    """(email, what it is) of the demo's accounts that exist, for the demo home page."""
    with dangerously_unscoped():
        regions = list(
            Region.objects.filter(code__in=[s.code for s in DEMO_REGIONS], is_active=True)
            .order_by("code")
            .values_list("slug", "name")
        )
        wanted = [
            (email, f"{role.label} · {name}")
            for slug, name in regions
            for email, role, _unit, _title in staff_accounts(slug)
        ]
        wanted += [
            (email, f"{label} · {name}")
            for slug, name in regions
            for email, label in module_accounts(slug)
        ]
        wanted += [(email, str(Role.CITIZEN.label)) for email, _name in CITIZENS]
        present = set(
            User.objects.filter(email__in=[w[0] for w in wanted]).values_list("email", flat=True)
        )
    return [(email, label) for email, label in wanted if email in present]
