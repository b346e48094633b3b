"""What the permits demo is made of: permit types with their requirements and the
applications' stories (who, what, how far)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .models import FeeKind

NPWP = "01.234.567.8-901.000"
DAY = dt.timedelta(days=1)
# (code, name_id, name_en, legal basis, months, fee kind, amount, rate, by default,
#  inspection, KBLI codes, requirements (code, name_id, name_en, format, mandatory))
TYPES: tuple[tuple[Any, ...], ...] = (
    (
        "apotek",
        "Izin Apotek",
        "Pharmacy permit",
        "Permenkes 9/2017 tentang Apotek",
        60,
        FeeKind.PER_M2,
        "100000",
        "2500",
        False,
        True,
        ("47721",),
        (
            ("denah", "Denah lokasi", "Site plan", "pdf", True),
            ("sipa", "Surat izin praktik apoteker", "Pharmacist's licence", "pdf", True),
            ("foto", "Foto tempat usaha", "Photo of the premises", "image", False),
        ),
    ),
    (
        "reklame",
        "Izin Penyelenggaraan Reklame",
        "Billboard permit",
        "Perda tentang Penyelenggaraan Reklame",
        12,
        FeeKind.PER_M2,
        "0",
        "25000",
        True,
        False,
        ("73100",),
        (
            ("desain", "Desain dan ukuran reklame", "Design and size", "image", True),
            ("lahan", "Izin pemilik lahan", "Landowner's consent", "pdf", True),
        ),
    ),
    (
        "pbg",
        "Persetujuan Bangunan Gedung",
        "Building approval (PBG)",
        "PP 16/2021 tentang Bangunan Gedung",
        0,
        FeeKind.PER_M2,
        "0",
        "10000",
        False,
        True,
        ("41011",),
        (
            ("gambar", "Gambar teknis bangunan", "Technical drawings", "pdf", True),
            ("tanah", "Bukti kepemilikan tanah", "Proof of land ownership", "pdf", True),
        ),
    ),
    (
        "klinik",
        "Izin Operasional Klinik",
        "Health clinic operating permit",
        "Permenkes 14/2021",
        60,
        FeeKind.FIXED,
        "750000",
        "0",
        False,
        True,
        ("86103",),
        (
            ("sdm", "Daftar tenaga kesehatan", "Health staff list", "pdf", True),
            ("denah", "Denah klinik", "Clinic floor plan", "pdf", True),
        ),
    ),
)
CLINIC = ("86103", "Aktivitas klinik swasta", "Private clinics", "tinggi")


@dataclass(frozen=True)
class Story:
    business: str
    citizen: int
    kbli: str
    capital: int
    stage: str  # where it ends
    days_ago: int  # when it was submitted
    area: int = 0
    then: str = ""  # after issue: suspend / revoke; or correction / withdraw / reject


STORIES = (
    Story("Warung Nasi Bu Siti", 0, "56102", 25_000_000, "registered", 80),
    Story("Kedai Kopi Dago", 1, "56303", 120_000_000, "registered", 45),
    Story("Roti Pisang Mang Agus", 3, "10710", 60_000_000, "registered", 20),
    Story("Konveksi Rina Jaya", 4, "14111", 700_000_000, "registered", 10),
    Story("Apotek Sehat Sentosa", 2, "47721", 300_000_000, "issued", 100, area=40),
    Story("Apotek Kimia Rakyat", 1, "47721", 450_000_000, "issued", 70, area=60, then="suspend"),
    Story("Apotek Murah Meriah", 3, "47721", 200_000_000, "issued", 90, area=35, then="revoke"),
    Story("Reklame Simpang Lima", 0, "73100", 150_000_000, "expired", 420, area=8),
    Story("Baliho Jalan Merdeka", 4, "73100", 80_000_000, "by_default", 40, area=12),
    Story("Rumah Tinggal Bpk. Budi", 1, "41011", 900_000_000, "document_check", 2, area=120),
    Story("Ruko Antapani", 2, "41011", 2_000_000_000, "document_check", 12, area=300),
    Story("Klinik Pratama Medika", 3, "86103", 1_500_000_000, "inspection", 8),
    Story("Apotek Bunda", 0, "47721", 350_000_000, "recommendation", 9, area=30),
    Story("Reklame Toko Emas", 2, "73100", 90_000_000, "approval", 6, area=6),
    Story("Apotek Keluarga", 4, "47721", 250_000_000, "payment", 15, area=45),
    Story("Klinik Gigi Senyum", 1, "86103", 1_200_000_000, "signing", 14),
    Story(
        "Apotek Harapan", 3, "47721", 220_000_000, "document_check", 16, area=30, then="correction"
    ),
    Story(
        "Reklame Jembatan Layang",
        0,
        "73100",
        70_000_000,
        "recommendation",
        30,
        area=40,
        then="reject",
    ),
    Story("Apotek Cepat", 2, "47721", 300_000_000, "document_check", 25, area=30, then="withdraw"),
)
