"""帮助 → 使用说明: what a squad does in which screen, in order, from resources/help/guide.md (shipped with the
program: build.spec bundles resources/)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from services.core.paths import resource_path


def guide_path() -> Path:
    return resource_path("help", "guide.md")


class GuideDialog(QDialog):
    """The guide as formatted text; a missing file (a damaged install) is said in the dialog, not raised."""

    def __init__(self, parent: QWidget | None = None, *, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guide")
        self.setWindowTitle(self.tr("使用说明"))
        self.text = QTextBrowser(self)
        self.text.setObjectName("guideText")
        self.text.setOpenExternalLinks(False)
        source = path or guide_path()
        try:
            self.text.setMarkdown(source.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            self.text.setPlainText(self.tr("找不到使用说明文件（{path}）。程序文件夹可能不完整，请重新复制程序。").format(
                path=source))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 620)
