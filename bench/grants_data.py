"""The generated recipient list of the grants import bench: valid NIKs from real region
codes and dates, with a share of bad rows of every kind, written once and reused."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HEADER = [
    "nik",
    "kk",
    "name",
    "birth_date",
    "sex",
    "address",
    "kelurahan_code",
    "phone",
    "welfare_decile",
]
FIRST = [
    "Siti",
    "Budi",
    "Agus",
    "Dewi",
    "Sri",
    "Ahmad",
    "Nur",
    "Rina",
    "Asep",
    "Ujang",
    "Euis",
    "Dadang",
    "Yuyun",
    "Cecep",
    "Neneng",
    "Iwan",
    "Lilis",
    "Hendra",
]
LAST = [
    "Santoso",
    "Rahayu",
    "Hidayat",
    "Kurniawan",
    "Lestari",
    "Saputra",
    "Permana",
    "Setiawan",
    "Nurhayati",
    "Suryadi",
    "Wahyuni",
    "Gunawan",
    "Fitriani",
]


def generate(path: Path, rows: int, bad: float, region: str, seed: int = 4) -> bool:
    """Write the list unless a file of that name exists; True if it was written."""
    if path.exists():
        return False
    from lokal import wilayah

    from lumbung.grants.nik import encode, region_codes

    rng = random.Random(seed)
    codes = sorted(region_codes())
    villages = [v.code for k in wilayah.list_wilayah(region) for v in wilayah.list_wilayah(k.code)]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    base = dt.date(1935, 1, 1)
    with partial.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        previous: list[str] = []
        for n in range(rows):
            birth = base + dt.timedelta(days=rng.randrange(30000))
            sex = "P" if n % 2 else "L"
            # Most people were registered here; some elsewhere (the NIK keeps its first code).
            code = region if rng.random() < 0.8 else rng.choice(codes)
            nik = encode(code, birth, sex, kecamatan=rng.randrange(1, 31), serial=n % 9999 + 1)
            # A serial per (code, kecamatan, date) makes the NIK unique: add the row's
            # thousands to the kecamatan so that a million rows never repeat one.
            nik = nik[:4] + f"{(n // 9999) % 90 + 10:02d}" + nik[6:]
            row = [
                nik,
                f"{nik[:6]}{rng.randrange(10**10):010d}",
                f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                birth.isoformat(),
                sex,
                f"Jl. {rng.choice(LAST)} No. {rng.randrange(1, 300)} RT {rng.randrange(1, 20):02d}",
                rng.choice(villages),
                f"08{rng.choice('1257')}{rng.randrange(10**9):09d}",
                str(rng.randrange(1, 11)),
            ]
            if previous and rng.random() < bad:
                row = spoil(rng, row, previous)
            writer.writerow(row)
            previous = row
    partial.rename(path)
    return True


def spoil(rng: random.Random, row: list[str], previous: list[str]) -> list[str]:
    """One mistake of the kinds found in real lists."""
    kind = rng.randrange(6)
    if kind == 0:
        row[0] = row[0][:15]  # a digit lost
    elif kind == 1:
        row[3] = "1999-02-30" if rng.random() < 0.5 else "2001-01-01"  # not the NIK's date
    elif kind == 2:
        row[8] = "11"
    elif kind == 3:
        row[0] = previous[0]  # the same NIK twice
    elif kind == 4:
        # The same person under another NIK (same date and sex in it, another serial).
        row[2], row[3], row[4], row[6] = previous[2], previous[3], previous[4], previous[6]
        row[0] = previous[0][:12] + f"{int(previous[0][12:]) % 9998 + 1:04d}"
    else:
        row[4] = "P" if row[4] == "L" else "L"
    return row
