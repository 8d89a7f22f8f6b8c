"""A township's key speaks for that township only — the hostile corpus as the district meets it.

Every bundle here is correctly signed with the key of a township office the district legitimately trusts (竹根镇,
imported with its full bundle when the district was built: tests/services/district_helpers.py), and says
something that township may not say: records of another township (牛华镇) created, edited, moved, soft-deleted or
written under; another township's township, squad or device rows; an origin device that is not its own; reference
data pushed upward; a manifest in another township's name; a reference bundle sent to the district. For each, on
SQLite and PostgreSQL: the exit code of ``import``, the Chinese reason naming the owner, every other township's
records unchanged by uid and content, the database otherwise unchanged where the file is refused, and the
district's ``stats``, ``list``, ``district grid`` and ``supervise`` still running.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from main import EXIT_PROBLEMS, EXIT_REJECTED
from models.base import new_uid
from services.sync.tables import synced_specs
from tests.cli_unlock import main_unlocked
from tests.services.district_helpers import YEAR, District
from tests.services.sync_helpers import Signer, bundle_rows, craft_bundle, signer_for, snap

pytestmark = pytest.mark.slow

SENDER, VICTIM = "竹根镇", "牛华镇"
LATER = "2026-11-21 01:00:00.000000"  # after everything the demo townships wrote


@dataclass
class Scene:
    d: District
    signer: Signer  # 竹根镇's office, trusted by the district
    source: Path  # the SQLite district the test district was copied from (rows in bundle form)

    def rows(self, table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        return bundle_rows(self.source, table, where, params)

    def one(self, table: str, town: str, extra: str = "", nth: int = 0) -> dict[str, Any]:
        """A row of ``table`` belonging to ``town`` (through township_id, or its origin device's township)."""
        spec = next(s for s in synced_specs() if s.name == table)
        if "township_id" in spec.names:
            where = "WHERE t.township_id = (SELECT id FROM township WHERE name=?)"
        else:
            where = ("WHERE t.origin_device IN (SELECT d.uid FROM device d JOIN township w ON w.id = d.township_id "
                     "WHERE w.name=?)")
        got = self.rows(table, f"{where} {extra} ORDER BY t.id LIMIT 1 OFFSET {int(nth)}", (town,))
        assert got, (table, town)
        return got[0]

    def town_uid(self, name: str) -> str:
        return str(self.rows("township", "WHERE t.name=?", (name,))[0]["uid"])

    def office_of(self, name: str) -> str:
        return str(self.rows("device", "WHERE t.township_id = (SELECT id FROM township WHERE name=?) "
                                       "AND t.kind='office'", (name,))[0]["uid"])

    def new(self, table: str, **changes: Any) -> dict[str, Any]:
        """A new record of the sender's own (a copy of one of its rows, new uid, its office as origin)."""
        rec = dict(self.one(table, SENDER))
        rec.update(uid=new_uid(), version=1, created_at=LATER, updated_at=LATER, origin_device=self.signer.uid)
        rec.update(changes)
        return rec

    def bumped(self, rec: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """``rec`` edited: a higher version, a later time, then ``changes``."""
        out = dict(rec)
        out.update(version=int(rec["version"]) + 1, updated_at=LATER)
        out.update(changes)
        return out


def _scene(d: District) -> Scene:
    return Scene(d, signer_for(d.template.townships[SENDER]), d.template.district)


@pytest.fixture
def scene(district: District) -> Scene:
    """The district on SQLite: one test per variant."""
    return _scene(district)


@pytest.fixture
def both(any_district: District) -> Scene:
    """The district on SQLite and again on PostgreSQL (the import path differs: services/sync/dialect.py)."""
    return _scene(any_district)


def records(db: Any) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Every synced record by table and uid, with its whole content (local ids left out)."""
    out: dict[str, dict[str, tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for spec in synced_specs():
            names = ", ".join(f'"{c}"' for c in spec.names)
            rows = conn.exec_driver_sql(f'SELECT {names} FROM "{spec.name}"').fetchall()  # noqa: S608 - a model table
            out[spec.name] = {r[spec.uid_i]: tuple(r) for r in rows}
    return out


def without(state: dict[str, dict[str, tuple[Any, ...]]], uids: set[str]) -> dict[str, dict[str, tuple[Any, ...]]]:
    return {t: {u: v for u, v in rows.items() if u not in uids} for t, rows in state.items()}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main_unlocked(args, "district-1")  # the district template's administrator unlocks what needs it
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def commands_still_run(d: District, capsys: pytest.CaptureFixture[str]) -> None:
    """What the district runs every day reads the database as the import left it, without crashing."""
    code, out, _err = run(["stats", "--db", d.target, "--year", str(YEAR), "--by-township", "--json"], capsys)
    assert code == 0 and SENDER in out and VICTIM in out
    code, out, _err = run(["district", "grid", "--db", d.target, "--year", str(YEAR)], capsys)
    assert code in (0, EXIT_PROBLEMS) and VICTIM in out
    code, out, _err = run(["supervise", "--db", d.target], capsys)
    assert code in (0, EXIT_PROBLEMS) and "共" in out
    if d.dialect == "sqlite":  # `list` opens database files only
        code, out, _err = run(["list", "--db", d.target, "cases", "--limit", "5"], capsys)
        assert code == 0 and out.count("\n") == 5


# -- quarantined: the rest of the bundle applies ---------------------------------------------------------------

Build = Callable[[Scene], dict[str, list[dict[str, Any]]]]


def _new_case_in_victims_name(s: Scene) -> dict[str, list[dict[str, Any]]]:
    return {"penalty_case": [s.new("penalty_case", township_id=s.town_uid(VICTIM),
                                   number="牛综执立〔2026〕第7777号")]}


def _victims_fine_raised(s: Scene) -> dict[str, list[dict[str, Any]]]:
    case = s.one("penalty_case", VICTIM, "AND t.fine_amount IS NOT NULL")
    return {"penalty_case": [s.bumped(case, fine_amount=int(case["fine_amount"]) + 500_000)]}


def _victims_case_moved_to_sender(s: Scene) -> dict[str, list[dict[str, Any]]]:
    case = s.one("penalty_case", VICTIM, "AND t.fine_amount IS NULL")
    # Pointing at nothing of the victim's but its own uid: only the uid gives it away.
    return {"penalty_case": [s.bumped(case, version=int(case["version"]) + 1000, township_id=s.town_uid(SENDER),
                                      origin_device=s.signer.uid, source_inspection_id=None,
                                      party_id=s.one("party", SENDER)["uid"])]}


def _victims_case_tombstoned(s: Scene) -> dict[str, list[dict[str, Any]]]:
    case = s.one("penalty_case", VICTIM, "AND t.fine_amount IS NULL", nth=1)
    return {"penalty_case": [s.bumped(case, deleted_at=LATER, township_id=s.town_uid(SENDER),
                                      origin_device=s.signer.uid)]}


def _victims_uid_at_a_lower_version(s: Scene) -> dict[str, list[dict[str, Any]]]:
    party = s.one("party", VICTIM)
    return {"party": [dict(s.new("party"), uid=party["uid"], version=1)]}


def _victims_township_renamed(s: Scene) -> dict[str, list[dict[str, Any]]]:
    town = s.rows("township", "WHERE t.name=?", (VICTIM,))[0]
    return {"township": [s.bumped(town, name="被改名镇", origin_device=s.signer.uid)]}


def _victims_squad_taken(s: Scene) -> dict[str, list[dict[str, Any]]]:
    squad = s.one("squad", VICTIM)
    return {"squad": [s.bumped(squad, township_id=s.town_uid(SENDER), origin_device=s.signer.uid)]}


def _victims_office_claimed(s: Scene) -> dict[str, list[dict[str, Any]]]:
    office = s.rows("device", "WHERE t.uid=?", (s.office_of(VICTIM),))[0]
    return {"device": [s.bumped(office, township_id=s.town_uid(SENDER), name="冒领的设备")]}


def _origin_is_victims_office(s: Scene) -> dict[str, list[dict[str, Any]]]:
    return {"party": [s.new("party", origin_device=s.office_of(VICTIM))]}


def _origin_unknown(s: Scene) -> dict[str, list[dict[str, Any]]]:
    return {"party": [s.new("party", origin_device=new_uid())]}


def _event_under_victims_case(s: Scene) -> dict[str, list[dict[str, Any]]]:
    case = s.one("penalty_case", VICTIM)
    return {"case_event": [s.new("case_event", case_id=case["uid"])]}


def _victims_officer_on_senders_case(s: Scene) -> dict[str, list[dict[str, Any]]]:
    officer = s.one("officer", VICTIM)
    return {"case_officer": [s.new("case_officer", officer_id=officer["uid"])]}


def _power_item_changed(s: Scene) -> dict[str, list[dict[str, Any]]]:
    item = s.rows("power_item", "ORDER BY t.id LIMIT 1")[0]
    return {"power_item": [s.bumped(item, fine_max=99_999_900, origin_device=s.signer.uid)]}


def _power_item_added(s: Scene) -> dict[str, list[dict[str, Any]]]:
    item = s.rows("power_item", "ORDER BY t.id LIMIT 1")[0]
    return {"power_item": [dict(item, uid=new_uid(), code="ZZ-999", origin_device=s.signer.uid)]}


QUARANTINED: list[tuple[str, Build, str, str]] = [
    ("a case added in another township's name", _new_case_in_victims_name, "penalty_case", f"属于“{VICTIM}”"),
    ("another township's fine changed", _victims_fine_raised, "penalty_case", f"“{VICTIM}”"),
    ("another township's case moved to the sender (version +1000)", _victims_case_moved_to_sender, "penalty_case",
     f"已是本库中的处罚案件记录，属于“{VICTIM}”"),
    ("another township's case soft-deleted", _victims_case_tombstoned, "penalty_case", f"属于“{VICTIM}”"),
    ("another township's uid at a lower version", _victims_uid_at_a_lower_version, "party",
     "版本号不决定归属"),
    ("another township's township row renamed", _victims_township_renamed, "township", f"是“{VICTIM}”的"),
    ("another township's squad taken over", _victims_squad_taken, "squad", f"属于“{VICTIM}”"),
    ("another township's office device taken over", _victims_office_claimed, "device", f"“{VICTIM}”设备"),
    ("origin: another township's device", _origin_is_victims_office, "party", f"属于“{VICTIM}”"),
    ("origin: a device nobody knows", _origin_unknown, "party", "本机不认识这台设备"),
    ("an event written under another township's case", _event_under_victims_case, "case_event",
     "引用的处罚案件记录"),
    ("another township's officer on the sender's case", _victims_officer_on_senders_case, "case_officer",
     "引用的执法人员记录"),
    ("reference data changed by a township", _power_item_changed, "power_item", "参考数据"),
    ("reference data added by a township", _power_item_added, "power_item", "参考数据"),
]


@pytest.mark.parametrize("label, build, table, words", QUARANTINED, ids=[q[0] for q in QUARANTINED])
def test_what_the_sender_does_not_own_is_quarantined_and_the_rest_applies(
        scene: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        label: str, build: Build, table: str, words: str) -> None:
    d = scene.d
    hostile = build(scene)
    own = scene.new("party", name="照常导入的当事人")
    tables = {**hostile, "party": [*hostile.get("party", []), own]}
    bundle = craft_bundle(scene.signer, tmp_path / "hostile.edsync", tables)
    before = records(d.db)

    code, out, _err = run(["import", "--db", d.target, str(bundle), "--receipt-dir", str(tmp_path / "r")], capsys)

    assert code == EXIT_PROBLEMS, label
    shown = [line for line in out.splitlines() if line.startswith(f"隔离：{table} ")]
    assert len(shown) == 1 and words in shown[0], out
    after = records(d.db)
    assert after["party"][own["uid"]]  # the sender's own record applied
    assert without(after, {own["uid"]}) == without(before, {own["uid"]})  # nothing else changed, anyone's
    with d.db.engine.connect() as conn:
        held = conn.execute(text("SELECT reason FROM sync_quarantine")).scalars().all()
    assert len(held) == 1 and words in held[0]
    # The receipt names the applied record and never the quarantined one.
    receipt = next((tmp_path / "r").glob("*.edsync"))
    assert receipt.exists()
    commands_still_run(d, capsys)


def test_every_variant_in_one_bundle_on_either_database(both: Scene, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """All the variants above in one bundle, on SQLite and PostgreSQL: each record refused with its own reason,
    the sender's own record applied, nothing else changed."""
    d = both.d
    tables: dict[str, list[dict[str, Any]]] = {}
    expected: dict[str, str] = {}
    for _label, build, _table, words in QUARANTINED:
        for t, recs in build(both).items():
            tables.setdefault(t, []).extend(recs)
            expected.update((str(r["uid"]), words) for r in recs)
    own = both.new("party", name="照常导入的当事人")
    tables["party"].append(own)
    bundle = craft_bundle(both.signer, tmp_path / "all.edsync", tables)
    before = records(d.db)
    code, out, _err = run(["import", "--db", d.target, str(bundle), "--receipt-dir", str(tmp_path / "r")], capsys)
    assert code == EXIT_PROBLEMS
    shown = {line.split(" ", 2)[1].split("：")[0]: line for line in out.splitlines() if line.startswith("隔离：")}
    assert set(shown) == set(expected)
    for uid, words in expected.items():
        assert words in shown[uid], (uid, shown[uid])
    after = records(d.db)
    assert own["uid"] in after["party"]
    assert without(after, {own["uid"]}) == without(before, {own["uid"]})
    commands_still_run(d, capsys)


def test_an_attachment_on_another_townships_record_is_quarantined(scene: Scene, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    case = scene.one("penalty_case", VICTIM)
    photo = b"\xff\xd8\xff\xe0 not really a photo"
    sha = hashlib.sha256(photo).hexdigest()
    att = {"uid": new_uid(), "origin_device": scene.signer.uid, "version": 1, "created_at": LATER,
           "updated_at": LATER, "deleted_at": None, "record_table": "penalty_case", "record_uid": case["uid"],
           "blob_sha256": sha, "filename": "现场.jpg", "caption": "", "taken_at": None, "taken_by": ""}
    bundle = craft_bundle(scene.signer, tmp_path / "att.edsync", {"attachment": [att]}, blobs={"p": photo})
    before = records(scene.d.db)
    code, out, _err = run(["import", "--db", scene.d.target, str(bundle), "--receipt-dir", str(tmp_path)], capsys)
    assert code == EXIT_PROBLEMS
    assert f"隔离：attachment {att['uid']}：附件所属的处罚案件记录 {case['uid']} 属于“{VICTIM}”" in out
    assert records(scene.d.db) == before


# -- refused whole: nothing changes --------------------------------------------------------------------------


def test_a_manifest_in_another_townships_name_is_refused(both: Scene, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    victim = {"uid": both.town_uid(VICTIM), "name": VICTIM}
    bundle = craft_bundle(both.signer, tmp_path / "claim.edsync", {"party": [both.new("party")]},
                          edit_manifest=lambda m: m.__setitem__("township", victim))
    before = snap(both.d.db)
    code, _out, err = run(["import", "--db", both.d.target, str(bundle)], capsys)
    assert code == EXIT_REJECTED
    assert f"声称来自“{VICTIM}”" in err and f"作为“{SENDER}”的设备被信任" in err
    assert snap(both.d.db) == before
    commands_still_run(both.d, capsys)


def test_a_township_cannot_send_reference_data_to_the_district(both: Scene, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """The forged holiday calendar and [L] settings of the issue: refused, nothing changes, no deadline moves."""
    item = both.rows("power_item", "ORDER BY t.id LIMIT 1")[0]
    days = [{"day": f"{YEAR}-{m:02d}-01", "kind": "holiday", "name": "伪造假日", "source": "district"}
            for m in range(1, 13)]
    bundle = craft_bundle(both.signer, tmp_path / "ref.edsync",
                          {"power_item": [both.bumped(item, fine_max=1)]}, kind="reference", sequence=1,
                          reference={"calendar_day": days, "calendar_year": [{"year": YEAR, "source": "district"}],
                                     "app_setting": [{"key": "statement.days", "value": "99"}]})
    before = snap(both.d.db)
    code, _out, err = run(["import", "--db", both.d.target, str(bundle)], capsys)
    assert code == EXIT_REJECTED
    assert "参考数据只能由" in err and "不是" in err and "本机数据未作任何改动" in err
    assert snap(both.d.db) == before
    commands_still_run(both.d, capsys)


def test_district_import_of_a_folder_imports_every_good_file_around_hostile_ones(
        both: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "usb"
    good = both.new("party", name="好文件里的当事人")
    craft_bundle(both.signer, folder / "a-good.edsync", {"party": [good]}, sequence=2)
    victim = {"uid": both.town_uid(VICTIM), "name": VICTIM}
    craft_bundle(both.signer, folder / "b-claims.edsync", {"party": [both.new("party")]}, sequence=3,
                 edit_manifest=lambda m: m.__setitem__("township", victim))
    craft_bundle(both.signer, folder / "c-writes.edsync", _victims_fine_raised(both), sequence=4)
    later = both.new("party", name="后面好文件里的当事人")
    craft_bundle(both.signer, folder / "d-good.edsync", {"party": [later]}, sequence=5)
    before = records(both.d.db)
    code, out, err = run(["district", "import", "--db", both.d.target, str(folder),
                          "--receipt-dir", str(tmp_path / "r")], capsys)
    assert code == EXIT_PROBLEMS
    assert "拒绝 b-claims.edsync" in err and f"声称来自“{VICTIM}”" in err
    assert "c-writes.edsync" in out and "问题1" in out
    after = records(both.d.db)
    assert good["uid"] in after["party"] and later["uid"] in after["party"]
    assert without(after, {good["uid"], later["uid"]}) == without(before, {good["uid"], later["uid"]})
    commands_still_run(both.d, capsys)


# -- laptops of the sender's township: their records reach the district through the office -----------------------


def test_a_laptops_device_row_and_records_pass_but_another_townships_laptop_does_not(
        both: Scene, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The office bundle carries its field laptop's own device row (the laptop is its origin) and the laptop's
    records: accepted. A laptop row put in another township, and records claiming that laptop, are not."""
    laptop = {"uid": new_uid(), "origin_device": "", "version": 1, "created_at": LATER, "updated_at": LATER,
              "deleted_at": None, "township_id": both.town_uid(SENDER), "code": "LPT2", "name": "竹根镇外勤机",
              "kind": "field", "public_key": ""}
    laptop["origin_device"] = laptop["uid"]
    theirs = dict(laptop, uid=new_uid(), code="LPT3", township_id=both.town_uid(VICTIM), name="冒充的外勤机")
    theirs["origin_device"] = theirs["uid"]
    from_laptop = both.new("party", name="外勤机录入", origin_device=laptop["uid"])
    claimed = both.new("party", name="冒充外勤机录入", origin_device=theirs["uid"])
    bundle = craft_bundle(both.signer, tmp_path / "laptops.edsync",
                          {"device": [laptop, theirs], "party": [from_laptop, claimed]})
    code, out, _err = run(["import", "--db", both.d.target, str(bundle), "--receipt-dir", str(tmp_path)], capsys)
    assert code == EXIT_PROBLEMS
    after = records(both.d.db)
    assert laptop["uid"] in after["device"] and from_laptop["uid"] in after["party"]
    assert theirs["uid"] not in after["device"] and claimed["uid"] not in after["party"]
    assert f"隔离：device {theirs['uid']}：这条设备记录属于“{VICTIM}”" in out
    assert f"隔离：party {claimed['uid']}：记录注明的来源设备 {theirs['uid']}" in out


def test_quarantined_records_are_never_acknowledged(scene: Scene, tmp_path: Path) -> None:
    """The receipt the district writes names the sender's own record and not the one it may not write."""
    from services.sync import apply_bundle
    from services.sync.reader import open_bundle

    own = scene.new("party", name="本乡镇的")
    foreign = _victims_fine_raised(scene)["penalty_case"][0]
    bundle = craft_bundle(scene.signer, tmp_path / "mixed.edsync", {"party": [own], "penalty_case": [foreign]})
    report = apply_bundle(scene.d.uow(), bundle, receipt_dir=tmp_path / "r")
    assert report.total("quarantined") == 1 and report.receipt_path is not None
    # Read the receipt as the township would: it is encrypted to the township and signed by the district.
    from services.core.db import Database
    from services.core.uow import UnitOfWork
    from tests.services.district_helpers import copy_file_db

    town = Database.open(copy_file_db(scene.d.template.townships[SENDER], tmp_path / "town.sqlite3"))
    try:
        with UnitOfWork(town, actor="t", data_key=scene.d.template.town_keys[SENDER]) as u:
            v = open_bundle(u.session, town, report.receipt_path, expect=("receipt",))
            try:
                named = {json.loads(line)[1] for line in v.lines("receipt/applied.jsonl")}
                summary = json.loads(b"".join(v.content("receipt/receipt.json")))
            finally:
                v.close()
    finally:
        town.dispose()
    assert own["uid"] in named and foreign["uid"] not in named
    assert [q[1] for q in summary["quarantined"]] == [foreign["uid"]]
