"""Evidence files stored once under their SHA-256 in the data folder, attached to any record."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from models.records import Attachment, Blob
from services.errors import ValidationError
from services.uow import UnitOfWork

MAX_BYTES = 200 * 1024 * 1024  # a phone video of a seizure fits; a disk image does not


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    uid: str
    sha256: str
    filename: str
    size: int
    stored_at: Path
    new_blob: bool


def blob_path(store: Path, sha256: str) -> Path:
    return store / sha256[:2] / sha256


def _hash_copy(src: Path, store: Path) -> tuple[str, int, Path]:
    """Copy into a temp file in the store while hashing, so the source is read once."""
    store.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
        while chunk := inp.read(1 << 20):
            size += len(chunk)
            if size > MAX_BYTES:
                out.close()
                os.unlink(tmp)
                raise ValidationError(f"文件超过{MAX_BYTES // (1024 * 1024)}MB，不能作为证据附件", field="file")
            h.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return h.hexdigest(), size, Path(tmp)


def attach_file(uow: UnitOfWork, store: Path, *, record_table: str, record_uid: str, src: Path, caption: str = "",
                taken_at: datetime | None = None, taken_by: str = "") -> AttachmentInfo:
    if not src.is_file():
        raise ValidationError(f"找不到文件：{src}", field="file")
    sha, size, tmp = _hash_copy(src, store)
    final = blob_path(store, sha)
    try:
        with uow:
            s = uow.session
            new_blob = s.get(Blob, sha) is None
            if new_blob:
                s.add(Blob(sha256=sha, size=size, mime=mimetypes.guess_type(src.name)[0] or "application/octet-stream",
                           created_at=uow.clock.now()))
            dup = s.scalar(select(Attachment).where(Attachment.record_uid == record_uid,
                                                    Attachment.blob_sha256 == sha, Attachment.deleted_at.is_(None)))
            if dup is not None:
                raise ValidationError(f"此文件已作为“{dup.filename}”附在该记录上", field="file")
            att = Attachment(record_table=record_table, record_uid=record_uid, blob_sha256=sha, filename=src.name,
                             caption=caption, taken_at=taken_at, taken_by=taken_by)
            with uow.action("attachment.add"):
                s.add(att)
                s.flush()
            if not final.exists():
                final.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(tmp), final)
            uow.commit()
            return AttachmentInfo(att.uid, sha, src.name, size, final, new_blob)
    finally:
        tmp.unlink(missing_ok=True)


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
            p = blob_path(store, blob.sha256)
            out.append(AttachmentRow(att.uid, att.filename, att.caption, blob.sha256, blob.size, blob.mime, p,
                                     p.is_file()))
        return out


def attachment_store(db_path: Path | None) -> Path:
    """Evidence files live next to the database, so a backup of the folder carries both."""
    from services.paths import data_dir

    return (db_path.parent if db_path is not None else data_dir()) / "attachments"
