"""The administrative penalty procedure as an explicit state machine (docs/legal-basis.md §1.1).

Each action lists the states it may start from and the states it may lead to. Services add the legal
guards (officers, limitation, notice, hearing, review); this table alone decides what is reachable.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple

from models.enums import CaseStatus as S
from models.labels import label


class CaseAction(StrEnum):
    FILE = "file"  # 立案
    REFUSE_FILING = "refuse_filing"  # 不予立案
    CONCLUDE = "conclude_investigation"  # 调查终结
    RETURN = "return_for_investigation"  # 退回补充调查
    LEGAL_REVIEW = "legal_review"  # 法制审核
    COLLECTIVE = "collective_discussion"  # 集体讨论
    NOTIFY = "prior_notice"  # 事先告知
    STATEMENT = "record_statement"  # 陈述申辩及复核
    WAIVE = "waive_statement"  # 书面放弃陈述申辩
    REQUEST_HEARING = "request_hearing"  # 申请听证
    HOLD_HEARING = "record_hearing"  # 举行听证
    END_STATEMENT = "end_statement_period"  # 陈述申辩期满
    DECIDE = "decide_penalty"  # 作出处罚决定
    DECIDE_NO_PENALTY = "decide_no_penalty"  # 不予行政处罚
    TRANSFER = "transfer"  # 移送
    SERVE = "serve"  # 送达
    PAY = "record_payment"  # 缴纳罚款
    ENFORCE = "start_enforcement"  # 催告/申请强制执行
    CLOSE = "close"  # 结案
    ARCHIVE = "archive"  # 立卷归档
    DISCLOSE = "disclose"  # 公示
    TERMINATE = "terminate"  # 终止
    EXTEND = "extend_limit"  # 延长办案期限
    SUSPEND = "record_suspension"  # 不计入办案期限的期间
    SUMMARY_DECIDE = "summary_decide"  # 当场处罚
    SUMMARY_FILE = "summary_file"  # 当场处罚备案
    # Records the law requires before a step may follow (services/procedures/cases/legal.py); none moves the case.
    RECORD_REFUSAL = "record_refusal"  # 说服教育、责令改正及拒不改正（噪声污染防治法第八十二条）
    RECORD_EXEMPTION = "record_exemption_facts"  # 不予处罚情形（第三十三条第一款、第三十一条）
    RECORD_CONSENT = "record_service_consent"  # 电子送达确认（第六十一条第二款）
    SCHEDULE_HEARING = "schedule_hearing"  # 听证通知（第六十四条第（二）项）
    RECORD_REMEDY = "record_remedy"  # 行政复议、行政诉讼（第七十三条）
    APPLY_COURT = "apply_court_enforcement"  # 申请人民法院强制执行（行政强制法第五十三条、第五十四条）


ACTION_LABELS: Final[dict[CaseAction, str]] = {
    CaseAction.FILE: "立案",
    CaseAction.REFUSE_FILING: "不予立案",
    CaseAction.CONCLUDE: "调查终结",
    CaseAction.RETURN: "退回补充调查",
    CaseAction.LEGAL_REVIEW: "法制审核",
    CaseAction.COLLECTIVE: "集体讨论",
    CaseAction.NOTIFY: "事先告知",
    CaseAction.STATEMENT: "陈述申辩",
    CaseAction.WAIVE: "放弃陈述申辩",
    CaseAction.REQUEST_HEARING: "申请听证",
    CaseAction.HOLD_HEARING: "举行听证",
    CaseAction.END_STATEMENT: "陈述申辩期满",
    CaseAction.DECIDE: "作出处罚决定",
    CaseAction.DECIDE_NO_PENALTY: "不予行政处罚",
    CaseAction.TRANSFER: "移送",
    CaseAction.SERVE: "送达",
    CaseAction.PAY: "缴纳罚款",
    CaseAction.ENFORCE: "催告",
    CaseAction.CLOSE: "结案",
    CaseAction.ARCHIVE: "归档",
    CaseAction.DISCLOSE: "公示",
    CaseAction.TERMINATE: "终止案件",
    CaseAction.EXTEND: "延长办案期限",
    CaseAction.SUSPEND: "登记不计入期限的期间",
    CaseAction.SUMMARY_DECIDE: "当场处罚",
    CaseAction.SUMMARY_FILE: "当场处罚备案",
    CaseAction.RECORD_REFUSAL: "登记责令改正及拒不改正",
    CaseAction.RECORD_EXEMPTION: "登记不予处罚情形",
    CaseAction.RECORD_CONSENT: "登记电子送达确认",
    CaseAction.SCHEDULE_HEARING: "发出听证通知",
    CaseAction.RECORD_REMEDY: "登记行政复议/行政诉讼",
    CaseAction.APPLY_COURT: "申请法院强制执行",
}

_BEFORE_DECISION = frozenset({S.INVESTIGATING, S.REVIEWING, S.NOTIFIED, S.HEARING, S.PENDING_DECISION})
_DECIDED_LIFE = frozenset({S.DECIDED, S.EXECUTING, S.ENFORCING, S.EXECUTED, S.CLOSED, S.ARCHIVED})
TERMINAL: Final = frozenset({S.NOT_FILED, S.ARCHIVED, S.TERMINATED})
# A decision the party may take to review or court (and the agency must then wait, 行政强制法第五十三条).
_REMEDIABLE = frozenset({S.DECIDED, S.EXECUTING, S.ENFORCING, S.EXECUTED, S.NO_PENALTY, S.SUMMARY_DECIDED})

# action -> (allowed source states, possible target states). A self-loop keeps the state.
TRANSITIONS: Final[dict[CaseAction, tuple[frozenset[S], frozenset[S]]]] = {
    CaseAction.FILE: (frozenset({S.CLUE}), frozenset({S.INVESTIGATING})),
    CaseAction.REFUSE_FILING: (frozenset({S.CLUE}), frozenset({S.NOT_FILED})),
    CaseAction.CONCLUDE: (frozenset({S.INVESTIGATING}), frozenset({S.REVIEWING})),
    CaseAction.RETURN: (frozenset({S.REVIEWING, S.PENDING_DECISION}), frozenset({S.INVESTIGATING})),
    CaseAction.LEGAL_REVIEW: (frozenset({S.REVIEWING, S.PENDING_DECISION}), frozenset({S.REVIEWING, S.PENDING_DECISION})),
    CaseAction.COLLECTIVE: (frozenset({S.REVIEWING, S.PENDING_DECISION}), frozenset({S.REVIEWING, S.PENDING_DECISION})),
    CaseAction.NOTIFY: (frozenset({S.REVIEWING}), frozenset({S.NOTIFIED})),
    CaseAction.STATEMENT: (frozenset({S.NOTIFIED, S.HEARING}), frozenset({S.NOTIFIED, S.HEARING})),
    CaseAction.WAIVE: (frozenset({S.NOTIFIED}), frozenset({S.PENDING_DECISION})),
    CaseAction.REQUEST_HEARING: (frozenset({S.NOTIFIED}), frozenset({S.HEARING})),
    CaseAction.HOLD_HEARING: (frozenset({S.HEARING}), frozenset({S.PENDING_DECISION})),
    CaseAction.END_STATEMENT: (frozenset({S.NOTIFIED}), frozenset({S.PENDING_DECISION})),
    CaseAction.DECIDE: (frozenset({S.PENDING_DECISION}), frozenset({S.DECIDED})),
    CaseAction.DECIDE_NO_PENALTY: (frozenset({S.REVIEWING, S.PENDING_DECISION}), frozenset({S.NO_PENALTY})),
    CaseAction.TRANSFER: (frozenset({S.CLUE, *_BEFORE_DECISION}), frozenset({S.TRANSFERRED})),
    CaseAction.SERVE: (frozenset({S.DECIDED, S.NO_PENALTY}), frozenset({S.EXECUTING, S.EXECUTED})),
    CaseAction.PAY: (
        frozenset({S.EXECUTING, S.ENFORCING, S.SUMMARY_DECIDED}),
        frozenset({S.EXECUTING, S.ENFORCING, S.SUMMARY_DECIDED, S.EXECUTED}),
    ),
    CaseAction.ENFORCE: (frozenset({S.EXECUTING}), frozenset({S.ENFORCING})),
    CaseAction.CLOSE: (frozenset({S.EXECUTED, S.TRANSFERRED, S.SUMMARY_DECIDED}), frozenset({S.CLOSED})),
    CaseAction.ARCHIVE: (frozenset({S.CLOSED}), frozenset({S.ARCHIVED})),
    # Archived files are closed to edits; a late disclosure is made before archiving.
    CaseAction.DISCLOSE: (_DECIDED_LIFE - {S.ARCHIVED} | {S.NO_PENALTY}, _DECIDED_LIFE - {S.ARCHIVED} | {S.NO_PENALTY}),
    CaseAction.TERMINATE: (
        frozenset({S.CLUE, *_BEFORE_DECISION, S.DECIDED, S.EXECUTING, S.ENFORCING}),
        frozenset({S.TERMINATED}),
    ),
    CaseAction.EXTEND: (_BEFORE_DECISION, _BEFORE_DECISION),
    CaseAction.SUSPEND: (_BEFORE_DECISION, _BEFORE_DECISION),
    CaseAction.SUMMARY_DECIDE: (frozenset({S.CLUE}), frozenset({S.SUMMARY_DECIDED})),
    CaseAction.SUMMARY_FILE: (frozenset({S.SUMMARY_DECIDED, S.EXECUTED}), frozenset({S.SUMMARY_DECIDED, S.EXECUTED})),
    CaseAction.RECORD_REFUSAL: (_BEFORE_DECISION, _BEFORE_DECISION),
    CaseAction.RECORD_EXEMPTION: (_BEFORE_DECISION, _BEFORE_DECISION),
    CaseAction.RECORD_CONSENT: (_BEFORE_DECISION | {S.DECIDED, S.NO_PENALTY},
                                _BEFORE_DECISION | {S.DECIDED, S.NO_PENALTY}),
    CaseAction.SCHEDULE_HEARING: (frozenset({S.HEARING}), frozenset({S.HEARING})),
    CaseAction.RECORD_REMEDY: (_REMEDIABLE, _REMEDIABLE),
    CaseAction.APPLY_COURT: (frozenset({S.ENFORCING}), frozenset({S.ENFORCING})),
}


class Stage(NamedTuple):
    """One stage of the procedure as the case screen's timeline shows it: done once one of ``actions`` happened."""

    title: str
    actions: frozenset[CaseAction]
    optional: bool = False  # shown only when the case needs it (or it happened): legal review, collective discussion


# The stages of a case in their legal order (《中华人民共和国行政处罚法》第五章; docs/legal-basis.md §1.1). The clue
# registration has no action: the case begins with it. A summary decision (第五十一条) is both the decision and its
# service.
STAGES: Final[tuple[Stage, ...]] = (
    Stage("线索登记", frozenset()),
    Stage("立案", frozenset({CaseAction.FILE})),
    Stage("调查终结", frozenset({CaseAction.CONCLUDE})),
    Stage("法制审核", frozenset({CaseAction.LEGAL_REVIEW}), optional=True),
    Stage("集体讨论", frozenset({CaseAction.COLLECTIVE}), optional=True),
    Stage("事先告知", frozenset({CaseAction.NOTIFY})),
    Stage("陈述申辩/听证", frozenset({CaseAction.STATEMENT, CaseAction.WAIVE, CaseAction.REQUEST_HEARING,
                                   CaseAction.SCHEDULE_HEARING, CaseAction.HOLD_HEARING, CaseAction.END_STATEMENT})),
    Stage("作出决定", frozenset({CaseAction.DECIDE, CaseAction.DECIDE_NO_PENALTY, CaseAction.TRANSFER,
                              CaseAction.SUMMARY_DECIDE})),
    Stage("送达", frozenset({CaseAction.SERVE, CaseAction.SUMMARY_DECIDE})),
    Stage("执行", frozenset({CaseAction.PAY, CaseAction.ENFORCE, CaseAction.APPLY_COURT})),
    Stage("公示", frozenset({CaseAction.DISCLOSE})),
    Stage("结案", frozenset({CaseAction.CLOSE})),
    Stage("归档", frozenset({CaseAction.ARCHIVE})),
)


class IllegalTransition(ValueError):
    """The state machine has no edge for this action from this state."""


def can(action: CaseAction, status: S) -> bool:
    return status in TRANSITIONS[action][0]


def allowed_actions(status: S) -> list[CaseAction]:
    """Actions whose source set contains ``status`` (before any legal guard is checked)."""
    return [a for a, (src, _dst) in TRANSITIONS.items() if status in src]


def check_edge(action: CaseAction, source: S, target: S) -> None:
    sources, targets = TRANSITIONS[action]
    if source not in sources:
        raise IllegalTransition(f"{ACTION_LABELS[action]}：案件当前为“{label(source)}”状态，不能办理此环节")
    if target not in targets:
        raise IllegalTransition(f"{ACTION_LABELS[action]}：不能由此进入“{label(target)}”状态")
    if action in _SELF_LOOPS and target != source:
        raise IllegalTransition(f"{ACTION_LABELS[action]}：此环节不改变案件状态")


_SELF_LOOPS: Final = frozenset(
    {CaseAction.LEGAL_REVIEW, CaseAction.COLLECTIVE, CaseAction.STATEMENT, CaseAction.DISCLOSE,
     CaseAction.EXTEND, CaseAction.SUSPEND, CaseAction.SUMMARY_FILE, CaseAction.RECORD_REFUSAL,
     CaseAction.RECORD_EXEMPTION, CaseAction.RECORD_CONSENT, CaseAction.SCHEDULE_HEARING, CaseAction.RECORD_REMEDY,
     CaseAction.APPLY_COURT}
)
