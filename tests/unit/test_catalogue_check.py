"""docs/catalogue-check.md against the shipped catalogue: every item has a row, and the row's articles, party kind,
range, coercive basis and precondition are the catalogue's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.reference.catalogue import load_catalogue_file, statute_facts

ROOT = Path(__file__).resolve().parents[2]
SCOPES = {"person": "自然人", "organisation": "单位", "any": "不限"}


def _rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in (ROOT / "docs" / "catalogue-check.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 10 and cells[0][:2].isalpha() and cells[0][2:3] == "-":
            assert cells[0] not in rows, f"{cells[0]} twice in the table"
            rows[cells[0]] = cells
    return rows


def _range(item: dict[str, Any]) -> str:
    lo, hi = item.get("min"), item.get("max")
    if lo is None and hi is None:
        return "不罚款"
    return f"≤{hi}" if lo in (None, "0") else f"{lo}–{hi}"


ITEMS = load_catalogue_file()["items"]


def test_table_has_one_row_per_shipped_item() -> None:
    assert set(_rows()) == {i["code"] for i in ITEMS}


@pytest.mark.parametrize("item", ITEMS, ids=[i["code"] for i in ITEMS])
def test_row_matches_the_catalogue(item: dict[str, Any]) -> None:
    code, name, scope, breached, penalty, fine, coercive, precondition, checked, _change = _rows()[item["code"]]
    assert name == item["name"]
    assert scope == SCOPES[item.get("scope", "any")]
    assert (breached, penalty) == (item["breached"], item["penalty"])
    assert fine.removesuffix(" [L]") == _range(item)
    assert coercive == (item.get("coercive") or "—")
    assert precondition == ("说服教育、责令改正后拒不改正" if item.get("precondition") == "refusal" else "—")
    assert checked, f"{code}: no statute text quoted"
    # The program reads the same facts (services.reference.catalogue.statute_facts).
    facts = statute_facts(code)
    assert facts.coercive == item.get("coercive", "")
    assert facts.refusal_first == (item.get("precondition") == "refusal")


def test_the_known_errors_stay_corrected() -> None:
    """Issue 16: FS-001 cited the straw-burning article and fined organisations like individuals; LJ-003 cited the
    item for not filing a plan; each now cites the article the conduct falls under."""
    by_code = {i["code"]: i for i in ITEMS}
    assert by_code["FS-001"]["breached"].endswith("第八十二条第一款")
    assert (by_code["FS-001"]["scope"], by_code["FS-001"]["min"], by_code["FS-001"]["max"]) == ("person", "500", "2000")
    assert (by_code["FS-002"]["scope"], by_code["FS-002"]["min"], by_code["FS-002"]["max"]) == (
        "organisation", "10000", "100000")
    assert "第一百一十一条第一款第（四）项" in by_code["LJ-003"]["penalty"]
    assert all(by_code[c].get("precondition") == "refusal" for c in ("ZS-001", "ZS-002"))
