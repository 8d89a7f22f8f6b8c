"""Shared look-ups of the district services: the townships a district database holds, by name or uid."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org import Township
from models.system import LocalState
from services.core.errors import NotFound, ValidationError


@dataclass(frozen=True, slots=True)
class TownshipRef:
    id: int
    uid: str
    name: str


def own_township_uid(s: Session) -> str:
    """The database's own identity row (at the district: the district itself, which holds no records)."""
    return s.scalar(select(LocalState.value).where(LocalState.key == "township_uid")) or ""


def townships(s: Session, *, include_own: bool = False) -> list[TownshipRef]:
    """Every township whose records this database holds, in name order (pinyin-free: Unicode order is stable)."""
    own = own_township_uid(s)
    rows = list(s.execute(select(Township.id, Township.uid, Township.name).where(Township.deleted_at.is_(None))))
    # Sorted in Python, not ORDER BY: a PostgreSQL server's collation (zh-Hans: pinyin) would order the names
    # differently from SQLite's code-point order, and the tables and reports must not depend on the server.
    rows.sort(key=lambda r: (r[2], r[1]))
    return [TownshipRef(int(r[0]), r[1], r[2]) for r in rows if include_own or r[1] != own]


def resolve_township(s: Session, key: str) -> TownshipRef:
    """A township by exact name or uid; a name shared by two townships must be given as uid."""
    key = key.strip()
    if not key:
        raise ValidationError("乡镇名称不能为空", field="township")
    hits = [t for t in townships(s, include_own=True) if key in (t.name, t.uid)]
    if not hits:
        raise NotFound(f"区级数据库中没有乡镇“{key}”（先导入该乡镇的同步包或台账）")
    if len(hits) > 1:
        raise ValidationError(f"有 {len(hits)} 个乡镇都叫“{key}”：请改用乡镇的 UID 指定", field="township")
    return hits[0]
