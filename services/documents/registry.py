"""The registry of document types: stable snake_case names, Chinese titles, how to gather and lay out each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy.orm import Session

from services.core.errors import NotFound
from services.documents.layout import Builder

Snapshot = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DocType:
    """One kind of document.

    ``gather(ctx, record)`` builds the JSON snapshot of everything printed (refusing missing mandatory
    items); ``compose(builder, snapshot)`` lays it out. ``number_code`` names the numbering.codes entry
    when issuing allocates a number; ``None`` means the procedure step already numbered the record.
    """

    name: str
    title: str
    record_table: str
    load: Callable[[Session, str], Any]
    gather: Callable[[Any, Any], Snapshot]
    compose: Callable[[Builder, Snapshot], list[Flowable]]
    number_code: str | None = None
    paged: bool = False  # 笔录: "第X页 共Y页" and a signature strip on every page (docs/legal-basis.md §6.1)
    sign_strip: str = ""  # who signs every page of a 笔录
    order: int = 100  # position in the case file (procedural order, docs/legal-basis.md §6.2)
    # Items the record has no column for, entered when issuing (name -> label); locked in the snapshot.
    inputs: tuple[tuple[str, str], ...] = ()


_TYPES: dict[str, DocType] = {}


def register(t: DocType) -> DocType:
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
    )


def doc_types() -> list[DocType]:
    _load_all()
    return sorted(_TYPES.values(), key=lambda t: (t.order, t.name))


def get_type(name: str) -> DocType:
    _load_all()
    t = _TYPES.get(name)
    if t is None:
        known = "、".join(sorted(_TYPES))
        raise NotFound(f"没有名为“{name}”的文书类型（可用：{known}）")
    return t
