"""How values read on paper, and the one place sentences are built from parts.

Values: Chinese dates, amounts in capitals and digits, party blocks, officers, remedies. Sentences: every
document type joins its fixed wording and the record's values through :func:`sentence` and :func:`clause`, so
the seams are tidy whatever the values end with (no "从重处罚。，依据", no "。。", a full stop at the end), dates
inside prose read 2026年3月8日, the party is addressed by kind (:func:`you`: 你 / 你单位) and catalogue names
lose the party-kind suffix they carry to tell items apart (:func:`act_name`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from models.base import SHANGHAI
from models.enums import IdType, PartyKind
from models.identifiers import birth_date_from_id, gender_from_id
from models.org import Officer, Township
from models.party import Party
from services.documents.snapshot import OfficerEntry, PartyBlock
from services.reference.settings import Settings

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUP_UNITS = ("", "万", "亿", "万亿")
_ID_TYPES = {IdType.RESIDENT_ID: "居民身份证", IdType.USCC: "统一社会信用代码", IdType.OTHER: "其他证件",
             IdType.NONE: ""}
_KINDS = {PartyKind.PERSON: "自然人", PartyKind.ORGANISATION: "法人或其他组织",
          PartyKind.INDIVIDUAL_BUSINESS: "个体工商户"}


def cn_date(day: date | None) -> str:
    """2026年3月2日 (no zero padding, as written on enforcement documents)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def cn_datetime(moment: datetime | None) -> str:
    """2026年3月2日9时30分, in Beijing time whatever zone the value carries."""
    if moment is None:
        return ""
    local = moment.astimezone(SHANGHAI) if moment.tzinfo else moment
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分"


def cn_time(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI) if moment.tzinfo else moment
    return f"{local.hour}时{local.minute:02d}分"


def _four(n: int) -> str:
    """0 < n < 10000 in capitals, with 零 for inner gaps (壹仟零伍拾)."""
    out, gap = "", False
    for pos, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = n // pos % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += _DIGITS[d] + unit
    return out


def rmb_upper(amount: Decimal) -> str:
    """Amount in financial capitals: 20000 → 贰万元整, 10500.50 → 壹万零伍佰元伍角."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("negative amount")
    yuan = int(amount)
    cents = int((amount - yuan) * 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    groups: list[int] = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    text, pending_zero = "", False
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or g < 1000):
            text += "零"
        text += _four(g) + _GROUP_UNITS[idx]
        pending_zero = False
    if text:
        text += "元"
    if cents == 0:
        return text + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    return text


def money(amount: Decimal | None) -> str:
    """人民币贰万元整（¥20000.00）: capitals and digits, as fiscal practice requires both."""
    if amount is None:
        return ""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"人民币{rmb_upper(value)}（¥{value}）"


def party_block(p: Party | None) -> PartyBlock:
    """Identity block (docs/legal-basis.md §6.1). Sex and birth date fall back to what the resident ID number encodes."""
    if p is None:
        return {}
    block: PartyBlock = {
        "kind": p.kind.value, "kind_label": _KINDS[p.kind], "name": p.name,
        "id_type": _ID_TYPES.get(p.id_type, ""), "id_number": p.id_number, "address": p.address, "phone": p.phone,
    }
    if p.kind is PartyKind.PERSON:
        birth = p.birth_date or (birth_date_from_id(p.id_number) if p.id_type is IdType.RESIDENT_ID else None)
        gender = p.gender or (gender_from_id(p.id_number) or "" if p.id_type is IdType.RESIDENT_ID else "")
        block["gender"], block["birth"], block["ethnicity"] = gender, cn_date(birth), p.ethnicity
    else:
        block["legal_rep"] = p.legal_rep
        block["legal_rep_title"] = p.legal_rep_title or (
            "经营者" if p.kind is PartyKind.INDIVIDUAL_BUSINESS else "法定代表人")
    return block


def party_missing(block: PartyBlock, what: str = "当事人") -> list[str]:
    """Labels of the mandatory identity items (处罚法 art.59 (1); docs/legal-basis.md §6.1) that the record lacks."""
    if not block:
        return [what]
    missing = []
    if not block.get("name"):
        missing.append(f"{what}姓名或名称")
    if not block.get("id_number"):
        missing.append(f"{what}身份证件号码" if block["kind"] == "person" else f"{what}统一社会信用代码")
    if not block.get("address"):
        missing.append(f"{what}住址" if block["kind"] == "person" else f"{what}住所")
    if block["kind"] != "person" and not block.get("legal_rep"):
        missing.append(f"{what}法定代表人（负责人、经营者）")
    return missing


def party_lines(block: PartyBlock, what: str = "当事人") -> list[tuple[str, str]]:
    """(label, value) lines of the party block; empty optional items are struck through with "/"."""
    if block.get("kind") == "person":
        return [
            (f"{what}", block["name"]),
            ("性别", block.get("gender") or "/"),
            ("出生日期", block.get("birth") or "/"),
            (block.get("id_type") or "身份证件号码", block.get("id_number") or "/"),
            ("住址", block.get("address") or "/"),
            ("联系电话", block.get("phone") or "/"),
        ]
    return [
        (f"{what}", block["name"]),
        ("统一社会信用代码", block.get("id_number") or "/"),
        ("住所", block.get("address") or "/"),
        (block.get("legal_rep_title") or "法定代表人", block.get("legal_rep") or "/"),
        ("联系电话", block.get("phone") or "/"),
    ]


def officer_entry(o: Officer) -> OfficerEntry:
    return {"name": o.name, "cert": o.cert_number}


def officers_missing(officers: list[OfficerEntry], minimum: int = 2) -> list[str]:
    """Art.42: at least two officers, each with the number of an enforcement certificate."""
    with_cert = [o for o in officers if o.get("cert")]
    if len(with_cert) < minimum:
        return [f"执法人员及执法证号（至少{minimum}名）"]
    return []


def officers_text(officers: list[OfficerEntry]) -> str:
    return "、".join(f"{o['name']}（执法证号：{o['cert']}）" for o in officers)


def review_body(settings: Settings, township: Township) -> str:
    """行政复议法 art.24: a township government's acts are reviewed by the district (county) government."""
    configured = settings.str("remedy.review_body").strip()
    return configured or (f"{township.district_name}人民政府" if township.district_name else "")


def court(settings: Settings, township: Township) -> str:
    configured = settings.str("remedy.court").strip()
    return configured or (f"{township.district_name}人民法院" if township.district_name else "")


def remedy_text(body: str, court_name: str, *, what: str = "本决定", review_first: bool = False) -> str:
    """Remedy clause (docs/legal-basis.md §6.1): review within 60 days or suit within 6 months; on the spot, review first."""
    doc = f"{what}书" if what.endswith("决定") else what
    if review_first:
        return (f"当事人对{what}不服的，应当自收到{doc}之日起六十日内先向{body}申请行政复议"
                f"（依照《中华人民共和国行政复议法》第二十三条，当场作出的行政处罚决定实行复议前置）；"
                f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{court_name}提起行政诉讼。")
    return (f"当事人如不服{what}，可以在收到{doc}之日起六十日内向{body}申请行政复议，"
            f"或者在六个月内依法向{court_name}提起行政诉讼。")


_NUMS = "零一二三四五六七八九"


def cn_num(n: int) -> str:
    """Small counts in Chinese numerals, as periods are written in legal text (15 → 十五, 60 → 六十)."""
    if n < 0 or n >= 10000:
        return str(n)
    if n < 10:
        return _NUMS[n]
    if n < 20:
        return "十" + (_NUMS[n % 10] if n % 10 else "")
    if n < 100:
        return _NUMS[n // 10] + "十" + (_NUMS[n % 10] if n % 10 else "")
    head = cn_num(n // 100 if n < 1000 else n // 1000)
    unit, rest = ("百", n % 100) if n < 1000 else ("千", n % 1000)
    if rest == 0:
        return head + unit
    gap = "零" if (rest < 10 if n < 1000 else rest < 100) else ""
    tail = cn_num(rest)
    if 10 <= rest < 20:
        tail = "一" + tail  # 一百一十五, not 一百十五
    return head + unit + gap + tail


# -- sentences from parts ---------------------------------------------------------------------------------

# Clause punctuation that may meet at a seam ("处罚。" + "，依据"); of a run, the last mark is the one meant.
_SEAM = re.compile(r"[，。；、：]{2,}")
_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?(?![\d-])")
_TERMINAL = "。！？"
# A catalogue keeps one item per party kind and tells them apart by a suffix: not part of the act itself.
_KIND_SUFFIX = re.compile(r"（(?:单位|个人|自然人|个体工商户|法人或其他组织|法人或者其他组织)）$")
# 个体工商户 are natural persons (《中华人民共和国民法典》第五十四条): addressed as 你, like a person.
_ADDRESS = {PartyKind.PERSON.value: "你", PartyKind.INDIVIDUAL_BUSINESS.value: "你",
            PartyKind.ORGANISATION.value: "你单位"}


def _iso_to_cn(m: re.Match[str]) -> str:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m.group()
    text = f"{y}年{mo}月{d}日"
    if m.group(4) is not None:
        text += f"{int(m.group(4))}时{m.group(5)}分"
    return text


def tidy(text: str | None) -> str:
    """Dates written 2026-03-08 (as typed into a form) read 2026年3月8日; runs of clause punctuation left by
    joining parts collapse to their last mark ("。，" → "，", "，。" → "。", "。。" → "。")."""
    return _SEAM.sub(lambda m: m.group()[-1], _ISO_DATE.sub(_iso_to_cn, text or ""))


def clause(text: str | None) -> str:
    """A value that goes inside a sentence: tidied, its inner full stops made commas, no closing punctuation."""
    return tidy((text or "").strip()).rstrip("，。；、：,.;: ").strip().replace("。", "，")


def sentence(*parts: str) -> str:
    """Parts joined into prose that ends with one full stop (or the ！/？ it already ends with)."""
    text = tidy("".join(parts).strip())
    text = text.rstrip("，；、：,;: ")
    if not text:
        return ""
    last, before = text[-1], text[-2:-1]
    if last in _TERMINAL or (last in "”’）" and before in _TERMINAL):
        return text
    return text.rstrip("。") + "。"


def _bare(text: str) -> str:
    return re.sub(r"[\s，。；、：,.;:“”‘’（）()且并的]", "", text)


def restates(text: str, phrase: str) -> bool:
    """Does ``text`` already say ``phrase`` (punctuation and the joining words 且/并/的 aside)?"""
    bare = _bare(phrase)
    return bool(bare) and bare in _bare(text)


def you(party: PartyBlock | None) -> str:
    """How a document addresses its party: 你 for a person or an individual business, 你单位 for an organisation."""
    return _ADDRESS.get((party or {}).get("kind", ""), "你")


def act_name(name: str | None) -> str:
    """A catalogue item's name as the act it describes, without the party-kind suffix ("……生活垃圾（单位）")."""
    return _KIND_SUFFIX.sub("", (name or "").strip())


def facts_text(violation: Mapping[str, str], who: str = "当事人") -> str:
    """What was done, when and where, then the recorded facts (2026年3月2日，当事人在……。执法人员……。)."""
    head = clause(f"{violation['act_date']}，{who}在{violation['place']}{violation['act']}")
    return sentence(head, "。", violation["facts"])


def payment_text(days: int, rate_per_day: Decimal, *, whole: str = "本决定书") -> str:
    """The payment term and the surcharge warning (《中华人民共和国行政处罚法》第六十七条第三款、第七十二条第一款第（一）项):
    pay within ``days`` days; late, a surcharge of ``rate_per_day`` of the fine each day, at most the fine."""
    percent = rate_per_day * 100
    rate = cn_num(int(percent)) if percent == int(percent) else f"{percent.normalize()}"
    return (f"当事人应当自收到{whole}之日起{cn_num(days)}日内，到指定银行或者通过电子支付系统缴纳罚款。"
            f"逾期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》第七十二条第一款第（一）项的规定，"
            f"每日按罚款数额的百分之{rate}加处罚款，加处罚款的数额不超出罚款的数额。")
