"""The main window: a placeholder shell showing the open database and a summary table until the UI issue."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.app_info import APP_TITLE, VERSION
from services.errors import AppError

SummaryProvider = Callable[[], list[tuple[str, str]]]
"""Returns (label, value) pairs already formatted for display, e.g. ("检查记录", "1,234")."""


class MainWindow(QMainWindow):
    """Application shell. It never touches the database: rows come from the injected ``summary_provider``.

    Attributes:
        summary_table: two columns (项目, 数值), one row per summary pair.
        db_label: the label showing where the database lives.
    """

    def __init__(
        self, db_label: str, summary_provider: SummaryProvider, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._summary_provider = summary_provider
        # Product name and version come from services.app_info, the single source build.spec also reads.
        self.setWindowTitle(f"{APP_TITLE} {VERSION}")
        self.resize(720, 480)

        self.db_label = QLabel(self.tr("数据库：{path}").format(path=db_label))
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.db_label.setObjectName("dbLabel")

        self.summary_table = QTableWidget(0, 2)
        self.summary_table.setObjectName("summaryTable")
        self.summary_table.setHorizontalHeaderLabels([self.tr("项目"), self.tr("数值")])
        self.summary_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary_table.verticalHeader().setVisible(False)
        self.summary_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(self.db_label)
        layout.addWidget(self.summary_table)
        self.setCentralWidget(central)

        self._build_menus()
        self.refresh()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        # Explicit Ctrl+Q: QKeySequence.StandardKey.Quit is empty on Windows, where most users are.
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        help_menu.addAction(self.about_action)

    def refresh(self) -> None:
        """Ask the provider for the summary again; an AppError is shown in the status bar, not raised."""
        try:
            rows = self._summary_provider()
        except AppError as exc:
            self.summary_table.setRowCount(0)
            self.statusBar().showMessage(exc.message)
            return
        self.summary_table.setRowCount(len(rows))
        for i, (label, value) in enumerate(rows):
            self.summary_table.setItem(i, 0, QTableWidgetItem(label))
            value_item = QTableWidgetItem(value)
            value_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.summary_table.setItem(i, 1, value_item)
        self.statusBar().clearMessage()

    def _on_about_action_triggered(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于"),
            self.tr("{title}\n版本 {version}").format(title=APP_TITLE, version=VERSION),
        )
