"""Evidence files stored once under their SHA-256 in the data folder, attached to any record.

Two ways in:

- ``attach_file`` adds a file to a record that already exists, in its own transaction.
- ``stage_file`` + ``with_attachments`` serve a form whose record has no uid yet: each chosen file is checked,
  hashed and copied into the store's incoming area at once (so a camera card pulled out before 保存 does not
  matter), and the attachment rows are written in the *same* transaction as the record itself. A save that
  fails for any reason (validation, a refused step, a full disk) therefore attaches nothing, and the staged
  copies stay available for the next attempt until ``discard_staged``.

Blob files are moved into place just before the commit and removed again if the commit fails; a blob file
without a row is harmless anyway (content-addressed; the next attach of the same bytes reuses it).
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
import os
import stat
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models.base import Base
from models.records import Attachment, Blob
from services.core.cipher import FILE_MAGIC, DataKey, Locked, SealBroken
from services.core.errors import ValidationError
from services.core.sealing import database_is_encrypted
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require

MAX_BYTES = 200 * 1024 * 1024  # a phone video of a seizure fits; a disk image does not
_INCOMING = ".incoming-"
# Staged copies left behind by a crash or a killed process; a form open for two days is not a real case.
_STALE_INCOMING_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    uid: str
    sha256: str
    filename: str
    size: int
    stored_at: Path
    new_blob: bool


@dataclass(frozen=True, slots=True)
class StagedFile:
    """A file chosen as evidence, already hashed and copied into the store's incoming area (``temp``)."""

    filename: str
    sha256: str
    size: int
    mime: str
    temp: Path
    caption: str = ""

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def blob_path(store: Path, sha256: str) -> Path:
    """Where a file is stored in the clear (a database without a data key) — or, given the stored name a data
    key derives (``DataKey.file_name``), where its sealed form is."""
    return store / sha256[:2] / sha256


def stored_blob_path(store: Path, sha256: str, key: DataKey | None) -> Path:
    """Where the file with this content is stored: sealed under a keyed name, or in the clear by its SHA-256."""
    return blob_path(store, key.file_name(sha256)) if key is not None else blob_path(store, sha256)


def blob_present(store: Path, sha256: str, key: DataKey | None) -> bool:
    """Is the file here, sealed or (not yet sealed) in the clear? Without the key only the clear name is known."""
    return stored_blob_path(store, sha256, key).is_file() or blob_path(store, sha256).is_file()


def read_blob(store: Path, sha256: str, key: DataKey | None) -> bytes:
    """The plaintext bytes of a stored file, checked against its SHA-256. A sealed file needs the key (Locked)."""
    sealed = stored_blob_path(store, sha256, key) if key is not None else None
    if sealed is not None and sealed.is_file():
        data = key.open_bytes(sealed.read_bytes(), name=sealed.name) if key is not None else b""
    elif blob_path(store, sha256).is_file():
        data = blob_path(store, sha256).read_bytes()
        if data.startswith(FILE_MAGIC):
            raise Locked("附件已加密，需要先登录或用恢复密钥解锁")
    elif key is None:  # without the key a sealed file's name is unknown: missing and sealed look the same
        raise Locked(f"附件文件 {sha256[:12]}… 已加密（或在本机缺失）：请先登录或用恢复密钥解锁")
    else:
        raise ValidationError(f"附件文件 {sha256[:12]}… 在本机缺失", field="file")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SealBroken(f"附件文件 {sha256[:12]}… 内容与记录的 SHA-256 不符（被改动或损坏）")
    return data


SEAL_OVERHEAD = len(FILE_MAGIC) + 12 + 16  # magic, nonce, GCM tag: a sealed file is its content plus this


def check_blob_files(store: Path, blobs: Iterable[tuple[str, int]], key: DataKey | None) -> list[str]:
    """What can be checked of the stored files of ``blobs`` ((sha256, size) …): with the key, every sealed file
    opens and matches its SHA-256; without it, a clear file matches its SHA-256 and every other file in the store
    has the size of a sealed attachment. A missing file is not reported (a device may not have received it yet)."""
    problems: list[str] = []
    rows = list(blobs)
    known: set[Path] = set()
    for sha, _size in rows:
        clear = blob_path(store, sha)
        sealed = stored_blob_path(store, sha, key) if key is not None else None
        for path in (clear, sealed):
            if path is None or not path.is_file():
                continue
            known.add(path)
            try:
                read_blob(store, sha, key if path is sealed else None)
            except (SealBroken, Locked, ValidationError) as exc:
                problems.append(f"附件文件 {sha[:12]}… 已损坏：{exc}")
            except OSError as exc:
                problems.append(f"附件文件 {sha[:12]}… 无法读取：{exc}")
    if key is None and store.is_dir():
        sizes = {size + SEAL_OVERHEAD for _sha, size in rows}
        for path in store.glob("??/*"):
            if path not in known and not path.name.startswith(".") and path.stat().st_size not in sizes:
                problems.append(f"附件文件夹中的 {path.name[:12]}… 与任何附件记录的大小都不符（被改动或损坏）")
    return problems


def seal_blob_file(store: Path, sha256: str, key: DataKey) -> bool:
    """Seal the clear file of ``sha256`` under its keyed name and remove the clear one; False when there is
    none (already sealed, or missing). The sealed file is complete on disk before the clear one goes."""
    clear = blob_path(store, sha256)
    if not clear.is_file():
        return False
    final = stored_blob_path(store, sha256, key)
    data = clear.read_bytes()
    if data.startswith(FILE_MAGIC):
        return False
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=_INCOMING)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key.seal_bytes(data, name=final.name))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, final)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    clear.unlink()
    return True


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 10 * 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def _unreadable(name: str, exc: OSError) -> ValidationError:
    """An OSError while opening or reading a chosen file, said in Chinese with what the user can do."""
    if isinstance(exc, PermissionError):
        why = "没有读取权限，请先复制到本机（如桌面）后再添加"
    elif isinstance(exc, FileNotFoundError):
        why = "文件已被移走或删除"
    elif exc.errno == errno.EIO:
        why = "读取时出现输入输出错误，可能是U盘或存储卡接触不良或已损坏，请复制到本机后再添加"
    else:
        why = "读取时出错，请复制到本机后再添加"
    return ValidationError(f"无法读取文件“{name}”：{why}", field="file")


def _check_source(src: Path) -> None:
    """Refuse, before reading a byte, what cannot be evidence: missing, not a regular file, over the limit."""
    try:
        st = src.stat()
    except FileNotFoundError:
        raise ValidationError(f"找不到文件：{src}", field="file") from None
    except OSError as exc:
        raise _unreadable(src.name, exc) from exc
    if not stat.S_ISREG(st.st_mode):
        raise ValidationError(f"“{src.name}”不是文件，不能作为证据附件", field="file")
    if st.st_size > MAX_BYTES:
        raise ValidationError(
            f"文件“{src.name}”有 {_mb(st.st_size)} MB，超过 {MAX_BYTES // (1024 * 1024)} MB 的上限，不能作为证据附件；"
            "视频请剪辑或压缩后再添加", field="file")


def _sweep_incoming(store: Path) -> None:
    """Remove staged copies old enough to be leftovers of a crash (never a form still open)."""
    cutoff = time.time() - _STALE_INCOMING_SECONDS
    for p in store.glob(f"{_INCOMING}*"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass  # another process took it or it is in use: try again next time


def _hash_copy(src: Path, store: Path) -> tuple[str, int, Path]:
    """Copy into a temp file in the store while hashing, so the source is read once."""
    store.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=store, prefix=_INCOMING)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                with open(src, "rb") as inp:
                    while chunk := inp.read(1 << 20):
                        size += len(chunk)
                        if size > MAX_BYTES:  # grew after the size check (a recording still being written)
                            raise ValidationError(
                                f"文件“{src.name}”超过 {MAX_BYTES // (1024 * 1024)} MB 的上限，不能作为证据附件",
                                field="file")
                        h.update(chunk)
                        out.write(chunk)
            except OSError as exc:
                raise _unreadable(src.name, exc) from exc
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if size == 0:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"文件“{src.name}”是空文件（0 字节），不能作为证据附件", field="file")
    return h.hexdigest(), size, tmp


def stage_file(store: Path, src: Path, caption: str = "") -> StagedFile:
    """Check, hash and copy ``src`` into the store's incoming area; nothing is recorded in the database yet.

    Raises:
        ValidationError: missing, unreadable, empty or too big — the message names the file (field ``file``).
    """
    _check_source(src)
    if store.is_dir():
        _sweep_incoming(store)
    sha, size, tmp = _hash_copy(src, store)
    mime = mimetypes.guess_type(src.name)[0] or "application/octet-stream"
    return StagedFile(src.name, sha, size, mime, tmp, caption.strip())


def discard_staged(files: Iterable[StagedFile]) -> None:
    """Delete staged copies (after a cancelled form, or leftovers after a save moved them into place)."""
    for f in files:
        f.temp.unlink(missing_ok=True)


def _add_rows(uow: UnitOfWork, store: Path, *, record_table: str, record_uid: str, files: Sequence[StagedFile],
              taken_at: datetime | None, taken_by: str) -> list[AttachmentInfo]:
    """Blob and attachment rows for ``files`` inside the caller's open unit of work; no commit."""
    s = uow.session
    seen: dict[str, str] = {}
    out: list[AttachmentInfo] = []
    for f in files:
        if f.sha256 in seen:
            raise ValidationError(f"“{f.filename}”与“{seen[f.sha256]}”内容相同，请只添加一次", field="file")
        seen[f.sha256] = f.filename
        new_blob = s.get(Blob, f.sha256) is None
        if new_blob:
            s.add(Blob(sha256=f.sha256, size=f.size, mime=f.mime, created_at=uow.clock.now()))
        dup = s.scalar(select(Attachment).where(Attachment.record_uid == record_uid,
                                                Attachment.blob_sha256 == f.sha256, Attachment.deleted_at.is_(None)))
        if dup is not None:
            raise ValidationError(f"此文件已作为“{dup.filename}”附在该记录上", field="file")
        att = Attachment(record_table=record_table, record_uid=record_uid, blob_sha256=f.sha256, filename=f.filename,
                         caption=f.caption, taken_at=taken_at, taken_by=taken_by)
        with uow.action("attachment.add"):
            s.add(att)
            s.flush()
        out.append(AttachmentInfo(att.uid, f.sha256, f.filename, f.size,
                                  stored_blob_path(store, f.sha256, s.info.get("data_key")), new_blob))
    return out


def _place(store: Path, files: Sequence[StagedFile], session: Session) -> list[Path]:
    """Move staged copies to their content address — sealed under the keyed name when the database has a data
    key (services/core/cipher.py); returns the blob files this call created."""
    key: DataKey | None = session.info.get("data_key")
    if key is None and database_is_encrypted(session):
        raise Locked("数据已加密，需要先登录或用恢复密钥解锁才能添加附件")
    created: list[Path] = []
    try:
        for f in files:
            final = stored_blob_path(store, f.sha256, key)
            if final.exists() or not f.temp.exists():
                continue  # same bytes already stored (the staged copy is discarded later)
            final.parent.mkdir(parents=True, exist_ok=True)
            if key is None:
                os.replace(f.temp, final)  # same folder tree, same file system: atomic
            else:
                sealed = f.temp.with_name(f.temp.name + ".sealed")
                sealed.write_bytes(key.seal_bytes(f.temp.read_bytes(), name=final.name))
                os.replace(sealed, final)
                f.temp.unlink(missing_ok=True)  # the staged clear copy goes as soon as the sealed one is in place
            created.append(final)
    except OSError:
        _unplace(created)
        raise
    return created


def _unplace(created: Iterable[Path]) -> None:
    for p in created:
        p.unlink(missing_ok=True)


def attach_file(uow: UnitOfWork, store: Path, *, record_table: str, record_uid: str, src: Path, caption: str = "",
                taken_at: datetime | None = None, taken_by: str = "") -> AttachmentInfo:
    """Attach ``src`` to an existing record in one transaction (``ValidationError`` changes nothing)."""
    staged = stage_file(store, src, caption)
    try:
        with uow:
            if uow.role is not None:
                require(uow.role, Permission.RECORD)
            info = _add_rows(uow, store, record_table=record_table, record_uid=record_uid, files=[staged],
                             taken_at=taken_at, taken_by=taken_by)[0]
            created = _place(store, [staged], uow.session)
            try:
                uow.commit()
            except BaseException:
                _unplace(created)
                raise
            return info
    finally:
        discard_staged([staged])


def _model_for(record_table: str) -> type[Any]:
    for mapper in Base.registry.mappers:
        if mapper.local_table is not None and getattr(mapper.local_table, "name", None) == record_table:
            return mapper.class_
    raise ValueError(f"unknown record table {record_table!r}")


class _AttachingUnitOfWork(UnitOfWork):
    """A unit of work that, when the record service commits, also attaches the staged files to the one new
    ``record_table`` row that service created — in the same transaction, so both are saved or neither."""

    def __init__(self, base: UnitOfWork, store: Path, record_table: str, files: Sequence[StagedFile], *,
                 taken_at: datetime | None, taken_by: str) -> None:
        super().__init__(base.db, actor=base.actor, clock=base.clock, write=base.write, role=base.role,
                         data_key=base.data_key)
        self.store, self.record_table, self.files = store, record_table, list(files)
        self.taken_at, self.taken_by = taken_at, taken_by
        self._model = _model_for(record_table)
        self._created: list[Any] = []
        self.attached: list[AttachmentInfo] = []

    def __enter__(self) -> Self:
        super().__enter__()
        self._created.clear()
        event.listen(self.session, "pending_to_persistent", self._on_persistent)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        session = self._session
        if session is not None and event.contains(session, "pending_to_persistent", self._on_persistent):
            event.remove(session, "pending_to_persistent", self._on_persistent)
        super().__exit__(exc_type, exc, tb)

    def _on_persistent(self, _session: Session, instance: object) -> None:
        if isinstance(instance, self._model):
            self._created.append(instance)

    def commit(self) -> None:
        self.session.flush()
        if len(self._created) != 1:
            # A programming error (wrong table for this service), not user input: nothing is committed.
            raise RuntimeError(f"expected one new {self.record_table} row to attach to, got {len(self._created)}")
        record_uid = self._created[0].uid
        self.attached = _add_rows(self, self.store, record_table=self.record_table, record_uid=record_uid,
                                  files=self.files, taken_at=self.taken_at, taken_by=self.taken_by)
        created = _place(self.store, self.files, self.session)
        try:
            super().commit()
        except BaseException:
            _unplace(created)
            raise


def with_attachments(uow: UnitOfWork, store: Path, *, record_table: str, files: Sequence[StagedFile],
                     taken_at: datetime | None = None, taken_by: str = "") -> UnitOfWork:
    """A unit of work to hand to a record service (``record_inspection``, ``register_mediation``) so that the
    staged ``files`` are attached to the record it creates, in the same transaction.

    With no files it is ``uow`` itself. After a successful save, the staged copies have been moved into the
    store (``discard_staged`` on them is then a no-op but still correct); after a failed one they are untouched.
    """
    if not files:
        return uow
    return _AttachingUnitOfWork(uow, store, record_table, files, taken_at=taken_at, taken_by=taken_by)


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    uid: str
    filename: str
    caption: str
    sha256: str
    size: int
    mime: str
    path: Path  # where the bytes are (may be missing on a device that has not received them yet)
    present: bool


def list_attachments(uow: UnitOfWork, store: Path, record_uid: str) -> list[AttachmentRow]:
    with uow:
        rows = uow.session.execute(
            select(Attachment, Blob).join(Blob, Blob.sha256 == Attachment.blob_sha256)
            .where(Attachment.record_uid == record_uid, Attachment.deleted_at.is_(None))
            .order_by(Attachment.id)
        ).all()
        out = []
        for att, blob in rows:
            p = stored_blob_path(store, blob.sha256, uow.data_key)
            out.append(AttachmentRow(att.uid, att.filename, att.caption, blob.sha256, blob.size, blob.mime, p,
                                     blob_present(store, blob.sha256, uow.data_key)))
        return out


def attachment_store(db_path: Path | None) -> Path:
    """Evidence files live next to the database, so a backup of the folder carries both."""
    from services.core.paths import data_dir

    return (db_path.parent if db_path is not None else data_dir()) / "attachments"
