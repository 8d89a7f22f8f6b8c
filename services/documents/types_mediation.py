"""People's mediation: 申请书/受理登记表, 人民调解协议书, 口头协议登记, 回访记录, 司法确认申请书 (docs/legal-basis.md §6.2).

The committee's documents are the committee's: its name heads them, its seal name signs them and their numbers carry
its own 代字 (services/reference/numbering.py). The 司法确认申请书 is the parties' own document: no number, no
issuer, signed by both and addressed to the court.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import (
    AgreementForm,
    MediationPartyRole,
    MediationSource,
    MediationStatus,
    PerformanceStatus,
    RecordKind,
)
from models.mediation import (
    DisputeCategory,
    FollowUpVisit,
    MediationCase,
    MediationCommittee,
    MediationObligation,
    Mediator,
)
from models.party import Party
from services.documents import textfmt as tf
from services.documents.common import Gather, closing, header, load_mediation, load_visit, party_paragraphs
from services.documents.layout import Builder
from services.documents.registry import DocType, register
from services.documents.snapshot import MediationParty, Snapshot
from services.procedures.mediation_rules import CIVIL_PROCEDURE, CIVIL_PROCEDURE_ARTICLES, SPC_RULES
from services.reference.numbering import Issuer, committee_issuer

LAW = "《中华人民共和国人民调解法》"
_ROLE = {MediationPartyRole.APPLICANT: "申请人", MediationPartyRole.RESPONDENT: "被申请人",
         MediationPartyRole.OTHER: "其他当事人"}
_SOURCE = {MediationSource.APPLICATION: "当事人申请", MediationSource.INITIATIVE: "主动调解（矛盾纠纷排查）",
           MediationSource.COURT: "人民法院委派", MediationSource.POLICE: "公安机关移交",
           MediationSource.PETITION: "信访部门转办", MediationSource.OTHER_DEPARTMENT: "其他部门移交"}
_PERF = {PerformanceStatus.PENDING: "履行期限未届满", PerformanceStatus.PERFORMED: "已履行",
         PerformanceStatus.PARTLY: "部分履行", PerformanceStatus.NOT_PERFORMED: "未履行"}


def _parties(g: Gather, mc: MediationCase) -> list[MediationParty]:
    out: list[MediationParty] = []
    for link in sorted(mc.party_links, key=lambda x: (x.role.value != "applicant", x.id or 0)):
        block: MediationParty = {**tf.party_block(link.party), "role": _ROLE[link.role]}
        g.need(block.get("name"), f"{block['role']}姓名或名称")
        g.need(block.get("address"), f"{block['role']}{block.get('name', '')}的住址")
        out.append(block)
    if len(out) < 2:
        g.need("", "双方当事人")
    return out


def _common(g: Gather, mc: MediationCase, doc_type: str, *, number: str | None, day: Any, day_label: str
            ) -> Snapshot:
    s = g.base(doc_type, number=number, day=day, day_label=day_label)
    committee = g.session.get(MediationCommittee, mc.committee_id)
    # A mediation document is the committee's, not the government's: its name heads and signs it.
    s["agency"] = g.need(committee.name if committee else "", "人民调解委员会名称")
    s["seal_name"] = (committee.seal_name or committee.name) if committee else ""  # the name the seal bears
    category = g.session.get(DisputeCategory, mc.category_id)
    ids = [link.mediator_id for link in mc.mediator_links]
    mediators = list(g.session.scalars(select(Mediator.name).where(Mediator.id.in_(ids)))) if ids else []
    s.update(parties=_parties(g, mc), case_number=mc.number, category=category.name if category else "",
             summary=tf.tidy(mc.summary or ""), mediators=mediators)
    return s


def _party_blocks(b: Builder, s: Snapshot) -> list[Flowable]:
    out: list[Flowable] = []
    for p in s["parties"]:
        out += party_paragraphs(b, p, p["role"])
    return out


def gather_application(g: Gather, mc: MediationCase) -> Snapshot:
    g.title = "人民调解申请书（受理登记表）"
    s = _common(g, mc, "mediation_application", number=mc.number, day=mc.applied_on, day_label="申请日期")
    g.need(mc.summary, "纠纷简要情况")
    if mc.status is MediationStatus.REJECTED:
        acceptance = f"不予受理。理由：{mc.end_reason or '/'}"
    elif mc.accepted_on:
        acceptance = f"于{tf.cn_date(mc.accepted_on)}受理，指派调解员：{'、'.join(s['mediators']) or '/'}"
    else:
        acceptance = "待审查"
    s.update(source=_SOURCE[mc.source], amount=tf.money(mc.amount_involved) if mc.amount_involved else "/",
             acceptance=acceptance)
    return s


def compose_application(b: Builder, s: Snapshot) -> list[Flowable]:
    out = header(b, s, number_align="right") + _party_blocks(b, s)
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "纠纷类别"), s["category"], ("l", "纠纷来源"), s["source"]],
        [("l", "涉及金额"), s["amount"], ("l", "申请日期"), s["date"]],
        [("l", "纠纷简要情况及申请事项"), s["summary"], "", ""],
        [("l", "申请人签名"), "\n签名（捺印）：                    年    月    日", "", ""],
        [("l", "受理情况"), s["acceptance"], "", ""],
        [("l", "登记人"), "\n签名：                    年    月    日", "", ""],
    ]
    spans = [((1, r), (3, r)) for r in (2, 3, 4, 5)]
    out.append(b.grid(rows, [1.3, 2.2, 1.0, 1.8], spans=spans, heights=[None, None, 90, None, None, None]))
    out.append(b.para(f"人民调解不收取任何费用。当事人享有{LAW}第二十三条规定的选择或者接受调解员、接受调解、拒绝调解或者"
                      "要求终止调解、要求公开或者不公开进行调解、自主表达意愿和自愿达成调解协议的权利。"))
    return out


def _terms(g: Gather, mc: MediationCase) -> list[str]:
    """The agreement's content as numbered sentences: each obligation (who owes whom what — the amount or the
    object —, by when, how), then what else was agreed (人民调解法 art.29 (三))."""
    roles = {link.party_id: _ROLE[link.role] for link in mc.party_links}
    out = []
    for o in sorted((o for o in mc.obligations if o.deleted_at is None), key=lambda o: o.position):
        out.append(term_sentence(g, o, roles))
    if mc.agreement_terms.strip():
        out.append(tf.sentence(mc.agreement_terms))
    return [f"{tf.cn_num(n)}、{t}" for n, t in enumerate(out, start=1)]


def term_sentence(g: Gather, o: MediationObligation, roles: dict[int, str]) -> str:
    """被申请人周某于2026年3月20日前向申请人孙某支付补偿款人民币伍佰元整（¥500.00），履行方式：银行转账。"""
    obligor, obligee = g.session.get(Party, o.obligor_id), g.session.get(Party, o.obligee_id)
    who = f"{roles.get(o.obligor_id, '')}{obligor.name if obligor else ''}"
    whom = f"{roles.get(o.obligee_id, '')}{obligee.name if obligee else ''}"
    what = tf.clause(o.what)
    if o.amount is not None:
        what += tf.money(o.amount)
    if o.subject.strip():
        what += f"（{tf.clause(o.subject)}）"
    return tf.sentence(f"{who}于{tf.cn_date(o.due_on)}前向{whom}{what}，履行方式：{tf.clause(o.manner)}")


def gather_agreement(g: Gather, mc: MediationCase) -> Snapshot:
    g.need(mc.agreement_form is AgreementForm.WRITTEN or None, "书面调解协议")
    s = _common(g, mc, "mediation_agreement", number=mc.agreement_number, day=mc.agreement_effective_on,
                day_label="协议生效日期")
    g.need(mc.summary, "纠纷主要事实")
    terms = _terms(g, mc)
    g.need(terms, "协议内容")
    g.need(mc.performance_deadline, "履行期限")
    g.need(s["mediators"], "调解员")
    s.update(terms=terms, issues=tf.clause(mc.disputed_issues), responsibility=tf.clause(mc.responsibility),
             deadline=tf.cn_date(mc.performance_deadline), structured=bool(mc.obligations),
             copies=len(s["parties"]) + 1)
    return s


def compose_agreement(b: Builder, s: Snapshot) -> list[Flowable]:
    out = header(b, s) + _party_blocks(b, s)
    out.append(b.para(tf.sentence(s["summary"]) + f"（纠纷类别：{s['category']}）", label="纠纷主要事实："))
    if s.get("issues"):
        out.append(b.para(tf.sentence(s["issues"]), label="争议事项："))
    if s.get("responsibility"):
        out.append(b.para(tf.sentence(s["responsibility"]), label="各方当事人的责任："))
    out.append(b.para("经本委员会调解，双方当事人自愿达成如下协议：", indent=False))
    out += [b.para(t) for t in s["terms"]]
    if not s.get("structured"):  # an agreement recorded before its terms were itemised
        out.append(b.para(f"履行方式和期限：按上述约定履行，履行期限至{s['deadline']}。", indent=False))
    out.append(b.para(f"本协议经各方当事人签名（盖章或者按指印）、人民调解员签名并加盖人民调解委员会印章后生效，具有法律约束力，"
                      f"当事人应当按照约定履行。双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
                      f"本协议一式{tf.cn_num(s['copies'])}份，当事人各执一份，人民调解委员会留存一份。"))
    sides = "    ".join(f"{p['role']}：____________" for p in s["parties"])
    out.append(b.spacer(3))
    out.append(b.sign_line(sides))
    out.append(b.sign_line(f"人民调解员：{'、'.join(s['mediators'])}（签名）____________"))
    return out + _committee_closing(b, s)


def _committee_closing(b: Builder, s: Snapshot) -> list[Flowable]:
    """Signed in the name the committee's seal bears (older snapshots: the committee's name)."""
    return closing(b, {**s, "agency": s.get("seal_name") or s["agency"]})


def gather_oral(g: Gather, mc: MediationCase) -> Snapshot:
    g.title = "口头调解协议登记表"
    g.need(mc.agreement_form is AgreementForm.ORAL or None, "口头调解协议")
    s = _common(g, mc, "oral_agreement_record", number=mc.agreement_number, day=mc.agreement_effective_on,
                day_label="协议达成日期")
    terms = _terms(g, mc)
    g.need(terms, "协议内容")
    s.update(terms="\n".join(terms), responsibility=tf.sentence(mc.responsibility) if mc.responsibility else "/",
             deadline=tf.cn_date(mc.performance_deadline) or "达成时即履行")
    return s


def compose_oral(b: Builder, s: Snapshot) -> list[Flowable]:
    names = "、".join(f"{p['role']}{p['name']}" for p in s["parties"])
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "当事人"), names],
        [("l", "纠纷类别"), s["category"]],
        [("l", "纠纷简要情况"), s["summary"]],
        [("l", "各方当事人的责任"), s.get("responsibility", "/")],
        [("l", "口头协议内容"), s["terms"]],
        [("l", "履行方式和期限"), s["deadline"]],
        [("l", "协议达成日期"), s["date"]],
        [("l", "调解员"), "、".join(s["mediators"]) or "/"],
    ]
    out = header(b, s) + [b.grid(rows, [1.2, 4])]
    out.append(b.para(f"依照{LAW}第二十八条、第三十条的规定，当事人认为无需制作调解协议书的，可以采取口头协议方式，"
                      "人民调解员应当记录协议内容。口头调解协议自各方当事人达成协议之日起生效。"))
    out.append(b.sign_line("记录人（调解员）签名：______________        年    月    日"))
    return out + _committee_closing(b, s)


def gather_follow_up(g: Gather, visit: FollowUpVisit) -> Snapshot:
    mc = visit.case
    s = _common(g, mc, "follow_up_record", number=None, day=visit.visited_on, day_label="回访日期")
    s.update(visitor=g.need(visit.visitor, "回访人"), method=visit.method, status=_PERF[visit.performance_status],
             note=tf.tidy(visit.note) or "/", agreement_number=mc.agreement_number or "/",
             terms="\n".join(_terms(g, mc)) or "/",
             deadline=tf.cn_date(mc.performance_deadline) or "/")
    return s


def compose_follow_up(b: Builder, s: Snapshot) -> list[Flowable]:
    names = "、".join(f"{p['role']}{p['name']}" for p in s["parties"])
    rows: list[list[str | tuple[str, str]]] = [
        [("l", "调解案件编号"), s["case_number"], ("l", "协议编号"), s["agreement_number"]],
        [("l", "当事人"), names, "", ""],
        [("l", "协议内容"), s["terms"], "", ""],
        [("l", "履行期限"), s["deadline"], ("l", "回访日期"), s["date"]],
        [("l", "回访人"), s["visitor"], ("l", "回访方式"), s["method"]],
        [("l", "履行情况"), s["status"], "", ""],
        [("l", "回访情况及后续措施"), s["note"], "", ""],
        [("l", "被回访人签名"), "\n签名：                    年    月    日", "", ""],
    ]
    spans = [((1, r), (3, r)) for r in (1, 2, 5, 6, 7)]
    return header(b, s) + [b.grid(rows, [1.3, 2.0, 1.0, 1.6], spans=spans)]


def gather_confirmation(g: Gather, mc: MediationCase) -> Snapshot:
    """The parties' joint application (人民调解法 art.33; 民事诉讼法 arts 205–206): theirs, not the committee's —
    no number, no issuer; the committee only appears as the one that mediated."""
    g.title = "司法确认申请书"
    g.need(mc.confirmation_applied_on, "申请司法确认日期")
    s = _common(g, mc, "confirmation_application", number=None, day=mc.confirmation_applied_on,
                day_label="申请日期")
    g.need(mc.agreement_form is AgreementForm.WRITTEN or None, "书面调解协议")
    terms = _terms(g, mc)
    g.need(terms, "协议内容")
    s.update(court=g.need(mc.confirmation_court, "受理法院"),
             agreement_number=g.need(mc.agreement_number, "调解协议书编号"),
             effective=tf.cn_date(g.need(mc.agreement_effective_on, "协议生效日期")), terms=terms)
    return s


def compose_confirmation(b: Builder, s: Snapshot) -> list[Flowable]:
    # No number line and no heading: the parties apply; the registration number stays in the register only.
    out = [b.title(s["title"]), b.spacer(3)]
    for p in s["parties"]:
        out += party_paragraphs(b, p, "申请人")  # both apply jointly: neither is the other's respondent here
    names = "、".join(p["name"] for p in s["parties"])
    out.append(b.para(f"请求确认申请人{names}于{s['effective']}经{s['agency']}主持调解达成的人民调解协议"
                      f"（{s['agreement_number']}）有效。", label="请求事项："))
    out.append(b.para(tf.sentence(f"申请人因{s['category']}纠纷，经{s['agency']}主持调解，于{s['effective']}自愿达成"
                                  "人民调解协议，协议自各方签名、调解员签名并加盖调解委员会印章之日起生效，约定如下："),
                      label="事实和理由："))
    out += [b.para(t) for t in s["terms"]]
    out.append(b.para(f"申请人在调解协议生效之日起三十日内，依据{LAW}第三十三条、{CIVIL_PROCEDURE}"
                      f"{CIVIL_PROCEDURE_ARTICLES}和{SPC_RULES}的规定，共同向贵院申请司法确认。"))
    out.append(b.para("申请人保证：出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；不损害国家利益、社会公共利益和"
                      "他人合法权益；如因虚假陈述等造成后果，愿意承担相应的法律责任。"))
    out.append(b.para("附：人民调解协议书一份；申请人身份证明材料各一份。", indent=False))
    out.append(b.para(f"此致\n{s['court']}", indent=False))
    out.append(b.spacer(4))
    out += [b.sign_line(f"申请人：{p['name']}（签名或者盖章、按指印）____________") for p in s["parties"]]
    out.append(b.sign_line(f"{s['date']}"))
    return out


def _committee_of(session: Session, mc: MediationCase) -> Issuer:
    committee = session.get(MediationCommittee, mc.committee_id)
    assert committee is not None
    return committee_issuer(committee)


register(DocType("mediation_application", "人民调解申请书（受理登记表）", RecordKind.MEDIATION_CASE, load_mediation,
                 gather_application, compose_application, order=200))
register(DocType("mediation_agreement", "人民调解协议书", RecordKind.MEDIATION_CASE, load_mediation, gather_agreement,
                 compose_agreement, order=210))
register(DocType("oral_agreement_record", "口头调解协议登记表", RecordKind.MEDIATION_CASE, load_mediation, gather_oral,
                 compose_oral, order=211))
register(DocType("follow_up_record", "人民调解回访记录", RecordKind.FOLLOW_UP_VISIT, load_visit, gather_follow_up,
                 compose_follow_up, number_code="follow_up_record", order=220,
                 issuer=lambda session, visit: _committee_of(session, visit.case)))
# The parties' own document: the number it is registered under is the committee's and is never printed on it.
register(DocType("confirmation_application", "司法确认申请书", RecordKind.MEDIATION_CASE, load_mediation,
                 gather_confirmation, compose_confirmation, number_code="confirmation_application", order=230,
                 issuer=_committee_of))
