"""EnforceDesk entry point and the only composition root: the desktop window or a command-line operation.

Exit codes: 0 ok, 1 problems found, 2 usage error, 3 input rejected.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from services.core.app_info import APP_TITLE, VERSION
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.uow import UnitOfWork
    from services.sync import ImportPreview
    from ui.app import GuiParts

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3


# -- self-test (issue 7): the Qt-free steps are services/maintenance/selftest.py; the window step is composed here ---------


if TYPE_CHECKING:
    from typing import Any

    from services.maintenance.selftest import Scratch


def _self_test_window(scratch: Scratch) -> str:
    """Build the real main window on the self-test's database, show it, preview its PDF with QtPdf, close it."""
    import os

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtWidgets import QApplication

    from services.core.context import AppContext
    from services.maintenance.selftest import check
    from services.people.accounts import login
    from ui.app import register_bundled_fonts
    from ui.documents.document_dialog import pdf_document
    from ui.forms import default_creators, default_pages
    from ui.main_window import MainWindow
    from ui.task_runner import TaskRunner
    from ui.ui_settings import UiSettings

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    check(register_bundled_fonts(), "界面未能载入随附字体")
    ctx = AppContext(scratch.database(), scratch.clock)
    ctx.user = login(ctx.uow(), scratch.admin_username, scratch.admin_password)
    settings = UiSettings(QSettings(str(scratch.folder / "ui.ini"), QSettings.Format.IniFormat))
    window = MainWindow(ctx, runner=TaskRunner(), ui_settings=settings, db_label=str(scratch.db_path),
                        creators=default_creators(), extra_pages=default_pages(ctx))
    try:
        window.show()
        app.processEvents()
        check(window.isVisible(), "主窗口未能显示")
        for page in window.pages.values():  # 同步/设置 are built on first navigation (LazyPage): build them now
            getattr(page, "ensure_built", lambda: None)()
        pages = 0
        if scratch.pdf:
            doc, _buffer = pdf_document(scratch.pdf, window)
            pages = doc.pageCount()
            check(pages >= 1, f"QtPdf 未能打开出具的文书（状态 {doc.status()}）")
            check(not doc.render(0, QSize(210, 297)).isNull(), "QtPdf 未能渲染文书第一页")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    return f"{app.platformName()} 平台，文书预览 {pages} 页"


def cmd_self_test() -> int:
    """``--self-test``: every step in a scratch folder; 0 if all pass, 1 after naming the step that failed."""
    from services.maintenance.selftest import Step, default_steps, run_self_test

    return run_self_test([*default_steps(), Step("主窗口", _self_test_window)])


class _SelfTestAction(argparse.Action):
    """Like ``--version``: runs on its own as soon as it is parsed, then exits with the self-test's code."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        parser.exit(cmd_self_test())


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py", description=f"{APP_TITLE}（EnforceDesk）")
    p.add_argument("--version", action="version", version=f"EnforceDesk {VERSION}")
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户数据目录下的 enforcedesk.sqlite3）")
    p.add_argument("--screenshots", type=Path, metavar="DIR",
                   help="离屏渲染每个主要界面并保存为 PNG（不给 --db 时使用临时演示数据库）")
    p.add_argument("--lang", metavar="CODE", help="--screenshots 的界面语言，如 en（默认：环境变量 ENFORCEDESK_LANG，否则简体中文）")
    p.add_argument("--self-test", action=_SelfTestAction,
                   help="自检：在临时文件夹中建库、迁移、办案、出具文书、同步、打开主窗口；通过退出码 0，否则 1 并指出失败的步骤")
    sub = p.add_subparsers(dest="command")

    init = sub.add_parser("init", help="非交互式首次初始化：创建乡镇、中队、本机身份和管理员")
    init.add_argument("--db", type=Path, required=True)
    init.add_argument("--township", help="乡镇名称，如 竹根镇（不给时须给 --district：建区级数据库）")
    init.add_argument("--squad", help="中队名称，如 竹根镇综合行政执法中队（区级库默认：区名+综合行政执法局）")
    init.add_argument("--district", default="",
                      help="所属区县，如 乐山市五通桥区；只给 --district 不给 --township 时建区级数据库（接收各乡镇同步包）")
    init.add_argument("--division-code", default="", help="行政区划代码")
    init.add_argument("--doc-prefix", default="", help="文书机关代字（默认：乡镇名首字+综执）")
    init.add_argument("--field-device", action="store_true",
                      help="（不可用）外勤笔记本由办公室主机用 sync provision 制作，不单独初始化")
    init.add_argument("--admin", default="admin", help="管理员用户名（默认 admin）")
    init.add_argument("--admin-password-file", type=Path, help="从文件读取管理员密码；不给则随机生成并显示一次")

    demo = sub.add_parser("demo", help="生成演示数据（每个程序和结果都有）")
    demo.add_argument("--db", type=Path, required=True)
    demo.add_argument("--scale", choices=("small", "township"), default="small")
    demo.add_argument("--seed", type=int, default=1)

    ver = sub.add_parser("verify", help="检查数据库完整性、外键和审计链")
    ver.add_argument("--db", type=Path, required=True)
    ver.add_argument("--quick", action="store_true", help="用 quick_check 代替 integrity_check")
    ver.add_argument("--json", action="store_true")

    st = sub.add_parser("stats", help="年度统计指标")
    st.add_argument("--db", type=Path, required=True)
    st.add_argument("--year", type=int, required=True)
    st.add_argument("--json", action="store_true")

    bk = sub.add_parser("backup", help="用 SQLite 在线备份接口备份数据库")
    bk.add_argument("--db", type=Path, required=True)
    bk.add_argument("--dest", type=Path, help="备份目录（默认：数据库旁的 backups/）")
    _document_parsers(sub)
    _sync_parsers(sub)
    _transfer_parsers(sub)
    _district_parsers(sub)
    return p


def _sync_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """``sync``: bundles between field laptop, township office and district (docs/sync-bundle.md)."""
    sy = sub.add_parser("sync", help="离线同步：导出/导入同步包、回执、密钥与信任、冲突、状态")
    ssub = sy.add_subparsers(dest="sync_command", required=True)
    ex = ssub.add_parser("export", help="导出同步包（增量：对方未确认的全部记录）")
    ex.add_argument("--db", type=Path, required=True)
    ex.add_argument("--to", type=Path, required=True, metavar="DIR", help="写入的文件夹（如 U 盘）")
    ex.add_argument("--recipient", metavar="DEVICE", help="接收设备的 UUID 或四位编码（给出时加密）")
    ex.add_argument("--full", action="store_true", help="导出全部记录")
    im = ssub.add_parser("import", help="导入同步包或参考数据包（先校验，再在一个事务中导入）")
    im.add_argument("--db", type=Path, required=True)
    im.add_argument("file", type=Path)
    im.add_argument("--trust-new", action="store_true", help="信任首次出现的发送设备（请先电话核对指纹）")
    im.add_argument("--dry-run", action="store_true", help="只校验并显示将发生的变化，不写入")
    im.add_argument("--receipt-dir", type=Path, help="回执写入的文件夹（默认：同步包所在文件夹）")
    rc = ssub.add_parser("receipt", help="导入对方的回执，把已确认的记录标为已确认")
    rc.add_argument("--db", type=Path, required=True)
    rc.add_argument("file", type=Path)
    ky = ssub.add_parser("keys", help="显示本机编码、指纹和公钥（用于交换）")
    ky.add_argument("--db", type=Path, required=True)
    ky.add_argument("--out", type=Path, help="同时写出密钥卡文件，交给对方 sync trust")
    tr = ssub.add_parser("trust", help="信任对方的密钥卡")
    tr.add_argument("--db", type=Path, required=True)
    tr.add_argument("--key-file", type=Path, required=True)
    cf = ssub.add_parser("conflicts", help="列出或处理同步冲突")
    cf.add_argument("--db", type=Path, required=True)
    cf.add_argument("--resolve", metavar="UID", help="要处理的冲突编号")
    cf.add_argument("--keep", choices=("local", "incoming"), help="保留本机版本或对方版本")
    # Field laptops only: a second office PC would allocate number blocks of its own and collide with the first.
    pv = ssub.add_parser("provision", help="从办公室主机的数据库制作外勤笔记本的数据库")
    pv.add_argument("--db", type=Path, required=True, help="办公室主机的数据库")
    pv.add_argument("--out", type=Path, required=True, help="新设备的数据库文件（连同 .keys 密钥文件复制到新设备）")
    pv.add_argument("--name", default="", help="设备名称（默认：乡镇名 + 外勤机）")
    rf = ssub.add_parser("reference", help="向一台设备下发参考数据（权力清单、纠纷类别、节假日、设置、外勤编号段）")
    rf.add_argument("--db", type=Path, required=True)
    rf.add_argument("--to", type=Path, required=True, metavar="DIR", help="写入的文件夹（如 U 盘）")
    rf.add_argument("--recipient", required=True, metavar="DEVICE", help="接收设备的 UUID 或四位编码")
    stt = ssub.add_parser("status", help="同步状态：各设备的序号、缺号、未确认和冲突数")
    stt.add_argument("--db", type=Path, required=True)
    stt.add_argument("--json", action="store_true")


def _document_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Subcommands for records and official documents: list, print, docs types / docs verify."""
    ls = sub.add_parser("list", help="列出记录：编号、状态（证件号码、电话已脱敏）")
    ls.add_argument("--db", type=Path, required=True)
    ls.add_argument("kind", choices=("inspections", "cases", "mediations", "parties", "documents"))
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--limit", type=int, default=None, help="最多列出条数")

    pr = sub.add_parser("print", help="出具并打印文书（PDF）；已出具的文书原样重印")
    pr.add_argument("--db", type=Path, required=True)
    what = pr.add_mutually_exclusive_group(required=True)
    what.add_argument("--doc", metavar="TYPE", help="文书类型（见 docs types）")
    what.add_argument("--case-file", metavar="ID", help="打印整本案卷：案件 UUID、立案编号或决定书文号")
    pr.add_argument("--record", metavar="ID", help="记录的 UUID 或编号（与 --doc 一起使用）")
    pr.add_argument("--set", dest="inputs", action="append", default=[], metavar="KEY=VALUE",
                    help="出具时填写的项目（如听证通知书的 hearing_at、hearing_place）")
    pr.add_argument("--out", type=Path, required=True, help="输出 PDF 文件")

    docs = sub.add_parser("docs", help="文书类型与真伪核验")
    dsub = docs.add_subparsers(dest="docs_command", required=True)
    dsub.add_parser("types", help="列出文书类型（TYPE 名称与标题）")
    dv = dsub.add_parser("verify", help="核验 PDF 是否为本数据库出具且未被改动（是：退出码 0；否：1）")
    dv.add_argument("--db", type=Path, required=True)
    dv.add_argument("file", type=Path)


def _err(message: str) -> None:
    print(f"错误：{message}", file=sys.stderr)


def _open_existing(path: Path):  # type: ignore[no-untyped-def]
    from services.core.db import Database
    from services.core.errors import AppError

    if not path.exists():
        raise AppError(f"数据库文件不存在：{path}")
    return Database.open(path)


def cmd_init(args: argparse.Namespace) -> int:
    from services.core.db import Database
    from services.core.errors import AppError
    from services.core.uow import UnitOfWork
    from services.reference.setup import DISTRICT_BUREAU_SUFFIX, initialise, initialise_district

    district_db = not args.township
    usage = ("外勤笔记本不单独初始化：请在办公室主机上用 sync provision --db 办公室数据库 --out 新文件 制作"
             "（它须与办公室同一乡镇、中队和人员，文书编号段由办公室分配）" if args.field_device else
             "须给出 --township（乡镇数据库）或 --district（区级数据库）" if district_db and not args.district else
             "乡镇数据库须给出 --squad（中队名称）" if args.township and not args.squad else "")
    if usage:
        _err(usage)
        return EXIT_USAGE
    password = None
    if args.admin_password_file:
        try:
            password = args.admin_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise AppError(f"无法读取密码文件：{exc}") from exc
    db = Database.open(args.db)
    try:
        uow = UnitOfWork(db, actor="cli")
        if district_db:
            r = initialise_district(db, uow, district=args.district, squad=args.squad or "",
                                    division_code=args.division_code, doc_prefix=args.doc_prefix,
                                    admin_username=args.admin, admin_password=password)
        else:
            r = initialise(db, uow, township=args.township, squad=args.squad, district=args.district,
                           division_code=args.division_code, doc_prefix=args.doc_prefix,
                           admin_username=args.admin, admin_password=password)
    finally:
        db.dispose()
    name = args.township or args.district.strip()
    squad = args.squad or f"{name}{DISTRICT_BUREAU_SUFFIX}"
    print(f"已初始化{'区级数据库' if district_db else ''}：{name} / {squad}")
    print(f"本机设备编码：{r.device_code}（{r.device_uid}）")
    print(f"已载入节假日 {r.calendar_days} 天、赋权事项 {r.catalogue_items} 项")
    if r.admin_password:
        print(f"管理员 {r.admin_username} 的初始密码：{r.admin_password}（仅显示这一次，请登录后修改）")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from tools.demo.small import generate_demo_file

    result = generate_demo_file(args.db, scale=args.scale, seed=args.seed,
                                progress=lambda msg, pct: print(f"[{pct:3d}%] {msg}", file=sys.stderr))
    print(json.dumps(result.to_json(), ensure_ascii=False, default=str, indent=1))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from services.maintenance.verify import verify_database

    db = _open_existing(args.db)
    try:
        report = verify_database(db, quick=args.quick)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({"ok": report.ok, "audit_events": report.audit_events,
                          "problems": [{"check": p.check, "message": p.message} for p in report.problems]},
                         ensure_ascii=False, indent=1))
    else:
        for p in report.problems:
            print(f"[{p.check}] {p.message}")
        print("校验通过" if report.ok else f"发现 {len(report.problems)} 个问题", f"（审计记录 {report.audit_events} 条）")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_stats(args: argparse.Namespace) -> int:
    from services.core.errors import AppError
    from services.core.uow import UnitOfWork
    from services.statistics.yearly import yearly_stats

    if not 2000 <= args.year <= 2100:
        raise AppError(f"年份 {args.year} 不在 2000–2100 之间")
    db = _open_existing(args.db)
    try:
        stats = yearly_stats(UnitOfWork(db, actor="cli", write=False), args.year)
    finally:
        db.dispose()
    data = stats.to_json()
    _print_figures(data, as_json=args.json)
    return EXIT_OK


def _print_figures(data: dict[str, object], *, as_json: bool) -> None:
    """The stats commands' output: JSON, or one ``key: value`` line per figure."""
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for k, v in data.items():
            print(f"{k}: {v}")


def cmd_backup(args: argparse.Namespace) -> int:
    from services.core.db import backup_sqlite

    db = _open_existing(args.db)
    db.dispose()
    dest = backup_sqlite(args.db, args.dest or args.db.parent / "backups", reason="manual")
    print(f"已备份到 {dest}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from services.core.uow import UnitOfWork
    from services.read.listing import list_records

    db = _open_existing(args.db)
    try:
        rows = list_records(UnitOfWork(db, actor="cli", write=False), args.kind, limit=args.limit)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print("\t".join((r.id, r.number or "-", r.status, r.name, r.date)))
    return EXIT_OK


def cmd_print(args: argparse.Namespace) -> int:
    from services.core.errors import AppError
    from services.core.uow import UnitOfWork
    from services.documents.case_file import print_case_file
    from services.documents.issuing import issue_document

    if args.doc and not args.record:
        _err("--doc 需要同时指定 --record")
        return EXIT_USAGE
    inputs: dict[str, str] = {}
    for item in args.inputs:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            _err(f"--set 的格式应为 KEY=VALUE：{item}")
            return EXIT_USAGE
        inputs[key.strip()] = value
    db = _open_existing(args.db)
    try:
        if args.case_file:
            if inputs:
                raise AppError("打印案卷时不能使用 --set")
            cf = print_case_file(UnitOfWork(db, actor="cli"), args.case_file)
            pdf, summary = cf.pdf, f"案卷 {cf.case_number}：{len(cf.documents)} 件文书，共 {cf.pages} 页"
            for note in cf.not_issued:
                print(f"未入卷：{note}", file=sys.stderr)
        else:
            info = issue_document(UnitOfWork(db, actor="cli"), args.doc, args.record, inputs or None)
            pdf, summary = info.pdf, f"{info.title} {info.number}（SHA-256 {info.sha256}）"
    finally:
        db.dispose()
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise AppError(f"无法写入 {args.out}：{exc.strerror}") from exc
    print(f"已输出 {args.out}：{summary}")
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    if args.docs_command == "types":
        from services.documents.registry import doc_types

        for t in doc_types():
            extra = "（出具时填写：" + "、".join(k for k, _ in t.inputs) + "）" if t.inputs else ""
            print(f"{t.name}\t{t.title}{extra}")
        print("case_file\t案卷（卷宗封面、卷内目录、文书、备考表；用 print --case-file）")
        return EXIT_OK
    from services.core.uow import UnitOfWork
    from services.documents.verify import verify_pdf

    db = _open_existing(args.db)
    try:
        result = verify_pdf(UnitOfWork(db, actor="cli", write=False), args.file)
    finally:
        db.dispose()
    print(result.message)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_sync(args: argparse.Namespace) -> int:
    from services.core.uow import UnitOfWork

    if args.sync_command == "conflicts" and bool(args.resolve) != bool(args.keep):
        _err("--resolve 与 --keep 须同时给出")
        return EXIT_USAGE
    db = _open_existing(args.db)
    try:
        def uow() -> UnitOfWork:
            return UnitOfWork(db, actor="cli")

        return _SYNC[args.sync_command](args, uow)
    finally:
        db.dispose()


def _sync_export(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    plan = s.plan_export(uow(), args.recipient, full=args.full)
    if not plan.encrypted:
        print("注意：未指定接收设备，同步包不加密（丢失 U 盘会泄露身份证号等信息）", file=sys.stderr)
    r = s.write_bundle(uow(), plan, args.to)
    print(f"已写入 {r.path}（第{r.sequence}号同步包，{r.total} 条记录，{r.attachments} 个附件，"
          f"{r.size} 字节，{'已加密' if r.encrypted else '未加密'}，SHA-256 {r.sha256}）")
    for table, n in r.counts.items():
        print(f"  {table}: {n}")
    return EXIT_OK


def _print_import(rep: ImportPreview) -> None:
    for msg in rep.messages:
        print(msg)
    print(f"来自设备 {rep.source_code}（{rep.township}），第{rep.sequence}号{'，已加密' if rep.encrypted else ''}")
    print("表\t新增\t更新\t未变\t冲突\t隔离")
    for t in rep.tables:
        print(f"{t.table}\t{t.new}\t{t.updated}\t{t.unchanged}\t{t.conflicts}\t{t.quarantined}")
    for table, uid, reason in rep.quarantined:
        print(f"隔离：{table} {uid}：{reason}")
    for table, uid, cuid in rep.conflicts:
        print(f"冲突：{table} {uid}（冲突编号 {cuid}）")


def _sync_import(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    if args.dry_run:
        rep = s.inspect_bundle(uow(), args.file, trust_new=args.trust_new)
        _print_import(rep)
        print("（试运行：未写入任何数据）")
        return EXIT_PROBLEMS if rep.total("quarantined") or rep.total("conflicts") else EXIT_OK
    rep = s.apply_bundle(uow(), args.file, trust_new=args.trust_new, receipt_dir=args.receipt_dir)
    _print_import(rep)
    if rep.receipt_path:
        print(f"回执已写入 {rep.receipt_path}：请交回发送方导入（sync receipt）")
    if rep.receipt_error:
        print(rep.receipt_error, file=sys.stderr)
    return EXIT_PROBLEMS if rep.problems or rep.receipt_error else EXIT_OK


def _sync_receipt(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    r = s.apply_receipt(uow(), args.file)
    if r.already_applied_at:
        print(f"这份回执已于 {r.already_applied_at:%Y-%m-%d %H:%M} 导入，本次未做改动")
    else:
        print(f"设备 {r.receiver_code} 确认了 {r.acknowledged} 条记录（同步包 {r.bundle_uid}）")
    for table, uid, reason in r.quarantined:
        print(f"对方隔离：{table} {uid}：{reason}")
    for table, uid in r.conflicts:
        print(f"对方冲突待处理：{table} {uid}")
    return EXIT_PROBLEMS if r.quarantined or r.conflicts else EXIT_OK


def _sync_keys(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    card = s.write_key_card(uow(), args.out) if args.out else s.my_key_card(uow())
    print(f"设备编码：{card.code}（{card.device_uid}，{card.township_name}）")
    print(f"签名密钥指纹：{card.fingerprint}")
    print(f"签名公钥（Ed25519）：{card.sign_public_key}")
    print(f"加密公钥（X25519）：{card.box_public_key}")
    if args.out:
        print(f"密钥卡已写入 {args.out}")
    return EXIT_OK


def _sync_trust(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    p = s.trust_key_card(uow(), args.key_file)
    print(f"已信任设备 {p.code}（{p.township_name}，指纹 {p.fingerprint}）")
    return EXIT_OK


def _sync_provision(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services.sync.provision import provision_device

    r = provision_device(uow(), args.out, name=args.name)
    print(f"已制作新设备 {r.device_code} 的数据库：{r.path}（密钥文件 {r.path}.keys）")
    print("把这两个文件复制到新设备的数据文件夹（改名时两个一起改，如 enforcedesk.sqlite3 与 "
          "enforcedesk.sqlite3.keys）；两台设备已互相信任，之后用同步包交换数据。已有记录的附件文件不随之复制。")
    return EXIT_OK


def _sync_reference(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services.sync.reference import write_reference_bundle

    r = write_reference_bundle(uow(), args.recipient, args.to)
    print(f"已写入参考数据包 {r.path}（第{r.sequence}版，设备 {r.recipient_code}，{r.size} 字节）")
    for table, n in r.counts.items():
        print(f"  {table}: {n}")
    return EXIT_OK


def _sync_conflicts(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from services import sync as s

    if args.resolve:
        c = s.resolve_conflict(uow(), args.resolve, args.keep)
        print(f"冲突 {c.uid} 已处理：保留{'本机' if args.keep == 'local' else '对方'}版本")
        return EXIT_OK
    items = s.list_conflicts(uow())
    for c in items:
        print(f"{c.uid}\t{c.table}\t{c.record_uid}\t来自 {c.source_code}\t不同字段：{'、'.join(c.differing)}")
        for k in c.differing:
            print(f"    {k}: 本机={c.local.get(k)!r}  对方={c.incoming.get(k)!r}")
    print(f"共 {len(items)} 个待处理冲突")
    return EXIT_PROBLEMS if items else EXIT_OK


def _sync_status(args: argparse.Namespace, uow: Callable[[], UnitOfWork]) -> int:
    from models.enums import DeviceKind, label_of
    from services import sync as s

    st = s.sync_status(uow())
    if args.json:
        print(json.dumps(st.to_json(), ensure_ascii=False, indent=1))
    else:
        print(f"本机 {st.device_code}：未确认记录 {st.unacknowledged} 条，待处理冲突 {st.open_conflicts} 个，"
              f"隔离记录 {st.quarantined} 条，参考数据版本 {st.reference_version}")
        for p in st.peers:
            gaps = "、".join(f"第{n}号" for n in p.missing)
            print(f"  {p.code}（{label_of(DeviceKind, p.kind)}，{p.township}）：已发至第{p.last_sent}号，已收到第{p.last_received}号"
                  f"{'，未收到 ' + gaps if gaps else ''}，对方未确认 {p.unacknowledged} 条，冲突 {p.open_conflicts} 个")
    return EXIT_PROBLEMS if st.open_conflicts else EXIT_OK


_SYNC: dict[str, Callable[[argparse.Namespace, Callable[[], UnitOfWork]], int]] = {
    "export": _sync_export, "import": _sync_import, "receipt": _sync_receipt, "keys": _sync_keys,
    "trust": _sync_trust, "conflicts": _sync_conflicts, "status": _sync_status, "provision": _sync_provision,
    "reference": _sync_reference,
}


# What the desktop program loads while the login dialog is up, in steps of about 0.05–0.15 s (the order they
# import each other in): the loading can pause between two steps while the main window is built and painted.
_PRELOAD = ("asyncio", "sqlalchemy.util", "sqlalchemy.sql", "sqlalchemy.engine", "sqlalchemy.orm", "models.org",
            "models.case", "services.core.uow", "services.core.context", "ui.cases.case_view", "ui.forms")


def gui_loader(db_path: Path) -> Callable[[Callable[[], None]], GuiParts]:
    """What the desktop program loads on a background thread while the login dialog is up (ui/app.py)."""
    from ui.app import GuiParts

    def load(checkpoint: Callable[[], None]) -> GuiParts:  # on a background thread: no widgets here
        import importlib

        for module in _PRELOAD:  # the loading may pause between two of these (ui/app.py Background)
            checkpoint()
            importlib.import_module(module)
        checkpoint()
        from services.core.context import AppContext
        from services.core.db import Database
        from ui.forms import default_creators

        db = Database.open(db_path)  # migrates (after a backup copy) when the program is newer
        ctx = AppContext(db)

        def daily_backup() -> None:  # after the window is shown: a 300 MB township copy takes seconds
            from services.core.db import daily_backup as backup
            from services.reference.settings import Settings

            with db.read_factory() as session:
                keep = Settings(session).int("backup.keep_daily")
            backup(db_path, db_path.parent / "backups", keep=keep)

        return GuiParts(ctx, default_creators(), housekeeping=daily_backup, db_label=str(db_path))

    return load


def run_gui(db_path: Path) -> int:
    """The desktop program: the login dialog first, while the rest loads (ui/app.py)."""
    from ui.app import run_gui as _run_gui
    from ui.pages import lazy_pages

    return _run_gui(db_path, gui_loader(db_path), pages=lazy_pages)


def cmd_screenshots(args: argparse.Namespace) -> int:
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from services.core.context import AppContext
    from services.core.db import Database
    from tools.demo.small import demo_clock, generate_demo_file
    from tools.screenshots.township import render_all
    from ui.forms import default_creators, default_pages

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "demo.sqlite3"
            generate_demo_file(path, scale="small")
        elif not path.exists():
            raise AppError(f"数据库文件不存在：{path}")
        db = Database.open(path)
        try:
            # The demo's own "today", so deadlines and day counts look as they would on that day.
            ctx = AppContext(db, demo_clock()) if args.db is None else AppContext(db)
            # The demo district is built on the side only for the docs' demo run, not for a user's township file.
            written = render_all(ctx, args.screenshots, creators=default_creators(), extra_pages=default_pages,
                                 district_demo=args.db is None, language=args.lang)
        finally:
            db.dispose()
    for p in written:
        print(p)
    return EXIT_OK


def _transfer_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The issue's short forms: ``keys export``, ``export --out FILE``, ``import FILE...`` (same services as ``sync``)."""
    ky = sub.add_parser("keys", help="本机密钥卡：导出给对方，或信任对方的密钥卡")
    ksub = ky.add_subparsers(dest="keys_command", required=True)
    ke = ksub.add_parser("export", help="写出本机的公钥卡文件（交给接收方信任）")
    ke.add_argument("--db", type=Path, required=True)
    ke.add_argument("--out", type=Path, required=True, metavar="FILE")
    kt = ksub.add_parser("trust", help="信任对方的密钥卡（请先电话核对指纹）")
    kt.add_argument("--db", type=Path, required=True)
    kt.add_argument("card", type=Path, metavar="KEYCARD")
    ex = sub.add_parser("export", help="导出同步包到一个文件（增量：对方未确认的全部记录）")
    ex.add_argument("--db", type=Path, required=True)
    ex.add_argument("--out", type=Path, required=True, metavar="FILE", help="同步包文件；给出文件夹时自动命名")
    ex.add_argument("--full", action="store_true", help="导出全部记录")
    ex.add_argument("--to", type=Path, metavar="KEYCARD", help="接收方的密钥卡：加密给它，并只发它未确认的记录")
    im = sub.add_parser("import", help="导入同步包、参考数据包或回执（可一次给多个文件，按序号依次导入）")
    im.add_argument("--db", type=Path, required=True)
    im.add_argument("files", type=Path, nargs="+", metavar="FILE")
    im.add_argument("--dry-run", action="store_true", help="只校验并显示将发生的变化，不写入")
    im.add_argument("--trust-new", action="store_true", help="信任首次出现的发送设备（请先电话核对指纹）")
    im.add_argument("--receipt-dir", type=Path, help="回执写入的文件夹（默认：同步包所在文件夹）")


def cmd_keys(args: argparse.Namespace) -> int:
    from services import sync as s
    from services.core.uow import UnitOfWork

    db = _open_existing(args.db)
    try:
        if args.keys_command == "trust":
            return _sync_trust(argparse.Namespace(key_file=args.card), lambda: UnitOfWork(db, actor="cli"))
        card = s.write_key_card(UnitOfWork(db, actor="cli"), args.out)
    finally:
        db.dispose()
    print(f"密钥卡已写入 {args.out}：设备 {card.code}（{card.township_name}），指纹 {card.fingerprint}")
    print("请把此文件交给接收方，由对方核对指纹后信任（keys trust）")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from services import sync as s
    from services.core.uow import UnitOfWork

    folder, name = (args.out, None) if args.out.is_dir() else (args.out.parent, args.out.name)
    db = _open_existing(args.db)
    try:
        def uow() -> UnitOfWork:
            return UnitOfWork(db, actor="cli")

        recipient = None
        if args.to is not None:
            peer = s.trust_key_card(uow(), args.to)  # the card given for this export is the user's explicit word
            recipient = peer.uid
        plan = s.plan_export(uow(), recipient, full=args.full)
        print(f"将导出 {plan.total} 条记录" + (f"（{'、'.join(f'{t} {n}' for t, n in plan.counts.items())}）"
                                            if plan.counts else ""))
        if not plan.encrypted:
            print("注意：未指定接收方密钥卡（--to），同步包不加密（丢失 U 盘会泄露身份证号等信息）", file=sys.stderr)
        r = s.write_bundle(uow(), plan, folder, file_name=name)
    finally:
        db.dispose()
    print(f"已写入 {r.path}（第{r.sequence}号同步包，{r.total} 条记录，{r.attachments} 个附件，"
          f"{r.size} 字节，{'已加密' if r.encrypted else '未加密'}，SHA-256 {r.sha256}）")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """Each file in its own transaction; a rejected one (exit 3, reason on stderr) does not stop the others."""
    from services.core.errors import AppError
    from services.core.uow import UnitOfWork
    from services.sync.peek import import_order, peek

    missing = [f for f in args.files if not f.is_file()]
    if missing:
        _err("找不到文件：" + "、".join(map(str, missing)))
        return EXIT_USAGE
    worst, files = EXIT_OK, []
    for path in args.files:
        try:
            files.append(peek(path))
        except AppError as exc:
            _err(f"{path.name}：{exc.message}")
            worst = max(worst, exc.exit_code)
    db = _open_existing(args.db)
    try:
        def uow() -> UnitOfWork:
            return UnitOfWork(db, actor="cli")

        for f in import_order(files):
            print(f"== {f.path.name}")
            one = argparse.Namespace(file=f.path, dry_run=args.dry_run, trust_new=args.trust_new,
                                     receipt_dir=args.receipt_dir)
            try:
                if f.kind == "receipt" and args.dry_run:
                    print("回执（试运行：未导入）")
                    code = EXIT_OK
                else:
                    code = (_sync_receipt if f.kind == "receipt" else _sync_import)(one, uow)
            except AppError as exc:
                _err(f"{f.path.name}：{exc.message}")
                code = exc.exit_code
            worst = max(worst, code)
    finally:
        db.dispose()
    return worst


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init, "demo": cmd_demo, "verify": cmd_verify, "stats": cmd_stats, "backup": cmd_backup,
    "list": cmd_list, "print": cmd_print, "docs": cmd_docs, "sync": cmd_sync, "keys": cmd_keys,
    "export": cmd_export, "import": cmd_import,
}


# -- district office: statistics, report, supervision, case-file review, ledgers (docs/district-report.md) -----


def _district_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """District commands; ``--db`` also takes a PostgreSQL URL (postgresql://user@host/db)."""
    st = sub.choices["stats"]  # extend the existing command: without these options its output is unchanged
    st.add_argument("--township", metavar="NAME", help="只统计一个乡镇（名称或 UID）")
    st.add_argument("--month", type=int, metavar="M", help="只统计某月（与 --by-township 一起用）")
    st.add_argument("--by-township", action="store_true", help="分乡镇列出、合计与同比（区级）")

    rp = sub.add_parser("report", help="年度报告的综合执法和人民调解部分（PDF、Word 或 Excel）")
    rp.add_argument("--db", required=True, help="区级数据库文件或 postgresql:// 地址")
    rp.add_argument("--year", type=int, required=True)
    rp.add_argument("--out", type=Path, required=True, help="输出文件：.pdf、.docx 或 .xlsx")

    sv = sub.add_parser("supervise", help="执法监督：超期未决定、罚款逾期、未按时公示、过期证件办案、司法确认逾期")
    sv.add_argument("--db", required=True)
    sv.add_argument("--township", metavar="NAME")
    sv.add_argument("--kind", action="append", choices=("decision_limit", "unpaid_fine", "disclosure",
                                                         "expired_certificate", "confirmation_window"))
    sv.add_argument("--json", action="store_true")

    rv = sub.add_parser("review", help="案卷评查：随机抽取案卷、自动预检、整改")
    rsub = rv.add_subparsers(dest="review_command", required=True)
    sm = rsub.add_parser("sample", help="按种子随机抽取已结案案卷并自动预检（同一种子结果相同）")
    sm.add_argument("--db", required=True)
    sm.add_argument("--year", type=int, required=True)
    sm.add_argument("--size", type=int, required=True)
    sm.add_argument("--seed", type=int, required=True)
    sm.add_argument("--township", metavar="NAME")
    sm.add_argument("--domain", default="", help="执法领域，如 占道")
    sm.add_argument("--json", action="store_true")
    sh = rsub.add_parser("show", help="显示一次评查（默认最近一次）的案卷、得分和问题")
    sh.add_argument("--db", required=True)
    sh.add_argument("--review", metavar="UID")
    sh.add_argument("--json", action="store_true")
    rf = rsub.add_parser("rectify", help="登记问题已整改")
    rf.add_argument("--db", required=True)
    rf.add_argument("--problem", metavar="UID", required=True)
    rf.add_argument("--note", required=True, help="整改情况")

    tp = sub.add_parser("template", help="生成 Excel 台账模板（中文表头、填写说明、下拉选项）")
    tp.add_argument("kind", choices=("inspections", "cases", "mediations"))
    tp.add_argument("--out", type=Path, required=True)
    li = sub.add_parser("ledger-import", help="导入乡镇的 Excel 台账（坏行列出，好行导入，重复导入不重复）")
    li.add_argument("--db", required=True)
    li.add_argument("--township", required=True, metavar="NAME")
    li.add_argument("--kind", choices=("inspections", "cases", "mediations"), help="默认按文件内容识别")
    li.add_argument("file", type=Path)

    ds = sub.add_parser("district", help="区级：批量导入同步包、完整性、关账与补报、指标明细、复制到 PostgreSQL")
    dsub = ds.add_subparsers(dest="district_command", required=True)
    im = dsub.add_parser("import", help="导入文件夹中的全部同步包，再登记关账后补报")
    im.add_argument("--db", required=True)
    im.add_argument("folder", type=Path)
    im.add_argument("--trust-new", action="store_true")
    im.add_argument("--receipt-dir", type=Path)
    im.add_argument("--reason", default="", help="补报原因（默认：某期关账后补报）")
    gr = dsub.add_parser("grid", help="完整性：乡镇×月份的同步包、记录、缺号、回执")
    gr.add_argument("--db", required=True)
    gr.add_argument("--year", type=int, required=True)
    gr.add_argument("--json", action="store_true")
    for name, text in (("close", "关账：锁定某月或全年的数据"), ("reopen", "重新打开已关账的期间")):
        c = dsub.add_parser(name, help=text)
        c.add_argument("--db", required=True)
        c.add_argument("--year", type=int, required=True)
        c.add_argument("--month", type=int)
        c.add_argument("--reason", required=True)
    am = dsub.add_parser("amendments", help="列出关账后补报或更正的记录")
    am.add_argument("--db", required=True)
    am.add_argument("--year", type=int, required=True)
    am.add_argument("--month", type=int)
    dr = dsub.add_parser("drill", help="某项指标背后的记录")
    dr.add_argument("--db", required=True)
    dr.add_argument("--year", type=int, required=True)
    dr.add_argument("--key", required=True, help="指标，如 cases_filed")
    dr.add_argument("--township", metavar="NAME")
    dr.add_argument("--month", type=int)
    dr.add_argument("--limit", type=int)
    cp = dsub.add_parser("copy", help="把 SQLite 区级数据库整体复制到新建的空 PostgreSQL 数据库")
    cp.add_argument("--from", dest="source", type=Path, required=True)
    cp.add_argument("--to", dest="target", required=True, help="postgresql://user@host/db")


def _open_target(target: str | Path):  # type: ignore[no-untyped-def]
    """A database file that must exist, or a URL (PostgreSQL: created schema on first open)."""
    import re

    from services.core.db import Database

    # argparse's Path type (the stats command's --db) folds "postgresql://" into "postgresql:/": unfold it.
    text = re.sub(r"^(postgres(?:ql)?(?:\+\w+)?):/(?!/)", r"\1://", str(target))
    if "://" in text:
        try:
            return Database.open(text)
        except AppError:
            raise  # already a clear message (not UTF8, no right to create tables, newer schema)
        except Exception as exc:  # driver errors (refused connection, bad password) are the user's to fix
            raise AppError(f"无法连接数据库 {text.split('@')[-1]}：{type(exc).__name__}: {exc}") from exc
    return _open_existing(Path(text))


def _uow(db, write: bool = True) -> UnitOfWork:  # type: ignore[no-untyped-def]
    from services.core.uow import UnitOfWork

    return UnitOfWork(db, actor="cli", write=write)


def cmd_district_stats(args: argparse.Namespace) -> int:
    plain = not (args.township or args.by_township or args.month)
    if plain and not str(args.db).startswith("postgres"):
        return cmd_stats(args)
    from services.district.stats import district_stats, figures_json
    from services.statistics.yearly import compute_year, yearly_stats

    db = _open_target(args.db)
    try:
        if plain:
            data = yearly_stats(_uow(db, write=False), args.year).to_json()
        elif args.township and not args.by_township and args.month is None:
            # The township's own yearly figures, in exactly the shape `stats` prints for a whole database.
            from services.district.common import resolve_township

            with _uow(db, write=False) as u:
                town = resolve_township(u.session, args.township)
                data = compute_year(u.session, args.year, today=u.clock.today(), township_id=town.id).to_json()
        else:
            ds = district_stats(_uow(db, write=False), args.year, args.township, args.month)
            data = ds.to_json() if args.by_township else {"year": args.year, "month": args.month,
                                                           **figures_json(ds.total)}
    finally:
        db.dispose()
    _print_figures(data, as_json=args.json)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from services.district.report_render import write_report

    db = _open_target(args.db)
    try:
        data = write_report(_uow(db), args.year, args.out)
    finally:
        db.dispose()
    print(f"已输出 {args.out}：{data.title}")
    for s in data.sentences:
        print(f"{s.heading}：{s.text}")
    return EXIT_OK


def cmd_supervise(args: argparse.Namespace) -> int:
    from services.district.supervision import supervise

    db = _open_target(args.db)
    try:
        rows = supervise(_uow(db, write=False), township=args.township, kinds=tuple(args.kind) if args.kind else None)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
    else:
        for r in rows:
            print(f"{r.label}\t{r.township}\t{r.number or r.uid}\t应于{r.due_on:%Y-%m-%d}\t逾期{r.days_overdue}日\t{r.detail}")
        print(f"共 {len(rows)} 项")
    return EXIT_PROBLEMS if rows else EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from services.district import review as rv

    db = _open_target(args.db)
    try:
        if args.review_command == "rectify":
            p = rv.rectify_problem(_uow(db), args.problem, args.note)
            print(f"已登记整改：{p.description}（{p.rectified_on:%Y-%m-%d}）")
            return EXIT_OK
        if args.review_command == "sample":
            info = rv.draw_sample(_uow(db), args.year, args.size, args.seed, township=args.township,
                                  domain=args.domain)
        else:
            info = rv.get_review(_uow(db, write=False), args.review)
        figures = rv.review_figures(_uow(db, write=False), info.year)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps({**asdict(info), "figures": asdict(figures)}, ensure_ascii=False, indent=1, default=str))
        return EXIT_OK
    print(f"{info.title}：种子 {info.seed}，从 {info.population} 件已结案案卷中抽取 {len(info.files)} 件（评查 {info.uid}）")
    for f in info.files:
        print(f"{f.position:3d}\t{f.township}\t{f.case_number}\t{f.domain}\t{f.total_score}分\t{f.grade}")
        for p in f.problems:
            print(f"\t\t[{p.item}] {p.description}（{'已整改' if p.status == 'rectified' else '待整改'}，{p.uid}）")
    print(f"{info.year}年评查合计：案卷 {figures.files} 件，问题 {figures.problems} 个，已整改 {figures.rectified} 个")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from services.district.ledger_spec import ledger_kind, write_template

    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(write_template(args.kind))
    except OSError as exc:
        raise AppError(f"无法写入 {args.out}：{exc.strerror}") from exc
    print(f"已生成{ledger_kind(args.kind).title}模板：{args.out}")
    return EXIT_OK


def cmd_ledger_import(args: argparse.Namespace) -> int:
    from services.district.ledger_import import import_ledger

    db = _open_target(args.db)
    try:
        rep = import_ledger(_uow(db), args.kind, args.township, args.file)
    finally:
        db.dispose()
    for bad in rep.bad:
        print(f"第{bad.row}行：{bad.reason}", file=sys.stderr)
    made = "（新建乡镇）" if rep.created_township else ""
    print(f"{rep.township}{made}：共 {rep.rows} 行，新增 {rep.new}，更新 {rep.updated}，未变 {rep.unchanged}，"
          f"有误 {len(rep.bad)}" + (f"；关账后补报 {rep.amendments} 条" if rep.amendments else ""))
    return EXIT_PROBLEMS if rep.bad else EXIT_OK


def cmd_district(args: argparse.Namespace) -> int:
    from services.district import closing

    if args.district_command == "copy":
        from services.district.transfer import copy_database

        src, dst = _open_existing(args.source), _open_target(args.target)
        try:
            r = copy_database(src, dst)
        finally:
            src.dispose()
            dst.dispose()
        print(f"已复制 {r.tables} 张表、{r.rows} 行到 {args.target.split('@')[-1]}")
        return EXIT_OK
    db = _open_target(args.db)
    try:
        cmd = args.district_command
        if cmd == "import":
            from services.district.intake import import_folder

            rep = import_folder(lambda: _uow(db), args.folder, trust_new=args.trust_new, receipt_dir=args.receipt_dir,
                                reason=args.reason)
            for o in rep.outcomes:
                print(f"{o.file}\t{o.township}\t第{o.sequence}号\t新增{o.new}\t更新{o.updated}\t问题{o.problems}\t{o.message}")
            for name, why in rep.refused:
                print(f"拒绝 {name}：{why}", file=sys.stderr)
            skipped = f"；跳过本机生成的回执 {len(rep.skipped)} 份" if rep.skipped else ""
            print(f"导入 {len(rep.outcomes)} 个同步包，拒绝 {len(rep.refused)} 个；关账后补报 {rep.amendments} 条{skipped}")
            return EXIT_OK if rep.ok else EXIT_PROBLEMS
        if cmd == "grid":
            from services.district.completeness import completeness_grid

            g = completeness_grid(_uow(db, write=False), args.year)
            if args.json:
                print(json.dumps(g.to_json(), ensure_ascii=False, indent=1))
            else:
                print("乡镇\t" + "\t".join(f"{m}月" for m in range(1, 13)) + "\t缺号/说明")
                for r in g.rows:
                    cells = "\t".join(f"{c.records}条/{c.bundles}包{'🔒' if c.closed else ''}" for c in r.cells)
                    print(f"{r.township}\t{cells}\t{'；'.join(r.gaps)}")
            return EXIT_PROBLEMS if any(r.gaps for r in g.rows) else EXIT_OK
        if cmd in ("close", "reopen"):
            fn = closing.close_period if cmd == "close" else closing.reopen_period
            info = fn(_uow(db), args.year, args.month, args.reason)
            print(f"{info.period}：{'已关账' if info.status == 'closed' else '已重新打开'}（{info.reason}）")
            return EXIT_OK
        if cmd == "amendments":
            items = closing.list_amendments(_uow(db, write=False), args.year, args.month)
            for a in items:
                print(f"{a.period}\t{a.township}\t{a.table}\t{a.record_uid}\t{a.record_date}\t{a.kind}\t{a.reason}")
            print(f"共 {len(items)} 条")
            return EXIT_OK
        from services.district.stats import drill_down

        rows = drill_down(_uow(db, write=False), args.key, args.year, args.township, args.month, args.limit)
        for d in rows:
            print(f"{d.township}\t{d.table}\t{d.uid}\t{d.number}\t{d.on}\t{d.value}")
        print(f"共 {len(rows)} 条")
        return EXIT_OK
    finally:
        db.dispose()


COMMANDS.update({
    "stats": cmd_district_stats, "report": cmd_report, "supervise": cmd_supervise, "review": cmd_review,
    "template": cmd_template, "ledger-import": cmd_ledger_import, "district": cmd_district,
})


def main(argv: Sequence[str] | None = None) -> int:

    args = _parser().parse_args(argv)
    try:
        if args.command is None and args.screenshots is not None:
            return cmd_screenshots(args)
        if args.command is None:
            from services.core.paths import default_db_path

            return run_gui(args.db or default_db_path())
        return COMMANDS[args.command](args)
    except AppError as exc:
        _err(exc.message)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
