"""The start-up's look at the database file, and the ways on when it cannot be used as it is.

Before the login dialog, :func:`choose_database` checks the file (services.core.storage.check_file: sqlite3 only,
no ORM) and, when something stands in the way — not a database, damaged, read-only media, another program holding
it, a full disk, a file that is not there — says so in Chinese and offers what can be done: 重试, 只读打开 (writes
are then refused, and a banner in the window says why), 选择其他文件…, 退出. A ``--db`` path that does not exist
is created only after the user agrees: a typo must not silently make a second township with its own identity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.core.storage import StorageError, check_file
from ui.widgets.banner import window_banner


def _tr(text: str) -> str:
    return QCoreApplication.translate("StorageProblemDialog", text)


@dataclass(frozen=True)
class Opening:
    """The database the program opens, and why it is read-only ("" when it can be written)."""

    path: Path
    read_only: str = ""


class StorageProblemDialog(QDialog):
    """What stands in the way of opening the database, and the ways on; ``choice`` is the button pressed."""

    RETRY, READ_ONLY, OTHER, QUIT, CREATE = "retry", "read_only", "other", "quit", "create"

    def __init__(self, message: str, *, read_only: bool = False, retry: bool = True, create: bool = False,
                 title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = self.QUIT
        self.setWindowTitle(title or self.tr("无法打开数据库"))
        self.setMinimumWidth(480)
        self.message = QLabel(message, self)
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.addStretch(1)
        for key, text, shown in ((self.CREATE, self.tr("新建数据库"), create),
                                 (self.RETRY, self.tr("重试"), retry),
                                 (self.READ_ONLY, self.tr("只读打开"), read_only),
                                 (self.OTHER, self.tr("选择其他文件…"), True),
                                 (self.QUIT, self.tr("退出"), True)):
            if not shown:
                continue
            button = QPushButton(text, self)
            button.clicked.connect(lambda _=False, k=key: self._choose(k))
            self.buttons[key] = button
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addLayout(row)

    def _choose(self, key: str) -> None:
        self.choice = key
        if key == self.QUIT:
            self.reject()
        else:
            self.accept()


def ask(message: str, read_only: bool, retry: bool, create: bool) -> str:
    """The dialog for one problem (offering 只读打开, 重试, 新建数据库 as given); the key of the button pressed."""
    title = _tr("新建数据库") if create else ""
    dialog = StorageProblemDialog(message, read_only=read_only, retry=retry, create=create, title=title)
    dialog.exec()
    return dialog.choice


def pick_file(current: Path) -> Path | None:
    """Another database file, picked in Qt's file dialog; None when the user cancels."""
    chosen, _filter = QFileDialog.getOpenFileName(
        None, _tr("选择数据库文件"), str(current.parent),
        _tr("EnforceDesk 数据库 (*.sqlite3 *.db);;所有文件 (*)"))
    return Path(chosen) if chosen else None


def choose_database(path: Path, *, ask_before_creating: bool) -> Opening | None:
    """The database to open, after the user has chosen a way on from every problem found; None: quit."""
    while True:
        if not path.exists():
            if not ask_before_creating:
                return Opening(path)  # the default data folder on a first start: the wizard comes next
            text = _tr(
                "数据库文件 {path} 不存在。\n\n新建一个数据库会建立一个新的乡镇（或区级）和本机身份；如果是路径写错了，"
                "请选择正确的文件。").format(path=path)
            answer = ask(text, False, False, True)
            if answer == StorageProblemDialog.CREATE:
                return Opening(path)
        else:
            problem = check_file(path)
            if problem is None:
                return Opening(path)
            answer = ask(problem.message, problem.read_only_possible, True, False)
            if answer == StorageProblemDialog.READ_ONLY:
                return Opening(path, read_only=_reason(problem))
        if answer == StorageProblemDialog.OTHER:
            chosen = pick_file(path)
            if chosen is not None:
                path, ask_before_creating = chosen, True
        elif answer == StorageProblemDialog.QUIT:
            return None


def _reason(problem: StorageError) -> str:
    """Why the window is read-only, in the banner's words."""
    return {"locked": _tr("数据库正被另一个程序占用"),
            "disk_full": _tr("磁盘已满"),
            }.get(problem.kind, _tr("文件所在位置只能读取、不能写入"))


def add_read_only_banner(window: QMainWindow, reason: str) -> QLabel:
    """A banner above the window's pages: read-only, why, and that changes are not saved (once per window)."""
    banner, made = window_banner(window, "readOnlyBanner",
                                 _tr("只读打开：{reason}。可以查看，不能保存任何修改。").format(reason=reason))
    if made:
        window.setWindowTitle(window.windowTitle() + _tr("（只读）"))
    return banner
