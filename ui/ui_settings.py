"""Every QSettings key the window uses, declared here and nowhere else (docs/architecture.md §6)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:  # imported when first used: the login dialog reads last_user before the ORM is loaded
    from services.read.queries import ListQuery


class UiSettings:
    def __init__(self, qs: QSettings | None = None) -> None:
        self._qs = qs or QSettings()

    def list_query(self, name: str) -> ListQuery | None:
        from services.read.queries import ListQuery

        raw = self._qs.value(f"lists/{name}", "", type=str)
        if not raw:
            return None
        try:
            data = json.loads(raw)
            for k in ("date_from", "date_to"):
                if data.get(k):
                    data[k] = date.fromisoformat(data[k])
            return ListQuery(**data)
        except (ValueError, TypeError):
            return None  # an old or damaged entry: start with the default filter

    def set_list_query(self, name: str, q: ListQuery) -> None:
        data = asdict(q)
        data.update(offset=0, limit=100)
        for k in ("date_from", "date_to"):
            data[k] = data[k].isoformat() if data[k] else None
        self._qs.setValue(f"lists/{name}", json.dumps(data, ensure_ascii=False))

    def geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    def last_user(self) -> str:
        return str(self._qs.value("login/last_user", "", type=str))

    def set_last_user(self, name: str) -> None:
        self._qs.setValue("login/last_user", name)
