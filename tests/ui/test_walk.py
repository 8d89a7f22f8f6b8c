"""The walkthrough helpers themselves (tests/ui/walk.py): a dialog nobody expects fails the test with its text
instead of blocking it in exec(), and a confirmation is answered and its text kept."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.walk import Modal, answer

pytestmark = pytest.mark.gui


def _button_asking(qtbot: QtBot, question: str, answers: list[QMessageBox.StandardButton]) -> QPushButton:
    """A button whose click asks ``question`` in a modal message box (as 制发 does) and notes the answer."""
    parent = QWidget()
    qtbot.addWidget(parent)
    button = QPushButton("制发", parent)

    def ask() -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "确认", question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        answers.append(QMessageBox.StandardButton(box.exec()))

    button.clicked.connect(ask)
    parent.show()
    return button


def test_an_unexpected_dialog_fails_with_its_text(qtbot: QtBot) -> None:
    modal = Modal()
    answers: list[QMessageBox.StandardButton] = []
    try:
        modal.expect(QFileDialog, lambda d: d.accept())  # waiting for another dialog: the box is not it
        _button_asking(qtbot, "将编为 石综执罚决字〔2026〕第1号，确定制发吗？", answers).click()  # returns: closed
        with pytest.raises(AssertionError, match=r"unexpected dialog \(waiting for QFileDialog\).*第1号"):
            modal.done()
    finally:
        modal.stop()
    assert answers == [QMessageBox.StandardButton.NoButton]  # closed, not answered Yes


def test_a_confirmation_is_answered_and_its_text_kept(qtbot: QtBot) -> None:
    modal = Modal()
    answers: list[QMessageBox.StandardButton] = []
    said: list[str] = []
    try:
        modal.expect(QMessageBox, answer(QMessageBox.StandardButton.Yes, said))
        _button_asking(qtbot, "将编为第2号，确定制发吗？", answers).click()
        modal.done()
    finally:
        modal.stop()
    assert answers == [QMessageBox.StandardButton.Yes] and said == ["将编为第2号，确定制发吗？"]
