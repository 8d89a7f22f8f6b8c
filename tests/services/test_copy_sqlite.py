"""services.core.db.copy_sqlite: consistent copies of a live database, with the device's key file when asked."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from services.core.db import copy_sqlite
from services.sync.crypto import key_file_path


def _live(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (n INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(1000)])
    conn.commit()
    return conn


def test_a_wal_database_is_copied_whole_while_it_is_open(tmp_path: Path) -> None:
    src = tmp_path / "town.sqlite3"
    conn = _live(src)  # still open: the last commits are in the -wal file, not yet in the main file
    try:
        dst = copy_sqlite(src, tmp_path / "copy.sqlite3")
    finally:
        conn.close()
    with sqlite3.connect(str(dst)) as copy:
        assert copy.execute("SELECT count(*), sum(n) FROM t").fetchone() == (1000, sum(range(1000)))
    assert not key_file_path(dst).exists()  # keys only when asked


def test_the_key_file_goes_with_the_copy_readable_by_the_owner_only(tmp_path: Path) -> None:
    src = tmp_path / "town.sqlite3"
    _live(src).close()
    key_file_path(src).write_bytes(b'{"device_uid": "d"}')
    dst = copy_sqlite(src, tmp_path / "copy.sqlite3", with_keys=True)
    assert key_file_path(dst).read_bytes() == b'{"device_uid": "d"}'
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(key_file_path(dst)).st_mode) == 0o600
    other = copy_sqlite(tmp_path / "copy.sqlite3", tmp_path / "again.sqlite3", with_keys=True)
    assert key_file_path(other).exists()
    key_file_path(src).unlink()
    lone = copy_sqlite(src, tmp_path / "lone.sqlite3", with_keys=True)  # no key file to take: none made
    assert lone.exists() and not key_file_path(lone).exists()


def test_a_missing_source_is_an_error_not_an_empty_copy(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="数据库文件不存在"):
        copy_sqlite(tmp_path / "none.sqlite3", tmp_path / "copy.sqlite3")
    assert sorted(tmp_path.iterdir()) == []  # neither an empty source nor a copy was made
