"""Test-session environment: Qt renders offscreen, the per-user data folder is a throwaway directory and new password
hashes and key slots are made at a test cost (the production cost only under ``@pytest.mark.production_kdf``)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

# Before any QApplication exists: CI and developer shells may have no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_HOME_KEY = pytest.StashKey[tuple[str, str | None]]()
_KDF_KEY = pytest.StashKey[tuple[int, int]]()

# scrypt's cost for NEW password hashes and key slots in this test process. The product's n=2**15 (32 MiB, ~0.1 s of
# CPU, services/people/accounts.py and services/core/cipher.py) is paid by every initialise, login, sign-in and
# account change, several per test. Each hash and slot stores its own n and verifying reads it back (unwrap_key
# accepts n >= 2**10), so what the tests check — right and wrong secrets, lock-out, slots bound to their label — is
# the same at the lower cost; the tests of the production cost itself are marked ``production_kdf``.
# Processes a test starts (main.py on the command line) keep the product's cost.
TEST_KDF_N = 2**10


def _set_kdf_cost(n_password: int, n_slot: int) -> None:
    from services.core import cipher
    from services.people import accounts

    accounts._N = n_password  # the tests' cost, see TEST_KDF_N
    cipher.SLOT_N = n_slot


def pytest_configure(config: pytest.Config) -> None:
    # Forced, not setdefault: a developer's own ENFORCEDESK_HOME may hold real case data.
    home = tempfile.mkdtemp(prefix="enforcedesk-test-home-")
    config.stash[_HOME_KEY] = (home, os.environ.get("ENFORCEDESK_HOME"))
    os.environ["ENFORCEDESK_HOME"] = home
    # The suite makes far more than the ~5,000 void Qt calls PySide6 6.12 survives on Python 3.11 (ui/qt_compat.py).
    from ui.qt_compat import guard_none

    guard_none()
    from services.core import cipher
    from services.people import accounts

    config.stash[_KDF_KEY] = (accounts._N, cipher.SLOT_N)  # the product's cost, restored below
    _set_kdf_cost(TEST_KDF_N, TEST_KDF_N)


@pytest.fixture(autouse=True)
def _kdf_cost(request: pytest.FixtureRequest) -> Iterator[None]:
    """The product's scrypt cost for a test marked ``production_kdf`` (one that asserts it), the tests' cost after."""
    if request.node.get_closest_marker("production_kdf") is None:
        yield
        return
    _set_kdf_cost(*request.config.stash[_KDF_KEY])
    try:
        yield
    finally:
        _set_kdf_cost(TEST_KDF_N, TEST_KDF_N)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _KDF_KEY in config.stash:
        _set_kdf_cost(*config.stash[_KDF_KEY])
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
