"""History that cannot be rewritten quietly (services/sync/history.py): every bundle carries its sender's audit-chain
head and checkpoints in the signed manifest; the receiver keeps the last head per sender and flags a bundle whose
chain does not extend it — in the import report, ``sync status``, the 同步 page's data and the district grid.

The tampering is what a holder of the database file can do with a SQL tool: drop the audit guards, edit an event
and recompute every later hash so that ``verify`` passes on the township again, or cut the chain short."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from main import EXIT_OK, EXIT_PROBLEMS, main
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.district.completeness import completeness_grid
from services.maintenance.verify import verify_database
from services.sync import apply_bundle, apply_receipt, plan_export, sync_status, write_bundle
from services.sync.history import chain_heads
from tests.services.district_helpers import YEAR, District
from tests.services.sync_helpers import Pair, add_party, make_pair, resigned, rewrite_audit, signer_for


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


_SEQ = itertools.count(300)  # distinct ID numbers for the parties the tests add


def _send(p: Pair, folder: Path, name: str) -> Path:
    """The laptop writes one more party and its next bundle to the office."""
    p.clock.current += timedelta(minutes=1)
    add_party(p.lu(), name, seq=str(next(_SEQ)))
    return write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), folder).path


def _head(path: Path) -> dict[str, object]:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return dict(json.loads(z.read("manifest.json"))["audit"])


def _status(p: Pair, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["sync", "status", "--db", str(p.office.path)])
    return code, capsys.readouterr().out


def test_each_bundle_carries_the_head_and_an_extending_chain_is_not_flagged(pair: Pair, tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    first = _send(pair, tmp_path / "1", "第一次")
    apply_bundle(pair.ou(), first, receipt_dir=tmp_path / "r")
    second = _send(pair, tmp_path / "2", "第二次")
    h1, h2 = _head(first), _head(second)
    assert int(h2["seq"]) > int(h1["seq"]) > 0  # type: ignore[call-overload]
    assert [h1["seq"], h1["hash"]] in h2["checkpoints"]  # type: ignore[operator]
    report = apply_bundle(pair.ou(), second, receipt_dir=tmp_path / "r")
    assert not any("审计" in m for m in report.messages)
    with pair.ou() as u:
        assert chain_heads(u.session)[pair.laptop_uid].seq == h2["seq"]
    assert sync_status(pair.ou()).history == ()
    code, out = _status(pair, capsys)
    assert code == EXIT_OK and "⚠" not in out


def test_history_edited_and_rehashed_is_flagged(pair: Pair, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "改前"), receipt_dir=tmp_path / "r")
    rewrite_audit(pair.laptop.path, edit_seq=3)  # type: ignore[arg-type]
    assert verify_database(pair.laptop).ok  # the rewrite passes the township's own check: that is the point
    bundle = _send(pair, tmp_path / "2", "改后")
    report = apply_bundle(pair.ou(), bundle, receipt_dir=tmp_path / "r")
    assert report.total("new") == 1  # flagged, not refused: the records apply
    flagged = [m for m in report.messages if "审计记录被改写" in m]
    assert len(flagged) == 1 and pair.laptop_code in flagged[0] and "重新计算了哈希" in flagged[0]
    notes = sync_status(pair.ou()).history
    assert [(n.device_code, n.kind) for n in notes] == [(pair.laptop_code, "rewritten")]
    code, out = _status(pair, capsys)
    assert code == EXIT_PROBLEMS and f"⚠ {pair.laptop_code}：审计记录被改写" in out
    # The flag stays: the next, honest bundle extends the new head but the rewrite remains on record.
    apply_bundle(pair.ou(), _send(pair, tmp_path / "3", "之后"), receipt_dir=tmp_path / "r")
    assert [n.kind for n in sync_status(pair.ou()).history] == ["rewritten"]


def test_an_edit_without_rehashing_is_still_caught_by_verify(pair: Pair) -> None:
    import sqlite3

    conn = sqlite3.connect(str(pair.laptop.path))
    guards = conn.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='audit_event'"
                          ).fetchall()
    for name, _sql in guards:
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("UPDATE audit_event SET actor='someone-else' WHERE seq=3")
    for _name, sql in guards:
        conn.execute(sql)
    conn.commit()
    conn.close()
    report = verify_database(pair.laptop)
    assert not report.ok and any("第3条内容被改动" in p.message for p in report.problems)


def test_a_chain_cut_short_is_flagged(pair: Pair, tmp_path: Path) -> None:
    first = _send(pair, tmp_path / "1", "截短前")
    apply_bundle(pair.ou(), first, receipt_dir=tmp_path / "r")
    seen = int(_head(first)["seq"])  # type: ignore[call-overload]
    rewrite_audit(pair.laptop.path, cut_after=seen - 10)  # type: ignore[arg-type]
    report = apply_bundle(pair.ou(), write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid),
                                                  tmp_path / "2").path, receipt_dir=tmp_path / "r")
    assert any("审计记录被截短" in m and f"第{seen}条" in m for m in report.messages), report.messages
    assert [n.kind for n in sync_status(pair.ou()).history] == ["truncated"]


def test_a_bundle_written_earlier_and_imported_late_is_not_a_truncation(pair: Pair, tmp_path: Path) -> None:
    apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "第一包"), receipt_dir=tmp_path / "r")
    second = _send(pair, tmp_path / "2", "第二包")
    third = _send(pair, tmp_path / "3", "第三包")
    apply_bundle(pair.ou(), third, receipt_dir=tmp_path / "r")
    late = apply_bundle(pair.ou(), second, receipt_dir=tmp_path / "r")
    assert not any("审计" in m for m in late.messages)
    assert sync_status(pair.ou()).history == ()
    with pair.ou() as u:
        assert chain_heads(u.session)[pair.laptop_uid].seq == _head(third)["seq"]


def test_a_bundle_without_the_checkpoint_seen_before_cannot_be_verified(pair: Pair, tmp_path: Path) -> None:
    apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "核对前"), receipt_dir=tmp_path / "r")
    honest = _send(pair, tmp_path / "2", "核对后")
    bare = resigned(honest, tmp_path / "bare.edsync", signer_for(pair.laptop.path),  # type: ignore[arg-type]
                    lambda m: m["audit"].__setitem__("checkpoints", []))
    report = apply_bundle(pair.ou(), bare, receipt_dir=tmp_path / "r")
    assert any("无法核对审计链是否接续" in m for m in report.messages)
    assert [n.kind for n in sync_status(pair.ou()).history] == ["unverifiable"]


def test_a_bundle_of_an_older_version_carries_no_head_and_nothing_is_compared(pair: Pair, tmp_path: Path) -> None:
    old = resigned(_send(pair, tmp_path / "1", "旧版本"), tmp_path / "old.edsync",
                   signer_for(pair.laptop.path), lambda m: m.pop("audit"))  # type: ignore[arg-type]
    report = apply_bundle(pair.ou(), old, receipt_dir=tmp_path / "r")
    assert report.total("new") >= 1 and not any("审计" in m for m in report.messages)
    with pair.ou() as u:
        assert pair.laptop_uid not in chain_heads(u.session)
    apply_bundle(pair.ou(), _send(pair, tmp_path / "2", "新版本"), receipt_dir=tmp_path / "r")
    assert sync_status(pair.ou()).history == ()


def test_a_receipt_carries_the_receivers_head_too(pair: Pair, tmp_path: Path) -> None:
    """The office's receipts are bundles too: a laptop that saw the office's head notices its rewrite."""
    first = apply_bundle(pair.ou(), _send(pair, tmp_path / "1", "回执一"), receipt_dir=tmp_path / "r1")
    assert first.receipt_path is not None
    assert apply_receipt(pair.lu(), first.receipt_path).warnings == ()
    assert pair.office.path is not None
    rewrite_audit(pair.office.path, edit_seq=2)
    second = apply_bundle(pair.ou(), _send(pair, tmp_path / "2", "回执二"), receipt_dir=tmp_path / "r2")
    assert second.receipt_path is not None
    got = apply_receipt(pair.lu(), second.receipt_path)
    assert any("审计记录被改写" in w for w in got.warnings)
    assert [n.kind for n in sync_status(pair.lu()).history] == ["rewritten"]


def flag_at_district(d: District, tmp_path: Path) -> str:
    """竹根镇 (trusted at the district, its head seen with its first bundle) rewrites an old audit event, re-hashes
    the chain and sends its next bundle; returns its device code."""
    from tests.services.district_helpers import copy_file_db

    source = d.template.townships["竹根镇"]
    town = Database.open(copy_file_db(source, tmp_path / "town.sqlite3"))
    try:
        tu = lambda: UnitOfWork(town, actor="town", clock=d.clock, data_key=d.template.town_keys["竹根镇"])  # noqa: E731
        code = signer_for(source).source["device_code"]
        receipt = next((d.template.district.parent / "receipts").glob(f"*-to-{code}-*.edsync"))
        apply_receipt(tu(), receipt)  # the district's receipt for the first bundle: only new records go now
        rewrite_audit(tmp_path / "town.sqlite3", edit_seq=5)
        add_party(tu(), "改写之后")
        bundle = write_bundle(tu(), plan_export(tu(), d.db.device_uid), tmp_path / "usb").path
    finally:
        town.dispose()
    report = apply_bundle(d.uow(), bundle, receipt_dir=tmp_path / "r")
    assert any("审计记录被改写" in m for m in report.messages), report.messages
    return code


def test_the_district_grid_flags_a_township_whose_history_was_rewritten(
        any_district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = flag_at_district(any_district, tmp_path)
    grid = completeness_grid(any_district.uow(write=False), YEAR)
    row = next(r for r in grid.rows if r.township == "竹根镇")
    assert any(g.startswith(f"设备{code}审计记录被改写") for g in row.gaps)
    assert [d.history for d in row.devices if d.code == code][0][0].startswith("审计记录被改写：")
    assert all(not d.history for r in grid.rows if r.township != "竹根镇" for d in r.devices)
    capsys.readouterr()
    assert main(["district", "grid", "--db", any_district.target, "--year", str(YEAR), "--json"]) == EXIT_PROBLEMS
    data = json.loads(capsys.readouterr().out)
    town = next(t for t in data["townships"] if t["name"] == "竹根镇")
    assert any("审计记录被改写" in g for g in town["gaps"])
    assert any(dev["history"] for dev in town["devices"])


@pytest.mark.gui
def test_the_grid_page_shows_the_rewritten_history(qtbot: QtBot, district: District, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from models.enums import Role
    from services.core.context import AppContext
    from services.people.accounts import UserInfo
    from ui.data_events import DataEvents
    from ui.district.grid_page import GridPage
    from ui.operations import SyncRunner

    code = flag_at_district(district, tmp_path)
    page = GridPage(AppContext(district.db, district.clock,
                               UserInfo("u-district", "admin", "区级管理员", Role.DISTRICT_ADMIN, None)),
                    runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.year.setValue(YEAR)
    page.resize(1400, 700)
    page.refresh()
    town = next(i for i, r in enumerate(page.model.rows) if r.township == "竹根镇")
    last = page.model.columnCount() - 1
    assert f"设备{code}审计记录被改写" in page.model.data(page.model.index(town, last))
    others = [i for i, r in enumerate(page.model.rows) if r.township != "竹根镇"]
    assert all("审计" not in str(page.model.data(page.model.index(i, last))) for i in others)
    page.table.selectRow(town)
    col = page.devices_model.columnCount() - 1
    assert page.devices_model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "审计链"
    shown = [str(page.devices_model.data(page.devices_model.index(i, col)))
             for i in range(page.devices_model.rowCount())]
    assert any(s.startswith("审计记录被改写") for s in shown), shown
    page.grab().save(str(tmp_path / "grid.png"))
