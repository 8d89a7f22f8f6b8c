"""Self-test of an installation: a fast check that a build (or a source checkout) is whole.

``main.py --self-test`` (and the built ``EnforceDesk --self-test``) runs :func:`default_steps` plus the Qt
window step that cli/gui.py adds from ``ui/``, in a scratch folder that is deleted afterwards. The user's data
folder is never touched: ``ENFORCEDESK_HOME`` points into the scratch folder while the steps run.

Each step is a function of :class:`Scratch` (the state earlier steps left) that raises on failure and may
return a short detail. :func:`run_self_test` prints one line per step, ``[ok] 迁移数据库 0.12 s``, or
``[失败] <step>: <reason>`` and stops; its return value is the process exit code (0 or 1).

This module is Qt-free (import-linter); the steps import what they exercise lazily, so a module missing from
a build is reported as a failure of the step that needs it rather than as a crash on start-up.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from models.enums import RecordKind
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.cipher import DataKey
    from services.core.clock import FixedClock
    from services.core.db import Database
    from services.core.uow import UnitOfWork

EXIT_OK, EXIT_FAILED = 0, 1

# The self-test works on a fixed day, so deadlines and working days come out the same on any date the
# test is run (Monday 2 March 2026, a working day covered by the bundled holiday calendar).
START_DAY = date(2026, 3, 2)
ADMIN_PASSWORD = "selftest-2026"
TOWNSHIP, SQUAD = "自检镇", "自检镇综合行政执法中队"
POWER_ITEM = "SR-003"  # a catalogue item that applies to natural persons (resources/catalogue/powers.json)

# Modules a normal start of the desktop program imports (the screens import these services).
APP_MODULES = (
    "sqlalchemy", "services.core.db", "services.core.context", "services.reference.setup", "services.people.registry", "services.procedures.inspections",
    "services.procedures.cases", "services.documents.issuing", "services.sync", "services.maintenance.verify", "services.statistics.yearly",
)


class SelfTestFailure(Exception):
    """A check of the self-test did not hold; the message says what, in Chinese."""


@dataclass
class Scratch:
    """The scratch folder and what the steps so far created there (uids, databases, the issued PDF)."""

    folder: Path
    clock: FixedClock
    db: Database | None = None
    district: Database | None = None
    officers: list[str] = field(default_factory=list)
    party: str = ""
    inspection: str = ""
    case: str = ""
    pdf: bytes = b""
    admin_username: str = "admin"
    admin_password: str = ADMIN_PASSWORD
    # The databases' unlocked data keys (docs/encryption.md), as a login would give them.
    key: DataKey | None = None
    district_key: DataKey | None = None

    @property
    def db_path(self) -> Path:
        """The township database file in the scratch folder."""
        return self.folder / "selftest.sqlite3"

    def database(self) -> Database:
        """The township database; a failure if the step that creates it has not run."""
        if self.db is None:
            raise SelfTestFailure("数据库尚未创建")
        return self.db

    def uow(self, db: Database | None = None) -> UnitOfWork:
        from services.core.uow import UnitOfWork

        target = db or self.database()
        key = self.district_key if target is self.district else self.key
        return UnitOfWork(target, actor="selftest", clock=self.clock, data_key=key)

    def close(self) -> None:
        """Release the database files (Windows cannot delete a folder with open files)."""
        for database in (self.db, self.district):
            if database is not None:
                database.dispose()
        self.db = self.district = None


StepFn = Callable[[Scratch], "str | None"]


@dataclass(frozen=True, slots=True)
class Step:
    """One named check; ``run`` raises on failure and may return a short detail for the ``[ok]`` line."""

    name: str
    run: StepFn


def check(condition: object, message: str) -> None:
    """Raise :class:`SelfTestFailure` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise SelfTestFailure(message)


# -- the steps ----------------------------------------------------------------------------------------


def step_load_modules(_scratch: Scratch) -> str:
    """Import the modules the desktop program needs (a module left out of a build fails here, by name)."""
    for name in APP_MODULES:
        importlib.import_module(name)
    return f"{len(APP_MODULES)} 个模块"


def step_resources(_scratch: Scratch) -> str:
    """The bundled files: fonts and their licences, the catalogue, the Alembic scripts, time zone data."""
    import importlib.resources
    from zoneinfo import ZoneInfo

    from services.core.paths import migrations_path, resource_path

    fonts = sorted(resource_path("fonts").glob("*.tt[fc]"))
    check(fonts, f"找不到随附字体：{resource_path('fonts')}")
    licences = list(resource_path("fonts", "LICENSES").glob("*.txt")) + list(
        resource_path("fonts", "LICENSES").glob("*.TXT"))
    check(licences, "找不到字体许可证（resources/fonts/LICENSES）")
    check(resource_path("catalogue", "powers.json").is_file(), "找不到赋权事项清单 resources/catalogue/powers.json")
    migrations = migrations_path()
    check((migrations / "env.py").is_file(), f"找不到数据库迁移脚本：{migrations / 'env.py'}")
    check(list((migrations / "versions").glob("*.py")), f"找不到数据库迁移版本：{migrations / 'versions'}")
    # Windows has no system time zone database: zoneinfo needs the tzdata package there.
    shanghai = importlib.resources.files("tzdata").joinpath("zoneinfo", "Asia", "Shanghai")
    check(shanghai.is_file(), "找不到时区数据 tzdata（Asia/Shanghai）")
    with shanghai.open("rb") as fh:
        zone = ZoneInfo.from_file(fh, key="Asia/Shanghai")
    check(datetime(2026, 1, 1, tzinfo=zone).utcoffset() == timedelta(hours=8), "时区数据有误（Asia/Shanghai 应为 UTC+8）")
    return f"字体 {len(fonts)} 个，许可证 {len(licences)} 份"


def step_create_database(scratch: Scratch) -> None:
    """Create the SQLite file (WAL, foreign keys) without migrating it yet."""
    from services.core.db import Database

    scratch.db = Database.open(scratch.db_path, migrate=False)
    with scratch.db.raw() as conn:
        conn.execute("SELECT 1").fetchone()
    check(scratch.db_path.is_file(), f"数据库文件未创建：{scratch.db_path}")


def step_migrate(scratch: Scratch) -> str:
    """Run the Alembic scripts (read from disk, as in an upgrade) and check the database is at their head."""
    db = scratch.database()
    db.upgrade()
    current, head = db.current_revision(), db.head_revision()
    check(head is not None, "找不到数据库迁移脚本")
    check(current == head, f"迁移后结构版本为 {current}，应为 {head}")
    return f"结构版本 {current}"


def step_initialise(scratch: Scratch) -> str:
    """First run: device identity, township, squad, administrator, holiday calendar and catalogue."""
    from services.reference.setup import initialise

    db = scratch.database()
    result = initialise(db, scratch.uow(), township=TOWNSHIP, squad=SQUAD, district="自检市自检区",
                        admin_username=scratch.admin_username, admin_password=scratch.admin_password)
    check(result.calendar_days > 0, "未载入节假日表")
    check(result.catalogue_items > 0, "未载入赋权事项清单")
    from services.people.accounts import sign_in

    scratch.key = sign_in(scratch.uow(), scratch.admin_username, scratch.admin_password).data_key
    check(scratch.key is not None and result.data_key is not None and scratch.key.raw == result.data_key.raw,
          "管理员密码未能解锁数据密钥")
    return f"设备 {result.device_code}，节假日 {result.calendar_days} 天，赋权事项 {result.catalogue_items} 项"


def step_people(scratch: Scratch) -> str:
    """Two certified officers and one party (a natural person with a valid resident ID number)."""
    from models.enums import IdType, PartyKind
    from models.identifiers import resident_id_check_char
    from services.people.parties import create_party_record
    from services.people.registry import OfficerInput, PartyInput, register_officer

    first17 = "11010519800520111"
    # Through the services the 执法人员 screen and the party form call.
    for name, cert in (("自检甲", "51009901"), ("自检乙", "51009902")):
        scratch.officers.append(register_officer(scratch.uow(), OfficerInput(
            name=name, cert_number=cert, cert_valid_from=date(2024, 1, 1), cert_valid_to=date(2030, 12, 31))))
    scratch.party = create_party_record(scratch.uow(), PartyInput(
        kind=PartyKind.PERSON, name="自检当事人", id_type=IdType.RESIDENT_ID,
        id_number=first17 + resident_id_check_char(first17), address="自检镇自检街1号")).uid
    return "执法人员 2 名，当事人 1 名"


def step_inspection(scratch: Scratch) -> str:
    """An inspection by the two officers that finds a problem and orders it put right within 7 days."""
    from models.base import SHANGHAI
    from models.enums import InspectionResult, ItemResult
    from services.procedures.inspections import ChecklistLine, InspectionInput, record_inspection

    day = scratch.clock.today()
    summary = record_inspection(scratch.uow(), InspectionInput(
        started_at=datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI),
        ended_at=datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI),
        place="自检镇自检街1号", officer_uids=scratch.officers[:2], result=InspectionResult.ORDERED,
        items=[ChecklistLine("门前三包", ItemResult.OK), ChecklistLine("占道堆放物料", ItemResult.PROBLEM)],
        party_uid=scratch.party, findings="占道堆放建筑材料", rectification_deadline=day + timedelta(days=7),
    ))
    check(summary.number, "检查记录没有编号")
    check(summary.problems_found == 1, f"发现问题数应为 1，实为 {summary.problems_found}")
    scratch.inspection = summary.uid
    return summary.number


def step_case(scratch: Scratch) -> str:
    """A general-procedure penalty case from the inspection: clue → filed → … → decision."""
    from models.enums import CaseStatus, DiscretionTierName, EvidenceKind, ProposedOutcome
    from services.procedures import cases as c
    from services.procedures import records

    clock, day = scratch.clock, scratch.clock.today()
    clue = c.register_clue(scratch.uow(), c.ClueInput(
        cause="违法堆放物料", power_item_code=POWER_ITEM, party_uid=scratch.party, act_date=day - timedelta(days=1),
        discovered_on=day, registered_on=day, source_inspection_uid=scratch.inspection or None,
        place="自检镇自检街1号", facts="占道堆放建筑材料，经责令未改正"))
    scratch.case = clue.uid
    filed = c.file_case(scratch.uow(), clue.uid, on=day, officer_uids=scratch.officers[:2])
    check(filed.status is CaseStatus.INVESTIGATING and filed.number, "立案后应为调查中并有立案编号")
    records.add_evidence(scratch.uow(), clue.uid, records.EvidenceInput(
        EvidenceKind.AUDIOVISUAL, "现场照片", "自检镇自检街1号", day, "自检", "当事人占道堆放建筑材料的事实"))
    c.conclude_investigation(scratch.uow(), clue.uid, on=day, data=c.ConclusionInput(
        outcome=ProposedOutcome.PENALTY, tier=DiscretionTierName.ORDINARY, proposed_fine=Decimal("1000"),
        reasons="情节一般"))
    c.give_prior_notice(scratch.uow(), clue.uid, on=day)
    later = day + timedelta(days=8)  # the statement period (5 working days) has run out
    clock.set_date(later)
    c.end_statement_period(scratch.uow(), clue.uid, on=later)
    decided = c.decide_penalty(scratch.uow(), clue.uid, on=later, fine=Decimal("1000"))
    check(decided.status is CaseStatus.DECIDED, f"作出决定后状态应为已决定，实为 {decided.status}")
    check(decided.decision_number, "处罚决定没有决定书文号")
    return f"{filed.number} → {decided.decision_number}"


_BASE_FONT = re.compile(rb"/BaseFont\s*/([^\s/<>\[\]()]+)")
_FONT_FILE = re.compile(rb"/FontFile[23]?\b")


def step_document(scratch: Scratch) -> str:
    """Issue the penalty decision: a PDF with every font embedded; a reprint gives the same bytes."""
    from services.documents.issuing import issue_document

    check(scratch.case, "没有可出具文书的案件")
    info = issue_document(scratch.uow(), "penalty_decision", scratch.case)
    pdf = info.pdf
    check(pdf.startswith(b"%PDF-"), "生成的文件不是 PDF")
    check(pdf.rstrip().endswith(b"%%EOF"), "PDF 文件不完整")
    # ReportLab writes font dictionaries uncompressed: every font must be an embedded subset ("ABCDEF+Name"
    # with a font file), never a standard font the office PC would have to substitute.
    fonts = [name.decode("latin-1") for name in _BASE_FONT.findall(pdf)]
    embedded = len(_FONT_FILE.findall(pdf))
    check(fonts, "PDF 中没有字体")
    missing = [name for name in fonts if "+" not in name]
    check(not missing and embedded >= len(fonts), f"PDF 中有字体未嵌入：{'、'.join(missing) or fonts}")
    again = issue_document(scratch.uow(), "penalty_decision", scratch.case)
    check(again.pdf == pdf, "重印的 PDF 与首次出具的不一致")
    scratch.pdf = pdf
    return f"{info.number}，{len(pdf) // 1024} KB，嵌入字体 {embedded} 个"


def step_sync(scratch: Scratch) -> str:
    """Export an encrypted full bundle to a second scratch database (a district device) and import it."""
    from models.enums import DeviceKind
    from services.core.db import Database
    from services.reference.setup import initialise
    from services.sync import apply_bundle, apply_receipt, plan_export, trust_key_card, write_bundle, write_key_card

    office = scratch.database()
    scratch.district = district = Database.open(scratch.folder / "district.sqlite3")
    scratch.district_key = initialise(district, scratch.uow(district), township="自检区", squad="自检区综合行政执法局",
                                      device_kind=DeviceKind.DISTRICT, admin_password=ADMIN_PASSWORD).data_key
    card_path = scratch.folder / "district.card"
    write_key_card(scratch.uow(district), card_path)
    card = trust_key_card(scratch.uow(), card_path)
    plan = plan_export(scratch.uow(), card.uid, full=True)
    check(plan.encrypted, "同步包未加密")
    result = write_bundle(scratch.uow(), plan, scratch.folder / "usb")
    check(result.path.is_file() and result.total > 0, "同步包为空")
    report = apply_bundle(scratch.uow(district), result.path, trust_new=True, receipt_dir=scratch.folder / "back")
    check(report.total("quarantined") == 0, f"导入时隔离了 {report.total('quarantined')} 条记录：{report.quarantined[:3]}")
    check(report.total("conflicts") == 0, f"导入时出现 {report.total('conflicts')} 个冲突")
    check(report.total("new") > 0, "导入后没有新增记录")
    for table, uid in ((RecordKind.INSPECTION, scratch.inspection), (RecordKind.PENALTY_CASE, scratch.case)):
        with district.raw() as conn:
            found = conn.execute(f'SELECT count(*) FROM "{table}" WHERE uid=?', (uid,)).fetchone()[0]  # noqa: S608 - a constant table name
        check(found == 1, f"导入后第二个数据库中找不到 {table} {uid}")
    check(report.receipt_path is not None, f"未写出回执：{report.receipt_error}")
    assert report.receipt_path is not None
    ack = apply_receipt(scratch.uow(office), report.receipt_path)
    check(ack.acknowledged > 0, "回执没有确认任何记录")
    return f"{result.total} 条记录，{result.size // 1024} KB，已加密，导入新增 {report.total('new')} 条"


def step_verify(scratch: Scratch) -> str:
    """Integrity, foreign keys, schema revision, guard triggers and the audit chain of both databases."""
    from services.maintenance.verify import verify_database

    events = []
    for label, database in (("本机", scratch.db), ("第二个数据库", scratch.district)):
        if database is None:
            continue
        report = verify_database(database)
        check(report.ok, f"{label}校验未通过：" + "；".join(f"[{p.check}] {p.message}" for p in report.problems[:5]))
        events.append(report.audit_events)
    check(events, "没有可校验的数据库")
    return f"审计记录 {'、'.join(str(n) for n in events)} 条"


def step_office_formats(_scratch: Scratch) -> str:
    """The district's Word and Excel output and the PostgreSQL driver: their libraries and data files load."""
    import io

    import docx
    import openpyxl
    import psycopg

    document = docx.Document()  # reads the package's default template: fails if its data files are missing
    document.add_paragraph("自检")
    buffer = io.BytesIO()
    document.save(buffer)
    check(buffer.getvalue().startswith(b"PK"), "未能生成 Word 文档")
    workbook = openpyxl.Workbook()
    workbook.worksheets[0].append(["自检", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    check(buffer.getvalue().startswith(b"PK"), "未能生成 Excel 工作簿")
    return f"PostgreSQL 驱动 psycopg {psycopg.__version__}（{psycopg.pq.__impl__}，libpq {psycopg.pq.version()}）"


def default_steps() -> list[Step]:
    """The Qt-free steps, in order (cli/gui.py appends the main-window step from ui/)."""
    return [
        Step("载入程序模块", step_load_modules),
        Step("随附资源与时区数据", step_resources),
        Step("创建数据库", step_create_database),
        Step("迁移数据库", step_migrate),
        Step("初始化乡镇", step_initialise),
        Step("登记执法人员和当事人", step_people),
        Step("记录检查", step_inspection),
        Step("办理处罚案件至作出决定", step_case),
        Step("出具文书（PDF）", step_document),
        Step("导出并导入同步包", step_sync),
        Step("校验数据库", step_verify),
        Step("办公文档与数据库驱动", step_office_formats),
    ]


# -- running them -------------------------------------------------------------------------------------


def failure_reason(exc: BaseException) -> str:
    """One line for the ``[失败]`` report: the Chinese message of our own errors, the type of any other."""
    if isinstance(exc, AppError):
        text = exc.message
    elif isinstance(exc, SelfTestFailure):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split()) or type(exc).__name__


@contextmanager
def scratch_home(folder: Path) -> Iterator[None]:
    """Point the per-user data folder into the scratch folder for the duration (crash log, attachments)."""
    previous = os.environ.get("ENFORCEDESK_HOME")
    os.environ["ENFORCEDESK_HOME"] = str(folder)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("ENFORCEDESK_HOME", None)
        else:
            os.environ["ENFORCEDESK_HOME"] = previous


def _default_out(line: str) -> None:
    # A windowed build on Windows has no stdout at all; the exit code still tells the result.
    if sys.stdout is not None:
        print(line, flush=True)


def run_self_test(steps: Sequence[Step], *, out: Callable[[str], None] = _default_out,
                  clock: FixedClock | None = None) -> int:
    """Run ``steps`` in order in a fresh scratch folder; stop at the first failure.

    Args:
        steps: the checks, e.g. ``default_steps()`` plus the window step.
        out: where each report line goes (stdout by default).
        clock: the clock the records are made with (default: 2 March 2026, 10:00 in Shanghai).

    Returns:
        0 if every step passed, 1 otherwise (the failing step is named in the ``[失败]`` line).
    """
    from models.base import SHANGHAI
    from services.core.clock import FixedClock

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="enforcedesk-selftest-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        start = datetime(START_DAY.year, START_DAY.month, START_DAY.day, 10, tzinfo=SHANGHAI)
        scratch = Scratch(folder, clock or FixedClock(start))
        with scratch_home(folder / "home"):
            try:
                for step in steps:
                    t0 = time.perf_counter()
                    try:
                        detail = step.run(scratch)
                    except Exception as exc:  # noqa: BLE001 - any failure is reported under the step's name
                        if not isinstance(exc, AppError | SelfTestFailure) and sys.stderr is not None:
                            traceback.print_exc()
                        out(f"[失败] {step.name}: {failure_reason(exc)}")
                        return EXIT_FAILED
                    seconds = time.perf_counter() - t0
                    out(f"[ok] {step.name} {seconds:.2f} s" + (f"（{detail}）" if detail else ""))
            finally:
                scratch.close()
    out(f"自检通过：{len(steps)} 项，共 {time.perf_counter() - started:.2f} s")
    return EXIT_OK
