"""The seven kinds of file damage of the fault trial (issue 15), each made on a copy of a database file.

Every function takes a healthy, checkpointed SQLite file (no ``-wal`` beside it) and damages it in place:
bytes flipped in a table's b-tree page and in an index page, the 100-byte header, the file cut short, a page
of zeros, a WAL whose frames no longer match their checksums, and a text value whose UTF-8 bytes were broken.
``damage_record_content`` changes a record's bytes the way a disk or a hex editor might, keeping the file
well-formed: only the deep check can find it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from services.core.db import copy_sqlite

PAGE = 4096  # the page size the app creates databases with (SQLite's default)


def _page_size(path: Path) -> int:
    head = path.read_bytes()[:100]
    size = int.from_bytes(head[16:18], "big")
    return 65536 if size == 1 else size


def _root_page(path: Path, kind: str, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT rootpage FROM sqlite_master WHERE type=? AND name=?", (kind, name)).fetchone()
    finally:
        conn.close()
    assert row is not None, name
    return int(row[0])


def _flip(path: Path, offset: int, length: int) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        data = fh.read(length)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xA5 for b in data))


def btree_page(path: Path) -> None:
    """Bytes flipped in the header and cell pointers of a table's b-tree root page."""
    page = _root_page(path, "table", "penalty_case")
    _flip(path, (page - 1) * _page_size(path), 64)


def index_page(path: Path) -> None:
    """Bytes flipped in an index's root page (the unique index on party.uid)."""
    conn = sqlite3.connect(path)
    try:
        name = conn.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='party' "
                            "AND sql IS NULL").fetchone()[0]  # the autoindex of UNIQUE(uid)
    finally:
        conn.close()
    page = _root_page(path, "index", name)
    _flip(path, (page - 1) * _page_size(path) + 8, 256)


def header(path: Path) -> None:
    """The 100-byte database header overwritten (its magic string and page size)."""
    _flip(path, 0, 24)


def truncated(path: Path) -> None:
    """The file cut to 60 % of its length, on a page boundary (a copy interrupted)."""
    size, page = path.stat().st_size, _page_size(path)
    with path.open("r+b") as fh:
        fh.truncate(size * 6 // 10 // page * page)


def zero_page(path: Path) -> None:
    """One page in the middle of the file overwritten with zeros."""
    page = _page_size(path)
    middle = path.stat().st_size // page // 2
    with path.open("r+b") as fh:
        fh.seek(middle * page)
        fh.write(bytes(page))


def damaged_wal(path: Path) -> None:
    """A WAL holding committed changes, with bytes flipped inside its frames (the file beside it is left whole).

    SQLite checks each frame's checksum when it reads the WAL and ignores the frames from the first bad one on,
    so the database opens as it was before those commits."""
    scratch = path.with_name(path.name + ".walsrc")
    shutil.copyfile(path, scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        for n in range(5):
            conn.execute("UPDATE party SET phone=? WHERE id=?", (f"1390000{n:04d}", n + 1))
        # Copied while the connection holds the WAL open: closing it would checkpoint and delete the WAL.
        shutil.copyfile(scratch, path)
        wal = Path(f"{scratch}-wal")
        shutil.copyfile(wal, Path(f"{path}-wal"))
    finally:
        conn.close()
    for p in (scratch, Path(f"{scratch}-wal"), Path(f"{scratch}-shm")):
        p.unlink(missing_ok=True)
    target = Path(f"{path}-wal")
    assert target.stat().st_size > 32 + 24 + PAGE
    _flip(target, 32 + 24 + 100, 200)  # inside the first frame's page image


def bad_text(path: Path) -> None:
    """A byte of an audit event's text replaced by 0xFF: no longer UTF-8.

    Found by its bytes in the file (the event's hash, unique to its row), as a stray write would hit it; the
    page's structure is untouched, so SQLite's own checks pass and only reading the text fails."""
    conn = sqlite3.connect(path)
    try:
        n = conn.execute("SELECT max(seq) FROM audit_event").fetchone()[0]
        value = conn.execute("SELECT hash FROM audit_event WHERE seq=?", (n // 2,)).fetchone()[0]
    finally:
        conn.close()
    needle = str(value).encode("utf-8")
    data = bytearray(path.read_bytes())
    at = data.find(needle, 100)
    assert at > 0, needle
    data[at + 3] = 0xFF
    path.write_bytes(bytes(data))


KINDS: dict[str, Callable[[Path], None]] = {
    "btree_page": btree_page, "index_page": index_page, "header": header, "truncated": truncated,
    "zero_page": zero_page, "damaged_wal": damaged_wal, "bad_text": bad_text,
}


def damaged_copy(healthy: Path, folder: Path, kind: str) -> Path:
    """A copy of ``healthy`` in ``folder`` with damage ``kind`` (one of :data:`KINDS`)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = copy_sqlite(healthy, folder / f"{kind}.sqlite3")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    store = healthy.parent / "attachments"  # evidence files live next to the database (services/procedures/attachments.py)
    if store.is_dir() and not (folder / "attachments").exists():
        shutil.copytree(store, folder / "attachments")
    KINDS[kind](target)
    return target


def bad_record_text(path: Path) -> str:
    """The first byte of a party's address (Chinese, not indexed: its bytes are in the record alone) replaced by
    0xFF: a synced record's text is no longer UTF-8. Returns the party's uid."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute("SELECT uid, address FROM party WHERE address != '' ORDER BY id").fetchall()
    finally:
        conn.close()
    data = bytearray(path.read_bytes())
    for uid, address in rows:
        needle = str(address).encode("utf-8")
        at = data.find(needle, 100)
        if at > 0 and data.find(needle, at + 1) < 0:
            data[at] = 0xFF
            path.write_bytes(bytes(data))
            return str(uid)
    raise AssertionError("no party address is unique in the file")


def damage_record_content(path: Path, table: str, column: str, uid: str) -> None:
    """Change one ASCII character of a record's text value in the file itself (a valid, well-formed file after)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        value = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE uid=?', (uid,)).fetchone()[0]  # noqa: S608 - the test's own names
    finally:
        conn.close()
    needle = f"{value}".encode()
    data = bytearray(path.read_bytes())
    at = data.find(needle, 100)
    assert at > 0 and data.find(needle, at + 1) < 0, f"{table}.{column} of {uid} is not unique in the file"
    pos = next(i for i in range(at, at + len(needle)) if chr(data[i]).isdigit() or chr(data[i]).isalpha())
    data[pos] = ord("7") if data[pos] != ord("7") else ord("8")
    path.write_bytes(bytes(data))
