"""Real storage trouble for the tests: a small tmpfs (made full or read-only), a second process holding the
write lock. Used by the command-line and the start-up tests of services/core/storage.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def mounted_tmpfs(folder: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of the test's own at ``folder`` (root only: the test is skipped where mounting is not permitted)."""
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def make_read_only(mount_point: Path) -> None:
    """The write-protect switch of a stick: the file system remounted read-only."""
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)


def fill(folder: Path) -> None:
    """Take every free block of the file system under ``folder`` (what else is on the stick)."""
    with (folder / "filler").open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass


class LockHolder:
    """Another program holding the database's write lock (BEGIN EXCLUSIVE) until :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys\n"
             "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
             "c.execute('BEGIN EXCLUSIVE')\nprint('held', flush=True)\nsys.stdin.read()\n", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None and self._process.stdout.readline().strip() == "held"

    def release(self) -> None:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        if not process.stdin.closed:
            process.stdin.close()
        process.wait(30)
        process.stdout.close()


@contextmanager
def lock_held(path: Path) -> Iterator[LockHolder]:
    holder = LockHolder(path)
    try:
        yield holder
    finally:
        holder.release()
