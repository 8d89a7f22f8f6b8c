"""Mediation documents in the committee's name: the agreement's terms printed exactly (pdftotext), the committee's
代字 on the numbers, and the parties' 司法确认申请书 without a number or an issuer."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from models.enums import AgreementForm
from models.party import Party
from services.documents.issuing import issue_document
from services.documents.textfmt import money
from services.procedures import mediation as m
from tests.services.conftest import World
from tests.services.test_mediation import accepted, term


def pdftotext(pdf: bytes, tmp: Path) -> str:
    """The text poppler reads, whitespace removed (CJK lines wrap anywhere)."""
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True).stdout
    return re.sub(r"\s+", "", out.decode("utf-8"))


def _agreed(w: World) -> str:
    with w.uow() as u:  # the party block needs an address (人民调解法 art.29 (一))
        for party in u.session.scalars(select(Party).where(Party.uid.in_([w.adult, w.teen16]))):
            party.address = "竹根镇滨河路1号"
        u.commit()
    uid = accepted(w)
    pay = term(w, obligor_uid=w.adult, obligee_uid=w.teen16, what="分担疏通费用", subject="",
               amount=Decimal("150.5"), manner="现金支付", due=date(2026, 4, 1))
    m.record_agreement(w.uow(), uid, on=date(2026, 3, 2), data=m.AgreementInput(
        form=AgreementForm.WRITTEN, terms="双方今后互不追究", effective_on=date(2026, 3, 2),
        obligations=(term(w), pay), disputed_issues="排水沟堵塞的原因及疏通费用由谁承担",
        responsibility="被申请人堵塞排水沟，负主要责任；申请人未及时告知，负次要责任"))
    return uid


def test_the_agreement_prints_each_term_and_the_responsibility(world: World, tmp_path: Path) -> None:
    w = world
    uid = _agreed(w)
    info = issue_document(w.uow(), "mediation_agreement", uid)
    text = pdftotext(info.pdf, tmp_path)
    assert info.number == "竹根村调协字〔2026〕第1号" and info.number in text
    assert "竹综执" not in text  # nothing of the enforcement squad's 代字
    for line in ("争议事项：排水沟堵塞的原因及疏通费用由谁承担。",
                 "各方当事人的责任：被申请人堵塞排水沟，负主要责任；申请人未及时告知，负次要责任。",
                 "一、被申请人周少年于2026年3月20日前向申请人孙成年疏通排水沟（两家之间的排水沟约20米），"
                 "履行方式：自行雇工疏通。",
                 f"二、申请人孙成年于2026年4月1日前向被申请人周少年分担疏通费用{money(Decimal('150.50'))}，"
                 "履行方式：现金支付。",
                 "三、双方今后互不追究。"):
        assert line in text, line
    assert "竹根村人民调解委员会" in text and "人民政府" not in text  # the committee issues it, not the government


def test_the_confirmation_application_is_the_parties_document(world: World, tmp_path: Path) -> None:
    w = world
    uid = _agreed(w)
    m.apply_confirmation(w.uow(), uid, on=date(2026, 3, 2), court="乐山市五通桥区人民法院", joint=True)
    info = issue_document(w.uow(), "confirmation_application", uid)
    text = pdftotext(info.pdf, tmp_path)
    # registered under the committee's sequence for reprint and verification, but no number is printed on it
    assert info.number == "竹根村调确字〔2026〕第1号"
    assert "字〔" not in text.replace("竹根村调协字〔2026〕第1号", "")  # only the agreement's own number is cited
    assert "（印章）" not in text and "竹综执" not in text
    assert text.startswith("司法确认申请书")  # no issuer heading above the title
    for line in ("请求确认申请人孙成年、周少年于2026年3月2日经竹根村人民调解委员会主持调解达成的人民调解协议"
                 "（竹根村调协字〔2026〕第1号）有效。",
                 "一、被申请人周少年于2026年3月20日前向申请人孙成年疏通排水沟",
                 "《中华人民共和国人民调解法》第三十三条、《中华人民共和国民事诉讼法》第二百零五条、第二百零六条和"
                 "《最高人民法院关于人民调解协议司法确认程序的若干规定》",
                 "此致乐山市五通桥区人民法院", "申请人：孙成年（签名或者盖章、按指印）", "申请人：周少年（签名或者盖章、按指印）"):
        assert line in text, line


def test_the_follow_up_record_is_numbered_by_the_committee(world: World, tmp_path: Path) -> None:
    w = world
    uid = _agreed(w)
    w.set_today(date(2026, 4, 2))
    m.follow_up(w.uow(), uid, on=date(2026, 4, 2), visitor="冯调解", performance=m.PerformanceStatus.PERFORMED)
    info = issue_document(w.uow(), "follow_up_record", uid)
    assert info.number == "竹根村调访字〔2026〕第1号"
    assert "二、申请人孙成年于2026年4月1日前" in pdftotext(info.pdf, tmp_path)
