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

from services.app_info import APP_TITLE, VERSION
from services.errors import AppError

if TYPE_CHECKING:
    from services.sync import ImportPreview
    from services.uow import UnitOfWork

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="main.py", description=f"{APP_TITLE}（EnforceDesk）")
    p.add_argument("--version", action="version", version=f"EnforceDesk {VERSION}")
    p.add_argument("--db", type=Path, help="数据库文件（默认：用户数据目录下的 enforcedesk.sqlite3）")
    p.add_argument("--screenshots", type=Path, metavar="DIR",
                   help="离屏渲染每个主要界面并保存为 PNG（不给 --db 时使用临时演示数据库）")
    sub = p.add_subparsers(dest="command")

    init = sub.add_parser("init", help="非交互式首次初始化：创建乡镇、中队、本机身份和管理员")
    init.add_argument("--db", type=Path, required=True)
    init.add_argument("--township", required=True, help="乡镇名称，如 竹根镇")
    init.add_argument("--squad", required=True, help="中队名称，如 竹根镇综合行政执法中队")
    init.add_argument("--district", default="", help="所属区县，如 乐山市五通桥区")
    init.add_argument("--division-code", default="", help="行政区划代码")
    init.add_argument("--doc-prefix", default="", help="文书机关代字（默认：乡镇名首字+综执）")
    init.add_argument("--field-device", action="store_true", help="本机为外勤笔记本（文书编号段由办公室主机分配）")
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
    from services.db import Database
    from services.errors import AppError

    if not path.exists():
        raise AppError(f"数据库文件不存在：{path}")
    return Database.open(path)


def cmd_init(args: argparse.Namespace) -> int:
    from models.enums import DeviceKind
    from services.db import Database
    from services.errors import AppError
    from services.setup import initialise
    from services.uow import UnitOfWork

    password = None
    if args.admin_password_file:
        try:
            password = args.admin_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise AppError(f"无法读取密码文件：{exc}") from exc
    db = Database.open(args.db)
    try:
        r = initialise(
            db, UnitOfWork(db, actor="cli"), township=args.township, squad=args.squad, district=args.district,
            division_code=args.division_code, doc_prefix=args.doc_prefix,
            device_kind=DeviceKind.FIELD if args.field_device else DeviceKind.OFFICE,
            admin_username=args.admin, admin_password=password,
        )
    finally:
        db.dispose()
    print(f"已初始化：{args.township} / {args.squad}")
    print(f"本机设备编码：{r.device_code}（{r.device_uid}）")
    print(f"已载入节假日 {r.calendar_days} 天、赋权事项 {r.catalogue_items} 项")
    if r.admin_password:
        print(f"管理员 {r.admin_username} 的初始密码：{r.admin_password}（仅显示这一次，请登录后修改）")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from services.demo import generate_demo_file

    result = generate_demo_file(args.db, scale=args.scale, seed=args.seed,
                                progress=lambda msg, pct: print(f"[{pct:3d}%] {msg}", file=sys.stderr))
    print(json.dumps(result.to_json(), ensure_ascii=False, default=str, indent=1))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from services.verify import verify_database

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
    from services.errors import AppError
    from services.stats import yearly_stats
    from services.uow import UnitOfWork

    if not 2000 <= args.year <= 2100:
        raise AppError(f"年份 {args.year} 不在 2000–2100 之间")
    db = _open_existing(args.db)
    try:
        stats = yearly_stats(UnitOfWork(db, actor="cli", write=False), args.year)
    finally:
        db.dispose()
    data = stats.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for k, v in data.items():
            print(f"{k}: {v}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from services.db import backup_sqlite

    db = _open_existing(args.db)
    db.dispose()
    dest = backup_sqlite(args.db, args.dest or args.db.parent / "backups", reason="manual")
    print(f"已备份到 {dest}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from services.listing import list_records
    from services.uow import UnitOfWork

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
    from services.documents.case_file import print_case_file
    from services.documents.issuing import issue_document
    from services.errors import AppError
    from services.uow import UnitOfWork

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
    from services.documents.verify import verify_pdf
    from services.uow import UnitOfWork

    db = _open_existing(args.db)
    try:
        result = verify_pdf(UnitOfWork(db, actor="cli", write=False), args.file)
    finally:
        db.dispose()
    print(result.message)
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def cmd_sync(args: argparse.Namespace) -> int:
    from services.uow import UnitOfWork

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
    from services import sync as s

    st = s.sync_status(uow())
    if args.json:
        print(json.dumps(st.to_json(), ensure_ascii=False, indent=1))
    else:
        print(f"本机 {st.device_code}：未确认记录 {st.unacknowledged} 条，待处理冲突 {st.open_conflicts} 个，"
              f"隔离记录 {st.quarantined} 条，参考数据版本 {st.reference_version}")
        for p in st.peers:
            gaps = "、".join(f"第{n}号" for n in p.missing)
            print(f"  {p.code}（{p.kind}，{p.township}）：已发至第{p.last_sent}号，已收到第{p.last_received}号"
                  f"{'，未收到 ' + gaps if gaps else ''}，对方未确认 {p.unacknowledged} 条，冲突 {p.open_conflicts} 个")
    return EXIT_PROBLEMS if st.open_conflicts else EXIT_OK


_SYNC: dict[str, Callable[[argparse.Namespace, Callable[[], UnitOfWork]], int]] = {
    "export": _sync_export, "import": _sync_import, "receipt": _sync_receipt, "keys": _sync_keys,
    "trust": _sync_trust, "conflicts": _sync_conflicts, "status": _sync_status,
}


def run_gui(db_path: Path) -> int:
    from services.context import AppContext
    from services.db import Database, daily_backup
    from services.setup import is_initialised
    from ui.app import run_gui as _run_gui
    from ui.forms import default_creators, default_pages

    db = Database.open(db_path)
    if is_initialised(db):
        from services.settings import Settings

        with db.read_factory() as session:
            keep = Settings(session).int("backup.keep_daily")
        daily_backup(db_path, db_path.parent / "backups", keep=keep)
    try:
        return _run_gui(AppContext(db), db_label=str(db_path), creators=default_creators(), pages=default_pages)
    finally:
        db.dispose()


def cmd_screenshots(args: argparse.Namespace) -> int:
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from services.context import AppContext
    from services.db import Database
    from services.demo import demo_clock, generate_demo_file
    from ui.forms import default_creators, default_pages
    from ui.screenshots import render_all

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
            written = render_all(ctx, args.screenshots, creators=default_creators(), extra_pages=default_pages)
        finally:
            db.dispose()
    for p in written:
        print(p)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init, "demo": cmd_demo, "verify": cmd_verify, "stats": cmd_stats, "backup": cmd_backup,
    "list": cmd_list, "print": cmd_print, "docs": cmd_docs, "sync": cmd_sync,
}


def main(argv: Sequence[str] | None = None) -> int:

    args = _parser().parse_args(argv)
    try:
        if args.command is None and args.screenshots is not None:
            return cmd_screenshots(args)
        if args.command is None:
            from services.paths import default_db_path

            return run_gui(args.db or default_db_path())
        return COMMANDS[args.command](args)
    except AppError as exc:
        _err(exc.message)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
