"""Test-session environment: Qt renders offscreen and the per-user data folder is a throwaway directory."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

# Before any QApplication exists: CI and developer shells may have no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_HOME_KEY = pytest.StashKey[tuple[str, str | None]]()


def pytest_configure(config: pytest.Config) -> None:
    # Forced, not setdefault: a developer's own ENFORCEDESK_HOME may hold real case data.
    home = tempfile.mkdtemp(prefix="enforcedesk-test-home-")
    config.stash[_HOME_KEY] = (home, os.environ.get("ENFORCEDESK_HOME"))
    os.environ["ENFORCEDESK_HOME"] = home
    # The suite makes far more than the ~5,000 void Qt calls PySide6 6.12 survives on Python 3.11 (ui/qt_compat.py).
    from ui.qt_compat import guard_none

    guard_none()


def pytest_unconfigure(config: pytest.Config) -> None:
    home, previous = config.stash[_HOME_KEY]
    if previous is None:
        os.environ.pop("ENFORCEDESK_HOME", None)
    else:
        os.environ["ENFORCEDESK_HOME"] = previous
    shutil.rmtree(home, ignore_errors=True)


def _on_postgresql(item: pytest.Item) -> bool:
    """The test runs against the PostgreSQL server: it asks for it, or is the ``postgresql`` variant of a fixture
    that opens it on demand (tests/services/district_helpers.py ``any_district``, the sync pair on either backend)."""
    if "pg_server" in getattr(item, "fixturenames", ()):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and "postgresql" in callspec.params.values()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The PostgreSQL variants are the full suite's (CI runs them all): the fast loop, ``pytest -m "not slow"``,
    # runs each of them on SQLite only. docs/architecture.md §8 says which tests are slow and why.
    for item in items:
        if _on_postgresql(item):
            item.add_marker(pytest.mark.slow)
