"""Administrative penalty cases: every procedural step with the legal guards of the 2021 Penalty Law.

One module per stretch of the procedure (common.py holds the DTOs and the step machinery); this package
re-exports the public API, so callers write ``from services.procedures import cases as C; C.file_case(...)``.
"""

from services.procedures.cases.common import (
    LAW,
    STEP_PERMISSIONS,
    CaseEventInfo,
    CaseSummary,
    DeadlineInfo,
    Step,
    StepContext,
    discretion_for_case,
    get_case,
    limitation_check,
    list_cases,
    load_case,
    party_age_on,
    step_permission,
)
from services.procedures.cases.decision import (
    decide_no_penalty,
    decide_penalty,
    extend_limit,
    record_suspension,
    terminate_case,
    transfer_case,
)
from services.procedures.cases.execution import (
    archive_case,
    close_case,
    disclose,
    record_payment,
    serve_decision,
    start_enforcement,
)
from services.procedures.cases.investigation import (
    ClueInput,
    ConclusionInput,
    clue_problems,
    conclude_investigation,
    file_case,
    record_collective_discussion,
    record_legal_review,
    refuse_filing,
    register_clue,
    return_for_investigation,
)
from services.procedures.cases.legal import (
    apply_court_enforcement,
    record_exemption_facts,
    record_refusal,
    record_remedy,
    record_service_consent,
    schedule_hearing,
)
from services.procedures.cases.notice import (
    end_statement_period,
    give_prior_notice,
    record_hearing,
    record_statement,
    request_hearing,
    waive_statement,
)
from services.procedures.cases.summary import SummaryInput, file_summary, summary_penalty

__all__ = [
    "LAW", "STEP_PERMISSIONS", "CaseEventInfo", "CaseSummary", "ClueInput", "ConclusionInput", "DeadlineInfo",
    "Step", "StepContext", "SummaryInput", "archive_case", "close_case", "clue_problems", "conclude_investigation",
    "decide_no_penalty", "decide_penalty", "disclose", "discretion_for_case", "end_statement_period",
    "extend_limit", "file_case", "file_summary", "get_case", "give_prior_notice", "limitation_check", "list_cases",
    "load_case", "party_age_on", "record_collective_discussion", "record_hearing", "record_legal_review",
    "record_payment", "record_statement", "record_suspension", "refuse_filing", "register_clue", "request_hearing",
    "return_for_investigation", "serve_decision", "start_enforcement", "step_permission", "summary_penalty",
    "terminate_case", "transfer_case", "waive_statement",
    "apply_court_enforcement", "record_exemption_facts", "record_refusal", "record_remedy", "record_service_consent",
    "schedule_hearing",
]
