"""Render every main screen offscreen to PNG files (python main.py --screenshots DIR [--db PATH] [--lang CODE]).

The screens are rendered in the interface language (``language``, else ENFORCEDESK_LANG, else Chinese), so the
English screenshots show what an English user sees; the language in effect before is put back afterwards.

A township database gives the township screens and, unless ``district_demo`` is off, the district screens of a
demo district built on the side (tools/screenshots/district.py); a district database gives its district screens.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from models.enums import RecordKind, Role
from services.core.context import AppContext
from services.people.accounts import UserInfo
from services.read import queries
from services.read.district_mode import is_district_database
from services.read.queries import ListQuery
from ui.app import register_bundled_fonts
from ui.compose import main_window
from ui.i18n import install_translations, requested_language
from ui.login import FirstRunDialog, LoginDialog
from ui.main_window import MainWindow
from ui.operations import SyncRunner
from ui.qt_compat import guard_none
from ui.ui_settings import UiSettings

SIZE = (1366, 740)  # the old office PC: 1366×768 minus the taskbar
PEOPLE_PAGES = ("committees", "accounts")  # rendered by _render_people, under names of their own


def _settle(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, out: Path, name: str, written: list[Path]) -> None:
    QApplication.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    written.append(path)


def render_all(ctx: AppContext, out: Path, *, district_demo: bool = True, language: str | None = None) -> list[Path]:
    """Render the screens of ``ctx``'s database in ``language`` (default: ENFORCEDESK_LANG, else Chinese).

    Returns the PNG paths written.
    """
    guard_none()  # PySide6 6.12 leaks None on void calls (ui/qt_compat.py)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # Widgets take their texts when they are built, so the translators go in before any screen is made.
    install_translations(app, language or requested_language())
    try:
        return _render_all(ctx, out, district_demo=district_demo)
    finally:
        install_translations(app)  # back to the language the environment asks for


def _render_all(ctx: AppContext, out: Path, *, district_demo: bool) -> list[Path]:
    register_bundled_fonts()
    out.mkdir(parents=True, exist_ok=True)
    if is_district_database(ctx.reader()):
        from tools.screenshots.district import render_district

        return render_district(ctx, out)
    written: list[Path] = []
    first = FirstRunDialog(ctx)
    first.township.setText("竹根镇")
    first.district.setText("乐山市五通桥区")
    first.squad.setText("竹根镇综合行政执法中队")
    first.resize(520, 420)
    first.show()
    _save(first, out, "01_first_run", written)
    first.close()
    login = LoginDialog(ctx, last_user="admin")
    login.resize(360, 160)
    login.show()
    _save(login, out, "02_login", written)
    login.close()
    if ctx.user is None:
        ctx.user = UserInfo("screenshots", "admin", "管理员", Role.SQUAD_LEADER, None)
    # The window's own settings (geometry, list filters) go to a scratch file, never into the output folder.
    ini = Path(tempfile.gettempdir()) / f"enforcedesk-screenshots-{os.getpid()}.ini"
    settings = UiSettings(QSettings(str(ini), QSettings.Format.IniFormat))
    window = main_window(ctx, runner=SyncRunner(), ui_settings=settings, db_label=str(ctx.db.path or ""))
    window.resize(*SIZE)
    window.show()
    _save(window, out, "03_home", written)
    for i, key in enumerate(window.lists, start=4):
        window.show_page(key)
        _save(window, out, f"{i:02d}_list_{key}", written)
    n = 4 + len(window.lists)
    # A filtered list: what a user sees after typing in the search box and picking a status.
    window.show_page("cases")
    page = window.lists["cases"]
    page.search.setText("烧烤")
    page.apply_filters()
    _save(window, out, f"{n:02d}_list_cases_filtered", written)
    page.search.setText("")
    page.apply_filters()
    n += 1
    for status in ("hearing", "executing", "archived", "summary_decided"):
        rows = queries.list_page(ctx.reader(), "cases", ListQuery(status=status, limit=1)).rows
        if rows:
            window.open_record("cases", rows[0][0])
            _save(window, out, f"{n:02d}_case_{status}", written)
            n += 1
    rows = queries.list_page(ctx.reader(), "cases", ListQuery(status="executing", limit=1)).rows
    if rows:
        from ui.documents.document_dialog import DocumentDialog

        dlg = DocumentDialog(ctx, RecordKind.PENALTY_CASE, rows[0][0], runner=window.runner, data_events=window.data_events,
                             parent=window)
        dlg.select("penalty_decision")
        dlg.resize(*SIZE)
        dlg.show()
        _settle(1500)  # QPdfView renders pages on a worker thread
        _save(dlg, out, f"{n:02d}_documents_penalty_decision", written)
        dlg.close()
        n += 1
    for status in ("mediating", "succeeded", "confirmed"):
        rows = queries.list_page(ctx.reader(), "mediations", ListQuery(status=status, limit=1)).rows
        if rows:
            window.open_record("mediations", rows[0][0])
            _save(window, out, f"{n:02d}_mediation_{status}", written)
            n += 1
    for key in window.pages:
        if key not in window.lists and key not in ("home", *PEOPLE_PAGES):
            window.show_page(key)
            if hasattr(window.pages[key], "show_plan"):
                window.pages[key].show_plan()  # the 同步 screen as a clerk sees it before exporting
            _save(window, out, f"{n:02d}_{key}", written)
            n += 1
    n = _render_forms(ctx, window, out, n, written)
    _render_people(ctx, window, out, written)
    window.close()
    del settings, window  # QSettings writes on destruction: gone before the file is removed
    ini.unlink(missing_ok=True)
    if district_demo:
        from tools.screenshots.district import render_demo_district

        written += render_demo_district(out)
    return written


def _render_forms(ctx: AppContext, window: MainWindow, out: Path, n: int, written: list[Path]) -> int:
    """The record forms as they open from 新建 (empty, with their pick-lists filled)."""
    from ui.forms.case_form import ClueDialog, SummaryDialog
    from ui.forms.inspection_form import InspectionDialog
    from ui.forms.mediation_form import MediationDialog
    from ui.forms.party_form import PartyDialog

    for name, make in (("form_inspection", InspectionDialog), ("form_party", PartyDialog),
                       ("form_clue", ClueDialog), ("form_summary_penalty", SummaryDialog),
                       ("form_mediation", MediationDialog)):
        dlg = make(ctx, window)
        dlg.show()
        _save(dlg, out, f"{n:02d}_{name}", written)
        dlg.close()
        n += 1
    return n


def _render_people(ctx: AppContext, window: MainWindow, out: Path, written: list[Path]) -> None:
    """The people screens (people_NN_*.png): a new squad's first steps on an empty 工作台, the officer form, the
    accounts with their dialogs, the committees with theirs, and the 使用说明."""
    from services.core.db import Database
    from services.core.uow import UnitOfWork
    from services.people.committees import list_committees
    from services.people.registry import list_officers
    from services.reference.setup import initialise
    from ui.help_dialog import GuideDialog
    from ui.password_dialog import ChangePasswordDialog
    from ui.people.accounts_page import OpenAccountDialog, ShownOnceDialog
    from ui.people.committees_page import CommitteeDialog, MediatorDialog
    from ui.people.officer_form import OfficerDialog

    with tempfile.TemporaryDirectory() as tmp:  # a township just set up: nothing registered yet
        fresh = Database.open(Path(tmp) / "new.sqlite3")
        try:
            initialise(fresh, UnitOfWork(fresh, actor="screenshots"), township="竹根镇", squad="竹根镇综合行政执法中队",
                       district="乐山市五通桥区", admin_password="screenshots1")
            new_ctx = AppContext(fresh, ctx.clock, UserInfo("screenshots", "admin", "管理员", Role.SQUAD_LEADER, None))
            ini = Path(tmp) / "ui.ini"
            settings = UiSettings(QSettings(str(ini), QSettings.Format.IniFormat))
            empty = main_window(new_ctx, runner=SyncRunner(), ui_settings=settings, db_label=str(fresh.path or ""))
            empty.resize(*SIZE)
            empty.show()
            _save(empty, out, "people_01_first_steps", written)
            empty.close()
            del settings, empty
        finally:
            fresh.dispose()

    def dialog(name: str, dlg: QWidget) -> None:
        dlg.show()
        _save(dlg, out, name, written)
        dlg.close()

    dialog("people_02_officer_new", OfficerDialog(ctx, window))
    lapsed = next((o for o in list_officers(ctx.reader()) if o.status.alert), None)
    if lapsed is not None:
        dialog("people_03_officer_expired", OfficerDialog(ctx, window, uid=lapsed.uid))
    window.show_page("accounts")
    _save(window, out, "people_04_accounts", written)
    dialog("people_05_open_account", OpenAccountDialog(ctx, window))
    dialog("people_06_password_shown_once", ShownOnceDialog("zhangjg", "Kd7mPq3xTz9R", window))
    dialog("people_07_first_login_new_password",
           ChangePasswordDialog(lambda _old, _new: UserInfo("", "", "", Role.OFFICER, None), old_password="",
                                forced=True, parent=window))
    window.show_page("committees")
    _save(window, out, "people_08_committees", written)
    dialog("people_09_committee_form", CommitteeDialog(ctx, window))
    committees = list_committees(ctx.reader())
    if committees:
        dialog("people_10_mediator_form", MediatorDialog(ctx, committees[0], window))
    guide = GuideDialog(window)
    guide.resize(900, SIZE[1] - 60)
    dialog("people_11_guide", guide)
