"""Offline sync by bundle files (docs/sync-bundle.md): keys and trust, export, verified import, receipts,
reference data downward, and the guard against losing unsent data.

The UI's 同步 screen and ``main.py sync`` call only the functions re-exported here.
"""

from __future__ import annotations

from services.sync.conflicts import ConflictInfo, list_conflicts, resolve_conflict
from services.sync.errors import BundleRejected, KeyFileError, UnknownDevice, UnsentData
from services.sync.export import ExportPlan, ExportResult, plan_export, write_bundle
from services.sync.importer import ImportPreview, ImportReport, TableSummary, apply_bundle, inspect_bundle
from services.sync.quarantine import QuarantineInfo, list_quarantine
from services.sync.receipts import ReceiptReport, apply_receipt
from services.sync.state import (
    SyncStatus,
    ensure_nothing_unsent,
    history,
    record_sync_state,
    sync_status,
    unacknowledged_count,
    unacknowledged_tables,
)
from services.sync.trust import (
    KeyCard,
    PeerInfo,
    default_recipient,
    my_key_card,
    trust_key_card,
    trusted_devices,
    write_key_card,
)

__all__ = [
    "BundleRejected", "ConflictInfo", "ExportPlan", "ExportResult", "ImportPreview", "ImportReport", "KeyCard",
    "KeyFileError", "PeerInfo", "QuarantineInfo", "ReceiptReport", "SyncStatus", "TableSummary", "UnknownDevice", "UnsentData",
    "apply_bundle", "apply_receipt", "ensure_nothing_unsent", "history", "inspect_bundle", "list_conflicts", "list_quarantine",
    "my_key_card", "plan_export", "record_sync_state", "resolve_conflict", "sync_status", "trust_key_card",
    "default_recipient", "trusted_devices", "unacknowledged_count", "unacknowledged_tables", "write_bundle", "write_key_card",
]
