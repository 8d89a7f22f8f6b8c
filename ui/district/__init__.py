"""The district office's screens (区级): 汇总情况, 数据导入, 统计分析, 执法监督, 案卷评查, 年度报告.

MainWindow builds them instead of the township's 工作台 when the database is a district device
(``services.read.district_mode.is_district_database``); this package is imported only then.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from services.core.context import AppContext
from ui.data_events import DataEvents
from ui.operations import TaskRunner


def district_pages(ctx: AppContext, runner: TaskRunner, data_events: DataEvents,
                   parent: QWidget | None = None) -> list[tuple[str, QWidget]]:
    """(navigation key, page) in the order a district clerk works: overview, intake, figures, checks, report.

    Every page has ``refresh()`` and runs its slow work on ``runner``; pages that open records have
    ``open_requested(record_type, uid)``; pages that change data tell ``data_events``.
    """
    from ui.district.grid_page import GridPage
    from ui.district.intake_page import IntakePage
    from ui.district.report_page import ReportPage
    from ui.district.review_page import ReviewPage
    from ui.district.stats_page import StatsPage
    from ui.district.supervision_page import SupervisionPage

    return [
        ("district_grid", GridPage(ctx, runner=runner, data_events=data_events, parent=parent)),
        ("district_intake", IntakePage(ctx, runner=runner, data_events=data_events, parent=parent)),
        ("district_stats", StatsPage(ctx, runner=runner, parent=parent)),
        ("district_supervision", SupervisionPage(ctx, runner=runner, parent=parent)),
        ("district_review", ReviewPage(ctx, runner=runner, data_events=data_events, parent=parent)),
        ("district_report", ReportPage(ctx, runner=runner, parent=parent)),
    ]
