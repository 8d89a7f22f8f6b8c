"""Preview, issue, save and print the official documents of one record (QtPdf preview of the real PDF).

Making a PDF (ReportLab: fonts, layout, images) takes a noticeable moment, so the preview, the issuing and the
case file are made on the window's runner (ui/operations.py) and shown when they arrive; the dialog stays
responsive meanwhile. Only the newest preview asked for is shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.enums import RecordKind
from services.core.context import AppContext
from services.core.errors import AppError
from services.documents.case_file import print_case_file
from services.documents.issuing import IssuedDocumentInfo, issue_document, number_to_issue, preview_document
from services.documents.registry import DocType, doc_types
from ui.data_events import DataEvents
from ui.operations import TaskRunner, TaskState

WARNING_COLOR = "#b26a00"  # amber: a warning, not a refusal


def pdf_document(data: bytes, parent: QWidget) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument reading from memory (the buffer must live as long as the document)."""
    buf = QBuffer(parent)
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument(parent)
    doc.load(buf)
    return doc, buf


def print_pdf(data: bytes, printer: QPrinter, parent: QWidget) -> int:
    """Print every page of a PDF at the printer's resolution; returns the number of pages printed."""
    doc, _buf = pdf_document(data, parent)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for i in range(doc.pageCount()):
            if i:
                printer.newPage()
            rect = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            image = doc.render(i, QSize(rect.width(), rect.height()))
            painter.drawImage(QRect(QPoint(0, 0), rect.size()), image)
    finally:
        painter.end()
    return doc.pageCount()


class DocumentDialog(QDialog):
    """Choose a document type of the record, preview it, then 制发 (number + lock), save or print it.

    ``data_events`` is told when a document was issued (the 文书 list reads it again).
    """

    def __init__(self, ctx: AppContext, record_table: str, record_uid: str, *, runner: TaskRunner,
                 data_events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.record_table, self.record_uid = ctx, record_table, record_uid
        self.runner, self.data_events = runner, data_events
        self._preview_asked = 0  # previews are numbered: a slower, older one arriving late is not shown
        self.setWindowTitle(self.tr("执法文书"))
        self.resize(1100, 720)
        self.types: list[DocType] = [t for t in doc_types() if t.record_table == record_table]
        self.pdf: bytes = b""
        self.issued: IssuedDocumentInfo | None = None
        self.type_list = QListWidget(self)
        self.type_list.setObjectName("docTypes")
        for t in self.types:
            item = QListWidgetItem(t.title, self.type_list)
            item.setData(Qt.ItemDataRole.UserRole, t.name)
        self.inputs_box = QWidget(self)
        self.inputs_form = QFormLayout(self.inputs_box)
        self.inputs: dict[str, QLineEdit] = {}
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("docMessage")
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._doc: QPdfDocument | None = None
        self._blank = QPdfDocument(self)  # shown after a refusal (setDocument(None) makes Qt warn)
        self.preview_button = QPushButton(self.tr("预览"), self)
        self.issue_button = QPushButton(self.tr("制发（编号并锁定）"), self)
        self.save_button = QPushButton(self.tr("另存为PDF…"), self)
        self.print_button = QPushButton(self.tr("打印…"), self)
        self.case_file_button = QPushButton(self.tr("整卷生成（卷宗）…"), self)
        self.case_file_button.setVisible(record_table == RecordKind.PENALTY_CASE)
        for b in (self.save_button, self.print_button):
            b.setEnabled(False)
        self.preview_button.clicked.connect(self.preview)
        self.issue_button.clicked.connect(self.issue)
        self.save_button.clicked.connect(lambda: self.save_to(None))
        self.print_button.clicked.connect(self._on_print_clicked)
        self.case_file_button.clicked.connect(self._on_case_file_clicked)
        self.type_list.currentRowChanged.connect(self._on_type_changed)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.addWidget(QLabel(self.tr("文书种类"), left))
        lv.addWidget(self.type_list, 1)
        lv.addWidget(self.inputs_box)
        for b in (self.preview_button, self.issue_button, self.save_button, self.print_button,
                  self.case_file_button):
            lv.addWidget(b)
        lv.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.view)
        split.setSizes([300, 800])
        layout = QHBoxLayout(self)
        layout.addWidget(split)
        if self.types:
            self.type_list.setCurrentRow(0)

    def current_type(self) -> DocType | None:
        row = self.type_list.currentRow()
        return self.types[row] if 0 <= row < len(self.types) else None

    def select(self, name: str) -> None:
        for i, t in enumerate(self.types):
            if t.name == name:
                self.type_list.setCurrentRow(i)
                return

    def _on_type_changed(self, _row: int) -> None:
        while self.inputs_form.rowCount():
            self.inputs_form.removeRow(0)
        self.inputs.clear()
        t = self.current_type()
        if t is None:
            return
        for key, text in t.inputs:
            edit = QLineEdit(self.inputs_box)
            edit.setObjectName(f"input_{key}")
            self.inputs[key] = edit
            self.inputs_form.addRow(text, edit)
        self.issued = None
        self.preview()

    def _values(self) -> dict[str, str]:
        return {k: w.text().strip() for k, w in self.inputs.items() if w.text().strip()}

    def _show(self, data: bytes) -> None:
        self.pdf = data
        self._doc, self._buf = pdf_document(data, self)
        self.view.setDocument(self._doc)
        for b in (self.save_button, self.print_button):
            b.setEnabled(True)

    def _refused(self, text: str) -> None:
        """A document that cannot be made yet, e.g. "…缺少：送达日期": the reason, and nothing blank to print."""
        self.message.setText(text)
        self.view.setDocument(self._blank)
        self.pdf = b""
        for b in (self.save_button, self.print_button):
            b.setEnabled(False)

    def preview(self) -> None:
        """Make the chosen document's unnumbered PDF on the runner (no progress dialog: the dialog says so)."""
        t = self.current_type()
        if t is None:
            return
        self._preview_asked += 1
        asked, make_reader, name, uid, values = self._preview_asked, self.ctx.reader, t.name, self.record_uid, \
            self._values()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("正在生成预览…"))
        self.pdf = b""  # what is on show until it arrives is another document's: not to be saved or printed
        for b in (self.save_button, self.print_button):
            b.setEnabled(False)

        def done(data: bytes) -> None:
            if asked == self._preview_asked:
                self._show(data)
                text = self.tr("预览（未编号）。制发后编号锁定，之后只能以更正文书修改。")
                warning = t.length_warning(self._doc.pageCount() if self._doc is not None else 0)
                self.message.setStyleSheet(f"color: {WARNING_COLOR};" if warning else "")
                self.message.setText(f"{warning}\n{text}" if warning else text)

        def refused(text: str) -> None:
            if asked == self._preview_asked:
                self._refused(text)

        self.runner.run(lambda _state: preview_document(make_reader(), name, uid, values), on_done=done,
                        parent=self, title=self.tr("预览"), show_progress=False, report=refused)

    def ask(self, text: str) -> bool:
        """A yes/no question to the user (tests answer it in their place)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("确认制发"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("制发"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def confirm_issue(self, t: DocType) -> bool:
        """制发 cannot be undone: say the exact number the document will take (services' number_to_issue) and ask.
        A document issued already is only shown again; a refusal (a missing item) is shown as the preview's is."""
        try:
            preview = number_to_issue(self.ctx.reader(), t.name, self.record_uid, self._values())
        except AppError as exc:
            self._refused(exc.message)
            return False
        if preview.already_issued:
            return True
        return self.ask(self.tr("《{title}》将编为 {number}，制发后编号和内容锁定，不能修改或删除，"
                                "只能以更正文书更正。\n\n确定制发吗？").format(title=t.title, number=preview.number))

    def issue(self) -> None:
        """Number, lock and store the chosen document (on the runner) once the user confirmed; shown when done."""
        t = self.current_type()
        if t is None or not self.confirm_issue(t):
            return
        make_uow, name, uid, values = self.ctx.uow, t.name, self.record_uid, self._values()
        self._preview_asked += 1  # a preview still on its way must not replace the issued document

        def done(issued: IssuedDocumentInfo) -> None:
            self.issued = issued
            self.message.setText(self.tr("已制发：{number}\nSHA-256：{digest}").format(
                number=issued.number, digest=issued.sha256[:16] + "…"))
            self._show(issued.pdf)
            self.data_events.notify("documents")

        self.runner.run(lambda _state: issue_document(make_uow(), name, uid, values), on_done=done, parent=self,
                        title=self.tr("制发文书"), report=self.message.setText)

    def save_to(self, path: Path | None) -> Path | None:
        if not self.pdf:
            return None
        if path is None:
            t = self.current_type()
            name = (self.issued.number if self.issued else (t.title if t else "文书")) + ".pdf"
            chosen, _ = QFileDialog.getSaveFileName(self, self.tr("保存PDF"), str(Path.home() / name), "PDF (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen)
        path.write_bytes(self.pdf)
        self.message.setText(self.tr("已保存到 {path}").format(path=path))
        return path

    def _on_print_clicked(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            pages = print_pdf(self.pdf, printer, self)
            self.message.setText(self.tr("已发送打印：{n} 页").format(n=pages))

    def _on_case_file_clicked(self) -> None:
        """The whole case file can be long: built in the background with progress."""
        def work(state: TaskState) -> bytes:
            info = print_case_file(self.ctx.uow(), self.record_uid,
                                   progress=lambda i, n: state.progress(int(100 * i / max(n, 1)), "正在生成卷宗…"))
            return info.pdf

        def done(data: object) -> None:
            assert isinstance(data, bytes)
            self.issued = None
            self.message.setText(self.tr("卷宗已生成（{kb} KB），可另存或打印").format(kb=len(data) // 1024))
            self._show(data)

        self._preview_asked += 1
        self.runner.run(work, on_done=done, parent=self, title=self.tr("生成卷宗"), report=self.message.setText)
