"""The lists' names and titles, in navigation order, importable without SQLAlchemy.

services.read.queries defines each list (columns, filters, SQL) under these titles; the main window puts them in its
navigation before the ORM is loaded (ui/app.py shows the window while SQLAlchemy still loads).
"""

from __future__ import annotations

LIST_TITLES: dict[str, str] = {
    "inspections": "检查记录",
    "campaigns": "专项整治",
    "cases": "行政处罚案件",
    "mediations": "人民调解",
    "parties": "当事人",
    "officers": "执法人员",
    "catalogue": "权力事项清单",
    "documents": "已制发文书",
}
