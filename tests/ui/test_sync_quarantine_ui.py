"""The 同步 screen's 隔离 tab: the records an import refused, with the reason and the record as it arrived,
opened with the signed-in user's key (stored sealed: docs/encryption-data.md; without a key the 同步 screen says
it needs one, and the service shows a note: tests/services/test_sealed_gaps.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from services.core.context import AppContext
from services.sync import apply_bundle
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from tests.services.sync_helpers import add_party, bundle_rows, craft_bundle, make_pair, signer_for
from ui.data_events import DataEvents
from ui.operations import SyncRunner
from ui.sync_page import SyncPage

pytestmark = pytest.mark.gui

ADDRESS = "金山镇新街17号"


def test_the_quarantine_tab_shows_the_refused_record_opened(qtbot: QtBot, world: World, tmp_path: Path) -> None:  # noqa: F811
    pair = make_pair(world.db, world.clock, tmp_path)
    try:
        assert pair.laptop.path is not None and pair.key is not None
        uid = add_party(pair.lu(), "被隔离的当事人")
        [rec] = bundle_rows(pair.laptop.path, "party", "WHERE t.uid=?", (uid,))
        rec.update(kind="no-such-kind", address=ADDRESS, id_number="", phone="")
        bundle = craft_bundle(signer_for(pair.laptop.path), tmp_path / "q" / "bad.edsync", {"party": [rec]},
                              sequence=1)
        apply_bundle(pair.ou(), bundle, receipt_dir=tmp_path / "r")

        office = SyncPage(AppContext(pair.office, pair.clock, data_key=pair.key), runner=SyncRunner(),
                          data_events=DataEvents())
        qtbot.addWidget(office)
        office.refresh()
        office.tabs.setCurrentIndex(office.tabs.indexOf(office.quarantine_tab))
        assert office.quarantine_table.rowCount() == 1
        assert office.quarantine_table.item(0, 2).text() == uid and "kind" in office.quarantine_table.item(0, 3).text()
        office.quarantine_table.setCurrentCell(0, 0)
        assert ADDRESS in office.quarantine_record.toPlainText()
        office.resize(1000, 600)
        shot = os.environ.get("ENFORCEDESK_SHOT_DIR")
        if shot:
            from ui.app import register_bundled_fonts

            register_bundled_fonts()  # the offscreen platform has no Chinese font of its own
            office.grab().save(str(Path(shot) / "sync_quarantine.png"))

    finally:
        pair.dispose()
