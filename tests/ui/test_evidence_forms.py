"""Evidence on the new-inspection and new-mediation forms: held while recording, stored in the same save."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage
from pytestqt.qtbot import QtBot

from models.enums import InspectionResult, ItemResult
from services.core.context import AppContext
from services.people import parties
from services.procedures.attachments import MAX_BYTES, attachment_store, list_attachments
from services.read.details import record_detail
from tests.services.conftest import World
from ui.data_events import DataEvents
from ui.forms.inspection_form import InspectionDialog
from ui.forms.mediation_form import MediationDialog
from ui.mediation.mediation_view import MediationView
from ui.operations import SyncRunner
from ui.widgets.detail_page import DetailPage

pytestmark = pytest.mark.gui

RED, BLUE, GREEN = QColor(200, 30, 30), QColor(30, 60, 200), QColor(30, 160, 60)


def photo(folder: Path, name: str, color: QColor) -> Path:
    """A real JPEG/PNG of one colour, so a thumbnail can be told apart from a generic file icon."""
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(color)
    path = folder / name
    assert image.save(str(path))
    return path


def centre_colour(icon: QIcon) -> QColor:
    image = icon.pixmap(QSize(96, 72)).toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2)


def close_to(a: QColor, b: QColor) -> bool:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 24  # JPEG noise


def blob_files(ctx: AppContext) -> list[Path]:
    store = attachment_store(ctx.db.path)
    return sorted(p for p in store.rglob("*") if p.is_file() and not p.name.startswith(".incoming-"))


def incoming(ctx: AppContext) -> list[Path]:
    return sorted(attachment_store(ctx.db.path).glob(".incoming-*"))


def new_inspection(qtbot: QtBot, ctx: AppContext, world: World) -> InspectionDialog:
    dlg = InspectionDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.place.setText("竹根镇桥沟街12号")
    dlg.officers.set_checked(world.officers[:2])
    for row in range(dlg.checklist.rowCount()):  # each line answered, as the officers do
        dlg.checklist.set_result(row, ItemResult.OK)
    dlg.result.setCurrentIndex(dlg.result.findData(InspectionResult.PASSED.value))
    return dlg


def test_two_photos_on_a_new_inspection_are_saved_with_it_and_shown(qtbot: QtBot, ctx: AppContext, world: World,
                                                                    tmp_path: Path) -> None:
    dlg = new_inspection(qtbot, ctx, world)
    assert dlg.evidence.holding and dlg.evidence.add_button.isEnabled()
    assert dlg.evidence.add_files([photo(tmp_path, "门前堆放.jpg", RED), photo(tmp_path, "整改前.png", BLUE)]) == 2

    # Held on the form, with thumbnails of the photos themselves, and nothing stored yet.
    assert dlg.evidence.list.count() == 2 and "待保存" in dlg.evidence.list.item(0).text()
    assert [close_to(centre_colour(i), c) for i, c in zip(dlg.evidence.thumbnails(), (RED, BLUE), strict=True)] == \
        [True, True]
    assert "已选 2 件" in dlg.evidence.message.text()
    assert blob_files(ctx) == [] and dlg.dirty

    assert dlg.submit()
    uid = dlg.result_value.uid
    rows = list_attachments(ctx.reader(), attachment_store(ctx.db.path), uid)
    assert [r.filename for r in rows] == ["门前堆放.jpg", "整改前.png"] and all(r.present for r in rows)
    assert {r.mime for r in rows} == {"image/jpeg", "image/png"}
    assert len(blob_files(ctx)) == 2 and incoming(ctx) == []

    # The inspection's detail screen shows the same evidence with thumbnails.
    page = DetailPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.show_detail(record_detail(ctx.reader(), "inspections", uid))
    assert page.attachments.list.count() == 2 and page.attachments.message.text() == "共 2 件"
    assert close_to(centre_colour(page.attachments.thumbnails()[1]), BLUE)


def test_a_save_that_fails_validation_attaches_nothing(qtbot: QtBot, ctx: AppContext, world: World,
                                                      tmp_path: Path) -> None:
    dlg = new_inspection(qtbot, ctx, world)
    dlg.officers.set_checked(world.officers[:1])  # art. 42: two officers
    assert dlg.evidence.add(photo(tmp_path, "a.jpg", RED))
    before = world.snapshot()

    assert not dlg.submit()

    assert "第四十二条" in dlg.message("officers")
    assert world.snapshot() == before and blob_files(ctx) == []
    assert len(dlg.evidence.pending()) == 1 and dlg.evidence.list.count() == 1  # still held for the retry
    dlg.officers.set_checked(world.officers[:2])
    assert dlg.submit()
    assert len(list_attachments(ctx.reader(), attachment_store(ctx.db.path), dlg.result_value.uid)) == 1


def test_too_big_and_unreadable_files_get_a_clear_chinese_message(qtbot: QtBot, ctx: AppContext, world: World,
                                                                  tmp_path: Path) -> None:
    dlg = new_inspection(qtbot, ctx, world)
    big = tmp_path / "执法记录仪.mp4"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 50 * 1024 * 1024)  # sparse: costs no disk
    good = photo(tmp_path, "ok.jpg", GREEN)
    assert dlg.evidence.add_files([big, good]) == 1  # one refusal does not stop the other file
    text = dlg.evidence.message.text()
    assert "“执法记录仪.mp4”有 250 MB，超过 200 MB 的上限，不能作为证据附件" in text
    assert "color" in dlg.evidence.message.styleSheet()  # shown as a problem, not as a count
    assert [f.filename for f in dlg.evidence.pending()] == ["ok.jpg"]

    assert not dlg.evidence.add(photo(tmp_path, "copy.jpg", GREEN))  # same bytes as ok.jpg
    assert "内容相同" in dlg.evidence.message.text()
    if sys.platform.startswith("linux"):
        assert not dlg.evidence.add(Path("/proc/self/mem"))  # a real read error (EIO), even as root
        assert "无法读取文件“mem”" in dlg.evidence.message.text()
    assert not dlg.evidence.add(tmp_path / "已删除.jpg")
    assert "找不到文件" in dlg.evidence.message.text()
    assert len(dlg.evidence.pending()) == 1 and len(incoming(ctx)) == 1


def test_cancelling_the_form_drops_the_held_files(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dlg = new_inspection(qtbot, ctx, world)
    dlg.evidence.add_files([photo(tmp_path, "a.jpg", RED), photo(tmp_path, "b.jpg", BLUE)])
    dlg.evidence.list.item(0).setSelected(True)
    assert dlg.evidence.remove_button.isEnabled()
    dlg.evidence.remove_selected_pending()
    assert [f.filename for f in dlg.evidence.pending()] == ["b.jpg"] and len(incoming(ctx)) == 1
    asked: list[bool] = []
    monkeypatch.setattr(dlg, "confirm_discard", lambda: asked.append(True) or True)
    before = world.snapshot()
    dlg.reject()
    assert asked == [True]  # evidence counts as unsaved input
    assert incoming(ctx) == [] and blob_files(ctx) == [] and world.snapshot() == before


def _mediation_form(qtbot: QtBot, ctx: AppContext, world: World) -> MediationDialog:
    dlg = MediationDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.category.setCurrentIndex(dlg.category.findData("02"))
    dlg.summary.setPlainText("两家因排水沟堵塞发生争执")
    dlg.rows[0].picker.set_party(parties.get_party(ctx.reader(), world.adult))
    dlg.rows[1].picker.set_party(parties.get_party(ctx.reader(), world.teen16))
    return dlg


def test_mediation_form_and_view_carry_evidence(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    dlg = _mediation_form(qtbot, ctx, world)
    application = tmp_path / "调解申请书.pdf"
    application.write_bytes(b"%PDF-1.4 scanned application")
    assert dlg.evidence.add(application) and dlg.evidence.add(photo(tmp_path, "堵塞现场.jpg", GREEN))
    dlg.summary.setPlainText("")
    before = world.snapshot()
    assert not dlg.submit() and world.snapshot() == before and blob_files(ctx) == []
    dlg.summary.setPlainText("两家因排水沟堵塞发生争执")
    assert dlg.submit()
    uid = dlg.result_value.uid

    view = MediationView(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(view)
    view.load(uid)
    assert [view.attachments.list.item(i).text() for i in range(2)] == ["调解申请书.pdf", "堵塞现场.jpg"]
    assert close_to(centre_colour(view.attachments.thumbnails()[1]), GREEN)
    # On the saved case a file is attached at once.
    assert view.attachments.add(photo(tmp_path, "疏通后.jpg", BLUE))
    assert len(list_attachments(ctx.reader(), attachment_store(ctx.db.path), uid)) == 3
    assert view.attachments.message.text() == "共 3 件"


@pytest.mark.skipif(not os.environ.get("ENFORCEDESK_EVIDENCE_SHOTS"), reason="set ENFORCEDESK_EVIDENCE_SHOTS=DIR")
def test_render_evidence_screens(qtbot: QtBot, ctx: AppContext, world: World, tmp_path: Path) -> None:
    """Writes PNGs of the forms with held evidence for review (not run in CI)."""
    out = Path(os.environ["ENFORCEDESK_EVIDENCE_SHOTS"])
    out.mkdir(parents=True, exist_ok=True)
    dlg = new_inspection(qtbot, ctx, world)
    big = tmp_path / "执法记录仪.mp4"
    with big.open("wb") as f:
        f.truncate(MAX_BYTES + 50 * 1024 * 1024)
    dlg.evidence.add_files([photo(tmp_path, "门前堆放.jpg", RED), photo(tmp_path, "整改前.png", BLUE), big])
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.grab().save(str(out / "inspection_form_evidence.png"))
    assert dlg.submit()
    med = _mediation_form(qtbot, ctx, world)
    pdf = tmp_path / "调解申请书.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    med.evidence.add_files([pdf, photo(tmp_path, "堵塞现场.jpg", GREEN)])
    med.show()
    qtbot.waitExposed(med)
    med.grab().save(str(out / "mediation_form_evidence.png"))
    assert med.submit()
    view = MediationView(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(view)
    view.resize(1180, 700)
    view.load(med.result_value.uid)
    view.show()
    qtbot.waitExposed(view)
    view.grab().save(str(out / "mediation_view_evidence.png"))
    page = DetailPage(ctx, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show_detail(record_detail(ctx.reader(), "inspections", dlg.result_value.uid))
    page.show()
    qtbot.waitExposed(page)
    page.grab().save(str(out / "inspection_detail_evidence.png"))
