"""The township's catalogue of powers (权力事项清单) as the demo's cases use it: the item version in force on the act
date (art.37, as services.reference.catalogue.current_item picks it), for a party its scope allows (scope_allows),
and a fine inside the statutory range and a discretion tier, kept to 轻微 for a minor (art.30)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from random import Random

from models.enums import DiscretionTierName, PartyKind, PartyScope
from services.core.errors import AppError
from services.reference.catalogue import scope_allows
from tools.demo.bulk.context import START, Context
from tools.demo.bulk.penalty_steps import ItemRef

# How often each item comes up (the township's mix: shopfronts, stalls, barbecue smoke, rubbish …); others 2.
ITEM_WEIGHTS = {
    "SR-001": 8, "SR-002": 6, "SR-003": 18, "SR-004": 4, "DL-001": 10, "YC-001": 4, "YC-002": 5, "YY-001": 5,
    "YY-002": 10, "FS-001": 4, "LJ-001": 10, "LJ-002": 2, "LJ-003": 2, "ZS-001": 6, "ZS-002": 2, "ZS-003": 3,
    "XY-001": 1, "XY-002": 3,
}
_TIER_ORDER = (DiscretionTierName.MINOR, DiscretionTierName.ORDINARY, DiscretionTierName.SERIOUS,
               DiscretionTierName.GRAVE)
_BANDS = ((0.0, 0.3), (0.3, 0.7), (0.7, 0.9), (0.9, 1.0))  # of the statutory range, where an item has no tiers


class Catalogue:
    def __init__(self, ctx: Context) -> None:
        c = ctx.conn
        versions: dict[str, list[ItemRef]] = {}
        by_id: dict[int, ItemRef] = {}
        for row in c.execute(
            "SELECT id, code, name, domain, party_scope, fine_min, fine_max, penalty_provision, safety_related, "
            "major_threshold, hearing_threshold_person, hearing_threshold_org, effective_from, effective_to "
            "FROM power_item WHERE deleted_at IS NULL ORDER BY code, item_version"
        ):
            item = ItemRef(row)
            item.weight = ITEM_WEIGHTS.get(item.code, 2)
            by_id[item.id] = item
            versions.setdefault(item.code, []).append(item)
        for item_id, tier, lo, hi in c.execute(
            "SELECT item_id, tier, fine_min, fine_max FROM discretion_tier WHERE deleted_at IS NULL ORDER BY item_id, rank"
        ):
            if item_id in by_id and lo is not None and hi is not None:
                by_id[item_id].tiers.append((DiscretionTierName(tier), Decimal(lo).scaleb(-2), Decimal(hi).scaleb(-2)))
        # Items with a fine: the demo's cases are about fines. Codes in force since before the first record only:
        # a case registered under an item not yet in force is refused (current_item).
        self.codes = {code: vs for code, vs in versions.items()
                      if any(v.fine_max for v in vs) and min(v.effective_from for v in vs) <= START}
        if not self.codes:
            raise AppError(f"赋权事项清单没有自{START.isoformat()}起生效的罚款事项，无法生成十年演示案件："
                           "请用较早的事项生效日期初始化数据库（catalogue_effective_from）")
        self.all = [v for vs in self.codes.values() for v in vs]
        self.domains = sorted({v.domain for v in self.all})
        self._choices: dict[str | None, tuple[list[str], list[int]]] = {}

    def in_force(self, code: str, on: date) -> ItemRef | None:
        for v in reversed(self.codes[code]):
            if v.in_force_on(on):
                return v if v.fine_max else None
        return None

    def pick(self, rng: Random, on: date, *, domain: str | None = None, kind: PartyKind | None = None) -> ItemRef:
        """A fining item in force on ``on``: of ``domain`` if it has one, for a party of ``kind`` if given."""
        choice = self._choices.get(domain)
        if choice is None:
            codes = [c for c in self.codes if domain is None or self.codes[c][-1].domain == domain] or list(self.codes)
            choice = self._choices[domain] = (codes, [self.codes[c][-1].weight for c in codes])
        codes, weights = choice
        for _ in range(20):
            code = rng.choices(codes, weights=weights)[0]
            item = self.in_force(code, on)
            if item is not None and (kind is None or scope_allows(item, kind)):  # type: ignore[arg-type]
                return item
        for code in sorted(self.codes):
            item = self.in_force(code, on)
            if item is not None and (kind is None or scope_allows(item, kind)):  # type: ignore[arg-type]
                return item
        raise AppError(f"赋权事项清单中没有{on.isoformat()}有效、适用于该当事人的罚款事项")


def party_kind_for(item: ItemRef) -> PartyKind | None:
    """The kind of party an item is about (None: any)."""
    if item.party_scope is PartyScope.PERSON:
        return PartyKind.PERSON
    if item.party_scope is PartyScope.ORGANISATION:
        return PartyKind.ORGANISATION
    return None


def pick_fine(r: Random, item: ItemRef, *, at_least: Decimal = Decimal(0),
              minor: bool = False) -> tuple[Decimal, DiscretionTierName]:
    """A fine within the item's range with the discretion tier it falls in (轻微 for a minor, art.30)."""
    lo = int((item.fine_min or Decimal(0)) * 100)
    hi = int((item.fine_max or Decimal(0)) * 100)
    need = int(at_least * 100)
    x = r.random()
    k = 0 if minor else 0 if x < 0.35 else 1 if x < 0.80 else 2 if x < 0.95 else 3
    tiers = item.tiers
    if minor:
        tiers = [t for t in tiers if t[0] is DiscretionTierName.MINOR]
    if tiers:
        name, tlo_y, thi_y = tiers[min(k, len(tiers) - 1)]
        tlo, thi = max(lo, int(tlo_y * 100)), min(hi, int(thi_y * 100))
    else:
        name = _TIER_ORDER[k]
        band = _BANDS[k]
        tlo, thi = lo + int((hi - lo) * band[0]), lo + int((hi - lo) * band[1])
    tlo = max(tlo, need)
    if tlo > thi:
        tlo, thi = max(lo, min(need, hi)), hi
    step = 1000 if thi - tlo >= 20000 else 100
    fine = (tlo + int(r.random() * (thi - tlo))) // step * step
    floor = max(lo, min(5000, hi), need if need <= hi else lo)
    return Decimal(max(floor, min(hi, fine))).scaleb(-2), name
