"""At the township office, from its field laptops: a laptop's key speaks for its township only, writes no reference
data and issues none; receipts acknowledge only what was sent to their signer in that bundle.

Every bundle and receipt here is correctly signed with a key the receiver trusts (the laptop provisioned from the
office, or the office itself); only what it says is hostile. The exit code, the Chinese reason and an unchanged
database (for refused files) are checked through the command line."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from main import EXIT_OK, EXIT_PROBLEMS, EXIT_REJECTED
from models.base import new_uid
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.sync import apply_bundle, apply_receipt, plan_export, unacknowledged_count, write_bundle
from services.sync.merge import MergeResult
from services.sync.reader import open_bundle
from services.sync.receipts import write_receipt
from tests.cli_unlock import main_as_fixture_admin as main  # unlocks the fixture databases
from tests.services.sync_helpers import Pair, add_party, bundle_rows, craft_bundle, make_pair, row, signer_for, snap

LATER = "2026-03-02 03:00:00.000000"


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def _import(p: Pair, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", "--db", str(p.office.path), str(path), "--receipt-dir", str(path.parent / "r")])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def _bumped(rec: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**rec, "version": int(rec["version"]) + 1, "updated_at": LATER, **changes}


def _office_rows(p: Pair, table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    assert p.office.path is not None
    return bundle_rows(p.office.path, table, where, params)


def test_what_a_laptop_may_not_write_is_quarantined(pair: Pair, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert pair.laptop.path is not None
    laptop = signer_for(pair.laptop.path)
    category = _office_rows(pair, "dispute_category", "ORDER BY t.id LIMIT 1")[0]
    office = _office_rows(pair, "device", "WHERE t.uid=?", (pair.office_uid,))[0]
    town = _office_rows(pair, "township", "ORDER BY t.id LIMIT 1")[0]
    stranger = dict(town, uid=new_uid(), name="外乡镇", origin_device=laptop.uid, version=1, updated_at=LATER)
    party = _office_rows(pair, "party", "ORDER BY t.id LIMIT 1")[0]
    ghost = dict(party, uid=new_uid(), origin_device=new_uid(), version=1, updated_at=LATER)
    own = dict(party, uid=new_uid(), origin_device=laptop.uid, name="外勤新登记", id_number="", version=1,
               updated_at=LATER)
    hostile = {
        "township": [stranger],
        "device": [_bumped(office, kind="district")],  # the office's own row: who issues reference data to it
        "dispute_category": [_bumped(category, name="外勤机改的类别", origin_device=laptop.uid)],
        "party": [ghost, own],
    }
    bundle = craft_bundle(laptop, tmp_path / "b" / "hostile.edsync", hostile,
                          recipient={"device_uid": pair.office_uid, "device_code": ""}, sequence=1)
    code, out, _err = _import(pair, bundle, capsys)
    assert code == EXIT_PROBLEMS
    reasons = {line.split(" ", 2)[1].split("：")[0]: line for line in out.splitlines() if line.startswith("隔离：")}
    assert "另一乡镇" in reasons[stranger["uid"]] and "只能写本乡镇的乡镇记录" in reasons[stranger["uid"]]
    assert "是本机自己的，只由本机修改" in reasons[pair.office_uid]
    assert "参考数据，由区下发" in reasons[category["uid"]]
    assert "本机不认识这台设备" in reasons[ghost["uid"]]
    assert own["uid"] not in reasons and row(pair.office, "party", own["uid"], "name") == ("外勤新登记",)
    assert row(pair.office, "device", pair.office_uid, "kind") == ("office",)
    assert row(pair.office, "dispute_category", category["uid"], "name") == (category["name"],)
    assert row(pair.office, "township", stranger["uid"]) is None


def test_a_laptop_cannot_send_reference_data_to_its_office(pair: Pair, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert pair.laptop.path is not None
    category = _office_rows(pair, "dispute_category", "ORDER BY t.id LIMIT 1")[0]
    bundle = craft_bundle(signer_for(pair.laptop.path), tmp_path / "b" / "ref.edsync",
                          {"dispute_category": [_bumped(category, name="伪造")]}, kind="reference", sequence=1,
                          recipient={"device_uid": pair.office_uid, "device_code": ""},
                          reference={"app_setting": [{"key": "statement.days", "value": "30"}]})
    before = snap(pair.office)
    code, _out, err = _import(pair, bundle, capsys)
    assert code == EXIT_REJECTED and "参考数据只能由向本机下发参考数据的区发来" in err and "外勤笔记本" in err
    assert snap(pair.office) == before


def test_a_laptops_manifest_in_another_townships_name_is_refused(pair: Pair, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert pair.laptop.path is not None
    bundle = craft_bundle(signer_for(pair.laptop.path), tmp_path / "b" / "claim.edsync", {}, sequence=1,
                          edit_manifest=lambda m: m.__setitem__("township", {"uid": new_uid(), "name": "外乡镇"}))
    before = snap(pair.office)
    code, _out, err = _import(pair, bundle, capsys)
    assert code == EXIT_REJECTED and "声称来自“外乡镇”" in err
    assert snap(pair.office) == before


def test_a_laptop_takes_reference_data_only_from_its_own_office(pair: Pair, tmp_path: Path, clock: FixedClock) -> None:
    """Another township's office, trusted by the laptop (a key card exchanged by mistake), is not its issuer."""
    from datetime import date

    from services.reference.setup import initialise
    from services.sync import BundleRejected, trust_key_card
    from services.sync.reference import write_reference_bundle
    from services.sync.trust import write_key_card

    other = Database.open(tmp_path / "other.sqlite3")
    try:
        key = initialise(other, UnitOfWork(other, actor="o", clock=clock), township="牛华镇",
                         squad="牛华镇综合行政执法中队", admin_password="other-1234",
                         catalogue_effective_from=date(2016, 1, 1)).data_key
        ou = lambda: UnitOfWork(other, actor="o", clock=clock, data_key=key)  # noqa: E731
        write_key_card(pair.lu(), tmp_path / "laptop.card")
        write_key_card(ou(), tmp_path / "other.card")
        trust_key_card(ou(), tmp_path / "laptop.card")
        trust_key_card(pair.lu(), tmp_path / "other.card")
        ref = write_reference_bundle(ou(), pair.laptop_uid, tmp_path / "ref")
    finally:
        other.dispose()
    before = snap(pair.laptop)
    with pytest.raises(BundleRejected, match="参考数据只能由向本机下发参考数据的乡镇办公室发来"):
        apply_bundle(pair.lu(), ref.path)
    assert snap(pair.laptop) == before
    own = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "own")
    assert apply_bundle(pair.lu(), own.path, receipt_dir=tmp_path / "r").total("quarantined") == 0


def test_a_reference_bundle_carries_only_the_recipients_number_blocks(pair: Pair, tmp_path: Path) -> None:
    """The recipient's device uid selects its blocks through a bound parameter, not text pasted into the SQL."""
    import zipfile

    from services.reference.numbering import assign_field_blocks, field_block_years
    from services.reference.settings import Settings
    from services.reference.setup import this_township
    from services.sync.reference import write_reference_bundle

    with pair.ou() as u:  # a second laptop's blocks, which must not go to the first
        s = u.session
        assign_field_blocks(s, this_township(s), Settings(s), device_uid=new_uid(),
                            years=field_block_years(u.clock.today()))
        u.commit()
    ref = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "ref")
    rep = apply_bundle(pair.lu(), ref.path, receipt_dir=tmp_path / "r")
    assert rep.total("quarantined") == 0
    with pair.office.engine.connect() as c:
        mine = c.exec_driver_sql("SELECT count(*) FROM number_block WHERE device_uid=?", (pair.laptop_uid,)).scalar()
        others = c.exec_driver_sql("SELECT count(*) FROM number_block WHERE device_uid<>?",
                                   (pair.laptop_uid,)).scalar()
    assert mine and others
    with zipfile.ZipFile(ref.path) as z:
        counts = json.loads(z.read("manifest.json"))["counts"]
    assert counts["number_block"] == mine


# -- receipts ---------------------------------------------------------------------------------------------------


def _forged_receipt(p: Pair, bundle: Path, lines: list[list[Any]], folder: Path) -> Path:
    """A receipt for ``bundle`` signed (and encrypted) by the office, naming ``lines`` as held."""
    with p.ou() as u:
        v = open_bundle(u.session, p.office, bundle)
    try:
        sink = io.StringIO("".join(json.dumps(x) + "\n" for x in lines))
        return write_receipt(p.ou(), v, MergeResult(), sink, folder)
    finally:
        v.close()


def _version(p: Pair, uid: str) -> list[Any]:
    v, u = row(p.laptop, "party", uid, "version, updated_at") or (0, "")
    return ["party", uid, v, str(u)]


def test_a_receipt_acknowledges_only_what_was_sent_to_its_signer_in_that_bundle(
        pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sent = add_party(pair.lu(), "第一包里的")
    first = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "1").path
    apply_bundle(pair.ou(), first, receipt_dir=tmp_path / "office-r")  # the office holds the first bundle
    pair.clock.current += timedelta(minutes=5)
    later = add_party(pair.lu(), "第二包才有的", seq="556")
    write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "2")
    with pair.laptop.engine.connect() as c:  # held by both since provisioning: never sent by the laptop
        never = c.exec_driver_sql("SELECT uid FROM party ORDER BY id LIMIT 1").scalar()
    wrong = [*_version(pair, sent)[:2], 7, LATER]
    receipt = _forged_receipt(pair, first, [_version(pair, sent), _version(pair, later), _version(pair, never),
                                            wrong, ["party", new_uid(), 1, LATER]], tmp_path / "forged")
    before = unacknowledged_count(pair.lu(), pair.office_uid)

    capsys.readouterr()
    code = main(["import", "--db", str(pair.laptop.path), str(receipt)])
    out = capsys.readouterr().out
    assert code == EXIT_PROBLEMS
    assert "确认了 1 条记录" in out and "有 4 条确认的记录版本不是本机在这个同步包里发给" in out
    assert unacknowledged_count(pair.lu(), pair.office_uid) == before - 1  # only the first bundle's party
    assert "已确认" not in _state(pair, later)


def _state(p: Pair, uid: str) -> str:
    from services.sync import record_sync_state

    return record_sync_state(p.lu(), "party", uid)


def test_an_honest_receipt_overtaken_by_a_newer_version_is_skipped_quietly(pair: Pair, tmp_path: Path) -> None:
    """A receipt for the first bundle arriving after the record was edited and sent again: the old version it
    names is outdated, not hostile — nothing is refused, and the newer version stays to be acknowledged."""
    party = add_party(pair.lu(), "先发的")
    first = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "1").path
    report = apply_bundle(pair.ou(), first, receipt_dir=tmp_path / "r1")
    pair.clock.current += timedelta(minutes=5)
    from tests.services.sync_helpers import edit

    edit(pair.laptop, pair.clock, "party", party, name="改过再发")
    write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "2")
    assert report.receipt_path is not None
    got = apply_receipt(pair.lu(), report.receipt_path)
    assert got.refused == 0 and got.warnings == ()
    assert "已导出" in _state(pair, party)


def test_an_honest_receipt_is_applied_in_full(pair: Pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_party(pair.lu(), "正常的")
    bundle = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "1").path
    report = apply_bundle(pair.ou(), bundle, receipt_dir=tmp_path / "r")
    assert report.receipt_path is not None
    capsys.readouterr()
    assert main(["import", "--db", str(pair.laptop.path), str(report.receipt_path)]) == EXIT_OK
    assert "不是本机在这个同步包里发给" not in capsys.readouterr().out
    assert unacknowledged_count(pair.lu(), pair.office_uid) == 0


@pytest.mark.parametrize("day", ["２０２６-１０-０１", "2026-13-45", "9999-12-31", "2026-1-1"])
def test_a_calendar_day_no_real_calendar_has_refuses_the_reference_bundle(pair: Pair, tmp_path: Path, day: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Even from the issuer (the office, to its laptop): the whole bundle is refused, nothing moves."""
    assert pair.office.path is not None
    bundle = craft_bundle(signer_for(pair.office.path), tmp_path / "b" / "cal.edsync", {}, kind="reference",
                          sequence=1, recipient={"device_uid": pair.laptop_uid, "device_code": pair.laptop_code},
                          reference={"calendar_day": [{"day": day, "kind": "holiday", "name": "节", "source": "x"}],
                                     "calendar_year": [{"year": 2026, "source": "x"}]})
    before = snap(pair.laptop)
    capsys.readouterr()
    assert main(["import", "--db", str(pair.laptop.path), str(bundle)]) == EXIT_REJECTED
    assert "节假日记录格式错误" in capsys.readouterr().err
    assert snap(pair.laptop) == before


def test_a_setting_value_the_settings_screen_would_refuse_is_ignored(pair: Pair, tmp_path: Path) -> None:
    from services.reference.settings import Settings

    assert pair.office.path is not None
    bundle = craft_bundle(signer_for(pair.office.path), tmp_path / "b" / "set.edsync", {}, kind="reference",
                          sequence=1, recipient={"device_uid": pair.laptop_uid, "device_code": pair.laptop_code},
                          reference={"app_setting": [{"key": "statement.days", "value": "-5"},
                                                     {"key": "hearing.threshold_person", "value": "Infinity"},
                                                     {"key": "disclosure.working_days", "value": "[[[[1]]]]"},
                                                     {"key": "evil'; DROP TABLE party;--", "value": "1"}]})
    with UnitOfWork(pair.laptop, actor="t", write=False) as u:
        days = Settings(u.session).int("statement.days")
    report = apply_bundle(pair.lu(), bundle, receipt_dir=tmp_path / "r")
    assert sum("的值无效，已忽略" in m for m in report.messages) == 3
    assert any("不是本地设置项" in m for m in report.messages)
    with UnitOfWork(pair.laptop, actor="t", write=False) as u:
        assert Settings(u.session).int("statement.days") == days
    assert row(pair.laptop, "party", _any_party(pair)) is not None


def _any_party(p: Pair) -> str:
    with p.laptop.engine.connect() as c:
        return str(c.exec_driver_sql("SELECT uid FROM party LIMIT 1").scalar())
