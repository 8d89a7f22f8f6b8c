"""The bundle data dictionary, generated from the models: ``python -m tools.sync_dictionary`` rewrites
docs/sync-data-dictionary.md (``--check``: exit 1 when the committed file differs from a fresh generation).

Everything a third party needs to read a record is derived from the same metadata the exporter uses
(services/sync/tables.py ``synced_specs``): the synced tables in dependency order, each column's wire form, its
length, whether it may be null, its default (what an importer gives a column a record lacks), enum values with
their Chinese labels (models/labels.py), and every foreign key *as it travels* — the referenced table's ``uid``,
never the local integer id. What the metadata cannot say (references held as plain text, JSON held in a text
column) is in ``NOTES`` below, and the tables that never travel are each in ``LOCAL_TABLES`` with the reason;
tests/unit/test_sync_dictionary.py fails when a note names a column that no longer exists, a local table has no
reason, or the committed file is stale.
"""

from __future__ import annotations

import argparse
import sys
import typing
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Enum, String, Text

from models.case import CaseEventData
from models.labels import label_of, record_label
from services.core.schema import metadata
from services.sync.tables import REFERENCE_TABLES, ColumnSpec, TableSpec, synced_specs

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "sync-data-dictionary.md"

# The columns every synced table has (models/base.py SyncMixin); described once, not per table.
SYNC_COLUMNS: dict[str, str] = {
    "uid": "the record's identity: a lower-case UUID minted on the device that created the record, never changed; "
           "foreign keys of other records travel as this value",
    "origin_device": "`uid` of the `device` that created the record (\"\" on rows created before a device existed, "
                     "e.g. the seeded catalogue); decides which township owns a row without `township_id`",
    "version": "1 on creation, +1 on every change (SQLAlchemy's version counter)",
    "created_at": "time the record was created (UTC)",
    "updated_at": "time of the last change, stamped by the device that made it (UTC); `(version, updated_at)` "
                  "identifies one version of the record",
    "deleted_at": "null, or the time of a soft delete: a deleted record travels as a tombstone with this set",
}

# Facts the metadata does not carry: references held as text and JSON held in a text column.
NOTES: dict[tuple[str, str], str] = {
    ("attachment", "record_table"): "the table of the record the file belongs to (a table name of this dictionary)",
    ("attachment", "record_uid"): "`uid` of that record (in the table `record_table` names)",
    ("attachment", "blob_sha256"): "SHA-256 (lower-case hex) of the file: member `attachments/<sha256>`, listed in "
                                   "`records/blob.jsonl`",
    ("issued_document", "record_table"): "the table of the record the document was issued for",
    ("issued_document", "record_uid"): "`uid` of that record (in the table `record_table` names)",
    ("issued_document", "snapshot"): "JSON object (canonical: sorted keys, no spaces): the document's content as "
                                     "issued; `content_hash` is the SHA-256 of exactly this text",
    ("issued_document", "content_hash"): "SHA-256 (lower-case hex) of `snapshot`",
    ("issued_document", "supersedes_uid"): "`uid` of the `issued_document` this one corrects, or null",
    ("power_item", "supersedes_uid"): "`uid` of the `power_item` version this one replaces, or null",
    ("number_block", "device_uid"): "`uid` of the `device` the block of numbers is reserved for",
    ("device", "public_key"): "`ed25519:<Base64> x25519:<Base64>`: the device's two public keys (32 bytes each), "
                              "as on its key card",
    ("officer", "domains"): "the 执法领域 the certificate covers, in the catalogue's words (`power_item.domain`), "
                            "joined by `、`",
    ("power_item", "penalty_types"): "the kinds of penalty, as printed (e.g. `警告、罚款`)",
    ("penalty_case", "reference_version"): "the sender's reference-data version when the case was registered "
                                           "(decimal text)",
    ("case_event", "data"): "JSON object, the step's details (shape below)",
    ("case_event", "actor"): "the login name that recorded the step (accounts never travel)",
}

# Tables that never travel, each with why (every table of the models is either synced or here).
LOCAL_TABLES: dict[str, str] = {
    "deadline": "derived: each receiver recomputes the deadlines of every case, dispute and coercive measure a "
                "bundle adds or changes, under its own calendar and settings",
    "audit_event": "each database's own hash chain; only its head and checkpoints travel (manifest `audit`)",
    "user_account": "who may sign in on one computer (password hashes) is nobody else's business",
    "key_slot": "this database's data key wrapped per account and for the recovery key (docs/encryption-data.md): "
                "a receiver seals what it imports under its own key",
    "local_state": "this database's own counters and marks (reference version applied, audit heads seen)",
    "trusted_device": "this database's trust decisions (keys exchanged out of band)",
    "sync_state": "this database's per-peer bookkeeping of versions sent and held",
    "sync_bundle": "the log of bundles this database wrote",
    "imported_bundle": "the log of bundles this database applied",
    "import_digest": "the digests of the rows this database's imports wrote, for its own `verify --deep`",
    "sync_conflict": "conflicts waiting for a person at this database",
    "sync_quarantine": "records this database refused, with the reasons (they go back in the receipt)",
    "blob": "travels in another form: `records/blob.jsonl` lists `{sha256, size, mime, created_at}` and "
            "`attachments/<sha256>` holds the file",
    "calendar_day": "travels in reference bundles only, as `reference/calendar_day.jsonl` "
                    "(`{day, kind, name, source}`)",
    "calendar_year": "travels in reference bundles only, as `reference/calendar_year.jsonl` (`{year, source}`)",
    "app_setting": "the [L] settings travel in reference bundles only, as `reference/app_setting.jsonl` "
                   "(`{key, value}`, the value JSON-encoded text); the others are local",
    "figure_month": "derived: monthly figures each database counts from its own records",
    "period_close": "the district's own closing of a period",
    "amendment": "the district's own corrections after a period closed",
    "review": "the district's own case-file reviews",
    "review_file": "the district's own case-file reviews",
    "review_problem": "the district's own case-file reviews",
}


_WIRE = {
    "money": "money: integer **fen** (¥12.50 → `1250`)",
    "date": "date `YYYY-MM-DD`",
    "datetime": "time, UTC `YYYY-MM-DD HH:MM:SS.ffffff`",
    "bool": "boolean `true`/`false`",
    "int": "integer",
    "float": "number",
    "enum": "enum (text ≤ 32)",
}


def _type(spec: TableSpec, c: ColumnSpec) -> str:
    col = metadata.tables[spec.name].c[c.name]
    if c.kind == "fk":
        return f"uid of `{c.fk_table}`"
    if c.kind in _WIRE:
        return _WIRE[c.kind]
    if isinstance(col.type, String) and not isinstance(col.type, Text) and col.type.length:
        return f"text ≤ {col.type.length}"
    return "text"


def _enum_values(spec: TableSpec, c: ColumnSpec) -> str:
    t = metadata.tables[spec.name].c[c.name].type
    enum_cls = t.enum_class if isinstance(t, Enum) else None
    if enum_cls is None or not issubclass(enum_cls, StrEnum):
        return ", ".join(f"`{v}`" for v in sorted(c.choices))
    return ", ".join(f"`{m.value}` {label_of(enum_cls, m.value)}" for m in enum_cls)


def _default(c: ColumnSpec) -> str:
    from services.sync.tables import MISSING

    if c.default is MISSING:
        return "— (required)"
    if c.default is None:
        return "null"
    if isinstance(c.default, bool) or (c.kind == "bool" and c.default in (0, 1)):
        return "`true`" if c.default else "`false`"
    return f"`{c.default!r}`" if isinstance(c.default, str) else f"`{c.default}`"


def _notes(spec: TableSpec, c: ColumnSpec) -> str:
    parts = []
    if c.kind == "enum":
        parts.append(_enum_values(spec, c))
    if c.kind == "fk":
        parts.append(f"the referenced `{c.fk_table}` row's `uid` (its local id never leaves a database)")
    note = NOTES.get((spec.name, c.name))
    if note:
        parts.append(note)
    return "; ".join(parts).replace("|", "\\|")


def _table(spec: TableSpec) -> list[str]:
    own = [c for c in spec.columns if c.name not in SYNC_COLUMNS]
    refs = sorted({c.fk_table for c in spec.columns if c.fk_table})
    where = "records and reference bundles" if spec.name in REFERENCE_TABLES else "records bundles"
    lines = [f"### `{spec.name}` — {record_label(spec.name)}", "",
             f"Member `records/{spec.name}.jsonl` ({where}). Columns besides the sync columns"
             + (f"; refers to {', '.join(f'`{r}`' for r in refs)}" if refs else "") + ":", "",
             "| column | wire form | null | default | values, references, notes |", "|---|---|---|---|---|"]
    for c in own:
        lines.append(f"| `{c.name}` | {_type(spec, c)} | {'yes' if c.nullable else 'no'} | {_default(c)} | "
                     f"{_notes(spec, c)} |")
    return [*lines, ""]


def _case_event_shape() -> list[str]:
    hints = typing.get_type_hints(CaseEventData)
    lines = ["### JSON in `case_event.data`", "",
             "One object; each step writes only its own keys (models/case.py `CaseEventData`). Amounts are yuan as "
             "text with two places (`\"200.00\"`), enums their values, people their `uid`s.", "",
             "| key | JSON type |", "|---|---|"]
    names = {str: "string", bool: "boolean", int: "integer", list[str]: "array of strings"}
    for key, hint in hints.items():
        lines.append(f"| `{key}` | {names.get(hint, str(hint))} |")
    return [*lines, ""]


def generate() -> str:
    specs = synced_specs()
    out = [
        "# Sync bundle data dictionary",
        "",
        "Generated from the models by `python -m tools.sync_dictionary`; do not edit by hand "
        "(tests/unit/test_sync_dictionary.py fails when this file is stale). The bundle itself: "
        "[sync-bundle.md](sync-bundle.md); its manifest: [sync-manifest.schema.json](sync-manifest.schema.json).",
        "",
        "## Conventions",
        "",
        "Each member `records/<table>.jsonl` holds one JSON object per line (UTF-8, `\\n` after each), one per "
        "record, with a key for every column below (the local integer `id` never travels). Values are in the "
        "database's storage form:",
        "",
        "* **money**: integer **fen** (yuan × 100, exact); the program shows it as yuan with two places;",
        "* **date**: `YYYY-MM-DD`; **time**: naive **UTC** `YYYY-MM-DD HH:MM:SS.ffffff` (the program shows "
        "Asia/Shanghai);",
        "* **boolean**: `true`/`false`; **enum**: its value (the Chinese labels below are for display);",
        "* **uid of `t`**: a foreign key, holding the `uid` of the referenced row of table `t` — the same column "
        "name can refer to different tables (`case_id` is a `penalty_case` in `case_event`, a `mediation_case` in "
        "`mediation_party`); the reference is always the one given here;",
        "* a key the receiver does not know is ignored; a missing key takes its column's default (column "
        "*default*; \"required\" columns have none and the record is quarantined).",
        "* an optional key `_base`: `[version, updated_at]` of the last version the sender knows both sides hold.",
        "",
        "Tables are listed parents first (the order of the members in a bundle); a record only refers to "
        "records of tables listed before it, or of its own table.",
        "",
        "## Sync columns (every table)",
        "",
        "| column | wire form | meaning |",
        "|---|---|---|",
    ]
    sample = specs[0]
    for name, meaning in SYNC_COLUMNS.items():
        c = next(c for c in sample.columns if c.name == name)
        out.append(f"| `{name}` | {_type(sample, c)} | {meaning} |")
    out += ["", "## Tables", ""]
    for spec in specs:
        out += _table(spec)
    out += _case_event_shape()
    out += ["## What never travels", "", "| table | why |", "|---|---|"]
    for name in sorted(LOCAL_TABLES):
        out.append(f"| `{name}` | {LOCAL_TABLES[name]} |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when the file is stale")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT).as_posix()} is stale: run python -m tools.sync_dictionary")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__: list[Any] = ["LOCAL_TABLES", "NOTES", "generate", "main"]
