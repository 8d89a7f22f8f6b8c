"""One change notification for the whole window: "the data changed; screens showing it, read it again".

The composition root makes one :class:`DataEvents` and passes it, in their constructors, to every screen,
view and dialog that writes (an import on 同步, a procedure step, a new record, a document issued, a setting or
holiday that recomputed deadlines, a district intake). The writer calls :meth:`DataEvents.notify` once its
write has committed; the main window listens and refreshes the lists it has built and the 工作台. No screen
knows which others are open.

``kinds`` names what changed: the lists whose rows may differ now (MainWindow's list names: ``"cases"``,
``"inspections"`` …), or data no list shows (``"deadlines"``: the 工作台's due dates; ``"figures"``,
``"reviews"``: the district's screens, which reload when next shown whatever the kind). An empty set means
anything may have changed (an import, a resolved conflict).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.qt_compat import emit

EVERYTHING: frozenset[str] = frozenset()


class DataEvents(QObject):
    """Signals: changed(kinds: frozenset[str]) after a write committed; empty ``kinds``: anything may have changed."""

    changed = Signal(object)

    def notify(self, *kinds: str) -> None:
        """Say that the lists ``kinds`` may show other rows now (none given: anything may have changed)."""
        emit(self.changed, frozenset(kinds))


def concerns(kinds: frozenset[str], name: str) -> bool:
    """Whether a change of ``kinds`` may alter what the list ``name`` shows."""
    return not kinds or name in kinds
