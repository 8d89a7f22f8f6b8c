"""Calling Qt from Python safely on every PySide6 we ship with: signal emits and calls that return nothing.

WORKAROUND: PySide6 6.12.0 on Python 3.11 returns ``True`` from ``SignalInstance.emit()`` without taking a
reference, so every emit from Python lowers the refcount of ``True`` by one; after a few thousand emits the
interpreter aborts with "Fatal Python error: bool_dealloc" (reproduced here; 6.11.3 is not affected, and on
Python ≥ 3.12 ``True`` is immortal). Every Python-side emit in ui/ goes through :func:`emit`, which measures
once whether this PySide6 leaks and, if so, gives the reference back. A test keeps ``.emit(`` out of ui/.

WORKAROUND: the same PySide6 also lowers the refcount of ``None`` by one on **every** call of a Qt method that
returns nothing (``setText``, ``show``, ``processEvents`` …): about 5,000 such calls after start the interpreter
aborts with "Fatal Python error: none_dealloc" — no crash dialog, whatever the user was typing lost. Python
3.12 made ``None`` immortal; :func:`guard_none` does the same here once at start-up, when a probe shows this
PySide6 leaks (ui/app.py, the self-test window, the screenshot tool and the tests call it).
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


# Python 3.12 marks immortal objects with a refcount this large; here it only has to outlast any session.
_IMMORTAL = 1 << 50
_none_guarded = False


def _void_call_leaks_none() -> bool:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


def guard_none() -> bool:
    """Make ``None`` immortal if this PySide6 leaks a reference to it on every void call; True if it did.

    ``ob_refcnt`` is the first field of every CPython object; raising it is what Python 3.12 does for its
    immortal objects. Done under the GIL, once; idempotent.
    """
    global _none_guarded
    if _none_guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _none_guarded
    if _void_call_leaks_none():
        ctypes.c_ssize_t.from_address(id(None)).value += _IMMORTAL
        _none_guarded = True
    return _none_guarded


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, without the PySide6 6.12.0 reference leak on ``True``."""
    global _leaks
    if _leaks is None:
        _leaks = _emit_leaks_true()
    signal.emit(*args)
    if _leaks:
        _incref(True)
