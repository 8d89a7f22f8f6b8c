"""The investigation and review records of a case file, printed from what was entered (models/case_records.py):
询问笔录, 陈述申辩笔录, 陈述申辩复核意见书, 听证笔录, 听证报告, 调查终结报告, 法制审核意见书, 集体讨论记录.

The items each prints follow 《中华人民共和国行政处罚法》 (第四十二条 two officers with certificates, 第四十五条
复核, 第五十五条 笔录, 第五十七条 调查终结与集体讨论, 第五十八条 法制审核, 第六十四条 听证笔录) and the forms the
provinces publish; docs/legal-basis.md §6.2 lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.case_records import CaseInterview, CaseRecord
from models.enums import CaseRecordKind, RecordKind
from models.org import Officer
from services.core.errors import NotFound
from services.documents import textfmt as tf
from services.documents.common import SIGN_TEXT as SIGN
from services.documents.common import Gather, closing, header, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import OfficerEntry, Snapshot
from services.documents.types_decision import LAW, violation
from services.procedures.records.evidence_rule import registered_evidence

PARTY_SIGN = "当事人（被询问人）签名：                    执法人员签名："


def officer_entries(session: Session, uids: list[str]) -> list[OfficerEntry]:
    """The officers a record names, in its order, as documents print them (name and certificate number)."""
    rows = {o.uid: o for o in session.scalars(select(Officer).where(Officer.uid.in_(uids)))}
    return [tf.officer_entry(rows[u]) for u in uids if u in rows]


def _span(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ""
    return f"{tf.cn_datetime(start)}至{end:%H时%M分}"


def load_interview(session: Session, ref: str) -> CaseInterview:
    row = session.scalar(select(CaseInterview).where(CaseInterview.uid == ref, CaseInterview.deleted_at.is_(None)))
    if row is None:
        raise NotFound(f"找不到询问笔录“{ref}”")
    return row


def record_loader(*kinds: CaseRecordKind) -> Callable[[Session, str], CaseRecord]:
    """A loader of the case records of ``kinds`` by UUID: a record of another kind is not this document's."""
    def load(session: Session, ref: str) -> CaseRecord:
        row = session.scalar(select(CaseRecord).where(CaseRecord.uid == ref, CaseRecord.deleted_at.is_(None),
                                                      CaseRecord.kind.in_(kinds)))
        if row is None:
            raise NotFound(f"找不到记录“{ref}”")
        return row
    return load


# -- 询问笔录 --------------------------------------------------------------------------------------------------


def gather_interview(g: Gather, r: CaseInterview) -> Snapshot:
    s = g.base("interview_record", number=None, day=r.started_at.date(), day_label="询问时间")
    officers = officer_entries(g.session, r.interviewers)
    g.need_all(tf.officers_missing(officers))
    recorder = officer_entries(g.session, [r.recorder_uid])
    person = {"name": g.need(r.name, "被询问人姓名"), "sex": r.sex or "/",
              "birth": tf.cn_date(r.birth_date) or "/", "id_number": r.id_number or "/",
              "work": "，".join(x for x in (r.work_unit, r.post) if x) or "/", "address": r.address or "/",
              "phone": r.phone or "/", "relation": g.need(r.relation, "与本案关系")}
    s.update(span=_span(r.started_at, r.ended_at), place=g.need(r.place, "询问地点"), seq=tf.cn_num(r.seq),
             officers=officers, recorder=g.need(recorder[0]["name"] if recorder else "", "记录人"), person=person,
             cause=r.case.cause, qa=[list(p) for p in g.need(r.questions, "问答内容")])
    return s


def compose_interview(b: Builder, s: Snapshot) -> list[Flowable]:
    o, p = s["officers"], s["person"]
    out = header(b, s, number_align="right")
    out += b.lines([("询问时间", s["span"]), ("询问地点", s["place"]), ("询问次数", f"第{s['seq']}次"),
                    ("询问人", tf.officers_text(o)), ("记录人", s["recorder"])])
    out += b.lines([("被询问人", f"{p['name']}　　性别：{p['sex']}　　出生日期：{p['birth']}"),
                    ("身份证件号码", p["id_number"]), ("工作单位及职务", p["work"]), ("住址", p["address"]),
                    ("联系电话", p["phone"]), ("与本案关系", p["relation"])])
    names = "、".join(x["name"] for x in o)
    certs = "、".join(x["cert"] for x in o)
    out.append(b.para(f"问：我们是{s['agency']}的执法人员{names}，执法证号分别为{certs}，这是我们的执法证件，请过目。"
                      f"现依法就{tf.clause(s['cause'])}一案向你调查了解情况。你有如实回答询问、协助调查的义务，对与本案无关"
                      "的问题有权拒绝回答；执法人员与本案有直接利害关系的，你有权申请回避。你是否申请回避？", indent=False))
    for q, a in s["qa"]:
        out.append(b.para(f"问：{q}", indent=False))
        out.append(b.para(f"答：{a}", indent=False))
    out.append(b.spacer(3))
    out.append(b.para("以上笔录我已看过（已向我宣读），与我所说相符。", indent=False))
    out.append(b.sign_line("被询问人签名（捺印）：______________        年    月    日"))
    out.append(b.sign_line("询问人签名：______________    记录人签名：______________"))
    return out


register(DocType("interview_record", "询问（调查）笔录", RecordKind.CASE_INTERVIEW, load_interview, gather_interview,
                 compose_interview, number_code="interview_record", paged=True, order=22,
                 sign_strip="被询问人签名：                              执法人员签名："))


# -- 陈述申辩笔录 and 复核意见书 -------------------------------------------------------------------------------


def _base_record(g: Gather, r: CaseRecord, doc_type: str, day_label: str) -> Snapshot:
    s = g.base(doc_type, number=None, day=r.on_date, day_label=day_label)
    party = tf.party_block(r.case.party)
    g.need_all(tf.party_missing(party))
    s.update(party=party, cause=g.need(r.case.cause, "案由"), case_number=r.case.number, place=r.place,
             span=_span(r.started_at, r.ended_at), officers=officer_entries(g.session, r.officers), f=r.fields)
    return s


def gather_statement(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "statement_record", "陈述申辩日期")
    g.need_all(tf.officers_missing(s["officers"]))
    g.need(s["f"].get("statement"), "陈述申辩内容")
    s.update(notice_number=r.case.notice_number)
    return s


def compose_statement(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("时间", s["span"]), ("地点", s["place"]),
                    ("陈述申辩人", f["speaker"]), ("执法人员", tf.officers_text(s["officers"]))])
    out += party_paragraphs(b, s["party"])
    out.append(b.para(f"执法人员：本机关已于事先告知书（{s['notice_number']}）中告知你拟作出的行政处罚及其事实、理由和依据。"
                      f"根据{LAW}第四十五条的规定，你有权进行陈述和申辩，本机关不因你的陈述、申辩而给予更重的处罚。"
                      "请陈述你的意见。", indent=False))
    out.append(b.para(f"陈述申辩人：{f['statement']}", indent=False))
    out.append(b.spacer(3))
    out.append(b.para("以上笔录我已看过（已向我宣读），与我所说相符。", indent=False))
    out.append(b.sign_line("陈述申辩人签名（捺印）：______________        年    月    日"))
    return out


def gather_review(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "review_opinion", "复核日期")
    g.need(s["f"].get("review"), "复核意见")
    return s


def compose_review(b: Builder, s: Snapshot) -> list[Flowable]:
    f, you = s["f"], tf.you(s["party"])
    out = header(b, s) + party_paragraphs(b, s["party"])
    out.append(b.para(tf.sentence(f"{you}于{s['date']}就{tf.clause(s['cause'])}一案提出陈述、申辩：",
                                  tf.clause(f["statement"]))))
    verdict = "理由成立，本机关予以采纳" if f.get("adopted") else "理由不能成立，本机关不予采纳"
    out.append(b.para(tf.sentence(f"本机关依照{LAW}第四十五条的规定进行了复核。", tf.clause(f["review"]), "。",
                                  f"经复核，{you}提出的事实、理由和证据{verdict}")))
    out.append(b.para(f"本机关不因{you}陈述、申辩而给予更重的处罚。"))
    return out + closing(b, s)


register(DocType("statement_record", "陈述申辩笔录", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.STATEMENT),
                 gather_statement, compose_statement, number_code="statement_record", paged=True, order=44,
                 sign_strip=PARTY_SIGN))
register(DocType("review_opinion", "陈述申辩复核意见书", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.STATEMENT),
                 gather_review, compose_review, number_code="review_opinion", order=45))


# -- 听证笔录 and 听证报告 ---------------------------------------------------------------------------------------


def gather_hearing_record(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "hearing_record", "听证日期")
    f = s["f"]
    for key, label in (("presider", "听证主持人"), ("clerk", "书记员"), ("investigators_case", "调查人员意见"),
                       ("defence", "当事人陈述申辩和质证意见")):
        g.need(f.get(key), label)
    s.update(investigators=[o["name"] for o in s["officers"]] or [link.officer.name for link in r.case.officer_links],
             public="公开" if f.get("public", True) else "不公开")
    return s


def compose_hearing_record(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("听证时间", s["span"]), ("听证地点", s["place"]),
                    ("听证方式", f"{s['public']}举行"), ("听证主持人", f["presider"]),
                    ("听证员", f.get("members") or "/"), ("书记员", f["clerk"]),
                    ("案件调查人员", "、".join(s["investigators"])),
                    ("出席人员", "、".join(f["attendees"])), ("委托代理人", "、".join(f.get("agents") or []) or "/")])
    out += party_paragraphs(b, s["party"])
    out.append(b.para("主持人：宣布听证纪律，核对出席人员身份，告知当事人依法享有申请回避、陈述、申辩和质证的权利。"
                      "当事人是否申请主持人、听证员或书记员回避？", indent=False))
    out.append(b.para(f"当事人：{f.get('recusal') or '不申请回避。'}", indent=False))
    out.append(b.para(f"调查人员：{f['investigators_case']}", indent=False))
    out.append(b.para(f"当事人：{f['defence']}", indent=False))
    if f.get("cross"):
        out.append(b.para(f"质证、辩论：{f['cross']}", indent=False))
    out.append(b.para(f"当事人最后陈述：{f['final_statement']}", indent=False))
    out.append(b.para("主持人：听证结束。请当事人核对笔录，确认无误后签名。", indent=False))
    out.append(b.spacer(3))
    out.append(b.sign_line("当事人（代理人）签名：______________    主持人签名：______________"))
    out.append(b.sign_line("听证员签名：______________    书记员签名：______________"))
    return out


def gather_hearing_report(g: Gather, r: CaseRecord) -> Snapshot:
    s = gather_hearing_record(g, r)
    s["doc_type"] = "hearing_report"
    s["title"] = g.title
    g.need(s["f"].get("opinion"), "主持人的处理意见")
    s.update(violation=violation(g, r.case), fine=str(r.case.notified_fine or ""))
    return s


def compose_hearing_report(b: Builder, s: Snapshot) -> list[Flowable]:
    f, v = s["f"], s["violation"]
    out = header(b, s)
    out.append(b.para(f"{s['agency']}：", indent=False))
    out.append(b.para(f"本机关于{s['span']}在{s['place']}就{tf.clause(s['cause'])}一案{s['public']}举行听证。"
                      f"听证主持人{f['presider']}，听证员{f.get('members') or '无'}，书记员{f['clerk']}；"
                      f"出席人员：{'、'.join(f['attendees'])}。现将听证情况报告如下："))
    out.append(b.para(tf.facts_text(v), label="一、案件基本情况："))
    out.append(b.para(f["investigators_case"], label="二、调查人员提出的违法事实、证据和处罚建议："))
    out.append(b.para(f["defence"], label="三、当事人的陈述、申辩和质证意见："))
    out.append(b.para(f["opinion"], label="四、听证主持人意见："))
    out.append(b.para(f"依照{LAW}第六十五条的规定，本机关将根据听证笔录作出决定。"))
    out.append(b.sign_line(f"听证主持人：{f['presider']}（签名）　　　　听证员：{f.get('members') or '/'}（签名）"))
    return out + closing(b, s, seal=False)


register(DocType("hearing_record", "听证笔录", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.HEARING), gather_hearing_record,
                 compose_hearing_record, number_code="hearing_record", paged=True, order=46,
                 sign_strip="当事人签名：                    主持人签名：                    书记员签名："))
register(DocType("hearing_report", "听证报告", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.HEARING), gather_hearing_report,
                 compose_hearing_report, number_code="hearing_report", order=47))


# -- 调查终结报告, 法制审核意见书, 集体讨论记录 -------------------------------------------------------------------


def gather_investigation_report(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "investigation_report", "报告日期")
    g.need_all(tf.officers_missing(s["officers"]))
    s.update(violation=violation(g, r.case), evidence=[
        f"{e.name}（{e.quantity}），证明{tf.clause(e.proves)}" for e in registered_evidence(g.session, r.case)])
    return s


def compose_investigation_report(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("案件编号", s["case_number"] or "/"),
                    ("承办人", tf.officers_text(s["officers"]))])
    out += party_paragraphs(b, s["party"])
    out.append(b.para(f["facts"], label="一、调查认定的违法事实："))
    out.append(b.para("二、证据情况：", indent=False))
    out += [b.para(f"{i}. {e}") for i, e in enumerate(s["evidence"], 1)] or [b.para("见证据清单。")]
    out.append(b.para(f["analysis"], label="三、案件定性及法律依据："))
    out.append(b.para(f["proposal"], label="四、处理意见："))
    out.append(b.sign_line(f"承办人签名：______________　　　　{s['date']}"))
    out.append(b.para(f"\n{SIGN}", label="承办机构负责人意见："))
    return out


def gather_legal_review(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "legal_review_opinion", "审核日期")
    g.need(s["f"].get("items"), "审核事项及审核情况")
    return s


def compose_legal_review(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    rows: list[list[str | tuple[str, str]]] = [[("l", "案由"), s["cause"]], [("l", "当事人"), s["party"]["name"]],
                                               [("l", "案件编号"), s["case_number"] or "/"]]
    rows += [[("l", item), finding] for item, finding in f["items"]]
    rows += [[("l", "审核意见"), f["opinion"]], [("l", "审核人员"), f"{f['reviewer']}　　　　{s['date']}"]]
    out = header(b, s)
    out.append(b.para(f"依照{LAW}第五十八条的规定，对本案拟作出的行政处罚决定进行法制审核，审核情况如下：", indent=False))
    out.append(b.grid(rows, [2.2, 3]))
    return out + closing(b, s)


def gather_collective(g: Gather, r: CaseRecord) -> Snapshot:
    s = _base_record(g, r, "collective_record", "讨论日期")
    g.need(s["f"].get("attendees"), "参加人员")
    s.update(violation=violation(g, r.case))
    return s


def compose_collective(b: Builder, s: Snapshot) -> list[Flowable]:
    f = s["f"]
    out = header(b, s)
    out += b.lines([("案由", s["cause"]), ("当事人", s["party"].get("name", "")), ("时间", s["span"]),
                    ("地点", s["place"]), ("主持人", f["presider"]),
                    ("参加人员", "、".join(f["attendees"])), ("记录人", f["recorder"]),
                    ("列席人员", "、".join(f.get("observers") or []) or "/")])
    out.append(b.para(f"承办人汇报案件事实、证据、法律依据和处理意见：{tf.facts_text(s['violation'])}", indent=False))
    out.append(b.para(f["discussion"], label="讨论情况："))
    out.append(b.para(f["conclusion"], label="讨论结论："))
    out.append(b.spacer(3))
    out.append(b.sign_line("参加人员签名：________________________________________"))
    out.append(b.sign_line("主持人签名：______________    记录人签名：______________"))
    return out


register(DocType("investigation_report", "调查终结报告", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.INVESTIGATION_REPORT),
                 gather_investigation_report, compose_investigation_report, number_code="investigation_report",
                 order=30))
register(DocType("legal_review_opinion", "法制审核意见书", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.LEGAL_REVIEW),
                 gather_legal_review, compose_legal_review, number_code="legal_review_opinion", order=32))
register(DocType("collective_record", "集体讨论记录", RecordKind.CASE_RECORD, record_loader(CaseRecordKind.COLLECTIVE),
                 gather_collective, compose_collective, number_code="collective_record", paged=True, order=34,
                 sign_strip="参加人员签名："))
