"""People's mediation procedure as a state machine: 申请/受理 → 调解 → 结果 → 回访 → 司法确认 (docs/legal-basis.md §8)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from models.enums import MediationStatus as M
from models.labels import label


class MediationAction(StrEnum):
    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    SESSION = "record_session"  # 调解记录
    SUCCEED = "record_agreement"  # 达成协议（书面/口头）
    FAIL = "fail"  # 调解不成功
    TERMINATE = "terminate"  # 终止调解（一方拒绝等）
    FOLLOW_UP = "follow_up"  # 回访
    APPLY_CONFIRMATION = "apply_confirmation"  # 共同申请司法确认
    RECORD_CONFIRMATION = "record_confirmation"  # 法院裁定
    FLAG_ESCALATION = "flag_escalation"  # 激化风险 / 民转刑
    CLOSE = "close"  # 结案归档


ACTION_LABELS: Final[dict[MediationAction, str]] = {
    MediationAction.ACCEPT: "受理",
    MediationAction.REJECT: "不予受理",
    MediationAction.SESSION: "记录调解",
    MediationAction.SUCCEED: "达成调解协议",
    MediationAction.FAIL: "调解不成功",
    MediationAction.TERMINATE: "终止调解",
    MediationAction.FOLLOW_UP: "回访",
    MediationAction.APPLY_CONFIRMATION: "申请司法确认",
    MediationAction.RECORD_CONFIRMATION: "登记司法确认结果",
    MediationAction.FLAG_ESCALATION: "标记激化风险",
    MediationAction.CLOSE: "结案归档",
}

_OPEN = frozenset({M.APPLIED, M.MEDIATING})
_AFTER_SUCCESS = frozenset({M.SUCCEEDED, M.CONFIRMATION_PENDING, M.CONFIRMED, M.CONFIRMATION_REFUSED})

TRANSITIONS: Final[dict[MediationAction, tuple[frozenset[M], frozenset[M]]]] = {
    MediationAction.ACCEPT: (frozenset({M.APPLIED}), frozenset({M.MEDIATING})),
    MediationAction.REJECT: (frozenset({M.APPLIED}), frozenset({M.REJECTED})),
    MediationAction.SESSION: (frozenset({M.MEDIATING}), frozenset({M.MEDIATING})),
    MediationAction.SUCCEED: (frozenset({M.MEDIATING}), frozenset({M.SUCCEEDED})),
    MediationAction.FAIL: (frozenset({M.MEDIATING}), frozenset({M.FAILED})),
    MediationAction.TERMINATE: (frozenset({M.MEDIATING}), frozenset({M.TERMINATED})),
    MediationAction.FOLLOW_UP: (_AFTER_SUCCESS, _AFTER_SUCCESS),
    MediationAction.APPLY_CONFIRMATION: (frozenset({M.SUCCEEDED}), frozenset({M.CONFIRMATION_PENDING})),
    MediationAction.RECORD_CONFIRMATION: (
        frozenset({M.CONFIRMATION_PENDING}), frozenset({M.CONFIRMED, M.CONFIRMATION_REFUSED})
    ),
    MediationAction.FLAG_ESCALATION: (
        _OPEN | _AFTER_SUCCESS | {M.FAILED, M.TERMINATED}, _OPEN | _AFTER_SUCCESS | {M.FAILED, M.TERMINATED}
    ),
    MediationAction.CLOSE: (
        frozenset({M.REJECTED, M.FAILED, M.TERMINATED, *_AFTER_SUCCESS} - {M.CONFIRMATION_PENDING}),
        frozenset({M.CLOSED}),
    ),
}

_SELF_LOOPS: Final = frozenset({MediationAction.SESSION, MediationAction.FOLLOW_UP, MediationAction.FLAG_ESCALATION})


class IllegalMediationTransition(ValueError):
    pass


def allowed_actions(status: M) -> list[MediationAction]:
    return [a for a, (src, _dst) in TRANSITIONS.items() if status in src]


def check_edge(action: MediationAction, source: M, target: M) -> None:
    sources, targets = TRANSITIONS[action]
    if source not in sources:
        raise IllegalMediationTransition(f"{ACTION_LABELS[action]}：调解案件当前为“{label(source)}”状态，不能办理此环节")
    if target not in targets or (action in _SELF_LOOPS and target != source):
        raise IllegalMediationTransition(f"{ACTION_LABELS[action]}：不能由此进入“{label(target)}”状态")
