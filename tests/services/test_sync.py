"""Sync round trips between a field laptop and the township office: export, import, re-import, conflicts,
tombstones, receipts and the per-record sync state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from services.core.clock import FixedClock
from services.core.db import Database
from services.sync import (
    apply_bundle,
    apply_receipt,
    ensure_nothing_unsent,
    inspect_bundle,
    list_conflicts,
    plan_export,
    record_sync_state,
    resolve_conflict,
    sync_status,
    unacknowledged_count,
    write_bundle,
)
from services.sync.errors import UnsentData
from tests.services.sync_helpers import Pair, add_party, count, edit, make_pair, opened_row, row


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def _send(p: Pair, out: Path, *, from_laptop: bool = True, full: bool = False) -> Path:
    uow = p.lu if from_laptop else p.ou
    to = p.office_uid if from_laptop else p.laptop_uid
    plan = plan_export(uow(), to, full=full)
    return write_bundle(uow(), plan, out).path


def test_laptop_records_reach_the_office_and_reimport_is_a_no_op(pair: Pair, tmp_path: Path) -> None:
    party = add_party(pair.lu(), "林外勤")
    plan = plan_export(pair.lu(), pair.office_uid)
    assert plan.counts.get("party") == 1 and plan.encrypted
    assert record_sync_state(pair.lu(), "party", party) == "未导出"
    result = write_bundle(pair.lu(), plan, tmp_path / "usb")
    assert result.path.exists() and result.sequence == 1
    assert record_sync_state(pair.lu(), "party", party) == "已导出（第1号同步包）"

    before = count(pair.office, "party")
    preview = inspect_bundle(pair.ou(), result.path)
    assert preview.total("new") >= 1 and count(pair.office, "party") == before  # dry run wrote nothing
    report = apply_bundle(pair.ou(), result.path, receipt_dir=tmp_path / "back")
    assert count(pair.office, "party") == before + 1
    assert row(pair.office, "party", party, "name") == ("林外勤",)
    assert report.total("new") == preview.total("new") and report.total("conflicts") == 0
    assert report.receipt_path is not None and report.receipt_path.exists()

    again = apply_bundle(pair.ou(), result.path)
    assert again.already_imported_at is not None and again.total("new") == 0
    assert "已于" in again.messages[0]

    assert unacknowledged_count(pair.lu(), pair.office_uid) > 0
    with pytest.raises(UnsentData):
        ensure_nothing_unsent(pair.lu(), "重置本机")
    ack = apply_receipt(pair.lu(), report.receipt_path)
    assert ack.acknowledged >= 1
    assert unacknowledged_count(pair.lu(), pair.office_uid) == 0
    ensure_nothing_unsent(pair.lu(), "重置本机")
    assert record_sync_state(pair.lu(), "party", party).startswith("已确认（乡镇办公室")
    # nothing left to send: the next incremental plan is empty
    assert plan_export(pair.lu(), pair.office_uid).total == 0


def test_edits_on_both_sides_are_kept_as_a_conflict_and_resolved(pair: Pair, tmp_path: Path) -> None:
    party = add_party(pair.lu(), "冲突人")
    first = _send(pair, tmp_path / "a")
    rep = apply_bundle(pair.ou(), first, receipt_dir=tmp_path / "r1")
    apply_receipt(pair.lu(), rep.receipt_path)

    edit(pair.laptop, pair.clock, "party", party, address="外勤机写的地址")
    pair.clock.current += timedelta(minutes=5)
    edit(pair.office, pair.clock, "party", party, address="办公室写的地址")
    second = _send(pair, tmp_path / "b")
    rep2 = apply_bundle(pair.ou(), second, receipt_dir=tmp_path / "r2")
    assert rep2.total("conflicts") == 1
    assert opened_row(pair.office, "party", party, "address") == ("办公室写的地址",)  # never silently overwritten
    [c] = list_conflicts(pair.ou())
    assert c.local["address"] == "办公室写的地址" and c.incoming["address"] == "外勤机写的地址"
    assert "address" in c.differing

    resolved = resolve_conflict(pair.ou(), c.uid, "incoming")
    assert resolved.status == "resolved"
    assert opened_row(pair.office, "party", party, "address") == ("外勤机写的地址",)
    assert list_conflicts(pair.ou()) == []
    # the resolution travels back and applies on the laptop without a second conflict
    back = _send(pair, tmp_path / "c", from_laptop=False)
    rep3 = apply_bundle(pair.lu(), back, receipt_dir=tmp_path / "r3")
    assert rep3.total("conflicts") == 0
    assert opened_row(pair.laptop, "party", party, "address") == ("外勤机写的地址",)
    assert row(pair.laptop, "party", party, "version") == row(pair.office, "party", party, "version")


def test_tombstones_travel(pair: Pair, tmp_path: Path) -> None:
    party = add_party(pair.lu(), "将删除")
    apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r")
    pair.clock.current += timedelta(minutes=1)
    edit(pair.laptop, pair.clock, "party", party, deleted_at=pair.clock.now())
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r")
    assert rep.total("updated") >= 1
    assert row(pair.office, "party", party, "deleted_at")[0] is not None


def test_sync_status_reports_a_missing_sequence(pair: Pair, tmp_path: Path) -> None:
    add_party(pair.lu(), "甲")
    _send(pair, tmp_path / "lost")  # bundle 1 never reaches the office
    add_party(pair.lu(), "乙", seq="556")
    second = _send(pair, tmp_path / "b")
    preview = inspect_bundle(pair.ou(), second)
    assert preview.missing_sequences == ((1, 1),) and "第1号同步包未收到" in preview.messages
    apply_bundle(pair.ou(), second, receipt_dir=tmp_path / "r")
    status = sync_status(pair.ou())
    [peer] = [p for p in status.peers if p.code == pair.laptop_code]
    assert peer.missing == ((1, 1),) and peer.last_received == 2


def test_manifests_match_the_published_json_schema(pair: Pair, tmp_path: Path) -> None:
    import json
    import zipfile

    import jsonschema

    from services.sync.reference import write_reference_bundle

    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "sync-manifest.schema.json").read_text())
    add_party(pair.lu(), "模式校验")
    records = _send(pair, tmp_path / "a")
    receipt = apply_bundle(pair.ou(), records, receipt_dir=tmp_path / "r").receipt_path
    plain = write_bundle(pair.lu(), plan_export(pair.lu(), None, full=True), tmp_path / "p").path
    reference = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "ref").path
    for path in (records, receipt, plain, reference):
        with zipfile.ZipFile(path) as z:
            jsonschema.validate(json.loads(z.read("manifest.json")), schema)


def test_record_details_show_where_the_record_has_got_to(pair: Pair, tmp_path: Path) -> None:
    from services.read.details import record_detail

    party = add_party(pair.lu(), "看状态的人")

    def shown() -> str:
        return dict(record_detail(pair.lu(), "parties", party).fields)["同步状态"]

    assert shown() == "未导出"
    sent = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "usb")
    assert shown() == f"已导出（第{sent.sequence}号同步包）"
    rep = apply_bundle(pair.ou(), sent.path, receipt_dir=tmp_path / "back")
    apply_receipt(pair.lu(), rep.receipt_path)
    assert shown().startswith("已确认（乡镇办公室")
    edit(pair.laptop, pair.clock, "party", party, name="看状态的人（改）")
    assert shown() == "未导出"  # an edit after the receipt is a new version nobody has yet
