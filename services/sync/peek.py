"""What a sync file is, before importing it: the ``import FILE...`` command takes bundles, reference bundles and
receipts in any order and routes each to its importer.

Peeking only reads the manifest through the same size and path checks as the import (services/sync/container.py)
and parses it; it trusts nothing. The importer then verifies everything again (signature, hashes, sender), so a
forged manifest can at most send a file to the wrong importer, which refuses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from services.sync.container import DEFAULT_LIMITS, BundleReader
from services.sync.errors import BundleRejected
from services.sync.manifest import parse_manifest

IMPORT_ORDER = {"reference": 0, "records": 1, "receipt": 2}  # reference data first: records may stamp it


@dataclass(frozen=True, slots=True)
class SyncFile:
    """One file given to ``import``: its kind, sender and sequence as its manifest claims them."""

    path: Path
    kind: str  # records / reference / receipt
    source_uid: str
    sequence: int


def peek(path: Path) -> SyncFile:
    """The manifest's claims about ``path``; :class:`BundleRejected` with the reason when it is not a sync file."""
    with BundleReader(path, DEFAULT_LIMITS) as reader:
        if not reader.has("manifest.json"):
            raise BundleRejected(f"{path.name} 缺少 manifest.json，不是 EnforceDesk 同步文件")
        m = parse_manifest(reader.read("manifest.json", DEFAULT_LIMITS.max_manifest))
    return SyncFile(path, str(m["kind"]), str(m["source"]["device_uid"]), int(m.get("sequence") or 0))


def import_order(files: list[SyncFile]) -> list[SyncFile]:
    """Reference bundles, then record bundles, then receipts; each sender's files by sequence number, so a
    folder given as ``*.edsync`` in any order applies without false "第N号同步包未收到" gaps."""
    return sorted(files, key=lambda f: (IMPORT_ORDER.get(f.kind, 9), f.source_uid, f.sequence, str(f.path)))


__all__ = ["SyncFile", "import_order", "peek"]
