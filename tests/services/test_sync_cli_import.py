"""The command line for sync: ``init --district``, ``sync keys --out``, ``sync export --out FILE --to KEYCARD`` and
``sync import FILE...`` (bundles, receipts, several at once in any order); the hostile corpus through the command line
(exit 3, the reason on stderr, the database file unchanged byte for byte); and an import killed with SIGKILL half-way
through, which leaves the database as it was."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from services.core.db import Database
from tests.cli_unlock import main_with_password_beside_db as main  # unlocks with the DB.pw that _init writes
from tests.cli_unlock import unlocked
from tests.services.conftest import snapshot
from tools.demo.small import generate_demo_file

ROOT = Path(__file__).resolve().parents[2]


def _init(path: Path, *args: str) -> None:
    pw = path.with_suffix(".pw")
    pw.write_text("secret-123", encoding="utf-8")
    assert main(["init", "--db", str(path), "--admin-password-file", str(pw), *args]) == EXIT_OK


def _town(path: Path) -> None:
    _init(path, "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队")


def _district(tmp: Path) -> tuple[Path, Path]:
    district = tmp / "district.sqlite3"
    _init(district, "--district", "乐山市五通桥区")
    card = tmp / "district.card"
    assert main(["sync", "keys", "--db", str(district), "--out", str(card)]) == EXIT_OK
    return district, card


def _file_state(path: Path) -> str:
    """The database as bytes on disk: its WAL folded in first, so only real changes differ."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _device_kind(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT kind FROM device WHERE uid=(SELECT value FROM local_state "
                                "WHERE key='device_uid')").fetchone()[0])
    finally:
        conn.close()


def test_init_district_makes_a_district_database_and_bad_arguments_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district, _card = _district(tmp_path)
    assert "已初始化区级数据库：乐山市五通桥区 / 乐山市五通桥区综合行政执法局" in capsys.readouterr().out
    assert _device_kind(district) == "district"
    for args, words in ((["--db", str(tmp_path / "a.db")], "须给出 --township"),
                        (["--db", str(tmp_path / "b.db"), "--township", "竹根镇"], "须给出 --squad"),
                        (["--db", str(tmp_path / "c.db"), "--district", "五通桥区", "--field-device"], "外勤")):
        assert main(["init", *args]) == EXIT_USAGE
        assert words in capsys.readouterr().err
        assert not Path(args[1]).exists()  # refused before a file is made


def test_export_to_a_key_card_then_import_several_files_in_any_order(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    town = tmp_path / "town.sqlite3"
    _town(town)
    district, card = _district(tmp_path)
    first, second = tmp_path / "usb" / "first.edsync", tmp_path / "usb" / "second.edsync"
    first.parent.mkdir()
    assert main(["sync", "export", "--db", str(town), "--out", str(first), "--to", str(card)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "将导出" in out and "已加密" in out and first.exists()
    assert main(["sync", "export", "--db", str(town), "--out", str(first), "--to", str(card)]) == EXIT_REJECTED
    assert "已存在" in capsys.readouterr().err  # an earlier bundle is never overwritten
    assert main(["sync", "export", "--db", str(town), "--out", str(second), "--to", str(card), "--full"]) == EXIT_OK

    # Given newest first: imported by sequence, so no "第1号同步包未收到" and both apply.
    back = tmp_path / "back"
    capsys.readouterr()
    assert main(["sync", "import", "--db", str(district), str(second), str(first), "--trust-new",
                 "--receipt-dir", str(back)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.index("== first.edsync") < out.index("== second.edsync")
    assert "未收到" not in out
    receipts = sorted(back.glob("*.edsync"))
    assert len(receipts) == 2
    assert main(["sync", "import", "--db", str(town), *map(str, receipts)]) == EXIT_OK
    assert "确认了" in capsys.readouterr().out
    assert main(["sync", "status", "--db", str(town), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["unacknowledged"] == 0

    assert main(["sync", "import", "--db", str(district), str(first)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "该同步包已于" in out and "未做任何改动" in out  # re-importing says when, and changes nothing


def test_import_of_a_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district, _card = _district(tmp_path)
    before = _file_state(district)
    assert main(["sync", "import", "--db", str(district), str(tmp_path / "nope.edsync")]) == EXIT_USAGE
    assert "找不到文件" in capsys.readouterr().err
    assert _file_state(district) == before


# -- the hostile corpus, through the command line --------------------------------------------------------------


def _rewrite(src: Path, dst: Path, change: Callable[[dict[str, bytes]], list[tuple[str, bytes]]]) -> Path:
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names; writing one is the point
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in change(members):
                z.writestr(name, data)
    return dst


def _records(members: dict[str, bytes]) -> str:
    return next(n for n in members if n.startswith("records/"))


def _flip(m: dict[str, bytes]) -> list[tuple[str, bytes]]:
    data = bytearray(m[_records(m)])
    data[len(data) // 2] ^= 0x01
    return [*{**m, _records(m): bytes(data)}.items()]


def _schema_too_new(m: dict[str, bytes]) -> list[tuple[str, bytes]]:
    manifest = json.loads(m["manifest.json"])
    manifest["schema_major"] = 99  # unsigned change: the signature check refuses it first, which is the point
    return [*{**m, "manifest.json": json.dumps(manifest).encode()}.items()]


HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "truncated": (lambda src, dst: (dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2]), dst)[1], "损坏"),
    "flipped byte": (lambda src, dst: _rewrite(src, dst, _flip), "校验失败"),
    "wrong signature": (lambda src, dst: _rewrite(src, dst, lambda m: [*{**m, "manifest.sig": bytes(64)}.items()]),
                        "签名无效"),
    "schema changed": (lambda src, dst: _rewrite(src, dst, _schema_too_new), "签名无效"),
    "path escape": (lambda src, dst: _rewrite(src, dst, lambda m: [*m.items(), ("../evil.txt", b"x")]),
                    "不安全的路径"),
    "zip bomb": (lambda src, dst: _rewrite(src, dst, lambda m: [*m.items(), ("records/zz.jsonl", bytes(20 << 20))]),
                 "压缩比异常"),
    "duplicate member": (lambda src, dst: _rewrite(src, dst, lambda m: [*m.items(),
                                                                         ("manifest.json", m["manifest.json"])]),
                         "重复"),
    "malformed json": (lambda src, dst: _rewrite(src, dst, lambda m: [*{**m, "manifest.json": b"{x"}.items()]),
                       "无效"),
    "missing member": (lambda src, dst: _rewrite(src, dst, lambda m: [(n, d) for n, d in m.items()
                                                                       if n != _records(m)]), "缺少成员"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """A district that trusts the township, a good bundle from it, and one from another township."""
    tmp = tmp_path_factory.mktemp("hostile")
    town, other = tmp / "town.sqlite3", tmp / "other.sqlite3"
    _town(town)
    _init(other, "--township", "西坝镇", "--squad", "西坝镇综合行政执法中队")
    district, card = _district(tmp)
    town_card = tmp / "town.card"
    assert main(["sync", "keys", "--db", str(town), "--out", str(town_card)]) == EXIT_OK
    assert main(["sync", "trust", "--db", str(district), str(town_card)]) == EXIT_OK
    good = tmp / "good.edsync"
    assert main(["sync", "export", "--db", str(town), "--out", str(good), "--to", str(card)]) == EXIT_OK
    stranger = tmp / "stranger.edsync"
    assert main(["sync", "export", "--db", str(other), "--out", str(stranger), "--to", str(card)]) == EXIT_OK
    return district, good, stranger


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_bundle_exits_3_with_the_reason_and_the_file_unchanged(
        kind: str, corpus: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district, good, _stranger = corpus
    make, words = HOSTILE[kind]
    bad = make(good, tmp_path / f"{kind}.edsync")
    before = _file_state(district)
    capsys.readouterr()
    assert main(["sync", "import", "--db", str(district), str(bad)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert words in err and bad.name in err
    assert _file_state(district) == before


def test_unknown_device_and_other_recipient_exit_3(corpus: tuple[Path, Path, Path], tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    district, good, stranger = corpus
    before = _file_state(district)
    capsys.readouterr()
    assert main(["sync", "import", "--db", str(district), str(stranger)]) == EXIT_REJECTED
    assert "尚未信任" in capsys.readouterr().err
    # The township's bundle, addressed to the district, offered to another township's database.
    other_town = tmp_path / "elsewhere.sqlite3"
    _init(other_town, "--township", "牛华镇", "--squad", "牛华镇综合行政执法中队")
    other_before = _file_state(other_town)
    assert main(["sync", "import", "--db", str(other_town), str(good), "--trust-new"]) == EXIT_REJECTED
    assert "不是本机，已拒绝" in capsys.readouterr().err
    assert _file_state(other_town) == other_before
    assert _file_state(district) == before


# -- SIGKILL half-way through an import ---------------------------------------------------------------------------

_KILLABLE = """
import sys, time
from pathlib import Path
import services.sync.merge as merge
marker = Path(sys.argv[1])
original = merge.Merger._rows

def rows_then_wait(self, *args, **kwargs):
    original(self, *args, **kwargs)
    if self.raw.total_changes > 500:  # hundreds of rows written inside the open transaction: wait to be killed
        marker.write_text(str(self.raw.total_changes), encoding="utf-8")  # rows written, not committed
        time.sleep(120)

merge.Merger._rows = rows_then_wait
import main
sys.exit(main.main(sys.argv[2:]))
"""


@pytest.mark.slow  # SIGKILLs child imports at many points (~60 s)
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_import_killed_with_sigkill_leaves_the_database_as_before(tmp_path: Path) -> None:
    town = tmp_path / "town.sqlite3"
    generate_demo_file(town, seed=3)
    town.with_suffix(".pw").write_text("demo12345", encoding="utf-8")  # the demo's administrator unlocks it
    district, card = _district(tmp_path)
    bundle = tmp_path / "demo.edsync"
    assert main(["sync", "export", "--db", str(town), "--out", str(bundle), "--to", str(card)]) == EXIT_OK
    before_bytes = _file_state(district)
    db = Database.open(district)
    before = snapshot(db)
    db.dispose()

    marker = tmp_path / "inside-import"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tmp_path / "import.log"
    with log.open("wb") as err, subprocess.Popen(
            [sys.executable, "-c", _KILLABLE, str(marker), *unlocked(
                ["sync", "import", "--db", str(district), str(bundle), "--trust-new"], district.with_suffix(".pw"))],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err) as proc:
        try:
            deadline = time.monotonic() + 120
            while not marker.exists():
                assert proc.poll() is None, log.read_text(encoding="utf-8", errors="replace")
                assert time.monotonic() < deadline, "the import never wrote 500 rows"
                time.sleep(0.05)
            time.sleep(0.2)  # the marker's text is written after the file appears
            assert int(marker.read_text(encoding="utf-8")) > 500  # rows written, uncommitted, when it died
            os.kill(proc.pid, signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    db = Database.open(district)
    try:
        assert snapshot(db) == before
        assert db.engine.dialect.name == "sqlite"
    finally:
        db.dispose()
    assert _file_state(district) == before_bytes
    # And the same bundle imports completely afterwards (exit 1 only for the catalogue conflicts: the demo
    # back-dates the shipped items to 2016 for its ten years of history, the fresh district has them from 2021).
    assert main(["sync", "import", "--db", str(district), str(bundle), "--trust-new"]) in (EXIT_OK, 1)
    for table in ("penalty_case", "inspection", "mediation_case", "case_event"):
        assert _count(district, table) == _count(town, table) > 0


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608 - the test's table
    finally:
        conn.close()
