"""The document screen: preview of the real PDF, refusal naming a missing item, issue, save, print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from models.enums import DiscretionTierName, EvidenceKind, ProposedOutcome, Role
from services.core.context import AppContext
from services.people.accounts import UserInfo
from services.procedures import cases, records
from tests.services.conftest import World, _template, clock, db, uow, world  # noqa: F401 - pytest fixtures
from ui.data_events import DataEvents
from ui.documents.document_dialog import DocumentDialog, print_pdf
from ui.operations import SyncRunner

pytestmark = pytest.mark.gui


def _decided_case(w: World) -> str:
    # The documents need what a real office has filled in: the party's address and the township's district.
    from sqlalchemy import select

    from models.org import Township
    from models.party import Party

    with w.uow() as u:
        u.session.scalar(select(Party).where(Party.uid == w.adult)).address = "五通桥区竹根镇桥沟街12号"
        u.session.scalar(select(Township)).district_name = "乐山市五通桥区"
        u.commit()
    uid = cases.register_clue(w.uow(), cases.ClueInput(
        cause="占道堆放建筑材料", power_item_code="SR-003", party_uid=w.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21), place="桥沟街12号",
        facts="当事人在桥沟街12号门前人行道堆放砖块约5立方米")).uid
    cases.file_case(w.uow(), uid, on=date(2026, 2, 23), officer_uids=w.officers[:2])
    records.add_evidence(w.uow(), uid, records.EvidenceInput(EvidenceKind.AUDIOVISUAL, "现场照片", "桥沟街12号",
                                                             date(2026, 2, 23), "张三", "当事人占道堆放砖块的事实"))
    cases.conclude_investigation(w.uow(), uid, on=date(2026, 2, 25), data=cases.ConclusionInput(
        ProposedOutcome.PENALTY, DiscretionTierName.ORDINARY, Decimal(800), reasons="占道面积较大"))
    cases.give_prior_notice(w.uow(), uid, on=date(2026, 2, 26))
    cases.waive_statement(w.uow(), uid, on=date(2026, 2, 27), written=True)
    cases.decide_penalty(w.uow(), uid, on=date(2026, 3, 2), fine=Decimal(800))
    return uid


def issued_documents(w: World, uid: str) -> list[str]:
    from sqlalchemy import select

    from models.records import IssuedDocument

    with w.uow() as u:
        return list(u.session.scalars(select(IssuedDocument.number).where(IssuedDocument.record_uid == uid)))


def test_issuing_a_numbered_form_names_the_number_it_takes(qtbot: QtBot, world: World) -> None:  # noqa: F811
    """A form numbered when issued (证据清单, 证清字; the 询问笔录 is now issued from its interview record): the
    question shows the number, and it is the one taken."""
    uid = _decided_case(world)
    ctx = AppContext(world.db, world.clock, UserInfo("u", "leader", "中队长", Role.SQUAD_LEADER, None),
                     data_key=world.key)
    dlg = DocumentDialog(ctx, "penalty_case", uid, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(dlg)
    from sqlalchemy import select

    from models.org import Squad

    with world.uow() as u:  # where statements are heard, printed on the interview record
        squad = u.session.scalar(select(Squad))
        assert squad is not None
        squad.address, squad.phone = "竹根镇人民政府一楼", "0833-3300000"
        u.commit()
    dlg.select("evidence_list")
    asked: list[str] = []
    dlg.ask = lambda text: (asked.append(text), True)[1]  # type: ignore[method-assign]
    dlg.issue()
    assert dlg.issued is not None, dlg.message.text()
    assert dlg.issued.doc_type == "evidence_list"
    assert "证清字" in dlg.issued.number and dlg.issued.number in asked[0]
    assert issued_documents(world, uid) == [dlg.issued.number]


def test_preview_issue_save_and_print(qtbot: QtBot, world: World, tmp_path: Path) -> None:  # noqa: F811
    uid = _decided_case(world)
    ctx = AppContext(world.db, world.clock, UserInfo("u", "leader", "中队长", Role.SQUAD_LEADER, None),
                     data_key=world.key)
    dlg = DocumentDialog(ctx, "penalty_case", uid, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(dlg)
    titles = [dlg.type_list.item(i).text() for i in range(dlg.type_list.count())]
    assert "行政处罚决定书" in titles and "现场检查（勘验）笔录" not in titles  # only this record's documents

    dlg.select("service_receipt")
    assert "缺少" in dlg.message.text() and not dlg.print_button.isEnabled()  # not yet served: refused, named

    dlg.select("penalty_decision")
    assert dlg.pdf.startswith(b"%PDF"), dlg.message.text()
    assert dlg._doc is not None and dlg._doc.pageCount() >= 1
    asked: list[str] = []
    answers = [False, True]
    dlg.ask = lambda text: (asked.append(text), answers.pop(0))[1]  # type: ignore[method-assign]
    dlg.issue()  # 制发 asks first, naming the number; 取消 issues nothing
    number = cases.get_case(world.uow(), uid).decision_number
    assert asked and number in asked[0] and "锁定" in asked[0]
    assert dlg.issued is None and not issued_documents(world, uid)
    dlg.issue()
    assert dlg.issued is not None and dlg.issued.number == number
    saved = dlg.save_to(tmp_path / "decision.pdf")
    assert saved is not None and saved.read_bytes() == dlg.issued.pdf
    dlg.issue()  # issuing again returns the locked document, not a new number, and asks nothing
    assert len(asked) == 2
    again = dlg.issued
    assert again is not None and again.pdf == saved.read_bytes()

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert print_pdf(dlg.pdf, printer, dlg) >= 1
    assert out.stat().st_size > 1000


def test_case_file_is_built_in_the_background_runner(qtbot: QtBot, world: World) -> None:  # noqa: F811
    uid = _decided_case(world)
    ctx = AppContext(world.db, world.clock, data_key=world.key)
    dlg = DocumentDialog(ctx, "penalty_case", uid, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(dlg)
    dlg.case_file_button.click()
    assert "卷宗已生成" in dlg.message.text()
    assert dlg._doc is not None and dlg._doc.pageCount() >= 4  # cover, contents, documents, notes sheet


def test_campaign_batch_issues_orders_in_the_runner(qtbot: QtBot, world: World, tmp_path: Path) -> None:  # noqa: F811
    from datetime import datetime

    from models.base import SHANGHAI
    from models.enums import InspectionResult, ItemResult
    from services.procedures.inspections import (
        CampaignInput,
        ChecklistLine,
        InspectionInput,
        create_campaign,
        record_inspection,
    )
    from services.read.details import record_detail
    from ui.widgets.detail_page import DetailPage

    _decided_case(world)  # fills address/district the documents need
    camp = create_campaign(world.uow(), CampaignInput(name="夜间市容整治", start_date=date(2026, 2, 1)))
    for h in (9, 10):
        start = datetime(2026, 2, 20, h, tzinfo=SHANGHAI)
        record_inspection(world.uow(), InspectionInput(
            started_at=start, ended_at=start.replace(minute=40), place=f"桥沟街{h}号", officer_uids=world.officers[:2],
            result=InspectionResult.ORDERED, items=[ChecklistLine("店外经营", ItemResult.PROBLEM)],
            party_uid=world.adult, campaign_uid=camp, findings="店外经营", rectification_deadline=date(2026, 2, 27)))
    page = DetailPage(AppContext(world.db, world.clock, data_key=world.key), runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(page)
    page.show_detail(record_detail(world.uow(), "campaigns", camp))
    assert page.batch_button.isVisibleTo(page)
    page.run_batch(tmp_path / "orders", {"item_code": "SR-003"})
    assert "已制发 2 份" in page.batch_message.text()
    assert len(list((tmp_path / "orders").glob("*.pdf"))) == 2


def test_a_document_far_beyond_its_usual_length_warns_in_the_preview(qtbot: QtBot, world: World) -> None:  # noqa: F811
    uid = _decided_case(world)
    ctx = AppContext(world.db, world.clock, UserInfo("u", "leader", "中队长", Role.SQUAD_LEADER, None),
                     data_key=world.key)
    dlg = DocumentDialog(ctx, "penalty_case", uid, runner=SyncRunner(), data_events=DataEvents())
    qtbot.addWidget(dlg)
    dlg.select("penalty_decision")
    assert "通常不超过" not in dlg.message.text()  # a decision of usual length: no warning
    from sqlalchemy import select

    from models.case import PenaltyCase

    with world.uow() as u:  # the whole statement pasted into 违法事实
        u.session.scalars(select(PenaltyCase).where(PenaltyCase.uid == uid)).one().facts = "当事人在桥沟街堆放砖块。" * 900
        u.commit()
    dlg.preview()
    assert dlg._doc is not None and dlg._doc.pageCount() > 3
    assert f"本文书预览共 {dlg._doc.pageCount()} 页，行政处罚决定书通常不超过 3 页" in dlg.message.text()
