"""The evidence, service and execution records of a case file: 证据清单, 证据材料粘贴单, 送达回证 (of every served
document), 罚没款缴纳记录, 先行登记保存证据通知书 and its 处理决定书, 强制执行申请书 (docs/legal-basis.md §6.2)."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case import PenaltyCase
from models.case_records import CaseRecord, ServiceRecord
from models.enums import CaseRecordKind, RecordKind, ServiceMethod
from models.labels import label
from models.records import Attachment
from services.core.errors import NotFound
from services.documents import textfmt as tf
from services.documents.common import Gather, closing, header, load_penalty_case, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import Snapshot
from services.documents.types_decision import LAW, METHODS, violation
from services.documents.types_records import officer_entries, record_loader
from services.procedures.records.evidence_rule import registered_evidence
from services.procedures.records.written import ENFORCEMENT_MATERIALS

FORCE_LAW = "《中华人民共和国行政强制法》"


# -- 证据清单 and 证据材料粘贴单 --------------------------------------------------------------------------------


def gather_evidence_list(g: Gather, case: PenaltyCase) -> Snapshot:
    items = registered_evidence(g.session, case)
    last = max((e.obtained_on for e in items), default=None)
    s = g.base("evidence_list", number=None, day=last, day_label="证据登记（须至少登记一项证据）")
    s.update(cause=g.need(case.cause, "案由"), case_number=case.number, party=tf.party_block(case.party), items=[
        {"seq": str(e.seq), "name": e.name, "kind": label(e.kind), "source": e.source,
         "date": tf.cn_date(e.obtained_on), "collector": e.collector, "proves": e.proves, "quantity": e.quantity}
        for e in items])
    return s


def compose_evidence_list(b: Builder, s: Snapshot) -> list[Flowable]:
    rows: list[list[str | tuple[str, str]]] = [[("l", "序号"), ("l", "证据名称"), ("l", "种类"), ("l", "来源及取证时间"),
                                                ("l", "取证人"), ("l", "证明对象"), ("l", "数量")]]
    rows += [[e["seq"], e["name"], e["kind"], f"{e['source']}，{e['date']}", e["collector"], e["proves"], e["quantity"]]
             for e in s["items"]]
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("案件编号", s["case_number"] or "/"), ("当事人", s["party"].get("name", ""))])
    out.append(b.grid(rows, [0.45, 1.5, 0.8, 1.6, 0.8, 2.2, 0.6]))
    out.append(b.sign_line("承办人签名：______________　　　　审核人签名：______________"))
    return out


def gather_evidence_sheet(g: Gather, case: PenaltyCase) -> Snapshot:
    photos = [e for e in registered_evidence(g.session, case) if e.attachment_uid]
    last = max((e.obtained_on for e in photos), default=None)
    s = g.base("evidence_sheet", number=None, day=last, day_label="照片证据（须在证据清单中登记照片）")
    files = {a.uid: a for a in g.session.scalars(select(Attachment).where(
        Attachment.uid.in_([e.attachment_uid for e in photos])))}
    s.update(cause=case.cause, case_number=case.number, items=[
        {"seq": str(e.seq), "name": e.name, "file": files[e.attachment_uid].filename if e.attachment_uid in files
         else "", "source": e.source, "date": tf.cn_date(e.obtained_on), "collector": e.collector, "proves": e.proves}
        for e in photos])
    return s


def compose_evidence_sheet(b: Builder, s: Snapshot) -> list[Flowable]:
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("案件编号", s["case_number"] or "/")])
    for e in s["items"]:
        rows: list[list[str | tuple[str, str]]] = [
            [("l", "照片粘贴处"), f"证据{e['seq']}：{e['name']}（{e['file']}）"],
            [("l", "拍摄地点"), e["source"]], [("l", "拍摄时间"), e["date"]], [("l", "拍摄人"), e["collector"]],
            [("l", "证明对象"), e["proves"]],
            [("l", "当事人确认"), "以上照片与现场情况相符。　　签名：__________　　年　月　日"]]
        out.append(b.grid(rows, [1, 4], heights=[150, None, None, None, None, None]))
    return out


register(DocType("evidence_list", "证据清单", RecordKind.PENALTY_CASE, load_penalty_case, gather_evidence_list,
                 compose_evidence_list, number_code="evidence_list", order=24))
register(DocType("evidence_sheet", "证据材料粘贴单", RecordKind.PENALTY_CASE, load_penalty_case, gather_evidence_sheet,
                 compose_evidence_sheet, number_code="evidence_sheet", order=25))


# -- 送达回证 of one served document --------------------------------------------------------------------------


def load_service(session: Session, ref: str) -> ServiceRecord:
    row = session.scalar(select(ServiceRecord).where(ServiceRecord.uid == ref, ServiceRecord.deleted_at.is_(None)))
    if row is None:
        raise NotFound(f"找不到送达记录“{ref}”")
    return row


def gather_service_record(g: Gather, r: ServiceRecord) -> Snapshot:
    s = g.base("service_record", number=None, day=r.served_on, day_label="送达日期")
    party = tf.party_block(r.case.party)
    g.need_all(tf.party_missing(party, "受送达人"))
    servers = officer_entries(g.session, r.servers)
    g.need_all(tf.officers_missing(servers, 1))
    s.update(served_doc=r.doc_title, served_number=g.need(r.doc_number, "送达文书编号"), party=party,
             recipient=r.recipient, substitute=r.substitute_relation, place=r.address or party.get("address", ""),
             method=METHODS[r.method], left=r.method is ServiceMethod.LEFT, witness=r.witness,
             refusal=r.refusal_reason, remark=r.remark, officers=servers)
    return s


def compose_service_record(b: Builder, s: Snapshot) -> list[Flowable]:
    servers = "、".join(o["name"] for o in s["officers"])
    signed = f"{s['recipient']}（签名或盖章）　　　　签收日期：{s['date']}"
    if s["left"]:
        signed = f"拒绝签收：{s['refusal']}　　留置日期：{s['date']}"
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "送达文书名称及文号"), f"《{s['served_doc']}》（{s['served_number']}）"],
        [("l", "受送达人"), s["party"]["name"]], [("l", "送达地点"), s["place"]], [("l", "送达方式"), s["method"]],
        [("l", "收件人签名或盖章"), f"\n{signed}"],
        [("l", "代收人及与受送达人关系"), f"{s['recipient']}（{s['substitute']}）" if s["substitute"] else "/"],
        [("l", "见证人"), s["witness"] or "/"], [("l", "送达人"), servers], [("l", "备注"), s["remark"] or "/"],
    ]
    out = [b.heading(s["agency"]), b.title(s["title"]), b.number(s["number"]), b.spacer(3),
           b.grid(rows, [1, 2.6], heights=[None, None, None, None, 60, None, None, None, None])]
    return out + closing(b, s)


register(DocType("service_record", "送达回证", RecordKind.SERVICE_RECORD, load_service, gather_service_record,
                 compose_service_record, number_code="service_receipt", order=70))


# -- 罚没款缴纳记录 --------------------------------------------------------------------------------------------


def gather_payment(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("payment_record", number=None, day=case.paid_on, day_label="缴款日期")
    s.update(cause=case.cause, case_number=case.number, decision_number=g.need(case.decision_number, "决定书文号"),
             party=tf.party_block(case.party), fine=tf.money(case.fine_amount), paid=tf.money(g.need(case.paid_amount,
                                                                                                       "缴款金额")),
             surcharge=tf.money(case.surcharge_paid) if case.surcharge_paid else "/",
             receipt=g.need(case.receipt_number, "罚没款票据号码"))
    return s


def compose_payment(b: Builder, s: Snapshot) -> list[Flowable]:
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "案由"), s["cause"]], [("l", "案件编号"), s["case_number"] or "/"],
        [("l", "决定书文号"), s["decision_number"]], [("l", "当事人"), s["party"].get("name", "")],
        [("l", "决定罚款"), s["fine"]], [("l", "实缴金额"), s["paid"]], [("l", "加处罚款"), s["surcharge"]],
        [("l", "缴款日期"), s["date"]], [("l", "罚没款票据号码"), s["receipt"]],
        [("l", "说明"), f"罚款由当事人到指定银行或者通过电子支付系统缴纳（{LAW}第六十七条），票据复印件附后。"],
    ]
    return header(b, s) + [b.grid(rows, [1.3, 3])] + [b.sign_line("经办人签名：______________")]


register(DocType("payment_record", "罚没款缴纳记录", RecordKind.PENALTY_CASE, load_penalty_case, gather_payment, compose_payment,
                 number_code="payment_record", order=80))


# -- 先行登记保存 -----------------------------------------------------------------------------------------------


def _preservation(g: Gather, r: CaseRecord, doc_type: str, day: date | None, label: str) -> Snapshot:
    s = g.base(doc_type, number=None, day=day, day_label=label)
    party = tf.party_block(r.case.party)
    g.need_all(tf.party_missing(party))
    officers = officer_entries(g.session, r.officers)
    g.need_all(tf.officers_missing(officers))
    s.update(party=party, cause=r.case.cause, f=r.fields, officers=officers, started=tf.cn_date(r.on_date))
    return s


def gather_preservation_notice(g: Gather, r: CaseRecord) -> Snapshot:
    return _preservation(g, r, "preservation_notice", r.on_date, "先行登记保存日期")


def _items_grid(b: Builder, items: list[list[str]]) -> Flowable:
    rows: list[list[str | tuple[str, str]]] = [[("l", "序号"), ("l", "物品名称"), ("l", "规格"), ("l", "数量")]]
    rows += [[str(i), *(list(x) + ["", ""])[:3]] for i, x in enumerate(items, 1)]
    return b.grid(rows, [0.5, 2.5, 1.5, 1])


def compose_preservation_notice(b: Builder, s: Snapshot) -> list[Flowable]:
    f, you = s["f"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.sentence(f"因{tf.clause(s['cause'])}一案调查需要，", tf.clause(f["reason"]),
                                  f"，经本机关负责人{f['approver']}批准，依照{LAW}第五十六条的规定，对{you}的下列物品"
                                  f"先行登记保存，保存地点：{f['keep_place']}。")))
    out.append(_items_grid(b, f["items"]))
    out.append(b.para(f"在先行登记保存期间，{you}不得销毁或者转移上述物品。本机关将在七个工作日内作出处理决定。"))
    out.append(b.para(tf.officers_text(s["officers"]), label="执法人员：", indent=False))
    out.append(b.sign_line("当事人签名（捺印）：______________"))
    return out + closing(b, s)


def gather_preservation_decision(g: Gather, r: CaseRecord) -> Snapshot:
    handled = r.fields.get("handled_on")
    s = _preservation(g, r, "preservation_decision", date.fromisoformat(handled) if handled else None,
                      "处理决定日期（先行登记保存尚未作出处理决定）")
    g.need(r.fields.get("handling"), "处理决定")
    return s


def compose_preservation_decision(b: Builder, s: Snapshot) -> list[Flowable]:
    f, you = s["f"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(f"本机关于{s['started']}对{you}的下列物品先行登记保存。依照{LAW}第五十六条的规定，现作出如下处理决定："))
    out.append(_items_grid(b, f["items"]))
    out.append(b.para(tf.sentence(f["handling"])))
    return out + closing(b, s)


PRESERVATION = record_loader(CaseRecordKind.PRESERVATION)
register(DocType("preservation_notice", "先行登记保存证据通知书", RecordKind.CASE_RECORD, PRESERVATION,
                 gather_preservation_notice, compose_preservation_notice, number_code="preservation", order=26))
register(DocType("preservation_decision", "先行登记保存证据处理决定书", RecordKind.CASE_RECORD, PRESERVATION,
                 gather_preservation_decision, compose_preservation_decision, number_code="preservation_decision",
                 order=27))


# -- 强制执行申请书 ---------------------------------------------------------------------------------------------


def gather_enforcement(g: Gather, r: CaseRecord) -> Snapshot:
    s = g.base("enforcement_application", number=None, day=r.on_date, day_label="申请日期")
    case = r.case
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party, "被申请人"))
    s.update(party=party, f=r.fields, violation=violation(g, case),
             decision_number=g.need(case.decision_number, "行政处罚决定书文号"),
             decided=tf.cn_date(case.decision_date), served=tf.cn_date(case.served_on),
             demanded=tf.cn_date(g.need(case.enforcement_started_on, "催告日期")),
             fine=tf.money(case.fine_amount), paid=tf.money(case.paid_amount) if case.paid_amount else "0.00元",
             materials=list(ENFORCEMENT_MATERIALS) + [m for m in r.fields.get("materials", [])
                                                      if m not in ENFORCEMENT_MATERIALS])
    return s


def compose_enforcement(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    out = header(b, s)
    out.append(b.para(f"申请人：{s['agency']}", indent=False))
    out += party_paragraphs(b, s["party"], "被申请人")
    out.append(b.para(f"{f['request']}", label="申请事项："))
    facts = tf.sentence(f"本机关于{s['decided']}作出《行政处罚决定书》（{s['decision_number']}），认定：",
                        tf.facts_text(s["violation"], who="被申请人"))
    facts += tf.sentence(f"本机关决定对被申请人处以罚款{s['fine']}，该决定书于{s['served']}送达被申请人")
    facts += tf.sentence(f"被申请人在法定期限内未申请行政复议或者提起行政诉讼，又不履行该决定（已缴纳{s['paid']}）")
    facts += tf.sentence(f"本机关于{s['demanded']}依照{FORCE_LAW}第五十四条的规定催告被申请人履行，被申请人逾期仍未履行")
    out.append(b.para(facts, label="事实和理由："))
    out.append(b.para(f"依照{FORCE_LAW}第五十三条、第五十五条的规定，特申请人民法院强制执行。"))
    out.append(b.para("随附材料：", indent=False))
    out += [b.para(f"{i}. {m}") for i, m in enumerate(s["materials"], 1)]
    out.append(b.para(f"此致\n{f['court']}", indent=False))
    out.append(b.sign_line("申请机关负责人签名：______________"))
    return out + closing(b, s)


register(DocType("enforcement_application", "强制执行申请书", RecordKind.CASE_RECORD,
                 record_loader(CaseRecordKind.ENFORCEMENT_APPLICATION), gather_enforcement, compose_enforcement,
                 number_code="enforcement_application", order=84))
