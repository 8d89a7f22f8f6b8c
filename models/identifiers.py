"""Checksum validation, parsing and masking of resident ID numbers, USCC codes and phone numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "IdCheck",
    "age_on",
    "birth_date_from_id",
    "check_phone",
    "check_resident_id",
    "check_uscc",
    "gender_from_id",
    "mask_id",
    "mask_phone",
    "org_code_check_char",
    "resident_id_check_char",
    "uscc_check_char",
]


@dataclass(frozen=True)
class IdCheck:
    """Outcome of validating one identifier; messages are user-facing Simplified Chinese."""

    ok: bool
    normalized: str
    message: str
    # A non-blocking remark: set when the value is accepted but something looks odd
    # (e.g. a USCC whose embedded organisation code fails its own GB 11714 check).
    warning: str = ""


# --- 居民身份证号 (GB 11643-1999, ISO 7064 MOD 11-2) -------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# Province-level prefixes only: the full 6-digit GB/T 2260 list is deliberately not checked because
# an ID keeps the code of the place of first registration even after that code is retired.
_PROVINCE_CODES = frozenset(
    [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        *range(81, 84),
    ]
)
_ID18_RE = re.compile(r"\d{17}[\dX]")
_ID15_RE = re.compile(r"\d{15}")


def _clean(value: str) -> str:
    # People paste numbers copied from scans or typed in groups ("110105 1949…"); str.split() also
    # removes the full-width space U+3000 that Chinese IMEs produce.
    return "".join(value.split()).upper()


def resident_id_check_char(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character ("0"–"9" or "X") for 17 leading digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _parse_ymd(text: str) -> date | None:
    try:
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _birth_text(cleaned: str) -> str | None:
    """YYYYMMDD part of a cleaned ID (15-digit IDs carry a 2-digit year that is always 19YY)."""
    if _ID18_RE.fullmatch(cleaned):
        return cleaned[6:14]
    if _ID15_RE.fullmatch(cleaned):
        return "19" + cleaned[6:12]
    return None


def check_resident_id(value: str, today: date | None = None) -> IdCheck:
    """Validate an 18-digit (or legacy 15-digit) resident ID number.

    Checks format, province prefix, birth date (exists, not after ``today``) and, for 18 digits,
    the check character. ``normalized`` is the cleaned value (spaces removed, ``x`` → ``X``).
    """
    cleaned = _clean(value)
    today = today or date.today()
    if not cleaned:
        return IdCheck(False, cleaned, "身份证号码不能为空")
    if len(cleaned) not in (15, 18):
        return IdCheck(False, cleaned, "身份证号码长度应为18位")
    if len(cleaned) == 18 and not _ID18_RE.fullmatch(cleaned):
        return IdCheck(False, cleaned, "身份证号码前17位应为数字，末位应为数字或X")
    if len(cleaned) == 15 and not _ID15_RE.fullmatch(cleaned):
        return IdCheck(False, cleaned, "15位身份证号码应全部为数字")
    if int(cleaned[:2]) not in _PROVINCE_CODES:
        return IdCheck(False, cleaned, f"身份证号码前两位省级代码“{cleaned[:2]}”不存在")
    birth_text = _birth_text(cleaned)
    birth = _parse_ymd(birth_text) if birth_text else None
    if birth is None:
        return IdCheck(False, cleaned, "出生日期不存在")
    if birth > today:
        return IdCheck(False, cleaned, "出生日期晚于今天")
    if len(cleaned) == 18:
        expected = resident_id_check_char(cleaned[:17])
        if cleaned[17] != expected:
            return IdCheck(False, cleaned, f"身份证号码校验位错误，应为{expected}")
    # 15-digit numbers have no check digit, so there is nothing more to verify; they stay as-is
    # because converting them to 18 digits would invent a check digit the holder never had.
    return IdCheck(True, cleaned, "")


def birth_date_from_id(value: str) -> date | None:
    """Birth date encoded in an 18- or 15-digit ID, or None if it is malformed (checksum not required)."""
    birth_text = _birth_text(_clean(value))
    return _parse_ymd(birth_text) if birth_text else None


def gender_from_id(value: str) -> str | None:
    """Gender "男" or "女" from the sequence digit (17th of 18, or last of 15); None if malformed."""
    cleaned = _clean(value)
    if _ID18_RE.fullmatch(cleaned):
        digit = int(cleaned[16])
    elif _ID15_RE.fullmatch(cleaned):
        digit = int(cleaned[14])
    else:
        return None
    return "男" if digit % 2 == 1 else "女"


def age_on(birth: date, on: date) -> int:
    """Age in full years (周岁) on ``on``; the count goes up on the birthday itself.

    Someone born on 29 February turns a year older on 1 March in common years. Note that the
    criminal-law interpretation counts 周岁 from the day *after* the birthday; callers applying
    age thresholds (处罚法 art.30) should decide which rule the district follows.
    """
    if on < birth:
        raise ValueError("date is before the birth date")
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


# --- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------------

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUES = {ch: i for i, ch in enumerate(_USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 11714 organisation code: digits keep their value, letters A–Z count 10–35.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a USCC."""
    if len(first17) != 17 or any(ch not in _USCC_VALUES for ch in first17):
        raise ValueError("first17 must be 17 characters from 0-9 and A-Y excluding I, O, S, V, Z")
    total = sum(_USCC_VALUES[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """Return the GB 11714 check character for the first 8 characters of an organisation code."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def check_uscc(value: str) -> IdCheck:
    """Validate a unified social credit code; an inner organisation-code mismatch only warns."""
    cleaned = _clean(value)
    if not cleaned:
        return IdCheck(False, cleaned, "统一社会信用代码不能为空")
    if len(cleaned) != 18:
        return IdCheck(False, cleaned, "统一社会信用代码长度应为18位")
    bad = [ch for ch in cleaned if ch not in _USCC_VALUES]
    if bad:
        return IdCheck(False, cleaned, f"统一社会信用代码含有无效字符“{bad[0]}”（不使用I、O、S、V、Z）")
    expected = uscc_check_char(cleaned[:17])
    if cleaned[17] != expected:
        return IdCheck(False, cleaned, f"统一社会信用代码校验位错误，应为{expected}")
    # Some genuinely issued codes embed an organisation code that fails GB 11714 (legacy data
    # entry errors carried over), so rejecting them would block real parties: warn only.
    org_expected = org_code_check_char(cleaned[8:16])
    warning = ""
    if cleaned[16] != org_expected:
        warning = f"第9–17位组织机构代码校验位不符（应为{org_expected}），请核对营业执照原件"
    return IdCheck(True, cleaned, "", warning)


# --- Masking and phone numbers ----------------------------------------------------------------


def mask_id(value: str) -> str:
    """Mask an ID for display: first 6 and last 4 visible (18 → ``110105********002X``)."""
    cleaned = _clean(value)
    n = len(cleaned)
    if n > 10:
        return cleaned[:6] + "*" * (n - 10) + cleaned[-4:]
    # Too short to keep both ends without revealing almost everything: keep only the tail.
    if n > 4:
        return "*" * (n - 4) + cleaned[-4:]
    return "*" * n


_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS_RE = re.compile(r"[\s\-－()（）]")
# 3-digit area codes (with the trunk 0) are Beijing 010 and the 02x cities; all others have 4.
_LANDLINE_RE = re.compile(r"(0(?:10|2\d))(\d{8})|(0[3-9]\d{2})(\d{7,8})")


def mask_phone(value: str) -> str:
    """Mask a phone number: ``138****5678`` for mobiles, otherwise only the last 4 digits visible."""
    cleaned = "".join(value.split())
    if _MOBILE_RE.fullmatch(cleaned):
        return cleaned[:3] + "****" + cleaned[-4:]
    if len(cleaned) <= 4:
        return "*" * len(cleaned)
    # Keep separators so the masked landline still reads like a phone number.
    head = "".join(ch if ch in "-－" else "*" for ch in cleaned[:-4])
    return head + cleaned[-4:]


def check_phone(value: str) -> IdCheck:
    """Validate a mainland mobile (11 digits) or landline number (area code + 7/8 digits).

    Mobiles normalise to bare digits (a +86/0086 prefix is dropped); landlines to ``0833-1234567``.
    """
    cleaned = _SEPARATORS_RE.sub("", value)
    if not cleaned:
        return IdCheck(False, cleaned, "电话号码不能为空")
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix) and _MOBILE_RE.fullmatch(cleaned[len(prefix) :]):
            cleaned = cleaned[len(prefix) :]
    if _MOBILE_RE.fullmatch(cleaned):
        return IdCheck(True, cleaned, "")
    match = _LANDLINE_RE.fullmatch(cleaned)
    if match:
        area = match.group(1) or match.group(3)
        local = match.group(2) or match.group(4)
        return IdCheck(True, f"{area}-{local}", "")
    if cleaned.startswith("1"):
        return IdCheck(False, cleaned, "手机号码应为以13–19开头的11位数字")
    return IdCheck(False, cleaned, "电话号码格式不正确，手机号应为11位，固定电话如0833-1234567")
