"""The folders this database's device has written bundles to, so a killed export's temp file can be found later.

A bundle is finished under a hidden temp name in the folder the user chose (services/sync/ceremony.py). An export
killed before its commit leaves a complete temp file there and nothing in the database — the transaction that
would have recorded it is gone — so the folder has to be known from somewhere else: each export notes its folder
here *before* the temp file is created. The program's start (the window's housekeeping, with the daily backup)
and ``verify`` then tidy those folders (``ceremony.tidy_known_folders``), not only the next export to the same
folder (docs/verify.md §Crash points).

The list is a small UTF-8 text file, one folder a line, the most recent last, at most :data:`KEPT` folders:
beside a SQLite database file (``<file>.bundle-folders``), in the data folder for a server database.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from services.core.db import Database
from services.core.paths import data_dir

log = logging.getLogger(__name__)

KEPT = 20  # folders remembered: a township writes to a few sticks and folders


def list_path(db: Database) -> Path:
    if db.path is not None:
        return db.path.with_name(db.path.name + ".bundle-folders")
    return data_dir() / "sync" / f"{db.device_uid}.bundle-folders"


def known_folders(db: Database) -> list[Path]:
    """The folders noted, oldest first (none when the list cannot be read)."""
    try:
        text = list_path(db).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [Path(line) for line in text.splitlines() if line.strip()]


def remember_folder(db: Database, folder: Path) -> None:
    """Note ``folder`` (moved to the end if known). A list that cannot be written costs only the later tidying:
    the export goes on, and the next export to that folder still tidies it."""
    target = folder.resolve()
    folders = [f for f in known_folders(db) if f != target][-(KEPT - 1):] + [target]
    path = list_path(db)
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("".join(f"{f}\n" for f in folders), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not note the bundle folder %s in %s: %s", folder, path, exc)


__all__ = ["KEPT", "known_folders", "list_path", "remember_folder"]
