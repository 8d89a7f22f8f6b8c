"""The district screens for ``python main.py --screenshots DIR``: one PNG per screen, named ``district_*.png``.

With a district database given (``--db``) the screens are rendered as they are, read-only. Without one, a demo
district is built in a scratch folder (tools.demo.district: three demo townships exported and encrypted for
real) and the clerk's sitting is replayed through the screens themselves: import the folder of bundles, import
an Excel ledger with mistakes, then the figures, supervision, review and report.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from models.enums import RecordKind, Role
from services.core.context import AppContext
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people.accounts import UserInfo, sign_in
from tools.demo.district import (
    DEMO_PASSWORD,
    DemoDistrict,
    build_demo_district,
    demo_district_clock,
    finish_demo_district,
    write_demo_ledger,
)
from ui.compose import main_window
from ui.operations import SyncRunner
from ui.ui_settings import UiSettings

SIZE = (1366, 740)  # the old office PC: 1366×768 minus the taskbar


def _save(widget: QWidget, out: Path, name: str, written: list[Path]) -> None:
    QApplication.processEvents()
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    written.append(path)


def render_demo_district(out: Path) -> list[Path]:
    """Build the demo district in a scratch folder and render its screens, importing through the screens."""
    with tempfile.TemporaryDirectory(prefix="enforcedesk-district-") as tmp:
        demo = build_demo_district(Path(tmp), import_bundles=False)
        db = Database.open(demo.path)
        try:
            key = sign_in(UnitOfWork(db, actor="screenshots"), "admin", DEMO_PASSWORD).data_key
            ctx = AppContext(db, demo_district_clock(),
                             UserInfo("screenshots", "admin", "管理员", Role.DISTRICT_ADMIN, None), data_key=key)
            return render_district(ctx, out, demo=demo)
        finally:
            db.dispose()


def render_district(ctx: AppContext, out: Path, *, demo: DemoDistrict | None = None) -> list[Path]:
    """Render the district screens of ``ctx``'s database; with ``demo``, first import its bundles and a ledger."""
    from ui.district.grid_page import GridPage
    from ui.district.intake_page import IntakePage
    from ui.district.report_page import ReportPage
    from ui.district.review_dialogs import ProblemDialog
    from ui.district.review_page import ReviewPage
    from ui.district.stats_page import StatsPage
    from ui.district.supervision_page import SupervisionPage

    out.mkdir(parents=True, exist_ok=True)
    if ctx.user is None:
        ctx.user = UserInfo("screenshots", "admin", "管理员", Role.DISTRICT_ADMIN, None)
    written: list[Path] = []
    ini = Path(tempfile.gettempdir()) / f"enforcedesk-screenshots-district-{os.getpid()}.ini"  # not in ``out``
    window = main_window(ctx, runner=SyncRunner(), ui_settings=UiSettings(QSettings(str(ini), QSettings.Format.IniFormat)),
                         db_label=str(ctx.db.path or ""))
    window.resize(*SIZE)
    window.show()
    pages = window.district_pages
    grid, intake, stats = pages["district_grid"], pages["district_intake"], pages["district_stats"]
    supervision, review, report = pages["district_supervision"], pages["district_review"], pages["district_report"]
    assert isinstance(grid, GridPage) and isinstance(intake, IntakePage) and isinstance(stats, StatsPage)
    assert isinstance(supervision, SupervisionPage) and isinstance(review, ReviewPage)
    assert isinstance(report, ReportPage)
    today = ctx.clock.today()

    def show(key: str) -> None:
        window.show_page(key)
        window.refresh_current()  # the demo changed data behind the window's back: reload, as F5 does

    if demo is not None:
        show("district_intake")
        intake.import_bundles(demo.bundles, trust_new=True)
        ledger = write_demo_ledger(demo.path.parent / "金山镇巡查检查台账.xlsx")
        intake.township.setEditText("金山镇")  # a township still on paper: the ledger creates it
        intake.confirm_new_township = lambda _name: True  # type: ignore[method-assign]
        intake.import_ledger_file(ledger)
        _save(window, out, "district_02_intake", written)
        finish_demo_district(demo.path)  # closes and a review, as the clerk did earlier in the year
        # September is closed now; 金山镇 sends two more September rows: they arrive as amendments.
        late = write_demo_ledger(demo.path.parent / "金山镇补报.xlsx", good=2, with_mistakes=False,
                                 first_day=date(today.year, 9, 8), numbers_from=201)
        intake.import_ledger_file(late)
    else:
        show("district_intake")
        _save(window, out, "district_02_intake", written)

    show("district_grid")
    gaps = next((i for i, r in enumerate(grid.model.rows) if any(d.missing for d in r.devices)), 0)
    grid.table.selectRow(gaps)
    _save(window, out, "district_01_grid", written)
    grid.period.setCurrentIndex(grid.period.findData(9))
    grid.tabs.setCurrentIndex(2)
    _save(window, out, "district_01b_grid_amendments", written)

    show("district_stats")
    stats.select_indicator("cases_filed")
    _save(window, out, "district_03_stats", written)
    stats.select_township(stats.township_rows()[0].name)
    stats.tabs.setCurrentIndex(1)
    _save(window, out, "district_04_stats_monthly", written)
    stats.drill_selected()
    _save(window, out, "district_05_stats_drill", written)
    case = next((d for d in stats.drilled if d.table == RecordKind.PENALTY_CASE), None)
    stats.year.setValue(today.year - 1)  # a closed year: the figures as closed next to the live ones
    stats.select_indicator("officer_turnouts")
    stats.tabs.setCurrentIndex(0)
    _save(window, out, "district_06_stats_closed_year", written)
    if case is not None:
        window.open_record("cases", case.uid)
        _save(window, out, "district_07_case_read_only", written)
        window.back()

    show("district_supervision")
    _save(window, out, "district_08_supervision", written)

    show("district_review")
    if demo is not None:
        # The clerk draws a second sample through the screen: every closed file of one township, pre-checked.
        review.year.setValue(today.year - 1)
        review.size.setValue(30)
        review.seed.setValue(7)
        if len(grid.model.rows) > 1:
            review.township.setCurrentIndex(max(review.township.findData(grid.model.rows[1].township), 0))
        review.draw_button.click()
    files = review.files_model.rows
    flagged = next((i for i, f in enumerate(files) if any(p.source == "auto" for p in f.problems)), None)
    if files:
        review.files.selectRow(flagged if flagged is not None else (1 if len(files) > 1 else 0))
    _save(window, out, "district_09_review", written)
    review.tabs.setCurrentIndex(1)
    _save(window, out, "district_10_review_sheet", written)
    if files:
        dlg = ProblemDialog(window, item="C02", case_label=f"{files[0].township} {files[0].case_number}")
        dlg.description.setPlainText("询问笔录未由当事人逐页签名确认")
        dlg.show()
        _save(dlg, out, "district_11_review_problem_dialog", written)
        dlg.close()

    show("district_report")
    report.year.setValue(today.year - 1)
    _save(window, out, "district_12_report", written)
    window.close()
    ini.unlink(missing_ok=True)
    return written
