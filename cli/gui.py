"""The desktop program and what renders it without a user: the start-up's loading, ``--screenshots`` and the
self-test's window step (issue 7: the Qt-free steps are services/maintenance/selftest.py). The window itself is
built by ui/compose.py."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cli.output import EXIT_OK

if TYPE_CHECKING:
    from services.maintenance.selftest import Scratch
    from ui.app import GuiParts

# What the desktop program loads while the login dialog is up, in steps of about 0.05–0.15 s (the order they
# import each other in): the loading can pause between two steps while the main window is built and painted.
_PRELOAD = ("asyncio", "sqlalchemy.util", "sqlalchemy.sql", "sqlalchemy.engine", "sqlalchemy.orm", "models.org",
            "models.case", "services.core.uow", "services.core.context", "ui.cases.case_view", "ui.forms")


def gui_loader(db_path: Path, read_only: str = "") -> Callable[[Callable[[], None]], GuiParts]:
    """What the desktop program loads on a background thread while the login dialog is up (ui/app.py).

    ``read_only``: the reason the user chose to open the file read-only (writes refused, no daily backup).
    """
    from ui.app import GuiParts

    def load(checkpoint: Callable[[], None]) -> GuiParts:  # on a background thread: no widgets here
        import importlib

        for module in _PRELOAD:  # the loading may pause between two of these (ui/app.py Background)
            checkpoint()
            importlib.import_module(module)
        checkpoint()
        from services.core.context import AppContext
        from services.core.db import Database

        db = Database.open(db_path, read_only=read_only)  # migrates (after a backup copy) when the program is newer
        ctx = AppContext(db)

        def daily_backup() -> None:  # after the window is shown: a 300 MB township copy takes seconds
            from services.core.db import daily_backup as backup
            from services.reference.settings import Settings

            with db.read_factory() as session:
                keep = Settings(session).int("backup.keep_daily")
            backup(db_path, db_path.parent / "backups", keep=keep)
            from services.sync.ceremony import tidy_leftover_bundles

            tidy_leftover_bundles(db)  # a killed export's temp bundle, in the folders exports went to

        return GuiParts(ctx, housekeeping=None if read_only else daily_backup, db_label=str(db_path))

    return load


def run_gui(db_path: Path, *, named: bool = False, bundle: Path | None = None) -> int:
    """The desktop program: the login dialog first, while the rest loads (ui/app.py).

    ``named``: the file was given with ``--db``; if it does not exist the user is asked before it is created.
    ``bundle``: a sync bundle opened from outside; the window opens on its import preview.
    """
    from ui.app import run_gui as _run_gui
    from ui.pages import lazy_pages

    return _run_gui(db_path, gui_loader(db_path), pages=lazy_pages, loader=gui_loader, ask_before_creating=named,
                    open_bundle=bundle)


def cmd_screenshots(args: argparse.Namespace) -> int:
    """``--screenshots DIR [--db PATH] [--lang CODE]``: every main screen as a PNG (without ``--db``: the demo)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cli.database import open_database
    from services.core.context import AppContext
    from tools.demo.small import demo_clock, generate_demo_file
    from tools.screenshots.township import render_all

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "demo.sqlite3"
            generate_demo_file(path, scale="small")
        with open_database(path) as db:
            # The demo's own "today", so deadlines and day counts look as they would on that day.
            ctx = AppContext(db, demo_clock()) if args.db is None else AppContext(db)
            if args.db is None:  # the demo's administrator unlocks it, as its login would (docs/encryption.md)
                from services.core.uow import UnitOfWork
                from services.people.accounts import sign_in
                from tools.demo.small import DEMO_PASSWORD

                ctx.data_key = sign_in(UnitOfWork(db, actor="screenshots"), "admin", DEMO_PASSWORD).data_key
            # The demo district is built on the side only for the docs' demo run, not for a user's township file.
            written = render_all(ctx, args.screenshots, district_demo=args.db is None, language=args.lang)
    for p in written:
        print(p)
    return EXIT_OK


def self_test_window(scratch: Scratch) -> str:
    """Build the real main window on the self-test's database, show it, preview its PDF with QtPdf, close it."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtWidgets import QApplication

    from services.core.context import AppContext
    from services.maintenance.selftest import check
    from services.people.accounts import sign_in
    from ui.app import register_bundled_fonts
    from ui.compose import main_window
    from ui.documents.document_dialog import pdf_document
    from ui.ui_settings import UiSettings

    existing = QApplication.instance()
    from ui.qt_compat import guard_none

    guard_none()  # PySide6 6.12 leaks None on void calls (ui/qt_compat.py)
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    check(register_bundled_fonts(), "界面未能载入随附字体")
    ctx = AppContext(scratch.database(), scratch.clock)
    signed = sign_in(ctx.uow(), scratch.admin_username, scratch.admin_password)
    ctx.user, ctx.data_key = signed.user, signed.data_key
    settings = UiSettings(QSettings(str(scratch.folder / "ui.ini"), QSettings.Format.IniFormat))
    window = main_window(ctx, ui_settings=settings, db_label=str(scratch.db_path))
    try:
        window.show()
        app.processEvents()
        check(window.isVisible(), "主窗口未能显示")
        for page in window.pages.values():  # 同步/设置 are built on first navigation (LazyPage): build them now
            getattr(page, "ensure_built", lambda: None)()
        pages = 0
        if scratch.pdf:
            doc, _buffer = pdf_document(scratch.pdf, window)
            pages = doc.pageCount()
            check(pages >= 1, f"QtPdf 未能打开出具的文书（状态 {doc.status()}）")
            check(not doc.render(0, QSize(210, 297)).isNull(), "QtPdf 未能渲染文书第一页")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"{app.platformName()} 平台，文书预览 {pages} 页"


def self_test() -> int:
    """``--self-test``: every step in a scratch folder; 0 if all pass, 1 after naming the step that failed."""
    from services.maintenance.selftest import Step, default_steps, run_self_test

    return run_self_test([*default_steps(), Step("主窗口", self_test_window)])
