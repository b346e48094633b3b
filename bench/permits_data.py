"""The permits bench's data. 50 kabupaten/kota with the permits module on, each with the
DPMPTSP, the starter activities, two permit types and a head who may suspend or revoke,
all through the services like an operator. Then a million issued documents COPYed in,
every row as `permit_issue` writes it (token from `codes.token_new`, number from the
region's series, validity from the permit type, the application it came from); then, on
top, a few thousand through `application_apply` and some suspended or revoked through
`permit_suspend`/`permit_revoke`, whose rows `shape_check` compares with the COPYed ones.
No transitions, audit events or notifications are written for the COPYed rows."""

from __future__ import annotations

import datetime as dt
import random
import re
import time
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from lumbung.core.kelurahan import kelurahan_choices
from lumbung.core.models import NumberSeries, Region, User
from lumbung.core.models.people import Role
from lumbung.core.models.units import UnitKind
from lumbung.core.services.numbering import number_format
from lumbung.core.services.people import membership_grant, user_ensure
from lumbung.core.services.regions import region_add
from lumbung.core.services.units import unit_create
from lumbung.core.tenancy import dangerously_unscoped, region_scope
from lumbung.permits.codes import code_for, token_new
from lumbung.permits.fees import fee_for
from lumbung.permits.models import Application, ApplicationActivity, Kbli, Lane, Permit, PermitType
from lumbung.permits.models.common import INSTANT_LANES
from lumbung.permits.routing import scale_for
from lumbung.permits.services.applications import ApplicationInput, application_apply
from lumbung.permits.services.catalogue import PermitTypeInput, kbli_save, permit_type_save
from lumbung.permits.services.issuing import add_months, permit_revoke, permit_suspend
from lumbung.permits.services.kbli import kbli_adopt_starter

YEARS = 5  # documents issued over the last five years: most one-year permits have expired
NPWP = "012345678901000"  # as clean_input stores it: digits only
# (share, lane, permit type code or "", KBLI, capital): half report-only registrations, a
# fifth self-declared certificates, the rest pharmacy permits (5 years) and billboard
# certificates (1 year, verified).
KINDS = (
    (0.45, Lane.REPORT_ONLY, "", "96111", Decimal("50000000")),
    (0.20, Lane.CERTIFICATE_SELF, "", "56210", Decimal("150000000")),
    (0.15, Lane.PERMIT, "apotek", "47721", Decimal("800000000")),
    (0.20, Lane.CERTIFICATE_VERIFIED, "reklame", "73100", Decimal("300000000")),
)
# (code, name_id, name_en, months, fee kind, amount, rate, approval by default, KBLI)
TYPES = (
    ("apotek", "Izin Apotek", "Pharmacy permit", 60, "per_m2", "100000", "2500", False, "47721"),
    ("reklame", "Izin Penyelenggaraan Reklame", "Billboard permit", 12, "per_m2", "0", "25000",
     True, "73100"),
)  # fmt: skip
SUSPENDED, REVOKED, BY_DEFAULT = 0.015, 0.01, 0.05  # shares of the COPYed documents
REASON = "Hasil pengawasan: tempat usaha tidak sesuai izin."
DEFAULT_REASON = "Batas waktu tahap pemeriksaan dokumen terlewati; disetujui otomatis."
NAMES = ("Toko", "Warung", "Apotek", "Kedai", "Bengkel", "Konveksi", "Kafe", "Salon")


@dataclass
class Setup:
    """What the loader needs of one region, read once."""

    region: Region
    head: User
    applicants: list[int]
    villages: list[str]
    types: dict[str, PermitType]
    kbli: dict[str, int]


def regions_add(codes: Sequence[str], applicants: int = 8) -> list[Setup]:
    """Each region with the module on, its licensing office, the starter activities, two
    permit types linked to their activities, and a head (Kepala DPMPTSP), as an operator
    would set them up."""
    citizens = []
    for n in range(applicants):
        with transaction.atomic():
            citizens.append(user_ensure(email=f"pemohon{n}@warga.bench", full_name=f"Pemohon {n}"))
    return [_region_setup(code, citizens) for code in codes]


def _region_setup(code: str, citizens: list[User]) -> Setup:
    region = region_add(code=code, actor=None, modules=["permits"])
    with region_scope(region), transaction.atomic():
        data = {"code": "DPMPTSP", "name": "DPMPTSP", "kind": UnitKind.DINAS}
        office = unit_create(region=region, actor=None, data=data)
        head = user_ensure(email=f"kepala@{region.slug}.bench", full_name="Kepala DPMPTSP")
        membership_grant(region=region, actor=None, user=head, role=Role.REGION_HEAD)
        kbli_adopt_starter(region=region, actor=None)
        types = {}
        for key, name_id, name_en, months, kind, amount, rate, by_default, kbli in TYPES:
            values = PermitTypeInput(
                code=key, name_id=name_id, name_en=name_en, validity_months=months,
                fee_kind=kind, fee_amount=Decimal(amount), fee_rate=Decimal(rate),
                default_approval=by_default, verifying_unit=office, signing_unit=office,
            )  # fmt: skip
            types[key] = permit_type_save(region=region, actor=None, data=values)
            _link(region, kbli, types[key])
        kbli_ids = dict(Kbli.objects.filter(region=region).values_list("code", "pk"))
    villages = [c for c, _name, _kec in kelurahan_choices(region)[:40]]
    return Setup(region, head, [c.pk for c in citizens], villages, types, kbli_ids)


def _link(region: Region, code: str, permit_type: PermitType) -> None:
    """The activity asks for the type; a billboard is rated medium-high (verified), as the
    demo's region does."""
    kbli = Kbli.objects.get(region=region, code=code)
    fields = ("code", "title_id", "title_en", "risk_micro", "risk_small", "risk_medium")
    values = {f: getattr(kbli, f) for f in (*fields, "risk_large")}
    if permit_type.code == "reklame":
        values |= {"risk_micro": "menengah_tinggi", "risk_small": "menengah_tinggi"}
    kbli_save(region=region, actor=None, values=values, permit_type=permit_type)


@dataclass
class Drawn:
    """One COPYed document before it gets its numbers."""

    lane: str
    type_code: str
    kbli: str
    capital: Decimal
    issued_at: dt.datetime
    status: str
    by_default: bool


def _draw(rng: random.Random, count: int, now: dt.datetime) -> list[Drawn]:
    span = YEARS * 365 * 86400
    shares = [k[0] for k in KINDS]
    drawn = []
    for _n in range(count):
        _share, lane, type_code, kbli, capital = rng.choices(KINDS, shares)[0]
        r = rng.random()
        status = "revoked" if r < REVOKED else "suspended" if r < REVOKED + SUSPENDED else "valid"
        by_default = type_code == "reklame" and rng.random() < BY_DEFAULT / 0.2
        issued_at = now - dt.timedelta(seconds=rng.random() * span)
        drawn.append(Drawn(lane, type_code, kbli, capital, issued_at, status, by_default))
    return sorted(drawn, key=lambda d: d.issued_at)


class Series:
    """The region's number series as `number_next` keeps them, advanced in memory and
    written back once."""

    def __init__(self, region: Region) -> None:
        self.region = region
        rows = NumberSeries.objects.filter(region=region).values_list("series", "year", "last")
        self.last = {(s, y): last for s, y, last in rows}

    def next(self, prefix: str, series: str, year: int) -> str:
        number = self.last[(series, year)] = self.last.get((series, year), 0) + 1
        return number_format(prefix, self.region, year, number)

    def save(self) -> None:
        for (series, year), last in self.last.items():
            NumberSeries.objects.update_or_create(
                region=self.region, series=series, year=year, defaults={"last": last}
            )


def _rows(
    setup: Setup, drawn: Drawn, n: int, app_id: int, series: Series, tz: zoneinfo.ZoneInfo
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The application, the permit and the activity of one document, every column."""
    region, instant = setup.region, drawn.lane in INSTANT_LANES
    permit_type = setup.types.get(drawn.type_code)
    issued, head = drawn.issued_at, setup.head.pk
    created = issued if instant else issued - dt.timedelta(days=12)
    area = None if instant else Decimal(20 + n % 80)
    fee = fee_for(permit_type, area, None)
    valid_from = issued.astimezone(tz).date()
    months = permit_type.validity_months if permit_type else 0
    until = add_months(valid_from, months) - dt.timedelta(days=1) if months else None
    changed = issued + (timezone.now() - issued) * ((n % 97) / 97)
    app = {
        "region_id": region.pk, "id": app_id, "state": "registered" if instant else "issued",
        "state_entered_at": issued, "due_at": None, "escalation_level": 0,
        "version": 1 if instant else 7, "paused_state": "", "paused_days_left": None,
        "number": series.next("PRM", "permits.application", created.astimezone(tz).year),
        "applicant_id": setup.applicants[n % len(setup.applicants)],
        "business_name": f"{NAMES[n % len(NAMES)]} Bench {n:06d}", "nib": "", "npwp": NPWP,
        "owner_name": f"Pemilik {n}",
        "owner_nik": f"{region.code.replace('.', '')}01010190{n % 9999 + 1:04d}",
        "business_address": f"Jl. Bench No. {n % 500 + 1}",
        "kelurahan_code": setup.villages[n % len(setup.villages)], "capital": drawn.capital,
        "area_m2": area, "unit_count": None, "scale": scale_for(drawn.capital).value,
        "lane": drawn.lane, "permit_type_id": permit_type.pk if permit_type else None,
        "fee_amount": fee, "payment_reference": "" if not fee else f"BJB-BENCH-{n:07d}",
        "paid_at": issued - dt.timedelta(days=1) if fee else None,
        "payment_recorded_by_id": None if not fee else setup.applicants[n % len(setup.applicants)],
        "recommendation": "" if instant else "Memenuhi persyaratan teknis.",
        "recommendation_favourable": None if instant or drawn.by_default else True,
        "approved_by_default": drawn.by_default, "missed_deadline": drawn.by_default,
        "renews_id": None, "decided_at": issued, "created_at": created,
    }  # fmt: skip
    prefix, kind = ("REG", "registration") if instant else ("IZIN", "permit")
    permit = {
        "region_id": region.pk, "id": None, "application_id": app_id,
        "permit_type_id": app["permit_type_id"], "lane": drawn.lane,
        "number": series.next(prefix, f"permits.{kind}", valid_from.year),
        "token": token_new(), "business_name": app["business_name"], "issued_at": issued,
        "valid_from": valid_from, "valid_until": until, "status": drawn.status,
        "status_reason": REASON if drawn.status != "valid" else "",
        "status_changed_at": changed if drawn.status != "valid" else None,
        "by_default": drawn.by_default,
        "default_reason": DEFAULT_REASON if drawn.by_default else "",
        "signed_by_id": None if instant or drawn.by_default else head,
        "reminded_30_at": _reminded(until, 30, tz), "reminded_7_at": _reminded(until, 7, tz),
    }  # fmt: skip
    activity = {"region_id": region.pk, "application_id": app_id, "position": 0}
    return app, permit, activity | {"kbli_id": setup.kbli[drawn.kbli]}


def _reminded(until: dt.date | None, days: int, tz: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """The worker reminds the holder 30 and 7 days before expiry, at 08:00."""
    if until is None:
        return None
    at = dt.datetime.combine(until - dt.timedelta(days=days), dt.time(8), tz)
    return at if at < timezone.now() else None


def bulk_load(setups: list[Setup], total: int, seed: int = 5) -> dict[str, Any]:
    """`total` documents spread evenly over the regions, one transaction per region."""
    started, rng, now = time.monotonic(), random.Random(seed), timezone.now()
    per_region = total // max(len(setups), 1)
    counts = {}
    for i, setup in enumerate(setups):
        count = per_region + (1 if i < total % len(setups) else 0)
        counts[setup.region.slug] = count
        with region_scope(setup.region), transaction.atomic():
            _load_region(setup, _draw(rng, count, now))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE permits_application, permits_permit, permits_applicationactivity")
    return {"copied": sum(counts.values()), "per_region": per_region,
            "seconds": round(time.monotonic() - started, 1)}  # fmt: skip


def _load_region(setup: Setup, drawn: list[Drawn]) -> None:
    series, tz = Series(setup.region), zoneinfo.ZoneInfo(setup.region.timezone)
    apps, permits, activities = [], [], []
    with connection.cursor() as cursor:
        base = _reserve(cursor, "permits_application", len(drawn))
        for n, row in enumerate(drawn):
            app, permit, activity = _rows(setup, row, n, base + n + 1, series, tz)
            apps.append(app)
            permits.append(permit)
            activities.append(activity)
        _copy(cursor, Application, apps)
        _copy(cursor, Permit, permits)
        _copy(cursor, ApplicationActivity, activities)
    series.save()


def _reserve(cursor: Any, table: str, count: int) -> int:
    """Take `count` ids from the table's identity sequence; returns the one before the
    first (the bench is the database's only writer)."""
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"(SELECT coalesce(max(id), 0) FROM {table}) + %s)",
        [count],
    )
    return int(cursor.fetchone()[0]) - count


def _copy(cursor: Any, model: type[Model], rows: list[dict[str, Any]]) -> None:
    """COPY the rows; a column the model has and the rows lack (or the reverse) stops the
    bench rather than loading rows the services would not write."""
    columns = [c for c in rows[0] if c != "id" or rows[0]["id"] is not None]
    wanted = {f.column for f in model._meta.concrete_fields} - ({"id"} - set(columns))
    if set(columns) != wanted:
        raise RuntimeError(f"{model.__name__}: rows and model differ on {set(columns) ^ wanted}")
    table = model._meta.db_table
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def service_load(setups: list[Setup], per_region: int) -> dict[str, Any]:
    """`per_region` documents a region through `application_apply` (instant lanes: the
    receipt is issued in the same transaction), one suspended and one revoked by the head."""
    started = time.monotonic()
    for setup in setups:
        region = setup.region
        with region_scope(region):
            citizens = list(User.objects.filter(pk__in=setup.applicants))
            apps = [_apply(setup, citizens[n % len(citizens)], n) for n in range(per_region)]
            issued = list(Permit.objects.filter(region=region, application__in=apps)[:2])
            for permit, change in zip(issued, (permit_suspend, permit_revoke), strict=False):
                change(region=region, actor=setup.head, permit=permit, reason=REASON)
    return {"through_services": per_region * len(setups),
            "seconds": round(time.monotonic() - started, 1)}  # fmt: skip


def _apply(setup: Setup, citizen: User, n: int) -> Application:
    kbli = ("96111", "56210")[n % 2]
    data = ApplicationInput(
        business_name=f"Usaha Layanan {n:05d}", npwp=NPWP, owner_name=citizen.full_name,
        owner_nik=f"{setup.region.code.replace('.', '')}01010190{n % 9999 + 1:04d}",
        business_address=f"Jl. Layanan No. {n + 1}",
        kelurahan_code=setup.villages[n % len(setup.villages)], kbli=[kbli],
        capital=Decimal("50000000") if kbli == "96111" else Decimal("150000000"),
    )  # fmt: skip
    return application_apply(region=setup.region, actor=citizen, data=data)


def shape_check(setup: Setup) -> list[str]:
    """Where a COPYed row and a service-made one of the same lane differ in shape: a
    column empty in one and filled in the other, or a different state, version or
    status. Empty means the bulk rows are what the services write."""
    problems = []
    with region_scope(setup.region):
        for lane in INSTANT_LANES:
            made = Permit.objects.filter(region=setup.region, lane=lane, status="valid")
            service, bulk = made.order_by("-id").first(), made.order_by("id").first()
            if service is None or bulk is None:
                return [f"no {lane} documents to compare"]
            problems += _differences(service.application, bulk.application)
            problems += _differences(service, bulk)
    return problems


def _differences(service: Model, bulk: Model) -> list[str]:
    same = ("state", "version", "escalation_level", "lane", "status", "scale", "paused_state")
    found = []
    for f in type(service)._meta.concrete_fields:
        a, b = getattr(service, f.attname), getattr(bulk, f.attname)
        if (a in (None, "")) != (b in (None, "")) or (f.name in same and a != b):
            found.append(f"{type(service).__name__}.{f.name}: service {a!r}, bulk {b!r}")
    return found


def pages_check(port: int, paths: list[tuple[str, str]], count: int = 300) -> list[str]:
    """The pages of a sample of paths state what the rows say (404 when unknown)."""
    from .__main__ import step
    from .server import get

    wrong = []
    for path, expected in paths[:count]:
        status, body = get(port, path)
        stated = re.search(rb'data-status="([a-z]+)"', body)
        said = stated.group(1).decode() if stated else "-"
        if said != expected or status != (404 if expected == "unknown" else 200):
            wrong.append(f"{path}: {status} {said}, expected {expected}")
    step(f"Checked {min(count, len(paths))} paths: {len(wrong)} wrong")
    return wrong


def statuses() -> dict[str, int]:
    """Documents by what the page states: valid, expired, suspended, revoked."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN status = 'valid' AND valid_until < current_date THEN 'expired' "
            "ELSE status END, count(*) FROM permits_permit GROUP BY 1 ORDER BY 1"
        )
        return {status: count for status, count in cursor.fetchall()}


def sample_paths(count: int, unknown_share: float, seed: int = 7) -> list[tuple[str, str]]:
    """Verification paths of `count` documents drawn at random over every region, each
    with the status the page must state, then a share of unknown codes, in three kinds:
    a real code with its signature altered, a made-up one, and a real code asked at
    another region. The printed code is made as the permit's PDF makes it (`code_for`)."""
    rng = random.Random(seed)
    slugs = dict(Region.objects.filter(is_active=True).values_list("pk", "slug"))
    today = timezone.localdate()
    with dangerously_unscoped():
        rows = list(
            Permit.objects.order_by("?").values_list("region_id", "token", "status", "valid_until")[
                :count
            ]
        )
    found = []
    for region_id, token, status, until in rows:
        expected = status if status != "valid" else "expired" if until and until < today else status
        found.append((slugs[region_id], code_for(region_id, token), expected))
    paths = [(f"/{slug}/permits/verify/{code}/", expected) for slug, code, expected in found]
    others = sorted(set(slugs.values()))
    for n in range(round(len(found) * unknown_share / (1 - unknown_share))):
        slug, code, _expected = found[n % len(found)]
        if n % 3 == 0:  # the signature altered in its last character
            code = code[:-1] + ("A" if code[-1] != "A" else "B")
        elif n % 3 == 1 or len(others) < 2:  # made up
            code = token_new() + token_new()
        else:  # genuine, but another region's
            slug = others[(others.index(slug) + 1 + rng.randrange(len(others) - 1)) % len(others)]
        paths.append((f"/{slug}/permits/verify/{code}/", "unknown"))
    rng.shuffle(paths)
    return paths
