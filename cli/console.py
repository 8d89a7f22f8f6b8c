"""The program without a console (EnforceDesk.exe, built with ``console=False``; ``pythonw``): what it would have
printed is shown in a message box, so nothing it says goes only to a stderr nobody sees (issue 13 point 9).

A console-less Windows program starts with ``sys.stdout`` and ``sys.stderr`` set to None: ``print`` then writes
nothing and argparse's usage errors vanish. :func:`console_or_message_box` gives them buffers for the run and
shows what was written when the run ends: a usage error, a refusal (``错误：…``), ``--self-test``'s result.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def has_console() -> bool:
    return sys.stdout is not None and sys.stderr is not None


def show_in_message_box(text: str, error: bool) -> None:
    """A modal box with the text (Qt's own, in Chinese); the program has no other way to say it."""
    from ui.app import show_text_box

    show_text_box(text, error=error)


@contextmanager
def console_or_message_box(show: Callable[[str, bool], None] | None = None) -> Iterator[None]:
    """Run the block; without a console, what it printed is shown in one message box at its end."""
    if has_console():
        yield
        return
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = saved[0] or out, saved[1] or err
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        text = "\n".join(t.strip() for t in (out.getvalue(), err.getvalue()) if t.strip())
        if text:
            (show or show_in_message_box)(text, bool(err.getvalue().strip()))
