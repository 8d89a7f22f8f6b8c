"""Investigation and notice documents: 立案审批表, 事先告知书, 听证告知书, 听证通知书 (docs/legal-basis.md §6.2)."""

from __future__ import annotations

from datetime import datetime

from reportlab.platypus import Flowable

from models.case import PenaltyCase
from models.enums import RecordKind
from services.documents import textfmt as tf
from services.documents.common import SIGN_TEXT as SIGN
from services.documents.common import Gather, closing, header, load_penalty_case, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import Contact, Snapshot
from services.documents.types_decision import LAW, SOURCES, officers_of, violation
from services.procedures.case_rules import threshold
from services.procedures.legal_guards import hearing_schedule, notified_extras, summons_inputs


def gather_filing(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("case_filing_form", number=case.number, day=case.filed_on, day_label="立案日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    officers = officers_of(case)
    g.need_all(tf.officers_missing(officers))
    s.update(party=party, violation=violation(g, case), source=SOURCES[case.source],
             discovered=tf.cn_date(g.need(case.discovered_on, "发现（受理）日期")), officers=officers)
    return s


def compose_filing(b: Builder, s: Snapshot) -> list[Flowable]:
    v, p = s["violation"], s["party"]
    lines = tf.party_lines(p)
    party_text = "；".join(f"{k}：{val}" for k, val in lines[1:])
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "案件编号"), s["number"], ("l", "立案日期"), s["date"]],
        [("l", "案由"), v["cause"], "", ""],
        [("l", "案件来源"), s["source"], ("l", "发现日期"), s["discovered"]],
        [("l", "当事人"), p["name"], "", ""],
        [("l", "当事人情况"), party_text, "", ""],
        [("l", "简要案情及初步证据"), tf.facts_text(v), "", ""],
        [("l", "涉嫌违反条款"), v["breached"], "", ""],
        [("l", "立案条件"), "有证据初步证明存在违法行为；依法应当给予行政处罚；属于本机关管辖；在追责时效以内。", "", ""],
        [("l", "承办人员"), tf.officers_text(s["officers"]), "", ""],
        [("l", "承办人意见"), f"建议立案调查。\n\n{SIGN}", "", ""],
        [("l", "承办机构负责人意见"), f"\n\n{SIGN}", "", ""],
        [("l", "机关负责人审批意见"), f"同意立案。\n\n{SIGN}", "", ""],
    ]
    spans = [((1, r), (3, r)) for r in range(1, 12) if r != 2]
    heights: list[float | None] = [None] * 9 + [52, 52, 52]  # room for handwritten opinions
    return header(b, s, number_align=None) + [b.grid(rows, [1.3, 2.2, 1.0, 1.6], spans=spans, heights=heights)]


def _contact(g: Gather, case: PenaltyCase) -> Contact:
    c = g.contact()
    officers = officers_of(case)
    c["person"] = g.need(officers[0]["name"] if officers else "", "联系人")
    return c


def gather_prior_notice(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("prior_notice", number=case.notice_number, day=case.notified_on, day_label="告知日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    fine = g.need(case.notified_fine, "拟处罚款数额")
    days = g.settings.int("statement.days")
    unit = "个工作日" if g.settings.bool("statement.working_days") else "日"
    intended = ["警告"] if fine is not None and fine == 0 else [f"罚款{tf.money(fine)}"] if fine is not None else []
    intended += notified_extras(case)[0]  # a confiscation or heavier kind the notice proposed (第四十四条)
    s.update(party=party, violation=violation(g, case), intended=intended, discretion=case.discretion_reasons,
             statement_period=f"{tf.cn_num(days)}{unit}", hearing=bool(case.hearing_rights),
             hearing_period=f"{tf.cn_num(g.settings.int('hearing.request_working_days'))}个工作日",
             contact=_contact(g, case), fine=str(fine or "0.00"))
    return s


def compose_prior_notice(b: Builder, s: Snapshot) -> list[Flowable]:
    v, c, you = s["violation"], s["contact"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.sentence("经查，", tf.facts_text(v, who=you))))
    discretion = tf.clause(s["discretion"])
    out.append(b.para(tf.sentence(f"{you}的上述行为违反了{v['breached']}的规定。")
                      + tf.sentence(f"鉴于{discretion}，" if discretion else "",
                                    f"依据{v['basis']}的规定，本机关拟对{you}作出如下行政处罚：", "；".join(s["intended"]))))
    out.append(b.para(f"根据{LAW}第四十四条、第四十五条的规定，{you}有权进行陈述和申辩。请于收到本告知书之日起"
                      f"{s['statement_period']}内到{c['address']}（{c['unit']}）提出陈述、申辩，或者提交书面陈述、申辩材料。"))
    if s["hearing"]:
        out.append(b.para(f"根据{LAW}第六十三条、第六十四条的规定，{you}有权要求举行听证。要求听证的，应当在收到本告知书"
                          f"之日起{s['hearing_period']}内提出；当事人不承担听证的费用。"))
    out.append(b.para("逾期未提出陈述、申辩" + ("或者听证要求" if s["hearing"] else "")
                      + "的，视为放弃上述权利，本机关将依法作出行政处罚决定。"))
    out += b.lines([("联系人", c["person"]), ("联系电话", c["phone"]), ("联系地址", c["address"])])
    return out + closing(b, s)


def gather_hearing_notice(g: Gather, case: PenaltyCase) -> Snapshot:
    s = g.base("hearing_notice", number=None, day=case.notified_on, day_label="告知日期")
    g.need(case.hearing_rights or None, "听证权利（拟作出的处罚须达到听证标准）")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    fine = g.need(case.notified_fine, "拟处罚款数额")
    extras, grounds = notified_extras(case)  # 第六十三条: not only a large fine gives the right
    large = fine is not None and fine >= threshold(case, "hearing", g.settings)
    s.update(hearing_grounds=(["较大数额罚款"] if large else []) + grounds)
    s.update(party=party, violation=violation(g, case), notice_number=g.need(case.notice_number, "事先告知书文号"),
             intended=([f"罚款{tf.money(fine)}"] if fine else []) + extras,
             hearing_period=f"{tf.cn_num(g.settings.int('hearing.request_working_days'))}个工作日",
             contact=_contact(g, case))
    return s


def compose_hearing_notice(b: Builder, s: Snapshot) -> list[Flowable]:
    v, c, you = s["violation"], s["contact"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(f"本机关就{you}{tf.clause(v['cause'])}一案已向{you}送达《行政处罚事先告知书》（{s['notice_number']}），"
                      f"拟作出{'；'.join(s['intended'])}的行政处罚。该处罚属于{LAW}第六十三条规定的"
                      f"{'、'.join(s.get('hearing_grounds') or ['较大数额罚款'])}，"
                      f"{you}有权要求举行听证。"))
    out.append(b.para(f"如要求听证，请于收到本告知书之日起{s['hearing_period']}内向本机关提出。逾期未提出的，视为放弃听证权利。"
                      "当事人不承担组织听证的费用。"))
    out += b.lines([("联系人", c["person"]), ("联系电话", c["phone"]), ("联系地址", c["address"])])
    return out + closing(b, s)


HEARING_INPUTS = (("hearing_at", "听证时间（如 2026-03-20 09:30）"), ("hearing_place", "听证地点"),
                  ("presider", "听证主持人"), ("members", "听证员"), ("clerk", "书记员"),
                  ("public", "是否公开（公开/不公开）"))


def gather_hearing_summons(g: Gather, case: PenaltyCase) -> Snapshot:
    """The model has no columns for the hearing arrangement: it is entered when the summons is issued."""
    g.need(case.hearing_requested_on, "当事人听证申请")
    # The hearing the 听证通知 step scheduled wins over typed inputs (《行政处罚法》第六十四条第（二）项).
    schedule = hearing_schedule(case)
    given = {**g.inputs, **summons_inputs(case)}
    at_text = g.need(given.get("hearing_at", ""), "听证时间（出具时填写 hearing_at）")
    when = None
    if at_text:
        try:
            when = datetime.fromisoformat(at_text)
        except ValueError:
            g.need("", "听证时间（格式如 2026-03-20 09:30）")
    s = g.base("hearing_summons", number=None, day=schedule[0] if schedule else case.hearing_requested_on,
               day_label="听证通知日期" if schedule else "听证申请日期")
    party = tf.party_block(case.party)
    g.need_all(tf.party_missing(party))
    presider = g.need(given.get("presider", ""), "听证主持人（出具时填写 presider）")
    if presider and presider in {o["name"] for o in officers_of(case)}:
        g.need("", "听证主持人（不得由本案调查人员担任）")
    s.update(party=party, cause=case.cause, notice_number=case.notice_number,
             requested=tf.cn_date(case.hearing_requested_on), hearing_at=tf.cn_datetime(when),
             hearing_place=g.need(given.get("hearing_place", ""), "听证地点（出具时填写 hearing_place）"), presider=presider,
             members=given.get("members", "") or "/", clerk=g.need(given.get("clerk", ""), "书记员（出具时填写 clerk）"),
             public=given.get("public", "") or "公开", contact=_contact(g, case))
    return s


def compose_hearing_summons(b: Builder, s: Snapshot) -> list[Flowable]:
    c, you = s["contact"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(f"根据{you}{s['requested']}提出的听证申请，本机关决定就{you}{tf.clause(s['cause'])}一案举行听证。"
                      "现将有关事项通知如下："))
    out += b.lines([("听证时间", s["hearing_at"]), ("听证地点", s["hearing_place"]), ("听证主持人", s["presider"]),
                    ("听证员", s["members"]), ("书记员", s["clerk"]), ("听证方式", f"{s['public']}举行")])
    out.append(b.para(f"{you}认为主持人与本案有直接利害关系的，有权申请回避。{you}可以亲自参加听证，也可以委托一至二人"
                      "代理；委托代理人参加听证的，应当在听证前提交授权委托书。请携带身份证明及有关证据材料按时参加听证。"))
    out.append(b.para(f"{you}无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，依照{LAW}第六十四条"
                      "第（八）项的规定终止听证。"))
    out += b.lines([("联系人", c["person"]), ("联系电话", c["phone"])])
    return out + closing(b, s)


register(DocType("case_filing_form", "立案审批表", RecordKind.PENALTY_CASE, load_penalty_case, gather_filing, compose_filing,
                 order=10))
register(DocType("prior_notice", "行政处罚事先告知书", RecordKind.PENALTY_CASE, load_penalty_case, gather_prior_notice,
                 compose_prior_notice, order=40))
register(DocType("hearing_notice", "听证告知书", RecordKind.PENALTY_CASE, load_penalty_case, gather_hearing_notice,
                 compose_hearing_notice, number_code="hearing_notice", order=41))
register(DocType("hearing_summons", "听证通知书", RecordKind.PENALTY_CASE, load_penalty_case, gather_hearing_summons,
                 compose_hearing_summons, number_code="hearing_summons", order=42, inputs=HEARING_INPUTS))
