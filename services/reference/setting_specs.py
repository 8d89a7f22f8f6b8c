"""The configurable values ([L] = local) of docs/legal-basis.md with their defaults: the list, without SQLAlchemy.

services.reference.settings reads and writes them in a session; the start-up (services.read.home.FileHomeReader) reads one
with ``sqlite3`` before the ORM is loaded, and needs its default from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str
    default: Any
    label: str
    basis: str = ""


_SPECS: tuple[SettingSpec, ...] = (
    SettingSpec("hearing.threshold_person", "10000", "听证：较大数额罚款（自然人，元）", "处罚法第六十三条；省级标准 [L]"),
    SettingSpec("hearing.threshold_org", "100000", "听证：较大数额罚款（法人或其他组织，元）", "处罚法第六十三条 [L]"),
    SettingSpec("hearing.request_working_days", 5, "听证申请期限（工作日）", "处罚法第六十四条"),
    SettingSpec("hearing.notice_working_days", 7, "听证通知书提前送达（工作日）", "处罚法第六十四条第（二）项、第八十五条"),
    SettingSpec("hearing.confiscation_person", "10000", "听证：没收较大数额违法所得或较大价值非法财物（自然人，元）",
                "处罚法第六十三条第一款第（二）项 [L]"),
    SettingSpec("hearing.confiscation_org", "100000", "听证：没收较大数额违法所得或较大价值非法财物（组织，元）",
                "处罚法第六十三条第一款第（二）项 [L]"),
    SettingSpec("first_violation.lookback_days", 365, "首违不罚：查看当事人同一事项既往处理的期间（日）",
                "处罚法第三十三条第一款；首违不罚清单 [L]"),
    SettingSpec("enforcement.demand_working_days", 10, "催告书送达后申请法院强制执行的等待期（工作日）",
                "行政强制法第五十四条、第六十九条"),
    SettingSpec("enforcement.court_months", 3, "申请法院强制执行期限（月，自复议、诉讼期限届满）", "行政强制法第五十三条"),
    SettingSpec("remedy.review_days", 60, "申请行政复议期限（日，自收到决定书）", "行政复议法第二十条"),
    SettingSpec("remedy.litigation_months", 6, "提起行政诉讼期限（月，自收到决定书）", "行政诉讼法第四十六条"),
    SettingSpec("remedy.after_decision_days", 15, "复议决定或一审判决后起诉、上诉期限（日）", "行政诉讼法第四十五条、第八十五条"),
    SettingSpec("statement.days", 5, "陈述申辩期限（日）", "处罚法第四十四、四十五条；本地模板 [L]"),
    SettingSpec("statement.working_days", True, "陈述申辩期限按工作日计算", "[L]"),
    SettingSpec("decision.limit_days", 90, "办案期限（日，自立案起）", "处罚法第六十条"),
    SettingSpec("decision.max_extension_days", 30, "单次延期上限（日）", "部门规章 [L]"),
    SettingSpec("service.working_days", 7, "送达期限（工作日）", "处罚法第六十一条"),
    SettingSpec("payment.days", 15, "缴纳罚款期限（日，自收到决定书）", "处罚法第六十七条"),
    SettingSpec("surcharge.rate_per_day", "0.03", "加处罚款比例（每日）", "处罚法第七十二条"),
    SettingSpec("disclosure.working_days", 7, "处罚决定公示期限（工作日）", "国办发〔2018〕118号 [L]"),
    SettingSpec("disclosure.summary_required", False, "当场处罚决定也须公示", "[L]"),
    SettingSpec("coercive.period_days", 30, "查封扣押期限（日）", "行政强制法第二十五条"),
    SettingSpec("coercive.max_extension_days", 30, "查封扣押延长上限（日）", "行政强制法第二十五条"),
    SettingSpec("summary.max_fine_person", "200", "当场处罚罚款上限（自然人，元）", "处罚法第五十一条"),
    SettingSpec("summary.max_fine_org", "3000", "当场处罚罚款上限（法人或其他组织，元）", "处罚法第五十一条"),
    SettingSpec("summary.min_officers", 2, "当场处罚执法人员最少人数", "处罚法第四十二条 [L]"),
    SettingSpec("summary.filing_working_days", 5, "当场处罚备案期限（工作日）", "处罚法第五十二条 [L]"),
    SettingSpec("summary.cash_max", "100", "当场收缴罚款上限（元）", "处罚法第六十八条"),
    SettingSpec("limitation.years", 2, "追责时效（年）", "处罚法第三十六条"),
    SettingSpec("limitation.years_safety", 5, "涉及公民生命健康安全、金融安全且有危害后果的时效（年）", "处罚法第三十六条"),
    SettingSpec("major.fine_person", "10000", "重大执法决定：罚款数额（自然人，元）", "处罚法第五十八条；法制审核目录 [L]"),
    SettingSpec("major.fine_org", "100000", "重大执法决定：罚款数额（组织，元）", "处罚法第五十八条；法制审核目录 [L]"),
    SettingSpec("discretion.light_upper", "0.3", "从轻区间上限（占法定幅度比例）", "裁量基准 [L]"),
    SettingSpec("discretion.heavy_lower", "0.7", "从重区间下限（占法定幅度比例）", "裁量基准 [L]"),
    SettingSpec("mediation.completion_days", 30, "调解期限（日）", "人民调解工作若干规定第三十三条"),
    SettingSpec("mediation.confirmation_days", 30, "司法确认申请期限（日，自协议生效）", "人民调解法第三十三条"),
    # 执法人员 list, pickers, 工作台: "30 天内到期" (services/people/certificates.py)
    SettingSpec("certificate.warn_days", 30, "执法证到期提醒（日）", ""),
    SettingSpec(
        "numbering.pattern", "{prefix}{code}字〔{year}〕第{seq}号", "文书编号格式", "执法文书编号惯例 [L]"
    ),
    SettingSpec("numbering.block_size", 200, "每台设备每次分配的编号段大小", "docs/numbering.md"),
    SettingSpec("numbering.field_block_size", 50, "外勤设备每类文书每次分配的编号段大小（随参考数据下发）",
                "docs/numbering.md"),
    SettingSpec(
        "numbering.codes",
        {
            "case_filing": "立", "inspection": "检", "rectification_order": "责改", "prior_notice": "罚告",
            "hearing_notice": "听告", "hearing_summons": "听通", "penalty_decision": "罚决",
            "summary_decision": "当罚", "no_penalty_decision": "不罚", "coercive_decision": "封扣",
            "demand_notice": "催", "transfer": "移", "mediation": "调", "mediation_agreement": "调协",
            "preservation": "先保",
            # Forms that carry no number of their own get a registration number when issued, so every
            # issued document is locked and verifiable under a unique number.
            "interview_record": "询笔", "service_receipt": "送", "closing_form": "结",
            "follow_up_record": "调访", "confirmation_application": "调确", "correction": "更正",
            # The records of a general-procedure case file (services/documents/types_records*.py).
            "statement_record": "陈申", "review_opinion": "复核", "hearing_record": "听笔", "hearing_report": "听报",
            "investigation_report": "调终", "legal_review_opinion": "法审", "collective_record": "集讨",
            "evidence_list": "证清", "evidence_sheet": "证粘", "payment_record": "缴",
            "preservation_decision": "先保处", "enforcement_application": "强执",
        },
        "各类文书代字",
        "执法文书编号惯例 [L]",
    ),
    # 结案 is refused while one of these is not issued (services/procedures/guard_rails.py): for each step the case
    # went through (its value in models/penalty_flow.py), the document types it requires in the file. A squad whose
    # file standard also asks for the 听证通知书 adds "request_hearing": ["hearing_summons"].
    SettingSpec("closing.required_documents", {
        "file": ["case_filing_form"], "prior_notice": ["prior_notice"],
        "decide_penalty": ["penalty_decision"], "decide_no_penalty": ["no_penalty_decision"],
        "serve": ["service_receipt"], "summary_decide": ["summary_decision"],
    }, "结案前须制发的文书（按已办理的环节）", "案卷评查标准 [L]"),
    SettingSpec("remedy.review_body", "", "行政复议机关（空则为“所在区人民政府”）", "行政复议法第二十四条 [L]"),
    SettingSpec("remedy.court", "", "行政诉讼管辖法院", "[L]"),
    SettingSpec("documents.body_font_file", "", "文书正文字体文件（空则用随附的文鼎细上海宋；可填 simsun.ttc 等，#N 选 ttc 中第 N 个字体）", "resources/fonts/README.md"),
    SettingSpec("documents.title_font_file", "", "文书标题字体文件（空则用随附的粗宋体，代替小标宋；可填方正小标宋等字体文件）", "resources/fonts/README.md"),
    SettingSpec("documents.retention", "长期", "执法案卷保管期限（印在卷宗封面）", "档案管理规定 [L]"),
    SettingSpec("backup.keep_daily", 14, "保留每日备份份数", ""),
    # Bounded resources of a sync import (docs/sync-bundle.md §Value checks and limits).
    SettingSpec("sync.max_sequence_ahead", 1000, "同步包序号最多超前（比此前从该设备收到的最大序号）",
                "docs/sync-bundle.md [L]"),
    SettingSpec("sync.max_bundle_mib", 4096, "同步包解压后总大小上限（MiB，含附件）", "docs/sync-bundle.md [L]"),
    SettingSpec("sync.max_attachment_mib", 200, "同步包中单个附件大小上限（MiB）", "docs/sync-bundle.md [L]"),
)

SPECS: dict[str, SettingSpec] = {s.key: s for s in _SPECS}
