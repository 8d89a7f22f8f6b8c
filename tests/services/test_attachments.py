"""Evidence held on a form for a record that has no uid yet: staged, then attached in the record's own save."""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from models.base import SHANGHAI
from models.enums import InspectionResult, MediationPartyRole
from models.records import Attachment
from services.core.errors import ValidationError
from services.procedures import attachments as att
from services.procedures import inspections as ins
from services.procedures import mediation as m
from tests.services.conftest import World

JPEG = b"\xff\xd8\xff\xe0" + b"fake jpeg body " * 64


def _photo(folder: Path, name: str, salt: str) -> Path:
    p = folder / name
    p.write_bytes(JPEG + salt.encode())
    return p


def _inspection(w: World, **kw: object) -> ins.InspectionInput:
    values: dict[str, object] = dict(
        started_at=datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), ended_at=datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
        place="竹根街12号", officer_uids=w.officers[:2], result=InspectionResult.PASSED, party_uid=w.org,
    )
    values.update(kw)
    return ins.InspectionInput(**values)  # type: ignore[arg-type]


def _blob_files(store: Path) -> list[Path]:
    return sorted(p for p in store.rglob("*") if p.is_file() and not p.name.startswith(".incoming-"))


def _incoming(store: Path) -> list[Path]:
    return sorted(store.glob(".incoming-*"))


def test_staged_photos_are_attached_in_the_inspection_save(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    files = [att.stage_file(store, _photo(tmp_path, "门前堆放.jpg", "1"), caption="门前堆放杂物"),
             att.stage_file(store, _photo(tmp_path, "整改前.jpg", "2"))]
    assert len(_incoming(store)) == 2 and _blob_files(store) == []  # held, not yet evidence
    uow = att.with_attachments(world.uow(), store, record_table="inspection", files=files, taken_by="张三")

    summary = ins.record_inspection(uow, _inspection(world))

    rows = att.list_attachments(world.uow(), store, summary.uid)
    assert [r.filename for r in rows] == ["门前堆放.jpg", "整改前.jpg"]
    assert [r.caption for r in rows] == ["门前堆放杂物", ""]
    assert all(r.present and r.mime == "image/jpeg" for r in rows)
    assert att.read_blob(store, rows[0].sha256, world.key) == JPEG + b"1"
    assert JPEG not in rows[0].path.read_bytes()  # the file itself is sealed (docs/encryption-data.md)
    assert _incoming(store) == []  # moved into place, not copied twice
    with world.uow() as u:
        stored = u.session.scalars(select(Attachment).where(Attachment.record_uid == summary.uid)).all()
        assert {a.record_table for a in stored} == {"inspection"} and {a.taken_by for a in stored} == {"张三"}
    att.discard_staged(files)  # what the form does afterwards: harmless once moved
    assert len(_blob_files(store)) == 2


def test_failed_validation_attaches_nothing_and_keeps_the_files_for_the_retry(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    files = [att.stage_file(store, _photo(tmp_path, "a.jpg", "a")), att.stage_file(store, _photo(tmp_path, "b.jpg", "b"))]
    before = world.snapshot()

    with pytest.raises(ValidationError, match="检查地点"):
        ins.record_inspection(att.with_attachments(world.uow(), store, record_table="inspection", files=files),
                              _inspection(world, place="  "))

    assert world.snapshot() == before
    assert _blob_files(store) == [] and len(_incoming(store)) == 2
    summary = ins.record_inspection(att.with_attachments(world.uow(), store, record_table="inspection", files=files),
                                    _inspection(world))
    assert len(att.list_attachments(world.uow(), store, summary.uid)) == 2


def test_a_failure_while_storing_the_files_leaves_neither_record_nor_file(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    good = att.stage_file(store, _photo(tmp_path, "a.jpg", "a"))
    bad = att.stage_file(store, _photo(tmp_path, "b.jpg", "b"))
    # The second file's folder cannot be created (a file is in the way): a real OSError after the rows are written.
    good_dir = att.stored_blob_path(store, good.sha256, world.key).parent  # keyed names (docs/encryption-data.md)
    bad_dir = att.stored_blob_path(store, bad.sha256, world.key).parent
    if bad_dir == good_dir:
        pytest.skip("both files share a folder")
    bad_dir.write_bytes(b"in the way")
    before = world.snapshot()

    with pytest.raises(OSError):
        ins.record_inspection(att.with_attachments(world.uow(), store, record_table="inspection", files=[good, bad]),
                              _inspection(world))

    assert world.snapshot() == before
    assert not att.stored_blob_path(store, good.sha256, world.key).exists()  # the one already moved was taken back


def test_mediation_registration_with_evidence(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(b"%PDF-1.4 application scan")
    files = [att.stage_file(store, scan)]
    data = m.MediationInput(category_code="02", committee_uid=world.committee, applied_on=datetime(2026, 3, 2).date(),
                            parties=[(world.adult, MediationPartyRole.APPLICANT),
                                     (world.teen16, MediationPartyRole.RESPONDENT)], summary="相邻排水纠纷")
    summary = m.register_mediation(att.with_attachments(world.uow(), store, record_table="mediation_case",
                                                        files=files), data)
    rows = att.list_attachments(world.uow(), store, summary.uid)
    assert [(r.filename, r.mime) for r in rows] == [("申请书.pdf", "application/pdf")]


def test_the_same_content_twice_is_refused_before_anything_is_saved(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    a = _photo(tmp_path, "a.jpg", "same")
    b = _photo(tmp_path, "b.jpg", "same")
    files = [att.stage_file(store, a), att.stage_file(store, b)]
    before = world.snapshot()
    with pytest.raises(ValidationError, match="内容相同"):
        ins.record_inspection(att.with_attachments(world.uow(), store, record_table="inspection", files=files),
                              _inspection(world))
    assert world.snapshot() == before and _blob_files(store) == []


def test_too_big_empty_missing_and_unreadable_files_get_a_chinese_message(tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    big = tmp_path / "执法记录仪.mp4"
    with big.open("wb") as f:
        f.truncate(att.MAX_BYTES + 1)  # sparse: refused from its size, before a byte is read
    with pytest.raises(ValidationError, match=r"“执法记录仪.mp4”有 200 MB，超过 200 MB 的上限"):
        att.stage_file(store, big)
    empty = tmp_path / "空.jpg"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="空文件"):
        att.stage_file(store, empty)
    with pytest.raises(ValidationError, match="找不到文件"):
        att.stage_file(store, tmp_path / "不存在.jpg")
    with pytest.raises(ValidationError, match="不是文件"):
        att.stage_file(store, tmp_path)
    assert _incoming(store) == [] and _blob_files(store) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /proc")
def test_a_read_error_gets_a_chinese_message(tmp_path: Path) -> None:
    # /proc/self/mem is a regular file whose first page cannot be read (EIO), even for root: a real read error,
    # like a failing card reader.
    store = tmp_path / "attachments"
    with pytest.raises(ValidationError, match="无法读取文件“mem”：读取时出现输入输出错误"):
        att.stage_file(store, Path("/proc/self/mem"))
    assert _incoming(store) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_a_file_without_read_permission_gets_a_chinese_message(tmp_path: Path) -> None:
    locked = _photo(tmp_path, "锁定.jpg", "x")
    locked.chmod(0)
    try:
        with pytest.raises(ValidationError, match="没有读取权限"):
            att.stage_file(tmp_path / "attachments", locked)
    finally:
        locked.chmod(0o600)


def test_discard_and_stale_leftovers(tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    staged = att.stage_file(store, _photo(tmp_path, "a.jpg", "a"))
    att.discard_staged([staged])
    assert _incoming(store) == []
    old = att.stage_file(store, _photo(tmp_path, "b.jpg", "b"))
    two_days_ago = time.time() - 3 * 24 * 3600
    os.utime(old.temp, (two_days_ago, two_days_ago))
    fresh = att.stage_file(store, _photo(tmp_path, "c.jpg", "c"))
    assert _incoming(store) == [fresh.temp]  # a crash's leftover swept, a form still open untouched


def test_attach_file_to_an_existing_record_still_works(world: World, tmp_path: Path) -> None:
    store = tmp_path / "attachments"
    summary = ins.record_inspection(world.uow(), _inspection(world))
    info = att.attach_file(world.uow(), store, record_table="inspection", record_uid=summary.uid,
                           src=_photo(tmp_path, "复查.jpg", "r"))
    assert info.new_blob and att.read_blob(store, info.sha256, world.key) == JPEG + b"r"
    assert info.stored_at == att.stored_blob_path(store, info.sha256, world.key)
    assert _incoming(store) == []
    before = world.snapshot()
    with pytest.raises(ValidationError, match="已作为“复查.jpg”"):
        att.attach_file(world.uow(), store, record_table="inspection", record_uid=summary.uid,
                        src=_photo(tmp_path, "again.jpg", "r"))
    assert world.snapshot() == before and _incoming(store) == []
