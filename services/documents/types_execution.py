"""Coercion, execution, transfer and closing: 查封(扣押)决定书+清单, 催告书, 案件移送书, 结案审批表."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable, KeepTogether, PageBreak

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.enums import CaseStatus, CoerciveKind, CoerciveStatus, Procedure, RecordKind, TransferKind
from models.inspection import Inspection
from services.documents import textfmt as tf
from services.documents.common import (
    SIGN_TEXT,
    Gather,
    closing,
    header,
    load_measure,
    load_penalty_case,
    load_transfer,
    party_paragraphs,
)
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import Snapshot
from services.documents.types_decision import GROUNDS, officers_of, penalties
from services.procedures import deadlines as dl
from services.procedures.legal_guards import paused_days
from services.reference.calendar import load_calendar
from services.reference.catalogue import statute_facts

COERCION = "《中华人民共和国行政强制法》"
_KIND = {CoerciveKind.SEAL: "查封", CoerciveKind.IMPOUND: "扣押"}
_END = {CoerciveStatus.RELEASED: "解除", CoerciveStatus.CONFISCATED: "没收", CoerciveStatus.DESTROYED: "销毁"}


def gather_coercive(g: Gather, m: CoerciveMeasure) -> Snapshot:
    case = g.session.get(PenaltyCase, m.case_id)
    assert case is not None
    kind = _KIND[m.kind]
    g.title = f"{kind}决定书"
    s = g.base("coercive_decision", number=m.decision_number, day=m.started_on, day_label=f"{kind}日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    officers = officers_of(case)
    g.need_all(tf.officers_missing(officers))
    ends = dl.coercive_deadline(m, load_calendar(g.session)).due_on
    items = [{"name": i.name, "spec": i.spec or "/", "quantity": i.quantity, "unit": i.unit, "note": i.note or "/"}
             for i in m.items]
    g.need(items, f"{kind}物品清单")
    # The law that authorises this measure (《中华人民共和国行政强制法》第十条、第二十四条第二款第（二）项).
    authorised = statute_facts(case.power_item.code).coercive if case.power_item else ""
    s.update(authorised_by=g.need(authorised, f"实施{kind}的法律依据（赋权事项未设定{kind}措施）"))
    s.update(kind=kind, party=party, cause=case.cause, reason=g.need(m.reason, f"{kind}理由"),
             place=g.need(m.place, f"{kind}场所（地点）"), start=tf.cn_date(m.started_on), end=tf.cn_date(ends),
             period=f"{tf.cn_num(m.period_days + m.extended_days)}日", officers=officers, items=items,
             remedy=g.remedy())
    return s


def compose_coercive(b: Builder, s: Snapshot) -> list[Flowable]:
    kind, you = s["kind"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.sentence(f"{you}涉嫌{tf.clause(s['cause'])}一案，", tf.clause(s["reason"]), "。",
                                  f"依据{s['authorised_by'] + '和' if s.get('authorised_by') else ''}"
                                  f"{COERCION}第九条、第十八条、第二十四条的规定，"
                                  f"本机关决定对{you}的有关场所、设施或者财物予以{kind}（详见所附清单）")))
    out.append(b.para(f"{kind}地点：{s['place']}；{kind}期限：{s['period']}，自{s['start']}起至{s['end']}止。"
                      f"情况复杂的，经本机关负责人批准可以延长，延长期限不超过三十日，并书面告知。"))
    out.append(b.para(f"在{kind}期间，{you}不得使用、转移、隐匿、损毁被{kind}的财物。"))
    out.append(b.para(s["remedy"]["text"]))
    out.append(b.para(tf.officers_text(s["officers"]), label="执法人员：", indent=False))
    out += closing(b, s)
    out.append(b.sign_line("当事人（或见证人）签名：______________        年    月    日"))
    # 清单 (art.24): on its own page, so it can be printed in two copies for the party and the agency.
    out += [PageBreak(), b.heading(s["agency"]), b.title(f"{kind}物品清单", 18),
            b.number(f"（{s['number']}附件）", "center"), b.spacer(3)]
    rows: list[list[str | tuple[str, str]]] = [[("l", "序号"), ("l", "名称"), ("l", "规格"), ("l", "数量"),
                                                ("l", "单位"), ("l", "备注")]]
    rows += [[str(i), it["name"], it["spec"], it["quantity"], it["unit"], it["note"]]
             for i, it in enumerate(s["items"], 1)]
    out.append(b.grid(rows, [0.6, 2.4, 1.4, 0.8, 0.7, 1.6]))
    out.append(b.spacer(4))
    out.append(b.para("本清单一式两份，当事人和本机关各执一份。", indent=False))
    out.append(b.sign_line("当事人签名：__________　　执法人员签名：__________　　　年　　月　　日"))
    return out


def gather_demand(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("demand_notice", number=None, day=case.enforcement_started_on, day_label="催告日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    fine = g.need(case.fine_amount, "罚款数额")
    served = g.need(case.served_on, "处罚决定书送达日期")
    unpaid = (fine or Decimal(0)) - (case.paid_amount or Decimal(0))
    surcharge = Decimal(0)
    due_text = ""
    if served and fine and case.enforcement_started_on:
        cal = load_calendar(g.session)
        due = dl.payment_deadline(served, g.settings, cal).due
        due_text = tf.cn_date(due)
        # the same amount the payment step asks for: none accrues while a 复议/诉讼 is pending (第七十三条)
        surcharge = dl.surcharge(fine, due, case.enforcement_started_on, g.settings,
                                 excluded_days=paused_days(case, due, case.enforcement_started_on))
    s.update(party=party, decision_number=g.need(case.decision_number, "处罚决定书文号"),
             decision_date=tf.cn_date(case.decision_date), served=tf.cn_date(served), due=due_text,
             unpaid=tf.money(unpaid), surcharge=tf.money(surcharge), total=tf.money(unpaid + surcharge),
             contact=g.contact())
    return s


def compose_demand(b: Builder, s: Snapshot) -> list[Flowable]:
    c, you = s["contact"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(f"本机关于{s['decision_date']}作出《行政处罚决定书》（{s['decision_number']}），并于{s['served']}"
                      f"送达{you}。{you}应当于{s['due']}前缴纳罚款，但至今未履行。"))
    out.append(b.para(f"依据{COERCION}第三十五条、第五十四条的规定，现催告{you}自收到本催告书之日起十日内履行下列义务："
                      f"缴纳罚款{s['unpaid']}，加处罚款（截至本催告书作出之日）{s['surcharge']}，合计{s['total']}。"
                      "加处罚款继续按日计算，但不超过罚款数额。"))
    out.append(b.para("履行方式：到指定银行或者通过电子支付系统缴纳。"))
    out.append(b.para(f"{you}有权进行陈述和申辩，可在收到本催告书之日起三日内到{c['address']}或者通过书面形式提出"
                      f"（联系电话：{c['phone']}）。逾期仍不履行的，本机关将依法申请人民法院强制执行。"))
    return out + closing(b, s)


def gather_transfer(g: Gather, t: Transfer) -> Snapshot:
    judiciary = t.kind is TransferKind.JUDICIARY
    g.title = "涉嫌犯罪案件移送书" if judiciary else "案件移送书"
    s = g.base("transfer_letter", number=t.number, day=t.transferred_on, day_label="移送日期")
    case = g.session.get(PenaltyCase, t.case_id) if t.case_id else None
    insp = g.session.get(Inspection, t.inspection_id) if t.inspection_id else None
    party_obj = case.party if case else (insp.party if insp else None)
    party = tf.party_block(party_obj)
    g.need(party.get("name", ""), "当事人")
    cause = case.cause if case else (insp.findings if insp else "")
    if judiciary:
        basis = ("《中华人民共和国行政处罚法》第二十七条和《行政执法机关移送涉嫌犯罪案件的规定》第三条")
        default_materials = ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定结论", "其他有关涉嫌犯罪的材料"]
    else:
        basis = f"《中华人民共和国行政处罚法》第二十二条{('及' + t.memo_reference) if t.memo_reference else ''}"
        default_materials = ["案件线索及现场检查材料", "相关证据材料复印件"]
    materials = [m.strip() for m in t.materials.splitlines() if m.strip()] or default_materials
    s.update(kind=t.kind.value, receiving_org=g.need(t.receiving_org, "接收机关"), party=party,
             cause=g.need(cause, "案由（移送事项）"), reason=g.need(t.reason, "移送理由"), basis=basis,
             materials=materials, case_number=case.number if case else (insp.number if insp else ""),
             contact=g.contact())
    return s


def compose_transfer(b: Builder, s: Snapshot) -> list[Flowable]:
    c = s["contact"]
    out = header(b, s)
    out.append(b.para(f"{s['receiving_org']}：", indent=False))
    ref = f"（本机关案件编号：{s['case_number']}）" if s["case_number"] else ""
    out.append(b.para(tf.sentence(f"本机关在办理{s['party']['name']}{tf.clause(s['cause'])}一案{ref}中，发现",
                                  tf.clause(s["reason"]), f"。依据{s['basis']}的规定，",
                                  "现将该案移送你单位依法处理，请予接收并将处理结果函告本机关")))
    out.append(b.para("随案移送材料：", indent=False))
    out += [b.para(f"{i}. {m}") for i, m in enumerate(s["materials"], 1)]
    out += b.lines([("联系单位", c["unit"]), ("联系电话", c["phone"]), ("联系地址", c["address"])])
    out += closing(b, s)
    receipt: list[Flowable] = [b.cut_line(), b.title("回　执", 14),
                               b.para(f"{s['agency']}：", indent=False),
                               b.para(f"贵单位{s['number']}《{s['title']}》及随案材料已于　　年　　月　　日收到。"),
                               b.signature("接收单位：", "年　　月　　日")]
    return out + [KeepTogether(receipt)]


def gather_closing(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("closing_form", number=None, day=case.closed_on, day_label="结案日期")
    party = tf.party_block(case.party)
    g.need(party.get("name", ""), "当事人")
    if case.status is CaseStatus.TERMINATED:
        ground = f"案件终止：{case.terminated_reason}"
    elif case.no_penalty_ground is not None and case.fine_amount is None:
        ground = f"作出不予行政处罚决定（{GROUNDS[case.no_penalty_ground][0]}）"
    elif case.decision_number:
        ground = "行政处罚决定已执行完毕"
    else:
        ground = "案件已移送有关机关" if any(e.action == "transfer" for e in case.events) else ""
    g.need(ground, "结案理由")
    paid = (f"已缴纳罚款{tf.money(case.paid_amount)}，缴款日期{tf.cn_date(case.paid_on)}，"
            f"票据（凭证）号{case.receipt_number}") if case.paid_amount else "/"
    measures = g.session.query(CoerciveMeasure).filter(CoerciveMeasure.case_id == case.id).all()
    disposal = "；".join(f"{m.decision_number}{_KIND[m.kind]}财物已{_END.get(m.status, '处理')}" for m in measures) or "/"
    s.update(party_name=party.get("name", ""), case_number=case.number or case.decision_number, cause=case.cause,
             filed=tf.cn_date(case.filed_on) or "/", decision_number=case.decision_number or "/",
             decision_date=tf.cn_date(case.decision_date) or "/", penalty="；".join(penalties(case)) if
             case.decision_number and case.no_penalty_ground is None else "/", paid=paid, disposal=disposal,
             procedure="简易程序" if case.procedure is Procedure.SUMMARY else "普通程序", ground=ground)
    return s


def compose_closing(b: Builder, s: Snapshot) -> list[Flowable]:
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "案件编号"), s["case_number"], ("l", "适用程序"), s["procedure"]],
        [("l", "案由"), s["cause"], "", ""],
        [("l", "当事人"), s["party_name"], "", ""],
        [("l", "立案日期"), s["filed"], ("l", "结案日期"), s["date"]],
        [("l", "决定书文号"), s["decision_number"], ("l", "决定日期"), s["decision_date"]],
        [("l", "处罚内容"), s["penalty"], "", ""],
        [("l", "执行情况"), s["paid"], "", ""],
        [("l", "涉案财物处置"), s["disposal"], "", ""],
        [("l", "复议诉讼情况"), "本案未收到行政复议、行政诉讼法律文书。", "", ""],
        [("l", "结案理由"), s["ground"], "", ""],
        [("l", "承办人意见"), f"建议结案。\n\n{SIGN_TEXT}", "", ""],
        [("l", "承办机构负责人意见"), f"\n\n{SIGN_TEXT}", "", ""],
        [("l", "机关负责人审批意见"), f"同意结案。\n\n{SIGN_TEXT}", "", ""],
    ]
    spans = [((1, r), (3, r)) for r in (1, 2, 5, 6, 7, 8, 9, 10, 11, 12)]
    heights: list[float | None] = [None] * 10 + [52, 52, 52]  # room for handwritten opinions
    return header(b, s) + [b.grid(rows, [1.3, 2.2, 1.0, 1.6], spans=spans, heights=heights)]


register(DocType("coercive_decision", "查封（扣押）决定书", RecordKind.COERCIVE_MEASURE, load_measure, gather_coercive,
                 compose_coercive, order=30))
register(DocType("demand_notice", "催告书", RecordKind.PENALTY_CASE, load_penalty_case, gather_demand, compose_demand,
                 number_code="demand_notice", order=80))
register(DocType("transfer_letter", "案件移送书", RecordKind.TRANSFER, load_transfer, gather_transfer, compose_transfer,
                 order=65))
register(DocType("closing_form", "结案审批表", RecordKind.PENALTY_CASE, load_penalty_case, gather_closing, compose_closing,
                 number_code="closing_form", order=90))
