"""Session templates built once per test run, not once per xdist worker.

A session-scoped fixture runs once in each worker process: with ``-n 2`` the small demo (~12 s) and the six-township
district (~9 s) were each built twice. :func:`build_once` builds a template into a folder shared by the workers of
one run (the parent of each worker's base temporary folder), under an exclusive lock: the first worker to need it
builds it, the others wait and read what it wrote. A build that failed half-way leaves no ``built.json`` and is
started again from an empty folder. The templates are never written after they are built (tests take copies).

Without ``fcntl`` (Windows) every process builds its own, as before.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def _shared_root(factory: pytest.TempPathFactory) -> Path:
    base = factory.getbasetemp()
    if fcntl is not None and os.environ.get("PYTEST_XDIST_WORKER"):
        return base.parent  # the run's base folder, which holds each worker's (popen-gw0, popen-gw1 …)
    return base


def build_once(factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], dict[str, Any]]) -> tuple[Path, dict[str, Any]]:
    """(folder, what ``build`` returned) for the template ``name``: ``build(folder)`` writes it into the empty
    folder and returns JSON-able facts about it (paths relative to the folder, keys as hex), once per run."""
    root = _shared_root(factory)
    folder, done = root / f"shared-{name}", root / f"shared-{name}" / "built.json"
    with open(root / f"shared-{name}.lock", "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            facts = build(folder)
            scratch = done.with_suffix(".tmp")
            scratch.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
            scratch.replace(done)
        return folder, json.loads(done.read_text(encoding="utf-8"))
