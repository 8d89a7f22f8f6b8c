"""Crash points of the exchange (issue 15), each with a real SIGKILL of a child ``main`` at the named moment.

The child runs the command line with one function replaced by a version that kills the process (SIGKILL, no
clean-up of any kind) at the point under test: an export between its commit and the rename of its file, an
export after its file was finished but before its commit, an import between its commit and its receipt, and a
backup before its copy is renamed into place. Afterwards: no sequence number is carried by two different bundles,
the recorded bundle appears under its name, the receipt can be written again, and no unfinished file is ever taken
for a bundle or a backup.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from main import EXIT_OK
from services.core.db import Database, daily_backup, rotate_backups, tidy_scratch
from services.core.uow import UnitOfWork
from services.maintenance.backup import list_backups
from services.sync import unacknowledged_count
from tests.cli_unlock import main_as_fixture_admin as main  # unlocks the fixture databases
from tests.cli_unlock import unlocked
from tests.services.test_sync_cli_import import _district, _town

ROOT = Path(__file__).resolve().parents[2]
# Each test kills a child process and starts it again: slow (the full suite runs them; -m "not slow" does not).
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"), pytest.mark.slow]

# The child: replace ``module.attr`` (a function, or a method as Class.name) by one that SIGKILLs the process
# when called (``before``) or when it returns (``after``), then run main with the remaining arguments.
_CHILD = """
import importlib, os, signal, sys
module, attr, when = sys.argv[1], sys.argv[2], sys.argv[3]
owner = importlib.import_module(module)
path = attr.split(".")
for part in path[:-1]:
    owner = getattr(owner, part)
original = getattr(owner, path[-1])

def killed(*args, **kwargs):
    if when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(owner, path[-1], killed)
import main
sys.exit(main.main(sys.argv[4:]))
"""


def _killed(target: str, when: str, *argv: str) -> None:
    module, attr = target.split(":")
    db = Path(argv[list(argv).index("--db") + 1])
    argv = tuple(unlocked(argv, db.with_suffix(".pw")))  # the password _init wrote beside the database
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _CHILD, module, attr, when, *argv], cwd=ROOT, env=env,
                          capture_output=True, timeout=300, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode("utf-8", "replace")


@pytest.fixture
def town(tmp_path: Path) -> Path:
    path = tmp_path / "town.sqlite3"
    _town(path)
    return path


def _recorded(db: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT seq, file_name, file_sha256 FROM sync_bundle WHERE kind='records' "
                            "ORDER BY seq").fetchall()
    finally:
        conn.close()


def _sequence(bundle: Path) -> int:
    with zipfile.ZipFile(bundle) as z:
        return int(json.loads(z.read("manifest.json"))["sequence"])


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_export_killed_between_its_commit_and_its_rename_is_put_in_place_and_its_number_not_reused(
        town: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    _killed("services.sync.container:BundleWriter.publish", "before", "sync", "export", "--db", str(town),
            "--out", str(stick))
    assert [p.name for p in stick.iterdir() if not p.name.startswith(".")] == []  # nothing under a bundle's name
    assert len(list(stick.glob(".*.part"))) == 1
    ((seq, name, sha),) = _recorded(town)
    assert seq == 1
    # The next export to the stick puts the recorded bundle in place, then writes No. 2.
    assert main(["sync", "export", "--db", str(town), "--out", str(stick)]) == EXIT_OK
    bundles = sorted(stick.glob("*.edsync"))
    assert [_sequence(b) for b in bundles] == [1, 2]
    assert bundles[0].name == name and _sha(bundles[0]) == sha
    assert list(stick.glob(".*")) == []
    assert [r[0] for r in _recorded(town)] == [1, 2]


def test_an_export_killed_before_its_commit_leaves_no_bundle_and_its_leftover_goes(town: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    _killed("services.sync.container:BundleWriter.finish", "after", "sync", "export", "--db", str(town),
            "--out", str(stick))
    assert [p.name for p in stick.iterdir() if not p.name.startswith(".")] == []
    (leftover,) = stick.glob(".*.part")
    assert _recorded(town) == []  # never recorded: the number is free, and no file under a bundle's name had it
    assert main(["sync", "export", "--db", str(town), "--out", str(stick)]) == EXIT_OK
    assert not leftover.exists()
    (bundle,) = stick.glob("*.edsync")
    assert _sequence(bundle) == 1
    assert [r[0] for r in _recorded(town)] == [1]


def test_an_export_killed_after_its_rename_is_complete(town: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    _killed("services.sync.container:BundleWriter.publish", "after", "sync", "export", "--db", str(town),
            "--out", str(stick))
    (bundle,) = stick.glob("*.edsync")
    assert _recorded(town) == [(1, bundle.name, _sha(bundle))]
    assert main(["sync", "export", "--db", str(town), "--out", str(stick)]) == EXIT_OK
    assert sorted(_sequence(b) for b in stick.glob("*.edsync")) == [1, 2]


def test_another_devices_leftover_on_the_stick_is_left_alone(town: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    foreign = stick / ".enforcedesk-OTHER-to-ALL-00001.edsync.OTHER.0123abcd.part"
    foreign.write_bytes(b"half a bundle")
    assert main(["sync", "export", "--db", str(town), "--out", str(stick)]) == EXIT_OK
    assert foreign.exists()


def test_an_import_killed_between_its_commit_and_its_receipt_can_write_the_receipt_again(
        town: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district, card = _district(tmp_path)
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["sync", "export", "--db", str(town), "--out", str(stick), "--to", str(card)]) == EXIT_OK
    (bundle,) = stick.glob("*.edsync")
    _killed("services.sync.receipts:write_receipt", "before", "sync", "import", "--db", str(district),
            str(bundle), "--trust-new")
    conn = sqlite3.connect(district)
    assert conn.execute("SELECT count(*) FROM imported_bundle").fetchone()[0] == 1  # the import committed
    conn.close()
    assert list(stick.glob("*receipt*")) == []
    capsys.readouterr()
    # Imported again: nothing changes, and the receipt is written.
    assert main(["sync", "import", "--db", str(district), str(bundle)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "导入，本次未做任何改动" in out and "已重新写出回执" in out
    (receipt,) = stick.glob("*receipt*.edsync")
    db = Database.open(town)
    try:
        before = unacknowledged_count(UnitOfWork(db, actor="t", write=False))
    finally:
        db.dispose()
    assert before > 0
    assert main(["sync", "receipt", "--db", str(town), str(receipt)]) == EXIT_OK
    db = Database.open(town)
    try:
        assert unacknowledged_count(UnitOfWork(db, actor="t", write=False)) == 0  # every record acknowledged
    finally:
        db.dispose()


def test_a_backup_killed_before_its_rename_is_never_listed_kept_or_restored(town: Path, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    _killed("services.core.db:os.replace", "before", "backup", "--db", str(town), "--dest", str(backups))
    (leftover,) = backups.iterdir()
    assert leftover.name.startswith(".") and leftover.name.endswith(".part")
    db = Database.open(town)
    try:
        assert list_backups(db) == []
    finally:
        db.dispose()
    assert rotate_backups(backups, town.stem, reason_suffix="manual", keep=0) == []  # not a kept backup either
    assert leftover.exists()
    # Idle for a while: the next start (the daily backup) removes it.
    os.utime(leftover, (1_000_000_000, 1_000_000_000))
    made = daily_backup(town, backups)
    assert made is not None and not leftover.exists()
    assert [p.name for p in backups.iterdir()] == [made.name]


def test_rotation_keeps_the_newest_and_ignores_other_files(town: Path, tmp_path: Path) -> None:
    from services.core.db import backup_sqlite

    backups = tmp_path / "backups"
    made = [backup_sqlite(town, backups, reason="manual", keep=3) for _ in range(5)]
    stranger = backups / f"{town.stem}-copy-manual.sqlite3"
    stranger.write_bytes(b"not ours")
    backup_sqlite(town, backups, reason="manual", keep=3)
    names = sorted(p.name for p in backups.iterdir())
    assert stranger.name in names and made[-1].name in names and made[0].name not in names
    assert len(names) == 4


def test_a_killed_runs_scratch_is_removed_at_the_next_start(town: Path, tmp_path: Path) -> None:
    """The demo generator's scratch copy and an attachment an import had not finished."""
    scratch = town.with_name(town.name + ".demo-tmp")
    scratch.write_bytes(b"half a demo")
    blob = town.parent / "attachments" / "ab" / ".incoming-x1y2"
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"half a photo")
    assert tidy_scratch(town) == []  # just written: they may belong to a run going on now
    for p in (scratch, blob):
        os.utime(p, (1_000_000_000, 1_000_000_000))
    assert sorted(tidy_scratch(town)) == sorted([scratch, blob])
    assert not scratch.exists() and not blob.exists()


def _idle(path: Path) -> None:
    os.utime(path, (1_000_000_000, 1_000_000_000))  # untouched for long: no export of another process is writing it


def test_an_export_killed_before_its_commit_is_tidied_by_verify_not_only_by_the_next_export(
        town: Path, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    _killed("services.sync.container:BundleWriter.finish", "after", "sync", "export", "--db", str(town),
            "--out", str(stick))
    (leftover,) = stick.glob(".*.part")
    foreign = stick / ".enforcedesk-OTHER-to-ALL-00001.edsync.OTHER.0123abcd.part"
    foreign.write_bytes(b"half a bundle")
    _idle(foreign)
    assert main(["verify", "--db", str(town)]) == EXIT_OK
    assert leftover.exists()  # just written: it could be an export still running in another process
    _idle(leftover)
    assert main(["verify", "--db", str(town)]) == EXIT_OK
    assert not leftover.exists()
    assert foreign.exists()  # another device's
    assert list(stick.glob("*.edsync")) == [] and _recorded(town) == []


def test_an_export_killed_between_its_commit_and_its_rename_is_put_in_place_at_the_next_start(
        town: Path, tmp_path: Path) -> None:
    """The window's housekeeping at start (cli/gui.py, with the daily backup) tidies the folders exports went
    to: the recorded bundle appears under its name without another export."""
    from services.sync.ceremony import tidy_leftover_bundles

    stick = tmp_path / "stick"
    stick.mkdir()
    _killed("services.sync.container:BundleWriter.publish", "before", "sync", "export", "--db", str(town),
            "--out", str(stick))
    (leftover,) = stick.glob(".*.part")
    _idle(leftover)
    ((seq, name, sha),) = _recorded(town)
    db = Database.open(town)
    try:
        assert tidy_leftover_bundles(db) == [(stick / name).resolve()]
    finally:
        db.dispose()
    assert [p.name for p in stick.iterdir()] == [name] and _sha(stick / name) == sha and seq == 1
