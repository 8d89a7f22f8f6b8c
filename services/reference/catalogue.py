"""The powers catalogue: seeding from resources, look-ups, and the discretion helper (裁量)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import to_yuan
from models.catalogue import DiscretionTier, PowerItem
from models.enums import DiscretionTierName, ListType, PartyKind, PartyScope
from models.labels import label
from models.mediation import DisputeCategory
from services.core.errors import NotFound, ValidationError
from services.core.paths import resource_path
from services.core.uow import UnitOfWork
from services.reference.settings import Settings

CATALOGUE_FILE = ("catalogue", "powers.json")
_SHIPPED_NS = uuid.UUID("6f1c2a52-8d0e-4c59-9f43-2b7e5d1a0c11")


def shipped_uid(table: str, *key: object) -> str:
    """The same uid on every device for a row seeded from the shipped resources, so databases set up
    separately (township, district) recognise each other's catalogue rows when they sync."""
    return str(uuid.uuid5(_SHIPPED_NS, ":".join([table, *map(str, key)])))


def load_catalogue_file(path: Path | None = None) -> dict[str, Any]:
    with open(path or resource_path(*CATALOGUE_FILE), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@dataclass(frozen=True, slots=True)
class StatuteFacts:
    """What the statute attaches to a shipped item beyond its articles and range (docs/catalogue-check.md).

    ``coercive`` is the article of a law that authorises 查封/扣押 for this conduct (《中华人民共和国行政强制法》
    第十条: only a law creates a coercive measure), "" where no law does; ``refusal_first`` marks items whose
    penalty article allows a penalty only after 说服教育 and an order to correct that the party refused
    (《中华人民共和国噪声污染防治法》第八十二条).
    """

    coercive: str = ""
    refusal_first: bool = False


@lru_cache(maxsize=1)
def _shipped_facts() -> dict[str, StatuteFacts]:
    return {raw["code"]: StatuteFacts(raw.get("coercive", ""), raw.get("precondition") == "refusal")
            for raw in load_catalogue_file()["items"]}


def statute_facts(code: str) -> StatuteFacts:
    """The statute facts of a catalogue item by code; an item the shipped catalogue does not hold has none.

    They are read from the shipped file rather than stored per version: they belong to the law, not to a local
    version of the item, and every device of a district runs the same program version."""
    return _shipped_facts().get(code, StatuteFacts())


def seed_catalogue(session: Session, *, effective_from: date, path: Path | None = None) -> int:
    """Add catalogue items (and dispute categories) not yet present by code; returns items added."""
    data = load_catalogue_file(path)
    have = set(session.scalars(select(PowerItem.code)))
    added = 0
    for raw in data["items"]:
        if raw["code"] in have:
            continue
        session.add(_shipped_item(raw, 1, effective_from))
        added += 1
    have_cat = set(session.scalars(select(DisputeCategory.code)))
    for pos, (code, name, group) in enumerate(data.get("dispute_categories", [])):
        if code not in have_cat:
            session.add(DisputeCategory(uid=shipped_uid("dispute_category", code), code=code, name=name,
                                        report_group=group, position=pos))
    return added


def _shipped_item(raw: dict[str, Any], version: int, effective_from: date) -> PowerItem:
    """A catalogue row from the shipped file; the uids depend on code and version only, so every device that
    seeds or corrects the same version makes the same rows (they meet again in a sync)."""
    item = PowerItem(
        uid=shipped_uid("power_item", raw["code"], version), code=raw["code"], item_version=version,
        name=raw["name"], list_type=ListType(raw["list_type"]), domain=raw["domain"],
        breached_provision=raw["breached"], penalty_provision=raw["penalty"], penalty_types=raw["types"],
        party_scope=PartyScope(raw.get("scope", "any")),
        fine_min=Decimal(raw["min"]) if raw.get("min") is not None else None,
        fine_max=Decimal(raw["max"]) if raw.get("max") is not None else None,
        statutory_range_text=_range_text(raw.get("min"), raw.get("max")),
        safety_related=bool(raw.get("safety", False)), source_department=raw.get("source", ""),
        effective_from=effective_from,
    )
    for rank, t in enumerate(raw.get("tiers", [])):
        item.tiers.append(
            DiscretionTier(
                uid=shipped_uid("discretion_tier", raw["code"], version, rank),
                tier=DiscretionTierName(t["tier"]), rank=rank, fine_min=Decimal(t["min"]),
                fine_max=Decimal(t["max"]), criteria=t["criteria"], reasons_template=t["reasons"],
            )
        )
    return item


def _differs(item: PowerItem, raw: dict[str, Any]) -> bool:
    def money(v: str | None) -> Decimal | None:
        return Decimal(v) if v is not None else None

    return (item.name, item.breached_provision, item.penalty_provision, item.penalty_types, item.party_scope,
            item.fine_min, item.fine_max) != (raw["name"], raw["breached"], raw["penalty"], raw["types"],
                                              PartyScope(raw.get("scope", "any")), money(raw.get("min")),
                                              money(raw.get("max")))


def apply_shipped_corrections(uow: UnitOfWork, *, on: date) -> list[str]:
    """Bring a database set up before a catalogue correction in line with the shipped file: an item whose
    current version differs gets a new version in force from ``on`` (the old one ends the day before, so cases
    keep the text of their time, 《中华人民共和国行政处罚法》第三十七条); a shipped item missing is added.
    Returns the codes changed. A version published locally, or one already in force from ``on``, is left alone."""
    changed: list[str] = []
    with uow:
        s = uow.session
        with uow.action("power_item.shipped_corrections"):
            for raw in load_catalogue_file()["items"]:
                versions = s.scalars(select(PowerItem).where(PowerItem.code == raw["code"],
                                                             PowerItem.deleted_at.is_(None))
                                     .order_by(PowerItem.item_version)).all()
                if not versions:
                    s.add(_shipped_item(raw, 1, on))
                    changed.append(raw["code"])
                    continue
                old = versions[-1]
                # A version the district published itself (supersede_item, local amounts [L]) is theirs to keep.
                local = old.uid != shipped_uid("power_item", old.code, old.item_version)
                if local or not _differs(old, raw) or old.effective_from >= on:
                    continue
                new = _shipped_item(raw, old.item_version + 1, on)
                new.supersedes_uid = old.uid
                new.major_threshold, new.hearing_threshold_person = old.major_threshold, old.hearing_threshold_person
                new.hearing_threshold_org = old.hearing_threshold_org
                old.effective_to = on - timedelta(days=1)
                s.add(new)
                changed.append(raw["code"])
            s.flush()
        uow.commit()
    return changed


def _range_text(lo: str | None, hi: str | None) -> str:
    if lo is None and hi is None:
        return "不罚款（责令改正、拆除等）"
    if lo in (None, "0"):
        return f"{hi}元以下罚款"
    return f"{lo}元以上{hi}元以下罚款"


def current_item(session: Session, code: str, on: date) -> PowerItem:
    """The version of catalogue item ``code`` in force on ``on`` (art.37: the law at the time of the act)."""
    items = session.scalars(
        select(PowerItem).where(PowerItem.code == code, PowerItem.deleted_at.is_(None)).order_by(PowerItem.item_version)
    ).all()
    for item in reversed(items):
        if item.in_force_on(on):
            return item
    if items:
        raise NotFound(f"事项 {code} 在 {on.isoformat()} 未生效（请核对违法行为发生时间或事项版本）")
    raise NotFound(f"赋权事项清单中没有编码为 {code} 的事项")


@dataclass(frozen=True, slots=True)
class DiscretionSuggestion:
    item_code: str
    tier: DiscretionTierName
    fine_min: Decimal
    fine_max: Decimal
    suggested: Decimal
    statutory_text: str
    reasons: str


def scope_allows(item: PowerItem, kind: PartyKind) -> bool:
    if item.party_scope is PartyScope.ANY:
        return True
    if item.party_scope is PartyScope.PERSON:
        return kind is not PartyKind.ORGANISATION
    return kind is not PartyKind.PERSON


def suggest_fine(
    item: PowerItem, tier: DiscretionTierName, settings: Settings, *, minor_party: bool = False, facts: str = ""
) -> DiscretionSuggestion:
    """Suggested fine range and reasons text for a catalogue item and tier (裁量基准, docs/legal-basis.md §1.3)."""
    if item.fine_min is None or item.fine_max is None:
        raise ValidationError(f"事项 {item.code} 不设罚款，处罚种类为：{item.penalty_types}")
    lo, hi = item.fine_min, item.fine_max
    explicit = {t.tier: t for t in item.tiers}
    if tier is DiscretionTierName.MITIGATED:
        # 减轻: below the statutory minimum, only with art.32 grounds (or art.30 for minors).
        band_lo, band_hi = Decimal("0"), lo
        reasons = "当事人具有《中华人民共和国行政处罚法》第三十二条规定的情形，依法减轻处罚。"
    elif tier in explicit and explicit[tier].fine_min is not None and explicit[tier].fine_max is not None:
        t = explicit[tier]
        band_lo, band_hi = t.fine_min, t.fine_max  # type: ignore[assignment]
        reasons = t.reasons_template or f"依照裁量基准，按“{label(tier)}”情形处罚。"
    else:
        span = hi - lo
        light = lo + span * settings.decimal("discretion.light_upper")
        heavy = lo + span * settings.decimal("discretion.heavy_lower")
        bands = {
            DiscretionTierName.MINOR: (lo, light),
            DiscretionTierName.ORDINARY: (light, heavy),
            DiscretionTierName.SERIOUS: (heavy, hi),
            DiscretionTierName.GRAVE: (heavy, hi),
        }
        band_lo, band_hi = bands[tier]
        reasons = {
            DiscretionTierName.MINOR: "违法情节较轻，依照裁量基准从轻处罚。",
            DiscretionTierName.ORDINARY: "违法情节一般，依照裁量基准按一般情形处罚。",
            DiscretionTierName.SERIOUS: "违法情节较重，依照裁量基准从重处罚。",
            DiscretionTierName.GRAVE: "违法情节严重，依照裁量基准从重处罚。",
        }[tier]
    if minor_party:
        reasons += "当事人系已满十四周岁不满十八周岁的未成年人，依照《中华人民共和国行政处罚法》第三十条应当从轻或者减轻处罚。"
    if facts:
        reasons = f"{facts.rstrip('。')}。{reasons}"
    band_lo, band_hi = to_yuan(band_lo), to_yuan(band_hi)
    suggested = to_yuan((band_lo + band_hi) / 2)
    return DiscretionSuggestion(item.code, tier, band_lo, band_hi, suggested, item.statutory_range_text, reasons)


def check_fine_in_range(item: PowerItem, fine: Decimal, *, mitigated: bool = False) -> None:
    """Refuse a fine outside the statutory range (below the minimum only when mitigated, art.32)."""
    if fine < 0:
        raise ValidationError("罚款数额不能为负数", field="fine")
    if item.fine_max is None:
        if fine > 0:
            raise ValidationError(f"事项 {item.code} 的法定处罚不含罚款，不能处以罚款", field="fine")
        return
    if fine > item.fine_max:
        raise ValidationError(
            f"罚款{fine}元超出法定幅度上限{item.fine_max}元（{item.penalty_provision}）", field="fine"
        )
    if item.fine_min is not None and fine < item.fine_min and not mitigated:
        raise ValidationError(
            f"罚款{fine}元低于法定幅度下限{item.fine_min}元；如具有法定减轻情形，请选择“减轻”档次并说明理由",
            field="fine",
        )


@dataclass(frozen=True, slots=True)
class ItemVersionInput:
    """What changes in a new version of a catalogue item (None = keep the old value)."""

    effective_from: date
    name: str | None = None
    breached_provision: str | None = None
    penalty_provision: str | None = None
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    reason: str = ""


def supersede_item(uow: UnitOfWork, code: str, data: ItemVersionInput) -> str:
    """Publish a new version of a catalogue item; the old one ends the day before (art.37: old cases keep theirs).

    Codes are never edited in place (docs/sync-bundle.md §Design rules no. 4): a rename would break records that cite
    the old text.
    """
    with uow:
        s = uow.session
        old = current_item(s, code, data.effective_from)
        if data.effective_from <= old.effective_from:
            raise ValidationError(f"新版本生效日期应晚于现行版本的生效日期（{old.effective_from.isoformat()}）",
                                  field="effective_from")
        lo = data.fine_min if data.fine_min is not None else old.fine_min
        hi = data.fine_max if data.fine_max is not None else old.fine_max
        if lo is not None and hi is not None and lo > hi:
            raise ValidationError("罚款幅度下限不能高于上限", field="fine_min")
        new = PowerItem(
            code=old.code, item_version=old.item_version + 1, name=data.name or old.name, list_type=old.list_type,
            domain=old.domain, source_department=old.source_department,
            breached_provision=data.breached_provision or old.breached_provision,
            penalty_provision=data.penalty_provision or old.penalty_provision, penalty_types=old.penalty_types,
            party_scope=old.party_scope, fine_min=lo, fine_max=hi,
            statutory_range_text=_range_text(str(lo) if lo is not None else None, str(hi) if hi is not None else None),
            safety_related=old.safety_related, major_threshold=old.major_threshold,
            hearing_threshold_person=old.hearing_threshold_person, hearing_threshold_org=old.hearing_threshold_org,
            effective_from=data.effective_from, supersedes_uid=old.uid,
        )
        for t in old.tiers:
            new.tiers.append(DiscretionTier(tier=t.tier, rank=t.rank, fine_min=t.fine_min, fine_max=t.fine_max,
                                            criteria=t.criteria, reasons_template=t.reasons_template))
        with uow.action("power_item.new_version"):
            old.effective_to = data.effective_from - timedelta(days=1)
            s.add(new)
            s.flush()
        uow.commit()
        return new.uid
