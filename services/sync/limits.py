"""Bounded resources of an import (docs/sync-bundle.md §Value checks and limits).

A bundle's claims cost the receiver nothing unbounded:

* **sequence numbers**: a records bundle numbered far ahead of the last one seen from its sender (more than the
  [L] setting ``sync.max_sequence_ahead``, default 1,000) is refused; gaps are kept as ranges of numbers
  (``第3–7号``), computed from the bundles received, never by enumerating every number up to the highest;
* **decompressed size**: the plaintext read from one bundle — records, reference data and attachments, sealed or
  not — stops at ``sync.max_bundle_mib`` (default 4 GiB), and one attachment at ``sync.max_attachment_mib``
  (default 200 MiB): a small sealed member that inflates to gigabytes is refused, never written out;
* **memory and time**: members are streamed in chunks of at most 1 MiB (services/sync/container.py, crypto.py),
  one line at most ``jsonl.MAX_LINE`` bytes (services/sync/jsonl.py), records merged in batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.sync import ImportedBundle
from services.reference.settings import Settings
from services.sync.container import DEFAULT_LIMITS, Limits
from services.sync.errors import BundleRejected

Gap = tuple[int, int]  # first and last sequence number never received, inclusive
MIB = 1 << 20


def import_limits(session: Session, base: Limits) -> Limits:
    """``base`` with the bundle and attachment budgets of this database's settings, where the caller left the
    defaults."""
    settings = Settings(session)
    changes: dict[str, Any] = {}
    if base.max_plain_total == DEFAULT_LIMITS.max_plain_total:
        changes["max_plain_total"] = max(1, settings.int("sync.max_bundle_mib")) * MIB
    if base.max_attachment == DEFAULT_LIMITS.max_attachment:
        changes["max_attachment"] = max(1, settings.int("sync.max_attachment_mib")) * MIB
    return replace(base, **changes) if changes else base


def check_sequence_ahead(session: Session, manifest: dict[str, Any]) -> None:
    """Refuse a records bundle numbered far ahead of the last one imported in its series (its sender and
    recipient: docs/sync-bundle.md §The file, Sequence numbers)."""
    from services.sync.state import in_series, recipient_of

    if manifest["kind"] != "records":
        return  # reference bundles apply strictly in order (services/sync/reference.py); receipts are not counted
    seq = int(manifest["sequence"])
    last = session.scalar(select(func.max(ImportedBundle.seq)).where(
        ImportedBundle.source_uid == manifest["source"]["device_uid"], ImportedBundle.kind == "records",
        in_series(recipient_of(manifest), legacy=True))) or 0
    ahead = Settings(session).int("sync.max_sequence_ahead")
    if seq > last + ahead:
        raise BundleRejected(
            f"同步包序号第{seq}号远超此前从该设备收到的最大序号（第{last}号），超前 {seq - last} 个，"
            f"超过上限 {ahead}（设置项 sync.max_sequence_ahead）：疑似伪造或编号出错，已拒绝")


def gap_ranges(seqs: Iterable[int], upto: int | None = None) -> tuple[Gap, ...]:
    """Ranges of the numbers 1 … max (or 1 … ``upto`` - 1) missing from ``seqs``, from the sorted numbers
    received: time and memory follow how many bundles arrived, not how high a number was claimed."""
    got = sorted({n for n in seqs if n >= 1 and (upto is None or n < upto)})
    end = (upto - 1) if upto is not None else (got[-1] if got else 0)
    out: list[Gap] = []
    expected = 1
    for n in got:
        if n > expected:
            out.append((expected, n - 1))
        expected = n + 1
    if end >= expected:
        out.append((expected, end))
    return tuple(out)


def gap_text(gaps: Iterable[Gap]) -> str:
    """``第3–7号、第9号`` (empty when nothing is missing)."""
    return "、".join(f"第{a}号" if a == b else f"第{a}–{b}号" for a, b in gaps)


__all__ = ["Gap", "check_sequence_ahead", "gap_ranges", "gap_text", "import_limits"]
