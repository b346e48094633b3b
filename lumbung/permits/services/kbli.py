"""The region's list of business activities: imported from CSV (all rows or none, with a
report naming every bad row) or, for a new region, a starter set of common local
activities (KBLI 2020) adopted on first use."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from lumbung.core.errors import DomainError
from lumbung.core.models import Region, User

from ..errors import PermitsError
from ..models import Kbli, PermitType
from .catalogue import kbli_clean
from .common import record

COLUMNS = ("code", "title_id", "title_en", "risk_micro", "risk_small", "risk_medium", "risk_large")
OPTIONAL = ("permit_type",)
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
R, MR, MT, T = "rendah", "menengah_rendah", "menengah_tinggi", "tinggi"

# (code, title in Bahasa Indonesia, in English, risk at micro / small / medium / large).
# Risk levels follow the pattern of PP 5/2021's annex for these activities; a region
# checks them against the current regulation (PP 28/2025) before going live.
STARTER: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("47111", "Perdagangan eceran berbagai macam barang utamanya makanan, minuman atau "
     "tembakau di minimarket/supermarket/hypermarket", "Retail in minimarkets and "
     "supermarkets, mainly food, beverages or tobacco", R, R, MR, MR),
    ("47112", "Perdagangan eceran berbagai macam barang utamanya makanan, minuman atau "
     "tembakau bukan di minimarket (tradisional)", "Traditional retail shops, mainly food, "
     "beverages or tobacco", R, R, R, MR),
    ("47241", "Perdagangan eceran roti, kue kering, serta kue basah dan sejenisnya",
     "Retail sale of bread, cakes and pastries", R, R, R, MR),
    ("47711", "Perdagangan eceran pakaian", "Retail sale of clothing", R, R, R, R),
    ("47591", "Perdagangan eceran furnitur", "Retail sale of furniture", R, R, R, R),
    ("47721", "Perdagangan eceran barang dan obat farmasi di apotek",
     "Dispensing pharmacies", T, T, T, T),
    ("56101", "Restoran", "Restaurants", R, R, MR, MR),
    ("56102", "Rumah/warung makan", "Eating houses (warung makan)", R, R, MR, MR),
    ("56103", "Kedai makanan", "Food stalls", R, R, R, MR),
    ("56104", "Penyediaan makanan keliling/tempat tidak tetap",
     "Mobile food vendors", R, R, R, R),
    ("56210", "Jasa boga untuk suatu event tertentu (event catering)",
     "Event catering", MR, MR, MT, MT),
    ("56303", "Rumah minum/kafe", "Cafés", R, R, MR, MR),
    ("10710", "Industri produk roti dan kue", "Manufacture of bakery products", R, MR, MR, MT),
    ("10794", "Industri kerupuk, keripik, peyek dan sejenisnya",
     "Manufacture of crackers, chips and similar snacks", R, MR, MR, MT),
    ("14111", "Industri pakaian jadi (konveksi) dari tekstil",
     "Manufacture of textile garments (konveksi)", R, R, MR, MT),
    ("45201", "Reparasi mobil", "Repair of cars", MR, MR, MR, MT),
    ("45405", "Reparasi dan perawatan sepeda motor",
     "Repair and maintenance of motorcycles", R, R, MR, MR),
    ("55110", "Hotel bintang", "Star-rated hotels", MT, MT, T, T),
    ("55130", "Pondok wisata", "Homestays (pondok wisata)", R, MR, MR, MR),
    ("73100", "Periklanan", "Advertising", MR, MR, MT, MT),
    ("41011", "Konstruksi gedung hunian", "Construction of residential buildings",
     MT, MT, T, T),
    ("96111", "Aktivitas pangkas rambut", "Barber shops", R, R, R, MR),
)  # fmt: skip


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)  # "row 3.code": [...]


def _rows(text: str) -> tuple[list[dict[str, str]], dict[str, list[str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], {"header": [_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}]}
    reader.fieldnames = header
    rows = [dict(r) for r in reader]
    if len(rows) > MAX_ROWS:
        return [], {"file": [_("At most %(n)d rows.") % {"n": MAX_ROWS}]}
    return rows, {}


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise DomainError(
            PermitsError.KBLI_IMPORT_FAILED,
            _("The file is larger than 2 MB."),
            field_errors={"file": [_("Too large.")]},
            status=422,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            PermitsError.KBLI_IMPORT_FAILED,
            _("Save the file as CSV in UTF-8."),
            field_errors={"file": [_("Not UTF-8 text.")]},
            status=422,
        ) from None


def _check_rows(
    region: Region, rows: list[dict[str, str]]
) -> tuple[list[tuple[dict[str, str], PermitType | None]], dict[str, list[str]]]:
    types = {t.code: t for t in PermitType.objects.filter(region=region)}
    good: list[tuple[dict[str, str], PermitType | None]] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        values = {c: (row.get(c) or "") for c in COLUMNS}
        try:
            clean = kbli_clean(values)
        except DomainError as bad:
            for name, messages in bad.field_errors.items():
                errors[f"row {number}.{name}"] = messages
            continue
        type_code = (row.get("permit_type") or "").strip()
        if type_code and type_code not in types:
            errors[f"row {number}.permit_type"] = [_("No permit type with this code.")]
        if clean["code"] in seen:
            errors[f"row {number}.code"] = [_("This code is already in the file.")]
        seen.add(clean["code"])
        good.append((clean, types.get(type_code)))
    return good, errors


@transaction.atomic
def kbli_import_csv(*, region: Region, actor: User | None, data: bytes | str) -> ImportReport:
    """Import activities from CSV (columns: code, title_id, title_en, risk_micro,
    risk_small, risk_medium, risk_large, optional permit_type). All rows or none: any bad
    row refuses the file with every bad row and field named."""
    rows, errors = _rows(_decode(data))
    good, row_errors = _check_rows(region, rows) if rows else ([], {})
    errors |= row_errors
    if not errors and not good:
        errors = {"file": [_("The file has no rows.")]}
    if errors:
        raise DomainError(
            PermitsError.KBLI_IMPORT_FAILED,
            _("%(n)d problems in the file; nothing was imported.") % {"n": len(errors)},
            field_errors=errors,
            status=422,
        )
    report = ImportReport()
    for clean, permit_type in good:
        code = clean.pop("code")
        _row, created = Kbli.objects.update_or_create(
            region=region, code=code, defaults={**clean, "permit_type": permit_type}
        )
        report.created += created
        report.updated += not created
    record(
        region,
        actor,
        None,
        "kbli.import",
        {"created": report.created, "updated": report.updated},
    )
    return report


@transaction.atomic
def kbli_adopt_starter(*, region: Region, actor: User | None) -> int:
    """Add the starter activities the region does not have yet; returns how many."""
    have = set(Kbli.objects.filter(region=region).values_list("code", flat=True))
    new = [
        Kbli(
            region=region,
            code=code,
            title_id=title_id,
            title_en=title_en,
            risk_micro=micro,
            risk_small=small,
            risk_medium=medium,
            risk_large=large,
        )
        for code, title_id, title_en, micro, small, medium, large in STARTER
        if code not in have
    ]
    Kbli.objects.bulk_create(new)
    if new:
        record(region, actor, None, "kbli.adopt_starter", {"added": len(new)})
    return len(new)
