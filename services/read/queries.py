"""List queries for the screens and the command line: filter, sort and page in SQL (never in Python).

At township scale a list holds 100k rows; sorting a Python model of that size took 46 s (docs/performance.md §4), an
indexed SQL page takes milliseconds. Each list is declared once (columns, filters, sort keys) and served as
``Page(total, rows)`` of display-ready tuples whose first element is the record's uid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, column, exists, func, literal_column, or_, select, table
from sqlalchemy.orm import Session, aliased

from models.case import CaseOfficer, PenaltyCase
from models.catalogue import PowerItem
from models.enums import (
    CaseStatus,
    CertState,
    CertStatus,
    InspectionResult,
    ListType,
    MediationStatus,
    PartyKind,
    Procedure,
    Role,
)
from models.inspection import Campaign, Inspection, InspectionOfficer
from models.labels import label
from models.mediation import DisputeCategory, MediationCase, MediationParty
from models.org import Officer, Township
from models.party import Party
from models.records import IssuedDocument
from services.core.cipher import is_sealed
from services.core.errors import ValidationError
from services.core.sealing import exact_match, shown_sealed
from services.core.uow import UnitOfWork
from services.people.certificates import CertificateStatus, certificate_status, status_of, warn_days
from services.people.roles import sees_full_identifiers
from services.read.list_titles import LIST_TITLES

# Any SELECT of a list (SQLAlchemy 2.1 types a Select by its columns; the lists differ in theirs).
AnySelect = Select[*tuple[Any, ...]]

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class ListQuery:
    text: str = ""
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    officer_uid: str | None = None
    domain: str | None = None
    township_uid: str | None = None  # district lists only: one township's records
    sort: str | None = None  # column key; None = the list's default
    descending: bool = True
    offset: int = 0
    limit: int = 100


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    key: str
    label: str
    kind: str = "text"  # text | date | money | int | status


@dataclass(frozen=True, slots=True)
class Page:
    total: int
    rows: tuple[tuple[Any, ...], ...]  # (uid, value per column...)


@dataclass(frozen=True)
class ListSpec:
    name: str
    title: str
    columns: tuple[ColumnSpec, ...]
    base: Callable[[], AnySelect]
    table: Any  # the listed entity: the count runs on it alone, without the display joins
    text_filter: Callable[[str], Any]  # LIKE pattern -> condition on ``table`` (joined names via IN subqueries)
    sort_columns: dict[str, Any]
    default_sort: str
    date_column: Any = None
    status_column: Any = None
    statuses: tuple[tuple[str, str], ...] = ()
    domain_column: Any = None
    officer_filter: Callable[[str], Any] | None = None
    row: Callable[[Any, bool], tuple[Any, ...]] = field(default=lambda r, _u: tuple(r))
    # SQLite only: (session, text, LIKE pattern) -> a condition through the search index selecting exactly the
    # rows of text_filter, or None when the index would not narrow the search
    indexed_filter: Callable[[Session, str, str], Any] | None = None
    # The listed record's township (``township_id``): at the district the list shows and filters by it
    township_column: Any = None
    # False: personal identifiers stay masked in this list for every role (the record's detail shows them in full
    # to a role that may see them)
    full_identifiers: bool = True
    # Rows that depend on the day and the settings (an officer's certificate status): ``row`` built per page
    row_on: Callable[[Session, date], Callable[[Any, bool], tuple[Any, ...]]] | None = None
    # (session, text) -> a condition finding the whole text in a sealed column (a blind index), OR-ed with
    # text_filter; None when it cannot (services/core/sealing.py exact_match)
    exact_filter: Callable[[Session, str], Any] | None = None

    def row_maker(self, session: Session, today: date) -> Callable[[Any, bool], tuple[Any, ...]]:
        return self.row if self.row_on is None else self.row_on(session, today)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like_kw(pattern: str) -> dict[str, str]:
    # An ESCAPE clause costs SQLite ~20 % on a 100k-row scan: add it only when the text needed escaping.
    return {"escape": "\\"} if "\\" in pattern else {}


def _any_like(pattern: str, *cols: Any) -> Any:
    return or_(*[c.like(pattern, **_like_kw(pattern)) for c in cols])


def _party_ids(pattern: str) -> AnySelect:
    return select(Party.id).where(Party.name.like(pattern, **_like_kw(pattern)))


# -- inspection text search (FTS5 index of migration 0004) ---------------------------------------------------------
#
# A township's 108k inspections took ~100 ms to count with LIKE over number, place and findings (a full scan).
# ``inspection_search`` holds each inspection's three texts, lower-cased, one token per character, so the
# records containing every character of the term are found through the index; the LIKE then runs on those
# candidates only. A record that contains the term contains each of its characters, so the result is exactly
# the LIKE's. Texts longer than the triggers can split carry the token LONG_TOKEN and are always candidates.

_SEARCH = table("inspection_search", column("rowid"))
LONG_TOKEN = "zzlong"
INDEXED_CANDIDATES_MAX = 20_000
INDEXED_PAGE_MAX = 2_000


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fa5"


def search_tokens(text: str) -> list[str]:
    """The term's characters the query asks the index for: ASCII letters and digits (lower-cased: the index is, and
    LIKE ignores ASCII case) and the basic CJK ideographs, each a token of every text that contains it. Any other
    character is simply not asked for (fewer conditions: still every record that matches the LIKE)."""
    return sorted({ch.lower() if ch.isascii() else ch for ch in text if (ch.isascii() and ch.isalnum()) or _is_cjk(ch)})


def _inspection_search(session: Session, text: str, pattern: str) -> Any:
    tokens = search_tokens(text)
    # Index only when it narrows: a term with Chinese characters (typically 2). One character, or only digits and
    # letters (present in every record number), would make most rows candidates: the plain scan is faster.
    if len(tokens) < 2 or not any(_is_cjk(t) for t in tokens):
        return None
    match = "(" + " AND ".join(f'"{t}"' for t in tokens) + f') OR "{LONG_TOKEN}"'
    matching = literal_column("inspection_search").op("MATCH")(match)
    # Candidates are looked up one by one: past a few tens of thousands a scan with LIKE is cheaper (measured).
    if (session.scalar(select(func.count()).select_from(_SEARCH).where(matching)) or 0) > INDEXED_CANDIDATES_MAX:
        return None
    candidates = select(_SEARCH.c.rowid).where(matching)
    return or_(and_(Inspection.id.in_(candidates),
                    _any_like(pattern, Inspection.number, Inspection.place_masked, Inspection.findings)),
               Inspection.party_id.in_(_party_ids(pattern)))


def _statuses(enum: Any) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, label(m)) for m in enum)


# -- the lists ---------------------------------------------------------------------------------------------

_insp_party = aliased(Party)


def _inspections() -> AnySelect:
    return (
        select(Inspection.uid, Inspection.number, Inspection.inspected_on, Inspection.place, Inspection.domain,
               _insp_party.name, Inspection.result, Inspection.rectification_deadline, Campaign.name,
               Inspection.place_masked)
        .outerjoin(_insp_party, _insp_party.id == Inspection.party_id)
        .outerjoin(Campaign, Campaign.id == Inspection.campaign_id)
        .where(Inspection.deleted_at.is_(None))
    )


def _case_base() -> AnySelect:
    return (
        select(PenaltyCase.uid, PenaltyCase.number, PenaltyCase.status, PenaltyCase.procedure, PenaltyCase.cause,
               Party.name, PenaltyCase.registered_on, PenaltyCase.filed_on, PenaltyCase.decision_date,
               PenaltyCase.fine_amount, PenaltyCase.domain)
        .outerjoin(Party, Party.id == PenaltyCase.party_id)
        .where(PenaltyCase.deleted_at.is_(None))
    )


def _inspection_rows(session: Session, _today: date) -> Callable[[Any, bool], tuple[Any, ...]]:
    """The place is sealed at rest (often a home: models/sealed.py): opened per row with the key (one AES-GCM
    open, ~µs: bench/bench_sealed.py), its masked form (down to the 乡镇) without."""
    key = session.info.get("data_key")

    def row(r: Any, _unmasked: bool) -> tuple[Any, ...]:
        uid, number, on, place, domain, party, result, deadline, campaign, place_masked = r
        shown = (place_masked if key is None and is_sealed(place) else
                 shown_sealed(key, place, table="inspection", column="place", uid=uid))
        return (uid, number, on, shown, domain, party or "", label(result), deadline, campaign or "")

    return row


def _case_row(r: Any, _unmasked: bool) -> tuple[Any, ...]:
    uid, number, status, procedure, cause, party, registered, filed, decided, fine, domain = r
    return (uid, number or "（未立案）", label(status), label_procedure(procedure), cause, party or "", registered, filed,
            decided, fine, domain)


def label_procedure(p: Procedure) -> str:
    return "简易程序" if p is Procedure.SUMMARY else "普通程序"


def _mediation_base() -> AnySelect:
    # aggregate_strings: group_concat on SQLite, string_agg on PostgreSQL (a district may run there; group_concat
    # does not exist on PostgreSQL).
    parties = (
        select(func.aggregate_strings(Party.name, "、"))
        .join(MediationParty, MediationParty.party_id == Party.id)
        .where(MediationParty.case_id == MediationCase.id)
        .correlate(MediationCase)
        .scalar_subquery()
    )
    return (
        select(MediationCase.uid, MediationCase.number, MediationCase.status, DisputeCategory.name, parties,
               MediationCase.applied_on, MediationCase.ended_on, MediationCase.agreement_form)
        .join(DisputeCategory, DisputeCategory.id == MediationCase.category_id)
        .where(MediationCase.deleted_at.is_(None))
    )


def _party_row(r: Any, _unmasked: bool) -> tuple[Any, ...]:
    """The parties list reads the masked forms only (models/sealed.py): nothing sealed is opened for a page."""
    uid, kind, name, id_masked, phone_masked, address_masked, legal_rep = r
    return (uid, label(kind), name, id_masked, phone_masked, address_masked, legal_rep)


@dataclass(frozen=True, slots=True)
class Marked:
    """A cell value shown with an emphasis: ``tone`` "alert" (red), "warning" (amber) or "muted" (grey)."""

    text: str
    tone: str

    def __str__(self) -> str:
        return self.text


def certificate_cell(status: CertificateStatus) -> Marked | str:
    """How a list shows a certificate's standing (services.people.certificates decides it)."""
    if status.alert:
        return Marked(status.text, "alert")
    return Marked(status.text, "warning") if status.warning else status.text


def _officer_rows(session: Session, today: date) -> Callable[[Any, bool], tuple[Any, ...]]:
    days = warn_days(session)

    key = session.info.get("data_key")

    def row(r: Any, unmasked: bool) -> tuple[Any, ...]:
        uid, name, gender, role, cert, kind, valid_from, valid_to, stored, domains, phone, active, masked = r
        status: Marked | str = Marked("已停用", "muted") if not active else certificate_cell(certificate_status(
            cert_number=cert, valid_to=valid_to, valid_from=valid_from, stored=stored, today=today, warn_days=days))
        # the full phone (sealed at rest) is opened only for a role that sees it; everyone else reads the mask
        full = shown_sealed(key, phone, table="officer", column="phone", uid=uid) if unmasked else masked
        return (uid, name, gender, label(role), cert, kind, valid_from, valid_to, status, full, domains)

    return row


# Sorting by 证件状态 orders by what decides it: in service first, then the stored standing (暂扣/注销 before
# 有效), then the last valid day. For a valid certificate the state only moves with that day (已过期 → 即将到期 →
# 有效), so this is the order of the status column itself without repeating its rule in SQL.
_OFFICER_STATUS_ORDER = (case((Officer.active.is_(True), 1), else_=0),
                         case((Officer.cert_status == CertStatus.VALID.value, 1), else_=0), Officer.cert_valid_to)
_ROLE_LABEL = case({r.value: label(r) for r in Role}, value=Officer.role, else_=Officer.role)
_OFFICER_ACTIVE = case((Officer.active.is_(True), "active"), else_="inactive")


LISTS: dict[str, ListSpec] = {
    "inspections": ListSpec(
        "inspections", LIST_TITLES["inspections"],
        (ColumnSpec("number", "编号"), ColumnSpec("inspected_on", "检查日期", "date"), ColumnSpec("place", "地点"),
         ColumnSpec("domain", "领域"), ColumnSpec("party", "当事人"), ColumnSpec("result", "结论", "status"),
         ColumnSpec("deadline", "整改期限", "date"), ColumnSpec("campaign", "专项整治")),
        _inspections, Inspection,
        # the place is sealed: searched and sorted by its masked form (the 乡镇 part; docs/encryption-data.md)
        lambda p: or_(_any_like(p, Inspection.number, Inspection.place_masked, Inspection.findings),
                      Inspection.party_id.in_(_party_ids(p))),
        {"number": Inspection.number, "inspected_on": Inspection.inspected_on, "place": Inspection.place_masked,
         "domain": Inspection.domain, "result": Inspection.result, "deadline": Inspection.rectification_deadline},
        "inspected_on", date_column=Inspection.inspected_on, status_column=Inspection.result,
        statuses=_statuses(InspectionResult), domain_column=Inspection.domain,
        officer_filter=lambda uid: exists().where(
            InspectionOfficer.inspection_id == Inspection.id, InspectionOfficer.officer_id == Officer.id,
            Officer.uid == uid),
        row_on=_inspection_rows, indexed_filter=_inspection_search, township_column=Inspection.township_id,
    ),
    "campaigns": ListSpec(
        "campaigns", LIST_TITLES["campaigns"],
        (ColumnSpec("name", "名称"), ColumnSpec("domain", "领域"), ColumnSpec("start_date", "开始日期", "date"),
         ColumnSpec("end_date", "结束日期", "date"), ColumnSpec("inspections", "检查次数", "int")),
        lambda: select(Campaign.uid, Campaign.name, Campaign.domain, Campaign.start_date, Campaign.end_date,
                       select(func.count()).where(Inspection.campaign_id == Campaign.id).correlate(Campaign)
                       .scalar_subquery()).where(Campaign.deleted_at.is_(None)),
        Campaign, lambda p: _any_like(p, Campaign.name, Campaign.description),
        {"name": Campaign.name, "domain": Campaign.domain, "start_date": Campaign.start_date,
         "end_date": Campaign.end_date},
        "start_date", date_column=Campaign.start_date, domain_column=Campaign.domain,
        township_column=Campaign.township_id,
    ),
    "cases": ListSpec(
        "cases", LIST_TITLES["cases"],
        (ColumnSpec("number", "案件编号"), ColumnSpec("status", "状态", "status"), ColumnSpec("procedure", "程序"),
         ColumnSpec("cause", "案由"), ColumnSpec("party", "当事人"), ColumnSpec("registered_on", "登记日期", "date"),
         ColumnSpec("filed_on", "立案日期", "date"), ColumnSpec("decision_date", "决定日期", "date"),
         ColumnSpec("fine", "罚款（元）", "money"), ColumnSpec("domain", "领域")),
        _case_base, PenaltyCase,
        lambda p: or_(_any_like(p, PenaltyCase.number, PenaltyCase.cause, PenaltyCase.decision_number),
                      PenaltyCase.party_id.in_(_party_ids(p))),
        {"number": PenaltyCase.number, "status": PenaltyCase.status, "cause": PenaltyCase.cause,
         "party": Party.name, "registered_on": PenaltyCase.registered_on, "filed_on": PenaltyCase.filed_on,
         "decision_date": PenaltyCase.decision_date, "fine": PenaltyCase.fine_amount, "domain": PenaltyCase.domain},
        "registered_on", date_column=PenaltyCase.registered_on, status_column=PenaltyCase.status,
        statuses=_statuses(CaseStatus), domain_column=PenaltyCase.domain,
        officer_filter=lambda uid: exists().where(
            CaseOfficer.case_id == PenaltyCase.id, CaseOfficer.officer_id == Officer.id, Officer.uid == uid),
        row=_case_row, township_column=PenaltyCase.township_id,
    ),
    "mediations": ListSpec(
        "mediations", LIST_TITLES["mediations"],
        (ColumnSpec("number", "编号"), ColumnSpec("status", "状态", "status"), ColumnSpec("category", "纠纷类别"),
         ColumnSpec("parties", "当事人"), ColumnSpec("applied_on", "申请日期", "date"),
         ColumnSpec("ended_on", "调结日期", "date"), ColumnSpec("form", "协议形式")),
        _mediation_base, MediationCase,
        lambda p: or_(_any_like(p, MediationCase.number, MediationCase.summary),
                      exists().where(MediationParty.case_id == MediationCase.id,
                                     MediationParty.party_id.in_(_party_ids(p)))),
        {"number": MediationCase.number, "status": MediationCase.status, "category": DisputeCategory.name,
         "applied_on": MediationCase.applied_on, "ended_on": MediationCase.ended_on},
        "applied_on", date_column=MediationCase.applied_on, status_column=MediationCase.status,
        statuses=_statuses(MediationStatus),
        row=lambda r, _u: (r[0], r[1], label(r[2]), r[3], r[4] or "", r[5], r[6],
                           {"written": "书面", "oral": "口头"}.get(r[7].value if r[7] else "", "")),
        township_column=MediationCase.township_id,
    ),
    "parties": ListSpec(
        "parties", LIST_TITLES["parties"],
        (ColumnSpec("kind", "类型"), ColumnSpec("name", "姓名/名称"), ColumnSpec("id_number", "证件号码"),
         ColumnSpec("phone", "电话"), ColumnSpec("address", "住址"), ColumnSpec("legal_rep", "法定代表人/经营者")),
        lambda: select(Party.uid, Party.kind, Party.name, Party.id_number_masked, Party.phone_masked,
                       Party.address_masked, Party.legal_rep).where(Party.deleted_at.is_(None)),
        # ID numbers and addresses are sealed at rest: no substring search in them; a whole ID number is found
        # through its blind index (exact_filter)
        Party, lambda p: _any_like(p, Party.name, Party.legal_rep),
        {"kind": Party.kind, "name": Party.name, "address": Party.address_masked},
        "name", status_column=Party.kind, statuses=_statuses(PartyKind), row=_party_row,
        exact_filter=lambda s, text: exact_match(s, text, ((Party.id_number, Party.id_number_index),
                                                          (Party.operator_id_number, Party.operator_id_number_index))),
        full_identifiers=False,  # a directory of members of the public: masked for everyone
    ),
    "officers": ListSpec(
        "officers", LIST_TITLES["officers"],
        (ColumnSpec("name", "姓名"), ColumnSpec("gender", "性别"), ColumnSpec("role", "角色"),
         ColumnSpec("cert", "执法证号"), ColumnSpec("cert_kind", "证件种类"), ColumnSpec("valid_from", "发证日期", "date"),
         ColumnSpec("valid_to", "有效期至", "date"), ColumnSpec("cert_status", "证件状态", "status"),
         ColumnSpec("phone", "电话"), ColumnSpec("domains", "执法领域")),
        lambda: select(Officer.uid, Officer.name, Officer.gender, Officer.role, Officer.cert_number, Officer.cert_kind,
                       Officer.cert_valid_from, Officer.cert_valid_to, Officer.cert_status, Officer.domains,
                       Officer.phone, Officer.active, Officer.phone_masked).where(Officer.deleted_at.is_(None)),
        Officer, lambda p: _any_like(p, Officer.name, Officer.cert_number, Officer.domains),
        {"name": Officer.name, "gender": Officer.gender, "role": _ROLE_LABEL, "cert": Officer.cert_number,
         "cert_kind": Officer.cert_kind, "valid_from": Officer.cert_valid_from, "valid_to": Officer.cert_valid_to,
         "cert_status": _OFFICER_STATUS_ORDER, "domains": Officer.domains, "phone": Officer.phone_masked},
        "valid_to", status_column=_OFFICER_ACTIVE, statuses=(("active", "在岗"), ("inactive", "已停用")),
        row_on=_officer_rows, township_column=Officer.township_id,
    ),
    "catalogue": ListSpec(
        "catalogue", LIST_TITLES["catalogue"],
        (ColumnSpec("code", "事项编码"), ColumnSpec("name", "事项名称"), ColumnSpec("list_type", "清单类型"),
         ColumnSpec("domain", "领域"), ColumnSpec("range", "法定罚款幅度"), ColumnSpec("provision", "处罚依据"),
         ColumnSpec("effective_from", "生效日期", "date")),
        lambda: select(PowerItem.uid, PowerItem.code, PowerItem.name, PowerItem.list_type, PowerItem.domain,
                       PowerItem.statutory_range_text, PowerItem.penalty_provision, PowerItem.effective_from)
        .where(PowerItem.deleted_at.is_(None)),
        PowerItem, lambda p: _any_like(p, PowerItem.code, PowerItem.name, PowerItem.penalty_provision),
        {"code": PowerItem.code, "name": PowerItem.name, "domain": PowerItem.domain,
         "effective_from": PowerItem.effective_from},
        "code", status_column=PowerItem.list_type, statuses=_statuses(ListType), domain_column=PowerItem.domain,
        row=lambda r, _u: (r[0], r[1], r[2], label(r[3]), r[4], r[5], r[6], r[7]),
    ),
    "documents": ListSpec(
        "documents", LIST_TITLES["documents"],
        (ColumnSpec("number", "文号"), ColumnSpec("doc_type", "文书类型"), ColumnSpec("issued_at", "制发时间", "date"),
         ColumnSpec("issued_by", "制发人"), ColumnSpec("record", "所属记录")),
        lambda: select(IssuedDocument.uid, IssuedDocument.number, IssuedDocument.doc_type, IssuedDocument.issued_at,
                       IssuedDocument.issued_by, IssuedDocument.record_table).where(IssuedDocument.deleted_at.is_(None)),
        IssuedDocument, lambda p: _any_like(p, IssuedDocument.number, IssuedDocument.doc_type),
        {"number": IssuedDocument.number, "doc_type": IssuedDocument.doc_type, "issued_at": IssuedDocument.issued_at},
        "issued_at",
        row=lambda r, _u: (r[0], r[1], r[2], r[3].date() if r[3] else None, r[4], r[5]),
    ),
}


# -- the district's lists ------------------------------------------------------------------------------------
#
# A district database holds every township's records: its lists show each record's township (乡镇, first column,
# sortable) and filter by one township. A township's list keeps its columns exactly: the district variant of a
# spec is derived from it, so both always list the same records the same way.

TOWNSHIP_COLUMN = ColumnSpec("township", "乡镇")


def _district_row(row: Callable[[Any, bool], tuple[Any, ...]]) -> Callable[[Any, bool], tuple[Any, ...]]:
    def district_row(r: Any, unmasked: bool) -> tuple[Any, ...]:
        # The township's name is selected last (added to the township query); it is shown first after the uid.
        out = row(tuple(r[:-1]), unmasked)
        return (out[0], r[-1] or "", *out[1:])

    return district_row


def _district_spec(spec: ListSpec) -> ListSpec:
    col = spec.township_column
    return replace(
        spec,
        columns=(TOWNSHIP_COLUMN, *spec.columns),
        # An outer join: a record whose township row is missing still lists (with an empty township).
        base=lambda: spec.base().add_columns(Township.name).outerjoin(Township, Township.id == col),
        sort_columns={**spec.sort_columns, TOWNSHIP_COLUMN.key: Township.name},
        row=_district_row(spec.row),
        row_on=None if spec.row_on is None else lambda s, d: _district_row(spec.row_maker(s, d)),
    )


DISTRICT_SPECS: dict[str, ListSpec] = {
    name: _district_spec(spec) for name, spec in LISTS.items() if spec.township_column is not None
}


def _spec(name: str, district: bool) -> ListSpec:
    spec = (DISTRICT_SPECS.get(name) if district else None) or LISTS.get(name)
    if spec is None:
        raise ValidationError(f"没有名为“{name}”的列表", field="list")
    return spec


def _township_id(session: Session, spec: ListSpec, uid: str) -> int:
    if spec.township_column is None or TOWNSHIP_COLUMN not in spec.columns:
        raise ValidationError(f"{spec.title}不能按乡镇筛选", field="township")
    # Resolved here rather than as a subquery: the planner then sees a constant and weighs the township's own
    # index (ix_…_township_id) against the sort column's with its statistics.
    tid = session.scalar(select(Township.id).where(Township.uid == uid, Township.deleted_at.is_(None)))
    if tid is None:
        raise ValidationError("所选乡镇不在本数据库中", field="township")
    return int(tid)


# A big township's page (the biggest of the 200-township district: 108k inspections) took ~0.9 s through the
# township index: every one of its rows joined and sorted for 200. From this many matches on, SQLite walks the sort
# column's index instead and skips other townships' rows (~30 ms for the first page; penalty_case.registered_on has
# no index: a scan keeping the top rows, ~40 ms for 667k cases); below it the township's index is the cheaper.
# The walk grows with the offset (the other townships' rows passed on the way: past the middle of a big township's
# list it took 2-3 s), so it is taken only while it would pass fewer than TOWNSHIP_WALK_ROWS rows.
TOWNSHIP_WALK_MIN = 20_000
TOWNSHIP_WALK_ROWS = 100_000


def _walk_sort_index(session: Session, spec: ListSpec, q: ListQuery, total: int) -> bool:
    if total < TOWNSHIP_WALK_MIN or session.get_bind().dialect.name != "sqlite":
        return False
    rows = session.scalar(select(func.max(spec.table.id))) or 0  # the table's size, from the rowid: no scan
    return (q.offset + q.limit) * rows / total <= TOWNSHIP_WALK_ROWS


def _conditions(spec: ListSpec, q: ListQuery) -> list[Any]:
    """Filter conditions on the listed table only, so the count needs no joins (perf: 150 → 20 ms). The free text
    is added by ``fetch_page`` (it may use the search index)."""
    conds: list[Any] = [spec.table.deleted_at.is_(None)]
    if q.status:
        if spec.status_column is None or q.status not in {v for v, _ in spec.statuses}:
            raise ValidationError(f"“{q.status}”不是{spec.title}的有效状态", field="status")
        conds.append(spec.status_column == q.status)
    if (q.date_from or q.date_to) and spec.date_column is not None:
        if q.date_from and q.date_to and q.date_from > q.date_to:
            raise ValidationError("起始日期不能晚于截止日期", field="date_from")
        if q.date_from:
            conds.append(spec.date_column >= q.date_from)
        if q.date_to:
            conds.append(spec.date_column <= q.date_to)
    if q.domain and spec.domain_column is not None:
        conds.append(spec.domain_column == q.domain)
    if q.officer_uid and spec.officer_filter is not None:
        conds.append(spec.officer_filter(q.officer_uid))
    return conds


def _text_conditions(session: Session, spec: ListSpec, text: str) -> tuple[Any, Any]:
    """(LIKE condition, indexed condition or None) for the free text; both select exactly the same rows."""
    like = spec.text_filter(_like(text))
    exact = None if spec.exact_filter is None else spec.exact_filter(session, text)
    if exact is not None:
        like = or_(like, exact)
    if spec.indexed_filter is None or session.get_bind().dialect.name != "sqlite":
        return like, None
    return like, spec.indexed_filter(session, text, _like(text))


def fetch_page(session: Session, name: str, q: ListQuery, *, unmasked: bool = False,
               district: bool = False, today: date | None = None) -> Page:
    """One page of list ``name``; ``district`` serves the district's variant (乡镇 column and filter). ``unmasked``
    as list_page decided it from the role; a list with ``full_identifiers=False`` masks anyway. ``today`` (the
    caller's clock) for what is computed against it (an officer's certificate status)."""
    spec = _spec(name, district)
    unmasked = unmasked and spec.full_identifiers
    row = spec.row_maker(session, today or date.today())
    if not 0 < q.limit <= MAX_PAGE or q.offset < 0:
        raise ValidationError(f"每页条数应在1至{MAX_PAGE}之间", field="limit")
    key = q.sort or spec.default_sort
    if key not in spec.sort_columns:
        raise ValidationError(f"不能按“{key}”排序", field="sort")
    conds = _conditions(spec, q)
    tid = _township_id(session, spec, q.township_uid) if q.township_uid else None
    text = q.text.strip()
    like: Any = None  # conditions on the listed table (text_filter returns Any)
    indexed: Any = None
    if text:
        like, indexed = _text_conditions(session, spec, text)
    if tid is not None:
        conds.append(spec.township_column == tid)
    count_conds = [*conds, indexed if indexed is not None else like] if text else conds
    if key == TOWNSHIP_COLUMN.key:
        return _page_by_township(session, spec, q, count_conds, [*conds, *([like] if text else [])], unmasked, row)
    total = _count(session, spec, count_conds)
    if tid is not None and _walk_sort_index(session, spec, q, total):
        # "+ 0" keeps SQLite off the township's index for the page (the count above used it).
        conds[-1] = (spec.township_column + 0) == tid
    # The page: with few matches, sort the ones the index found; with many, walk the sort column's index with the
    # LIKE until the page is full (it fills after a few thousand rows). The same rows either way.
    page_text = indexed if indexed is not None and total <= INDEXED_PAGE_MAX else like
    stmt = spec.base().where(and_(*conds, *([page_text] if text else [])))
    # A sort key may be several columns (an officer's 证件状态: what decides it, in order).
    cols = spec.sort_columns[key]
    cols = cols if isinstance(cols, tuple) else (cols,)
    # A unique tie-breaker keeps paging stable when many rows share the sort value.
    tie = stmt.selected_columns[0]
    order = [c.desc() for c in (*cols, tie)] if q.descending else [c.asc() for c in (*cols, tie)]
    rows = session.execute(stmt.order_by(*order).offset(q.offset).limit(q.limit)).all()
    return Page(int(total), tuple(row(r, unmasked) for r in rows))


def _count(session: Session, spec: ListSpec, count_conds: list[Any]) -> int:
    """How many records match. Unfiltered (``deleted_at IS NULL`` only, the list as it opens): all rows minus the
    soft-deleted ones. The first is a covering scan of the table's smallest index, the second reads the partial
    index of deleted rows (models/base.py deleted_rows_index): counting ``deleted_at IS NULL`` read every row, and a
    sealed row is bigger (the parties list 4.3 → 5.4 ms on the township demo; bench/README.md, issue 17). Filtered,
    the filters decide the plan, as before."""
    t = spec.table
    if len(count_conds) > 1:
        return session.scalar(select(func.count()).select_from(t).where(and_(*count_conds))) or 0
    everything = select(func.count()).select_from(t).scalar_subquery()
    deleted = select(func.count()).select_from(t).where(t.deleted_at.is_not(None)).scalar_subquery()
    return session.scalar(select(everything - deleted)) or 0


def _page_by_township(session: Session, spec: ListSpec, q: ListQuery, count_conds: list[Any], page_conds: list[Any],
                      unmasked: bool, row: Callable[[Any, bool], tuple[Any, ...]]) -> Page:
    """A page sorted by township: townships in name order, each one's records in the list's usual order (newest
    first), then uid.

    ORDER BY township.name over a district's 2.3M inspections sorted every row (4 s on the 200-township district).
    Instead the matching records are counted per township (one indexed GROUP BY, the cost of the plain count), the
    townships the page spans are picked in Python, and only their records are sorted. Names are ordered in Python
    by code point, as services.district.common does, so SQLite and PostgreSQL give the same order."""
    counts: dict[int, int] = dict(session.execute(select(spec.township_column, func.count()).select_from(spec.table)
                                  .where(and_(*count_conds)).group_by(spec.township_column)).all())
    names = dict(session.execute(select(Township.id, Township.name).where(Township.id.in_(list(counts)))).all())
    towns = sorted(counts, key=lambda t: (names.get(t) or "", t), reverse=q.descending)
    total = sum(counts.values())
    picked: list[int] = []
    start = skip = 0  # rows before the current township; rows of the first picked township before the page
    for t in towns:
        end = start + counts[t]
        if end > q.offset and start < q.offset + q.limit:
            if not picked:
                skip = q.offset - start
            picked.append(t)
        start = end
    if not picked:
        return Page(int(total), ())
    stmt = spec.base().where(and_(*page_conds, spec.township_column.in_(picked)))
    rank = case({t: i for i, t in enumerate(picked)}, value=spec.township_column)
    order = [rank, spec.sort_columns[spec.default_sort].desc(), stmt.selected_columns[0].desc()]
    rows = session.execute(stmt.order_by(*order).offset(skip).limit(q.limit)).all()
    return Page(int(total), tuple(row(r, unmasked) for r in rows))


def list_page(uow: UnitOfWork, name: str, q: ListQuery, *, unmasked: bool = False, district: bool = False) -> Page:
    """One page of list ``name``. ID numbers and phones are shown in full only where the list allows it and the unit
    of work's role may see them (roles.sees_full_identifiers; ``unmasked`` is what a caller without a signed-in role
    asks for)."""
    full = sees_full_identifiers(uow.role, asked=unmasked)
    with uow:
        return fetch_page(uow.session, name, q, unmasked=full, district=district, today=uow.clock.today())


def domains(uow: UnitOfWork) -> list[str]:
    with uow:
        return list(uow.session.scalars(select(PowerItem.domain).distinct().order_by(PowerItem.domain)))


@dataclass(frozen=True, slots=True)
class ListInfo:
    """What a screen needs to build a list's filter bar and header (no query objects leak out)."""

    name: str
    title: str
    columns: tuple[ColumnSpec, ...]
    sortable: frozenset[str]
    default_sort: str
    statuses: tuple[tuple[str, str], ...]
    has_dates: bool
    has_domain: bool
    has_officer: bool
    has_township: bool = False  # a district list: 乡镇 column and filter (ListQuery.township_uid)


def list_info(name: str, *, district: bool = False) -> ListInfo:
    """The list's header and filters; ``district`` gives the district's variant where the records carry a township
    (the catalogue is the district's own, shared by every township: it stays as it is)."""
    spec = _spec(name, district)
    return ListInfo(spec.name, spec.title, spec.columns, frozenset(spec.sort_columns), spec.default_sort,
                    spec.statuses, spec.date_column is not None, spec.domain_column is not None,
                    spec.officer_filter is not None, TOWNSHIP_COLUMN in spec.columns)


def township_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(uid, name) of the townships whose records a district database holds, in name order, for the 乡镇 filter.
    Two townships of the same name are told apart by the start of their uid."""
    # Imported here: the district package loads every district module, which a township list never needs.
    from services.district.common import townships

    with uow:
        towns = townships(uow.session)
    names = [t.name for t in towns]
    return [(t.uid, t.name if names.count(t.name) == 1 else f"{t.name}（{t.uid[:8]}）") for t in towns]


@dataclass(frozen=True, slots=True)
class OfficerChoice:
    """An officer as the forms' pickers offer him: his certificate's standing today, as the 执法人员 list shows
    it, and whether he may be picked for the day of the record (certified that day, 《行政处罚法》第四十二条)."""

    uid: str
    text: str  # 姓名（执法证号）, with the standing when it is not plainly 有效
    status: CertificateStatus
    usable: bool


def officer_picks(uow: UnitOfWork, *, on: date | None = None, role: str | None = None) -> list[OfficerChoice]:
    """Active officers for a picker; ``on``: usable only if certified that day (default: by today's standing)."""
    with uow:
        s = uow.session
        today, days = uow.clock.today(), warn_days(s)
        stmt = select(Officer).where(Officer.active.is_(True), Officer.deleted_at.is_(None)).order_by(Officer.name)
        out = []
        for o in s.scalars(stmt):
            if role is not None and o.role.value != role:
                continue
            status = status_of(o, today, days)
            detail = o.cert_number if status.state is CertState.VALID else f"{o.cert_number}，{status.text}"
            out.append(OfficerChoice(o.uid, f"{o.name}（{detail}）", status,
                                     o.certified_on(on) if on is not None else status.usable))
        return out


def officer_choices(uow: UnitOfWork, *, on: date | None = None, role: str | None = None) -> list[tuple[str, str]]:
    """(uid, "姓名（证号）") of active officers, for pickers; ``on`` keeps only those certified that day."""
    return [(c.uid, c.text) for c in officer_picks(uow, on=on, role=role) if on is None or c.usable]
