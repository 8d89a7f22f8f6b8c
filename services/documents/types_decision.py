"""Decisions and their service: 行政处罚决定书, 不予行政处罚决定书, 当场行政处罚决定书, 送达回证 (docs/legal-basis.md §6.2)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable
from sqlalchemy import inspect as sa_inspect

from models.case import CaseEvent, PenaltyCase
from models.enums import CaseSource, NoPenaltyGround, Procedure, RecordKind, ServiceMethod
from models.inspection import Inspection
from models.labels import label
from models.penalty_flow import CaseAction
from services.documents import textfmt as tf
from services.documents.common import Gather, closing, header, load_penalty_case, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import OfficerEntry, Snapshot, Violation
from services.procedures.legal_guards import service_consent
from services.procedures.records.evidence_rule import registered_evidence

LAW = "《中华人民共和国行政处罚法》"
SOURCES = {CaseSource.INSPECTION: "在日常巡查中发现", CaseSource.COMPLAINT: "接到投诉举报",
           CaseSource.SUPERIOR: "根据上级交办", CaseSource.TRANSFER_IN: "接到有关部门移送",
           CaseSource.MEDIA: "根据媒体反映", CaseSource.OTHER: "经其他途径发现"}
GROUNDS = {
    NoPenaltyGround.MINOR_CORRECTED: (f"{LAW}第三十三条第一款", "违法行为轻微并及时改正，没有造成危害后果"),
    NoPenaltyGround.FIRST_VIOLATION: (f"{LAW}第三十三条第一款", "初次违法且危害后果轻微并及时改正"),
    NoPenaltyGround.NO_FAULT: (f"{LAW}第三十三条第二款", "当事人有证据足以证明没有主观过错"),
    NoPenaltyGround.UNDER_14: (f"{LAW}第三十条", "当事人实施违法行为时不满十四周岁"),
    NoPenaltyGround.INCAPACITY: (f"{LAW}第三十一条", "当事人在不能辨认或者不能控制自己行为时实施违法行为"),
    NoPenaltyGround.TIME_BARRED: (f"{LAW}第三十六条第一款", "违法行为在法定期限内未被发现"),
    NoPenaltyGround.FACTS_NOT_ESTABLISHED: (f"{LAW}第五十七条第一款第（三）项", "违法事实不能成立"),
}
METHODS = {ServiceMethod.DIRECT: "直接送达", ServiceMethod.LEFT: "留置送达", ServiceMethod.POST: "邮寄送达",
           ServiceMethod.ENTRUSTED: "委托送达", ServiceMethod.ELECTRONIC: "电子送达",
           ServiceMethod.PUBLIC_NOTICE: "公告送达"}


def officers_of(case: PenaltyCase) -> list[OfficerEntry]:
    """The case's officers, lead (主办) first."""
    links = sorted(case.officer_links, key=lambda link: (not link.lead, link.id or 0))
    return [tf.officer_entry(link.officer) for link in links]


def events(case: PenaltyCase, action: CaseAction) -> list[CaseEvent]:
    return [e for e in case.events if e.action == action.value]


def violation(g: Gather, case: PenaltyCase) -> Violation:
    """Facts (time, place, act) and the legal provisions of the catalogue item the case was filed under."""
    item = g.need(case.power_item, "赋权事项（违法行为及法律依据）")
    out: Violation = {
        "cause": g.need(case.cause, "案由"),
        "act": tf.act_name(item.name) if item else "",
        "act_date": tf.cn_date(g.need(case.act_date, "违法行为发生时间")),
        "place": tf.clause(g.need(case.place, "违法行为发生地点")),
        "facts": tf.tidy(g.need(case.facts, "违法事实")),
        "breached": g.need(item.breached_provision, "违反的法律条款") if item else "",
        "basis": g.need(item.penalty_provision, "处罚依据") if item else "",
    }
    return out


def evidence(case: PenaltyCase) -> list[str]:
    """The evidence and what each item proves (art.59(二)): the case's evidence register; a case recorded before
    the register existed falls back to the records it knows of (inspection record, statements, hearing)."""
    session = sa_inspect(case).session
    registered = registered_evidence(session, case) if session is not None else []
    if registered:
        return [f"{e.name}（{label(e.kind)}，{tf.cn_date(e.obtained_on)}{e.collector}取自{e.source}），"
                f"证明{tf.clause(e.proves)}" for e in registered]
    items: list[str] = []
    insp = _inspection(case)
    if insp is not None:
        items.append(f"现场检查（勘验）笔录（{insp.number}），证明当事人违法行为的时间、地点和现场情况")
    for e in events(case, CaseAction.STATEMENT):
        items.append(f"当事人陈述申辩材料（{tf.cn_date(e.on_date)}），证明当事人对违法事实的陈述")
    for e in events(case, CaseAction.HOLD_HEARING):
        if e.details.get("attended"):
            items.append(f"听证笔录（{tf.cn_date(e.on_date)}），证明听证中质证、申辩的情况")
    return items


def _inspection(case: PenaltyCase) -> Inspection | None:
    if case.source_inspection_id is None:
        return None
    session = sa_inspect(case).session
    return session.get(Inspection, case.source_inspection_id) if session is not None else None


def penalties(case: PenaltyCase) -> list[str]:
    out = []
    if case.warning_only or (case.fine_amount or Decimal(0)) == 0:
        out.append("警告")
    if case.fine_amount:
        out.append(f"罚款{tf.money(case.fine_amount)}")
    if case.confiscation_amount:
        out.append(f"没收违法所得{tf.money(case.confiscation_amount)}")
    return out


def _procedure(g: Gather, case: PenaltyCase) -> list[str]:
    """How the case got here (说理式): notice, statements or hearing, legal review, collective discussion."""
    out: list[str] = []
    rights = "陈述、申辩和要求听证" if case.hearing_rights else "陈述、申辩"
    if case.notice_number and case.notified_on:
        out.append(f"本机关于{tf.cn_date(case.notified_on)}向当事人送达了《行政处罚事先告知书》（{case.notice_number}），"
                   f"告知其拟作出行政处罚的内容及事实、理由、依据，以及依法享有的{rights}的权利。")
    for e in events(case, CaseAction.STATEMENT):
        adopted = e.details.get("adopted")
        verdict = "理由成立，本机关予以采纳" if adopted else "经复核，理由不能成立，本机关不予采纳"
        out.append(tf.sentence(f"当事人于{tf.cn_date(e.on_date)}提出陈述、申辩：", tf.clause(e.note), "。", verdict))
    for e in events(case, CaseAction.HOLD_HEARING):
        if e.details.get("attended"):
            out.append(tf.sentence(f"本机关于{tf.cn_date(e.on_date)}依法举行听证，", tf.clause(e.note)))
        else:
            out.append("当事人无正当理由拒不出席听证，视为放弃听证权利。")
    if case.statement_waived:
        out.append(f"当事人书面明确放弃{rights}的权利。")
    elif case.notified_on and not events(case, CaseAction.STATEMENT) and case.hearing_held_on is None \
            and events(case, CaseAction.END_STATEMENT):
        out.append(f"当事人在规定期限内未提出{rights}的要求，视为放弃上述权利。")
    if case.legal_review_passed_on:
        out.append(f"本案于{tf.cn_date(case.legal_review_passed_on)}经法制审核。")
    if case.collective_discussed_on:
        out.append(f"本案于{tf.cn_date(case.collective_discussed_on)}经本机关负责人集体讨论决定。")
    return out


def _payment(g: Gather) -> str:
    """Pay within payment.days, or the art.72 surcharge (rate per day from the settings, capped at the fine)."""
    return tf.payment_text(g.settings.int("payment.days"), g.settings.decimal("surcharge.rate_per_day"))


def gather_penalty_decision(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("penalty_decision", number=case.decision_number, day=case.decision_date, day_label="决定日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    g.need(case.fine_amount is not None or case.warning_only or None, "处罚种类和数额")
    tier_reasons = ""
    if case.power_item and case.discretion_tier:
        tier = next((t for t in case.power_item.tiers if t.tier is case.discretion_tier), None)
        tier_reasons = tier.reasons_template if tier else ""
    s.update(
        party=party, case_number=case.number, filed=tf.cn_date(g.need(case.filed_on, "立案日期")),
        source=SOURCES[case.source], violation=violation(g, case), evidence=evidence(case),
        procedure=_procedure(g, case),
        discretion="，".join(tf.clause(x) for x in (case.discretion_reasons, tier_reasons) if tf.clause(x)),
        penalties=penalties(case), fine=str(case.fine_amount or "0.00"),
        payment=_payment(g) if case.fine_amount else "", remedy=g.remedy(),
    )
    return s


def compose_penalty_decision(b: Builder, s: Snapshot) -> list[Flowable]:
    v = s["violation"]
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(f"当事人{tf.clause(v['cause'])}一案，本机关于{s['filed']}{s['source']}后立案调查"
                      f"（立案编号：{s['case_number']}）。现已调查终结。"))
    out.append(b.para(tf.facts_text(v), label="经查明："))
    if s["evidence"]:
        out.append(b.para("上述事实，有下列证据证明：", indent=True))
        out += [b.para(f"{i}. {e}") for i, e in enumerate(s["evidence"], 1)]
    out += [b.para(p) for p in s["procedure"]]
    discretion = tf.clause(s["discretion"])
    out.append(b.para(tf.sentence(f"本机关认为，当事人的上述行为违反了{v['breached']}的规定。")
                      + tf.tidy(f"考虑到{discretion}，" if discretion else "")
                      + f"依据{v['basis']}的规定，本机关决定对当事人作出如下行政处罚："))
    out += [b.para(f"{i}. {p}；" if i < len(s["penalties"]) else f"{i}. {p}。") for i, p in enumerate(s["penalties"], 1)]
    out.append(b.para("责令当事人立即改正上述违法行为。"))
    if s["payment"]:
        out.append(b.para(s["payment"]))
    out.append(b.para(s["remedy"]["text"]))
    out.append(b.para("申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外。当事人逾期不申请行政复议、"
                      "不提起行政诉讼，又不履行本决定的，本机关将依法申请人民法院强制执行。"))
    out.append(b.para("本决定将依法向社会公示。"))
    return out + closing(b, s)


def gather_no_penalty(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("no_penalty_decision", number=case.decision_number, day=case.decision_date, day_label="决定日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    ground = g.need(case.no_penalty_ground, "不予处罚的理由和依据")
    decided = events(case, CaseAction.DECIDE_NO_PENALTY)
    article, reason = GROUNDS[ground] if ground else ("", "")
    s.update(party=party, case_number=case.number, filed=tf.cn_date(case.filed_on), violation=violation(g, case),
             ground_article=article, ground_reason=reason,
             reasons=g.need(decided[-1].note if decided else "", "不予处罚的事实和理由（含教育情况）"),
             remedy=g.remedy())
    return s


def compose_no_penalty(b: Builder, s: Snapshot) -> list[Flowable]:
    v = s["violation"]
    out = header(b, s) + party_paragraphs(b, s["party"])
    filed = f"本机关于{s['filed']}立案调查（立案编号：{s['case_number']}）" if s["case_number"] else ""
    out.append(b.para(tf.sentence(f"当事人{tf.clause(v['cause'])}一案，", filed)))
    out.append(b.para(tf.facts_text(v), label="经查明："))
    # The recorded reasons usually restate the ground already: then the ground is not said a second time.
    reasons, ground = tf.clause(s["reasons"]), s["ground_reason"]
    subsumed = "" if tf.restates(reasons, ground) else f"，属于{ground}的情形"
    out.append(b.para(tf.sentence(f"本机关认为，当事人的上述行为违反了{v['breached']}的规定。")
                      + tf.sentence(f"鉴于{reasons}{subsumed}，依据{s['ground_article']}的规定，"
                                    "本机关决定对当事人不予行政处罚")))
    out.append(b.para("当事人应当立即改正违法行为，自觉遵守法律法规。"))
    out.append(b.para(s["remedy"]["text"]))
    return out + closing(b, s)


def gather_summary(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("summary_decision", number=case.decision_number, day=case.decision_date, day_label="决定日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    officers = officers_of(case)
    g.need_all(tf.officers_missing(officers, g.settings.int("summary.min_officers")))
    if case.receipt_number and case.paid_on == case.decision_date:
        payment = f"罚款已当场收缴，财政部门统一制发的罚款收据号码：{case.receipt_number}。"
    elif case.fine_amount:
        payment = _payment(g)
    else:
        payment = ""
    # No 备案日期: the decision is handed over on the spot, before the agency files it (art.52).
    s.update(party=party, violation=violation(g, case), penalties=penalties(case), payment=payment,
             officers=officers, fine=str(case.fine_amount or "0.00"), remedy=g.remedy(review_first=True))
    return s


def compose_summary(b: Builder, s: Snapshot) -> list[Flowable]:
    v = s["violation"]
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.facts_text(v), label="违法事实："))
    out.append(b.para(tf.sentence(f"当事人的上述行为违反了{v['breached']}的规定，依据{v['basis']}的规定，"
                                  "适用简易程序，当场作出如下行政处罚：", "；".join(s["penalties"]))))
    if s["payment"]:
        out.append(b.para(s["payment"]))
    out.append(b.para(s["remedy"]["text"]))
    out.append(b.para(tf.officers_text(s["officers"]), label="执法人员：", indent=False))
    out.append(b.para(f"当场处罚地点：{v['place']}", indent=False))
    out.append(b.spacer(4))
    # Both signatures on one line: the decision is handed over on one sheet, seal included (a second page holding
    # only the signatures and the seal is not a decision the party can keep).
    out.append(b.sign_line("当事人签名（或拒签情况）：____________　　执法人员签名：____________"))
    return out + closing(b, s)


def gather_service_receipt(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("service_receipt", number=None, day=case.served_on, day_label="送达日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party, "受送达人"))
    if case.no_penalty_ground is not None and case.fine_amount is None:
        doc_title = "不予行政处罚决定书"
    else:
        doc_title = "当场行政处罚决定书" if case.procedure is Procedure.SUMMARY else "行政处罚决定书"
    served = events(case, CaseAction.SERVE)
    recipient = served[-1].details.get("recipient", "") if served else ""
    method = g.need(case.service_method, "送达方式")
    s.update(served_doc=doc_title, served_number=g.need(case.decision_number, "送达文书编号"), party=party,
             recipient=recipient or party.get("name", ""), place=party.get("address", ""),
             method=METHODS[method] if method else "", officers=officers_of(case)[:2])
    g.need_all(tf.officers_missing(s["officers"], 1))
    if method is ServiceMethod.ELECTRONIC:  # no signature to collect: the consent and the address instead (第六十一条)
        consent = service_consent(case, case.served_on) if case.served_on else None
        g.need(consent, "当事人同意电子送达的确认书（登记电子送达确认）")
        if consent:
            s.update(electronic={"address": str(consent[1].get("address", "")), "consented_on": tf.cn_date(consent[0])})
    return s


def compose_service_receipt(b: Builder, s: Snapshot) -> list[Flowable]:
    servers = "、".join(o["name"] for o in s["officers"])
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "送达文书名称及文号"), f"《{s['served_doc']}》（{s['served_number']}）"],
        [("l", "受送达人"), s["party"]["name"]],
        [("l", "送达地点"), s["place"]],
        [("l", "送达方式"), s["method"]],
        [("l", "收件人签名或盖章"), f"\n\n（签名或盖章）　　　　　　　　　签收日期：{s['date']}"] if not s.get("electronic")
        else [("l", "电子送达情况"), f"当事人于{s['electronic']['consented_on']}同意电子送达并签订确认书，"
                                   f"本文书于{s['date']}发送至其确认的地址：{s['electronic']['address']}"],
        [("l", "代收人及与受送达人关系"), "/"],
        [("l", "送达人"), servers],
        [("l", "备注"), "受送达人拒绝签收的，送达人应当注明拒收事由和日期，并由见证人签名或以拍照、录像等方式记录送达过程。"],
    ]
    heights = [None, None, None, None, 28 * 2.83, None, None, None]
    out = [b.heading(s["agency"]), b.title(s["title"]), b.number(s["number"]), b.spacer(3),
           b.grid(rows, [1, 2.6], heights=heights)]
    return out + closing(b, s)


register(DocType("penalty_decision", "行政处罚决定书", RecordKind.PENALTY_CASE, load_penalty_case, gather_penalty_decision,
                 compose_penalty_decision, order=60, usual_pages=3))
register(DocType("no_penalty_decision", "不予行政处罚决定书", RecordKind.PENALTY_CASE, load_penalty_case, gather_no_penalty,
                 compose_no_penalty, order=61))
register(DocType("summary_decision", "当场行政处罚决定书", RecordKind.PENALTY_CASE, load_penalty_case, gather_summary,
                 compose_summary, order=62))
register(DocType("service_receipt", "送达回证", RecordKind.PENALTY_CASE, load_penalty_case, gather_service_receipt,
                 compose_service_receipt, number_code="service_receipt", order=70))
