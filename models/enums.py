"""Status and category enums. Stored as their values; their Chinese labels are in models/labels.py."""

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


class TermConcern(StrEnum):
    """What a term of a mediation agreement settles, as far as a court may not confirm it (最高人民法院关于人民调解
    协议司法确认程序的若干规定 art.4: confirmation of identity, adoption and marriage relations is not accepted)."""

    NONE = "none"  # money, property, an act: confirmable (support payments after a divorce, too)
    IDENTITY = "identity"  # 身份关系 (e.g. paternity)
    ADOPTION = "adoption"  # 收养关系
    MARRIAGE = "marriage"  # 婚姻关系 (e.g. divorce itself)


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


class SheetPart(StrEnum):
    """The part of the 案卷评查 sheet an item belongs to (services/district/review_sheet.py)."""

    VETO = "veto"  # 否决项（不合格卷）
    FORM = "form"  # 案卷形式（卷面）
    CONTENT = "content"  # 案卷内容


class RecordKind(StrEnum):
    """What kind of record a row is, by its table's name: the owner of a deadline, an attachment or a document,
    a line of a sync preview or a district drill-down. Every synced table is one (tests/unit/test_labels.py)."""

    INSPECTION = "inspection"
    INSPECTION_ITEM = "inspection_item"
    REINSPECTION_TASK = "reinspection_task"
    CAMPAIGN = "campaign"
    PENALTY_CASE = "penalty_case"
    CASE_OFFICER = "case_officer"
    CASE_EVENT = "case_event"
    COERCIVE_MEASURE = "coercive_measure"
    TRANSFER = "transfer"
    MEDIATION_CASE = "mediation_case"
    FOLLOW_UP_VISIT = "follow_up_visit"
    PARTY = "party"
    OFFICER = "officer"
    TRAINING = "training"
    TRAINING_ATTENDANCE = "training_attendance"
    ATTACHMENT = "attachment"
    ISSUED_DOCUMENT = "issued_document"
    POWER_ITEM = "power_item"
    CALENDAR_DAY = "calendar_day"
    TOWNSHIP = "township"
    SQUAD = "squad"
    DEVICE = "device"
    DISCRETION_TIER = "discretion_tier"
    DISPUTE_CATEGORY = "dispute_category"
    NUMBER_BLOCK = "number_block"
    INSPECTION_OFFICER = "inspection_officer"
    COERCIVE_ITEM = "coercive_item"
    MEDIATION_COMMITTEE = "mediation_committee"
    MEDIATOR = "mediator"
    MEDIATION_MEDIATOR = "mediation_mediator"
    MEDIATION_OBLIGATION = "mediation_obligation"
    MEDIATION_PARTY = "mediation_party"
    MEDIATION_SESSION = "mediation_session"
    CASE_INTERVIEW = "case_interview"
    CASE_RECORD = "case_record"
    EVIDENCE_ITEM = "evidence_item"
    SERVICE_RECORD = "service_record"


class CaseRecordKind(StrEnum):
    """The written records of a case besides interviews, evidence and service (《行政处罚法》第五十五条至第六十五条)."""

    STATEMENT = "statement"  # 陈述申辩笔录 and its 复核意见 (art.45)
    HEARING = "hearing"  # 听证笔录 and 听证报告 (art.64, 65)
    INVESTIGATION_REPORT = "investigation_report"  # 调查终结报告 (art.57)
    LEGAL_REVIEW = "legal_review"  # 法制审核意见书 (art.58)
    COLLECTIVE = "collective"  # 集体讨论记录 (art.57 ¶2)
    PRESERVATION = "preservation"  # 先行登记保存 and its handling decision (art.56)
    ENFORCEMENT_APPLICATION = "enforcement_application"  # 强制执行申请书 (行政强制法第五十五条)


class EvidenceKind(StrEnum):
    """The kinds of evidence of 《行政处罚法》第四十六条."""

    DOCUMENT = "document"  # 书证
    PHYSICAL = "physical"  # 物证
    AUDIOVISUAL = "audiovisual"  # 视听资料
    ELECTRONIC = "electronic"  # 电子数据
    WITNESS = "witness"  # 证人证言
    STATEMENT = "statement"  # 当事人的陈述
    APPRAISAL = "appraisal"  # 鉴定意见
    SITE_RECORD = "site_record"  # 勘验笔录、现场笔录
