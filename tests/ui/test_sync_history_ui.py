"""A sender whose audit chain did not extend what this database saw before (services/sync/history.py) is shown on
the 同步 page (the district's 汇总情况 grid: tests/services/test_sync_history.py, on the shared test district)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from services.core.db import Database
from services.sync import apply_bundle
from tests.services.sync_helpers import Pair, make_pair, rewrite_audit
from tests.services.test_sync_history import _send
from ui.data_events import DataEvents
from ui.operations import SyncRunner
from ui.sync_page import SyncPage

pytestmark = pytest.mark.gui


@pytest.fixture
def flagged(db: Database, clock, tmp_path: Path) -> Iterator[Pair]:  # noqa: ANN001, F811
    """An office that imported two bundles of its field laptop, the second after the laptop's audit history was
    edited and re-hashed."""
    pair = make_pair(db, clock, tmp_path)
    try:
        apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "页面一"), receipt_dir=tmp_path / "r")
        assert pair.laptop.path is not None
        rewrite_audit(pair.laptop.path, edit_seq=3)
        apply_bundle(pair.ou(), _send(pair, tmp_path / "2", "页面二"), receipt_dir=tmp_path / "r")
        yield pair
    finally:
        pair.dispose()


def test_the_sync_page_shows_the_rewritten_history(qtbot: QtBot, flagged: Pair, tmp_path: Path) -> None:
    office = SyncPage(AppContext(flagged.office, flagged.clock, data_key=flagged.key), runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(office)
    office.refresh()
    assert office.history_warning.isVisibleTo(office)
    text = office.history_warning.text()
    assert "审计记录被改写" in text and flagged.laptop_code in text
    office.resize(1000, 600)
    office.grab().save(str(tmp_path / "sync.png"))


def test_the_sync_page_shows_no_warning_when_chains_extend(qtbot: QtBot, db: Database, clock,  # noqa: ANN001, F811
                                                           tmp_path: Path) -> None:
    pair = make_pair(db, clock, tmp_path)
    try:
        apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "页面一"), receipt_dir=tmp_path / "r")
        apply_bundle(pair.ou(), _send(pair, tmp_path / "2", "页面二"), receipt_dir=tmp_path / "r")
        office = SyncPage(AppContext(pair.office, pair.clock, data_key=pair.key), runner=SyncRunner(), data_events=DataEvents())
        qtbot.addWidget(office)
        office.refresh()
        assert not office.history_warning.isVisibleTo(office) and office.history_warning.text() == ""
    finally:
        pair.dispose()
