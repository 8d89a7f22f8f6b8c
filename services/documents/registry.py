"""The registry of document types: stable snake_case names, Chinese titles, how to gather and lay out each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from models.base import SyncMixin
from services.core.errors import NotFound
from services.documents.layout import Builder
from services.documents.snapshot import Snapshot

if TYPE_CHECKING:  # common imports the procedures; the registry is read by the UI without them
    from services.documents.common import Gather
    from services.reference.numbering import Issuer

R = TypeVar("R", bound=SyncMixin)  # the record a document is issued for (a case, an inspection …)


@dataclass(frozen=True, slots=True)
class DocType(Generic[R]):
    """One kind of document.

    ``load(session, ref)`` finds the record by UUID or number; ``gather(ctx, record)`` builds the JSON
    snapshot of everything printed (refusing missing mandatory items); ``compose(builder, snapshot)`` lays
    it out. ``number_code`` names the numbering.codes entry when issuing allocates a number; ``None`` means
    the procedure step already numbered the record.
    """

    name: str
    title: str
    record_table: str
    load: Callable[[Session, str], R]
    gather: Callable[[Gather, R], Snapshot]
    compose: Callable[[Builder, Snapshot], list[Flowable]]
    number_code: str | None = None
    paged: bool = False  # 笔录: "第X页 共Y页" and a signature strip on every page (docs/legal-basis.md §6.1)
    sign_strip: str = ""  # who signs every page of a 笔录
    order: int = 100  # position in the case file (procedural order, docs/legal-basis.md §6.2)
    # Items the record has no column for, entered when issuing (name -> label); locked in the snapshot.
    inputs: tuple[tuple[str, str], ...] = ()
    # Who numbers it when not the squad (a mediation committee, under its own 代字): the record's issuer.
    issuer: Callable[[Session, R], Issuer] | None = None
    # How many pages the document usually runs to; the preview warns beyond it (a pasted text far too long).
    # 0 for a 笔录, which is as long as what was said.
    usual_pages: int = 2

    def length_warning(self, pages: int) -> str:
        """A warning for a preview of ``pages`` pages when that is beyond the usual length, else ''."""
        limit = 0 if self.paged else self.usual_pages
        if not limit or pages <= limit:
            return ""
        return (f"本文书预览共 {pages} 页，{self.title}通常不超过 {limit} 页：请检查是否有过长或重复的文字"
                "（如事实、理由粘贴了整份材料），确认无误再制发")


_TYPES: dict[str, DocType[Any]] = {}


def register(t: DocType[R]) -> DocType[R]:
    if t.name in _TYPES:
        raise RuntimeError(f"document type {t.name} registered twice")
    _TYPES[t.name] = t
    return t


def _load_all() -> None:
    # Imported here, not at module top: the type modules import this one to register themselves.
    from services.documents import (  # noqa: F401
        types_case,
        types_decision,
        types_execution,
        types_inspection,
        types_mediation,
        types_records,
        types_records_exec,
    )


def doc_types() -> list[DocType[Any]]:
    _load_all()
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.name))


def get_type(name: str) -> DocType[Any]:
    _load_all()
    t = _TYPES.get(name)
    if t is None:
        known = "、".join(sorted(_TYPES))
        raise NotFound(f"没有名为“{name}”的文书类型（可用：{known}）")
    return t
