"""The district office's screens (区级): 汇总情况, 数据导入, 统计分析, 执法监督, 案卷评查, 年度报告.

MainWindow builds them instead of the township's 工作台 when the database is a district device
(``services.read.district_mode.is_district_database``); this package is imported only then.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from services.core.context import AppContext
from ui.task_runner import TaskRunner


def district_pages(ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> list[tuple[str, QWidget]]:
    """(navigation key, page) in the order a district clerk works: overview, intake, figures, checks, report.

    Every page has ``refresh()``; pages that open records have ``open_requested(record_type, uid)``; pages that
    change data have ``data_changed()``.
    """
    from ui.district.grid_page import GridPage
    from ui.district.intake_page import IntakePage
    from ui.district.report_page import ReportPage
    from ui.district.review_page import ReviewPage
    from ui.district.stats_page import StatsPage
    from ui.district.supervision_page import SupervisionPage

    pages: list[tuple[str, QWidget]] = [
        ("district_grid", GridPage(ctx, parent)), ("district_intake", IntakePage(ctx, parent)),
        ("district_stats", StatsPage(ctx, parent)), ("district_supervision", SupervisionPage(ctx, parent)),
        ("district_review", ReviewPage(ctx, parent)), ("district_report", ReportPage(ctx, parent)),
    ]
    for _key, page in pages:
        page.runner = runner  # type: ignore[attr-defined] - every page declares it
    return pages
