"""Status and category enums. Stored as their values; Chinese labels (``label()``) for screens, CLI and documents."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OFFICER = "officer"  # 执法队员
    SQUAD_LEADER = "squad_leader"  # 中队长
    LEGAL_REVIEWER = "legal_reviewer"  # 法制审核员
    DISTRICT_ADMIN = "district_admin"  # 区级管理员


class CertStatus(StrEnum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class CertState(StrEnum):
    """A certificate's standing on a given day, computed (services.people.certificates), never stored."""

    VALID = "valid"
    EXPIRING = "expiring"  # valid, but its last day is within certificate.warn_days
    EXPIRED = "expired"
    NOT_YET = "not_yet"  # issued for a later day
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    MISSING = "missing"  # no certificate number or no last day recorded


class ListType(StrEnum):
    STATUTORY = "statutory"  # 法定清单
    BASIC = "basic"  # 基础清单
    SPECIAL = "special"  # 特色清单


class PartyScope(StrEnum):
    ANY = "any"
    PERSON = "person"
    ORGANISATION = "organisation"


class PartyKind(StrEnum):
    PERSON = "person"  # 自然人
    ORGANISATION = "organisation"  # 法人或其他组织
    INDIVIDUAL_BUSINESS = "individual_business"  # 个体工商户


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    USCC = "uscc"  # 统一社会信用代码
    OTHER = "other"  # 其他证件
    NONE = "none"


class DiscretionTierName(StrEnum):
    MINOR = "minor"  # 轻微
    ORDINARY = "ordinary"  # 一般
    SERIOUS = "serious"  # 较重
    GRAVE = "grave"  # 严重
    MITIGATED = "mitigated"  # 减轻


class InspectionResult(StrEnum):
    PASSED = "passed"  # 合格
    RECTIFIED_ON_SPOT = "rectified_on_spot"  # 当场整改
    ORDERED = "ordered"  # 责令限期整改
    CASE_OPENED = "case_opened"  # 立案
    TRANSFERRED = "transferred"  # 移送


class ItemResult(StrEnum):
    OK = "ok"
    PROBLEM = "problem"
    NOT_APPLICABLE = "na"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class CaseStatus(StrEnum):
    CLUE = "clue"  # 线索登记
    NOT_FILED = "not_filed"  # 不予立案
    INVESTIGATING = "investigating"  # 调查取证
    REVIEWING = "reviewing"  # 案件审核
    NOTIFIED = "notified"  # 已事先告知（陈述申辩期）
    HEARING = "hearing"  # 听证程序
    PENDING_DECISION = "pending_decision"  # 待决定（复核完毕）
    DECIDED = "decided"  # 已作出处罚决定
    NO_PENALTY = "no_penalty"  # 已作出不予处罚决定
    TRANSFERRED = "transferred"  # 已移送
    EXECUTING = "executing"  # 执行中
    ENFORCING = "enforcing"  # 强制执行（催告/申请法院）
    EXECUTED = "executed"  # 执行完毕
    CLOSED = "closed"  # 已结案
    ARCHIVED = "archived"  # 已归档
    TERMINATED = "terminated"  # 终止
    SUMMARY_DECIDED = "summary_decided"  # 当场处罚


class Procedure(StrEnum):
    GENERAL = "general"  # 普通程序
    SUMMARY = "summary"  # 简易程序（当场处罚）


class CaseSource(StrEnum):
    INSPECTION = "inspection"  # 检查发现
    COMPLAINT = "complaint"  # 投诉举报
    SUPERIOR = "superior"  # 上级交办
    TRANSFER_IN = "transfer_in"  # 部门移送
    MEDIA = "media"  # 媒体曝光
    OTHER = "other"


class ProposedOutcome(StrEnum):
    PENALTY = "penalty"
    NO_PENALTY = "no_penalty"
    TRANSFER = "transfer"


class NoPenaltyGround(StrEnum):
    MINOR_CORRECTED = "minor_corrected"  # 第三十三条第一款 轻微并及时改正
    FIRST_VIOLATION = "first_violation"  # 第三十三条第一款 首违
    NO_FAULT = "no_fault"  # 第三十三条第二款 无主观过错
    UNDER_14 = "under_14"  # 第三十条 不满十四周岁
    INCAPACITY = "incapacity"  # 第三十一条
    TIME_BARRED = "time_barred"  # 第三十六条
    FACTS_NOT_ESTABLISHED = "facts_not_established"  # 第五十七条第一款第三项


class ServiceMethod(StrEnum):
    DIRECT = "direct"  # 直接送达
    LEFT = "left"  # 留置送达
    POST = "post"  # 邮寄送达
    ENTRUSTED = "entrusted"  # 委托送达
    ELECTRONIC = "electronic"  # 电子送达
    PUBLIC_NOTICE = "public_notice"  # 公告送达


class TransferKind(StrEnum):
    DEPARTMENT = "department"  # 移送有关部门
    JUDICIARY = "judiciary"  # 移送司法机关（涉嫌犯罪）


class CoerciveKind(StrEnum):
    SEAL = "seal"  # 查封
    IMPOUND = "impound"  # 扣押


class CoerciveStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"  # 解除
    CONFISCATED = "confiscated"  # 没收
    DESTROYED = "destroyed"  # 销毁


class MediationStatus(StrEnum):
    APPLIED = "applied"  # 申请/登记
    REJECTED = "rejected"  # 不予受理
    MEDIATING = "mediating"  # 已受理，调解中
    SUCCEEDED = "succeeded"  # 调解成功
    FAILED = "failed"  # 调解不成功
    TERMINATED = "terminated"  # 终止调解
    CONFIRMATION_PENDING = "confirmation_pending"  # 已申请司法确认
    CONFIRMED = "confirmed"  # 司法确认有效
    CONFIRMATION_REFUSED = "confirmation_refused"  # 司法确认驳回
    CLOSED = "closed"  # 结案归档


class MediationSource(StrEnum):
    APPLICATION = "application"  # 当事人申请
    INITIATIVE = "initiative"  # 主动调解（排查）
    COURT = "court"  # 法院委派
    POLICE = "police"  # 公安移交
    PETITION = "petition"  # 信访转办
    OTHER_DEPARTMENT = "other_department"


class AgreementForm(StrEnum):
    WRITTEN = "written"
    ORAL = "oral"


class PerformanceStatus(StrEnum):
    PENDING = "pending"  # 未到期
    PERFORMED = "performed"  # 已履行
    PARTLY = "partly"  # 部分履行
    NOT_PERFORMED = "not_performed"  # 未履行


class MediationPartyRole(StrEnum):
    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    OTHER = "other"


class DeadlineKind(StrEnum):
    DECISION_LIMIT = "decision_limit"  # 办案期限（九十日）
    STATEMENT_PERIOD = "statement_period"  # 陈述申辩期
    HEARING_REQUEST = "hearing_request"  # 听证申请期（五个工作日）
    SERVICE = "service"  # 送达（七个工作日）
    PAYMENT = "payment"  # 缴纳罚款（十五日）
    DISCLOSURE = "disclosure"  # 公示（七个工作日）
    COERCIVE_END = "coercive_end"  # 查封扣押期限
    RECTIFICATION = "rectification"  # 限期整改复查
    MEDIATION_COMPLETION = "mediation_completion"  # 调解一个月
    JUDICIAL_CONFIRMATION = "judicial_confirmation"  # 司法确认三十日
    MEDIATION_PERFORMANCE = "mediation_performance"  # 协议履行期限
    CERTIFICATE_EXPIRY = "certificate_expiry"  # 执法证到期
    SUMMARY_FILING = "summary_filing"  # 当场处罚备案


class DeviceKind(StrEnum):
    OFFICE = "office"  # 乡镇办公室主机
    FIELD = "field"  # 外勤笔记本
    DISTRICT = "district"  # 区级


# (member, Chinese label). A table of pairs, not a dict literal: StrEnum members are equal to their values, so
# CaseStatus.TERMINATED and MediationStatus.TERMINATED (both "terminated") would share one dict key and one of
# the two labels would be lost. LABELS keys each label by (enum class, value).
_LABEL_TABLE: tuple[tuple[StrEnum, str], ...] = (
    (Role.OFFICER, "执法队员"),
    (Role.SQUAD_LEADER, "中队长"),
    (Role.LEGAL_REVIEWER, "法制审核员"),
    (Role.DISTRICT_ADMIN, "区级管理员"),
    (DeviceKind.OFFICE, "乡镇办公室主机"),
    (DeviceKind.FIELD, "外勤笔记本"),
    (DeviceKind.DISTRICT, "区级"),
    (CoerciveStatus.ACTIVE, "查封扣押中"),
    (CoerciveStatus.RELEASED, "已解除"),
    (CoerciveStatus.CONFISCATED, "已没收"),
    (CoerciveStatus.DESTROYED, "已销毁"),
    (TaskStatus.OPEN, "待复查"),
    (TaskStatus.DONE, "已复查"),
    (TaskStatus.CANCELLED, "已取消"),
    (CertStatus.VALID, "有效"),
    (CertStatus.SUSPENDED, "暂扣"),
    (CertStatus.REVOKED, "注销"),
    (CertState.VALID, "有效"),
    (CertState.EXPIRING, "即将到期"),
    (CertState.EXPIRED, "已过期"),
    (CertState.NOT_YET, "尚未生效"),
    (CertState.SUSPENDED, "已暂扣"),
    (CertState.REVOKED, "已注销"),
    (CertState.MISSING, "未登记执法证"),
    (ListType.STATUTORY, "法定清单"),
    (ListType.BASIC, "基础清单"),
    (ListType.SPECIAL, "特色清单"),
    (PartyKind.PERSON, "自然人"),
    (PartyKind.ORGANISATION, "法人或其他组织"),
    (PartyKind.INDIVIDUAL_BUSINESS, "个体工商户"),
    (DiscretionTierName.MINOR, "轻微"),
    (DiscretionTierName.ORDINARY, "一般"),
    (DiscretionTierName.SERIOUS, "较重"),
    (DiscretionTierName.GRAVE, "严重"),
    (DiscretionTierName.MITIGATED, "减轻"),
    (InspectionResult.PASSED, "合格"),
    (InspectionResult.RECTIFIED_ON_SPOT, "当场整改"),
    (InspectionResult.ORDERED, "责令限期整改"),
    (InspectionResult.CASE_OPENED, "立案"),
    (InspectionResult.TRANSFERRED, "移送"),
    (CaseStatus.CLUE, "线索登记"),
    (CaseStatus.NOT_FILED, "不予立案"),
    (CaseStatus.INVESTIGATING, "调查取证"),
    (CaseStatus.REVIEWING, "案件审核"),
    (CaseStatus.NOTIFIED, "事先告知"),
    (CaseStatus.HEARING, "听证"),
    (CaseStatus.PENDING_DECISION, "待决定"),
    (CaseStatus.DECIDED, "已决定"),
    (CaseStatus.NO_PENALTY, "不予处罚"),
    (CaseStatus.TRANSFERRED, "已移送"),
    (CaseStatus.EXECUTING, "执行中"),
    (CaseStatus.ENFORCING, "强制执行"),
    (CaseStatus.EXECUTED, "执行完毕"),
    (CaseStatus.CLOSED, "已结案"),
    (CaseStatus.ARCHIVED, "已归档"),
    (CaseStatus.TERMINATED, "已终止"),
    (CaseStatus.SUMMARY_DECIDED, "当场处罚"),
    (MediationSource.APPLICATION, "当事人申请"),
    (MediationSource.INITIATIVE, "主动调解"),
    (MediationSource.COURT, "法院委派"),
    (MediationSource.POLICE, "公安移交"),
    (MediationSource.PETITION, "信访转办"),
    (MediationSource.OTHER_DEPARTMENT, "部门移交"),
    (PerformanceStatus.PENDING, "未到期"),
    (PerformanceStatus.PERFORMED, "已履行"),
    (PerformanceStatus.PARTLY, "部分履行"),
    (PerformanceStatus.NOT_PERFORMED, "未履行"),
    (MediationStatus.APPLIED, "已登记"),
    (MediationStatus.REJECTED, "不予受理"),
    (MediationStatus.MEDIATING, "调解中"),
    (MediationStatus.SUCCEEDED, "调解成功"),
    (MediationStatus.FAILED, "调解不成功"),
    (MediationStatus.TERMINATED, "终止调解"),
    (MediationStatus.CONFIRMATION_PENDING, "司法确认中"),
    (MediationStatus.CONFIRMED, "已司法确认"),
    (MediationStatus.CONFIRMATION_REFUSED, "司法确认驳回"),
    (MediationStatus.CLOSED, "已结案"),
    (DeadlineKind.DECISION_LIMIT, "办案期限"),
    (DeadlineKind.STATEMENT_PERIOD, "陈述申辩期限"),
    (DeadlineKind.HEARING_REQUEST, "听证申请期限"),
    (DeadlineKind.SERVICE, "送达期限"),
    (DeadlineKind.PAYMENT, "缴款期限"),
    (DeadlineKind.DISCLOSURE, "公示期限"),
    (DeadlineKind.COERCIVE_END, "查封扣押期限"),
    (DeadlineKind.RECTIFICATION, "整改复查期限"),
    (DeadlineKind.MEDIATION_COMPLETION, "调解期限"),
    (DeadlineKind.JUDICIAL_CONFIRMATION, "司法确认申请期限"),
    (DeadlineKind.MEDIATION_PERFORMANCE, "协议履行期限"),
    (DeadlineKind.CERTIFICATE_EXPIRY, "执法证有效期"),
    (DeadlineKind.SUMMARY_FILING, "当场处罚备案期限"),
)
LABELS: dict[tuple[type[StrEnum], str], str] = {(type(m), m.value): text for m, text in _LABEL_TABLE}


def label(value: StrEnum) -> str:
    """Chinese label of an enum member (falls back to its value)."""
    return LABELS.get((type(value), str(value)), str(value))


def label_of(kind: type[StrEnum], value: str) -> str:
    """The label of ``value`` read as a member of ``kind`` (stored text, a key card); the value itself if unknown."""
    try:
        return label(kind(value))
    except ValueError:
        return value
