"""What the grants demo is made of: organisations, programmes and proposal stories."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# (name, kind, legal age in days at the demo's start, bank account, citizen index,
#  verified?, kelurahan index). Two share a bank account, one is only months old and one
# still waits for verification: the red flags and the queues have something to show.
ORGANISATIONS = (
    ("DKM Masjid Al-Ikhlas Cibeunying", "worship", 4200, "0012000101", 0, True, 0),
    ("Yayasan Pendidikan Nurul Huda", "yayasan", 3100, "0012000102", 1, True, 1),
    ("Karang Taruna Tunas Harapan", "community", 2600, "0012000103", 2, True, 2),
    ("Sanggar Seni Sunda Giri Harja", "perkumpulan", 5200, "0012000104", 3, True, 3),
    ("Persatuan Sepak Bola Antapani", "ormas", 1900, "0012000105", 4, True, 4),
    ("Yayasan Peduli Lansia Mandiri", "yayasan", 150, "0012000106", 0, True, 5),
    ("Paguyuban Pedagang Pasar Kosambi", "perkumpulan", 2300, "0012000106", 1, True, 6),
    ("Majelis Taklim Nurul Iman", "worship", 3650, "0012000108", 2, False, 7),
)

# (code, Indonesian name, English name, ceiling, year offset from this year)
PROGRAMMES = (
    ("keagamaan", "Hibah Sarana Keagamaan", "Places of worship grants", "2500000000", 0),
    ("kepemudaan", "Hibah Kepemudaan dan Olahraga", "Youth and sport grants", "1000000000", 0),
    ("seni-budaya", "Hibah Seni dan Budaya", "Arts and culture grants", "750000000", 0),
    ("keagamaan", "Hibah Sarana Keagamaan", "Places of worship grants", "2000000000", -1),
)


@dataclass(frozen=True)
class Story:
    """One proposal: who, to which programme, for what, and how far it goes."""

    organisation: int
    programme: int
    title: str
    purpose: str
    lines: tuple[tuple[str, str, str, str], ...]  # (item, quantity, unit, unit price)
    until: str  # the state it reaches
    # Amounts at recommendation, consideration and final (None: as requested, a tenth off…)
    amounts: tuple[str, str, str] | None = None
    rise_reason: str = ""  # the consideration raises the amount, with this justification
    early_payment: bool = False  # the first tranche is paid before the NPHD date
    tranches: int = 1
    pin: tuple[str, str] | None = None


RENOVASI = (
    ("Semen dan pasir", "120", "sak", "75000"),
    ("Rangka atap baja ringan", "1", "paket", "48500000"),
    ("Upah tukang", "60", "hari kerja", "180000"),
)
KEGIATAN = (
    ("Sewa tenda dan kursi", "2", "paket", "7500000"),
    ("Konsumsi peserta", "350", "porsi", "25000"),
    ("Honor pelatih", "12", "sesi", "500000"),
)
PERALATAN = (
    ("Seperangkat gamelan degung", "1", "set", "85000000"),
    ("Kostum penari", "20", "stel", "850000"),
)

STORIES = (
    # Last year's grant to the mosque: closed, so this year's is "funded again".
    Story(
        0,
        3,
        "Renovasi atap masjid tahap I",
        "Mengganti atap masjid yang bocor.",
        RENOVASI,
        "closed",
        pin=("-6.899152", "107.636383"),
    ),
    Story(
        0,
        0,
        "Renovasi atap masjid tahap II",
        "Melanjutkan penggantian atap dan plafon.",
        RENOVASI,
        "disbursed",
        early_payment=True,
        pin=("-6.899152", "107.636383"),
    ),
    Story(
        1,
        0,
        "Pembangunan ruang kelas madrasah",
        "Dua ruang kelas untuk 60 santri.",
        RENOVASI,
        "lpj_submitted",
        tranches=2,
        pin=("-6.914744", "107.609810"),
    ),
    Story(
        2,
        1,
        "Pelatihan wirausaha pemuda",
        "Pelatihan 40 pemuda putus sekolah.",
        KEGIATAN,
        "agreement",
        pin=("-6.936011", "107.629420"),
    ),
    Story(
        3,
        2,
        "Pengadaan gamelan degung",
        "Gamelan untuk latihan anak-anak.",
        PERALATAN,
        "decided",
        pin=("-6.921350", "107.603480"),
    ),
    Story(
        4,
        1,
        "Turnamen sepak bola antarkelurahan",
        "Turnamen 16 tim se-kecamatan.",
        KEGIATAN,
        "nominative",
        pin=("-6.914600", "107.661300"),
    ),
    Story(
        3,
        2,
        "Festival seni Sunda",
        "Pergelaran tahunan di Taman Tegallega.",
        KEGIATAN,
        "tapd",
        amounts=("18000000", "21000000", "21000000"),
        rise_reason="Penambahan peserta dari dua kecamatan atas permintaan Disbudpar.",
    ),
    Story(
        1, 1, "Pekan olahraga santri", "Lomba olahraga untuk 300 santri.", KEGIATAN, "consideration"
    ),
    Story(2, 2, "Sanggar tari remaja", "Latihan tari untuk remaja RW 05.", PERALATAN, "evaluation"),
    Story(
        4, 0, "Mushola lapangan", "Mushola di kompleks lapangan sepak bola.", RENOVASI, "assignment"
    ),
    Story(
        5, 0, "Ruang ibadah panti lansia", "Ruang ibadah untuk 45 lansia.", RENOVASI, "submitted"
    ),
    Story(
        6, 1, "Lomba kebersihan pasar", "Lomba kebersihan antarblok pasar.", KEGIATAN, "returned"
    ),
    Story(6, 2, "Pentas musik pasar", "Panggung hiburan akhir pekan.", KEGIATAN, "rejected"),
    Story(0, 2, "Kaligrafi masjid", "Pelatihan kaligrafi remaja masjid.", KEGIATAN, "withdrawn"),
)

TEN_PERCENT_OFF = Decimal("0.9")
