"""Storage trouble on the command line for the commands that unlock an encrypted database (issue 15 point 4, after
encryption at rest): the export, import, key, provisioning and reference commands on a database on read-only media
or a full disk, and writing their files to a full or write-protected stick — exit 3 and one Chinese line naming
the file concerned, nothing changed, nothing left on the stick. A receipt that cannot be written beside a bundle on
a write-protected stick leaves the import done (exit 1, the reason on stderr), and importing again writes it.

Real media: a small tmpfs mounted for the test (skipped where mounting is not permitted), filled or remounted
read-only.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED
from services.core.db import copy_sqlite
from tests.cli_unlock import main_unlocked
from tests.services.test_sync_cli_import import _district, _town
from tests.storage_helpers import fill, make_read_only, mounted_tmpfs

PASSWORD = "secret-123"  # what _town and _district set up for admin


def run(argv: list[str]) -> int:
    return main_unlocked(argv, PASSWORD)


@pytest.fixture
def stick(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs of the test's own (root only: skipped where mounting is not permitted)."""
    with mounted_tmpfs(tmp_path / "stick", size="16m") as point:
        yield point


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """(town, district, district's key card, the town's first bundle, encrypted for the district)."""
    town = tmp_path / "town.sqlite3"
    _town(town)
    district, card = _district(tmp_path)
    out = tmp_path / "usb"
    out.mkdir()
    assert run(["sync", "export", "--db", str(town), "--out", str(out), "--to", str(card)]) == EXIT_OK
    (bundle,) = out.glob("*.edsync")
    return town, district, card, bundle


def _one_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    errors = [line for line in captured.err.splitlines() if line.startswith("错误：")]
    assert len(errors) == 1, captured.err
    return errors[0]


def _state(path: Path) -> str:
    """The database as bytes on disk (with its WAL, which a refused command must not have touched either)."""
    parts = [p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()]
    return hashlib.sha256(b"".join(parts)).hexdigest()


def _bundles_recorded(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM sync_bundle").fetchone()[0])
    finally:
        conn.close()


def _database_commands(town: Path, district: Path, card: Path, bundle: Path, tmp: Path) -> list[list[str]]:
    folder = tmp / "incoming"
    folder.mkdir(exist_ok=True)
    shutil.copy(bundle, folder)
    return [
        ["sync", "export", "--db", str(town), "--out", str(tmp / "out"), "--to", str(card), "--full"],
        ["sync", "keys", "--db", str(town), "--out", str(tmp / "town.card")],
        ["sync", "provision", "--db", str(town), "--out", str(tmp / "laptop.sqlite3"), "--name", "外勤一号"],
        ["sync", "import", "--db", str(district), str(bundle), "--trust-new", "--receipt-dir", str(tmp / "back")],
        ["district", "import", "--db", str(district), str(folder), "--trust-new", "--receipt-dir", str(tmp / "back")],
    ]


@pytest.mark.parametrize("trouble", ["read_only", "full"])
def test_commands_that_unlock_a_database_on_troubled_media(pair: tuple[Path, Path, Path, Path], stick: Path,
                                                          tmp_path: Path, trouble: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    town, district, card, bundle = pair
    on_stick = [copy_sqlite(p, stick / p.name, with_keys=True) for p in (town, district)]
    if trouble == "read_only":
        make_read_only(stick)
    else:
        fill(stick)
    before = {p: _state(p) for p in on_stick}
    words = "只能读取、不能写入" if trouble == "read_only" else "磁盘已满"
    (tmp_path / "out").mkdir()
    for argv in _database_commands(*on_stick, card, bundle, tmp_path):
        assert run(argv) == EXIT_REJECTED, argv
        line = _one_error(capsys)
        assert words in line and str(stick) in line, (argv, line)
    assert {p: _state(p) for p in on_stick} == before
    assert list((tmp_path / "out").iterdir()) == [] and not (tmp_path / "laptop.sqlite3").exists()


@pytest.mark.parametrize("trouble", ["read_only", "full"])
def test_files_written_to_a_troubled_stick_name_that_file_and_leave_nothing(
        pair: tuple[Path, Path, Path, Path], stick: Path, trouble: str, capsys: pytest.CaptureFixture[str]) -> None:
    town, district, card, bundle = pair
    assert run(["sync", "keys", "--db", str(town), "--out", str(town.with_name("town.card"))]) == EXIT_OK
    assert run(["sync", "import", "--db", str(district), str(bundle), "--trust-new"]) == EXIT_OK  # a township to report
    capsys.readouterr()
    if trouble == "read_only":
        make_read_only(stick)
    else:
        fill(stick)
    on_stick_before = sorted(p.name for p in stick.iterdir())
    words = "只能读取、不能写入" if trouble == "read_only" else "磁盘已满"
    sent = _bundles_recorded(town), _bundles_recorded(district)
    for argv, target in [
        (["sync", "export", "--db", str(town), "--out", str(stick), "--to", str(card), "--full"], "enforcedesk-"),
        (["sync", "keys", "--db", str(town), "--out", str(stick / "town.card")], "town.card"),
        (["sync", "provision", "--db", str(town), "--out", str(stick / "laptop.sqlite3"), "--name", "外勤一号"],
         "laptop.sqlite3"),
        (["sync", "reference", "--db", str(district), "--out", str(stick), "--to", str(town.with_name("town.card"))],
         "enforcedesk-reference-"),
        (["report", "--db", str(district), "--year", "2026", "--out", str(stick / "report.pdf")], "report.pdf"),
        (["report", "--db", str(district), "--year", "2026", "--out", str(stick / "report.xlsx")], "report.xlsx"),
    ]:
        assert run(argv) == EXIT_REJECTED, argv
        line = _one_error(capsys)
        # the file on the stick, by the name the user asked for — not the database, not a hidden temp name
        assert words in line and f"{stick}/{target}" in line and ".part" not in line, (argv, line)
    assert sorted(p.name for p in stick.iterdir()) == on_stick_before  # no temp file, no half-made laptop database
    assert (_bundles_recorded(town), _bundles_recorded(district)) == sent  # no sequence number used up


def test_a_receipt_that_cannot_be_written_beside_the_bundle_leaves_the_import_done(
        pair: tuple[Path, Path, Path, Path], stick: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _town_path, district, _card, bundle = pair
    shutil.copy(bundle, stick)
    make_read_only(stick)
    on_stick = stick / bundle.name
    assert run(["sync", "import", "--db", str(district), str(on_stick), "--trust-new"]) == EXIT_PROBLEMS
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "错误：" not in captured.err, captured.err
    assert "回执未能写入" in captured.err and "只能读取、不能写入" in captured.err and "导入已完成" in captured.err
    conn = sqlite3.connect(district)
    try:
        assert conn.execute("SELECT count(*) FROM imported_bundle").fetchone()[0] == 1  # the records are in
    finally:
        conn.close()
    back = tmp_path / "back"
    assert run(["sync", "import", "--db", str(district), str(on_stick), "--receipt-dir", str(back)]) == EXIT_OK
    assert "已重新写出回执" in capsys.readouterr().out
    assert len(list(back.glob("*receipt*.edsync"))) == 1


def test_district_import_of_a_folder_on_a_write_protected_stick_says_which_receipts_are_missing(
        pair: tuple[Path, Path, Path, Path], stick: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _town_path, district, _card, bundle = pair
    shutil.copy(bundle, stick)
    make_read_only(stick)
    assert run(["district", "import", "--db", str(district), str(stick), "--trust-new"]) == EXIT_PROBLEMS
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "错误：" not in captured.err, captured.err
    assert f"{bundle.name}：回执未能写入" in captured.err and "只能读取、不能写入" in captured.err
    assert "导入 1 个同步包，拒绝 0 个" in captured.out
    conn = sqlite3.connect(district)
    try:
        assert conn.execute("SELECT count(*) FROM imported_bundle").fetchone()[0] == 1
    finally:
        conn.close()
