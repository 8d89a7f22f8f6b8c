"""Record forms (new inspection, party, case, mediation …): dialogs that collect input and call services."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from services.core.context import AppContext
from ui.main_window import Creator


def _ctx(parent: QWidget) -> AppContext:
    ctx = getattr(parent, "ctx", None)
    if not isinstance(ctx, AppContext):
        raise TypeError("the parent of a record form must carry the AppContext as .ctx (MainWindow does)")
    return ctx


def _open_record(parent: QWidget, list_name: str, uid: str) -> None:
    """Show a record the form created elsewhere (MainWindow.open_record), refreshing its list first."""
    lists = getattr(parent, "lists", {})
    if list_name in lists and lists[list_name].model.total:
        lists[list_name].refresh()
    opener: Callable[[str, str], None] | None = getattr(parent, "open_record", None)
    if opener is not None:
        opener(list_name, uid)


def create_party(parent: QWidget) -> str | None:
    from ui.forms.party_form import PartyDialog

    info = PartyDialog.ask(_ctx(parent), parent)
    return info.uid if info else None


def create_campaign(parent: QWidget) -> str | None:
    from ui.forms.campaign_form import CampaignDialog

    dlg = CampaignDialog(_ctx(parent), parent)
    return dlg.result_value if dlg.exec() == QDialog.DialogCode.Accepted else None


def create_inspection(parent: QWidget) -> str | None:
    """The inspection form; after a 立案 result it offers the clue form and opens the new case."""
    from ui.forms.inspection_form import InspectionDialog, offer_case

    ctx = _ctx(parent)
    dlg = InspectionDialog(ctx, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    case = offer_case(ctx, parent, dlg)
    if case is not None:
        _open_record(parent, "cases", case.uid)
    return dlg.result_value.uid


def create_case(parent: QWidget) -> str | None:
    from ui.forms.case_form import ClueDialog, SummaryDialog, ask_case_kind

    ctx = _ctx(parent)
    kind = ask_case_kind(parent)
    if kind is None:
        return None
    dlg = ClueDialog(ctx, parent) if kind == "clue" else SummaryDialog(ctx, parent)
    return dlg.result_value.uid if dlg.exec() == QDialog.DialogCode.Accepted else None


def create_mediation(parent: QWidget) -> str | None:
    from ui.forms.mediation_form import MediationDialog

    dlg = MediationDialog(_ctx(parent), parent)
    return dlg.result_value.uid if dlg.exec() == QDialog.DialogCode.Accepted else None


def default_creators() -> dict[str, Creator]:
    """The forms behind each list's 新建 button (MainWindow ``creators``)."""
    return {
        "inspections": create_inspection, "campaigns": create_campaign, "cases": create_case,
        "mediations": create_mediation, "parties": create_party,
    }


def default_pages(ctx: AppContext) -> dict[str, QWidget]:
    """Extra screens for MainWindow ``extra_pages``: 同步 and 设置, each built when first shown (ui/pages.py)."""
    from ui.pages import lazy_pages

    return lazy_pages(lambda: ctx)
