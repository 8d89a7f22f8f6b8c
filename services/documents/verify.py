"""Is this PDF a document this database issued, unaltered? (``python main.py docs verify``)"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.records import IssuedDocument
from services.core.errors import AppError
from services.core.uow import UnitOfWork

# Written by the renderer into the PDF's Keywords (plain ASCII, so it can be found in the raw bytes).
_KEYWORDS = re.compile(rb"EnforceDesk\|([0-9a-f-]{36})\|([0-9a-f]{64})")
# The QR payload "EnforceDesk|<number>|<digest>": the number may also be read from the page text.
_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}字〔\d{4}〕第\d+号")


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    number: str
    message: str


def _identify(data: bytes) -> tuple[str, str]:
    """(document uid, text of page 1) recovered from a PDF, as far as it can still be read."""
    uid = ""
    found = _KEYWORDS.search(data)
    if found:
        uid = found.group(1).decode("ascii")
    text = ""
    try:
        from pypdf import PdfReader  # optional: a dev dependency; without it only the keywords are used

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a tampered file makes pypdf complain; we only want what it can read
            reader = PdfReader(io.BytesIO(data))
            text = reader.pages[0].extract_text() if reader.pages else ""
    except Exception:  # noqa: BLE001 - a damaged or foreign file simply yields no text
        text = ""
    return uid, text


def verify_bytes(session: Session, data: bytes) -> VerifyResult:
    digest = hashlib.sha256(data).hexdigest()
    row = session.scalar(select(IssuedDocument).where(IssuedDocument.content_hash == digest).limit(1))
    if row is not None:
        newer = session.scalar(select(IssuedDocument).where(IssuedDocument.supersedes_uid == row.uid))
        note = f"（注意：该文书已被{newer.number}更正）" if newer is not None else ""
        issued = row.issued_at.strftime("%Y年%m月%d日 %H:%M")
        return VerifyResult(True, row.number, f"真实有效：本数据库于{issued}出具的文书{row.number}，文件未被改动{note}")
    uid, text = _identify(data)
    known = session.scalar(select(IssuedDocument).where(IssuedDocument.uid == uid)) if uid else None
    if known is None:
        match = _NUMBER.search(text.replace(" ", ""))
        if match:
            known = session.scalar(select(IssuedDocument).where(IssuedDocument.number == match.group()).limit(1))
    if known is not None:
        return VerifyResult(False, known.number, f"文件已被改动：编号{known.number}的文书确由本数据库出具，但此文件与存档的"
                            "数字摘要不一致，不是原件，不能作为有效文书使用")
    return VerifyResult(False, "", "未知文件：本数据库没有出具过与此文件一致的文书")


def verify_pdf(uow: UnitOfWork, path: Path) -> VerifyResult:
    """SHA-256 of the file against the stored hashes; otherwise say whether it is a known number, altered."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AppError(f"无法读取文件：{path}（{exc.strerror}）") from exc
    with uow:
        return verify_bytes(uow.session, data)
