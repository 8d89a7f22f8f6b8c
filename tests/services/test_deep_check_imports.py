"""``verify --deep`` on records last written by a bundle import (issue 15): the import stores each written row's
digest (services/sync/digests.py), so such a record is compared, not counted as "not covered"; a record changed
behind the program's back afterwards — with sqlite3 on SQLite, with psycopg on PostgreSQL — is named, also when
the edit rewrites ``updated_at`` as well. Records an older version imported (no digests) stay "not covered"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.core.db import Database
from services.maintenance.deep import deep_check
from services.maintenance.verify import verify_database
from services.sync import apply_bundle, plan_export, write_bundle
from tests.services import test_sync_pg
from tests.services.sync_helpers import add_party, edit, make_pair
from tests.services.test_sync_pg import Receiver

pair = test_sync_pg.pair  # the fixture: the receiving office on SQLite, then on PostgreSQL


def _send(p: Receiver, out: Path) -> None:
    bundle = write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), out).path
    report = apply_bundle(p.ou(), bundle, receipt_dir=out / "back")
    assert report.total("quarantined") == 0 and report.total("conflicts") == 0


def _behind_the_back(db: Database, sql: str, params: tuple[Any, ...]) -> None:
    """An UPDATE written straight into the database file or server, as a database tool would."""
    if db.engine.dialect.name == "postgresql":
        import psycopg

        with psycopg.connect(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)) as c:
            c.execute(sql.replace("?", "%s"), params)
            c.commit()
        return
    import sqlite3

    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _content_problems(db: Database) -> list[str]:
    report = verify_database(db, deep=True)
    return [p.message for p in report.problems if p.check == "content"]


@pytest.mark.parametrize("also_updated_at", [False, True], ids=["content", "content+updated_at"])
def test_an_imported_record_is_compared_and_an_edit_behind_the_back_is_named(
        pair: Receiver, tmp_path: Path, also_updated_at: bool) -> None:
    pair.to_backend()
    added = add_party(pair.lu(), "导入后被改的当事人")
    kept = add_party(pair.lu(), "导入后未改的当事人", seq="556")
    _send(pair, tmp_path / "a")  # new at the office: the insert path
    edit(pair.laptop, pair.clock, "party", added, address="外勤机改的地址")
    _send(pair, tmp_path / "b")  # updated at the office: the update path

    before = deep_check(pair.office)
    assert before.mismatches == ()
    assert before.uncovered == 0  # the office's own records have events, the imported ones digests
    assert _content_problems(pair.office) == []

    if also_updated_at:  # as the program would stamp it: the time no longer tells the edit apart
        _behind_the_back(pair.office, "UPDATE party SET address = ?, updated_at = ? WHERE uid = ?",
                         ("手改的地址", "2026-12-01 08:00:00.000000", added))
    else:
        _behind_the_back(pair.office, "UPDATE party SET address = ? WHERE uid = ?", ("手改的地址", added))

    problems = _content_problems(pair.office)
    assert len(problems) == 1, problems
    assert f"party {added}" in problems[0] and "导入之后被改动或损坏" in problems[0]
    assert kept not in problems[0]


def test_a_later_edit_through_the_program_is_compared_with_its_own_event(pair: Receiver, tmp_path: Path) -> None:
    """After the import, the office edits the record itself: its event is newer than the import's digest and is
    the one compared (no false alarm); a hand edit after that is named against that event."""
    pair.to_backend()
    uid = add_party(pair.lu(), "先导入后本地改")
    _send(pair, tmp_path / "a")
    edit(pair.office, pair.clock, "party", uid, data_key=pair.key, phone="13900000002")  # PostgreSQL: no file
    assert _content_problems(pair.office) == []
    _behind_the_back(pair.office, "UPDATE party SET phone = ? WHERE uid = ?", ("13900000003", uid))
    problems = _content_problems(pair.office)
    assert len(problems) == 1 and f"party {uid}" in problems[0] and "审计记录之后" in problems[0]


def test_records_an_older_version_imported_are_not_covered_not_a_false_alarm(
        db: Database, clock: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import by a version that stored no digests (its table event without ``+digests``) may have replaced a
    record after the record's own event: the record is counted as not covered, not reported."""
    p = make_pair(db, clock, tmp_path)
    try:
        uid = add_party(p.ou(), "办公室建的当事人")
        bundle = write_bundle(p.ou(), plan_export(p.ou(), p.laptop_uid), tmp_path / "down").path
        apply_bundle(p.lu(), bundle, receipt_dir=tmp_path / "down-back")
        edit(p.laptop, clock, "party", uid, address="外勤机改的地址")
        up = write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), tmp_path / "up").path
        monkeypatch.setattr("services.sync.importer.DIGESTED", "")
        monkeypatch.setattr("services.sync.merge.store_digests", lambda *_a, **_k: None)
        apply_bundle(p.ou(), up, receipt_dir=tmp_path / "up-back")  # as an older version imported it
        result = deep_check(p.office)
        assert result.mismatches == ()  # the party (and the laptop's own device row) differ from their events
        assert result.uncovered >= 1
    finally:
        p.dispose()


def test_an_edit_that_also_rewrites_the_stored_digest_is_found_by_the_import_event(
        db: Database, clock: Any, tmp_path: Path) -> None:
    """The import's audit event for a table hashes the digests it stored (services/sync/digests.py
    ``rows_anchor``): recomputing the edited row's digest and writing it into ``import_digest`` as well does not
    hide the edit — only re-hashing the whole audit chain would."""
    import sqlite3

    from services.sync.digests import DIGEST_BYTES, pack_digests
    from services.sync.tables import spec_for

    p = make_pair(db, clock, tmp_path)
    try:
        uid = add_party(p.lu(), "连摘要一起改的当事人")
        bundle = write_bundle(p.lu(), plan_export(p.lu(), p.office_uid), tmp_path / "up").path
        apply_bundle(p.ou(), bundle, receipt_dir=tmp_path / "up-back")
        spec = spec_for("party")
        assert db.path is not None
        conn = sqlite3.connect(db.path)
        try:
            names = ", ".join(f'"{n}"' for n in spec.names)
            conn.execute("UPDATE party SET address = '手改的地址' WHERE uid = ?", (uid,))
            rid, *values = conn.execute(f"SELECT id, {names} FROM party WHERE uid = ?", (uid,)).fetchone()  # noqa: S608 - the model's columns
            did, first, digests = conn.execute("SELECT id, first_id, digests FROM import_digest WHERE tbl = 'party'"
                                               ).fetchone()
            at = (rid - first) * DIGEST_BYTES
            forged = digests[:at] + pack_digests(spec, [[v] for v in values]) + digests[at + DIGEST_BYTES:]
            conn.execute("UPDATE import_digest SET digests = ? WHERE id = ?", (forged, did))
            conn.commit()
        finally:
            conn.close()
        problems = _content_problems(p.office)
        assert len(problems) == 1, problems
        assert "导入记录的行摘要与审计记录不符：party" in problems[0]
    finally:
        p.dispose()
