"""Storage trouble on the command line: exit 3 and one Chinese line, never a traceback (issue 13 point 3, issue
15 point 4); and output that survives a console whose code page lacks 🔒 (``PYTHONIOENCODING=gbk``).

Full disk and read-only media are real: a small tmpfs mounted for the test (skipped where mounting is not
permitted). A locked database is held by a second process with BEGIN EXCLUSIVE.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import main
from services.core import db as db_module
from services.core.db import Database, copy_sqlite
from services.core.storage import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseTooNew,
    DiskFull,
    NotADatabase,
    ReadOnlyStorage,
    StorageMissing,
    check_file,
    known_revisions,
)
from tests.cli_unlock import unlocked
from tests.services.conftest import World
from tests.services.district_helpers import District
from tests.storage_helpers import fill, lock_held, make_read_only, mounted_tmpfs

ROOT = Path(__file__).resolve().parents[2]


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), captured.err
    assert "Traceback" not in captured.err + captured.out
    return lines[0]


def _closed(world: World, target: Path) -> Path:
    """A copy of the test township's database, with nothing of the test's own engine left open on it."""
    assert world.db.path is not None
    copy_sqlite(world.db.path, target)
    return target


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs of the test's own (root only: skipped where mounting is not permitted)."""
    with mounted_tmpfs(tmp_path / "stick") as point:
        yield point


def test_a_file_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是数据库，只是一份记录。" * 20, encoding="utf-8")
    assert main.main(["stats", "--db", str(text), "--year", "2026"]) == 3
    assert "不是 EnforceDesk 的数据库文件" in _one_line(capsys)
    assert isinstance(check_file(text), NotADatabase)
    assert text.read_text(encoding="utf-8").startswith("这不是数据库")  # untouched


def test_a_database_from_a_newer_program(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    path = _closed(world, tmp_path / "newer.sqlite3")
    with sqlite3.connect(str(path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    assert main.main(["officers", "list", "--db", str(path)]) == 3
    assert _one_line(capsys) == "错误：数据库版本 9999 比本程序新，请升级 EnforceDesk 后再打开"
    assert isinstance(check_file(path), DatabaseTooNew)


def test_the_start_up_knows_every_revision_alembic_knows(world: World) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(world.db.alembic_config())
    assert known_revisions() == {r.revision for r in script.walk_revisions()}


@pytest.mark.parametrize("cut", [50, 2048])
def test_a_truncated_database(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: int) -> None:
    whole = _closed(world, tmp_path / "whole.sqlite3").read_bytes()
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(whole[:cut])
    assert main.main(["list", "cases", "--db", str(broken)]) == 3
    assert "已损坏" in _one_line(capsys)
    assert isinstance(check_file(broken), DatabaseDamaged)


def test_a_database_whose_schema_page_is_damaged(world: World, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = _closed(world, tmp_path / "damaged.sqlite3")
    data = bytearray(path.read_bytes())
    data[100:400] = b"\xaa" * 300  # the first page's b-tree header and cell pointers: sqlite_master
    path.write_bytes(bytes(data))
    for argv in (["officers", "list", "--db", str(path)], ["stats", "--db", str(path), "--year", "2026"]):
        assert main.main(argv) == 3
        assert "已损坏" in _one_line(capsys)


def test_read_only_media(world: World, tmpfs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _closed(world, tmpfs / "township.sqlite3")
    make_read_only(tmpfs)
    before = path.read_bytes()
    for argv in (["list", "cases", "--db", str(path)],
                 ["officers", "add", "--db", str(path), "--name", "孙七", "--cert", "51111220009",
                  "--valid-until", "2028-12-31"]):
        assert main.main(argv) == 3
        assert "只能读取、不能写入" in _one_line(capsys)
    assert isinstance(check_file(path), ReadOnlyStorage)
    assert path.read_bytes() == before


def test_a_full_disk(world: World, tmpfs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _closed(world, tmpfs / "township.sqlite3")
    before = path.read_bytes()
    fill(tmpfs)
    assert main.main(unlocked(["officers", "add", "--db", str(path), "--name", "孙七", "--cert", "51111220009",
                               "--valid-until", "2028-12-31"], _admin_password(world.db.path.parent))) == 3
    assert "磁盘已满" in _one_line(capsys)
    assert isinstance(check_file(path), DiskFull)
    assert path.read_bytes() == before


def _admin_password(folder: Path) -> Path:
    """The test database's administrator password (tests/services/conftest.py), in a file to unlock it with."""
    pw = folder / "admin.pw"
    pw.write_text("secret123", encoding="utf-8")
    return pw


def _officer_names(path: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(str(path)) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM officer")]


def test_a_locked_database(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = _closed(world, tmp_path / "township.sqlite3")
    # the command waits SQLite's busy timeout (10 s) for the lock before giving up: the same path at 0.3 s
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_MS", 300)
    with lock_held(path):
        assert isinstance(check_file(path, timeout_s=0.2), DatabaseLocked)
        assert main.main(unlocked(["officers", "add", "--db", str(path), "--name", "孙七", "--cert", "51111220009",
                                   "--valid-until", "2028-12-31"], _admin_password(tmp_path))) == 3
        assert "正被另一个程序占用" in _one_line(capsys)
    assert "孙七" not in _officer_names(path)


def test_a_database_removed_during_a_command(world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The file goes (a stick pulled out) after the command opened it: never a new empty database in its place."""
    path = _closed(world, tmp_path / "township.sqlite3")
    real_open = Database.open

    def open_then_pull_out(*args: object, **kwargs: object) -> Database:
        db = real_open(*args, **kwargs)  # type: ignore[arg-type]
        db.engine.dispose()  # the next statement needs a new connection to the file
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return db

    monkeypatch.setattr(Database, "open", open_then_pull_out)
    assert main.main(["officers", "list", "--db", str(path)]) == 3
    assert "U 盘可能已拔出" in _one_line(capsys)
    assert not path.exists()


def test_a_missing_file_is_only_created_by_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo.sqlite3"
    assert main.main(["officers", "list", "--db", str(missing)]) == 3
    assert "不存在" in _one_line(capsys)
    assert not missing.exists()
    assert isinstance(check_file(missing), StorageMissing)


def test_district_grid_survives_a_gbk_console(district: District, tmp_path: Path) -> None:
    year = district.clock.today().year
    assert district.db.path is not None
    path = str(district.db.path)
    district.db.dispose()
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    cmd = [sys.executable, str(ROOT / "main.py")]
    subprocess.run([*cmd, "district", "close", "--db", path, "--year", str(year), "--month", "1",
                    "--reason", "一月关账"], env=env, check=True, capture_output=True)
    out = tmp_path / "grid.txt"
    with out.open("wb") as f:
        done = subprocess.run([*cmd, "district", "grid", "--db", path, "--year", str(year)], env=env, stdout=f,
                              stderr=subprocess.PIPE)
    assert done.returncode in (0, 1), done.stderr.decode("gbk", errors="replace")
    text = out.read_bytes().decode("gbk")  # the console's code page, whole
    assert "乡镇" in text and "[锁]" in text and "🔒" not in text
