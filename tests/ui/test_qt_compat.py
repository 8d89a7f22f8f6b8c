"""The PySide6 6.12.0 emit reference leak on True is neutralised, and ui/ never emits directly."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ui.qt_compat import emit

UI = Path(__file__).resolve().parents[2] / "ui"


class _Sender(QObject):
    value = Signal(object)
    bare = Signal()


def test_many_emits_leave_true_alone(qapp: object) -> None:
    s = _Sender()
    got: list[object] = []
    s.value.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(5000):
        emit(s.value, i)
        emit(s.bare)
    assert got[-1] == 4999 and len(got) == 5000
    assert abs(sys.getrefcount(True) - before) <= 2  # without the workaround: -10000 on 6.12.0


def test_ui_code_emits_only_through_the_wrapper() -> None:
    offenders = [f"{p.relative_to(UI.parent)}:{n}" for p in UI.rglob("*.py") if p.name != "qt_compat.py"
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\.emit\(", line)]
    assert offenders == []
