"""The district office (区级): aggregate the townships, close periods, supervise, review case files, report.

Qt-free use cases over a district database (SQLite, or PostgreSQL through the same SQLAlchemy code). The
district screens and ``cli/district.py`` call only the functions re-exported here; docs/district-report.md describes
the figures, the rounding rules of the report and what works on PostgreSQL.
"""

from __future__ import annotations

from services.district.closing import (
    AmendmentInfo,
    CloseInfo,
    close_period,
    list_amendments,
    list_closes,
    record_amendments,
    reopen_period,
    set_amendment_reason,
)
from services.district.completeness import CompletenessGrid, completeness_grid
from services.district.intake import IntakeReport, import_folder
from services.district.ledger_import import LedgerReport, LedgerUnusable, import_ledger
from services.district.ledger_spec import write_template
from services.district.report import ReportData, build_report
from services.district.report_render import write_report
from services.district.review import (
    ReviewFigures,
    ReviewInfo,
    add_problem,
    draw_sample,
    get_review,
    rectify_problem,
    review_figures,
)
from services.district.stats import DistrictStats, MonthlyStats, district_stats, drill_down, monthly_stats
from services.district.supervision import KINDS as SUPERVISION_KINDS
from services.district.supervision import SupervisionRow, supervise
from services.district.transfer import copy_database
from services.statistics.indicators import Period

__all__ = [
    "SUPERVISION_KINDS", "AmendmentInfo", "CloseInfo", "CompletenessGrid", "DistrictStats", "IntakeReport",
    "LedgerReport", "LedgerUnusable", "MonthlyStats", "Period", "ReportData", "ReviewFigures", "ReviewInfo",
    "SupervisionRow", "add_problem", "build_report", "close_period", "completeness_grid", "copy_database",
    "district_stats", "draw_sample", "drill_down", "get_review", "import_folder", "import_ledger",
    "list_amendments", "list_closes", "monthly_stats", "record_amendments", "rectify_problem", "reopen_period",
    "review_figures", "set_amendment_reason", "supervise", "write_report", "write_template",
]
