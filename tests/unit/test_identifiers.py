"""Tests for resident ID, USCC and phone validation, parsing and masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.identifiers import (
    IdCheck,
    age_on,
    birth_date_from_id,
    check_phone,
    check_resident_id,
    check_uscc,
    gender_from_id,
    mask_id,
    mask_phone,
    resident_id_check_char,
    uscc_check_char,
)

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PROVINCES = [
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
    71,
    *range(81, 84),
]
TODAY = date(2025, 6, 1)


def _with_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(PROVINCES))
    # Any 4 digits: retired or unknown prefecture/county codes must still be accepted.
    area = draw(st.integers(0, 9999))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(0, 999))
    return _with_check(f"{province:02d}{area:04d}{birth:%Y%m%d}{seq:03d}")


uscc_prefixes = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


# --- resident ID ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014"])
def test_standard_samples_pass(value: str) -> None:
    assert check_resident_id(value, TODAY) == IdCheck(True, value, "")


def test_standard_samples_check_chars() -> None:
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_check_char("44052418800101001") == "4"


def test_lower_case_x_and_spaces_normalised() -> None:
    result = check_resident_id(" 110105 19491231 002x\u3000", TODAY)
    assert result.ok
    assert result.normalized == "11010519491231002X"


def test_wrong_check_char_names_expected_one() -> None:
    result = check_resident_id("110105194912310021", TODAY)
    assert not result.ok
    assert result.message == "身份证号码校验位错误，应为X"


def test_wrong_length() -> None:
    result = check_resident_id("11010519491231002", TODAY)
    assert not result.ok
    assert "长度应为18位" in result.message


def test_non_digit_body_rejected() -> None:
    assert not check_resident_id("1101051949123100XX", TODAY).ok
    assert not check_resident_id("", TODAY).ok


def test_nonexistent_birth_date() -> None:
    result = check_resident_id(_with_check("11010519490230002"), TODAY)
    assert not result.ok
    assert result.message == "出生日期不存在"


def test_future_birth_date_rejected() -> None:
    value = _with_check("51111220250602001")  # born the day after TODAY
    result = check_resident_id(value, TODAY)
    assert not result.ok
    assert "出生日期" in result.message
    assert check_resident_id(value, date(2025, 6, 2)).ok  # born "today" is fine


def test_invalid_province_rejected() -> None:
    result = check_resident_id(_with_check("19010519491231002"), TODAY)
    assert not result.ok
    assert "19" in result.message


def test_retired_area_code_accepted() -> None:
    # 512501 is a pre-1997 Sichuan code (no longer in GB/T 2260); it must not be rejected.
    assert check_resident_id(_with_check("51250119800101001"), TODAY).ok


def test_legacy_15_digit() -> None:
    result = check_resident_id("110105491231002", TODAY)
    assert result == IdCheck(True, "110105491231002", "")
    assert birth_date_from_id("110105491231002") == date(1949, 12, 31)
    assert gender_from_id("110105491231003") == "男"
    assert not check_resident_id("110105490230002", TODAY).ok  # 1949-02-30
    assert not check_resident_id("11010549123100X", TODAY).ok


@given(resident_ids())
def test_generated_ids_pass(value: str) -> None:
    result = check_resident_id(value, TODAY)
    assert result.ok, result.message
    assert result.normalized == value


@given(resident_ids(), st.integers(0, 17), st.integers(1, 10))
def test_any_single_character_change_is_detected(value: str, pos: int, shift: int) -> None:
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    old = alphabet.index(value[pos])
    new_char = alphabet[(old + shift) % len(alphabet)]
    if new_char == value[pos]:
        new_char = alphabet[(old + 1) % len(alphabet)]
    mutated = value[:pos] + new_char + value[pos + 1 :]
    assert not check_resident_id(mutated, TODAY).ok
    # The checksum alone must catch it, whatever else (date, province) the change broke.
    assert resident_id_check_char(mutated[:17]) != mutated[17]


@given(resident_ids())
def test_mask_id_keeps_first_6_and_last_4(value: str) -> None:
    masked = mask_id(value)
    assert len(masked) == 18
    assert masked[:6] == value[:6]
    assert masked[-4:] == value[-4:]
    assert masked[6:14] == "*" * 8


@given(resident_ids())
def test_birth_date_and_gender_parsed(value: str) -> None:
    birth = birth_date_from_id(value)
    assert birth is not None
    assert f"{birth:%Y%m%d}" == value[6:14]
    assert gender_from_id(value) == ("男" if int(value[16]) % 2 else "女")


def test_parsing_samples() -> None:
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "女"
    assert gender_from_id("440524188001010014") == "男"
    assert birth_date_from_id("not an id") is None
    assert gender_from_id("12345") is None


def test_resident_id_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        resident_id_check_char("1234")
    with pytest.raises(ValueError):
        resident_id_check_char("1101051949123100X")


# --- age ------------------------------------------------------------------------------------


def test_age_on_birthday_boundaries() -> None:
    birth = date(2011, 6, 1)
    assert age_on(birth, date(2025, 5, 31)) == 13
    assert age_on(birth, date(2025, 6, 1)) == 14
    assert age_on(birth, birth) == 0


def test_age_on_leap_day_birth() -> None:
    birth = date(2008, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 17
    assert age_on(birth, date(2026, 3, 1)) == 18


def test_age_on_before_birth_raises() -> None:
    with pytest.raises(ValueError):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


@given(st.dates(max_value=date(2100, 1, 1)), st.dates(max_value=date(2100, 1, 1)))
def test_age_matches_birthday_count(a: date, b: date) -> None:
    birth, on = min(a, b), max(a, b)
    age = age_on(birth, on)
    assert age >= 0
    # Age is the number of birthdays passed; compare with the year difference around the birthday.
    assert on.year - birth.year - 1 <= age <= on.year - birth.year


# --- USCC -----------------------------------------------------------------------------------


def test_uscc_sample_passes() -> None:
    assert check_uscc("91350100M000100Y43") == IdCheck(True, "91350100M000100Y43", "", "")
    assert uscc_check_char("91350100M000100Y4") == "3"


def test_uscc_lower_case_normalised() -> None:
    result = check_uscc(" 91350100m000100y43 ")
    assert result.ok
    assert result.normalized == "91350100M000100Y43"


def test_uscc_wrong_check_char() -> None:
    result = check_uscc("91350100M000100Y44")
    assert not result.ok
    assert result.message == "统一社会信用代码校验位错误，应为3"


def test_uscc_invalid_characters_and_length() -> None:
    result = check_uscc("91350100I000100Y43")
    assert not result.ok
    assert "I" in result.message
    assert "18位" in check_uscc("91350100M000100Y4").message


def test_uscc_inner_org_code_failure_only_warns() -> None:
    first17 = "91350100M000100Y5"  # org code check digit should be 4
    value = first17 + uscc_check_char(first17)
    result = check_uscc(value)
    assert result.ok
    assert result.message == ""
    assert "组织机构代码" in result.warning
    assert "4" in result.warning


@given(uscc_prefixes)
def test_generated_uscc_pass(first17: str) -> None:
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.ok, result.message


@given(uscc_prefixes, st.integers(0, 17), st.integers(1, 30))
def test_uscc_single_character_change_is_detected(first17: str, pos: int, shift: int) -> None:
    value = first17 + uscc_check_char(first17)
    new_char = USCC_CHARSET[(USCC_CHARSET.index(value[pos]) + shift) % 31]
    mutated = value[:pos] + new_char + value[pos + 1 :]
    assert mutated != value
    assert not check_uscc(mutated).ok


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("91350100O000100Y4")


# --- phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 19912345678", "19912345678"),
        ("0833-1234567", "0833-1234567"),
        ("08331234567", "0833-1234567"),
        ("0833-12345678", "0833-12345678"),
        ("010-12345678", "010-12345678"),
        ("02812345678", "028-12345678"),
    ],
)
def test_valid_phones(value: str, normalized: str) -> None:
    result = check_phone(value)
    assert result.ok, result.message
    assert result.normalized == normalized


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380001", "0833-123456", "1234567", ""])
def test_invalid_phones(value: str) -> None:
    result = check_phone(value)
    assert not result.ok
    assert result.message


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0833-1234567") == "****-***4567"
    assert mask_phone("123") == "***"
