"""What the performance demo is made of: the offices' shapes (who heads them, the positions
and grades of their staff, how many people each gets), the activity catalogue, names,
notes and review reasons, TPP bases per grade; and the people and their days (entries,
attendance, the files that carry them), planned as pure functions of a seeded random
generator. demo.py writes them through the module's services."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from decimal import Decimal

# Each unit: its share of the staff, its head (position, grade), the position of the heads
# of its divisions (grade), and its staff positions (grade). A unit code not listed here is
# a kecamatan.
Posts = tuple[tuple[str, int], ...]
UNITS: dict[str, tuple[int, tuple[str, int], tuple[str, int], Posts]] = {
    "SETDA": (
        3, ("Sekretaris Daerah", 16), ("Asisten Daerah", 14),
        (("Analis Kebijakan", 8), ("Pengadministrasi Umum", 5), ("Perencana", 9)),
    ),
    "INSP": (
        2, ("Inspektur", 15), ("Inspektur Pembantu", 13),
        (("Auditor Ahli Pertama", 8), ("Auditor Ahli Muda", 9), ("Pengadministrasi Umum", 5)),
    ),
    "BAPPEDA": (
        2, ("Kepala Badan", 15), ("Kepala Bidang", 11),
        (("Perencana Ahli Pertama", 8), ("Analis Data", 7), ("Pengolah Data", 6)),
    ),
    "BPKAD": (
        3, ("Kepala Badan", 15), ("Kepala Bidang", 11),
        (("Analis Keuangan", 8), ("Penyusun Laporan Keuangan", 7), ("Bendahara", 7)),
    ),
    "BKPSDM": (
        2, ("Kepala Badan", 15), ("Kepala Bidang", 11),
        (("Analis SDM Aparatur", 8), ("Pengelola Kepegawaian", 6), ("Pranata Komputer", 7)),
    ),
    "DISKOMINFO": (
        2, ("Kepala Dinas", 15), ("Kepala Bidang", 11),
        (("Pranata Komputer", 7), ("Analis Sistem Informasi", 8), ("Pranata Humas", 7)),
    ),
    "DPMPTSP": (
        4, ("Kepala Dinas", 15), ("Kepala Bidang", 11),
        (("Analis Perizinan", 8), ("Pengadministrasi Perizinan", 6), ("Analis Perizinan", 8)),
    ),
    "DINSOS": (
        3, ("Kepala Dinas", 15), ("Kepala Bidang", 11),
        (("Pekerja Sosial", 8), ("Penyuluh Sosial", 7), ("Pengadministrasi Umum", 5)),
    ),
    "DPUPR": (
        3, ("Kepala Dinas", 15), ("Kepala Bidang", 11),
        (("Teknik Jalan dan Jembatan", 8), ("Pengawas Bangunan", 7), ("Juru Ukur", 6)),
    ),
    "SETDA-HUKUM": (
        1, ("Kepala Bagian Hukum", 12), ("Kepala Subbagian", 9),
        (("Analis Hukum", 8), ("Perancang Peraturan", 9)),
    ),
    "SETDA-ORG": (
        1, ("Kepala Bagian Organisasi", 12), ("Kepala Subbagian", 9),
        (("Analis Organisasi", 8), ("Analis Tata Laksana", 8)),
    ),
}  # fmt: skip
KECAMATAN = (
    2, ("Camat", 14), ("Kepala Seksi", 9),
    (("Pengadministrasi Kependudukan", 6), ("Penyuluh", 7), ("Pengelola Layanan", 6)),
)  # fmt: skip
# The overloaded office of the demo: the permit service, every day near the daily cap.
BUSY_UNIT = "DPMPTSP"
TOP_UNIT = "SETDA"  # its head is at the top of every chain
STAFF_PER_DIVISION = 8

# The full monthly allowance per job grade (Rupiah), from the formula's first month.
TPP_BASES = {grade: Decimal(amount) for grade, amount in (
    (1, 2_000_000), (2, 2_200_000), (3, 2_400_000), (4, 2_600_000), (5, 3_000_000),
    (6, 3_400_000), (7, 3_900_000), (8, 4_500_000), (9, 5_200_000), (10, 6_200_000),
    (11, 7_500_000), (12, 9_000_000), (13, 11_000_000), (14, 14_000_000),
    (15, 17_500_000), (16, 22_000_000), (17, 28_000_000),
)}  # fmt: skip

# The catalogue: name (id, en), output unit (id, en), standard minutes, who may use it
# ("lead": heads of units and divisions; a tuple: those positions; empty: everyone).
ACTIVITIES: tuple[tuple[str, str, str, str, int, str | tuple[str, ...]], ...] = (
    ("Menyusun konsep surat dinas", "Draft an official letter", "surat", "letter", 30, ""),
    ("Mengikuti rapat koordinasi", "Attend a coordination meeting", "rapat", "meeting", 60, ""),
    ("Menyusun laporan kegiatan", "Write an activity report", "laporan", "report", 90, ""),
    ("Mengolah dan menginput data", "Process and enter data", "berkas data", "data file", 15, ""),
    ("Mengarsipkan dokumen", "File documents", "berkas", "file", 5, ""),
    ("Menyusun bahan paparan", "Prepare a presentation", "paparan", "presentation", 90, ""),
    ("Melayani konsultasi warga", "Advise a citizen", "layanan", "consultation", 20, ""),
    ("Menyusun telaahan staf", "Draft a staff study", "telaahan", "study", 120, ""),
    ("Melakukan survei lapangan", "Carry out a field survey", "lokasi", "site", 120, ""),
    ("Memeriksa dokumen keuangan", "Check a financial document", "dokumen", "document", 30, ""),
    ("Memverifikasi berkas permohonan izin", "Verify a permit application file", "berkas",
     "file", 10, ("Analis Perizinan", "Pengadministrasi Perizinan")),
    ("Memimpin rapat dan memberi arahan", "Chair a meeting and give direction", "rapat",
     "meeting", 60, "lead"),
    ("Mengoreksi dan memaraf konsep naskah", "Correct and initial a draft", "naskah", "draft",
     15, "lead"),
)  # fmt: skip
LETTER, MEETING, REPORT, DATA, FILING, SLIDES, ADVICE, STUDY = 0, 1, 2, 3, 4, 5, 6, 7
SURVEY, FINANCE, VERIFY, CHAIR, CORRECT = 8, 9, 10, 11, 12
COMMON = (LETTER, LETTER, MEETING, REPORT, DATA, DATA, FILING)
LEADING = (CHAIR, CORRECT, CORRECT, STUDY, MEETING, LETTER)
UNIT_WORK = {
    "BAPPEDA": (SLIDES, STUDY), "BPKAD": (FINANCE, FINANCE), "INSP": (FINANCE, STUDY),
    "DPMPTSP": (VERIFY,) * 6 + (ADVICE,), "DINSOS": (ADVICE, SURVEY),
    "DPUPR": (SURVEY, SURVEY), "DISKOMINFO": (DATA, SLIDES), "BKPSDM": (DATA, STUDY),
}  # fmt: skip
KECAMATAN_WORK = (ADVICE, ADVICE, DATA)
# The implausible quantities: on these working days of a month (the 3rd, 8th and 13th),
# one entry of this many files (a busy colleague verifies 10 to 20 a block).
LARGE_DAYS = {2: 34, 7: 38, 12: 42}
# The fixed day of the person at the daily cap: exactly 420 minutes, every day.
CAPPED_DAY = (
    (dt.time(7, 45), dt.time(9, 45), LETTER, 4), (dt.time(9, 45), dt.time(11, 15), DATA, 6),
    (dt.time(13, 0), dt.time(14, 0), MEETING, 1), (dt.time(14, 0), dt.time(15, 30), REPORT, 1),
    (dt.time(15, 30), dt.time(16, 30), FILING, 12),
)  # fmt: skip
# Activities proposed by civil servants: one waits, one was accepted, one was declined.
PROPOSALS: tuple[tuple[str, str, str, str, int], ...] = (
    ("Mendampingi kunjungan kerja pimpinan", "Accompany a leader's working visit",
     "kunjungan", "visit", 120),
    ("Menyusun konten media sosial dinas", "Write the office's social media posts",
     "konten", "post", 45),
    ("Mengikuti apel pagi", "Attend the morning assembly", "apel", "assembly", 30),
)  # fmt: skip
DECLINE_REASON = "Apel pagi bagian dari jam kerja, bukan keluaran kinerja."

NOTES = {
    LETTER: ("Surat undangan rapat nomor {n}", "Surat balasan permohonan data {n}",
             "Nota dinas kepada kepala bidang {n}"),
    MEETING: ("Rapat koordinasi program {n}", "Rapat evaluasi triwulan {n}"),
    REPORT: ("Laporan kegiatan pekan ke-{n}", "Laporan realisasi program {n}"),
    DATA: ("Input data aplikasi {n}", "Pemutakhiran data {n}"),
    FILING: ("Arsip surat masuk {n}", "Arsip berkas {n}"),
    SURVEY: ("Survei lokasi RW {n}", "Peninjauan lapangan titik {n}"),
    VERIFY: ("Verifikasi berkas PBG {n}", "Verifikasi berkas izin usaha {n}"),
}  # fmt: skip
# The anomalies' own words: the same entry day after day, the same note by many.
COPIED_NOTE = "Menyusun laporan kegiatan harian bidang perencanaan"
SHARED_NOTE = "Mengikuti sosialisasi aplikasi E-RK di aula Balai Kota"
REJECT_REASONS = (
    "Kegiatan ini bukan tugas jabatan Saudara; gunakan kegiatan yang sesuai.",
    "Bukti kegiatan belum ada; lampirkan lalu kirim ulang.",
    "Waktu kegiatan bertumpuk dengan rapat yang Saudara ikuti.",
)
ADJUST_REASON = "Jumlah disesuaikan dengan berkas yang benar-benar selesai."

MALE = (
    "Asep", "Dadang", "Agus", "Budi", "Dedi", "Eko", "Hendra", "Iwan", "Joko", "Rudi",
    "Wahyu", "Yudi", "Ahmad", "Bambang", "Cecep", "Deni", "Fajar", "Rizki", "Tatang",
)  # fmt: skip
FEMALE = (
    "Siti", "Dewi", "Rina", "Euis", "Neneng", "Lina", "Yuli", "Wulan", "Ratna", "Fitri",
    "Nur", "Intan", "Ayu", "Tuti", "Dian", "Sri", "Rahmawati", "Nining", "Evi",
)  # fmt: skip
FAMILY = ("Hidayat", "Saputra", "Nugraha", "Suryana", "Kusnadi", "Permana", "Rahman",
          "Setiawan", "Gunawan", "Hermawan", "Wijaya", "Lestari", "Sulastri", "Rohmah",
          "Maulana", "Firmansyah", "Kurniawan", "Pratama", "Susanti", "Marlina")  # fmt: skip

# Minutes a person of each kind claims on an ordinary day (the cap is 420).
DAY_MINUTES = {"normal": (265, 345), "busy": (400, 419), "lead": (230, 320), "idle": (45, 130)}
DAY_START = dt.time(7, 45)
LUNCH = (dt.time(12), dt.time(13))


@dataclass(frozen=True)
class Planned:
    """One entry of a person's day, as they will send it."""

    start: dt.time
    end: dt.time
    activity: int  # an index of ACTIVITIES
    quantity: int
    note: str = ""
    overtime: bool = False


@dataclass
class Person:
    """One civil servant of the demo and the part the plan gives them."""

    nip: str
    name: str
    unit: str
    position: str
    grade: int
    kind: str  # pns or pppk
    supervisor: str = ""  # NIP
    email: str = ""
    lead: bool = False
    profile: str = "normal"  # normal, busy, lead, idle; cap, copy, large (the anomalies)
    late_often: bool = False
    reports: list[str] = field(default_factory=list)

    @property
    def active_from(self) -> dt.date:
        """The appointment month's first day (a PPPK's contract: March of its year)."""
        month = int(self.nip[12:14])
        return dt.date(int(self.nip[8:12]), 3 if month == PPPK_MONTH else month, 1)

    @property
    def account(self) -> str:
        return self.email.split("@")[0]


PPPK_MONTH = 21


# The people ---------------------------------------------------------------------------------


def people(units: list[str], size: int, rng: random.Random, year: int, slug: str) -> list[Person]:
    """The region's civil servants: in each unit a head, heads of division and their staff,
    the unit's share of `size`; the Secretariat's head at the top of every chain. NIPs are
    of people appointed by `year`."""
    shapes = {code: UNITS.get(code, KECAMATAN) for code in units}
    total = sum(shape[0] for shape in shapes.values())
    taken: set[str] = set()
    found: list[Person] = []
    top = ""
    for code in sorted(units, key=lambda c: (c != TOP_UNIT, c)):
        share, head_post, lead_post, posts = shapes[code]
        count = max(3, round(size * share / total))
        head = _person(rng, taken, year, code, head_post, top, lead=True)
        top = top or head.nip
        divisions = max(1, round((count - 1) / (STAFF_PER_DIVISION + 1)))
        middle = [_person(rng, taken, year, code, lead_post, head.nip, lead=True)
                  for _ in range(divisions)]  # fmt: skip
        # A unit's first staff member is a PNS: the demo ASN account is one.
        staff = [_person(rng, taken, year, code, posts[n % len(posts)],
                         middle[n % divisions].nip, pppk=n > 0 and rng.random() < 0.15)
                 for n in range(count - 1 - divisions)]  # fmt: skip
        found += [head, *middle, *staff]
    _parts(found, rng, slug)
    by_nip = {p.nip: p for p in found}
    for person in found:
        if person.supervisor:
            by_nip[person.supervisor].reports.append(person.nip)
    return found


def _person(
    rng: random.Random, taken: set[str], year: int, unit: str, post: tuple[str, int],
    supervisor: str, *, lead: bool = False, pppk: bool = False,
) -> Person:  # fmt: skip
    female = rng.random() < 0.5
    return Person(
        nip=nip_for(rng, taken, female=female, pppk=pppk, year=year),
        name=f"{rng.choice(FEMALE if female else MALE)} {rng.choice(FAMILY)}",
        unit=unit, position=post[0], grade=post[1], kind="pppk" if pppk else "pns",
        supervisor=supervisor, lead=lead, profile="lead" if lead else "normal",
    )  # fmt: skip


def _parts(found: list[Person], rng: random.Random, slug: str) -> None:
    """The demo accounts in the overloaded office (head@ over atasan@ over asn@), everyone
    there busy, the people behind the anomalies (one at the cap every day, one who copies
    an entry, one with implausible quantities), some idle, some often late."""
    busy = [p for p in found if p.unit == BUSY_UNIT]
    head, atasan = busy[0], busy[1]
    asn = next(p for p in busy if p.supervisor == atasan.nip)
    for person, account in ((head, "head"), (atasan, "atasan"), (asn, "asn")):
        person.email = f"{account}@{slug}.demo"
    atasan.position = "Kepala Bidang Pelayanan Perizinan"
    for person in busy:
        person.profile = "busy"
    next(p for p in busy if not p.lead and p is not asn).profile = "large"
    staff = [p for p in found if not p.lead and p.unit != BUSY_UNIT]
    for unit, profile in (("BPKAD", "cap"), ("BAPPEDA", "copy")):
        next(p for p in staff if p.unit == unit).profile = profile
    ordinary = [p for p in staff if p.profile == "normal"]
    for person in rng.sample(ordinary, max(2, len(ordinary) * 8 // 100)):
        person.profile = "idle"
    for person in rng.sample(staff, max(2, len(staff) * 6 // 100)):
        person.late_often = True
    for person in found:
        person.email = person.email or f"pegawai.{person.nip}@{slug}.demo"


def nip_for(rng: random.Random, taken: set[str], *, female: bool, pppk: bool, year: int) -> str:
    """A plausible, unused NIP: birth date, appointment (a PNS's month, a PPPK's 21), sex,
    serial."""
    while True:
        birth = dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
        if pppk:
            appointed = f"{rng.randint(max(2019, birth.year + 22), year)}{PPPK_MONTH}"
        else:
            appointed = f"{min(birth.year + rng.randint(22, 30), year)}{rng.randint(1, 12):02d}"
        nip = f"{birth:%Y%m%d}{appointed}{2 if female else 1}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def staff_file(found: list[Person]) -> bytes:
    """The registry's import file (CSV), supervisors by NIP."""
    rows: list[list[object]] = [[
        "nip", "name", "unit_code", "position", "job_grade", "employment_type", "active_from",
        "supervisor_nip", "email",
    ]]  # fmt: skip
    rows += [[p.nip, p.name, p.unit, p.position, p.grade, p.kind, p.active_from.isoformat(),
              p.supervisor, p.email] for p in found]  # fmt: skip
    return csv_bytes(rows)


def csv_bytes(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


# Their days -----------------------------------------------------------------------------------

Day = tuple[str, list[Planned]]  # present, duty, leave, sick or absent; the entries


def day_kinds(rng: random.Random, person: Person, working: list[dt.date]) -> dict[dt.date, str]:
    """Each working day: mostly present, now and then on duty, sick or absent (idle people
    more often), and a short leave in one month out of four."""
    if person.profile == "cap":  # never away: at the cap on every working day
        return dict.fromkeys(working, "present")
    leave: set[dt.date] = set()
    for month in sorted({(x.year, x.month) for x in working}):
        days = [x for x in working if (x.year, x.month) == month]
        if rng.random() < 0.25:
            begin = rng.randrange(len(days))
            leave.update(days[begin : begin + rng.randint(1, 3)])
    absent = 0.07 if person.profile == "idle" else 0.038
    kinds: dict[dt.date, str] = {}
    for day in working:
        roll = rng.random()
        kinds[day] = ("leave" if day in leave else "sick" if roll < 0.01 else "duty"
                      if roll < 0.03 else "absent" if roll < absent else "present")  # fmt: skip
    return kinds


def day_entries(
    rng: random.Random, person: Person, day: dt.date, *, shared: bool, large: int = 0
) -> list[Planned]:
    """A working day's entries, as the person's part has it (`large`: the day's one entry
    of implausibly many files)."""
    if person.profile == "cap":
        return [Planned(a, b, act, q, f"Pekerjaan rutin {day:%d/%m} bagian {n + 1}")
                for n, (a, b, act, q) in enumerate(CAPPED_DAY)]  # fmt: skip
    if large:
        note = f"Verifikasi berkas masuk {day:%d/%m}"
        return [Planned(dt.time(7, 30), dt.time(14, 30), VERIFY, large, note)]
    low, high = DAY_MINUTES[{"large": "busy", "copy": "normal"}.get(person.profile, person.profile)]
    fixed: list[Planned] = []
    if person.profile == "copy":
        fixed = [Planned(dt.time(8), dt.time(9, 30), REPORT, 1, COPIED_NOTE)]
    elif shared:
        fixed = [Planned(dt.time(8), dt.time(10), MEETING, 2, SHARED_NOTE)]
    claimed = sum(ACTIVITIES[f.activity][4] * f.quantity for f in fixed)
    start = fixed[-1].end if fixed else DAY_START
    return fixed + day_plan(rng, rng.randint(low, high) - claimed, choices(person), start)


def choices(person: Person) -> list[int]:
    """The activities a person's days are made of: the common ones and their office's own,
    or a head's leading ones."""
    if person.lead:
        return list(LEADING)
    own = UNIT_WORK.get(person.unit, () if person.unit in UNITS else KECAMATAN_WORK)
    return [*COMMON, *own]


def day_plan(
    rng: random.Random, minutes: int, among: list[int], start: dt.time = DAY_START
) -> list[Planned]:
    """Entries one after another from `start`, around the lunch hour, claiming about
    `minutes` in all (never more), each of one of `among` with a quantity that fits."""
    planned: list[Planned] = []
    clock, left = _minutes(start), minutes
    while left >= 15 and clock < 17 * 60:
        if _minutes(LUNCH[0]) <= clock < _minutes(LUNCH[1]):
            clock = _minutes(LUNCH[1])
        activity = rng.choice(among)
        each = ACTIVITIES[activity][4]
        quantity = max(1, min(left, rng.randint(100, 200)) // each)
        claimed = quantity * each
        span = claimed + rng.choice((0, 0, 5, 10, 15))
        if claimed > left or clock + span > 18 * 60:
            break
        if clock < _minutes(LUNCH[0]) < clock + span:
            clock = _minutes(LUNCH[1])
        note = rng.choice(NOTES.get(activity, ("",))).format(n=rng.randint(100, 9999))
        planned.append(Planned(_clock(clock), _clock(clock + span), activity, quantity, note))
        clock += span + rng.choice((0, 0, 5, 10))
        left -= claimed
    return planned


def attendance_files(
    found: list[Person], days: dict[str, dict[dt.date, Day]], first: dt.date, last: dt.date
) -> tuple[bytes, bytes]:
    """The machine export (present days: check-in and check-out) and the leave records
    (leave, sick, duty) of the days from `first` to `last`; an absent day is in neither."""
    machine: list[list[object]] = [["nip", "tanggal", "jam_masuk", "jam_pulang"]]
    leave: list[list[object]] = [["nip", "dari", "sampai", "jenis", "keterangan"]]
    for person in found:
        for day, (kind, _entries) in days[person.nip].items():
            if not first <= day <= last:
                continue
            if kind == "present":
                rng = random.Random(f"{person.nip}:{day}")  # noqa: S311 - not a secret
                machine.append([person.nip, day.isoformat(),
                                *check_times(rng, day, person.late_often)])  # fmt: skip
            elif kind in LEAVE_KINDS:
                leave.append([person.nip, day.isoformat(), day.isoformat(), *LEAVE_KINDS[kind]])
    return (csv_bytes(machine) if len(machine) > 1 else b"",
            csv_bytes(leave) if len(leave) > 1 else b"")  # fmt: skip


LEAVE_KINDS = {"leave": ("cuti", "Cuti tahunan"), "sick": ("sakit", "Surat keterangan dokter"),
               "duty": ("dinas", "Dinas luar")}  # fmt: skip


def check_times(rng: random.Random, day: dt.date, late_often: bool) -> tuple[str, str]:
    """The attendance machine's check-in and check-out (HH:MM) of a present day: mostly on
    time, now and then late (often, for some), rarely leaving early or not tapping out."""
    late_share = 0.35 if late_often else 0.05
    if rng.random() < late_share:
        check_in = _clock(7 * 60 + 31 + int(rng.triangular(0, 110, 10)))
    else:
        check_in = _clock(6 * 60 + 45 + rng.randint(0, 44))
    closes = 16 * 60 + (30 if day.weekday() == 4 else 0)
    leave = rng.random()
    if leave < 0.01:
        return f"{check_in:%H:%M}", ""
    out = closes - rng.randint(10, 50) if leave < 0.02 else closes + rng.randint(0, 80)
    return f"{check_in:%H:%M}", f"{_clock(out):%H:%M}"


def chunks(rng: random.Random, days: list[dt.date]) -> list[list[dt.date]]:
    """The working days cut into runs of three or four (within the back-dating limit of 3
    working days from the last), none across a month."""
    found: list[list[dt.date]] = []
    size = 0
    for day in days:
        if not found or len(found[-1]) >= size or found[-1][0].month != day.month:
            size = rng.choice((3, 4, 4, 4))
            found.append([])
        found[-1].append(day)
    return found


def month_back(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
