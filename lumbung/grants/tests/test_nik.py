"""NIK validation: valid NIKs built from real region codes and real dates always pass and
give back their birth date and sex; any broken length, character, code or date fails."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st
from lokal import parse_nik

from lumbung.grants import nik
from lumbung.grants.importing.fields import clean_phone

TODAY = dt.date(2026, 3, 2)
CODES = sorted(nik.region_codes())
OLDEST = dt.date(TODAY.year - 99, 1, 1)
nik.checker(TODAY)  # build the tables once, outside any example's deadline

codes = st.sampled_from(CODES)
births = st.dates(min_value=OLDEST, max_value=TODAY)
sexes = st.sampled_from(["L", "P"])
kecamatan = st.integers(1, 99)
serials = st.integers(1, 9999)


@st.composite
def valid_niks(draw: st.DrawFn) -> tuple[str, dt.date, str, str]:
    code, birth, sex = draw(codes), draw(births), draw(sexes)
    value = nik.encode(code, birth, sex, draw(kecamatan), draw(serials))
    return value, birth, sex, code


@settings(max_examples=300)
@given(valid_niks())
def test_a_valid_nik_passes_and_gives_back_its_birth_date_and_sex(case) -> None:
    value, birth, sex, code = case
    # when
    result = nik.parse(value, TODAY)
    # then
    assert result.valid, result.error
    assert result.info is not None
    assert result.info.sex == sex
    assert result.info.region_code == f"{code[:2]}.{code[2:]}"
    # The NIK holds two digits of the year: the latest such date up to today.
    assert result.info.birth_date == birth
    assert nik.matches(result.info, birth, sex, TODAY) == ""


@given(valid_niks())
def test_typed_separators_are_allowed(case) -> None:
    value = case[0]
    assert nik.parse(f"{value[:6]} {value[6:12]}.{value[12:]}", TODAY).valid


@given(valid_niks(), st.integers(0, 15).filter(lambda n: n != 0) | st.integers(17, 30))
def test_any_other_length_fails(case, length) -> None:
    value = (case[0] * 2)[:length]
    result = nik.parse(value, TODAY)
    assert not result.valid
    assert result.error


@given(valid_niks(), st.integers(0, 15), st.sampled_from(list("aZ/_x٣")))
def test_a_non_digit_fails(case, position, char) -> None:
    value = case[0][:position] + char + case[0][position + 1 :]
    assert not nik.parse(value, TODAY).valid


@given(valid_niks(), st.integers(1100, 9999).map(str))
def test_a_region_code_that_is_no_kabupaten_or_kota_fails(case, code) -> None:
    if code in nik.region_codes():
        return
    result = nik.parse(code + case[0][4:], TODAY)
    assert not result.valid
    assert code in result.error


@given(valid_niks(), st.integers(0, 99), st.integers(0, 99))
def test_an_impossible_date_fails(case, day, month) -> None:
    value = case[0]
    real_day = day - 40 if day > 40 else day
    try:
        dt.date(2000, month, real_day)  # a leap year: only 29 Feb depends on the year
        possible = True
    except ValueError:
        possible = False
    if possible:
        return
    broken = f"{value[:6]}{day:02d}{month:02d}{value[10:]}"
    assert not nik.parse(broken, TODAY).valid


def test_a_birth_date_in_the_future_is_read_as_last_century() -> None:
    value = nik.encode("32.73", dt.date(2026, 6, 15), "L")
    result = nik.parse(value, TODAY)
    assert result.info is not None
    assert result.info.birth_date == dt.date(1926, 6, 15)


def test_29_february_of_a_year_that_had_none_fails() -> None:
    value = "3273012902" + "25" + "0001"  # 2025 and 1925 had no 29 February
    assert not nik.parse(value, TODAY).valid


def test_a_given_birth_date_settles_the_century_and_must_agree() -> None:
    info = nik.parse(nik.encode("32.73", dt.date(1920, 1, 1), "P"), TODAY).info
    assert info is not None
    assert nik.matches(info, dt.date(1920, 1, 1), "P", TODAY) == ""  # a 106-year-old
    assert nik.matches(info, dt.date(1920, 1, 2), None, TODAY)
    assert nik.matches(info, None, "L", TODAY)
    assert nik.matches(info, dt.date(2027, 1, 1), None, TODAY)  # in the future


def test_kecamatan_00_and_serial_0000_fail() -> None:
    assert not nik.parse("3273001705800001", TODAY).valid
    assert not nik.parse("3273011705800000", TODAY).valid


@given(valid_niks())
def test_agrees_with_lokal_on_valid_numbers(case) -> None:
    # lokal reads the century from the year alone; on dates up to today we agree.
    assert parse_nik(case[0], reference_date=TODAY).valid


@given(st.from_regex(r"08[0-9]{8,11}", fullmatch=True))
def test_the_fast_phone_path_gives_what_lokal_gives(phone) -> None:
    from lumbung.core.pdp import normalise_phone

    assert clean_phone(phone) == normalise_phone(phone)
