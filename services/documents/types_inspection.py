"""Inspection documents: 现场检查(勘验)笔录 and 责令(限期)改正通知书 (docs/legal-basis.md §6.2)."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select

from models.case import PenaltyCase
from models.enums import InspectionResult, ItemResult, RecordKind
from models.inspection import Inspection
from models.labels import label
from services.core.errors import NotFound
from services.documents import textfmt as tf
from services.documents.common import Gather, closing, header, load_inspection, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import OfficerEntry, Snapshot
from services.reference.catalogue import current_item

_ITEM = {ItemResult.OK: "符合", ItemResult.PROBLEM: "不符合", ItemResult.NOT_APPLICABLE: "不适用"}


def _officers(insp: Inspection) -> list[OfficerEntry]:
    return [tf.officer_entry(link.officer) for link in sorted(insp.officer_links, key=lambda x: x.id or 0)]


def gather_inspection_record(g: Gather, insp: Inspection) -> Snapshot:
    g.title = "现场检查笔录"  # a 勘验笔录 also needs weather, method and a sketch map, which the model lacks
    s = g.base("inspection_record", number=insp.number, day=insp.inspected_on, day_label="检查日期")
    party = tf.party_block(insp.party)
    # The model has no separate on-site person or witness: the inspected party is the person present.
    g.need_all(tf.party_missing(party, "被检查人") if party else ["被检查人（当事人或现场负责人）"])
    officers = _officers(insp)
    g.need_all(tf.officers_missing(officers))
    items = [{"text": i.text, "result": _ITEM[i.result], "note": i.note or "/"} for i in insp.items]
    measures = label(insp.result)
    if insp.result is InspectionResult.ORDERED and insp.rectification_deadline:
        measures += f"，整改期限至{tf.cn_date(insp.rectification_deadline)}"
    s.update(started=tf.cn_datetime(insp.started_at), ended=tf.cn_time(insp.ended_at),
             place=g.need(insp.place, "检查地点"), party=party, officers=officers, items=items,
             findings=insp.findings or ("经检查，未发现违法违规问题。" if insp.result is InspectionResult.PASSED else ""),
             domain=insp.domain, measures=measures)
    g.need(s["findings"] or items, "检查情况")
    return s


def compose_inspection_record(b: Builder, s: Snapshot) -> list[Flowable]:
    o = s["officers"]
    out = header(b, s)
    out += b.lines([("检查时间", f"{s['started']}至{s['ended']}"), ("检查地点", s["place"]),
                    ("检查人员", tf.officers_text(o)), ("记录人", o[-1]["name"])])
    out += party_paragraphs(b, s["party"], "被检查人")
    out.append(b.para(f"执法人员{'、'.join(x['name'] for x in o)}向被检查人出示了执法证件，表明身份，说明了检查的依据和内容，"
                      "告知其有如实提供情况、配合检查的义务，以及享有陈述、申辩和申请执法人员回避的权利。"))
    out.append(b.sign_line("被检查人是否申请回避：______________（由被检查人填写）"))
    out.append(b.para(f"检查事项：{s['domain'] or '综合检查'}。检查情况如下：", indent=False))
    if s["items"]:
        rows: list[list[str | tuple[str, str]]] = [[("l", "序号"), ("l", "检查项目"), ("l", "结果"), ("l", "说明")]]
        rows += [[str(i), it["text"], it["result"], it["note"]] for i, it in enumerate(s["items"], 1)]
        out += [b.grid(rows, [0.6, 3.2, 0.9, 2.3]), b.spacer(2)]
    if s["findings"]:
        out.append(b.para(tf.sentence(s["findings"]), label="现场情况："))
    out.append(b.para(tf.sentence(s["measures"]), label="处理措施："))
    out.append(b.spacer(3))
    out.append(b.sign_line("被检查人意见：__________________________________________________"))
    out.append(b.para("以上笔录我已看过（已向我宣读），记录属实。", indent=False))
    out.append(b.sign_line("被检查人签名：________　执法人员签名：________　见证人签名：________"))
    return out


def _item_for_order(g: Gather, insp: Inspection) -> Any:
    """The catalogue item behind the order: the case opened from this inspection, or the code entered."""
    case = g.session.scalar(select(PenaltyCase).where(PenaltyCase.source_inspection_id == insp.id).limit(1))
    if case is not None and case.power_item is not None:
        return case.power_item
    code = g.inputs.get("item_code", "")
    if not code:
        return None
    try:
        return current_item(g.session, code, insp.inspected_on)
    except NotFound:
        g.need("", f"赋权事项“{code}”（编码不存在或检查日未生效）")
        return None


def gather_rectification(g: Gather, insp: Inspection) -> Snapshot:
    g.title = "责令限期改正通知书"
    g.need(insp.result is InspectionResult.ORDERED or None, "责令限期整改的检查结论")
    s = g.base("rectification_order", number=None, day=insp.inspected_on, day_label="检查日期")
    party = tf.party_block(insp.party)
    g.need_all(tf.party_missing(party))
    item = _item_for_order(g, insp)
    g.need(item, "违反的法律条款（请填写赋权事项编码 item_code）")
    problems = [i.text + (f"（{i.note}）" if i.note else "") for i in insp.items if i.result is ItemResult.PROBLEM]
    facts = insp.findings or "；".join(problems)
    s.update(party=party, found=tf.cn_datetime(insp.started_at), place=insp.place, facts=g.need(facts, "违法事实"),
             act=tf.act_name(item.name) if item else "", breached=item.breached_provision if item else "",
             basis=f"《中华人民共和国行政处罚法》第二十八条第一款{('、' + item.penalty_provision) if item else ''}",
             deadline=tf.cn_date(g.need(insp.rectification_deadline, "整改期限")), officers=_officers(insp),
             inspection_number=insp.number, remedy=g.remedy(what="本通知"))
    return s


def compose_rectification(b: Builder, s: Snapshot) -> list[Flowable]:
    you = tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.sentence(f"经查，{s['found']}，本机关执法人员在{tf.clause(s['place'])}检查时发现"
                                  f"（检查记录：{s['inspection_number']}），{you}存在以下问题：", tf.clause(s["facts"]))))
    out.append(b.para(f"上述行为涉嫌{tf.act_name(s['act'])}，违反了{s['breached']}的规定。依据{s['basis']}的规定，"
                      f"现责令{you}于{s['deadline']}前改正上述违法行为，并将改正情况报告本机关。"))
    out.append(b.para("逾期不改正的，本机关将依法立案查处。"))
    out.append(b.para(s["remedy"]["text"]))
    out.append(b.para(tf.officers_text(s["officers"]), label="执法人员：", indent=False))
    out += closing(b, s)
    out.append(b.sign_line("当事人签收：______________        年    月    日"))
    return out


register(DocType("inspection_record", "现场检查（勘验）笔录", RecordKind.INSPECTION, load_inspection, gather_inspection_record,
                 compose_inspection_record, paged=True, order=20,
                 sign_strip="被检查人签名：                              执法人员签名："))
register(DocType("rectification_order", "责令（限期）改正通知书", RecordKind.INSPECTION, load_inspection, gather_rectification,
                 compose_rectification, number_code="rectification_order", order=21,
                 inputs=(("item_code", "赋权事项编码（无关联案件时填写，如 SR-003）"),)))
