"""Issuing documents: snapshot, number, render, lock (SHA-256), reprint byte-identically, correct by a new document.

An issued document is never edited. Its snapshot (everything printed, as JSON) and the SHA-256 of the PDF
are stored in ``issued_document``; a reprint renders the stored snapshot again in ReportLab's invariant
mode, with the creation date fixed to the issue time, and so gives the same bytes. A correction is a new
document with its own number that names the one it supersedes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import SHANGHAI, new_uid
from models.records import IssuedDocument
from services.core.cipher import FIELD_PREFIX, Locked
from services.core.errors import NotFound, ValidationError
from services.core.sealing import database_is_encrypted, plaintext
from services.core.uow import UnitOfWork
from services.documents.common import FIELD_LABELS, Gather
from services.documents.fonts import FontSet, font_set, require_printable, walk_strings
from services.documents.layout import Builder, Mark, PageInfo, RenderResult, build_pdf
from services.documents.registry import DocType, R, get_type
from services.documents.snapshot import Snapshot
from services.reference.numbering import next_number, peek_number
from services.reference.settings import Settings
from services.reference.setup import this_township

CORRECTION = "correction"
_EPOCH = datetime(2000, 1, 1, tzinfo=SHANGHAI)  # creation date of unissued previews


@dataclass(frozen=True, slots=True)
class IssuedDocumentInfo:
    """An issued document and its PDF. ``matches_stored`` is False only if a reprint no longer gives the
    bytes whose hash was stored (the renderer changed since issue)."""

    uid: str
    number: str
    doc_type: str
    title: str
    sha256: str
    pdf: bytes
    record_table: str
    record_uid: str
    issued_at: datetime
    supersedes_uid: str | None = None
    matches_stored: bool = True

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.pdf)
        return path


def snapshot_json(snapshot: Snapshot) -> str:
    """Canonical JSON (sorted keys, no spaces): the same snapshot always has the same digest. A value still sealed
    (no key unlocked; services/core/sealing.py) is refused: a document never prints ``ed1:…``."""
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if '"' + FIELD_PREFIX in text:
        raise Locked("文书中的个人信息已加密，需要先登录或用恢复密钥解锁才能制作文书")
    return text


def stored_snapshot(row: IssuedDocument) -> Snapshot:
    """An issued document's snapshot as stored (sealed at rest: opened on load when the key is unlocked)."""
    loaded: Snapshot = json.loads(plaintext(row.snapshot, "已制发文书的内容"))
    return loaded


def snapshot_digest(snapshot: Snapshot) -> str:
    return hashlib.sha256(snapshot_json(snapshot).encode("utf-8")).hexdigest()


def qr_payload(snapshot: Snapshot) -> str:
    return f"EnforceDesk|{snapshot.get('number', '')}|{snapshot_digest(snapshot)}"


def fonts_of(snapshot: Snapshot) -> FontSet:
    chosen = snapshot.get("fonts") or {}
    return font_set(chosen.get("body", ""), chosen.get("title", ""))


def document_story(snapshot: Snapshot, builder: Builder, *, file_numbered: bool = False) -> list[Flowable]:
    """The flowables of one document, starting with the marker that puts its QR code on its first page."""
    t = get_type(snapshot["doc_type"])
    info = PageInfo(key=snapshot.get("doc_uid") or snapshot.get("number") or t.name, payload=qr_payload(snapshot),
                    paged=t.paged, file_numbered=file_numbered,
                    sign_strip=t.sign_strip)
    story: list[Flowable] = [Mark(info), *t.compose(builder, snapshot)]
    corr = snapshot.get("correction")
    if corr:
        story.append(builder.spacer(4))
        story.append(builder.para(
            f"本文书系对{corr['original_number']}《{corr['original_title']}》的更正，原文书同时作废。"
            + "更正事项：" + "；".join(f"{c['label']}由“{c['old']}”更正为“{c['new']}”" for c in corr["changes"])
            + f"。更正理由：{corr['reason']}。", label="更正说明："))
    return story


_PAGES: dict[str, int] = {}  # snapshot digest -> page count, so the case file need not lay documents out twice


def page_count(snapshot: Snapshot) -> int:
    digest = snapshot_digest(snapshot)
    if digest not in _PAGES:
        render_result(snapshot)
    return _PAGES[digest]


def render_result(snapshot: Snapshot) -> RenderResult:
    fonts = fonts_of(snapshot)
    story = document_story(snapshot, Builder(fonts))
    issued = snapshot.get("issued_at")
    created = datetime.fromisoformat(issued) if issued else _EPOCH
    t = get_type(snapshot["doc_type"])
    meta = {"title": snapshot.get("title", t.title), "author": snapshot.get("agency", ""),
            "subject": snapshot.get("number", ""),
            "keywords": f"EnforceDesk|{snapshot.get('doc_uid', '')}|{snapshot_digest(snapshot)}"}
    out = build_pdf(story, fonts, meta=meta, created=created)
    if len(_PAGES) > 4096:
        _PAGES.clear()
    _PAGES[snapshot_digest(snapshot)] = out.pages
    return out


def render(snapshot: Snapshot) -> bytes:
    """The PDF of a snapshot; the same snapshot always gives the same bytes."""
    return render_result(snapshot).pdf


# -- issuing ------------------------------------------------------------------------------------------


def _year_seq(number: str, fallback_year: int) -> tuple[int, int]:
    """Year and sequence printed in a number such as 竹综执罚决字〔2026〕第12号."""
    runs = [int(x) for x in re.findall(r"\d+", number)]
    year = next((r for r in runs if 1990 <= r <= 2200), fallback_year)
    return year, runs[-1] if runs else 0


def latest_issued(session: Session, doc_type: str, record_uid: str) -> IssuedDocument | None:
    """The document in force for (type, record): the original, or its newest correction."""
    row = session.scalar(select(IssuedDocument).where(
        IssuedDocument.doc_type == doc_type, IssuedDocument.record_uid == record_uid,
        IssuedDocument.deleted_at.is_(None)).order_by(IssuedDocument.id).limit(1))
    while row is not None:
        newer = session.scalar(select(IssuedDocument).where(IssuedDocument.supersedes_uid == row.uid))
        if newer is None:
            return row
        row = newer
    return None


def info_from_row(row: IssuedDocument) -> IssuedDocumentInfo:
    snapshot = stored_snapshot(row)
    pdf = render(snapshot)
    digest = hashlib.sha256(pdf).hexdigest()
    return IssuedDocumentInfo(row.uid, row.number, snapshot["doc_type"], snapshot.get("title", ""), digest, pdf,
                              row.record_table, row.record_uid, row.issued_at, row.supersedes_uid,
                              digest == row.content_hash)


def gather_snapshot(session: Session, t: DocType[R], record: R, inputs: dict[str, str] | None = None) -> Snapshot:
    """Snapshot of a record, refused when a mandatory item is missing or a character cannot be printed."""
    allowed = dict(t.inputs)
    unknown = sorted(set(inputs or {}) - set(allowed))
    if unknown:
        known = "、".join(f"{k}（{v}）" for k, v in t.inputs) or "无"
        raise ValidationError(f"{t.title}没有可填写的项目：{'、'.join(unknown)}（可填写：{known}）", field=unknown[0])
    if session.info.get("data_key") is None and database_is_encrypted(session):
        # Before gathering: a sealed value read as it is stored (a JSON list of questions, say) would otherwise
        # fail to parse deep inside a gatherer instead of saying why (docs/encryption.md §Unlocking).
        raise Locked("文书中的个人信息已加密，需要先登录或用恢复密钥解锁才能制作文书")
    g = Gather(session, t.title, inputs)
    snapshot = t.gather(g, record)
    g.check()
    require_printable(walk_strings(snapshot, FIELD_LABELS), fonts_of(snapshot))
    return snapshot


def issue_in_session(uow: UnitOfWork, t: DocType[R], record: R,
                     inputs: dict[str, str] | None = None) -> IssuedDocumentInfo:
    """Issue (or return the already issued) document inside the caller's open unit of work; no commit."""
    s = uow.session
    existing = latest_issued(s, t.name, record.uid)
    if existing is not None:
        return info_from_row(existing)
    snapshot = gather_snapshot(s, t, record, inputs)
    township = this_township(s)
    day = date.fromisoformat(snapshot["date_iso"]) if snapshot.get("date_iso") else uow.clock.today()
    if t.number_code:
        allocated = next_number(s, township, Settings(s), doc_type=t.number_code, year=day.year,
                                device_uid=s.info.get("device_uid", ""),
                                issuer=t.issuer(s, record) if t.issuer else None)
        snapshot["number"] = allocated.number
        year, seq = allocated.year, allocated.seq
    else:
        year, seq = _year_seq(snapshot["number"], day.year)
    return _store(uow, snapshot, t.name, t.record_table, record.uid, year, seq, supersedes=None)


def _store(uow: UnitOfWork, snapshot: Snapshot, doc_type: str, table: str, record_uid: str, year: int, seq: int,
           *, supersedes: str | None) -> IssuedDocumentInfo:
    s = uow.session
    issued_at = uow.clock.now()
    snapshot["issued_at"] = issued_at.isoformat()
    snapshot["doc_uid"] = uid = new_uid()
    pdf = render(snapshot)
    digest = hashlib.sha256(pdf).hexdigest()
    row = IssuedDocument(uid=uid, township_id=this_township(s).id, doc_type=doc_type, year=year, seq=seq,
                         number=snapshot["number"], record_table=table, record_uid=record_uid, issued_at=issued_at,
                         issued_by=uow.actor, content_hash=digest, snapshot=snapshot_json(snapshot),
                         supersedes_uid=supersedes)
    with uow.action(f"issued_document.{'correct' if supersedes else 'issue'}"):
        s.add(row)
        s.flush()
    return IssuedDocumentInfo(uid, row.number, snapshot["doc_type"], snapshot.get("title", ""), digest, pdf, table,
                              record_uid, issued_at, supersedes)


def issue_document(uow: UnitOfWork, doc_type: str, record_ref: str,
                   inputs: dict[str, str] | None = None) -> IssuedDocumentInfo:
    """Issue ``doc_type`` for the record (UUID or its number); issuing again returns the locked document.

    ``inputs`` fills the items a type declares in ``DocType.inputs`` (e.g. the hearing's time and place).
    """
    t = get_type(doc_type)
    with uow:
        record = t.load(uow.session, record_ref)
        info = issue_in_session(uow, t, record, inputs)
        uow.commit()
        return info


@dataclass(frozen=True, slots=True)
class NumberPreview:
    """What 制发 would do: the number the document takes, or the number it already has (issuing again only
    shows the locked document)."""

    number: str
    already_issued: bool


def number_to_issue(uow: UnitOfWork, doc_type: str, record_ref: str,
                    inputs: dict[str, str] | None = None) -> NumberPreview:
    """The exact number ``issue_document`` would give now, without taking it; refused as issuing would be
    (a missing item, a field device without numbers)."""
    t = get_type(doc_type)
    with uow:
        s = uow.session
        record = t.load(s, record_ref)
        existing = latest_issued(s, t.name, record.uid)
        if existing is not None:
            return NumberPreview(existing.number, True)
        snapshot = gather_snapshot(s, t, record, inputs)
        if not t.number_code:
            return NumberPreview(snapshot["number"], False)  # the step numbered the record already
        day = date.fromisoformat(snapshot["date_iso"]) if snapshot.get("date_iso") else uow.clock.today()
        number = peek_number(s, this_township(s), Settings(s), doc_type=t.number_code, year=day.year,
                             device_uid=s.info.get("device_uid", ""),
                             issuer=t.issuer(s, record) if t.issuer else None)  # as issue_in_session numbers it
        return NumberPreview(number, False)


def preview_document(uow: UnitOfWork, doc_type: str, record_ref: str, inputs: dict[str, str] | None = None) -> bytes:
    """Render without issuing (no number allocated, nothing stored): for on-screen preview only."""
    t = get_type(doc_type)
    with uow:
        snapshot = gather_snapshot(uow.session, t, t.load(uow.session, record_ref), inputs)
        snapshot["number"] = snapshot.get("number") or "（未编号预览）"
        return render(snapshot)


def reprint(uow: UnitOfWork, number: str) -> IssuedDocumentInfo:
    with uow:
        return info_from_row(_by_number(uow.session, number))


def _by_number(session: Session, ref: str) -> IssuedDocument:
    row = session.scalar(select(IssuedDocument).where(
        (IssuedDocument.number == ref) | (IssuedDocument.uid == ref)).order_by(IssuedDocument.id.desc()).limit(1))
    if row is None:
        raise NotFound(f"找不到已出具的文书“{ref}”")
    return row


# -- corrections ----------------------------------------------------------------------------------------


def _apply_change(snapshot: Snapshot, path: str, value: Any) -> Any:
    """Set a dotted key (``party.address``) that exists in the snapshot; returns the old value."""
    keys = path.split(".")
    node: Any = snapshot
    for key in keys[:-1]:
        if not isinstance(node, dict) or key not in node:
            raise ValidationError(f"文书中没有可更正的项目“{path}”", field=path)
        node = node[key]
    last = keys[-1]
    if not isinstance(node, dict) or last not in node or last in ("doc_type", "number", "issued_at", "doc_uid"):
        raise ValidationError(f"文书中没有可更正的项目“{path}”", field=path)
    old = node[last]
    if isinstance(old, str) and not isinstance(value, str):
        raise ValidationError(f"“{path}”应为文字", field=path)
    if isinstance(old, str) and old.strip() and not str(value).strip():
        raise ValidationError(f"更正后“{FIELD_LABELS.get(last, path)}”不能为空", field=path)
    node[last] = value
    return old


def correct_document(uow: UnitOfWork, number: str, changes: dict[str, Any], reason: str) -> IssuedDocumentInfo:
    """Issue a 更正 document: the original's snapshot with ``changes`` applied, a new number, a reason."""
    if not reason.strip():
        raise ValidationError("请填写更正理由", field="reason")
    if not changes:
        raise ValidationError("请填写需要更正的项目", field="changes")
    with uow:
        s = uow.session
        original = _by_number(s, number)
        newer = s.scalar(select(IssuedDocument).where(IssuedDocument.supersedes_uid == original.uid))
        if newer is not None:
            raise ValidationError(f"文书{original.number}已被{newer.number}更正，请在最新的文书上更正", field="number")
        snapshot = stored_snapshot(original)
        original_title = snapshot.get("title", "")
        base_title = original_title.removesuffix("（更正）")
        listed = []
        for path, value in changes.items():
            old = _apply_change(snapshot, path, value)
            listed.append({"label": FIELD_LABELS.get(path.split(".")[-1], path), "old": str(old), "new": str(value)})
        for key in ("issued_at", "doc_uid", "correction"):
            snapshot.pop(key, None)
        snapshot["title"] = f"{base_title}（更正）"
        snapshot["correction"] = {"original_number": original.number, "original_title": original_title,
                                  "reason": reason.strip(), "changes": listed}
        require_printable(walk_strings(snapshot, FIELD_LABELS), fonts_of(snapshot))
        today = uow.clock.today()
        allocated = next_number(s, this_township(s), Settings(s), doc_type=CORRECTION, year=today.year,
                                device_uid=s.info.get("device_uid", ""))
        snapshot["number"] = allocated.number
        info = _store(uow, snapshot, CORRECTION, original.record_table, original.record_uid, allocated.year,
                      allocated.seq, supersedes=original.uid)
        uow.commit()
        return info
