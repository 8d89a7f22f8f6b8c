"""Particulars of made-up people and businesses of the district (乐山市五通桥区, 511112), valid by the checks of
models/identifiers.py: resident ID numbers with their GB 11643 check character, 统一社会信用代码 with both the GB
32100 and the embedded GB 11714 check characters, mobile numbers, addresses in the township."""

from __future__ import annotations

from datetime import date
from random import Random

from models.identifiers import org_code_check_char, resident_id_check_char, uscc_check_char
from tools.demo.bulk.vocab import FEMALE_GIVEN, MALE_GIVEN, STREETS, SURNAMES, VILLAGES

AREA = "511112"  # 四川省乐山市五通桥区
_ORG_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def person_name(rng: Random, gender: str | None = None) -> tuple[str, str]:
    g = gender or ("男" if rng.random() < 0.52 else "女")
    given = rng.choice(MALE_GIVEN if g == "男" else FEMALE_GIVEN)
    return rng.choice(SURNAMES) + given, g


def birth(rng: Random, lo: int = 1950, hi: int = 2000) -> date:
    return date.fromordinal(date(lo, 1, 1).toordinal() + rng.randrange((hi - lo) * 365))


def resident_id(rng: Random, born: date, gender: str, used: set[str]) -> str:
    """A 居民身份证号 of this district not in ``used`` (and added to it); odd sequence digits are men's."""
    while True:
        seq = rng.randrange(100) * 10 + (rng.choice((1, 3, 5, 7, 9)) if gender == "男" else rng.choice((0, 2, 4, 6, 8)))
        first17 = f"{AREA}{born:%Y%m%d}{seq:03d}"
        full = first17 + resident_id_check_char(first17)
        if full not in used:
            used.add(full)
            return full


def uscc(rng: Random, prefix: str, used: set[str]) -> str:
    """A 统一社会信用代码 of this district (prefix 91 company, 92 individual business) not in ``used``."""
    while True:
        first8 = "".join(rng.choice(_ORG_CODE_CHARS) for _ in range(8))
        first17 = f"{prefix}{AREA}{first8}{org_code_check_char(first8)}"
        full = first17 + uscc_check_char(first17)
        if full not in used:
            used.add(full)
            return full


def phone(rng: Random) -> str:
    return "1" + rng.choice(("38", "39", "58", "59", "80", "81", "87", "88", "36", "77", "99", "51")) + \
        f"{rng.randrange(10**8):08d}"


def address(rng: Random, street: bool | None = None) -> str:
    if street is None:
        street = rng.random() < 0.45
    if street:
        return f"竹根镇{rng.choice(STREETS)}{rng.randint(1, 180)}号"
    return f"竹根镇{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"
