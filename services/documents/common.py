"""Shared gathering and layout pieces: the mandatory-item check, record loaders, document headers."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from reportlab.platypus import Flowable
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.inspection import Inspection
from models.mediation import FollowUpVisit, MediationCase
from models.org import Squad, Township
from services.core.errors import NotFound, ValidationError
from services.documents import textfmt as tf
from services.documents.layout import Builder
from services.documents.snapshot import Contact, PartyBlock, Remedy, Snapshot, SnapshotFonts
from services.procedures.cases import load_case
from services.reference.settings import Settings
from services.reference.setup import this_township

T = TypeVar("T")
SIGN_TEXT = "　　　　　　　　　　　　签名：　　　　　　　　年　　月　　日"  # approval chains are signed by hand

# Labels for the snapshot keys, used when a character cannot be printed ("“当事人”中的“𠮷”…").
FIELD_LABELS: dict[str, str] = {
    "agency": "落款机关", "number": "文书编号", "name": "姓名或名称", "address": "住址或住所", "phone": "联系电话",
    "legal_rep": "法定代表人", "facts": "违法事实", "cause": "案由", "place": "地点", "findings": "检查情况",
    "terms": "协议内容", "summary": "纠纷简要情况", "reason": "理由", "note": "备注", "text": "内容",
    "receiving_org": "接收机关", "materials": "移送材料", "breached": "违反条款", "basis": "处罚依据",
    "reasons": "理由", "party": "当事人", "officers": "执法人员", "items": "物品清单", "visitor": "回访人",
    "hearing_at": "听证时间", "hearing_place": "听证地点", "presider": "听证主持人", "clerk": "书记员",
    "members": "听证员",
}


class Gather:
    """Context for one snapshot: settings, township, and the list of mandatory items found missing."""

    def __init__(self, session: Session, title: str, inputs: dict[str, str] | None = None) -> None:
        self.session = session
        self.title = title
        self.inputs = {k: str(v).strip() for k, v in (inputs or {}).items()}  # entered at issue time
        self.settings = Settings(session)
        self.township: Township = this_township(session)
        self.squad: Squad | None = session.scalar(
            select(Squad).where(Squad.township_id == self.township.id).order_by(Squad.id).limit(1))
        self.missing: list[str] = []

    def need(self, value: T, label: str) -> T:
        """Record ``label`` as missing when ``value`` is empty; the document is refused at ``check``."""
        if value is None or value == "" or value == [] or value == {}:
            self.missing.append(label)
        return value

    def need_all(self, labels: list[str]) -> None:
        self.missing.extend(labels)

    def check(self) -> None:
        if self.missing:
            labels = list(dict.fromkeys(self.missing))
            raise ValidationError(f"{self.title}缺少：{'、'.join(labels)}（请先补充，文书的必备事项不能留空）",
                                  field=labels[0])

    def base(self, doc_type: str, *, number: str | None, day: date | None, day_label: str) -> Snapshot:
        """Fields every document prints: agency heading, number, the document's own date."""
        self.need(self.township.agency_name, "落款机关（乡镇人民政府名称）")
        if number is not None:
            self.need(number, "文书编号")
        self.need(day, day_label)
        fonts: SnapshotFonts = {"body": self.settings.str("documents.body_font_file"),
                                "title": self.settings.str("documents.title_font_file")}
        return {
            "doc_type": doc_type, "title": self.title, "agency": self.township.agency_name, "number": number or "",
            "date": tf.cn_date(day), "date_iso": day.isoformat() if day else "", "fonts": fonts,
        }

    def remedy(self, *, what: str = "本决定", review_first: bool = False) -> Remedy:
        body = self.need(tf.review_body(self.settings, self.township), "行政复议机关（请设置所属区县）")
        court = self.need(tf.court(self.settings, self.township), "行政诉讼管辖法院（请设置所属区县）")
        return {"review_body": body, "court": court,
                "text": tf.remedy_text(body, court, what=what, review_first=review_first)}

    def contact(self) -> Contact:
        """The squad's office and phone: where statements are made and whom to call (art.44)."""
        address = self.need(self.squad.address if self.squad else "", "中队办公地址（陈述申辩地点，在“设置 → 本镇信息”填写）")
        phone = self.need(self.squad.phone if self.squad else "", "中队联系电话（同上）")
        return {"address": address, "phone": phone, "unit": self.squad.name if self.squad else ""}


# -- loaders: a record by UUID or by the number printed on it ------------------------------------------


def load_penalty_case(session: Session, ref: str) -> PenaltyCase:
    return load_case(session, ref)


def load_inspection(session: Session, ref: str) -> Inspection:
    insp = session.scalar(select(Inspection).where(or_(Inspection.uid == ref, Inspection.number == ref),
                                                   Inspection.deleted_at.is_(None)))
    if insp is None:
        raise NotFound(f"找不到检查记录“{ref}”")
    return insp


def load_measure(session: Session, ref: str) -> CoerciveMeasure:
    m = session.scalar(select(CoerciveMeasure).where(
        or_(CoerciveMeasure.uid == ref, CoerciveMeasure.decision_number == ref), CoerciveMeasure.deleted_at.is_(None)))
    if m is None:
        raise NotFound(f"找不到查封（扣押）决定“{ref}”")
    return m


def load_transfer(session: Session, ref: str) -> Transfer:
    t = session.scalar(select(Transfer).where(or_(Transfer.uid == ref, Transfer.number == ref),
                                              Transfer.deleted_at.is_(None)))
    if t is None:
        raise NotFound(f"找不到案件移送记录“{ref}”")
    return t


def load_mediation(session: Session, ref: str) -> MediationCase:
    mc = session.scalar(select(MediationCase).where(
        or_(MediationCase.uid == ref, MediationCase.number == ref, MediationCase.agreement_number == ref),
        MediationCase.deleted_at.is_(None)))
    if mc is None:
        raise NotFound(f"找不到调解案件“{ref}”")
    return mc


def load_visit(session: Session, ref: str) -> FollowUpVisit:
    """A follow-up visit by its UUID, or the latest visit of a mediation case."""
    visit = session.scalar(select(FollowUpVisit).where(FollowUpVisit.uid == ref))
    if visit is not None:
        return visit
    mc = load_mediation(session, ref)
    if not mc.visits:
        raise NotFound(f"调解案件“{ref}”还没有回访记录")
    return mc.visits[-1]


# -- layout pieces ---------------------------------------------------------------------------------


def header(b: Builder, s: Snapshot, *, number_align: str | None = "right") -> list[Flowable]:
    """Agency heading, bold title and the number line (GB/T 9704 style 〔year〕); forms put it in the table."""
    out: list[Flowable] = [b.heading(s["agency"]), b.title(s["title"])]
    if s.get("number") and number_align:
        out.append(b.number(s["number"], number_align))
    out.append(b.spacer(3))
    return out


def party_paragraphs(b: Builder, party: PartyBlock, what: str = "当事人") -> list[Flowable]:
    """The party block (docs/legal-basis.md §6.1) as labelled lines; empty optional items are struck through: "/"."""
    d = dict(tf.party_lines(party, what))
    if party.get("kind") == "person":
        rows = [(what, f"{d[what]}　　性别：{d['性别']}　　出生日期：{d['出生日期']}"),
                (f"{party.get('id_type') or '身份证件'}号码", party.get("id_number") or "/"),
                ("住址", d["住址"]), ("联系电话", d["联系电话"])]
    else:
        rep_label = party.get("legal_rep_title") or "法定代表人"
        rows = [(what, d[what]), ("统一社会信用代码", d["统一社会信用代码"]), ("住所", d["住所"]),
                (rep_label, f"{party.get('legal_rep') or '/'}　　联系电话：{d['联系电话']}")]
    return list(b.lines(rows))


def closing(b: Builder, s: Snapshot, *, seal: bool = True) -> list[Flowable]:
    return [b.spacer(8), b.signature(s["agency"], s["date"], seal=seal)]
