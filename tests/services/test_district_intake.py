"""``import_folder``: bundles applied by sender and sequence whatever their file names, the district's own receipts
in the same folder skipped rather than refused, and a run stopped between two bundles keeps what it imported."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from services.core.db import Database
from services.core.uow import UnitOfWork
from services.district.intake import import_folder
from services.sync import plan_export, trusted_devices, write_bundle
from tests.services.district_helpers import District, copy_file_db
from tests.services.sync_helpers import edit


def _later_bundles(district: District, tmp_path: Path, folder: Path) -> list[Path]:
    """Two more bundles (sequence 2 and 3) from the first township, named so that name order is the reverse."""
    name, template = next(iter(district.template.townships.items()))
    town = Database.open(copy_file_db(template, tmp_path / "town.sqlite3"))
    try:
        key = district.template.town_keys[name]  # the township is encrypted (district_helpers)
        tu = lambda: UnitOfWork(town, actor="town", clock=district.clock, data_key=key)  # noqa: E731
        peer = next(p for p in trusted_devices(tu()) if p.kind == "district")
        conn = sqlite3.connect(town.path)  # type: ignore[arg-type]
        uid = conn.execute("SELECT uid FROM party ORDER BY id LIMIT 1").fetchone()[0]
        conn.close()
        out = []
        for n, file_name in ((2, "z-second.edsync"), (3, "a-third.edsync")):
            edit(town, district.clock, "party", uid, data_key=key, name=f"{name}当事人改{n}")
            result = write_bundle(tu(), plan_export(tu(), peer.uid), folder, file_name=file_name)
            assert result.sequence == n
            out.append(result.path)
        return out
    finally:
        town.dispose()


def test_folder_in_sequence_order_and_own_receipts_skipped(district: District, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    second, third = _later_bundles(district, tmp_path, folder)
    seen: list[str] = []

    def progress(done: int, total: int, name: str) -> bool:
        seen.append(name)
        return True

    rep = import_folder(district.factory, folder, receipt_dir=folder, progress=progress)
    assert [o.file for o in rep.outcomes] == [second.name, third.name]  # sequence order, not name order
    assert [o.sequence for o in rep.outcomes] == [2, 3] and rep.ok and not rep.refused
    assert not any("未收到" in o.message for o in rep.outcomes)
    assert seen == [second.name, third.name, ""]  # one call per file, then the end
    assert len(rep.receipts) == 2 and all(Path(r).parent == folder for r in rep.receipts)

    again = import_folder(district.factory, folder, receipt_dir=folder)
    assert sorted(again.skipped) == sorted(Path(r).name for r in rep.receipts)  # ours: skipped, not "refused"
    assert not again.refused and [o.new + o.updated for o in again.outcomes] == [0, 0]


def test_stopping_between_bundles_keeps_what_was_imported(district: District, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    second, third = _later_bundles(district, tmp_path, folder)
    rep = import_folder(district.factory, folder, progress=lambda done, total, name: done < 1)
    assert rep.stopped and [o.file for o in rep.outcomes] == [second.name]
    rest = import_folder(district.factory, folder)
    assert [(o.file, o.new + o.updated) for o in rest.outcomes] == [(second.name, 0), (third.name, 1)]
