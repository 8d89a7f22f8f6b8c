"""The sync round trips with the receiving database on SQLite and on PostgreSQL: the same outcomes on both.

The receiving office starts as the usual SQLite test database (a field laptop provisioned from it); for the
PostgreSQL half it is moved to a fresh PostgreSQL database with ``copy_database`` (services/district/transfer.py)
at the point the test says, its device keys copied to where a server database keeps them (services/sync/trust.py
``key_path``). The server comes from the ``pg_server`` fixture (tests/services/district_helpers.py): under CI the
PostgreSQL half never skips.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from models.mediation import DisputeCategory
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.sync import (
    BundleRejected,
    apply_bundle,
    apply_receipt,
    inspect_bundle,
    list_conflicts,
    plan_export,
    record_sync_state,
    resolve_conflict,
    unacknowledged_count,
    write_bundle,
)
from services.sync.crypto import key_file_path
from tests.services.district_helpers import _pg_counter, pg_database
from tests.services.sync_helpers import Pair, add_party, count, edit, make_pair, opened_row, remember_key, row, snap
from tests.services.test_sync_hostile import _bad_sig, _duplicate, _flip, _rewrite, poisoned_parties


@dataclass
class Receiver(Pair):
    """A pair whose office (the receiving side) can be moved to PostgreSQL."""

    backend: str = "sqlite"
    request: Any = None
    stack: ExitStack = field(default_factory=ExitStack)

    def to_backend(self) -> None:
        """From here on the office is on the test's backend (no-op for SQLite)."""
        if self.backend == "sqlite" or self.office.engine.dialect.name == "postgresql":
            return
        from services.district.transfer import copy_database

        admin = self.request.getfixturevalue("pg_server")
        url = self.stack.enter_context(pg_database(admin, f"ed_syncpg_{os.getpid()}_{next(_pg_counter)}"))
        pg = Database.open(url)
        self.stack.callback(pg.dispose)
        copy_database(self.office, pg)
        assert self.office.path is not None
        keys = Path(os.environ["ENFORCEDESK_HOME"]) / "keys"
        keys.mkdir(parents=True, exist_ok=True)
        shutil.copy2(key_file_path(self.office.path), keys / f"{pg.device_uid}.keys")
        remember_key(pg, self.key)  # the copy keeps the data key: edit() on it unlocks with the pair's
        self.office = pg


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, db: Database, clock: FixedClock, tmp_path: Path,
         monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    monkeypatch.setenv("ENFORCEDESK_HOME", str(tmp_path / "home"))
    if request.param == "postgresql":
        request.getfixturevalue("pg_server")  # skip (or fail under CI) before any work when there is none
    p = make_pair(db, clock, tmp_path)
    r = Receiver(p.office, p.laptop, p.clock, p.laptop_uid, p.laptop_code, p.office_uid, p.key, request.param,
                 request)
    with r.stack:
        yield r
        r.dispose()


def _send(p: Receiver, out: Path) -> Path:
    return write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), out).path


def _category(uow: UnitOfWork, code: str, name: str) -> str:
    with uow as u:
        c = DisputeCategory(code=code, name=name)
        u.session.add(c)
        u.session.flush()
        uid = c.uid
        u.commit()
    return uid


def test_new_records_dry_run_reimport_and_receipt(pair: Receiver, tmp_path: Path) -> None:
    pair.to_backend()
    party = add_party(pair.lu(), "林外勤")
    bundle = _send(pair, tmp_path / "usb")
    before = count(pair.office, "party")
    preview = inspect_bundle(pair.ou(), bundle)
    assert preview.total("new") >= 1 and count(pair.office, "party") == before  # the dry run rolled back
    report = apply_bundle(pair.ou(), bundle, receipt_dir=tmp_path / "back")
    assert report.total("new") == preview.total("new") and report.total("conflicts") == 0
    assert report.total("quarantined") == 0
    assert count(pair.office, "party") == before + 1
    assert row(pair.office, "party", party, "name") == ("林外勤",)
    assert report.receipt_path is not None and report.receipt_path.exists()
    assert record_sync_state(pair.ou(), "party", party).startswith("已确认（外勤机")

    again = apply_bundle(pair.ou(), bundle)
    assert again.already_imported_at is not None and again.total("new") == 0 and "已于" in again.messages[0]

    ack = apply_receipt(pair.lu(), report.receipt_path)
    assert ack.acknowledged >= 1 and unacknowledged_count(pair.lu(), pair.office_uid) == 0
    # an ORM insert after the bulk insert with explicit ids gets a free id (the PostgreSQL sequence moved on)
    add_party(pair.ou(), "办公室新录入", seq="777")
    assert count(pair.office, "party") == before + 2


def test_update_conflict_kept_and_resolved(pair: Receiver, tmp_path: Path) -> None:
    pair.to_backend()
    party = add_party(pair.lu(), "冲突人")
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r1")
    apply_receipt(pair.lu(), rep.receipt_path)

    pair.clock.current += timedelta(minutes=1)
    edit(pair.laptop, pair.clock, "party", party, address="第一次修改")
    upd = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r2")
    assert (upd.total("updated"), upd.total("new"), upd.total("conflicts")) == (1, 0, 0)
    assert opened_row(pair.office, "party", party, "address") == ("第一次修改",)
    apply_receipt(pair.lu(), upd.receipt_path)

    pair.clock.current += timedelta(minutes=1)
    edit(pair.laptop, pair.clock, "party", party, address="外勤机写的地址")
    pair.clock.current += timedelta(minutes=5)
    edit(pair.office, pair.clock, "party", party, address="办公室写的地址")
    rep2 = apply_bundle(pair.ou(), _send(pair, tmp_path / "c"), receipt_dir=tmp_path / "r3")
    assert rep2.total("conflicts") == 1 and rep2.total("updated") == 0
    assert opened_row(pair.office, "party", party, "address") == ("办公室写的地址",)  # never silently overwritten
    [c] = list_conflicts(pair.ou())
    assert c.local["address"] == "办公室写的地址" and c.incoming["address"] == "外勤机写的地址"
    resolve_conflict(pair.ou(), c.uid, "incoming")
    assert opened_row(pair.office, "party", party, "address") == ("外勤机写的地址",)
    assert list_conflicts(pair.ou()) == []


def test_tombstone_travels(pair: Receiver, tmp_path: Path) -> None:
    pair.to_backend()
    party = add_party(pair.lu(), "将删除")
    apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r")
    pair.clock.current += timedelta(minutes=1)
    edit(pair.laptop, pair.clock, "party", party, deleted_at=pair.clock.now())
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r")
    assert rep.total("updated") == 1
    assert row(pair.office, "party", party, "deleted_at")[0] is not None


def test_one_invalid_record_is_quarantined_and_the_rest_applies(pair: Receiver, tmp_path: Path) -> None:
    pair.to_backend()
    add_party(pair.lu(), "好人甲", seq="601")
    add_party(pair.lu(), "坏记录", seq="602")

    bad = poisoned_parties(pair, tmp_path / "q.edsync", lambda lines: [
        ln.replace('"kind":"person"', '"kind":"alien"') if "坏记录" in ln else ln for ln in lines])
    before = count(pair.office, "party")
    report = apply_bundle(pair.ou(), bad, receipt_dir=tmp_path / "r")
    assert report.total("quarantined") == 1 and report.problems
    [(table, _uid, reason)] = report.quarantined
    assert table == "party" and "alien" in reason
    assert count(pair.office, "party") == before + 1 and count(pair.office, "sync_quarantine") == 1


def test_a_nul_character_in_a_record_is_quarantined_on_both_databases(pair: Receiver, tmp_path: Path) -> None:
    """PostgreSQL text cannot hold U+0000 and SQLite can: such a record is refused on both (quarantined with the
    reason), and neither the rest of the bundle nor the quarantine itself fails over it."""
    pair.to_backend()
    add_party(pair.lu(), "好人乙", seq="611")
    add_party(pair.lu(), "坏记录", seq="612")

    def poison(lines: list[str]) -> list[str]:
        good = next(ln for ln in lines if "好人乙" in ln)
        lines = [ln.replace('"name":"坏记录"', '"name":"坏\\u0000记录"') for ln in lines]
        lines.append(good.replace('"uid":"', '"uid":"\\u0000', 1))  # a uid with U+0000: not a uid at all
        lines.append('{"uid": "raw\x00nul"}')  # a raw NUL byte: not JSON
        return lines

    bad = poisoned_parties(pair, tmp_path / "nul.edsync", poison)
    before = count(pair.office, "party")
    report = apply_bundle(pair.ou(), bad, receipt_dir=tmp_path / "r")
    assert report.total("quarantined") == 3
    reasons = sorted(reason for _t, _u, reason in report.quarantined)
    assert reasons == ["不是有效的 JSON 记录", "字段 name：含有空字符（U+0000），数据库不能保存",
                       "字段 uid：含有空字符（U+0000），数据库不能保存"]
    assert count(pair.office, "party") == before + 1 and count(pair.office, "sync_quarantine") == 3


def _attendance(uow: UnitOfWork, training: str, officer: str) -> str:
    """An attendance row (unique per training and officer) made through the ORM, as the training screen does."""
    from models.org import Officer
    from models.records import Training, TrainingAttendance

    with uow as u:
        s = u.session
        t = s.scalar(select(Training).where(Training.uid == training))
        o = s.scalar(select(Officer).where(Officer.uid == officer))
        assert t is not None and o is not None
        a = TrainingAttendance(training_id=t.id, officer_id=o.id)
        s.add(a)
        s.flush()
        uid = a.uid
        u.commit()
    return uid


def _training(uow: UnitOfWork) -> tuple[str, list[str]]:
    """A new training of this township, and the uids of three of its officers."""
    from datetime import date

    from models.org import Officer
    from models.records import Training

    with uow as u:
        s = u.session
        officers = list(s.scalars(select(Officer).order_by(Officer.id).limit(3)))
        t = Training(township_id=officers[0].township_id, title="同步测试培训", held_on=date(2026, 3, 1))
        s.add(t)
        s.flush()
        out = t.uid, [o.uid for o in officers]
        u.commit()
    return out


def test_unique_clashes_are_quarantined_and_the_rest_applies(pair: Receiver, tmp_path: Path) -> None:
    """A new row and an update refused by a UNIQUE constraint (one attendance per training and officer):
    quarantined, the rest of the bundle applies — on PostgreSQL without the unique violation aborting the import's
    transaction."""
    pair.to_backend()
    training, (o1, o2, o3) = _training(pair.lu())
    shared = _attendance(pair.lu(), training, o1)
    apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r")
    _attendance(pair.ou(), training, o2)
    _attendance(pair.ou(), training, o3)
    _attendance(pair.lu(), training, o2)  # new row, same training and officer as the office's own
    pair.clock.current += timedelta(minutes=1)
    with UnitOfWork(pair.laptop, actor="t", clock=pair.clock, write=False) as u:
        o3_id = u.session.execute(text("SELECT id FROM officer WHERE uid=:u"), {"u": o3}).scalar()
    edit(pair.laptop, pair.clock, "training_attendance", shared, officer_id=o3_id)  # update clashing
    party = add_party(pair.lu(), "照常导入", seq="611")
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r2")
    reasons = sorted(r for t, _u, r in rep.quarantined if t == "training_attendance")
    assert len(reasons) == 2 and all("唯一约束" in r or "数据库拒绝写入" in r for r in reasons), reasons
    assert rep.total("quarantined") == 2 and rep.total("conflicts") == 0
    with pair.office.engine.connect() as c:
        kept = c.execute(text("SELECT o.uid FROM training_attendance a JOIN officer o ON o.id = a.officer_id "
                              "WHERE a.uid=:u"), {"u": shared}).scalar()
    assert kept == o1
    assert row(pair.office, "party", party, "name") == ("照常导入",)
    assert count(pair.office, "sync_quarantine") == 2


def test_an_update_refused_among_updates_whose_triggers_wrote_is_still_caught(pair: Receiver, tmp_path: Path) -> None:
    """Two updates in one bundle, one refused by a UNIQUE constraint, the other marking a month in figure_dirty
    through its UPDATE trigger: SQLite's change counter (the statement's row plus the trigger's) came to two, the
    number of updates, and the refused one went into the receipt as applied. Counted by the statement's own rows,
    it is quarantined and the other applies."""
    pair.to_backend()
    training, (o1, o2, o3) = _training(pair.lu())
    first, second = _attendance(pair.lu(), training, o1), _attendance(pair.lu(), training, o2)
    apply_bundle(pair.ou(), _send(pair, tmp_path / "a"), receipt_dir=tmp_path / "r")
    _attendance(pair.ou(), training, o3)  # the office's own: (training, o3) is taken there
    with pair.office.engine.begin() as c:
        c.execute(text("DELETE FROM figure_dirty"))  # the figures recomputed: no month is marked
    pair.clock.current += timedelta(minutes=1)
    with UnitOfWork(pair.laptop, actor="t", clock=pair.clock, write=False) as u:
        ids = dict(u.session.execute(text("SELECT uid, id FROM officer")).all())
        spare = u.session.execute(text("SELECT id FROM officer WHERE uid NOT IN (:a, :b, :c) ORDER BY id LIMIT 1"),
                                  {"a": o1, "b": o2, "c": o3}).scalar()
    edit(pair.laptop, pair.clock, "training_attendance", first, officer_id=ids[o3])  # refused at the office
    edit(pair.laptop, pair.clock, "training_attendance", second, officer_id=spare)  # applies, marks its month
    rep = apply_bundle(pair.ou(), _send(pair, tmp_path / "b"), receipt_dir=tmp_path / "r2")
    assert [(t, u) for t, u, _r in rep.quarantined] == [("training_attendance", first)]
    assert next(t for t in rep.tables if t.table == "training_attendance").updated == 1
    with pair.office.engine.connect() as c:
        officer_of = dict(c.execute(text("SELECT a.uid, o.uid FROM training_attendance a JOIN officer o "
                                         "ON o.id = a.officer_id")).all())
        marked = c.execute(text("SELECT count(*) FROM figure_dirty")).scalar()
    assert officer_of[first] == o1 and officer_of[second] != o2 and marked
    assert rep.receipt_path is not None
    apply_receipt(pair.lu(), rep.receipt_path)
    assert unacknowledged_count(pair.lu(), pair.office_uid) == 1  # the refused edit: not acknowledged as held


def test_receipt_acknowledges_on_the_receiving_backend(pair: Receiver, tmp_path: Path) -> None:
    """The office sends (before its move to PostgreSQL), the laptop imports, the office applies the receipt."""
    party = add_party(pair.ou(), "办公室的记录", seq="621")
    sent = write_bundle(pair.ou(), plan_export(pair.ou(), pair.laptop_uid), tmp_path / "usb")
    pair.to_backend()
    assert unacknowledged_count(pair.ou(), pair.laptop_uid) > 0
    rep = apply_bundle(pair.lu(), sent.path, receipt_dir=tmp_path / "back")
    assert rep.receipt_path is not None
    ack = apply_receipt(pair.ou(), rep.receipt_path)
    assert ack.acknowledged >= 1
    assert unacknowledged_count(pair.ou(), pair.laptop_uid) == 0
    assert record_sync_state(pair.ou(), "party", party).startswith("已确认（外勤机")
    again = apply_receipt(pair.ou(), rep.receipt_path)
    assert again.already_applied_at is not None


@pytest.mark.parametrize("change", [_flip, _bad_sig, _duplicate])
def test_hostile_bundle_is_refused_and_nothing_changes(pair: Receiver, tmp_path: Path, change: Any) -> None:
    pair.to_backend()
    add_party(pair.lu(), "测试人")
    src = write_bundle(pair.lu(), plan_export(pair.lu(), None), tmp_path / "out").path
    bad = _rewrite(src, tmp_path / "bad.edsync", change)
    before = snap(pair.office)
    with pytest.raises(BundleRejected):
        apply_bundle(pair.ou(), bad)
    assert snap(pair.office) == before
    good = apply_bundle(pair.ou(), src, receipt_dir=tmp_path / "r")  # and the database still takes a good one
    assert good.total("new") >= 1


@pytest.mark.slow  # builds townships of its own
def test_township_bundles_straight_into_a_postgresql_district(tmp_path: Path, pg_server: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Bundles of two townships imported with ``import_folder`` into a PostgreSQL district give the same figures,
    deadlines and sync bookkeeping as the same bundles imported into a SQLite district."""
    from datetime import date

    from models.enums import DeviceKind
    from services.district.intake import import_folder
    from services.district.stats import district_stats
    from services.district.transfer import copy_database
    from services.reference.setup import initialise
    from services.sync import trust_key_card
    from services.sync.trust import write_key_card
    from tests.services.district_helpers import TODAY, YEAR, copy_file_db, district_clock
    from tools.demo.bulk import generate_township

    monkeypatch.setenv("ENFORCEDESK_HOME", str(tmp_path / "home"))
    clock = district_clock()
    with ExitStack() as stack:
        lite = Database.open(tmp_path / "district.sqlite3")
        stack.callback(lite.dispose)
        key = initialise(lite, UnitOfWork(lite, actor="district", clock=clock), township="五通桥区",
                         squad="五通桥区综合行政执法局", district="乐山市五通桥区", device_kind=DeviceKind.DISTRICT,
                         admin_password="district-1", catalogue_effective_from=date(2016, 1, 1)).data_key
        card = tmp_path / "district.card"
        write_key_card(UnitOfWork(lite, actor="district", clock=clock, data_key=key), card)
        for k, name in enumerate(("竹根镇", "牛华镇")):
            town = Database.open(tmp_path / f"town{k}.sqlite3")
            try:
                town_key = initialise(town, UnitOfWork(town, actor="town", clock=clock), township=name,
                                      squad=f"{name}综合行政执法中队", district="乐山市五通桥区",
                                      admin_password="town-1234", catalogue_effective_from=date(2016, 1, 1)).data_key
                tu = lambda town=town, tk=town_key: UnitOfWork(town, actor="town", clock=clock, data_key=tk)  # noqa: E731
                generate_township(town, seed=300 + k, today=TODAY, scale=0.01, data_key=town_key)
                peer = trust_key_card(tu(), card)
                write_bundle(tu(), plan_export(tu(), peer.uid, full=True), tmp_path / "bundles")
            finally:
                town.dispose()

        url = stack.enter_context(pg_database(pg_server, f"ed_syncpg_district_{os.getpid()}_{next(_pg_counter)}"))
        pg = Database.open(url)
        stack.callback(pg.dispose)
        copy_database(lite, pg)  # the empty district moved to PostgreSQL before any bundle arrived
        keys = tmp_path / "home" / "keys"
        keys.mkdir(parents=True, exist_ok=True)  # opening the PostgreSQL district may have made it
        shutil.copy2(key_file_path(lite.path), keys / f"{pg.device_uid}.keys")  # type: ignore[arg-type]
        sqlite_db = Database.open(copy_file_db(lite.path, tmp_path / "district-b.sqlite3"))  # type: ignore[arg-type]
        stack.callback(sqlite_db.dispose)

        results = {}
        for label, target in (("sqlite", sqlite_db), ("postgresql", pg)):
            du = lambda target=target: UnitOfWork(target, actor="clerk", clock=clock, data_key=key)  # noqa: E731
            rep = import_folder(du, tmp_path / "bundles", trust_new=True, receipt_dir=tmp_path / f"receipts-{label}")
            assert not rep.refused and len(rep.outcomes) == 2 and rep.ok, (label, rep.refused)
            stats = district_stats(du(), YEAR)
            results[label] = (
                [(o.township, o.new, o.updated, o.problems) for o in rep.outcomes],
                [(t.township.name, dict(t.figures), dict(t.previous)) for t in stats.townships],
                dict(stats.total),
                {t: count(target, t) for t in ("penalty_case", "mediation_case", "inspection", "deadline",
                                               "sync_state", "imported_bundle")},
            )
        assert results["postgresql"] == results["sqlite"]
        outcomes, _per_town, total, counts = results["postgresql"]
        assert all(new > 1000 for _t, new, _u, _p in outcomes) and counts["deadline"] > 0
        assert any(total.values())


def test_the_receiving_side_sends_bundles_back_from_either_database(pair: Receiver, tmp_path: Path) -> None:
    """An office or district on PostgreSQL writes records bundles and reference bundles, not only reads them."""
    from services.sync.reference import write_reference_bundle

    pair.to_backend()
    from_laptop = add_party(pair.lu(), "外勤录入")
    apply_bundle(pair.ou(), _send(pair, tmp_path / "up"), receipt_dir=tmp_path / "r0")
    party = add_party(pair.ou(), "办公室录入", seq="556")
    category = _category(pair.ou(), "Z9", "测试纠纷类别")
    plan = plan_export(pair.ou(), pair.laptop_uid)
    # What the laptop sent is not sent back to it: only the office's own new rows (and reference rows) go.
    assert plan.counts.get("party") == 1
    bundle = write_bundle(pair.ou(), plan, tmp_path / "to-laptop").path
    report = apply_bundle(pair.lu(), bundle, receipt_dir=tmp_path / "back")
    assert report.total("quarantined") == 0 and report.total("conflicts") == 0
    assert row(pair.laptop, "party", party, "name") == ("办公室录入",)
    assert row(pair.laptop, "party", from_laptop, "name") == ("外勤录入",)
    assert report.receipt_path is not None
    assert apply_receipt(pair.ou(), report.receipt_path).acknowledged >= 1
    assert unacknowledged_count(pair.ou(), pair.laptop_uid) == 0
    assert plan_export(pair.ou(), pair.laptop_uid).total == 0  # nothing left to send after the receipt

    pair.clock.current += timedelta(minutes=5)
    edit(pair.office, pair.clock, "party", party, name="办公室改名")
    again = plan_export(pair.ou(), pair.laptop_uid)
    assert again.counts == {"party": 1}  # an edit is pending again (the text form of updated_at compares)
    applied = apply_bundle(pair.lu(), write_bundle(pair.ou(), again, tmp_path / "edit").path)
    assert applied.total("conflicts") == 0 and row(pair.laptop, "party", party, "name") == ("办公室改名",)

    reference = write_reference_bundle(pair.ou(), pair.laptop_uid, tmp_path / "ref")
    assert apply_bundle(pair.lu(), reference.path).total("quarantined") == 0
    assert row(pair.laptop, "dispute_category", category, "name") == ("测试纠纷类别",)


def test_what_a_laptop_may_not_write_is_refused_on_either_database(pair: Receiver, tmp_path: Path) -> None:
    """The office-from-laptop checks of services/sync/ownership.py on the office's backend (the hostile corpus:
    tests/services/test_sync_laptop_ownership.py): reference data and a device nobody knows quarantined, the
    laptop's own record applied; a reference bundle from the laptop refused with nothing changed."""
    from models.base import new_uid
    from services.sync import BundleRejected
    from tests.services.sync_helpers import bundle_rows, craft_bundle, signer_for

    assert pair.office.path is not None and pair.laptop.path is not None
    laptop = signer_for(pair.laptop.path)
    category = bundle_rows(pair.office.path, "dispute_category", "ORDER BY t.id LIMIT 1")[0]
    party = bundle_rows(pair.office.path, "party", "ORDER BY t.id LIMIT 1")[0]
    later = "2026-03-02 03:00:00.000000"
    changed = {**category, "name": "外勤机改的", "version": category["version"] + 1, "updated_at": later}
    ghost = {**party, "uid": new_uid(), "origin_device": new_uid(), "version": 1, "updated_at": later}
    own = {**party, "uid": new_uid(), "origin_device": laptop.uid, "name": "外勤机自己的", "id_number": "",
           "version": 1, "updated_at": later}
    to_office = {"device_uid": pair.office_uid, "device_code": ""}
    pair.to_backend()
    report = apply_bundle(pair.ou(), craft_bundle(laptop, tmp_path / "h.edsync", {
        "dispute_category": [changed], "party": [ghost, own]}, recipient=to_office, sequence=1),
        receipt_dir=tmp_path / "r")
    reasons = {uid: why for _t, uid, why in report.quarantined}
    assert set(reasons) == {category["uid"], ghost["uid"]}
    assert "参考数据" in reasons[category["uid"]] and "本机不认识这台设备" in reasons[ghost["uid"]]
    assert row(pair.office, "party", own["uid"], "name") == ("外勤机自己的",)
    assert row(pair.office, "dispute_category", category["uid"], "name") == (category["name"],)
    before = snap(pair.office)
    reference = craft_bundle(laptop, tmp_path / "ref.edsync", {"dispute_category": [changed]}, kind="reference",
                             recipient=to_office, sequence=1)
    with pytest.raises(BundleRejected, match="参考数据只能由"):
        apply_bundle(pair.ou(), reference)
    assert snap(pair.office) == before
