"""Record forms (new inspection, party, case, mediation …): dialogs that collect input and call services."""

from __future__ import annotations

from ui.main_window import Creator


def default_creators() -> dict[str, Creator]:
    """The forms behind each list's 新建 button (filled in as the forms are written)."""
    return {}


def default_pages(ctx: object) -> dict[str, object]:
    """Extra navigation pages (settings …) built for a context."""
    return {}
