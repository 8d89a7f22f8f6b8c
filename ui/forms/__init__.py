"""Record forms (new inspection, party, case, mediation …): dialogs that collect input and call services.

The creators below are what MainWindow's 新建 calls: each opens its form over the window and, when something was
saved, tells the change notification which lists may now show other rows.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QWidget

from services.core.context import AppContext
from ui.data_events import DataEvents
from ui.main_window import Creator


def _ctx(parent: QWidget) -> AppContext:
    ctx = getattr(parent, "ctx", None)
    if not isinstance(ctx, AppContext):
        raise TypeError("the parent of a record form must carry the AppContext as .ctx (MainWindow does)")
    return ctx


def _open_record(parent: QWidget, list_name: str, uid: str) -> None:
    """Show a record the form created elsewhere (MainWindow.open_record)."""
    opener: Callable[[str, str], None] | None = getattr(parent, "open_record", None)
    if opener is not None:
        opener(list_name, uid)


def create_party(parent: QWidget, data_events: DataEvents) -> str | None:
    from ui.forms.party_form import PartyDialog

    info = PartyDialog.ask(_ctx(parent), parent)
    if info is None:
        return None
    data_events.notify("parties")
    return info.uid


def create_campaign(parent: QWidget, data_events: DataEvents) -> str | None:
    from ui.forms.campaign_form import CampaignDialog

    dlg = CampaignDialog(_ctx(parent), parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    data_events.notify("campaigns")
    return dlg.result_value  # the campaign uid (CampaignDialog.save)


def create_inspection(parent: QWidget, data_events: DataEvents) -> str | None:
    """The inspection form; after a 立案 result it offers the clue form and opens the new case."""
    from ui.forms.inspection_form import InspectionDialog, offer_case

    ctx = _ctx(parent)
    dlg = InspectionDialog(ctx, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    # A campaign counts its inspections; the party may have been registered in the form.
    data_events.notify("inspections", "campaigns", "parties")
    case = offer_case(ctx, parent, dlg)
    if case is not None:
        data_events.notify("cases")
        _open_record(parent, "cases", case.uid)
    return dlg.result_value.uid


def create_case(parent: QWidget, data_events: DataEvents) -> str | None:
    from ui.forms.case_form import ClueDialog, SummaryDialog, ask_case_kind

    ctx = _ctx(parent)
    kind = ask_case_kind(parent)
    if kind is None:
        return None
    dlg = ClueDialog(ctx, parent) if kind == "clue" else SummaryDialog(ctx, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    data_events.notify("cases", "parties")
    return dlg.result_value.uid


def create_mediation(parent: QWidget, data_events: DataEvents) -> str | None:
    from ui.forms.mediation_form import MediationDialog

    dlg = MediationDialog(_ctx(parent), parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    data_events.notify("mediations", "parties")
    return dlg.result_value.uid


def create_officer(parent: QWidget, data_events: DataEvents) -> str | None:
    from ui.people.officer_form import OfficerDialog

    dlg = OfficerDialog(_ctx(parent), parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    data_events.notify("officers")  # the list, the pickers' next opening, the 工作台's first steps
    return dlg.result_value  # type: ignore[no-any-return] - the officer's uid (OfficerDialog.save)


def default_creators() -> dict[str, Creator]:
    """The forms behind each list's 新建 button (MainWindow ``creators``)."""
    return {
        "inspections": create_inspection, "campaigns": create_campaign, "cases": create_case,
        "mediations": create_mediation, "parties": create_party, "officers": create_officer,
    }
