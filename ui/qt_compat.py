"""Emitting Qt signals from Python safely on every PySide6 we ship with.

WORKAROUND: PySide6 6.12.0 on Python 3.11 returns ``True`` from ``SignalInstance.emit()`` without taking a
reference, so every emit from Python lowers the refcount of ``True`` by one; after a few thousand emits the
interpreter aborts with "Fatal Python error: bool_dealloc" (reproduced here; 6.11.3 is not affected, and on
Python ≥ 3.12 ``True`` is immortal). Every Python-side emit in ui/ goes through :func:`emit`, which measures
once whether this PySide6 leaks and, if so, gives the reference back. A test keeps ``.emit(`` out of ui/.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None
_leaks: bool | None = None


class _Probe(QObject):
    fired = Signal()


def _emit_leaks_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()  # the probe itself: the one direct emit in ui/
    leaked = sys.getrefcount(True) < before
    if leaked:
        for _ in range(8):
            _incref(True)
    return leaked


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, without the PySide6 6.12.0 reference leak on ``True``."""
    global _leaks
    if _leaks is None:
        _leaks = _emit_leaks_true()
    signal.emit(*args)
    if _leaks:
        _incref(True)
