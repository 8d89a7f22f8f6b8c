"""The bundle data dictionary (docs/sync-data-dictionary.md) is what the models say today.

The file is generated (tools/sync_dictionary.py); these tests fail when it is stale, when a hand-written note
names a column that no longer exists, and when a table of the models neither travels nor says why it does not.
"""

from __future__ import annotations

from services.core.schema import metadata
from services.sync.tables import synced_specs, table_names
from tools import sync_dictionary as dictionary


def test_committed_dictionary_equals_a_fresh_generation() -> None:
    committed = dictionary.OUTPUT.read_text(encoding="utf-8")
    assert committed == dictionary.generate(), "stale: run python -m tools.sync_dictionary"
    assert dictionary.main(["--check"]) == 0


def test_every_table_travels_or_says_why_not() -> None:
    synced = set(table_names())
    assert set(metadata.tables) - synced == set(dictionary.LOCAL_TABLES)
    assert not synced & set(dictionary.LOCAL_TABLES)


def test_notes_name_existing_columns() -> None:
    columns = {(s.name, c.name) for s in synced_specs() for c in s.columns}
    assert set(dictionary.NOTES) <= columns


def test_references_are_generated_from_the_foreign_keys() -> None:
    text = dictionary.generate()
    # case_id means a penalty case in one table and a mediation case in another: each table says which.
    assert "| `case_id` | uid of `penalty_case` |" in _section(text, "case_event")
    assert "| `case_id` | uid of `mediation_case` |" in _section(text, "mediation_party")
    assert "| `fine_amount` | money: integer **fen**" in _section(text, "penalty_case")
    assert "`decided` 已决定" in _section(text, "penalty_case")
    never = text.split("## What never travels", 1)[1]
    assert "| `deadline` |" in never and "| `audit_event` |" in never


def _section(text: str, table: str) -> str:
    return text.split(f"### `{table}` ", 1)[1].split("\n### ", 1)[0]
