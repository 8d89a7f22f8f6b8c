"""Commands on a township's own database: init, demo, verify, backup, list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.database import Unlock, is_url, open_database, uow
from cli.output import EXIT_OK, EXIT_PROBLEMS, UsageError, print_json
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.db import Database


def cmd_init(args: argparse.Namespace) -> int:
    from services.reference.setup import DISTRICT_BUREAU_SUFFIX, initialise, initialise_district

    district_db = not args.township
    if args.field_device:
        raise UsageError("外勤笔记本不单独初始化：请在办公室主机上用 sync provision --db 办公室数据库 --out 新文件 制作"
                         "（它须与办公室同一乡镇、中队和人员，文书编号段由办公室分配）")
    if district_db and not args.district:
        raise UsageError("须给出 --township（乡镇数据库）或 --district（区级数据库）")
    if args.township and not args.squad:
        raise UsageError("乡镇数据库须给出 --squad（中队名称）")
    password = None
    if args.admin_password_file:
        try:
            password = args.admin_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise AppError(f"无法读取密码文件：{exc}") from exc
    check_sheet_path(args.recovery_sheet)
    made = _files_init_would_make(args.db)
    try:
        with open_database(args.db, create=True) as db:
            if district_db:
                r = initialise_district(db, uow(db), district=args.district, squad=args.squad or "",
                                        division_code=args.division_code, doc_prefix=args.doc_prefix,
                                        admin_username=args.admin, admin_password=password)
            else:
                r = initialise(db, uow(db), township=args.township, squad=args.squad, district=args.district,
                               division_code=args.division_code, doc_prefix=args.doc_prefix,
                               admin_username=args.admin, admin_password=password)
    except BaseException:
        # A refused set-up (a name too long, a weak password …) changes nothing: the file this command created for
        # it goes again, so no empty database is left for the next start to take for a real one.
        for path in made:
            path.unlink(missing_ok=True)
        raise
    name = args.township or args.district.strip()
    squad = args.squad or f"{name}{DISTRICT_BUREAU_SUFFIX}"
    print(f"已初始化{'区级数据库' if district_db else ''}：{name} / {squad}")
    print(f"本机设备编码：{r.device_code}（{r.device_uid}）")
    print(f"已载入节假日 {r.calendar_days} 天、赋权事项 {r.catalogue_items} 项")
    if r.admin_password:
        print(f"管理员 {r.admin_username} 的初始密码：{r.admin_password}（仅显示这一次；首次登录时须修改）")
    show_recovery_key(r.recovery_key, args.recovery_sheet, args.db, name, r.device_code)
    return EXIT_OK


def _files_init_would_make(target: str) -> list[Path]:
    """The files ``init`` creates for a database file that does not exist yet (the file, its WAL and shared-memory
    files, its device keys); none for a server URL or an existing file, which a failed init must leave alone."""
    if is_url(target) or Path(target).exists():
        return []
    from services.sync.crypto import key_file_path

    path = Path(target)
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), key_file_path(path)]


def check_sheet_path(sheet: Path | None) -> None:
    """Refuse a sheet that could not be written before the key is made (it is shown once)."""
    if sheet is not None and (sheet.is_dir() or not sheet.parent.is_dir()):
        raise AppError(f"恢复密钥单不能写到 {sheet}：请给出已有文件夹中的 PDF 文件名")


def show_recovery_key(recovery_key: str, sheet: Path | None, db: str | Path, township: str, device_code: str) -> None:
    """Print the recovery key once with what to do with it, and write the printable 恢复密钥单 when asked."""
    from datetime import date

    from services.documents.recovery_sheet import SheetFacts, write_recovery_sheet

    print(f"恢复密钥：{recovery_key}")
    print("  请立即打印或抄写，封存后放入办公室保险柜。程序不保存它，只显示这一次；"
          "全部管理员密码都遗忘时，只有它能解锁本数据库的数据。")
    if sheet is not None:
        # The database's name only: the sheet goes into a safe, the user's folders need not go with it.
        label = str(db).rsplit("/", 1)[-1] if is_url(db) else Path(db).name
        write_recovery_sheet(sheet, recovery_key, SheetFacts(label, township, date.today(), device_code))
        print(f"恢复密钥单已写入：{sheet}（打印后请删除此文件）")


def cmd_recovery_key(args: argparse.Namespace) -> int:
    from services.people.recovery import new_recovery_key

    check_sheet_path(args.recovery_sheet)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        made = new_recovery_key(uow(db))
    print("已制作新的恢复密钥，旧的恢复密钥单随即作废，请销毁。")
    show_recovery_key(made.recovery_key, args.recovery_sheet, args.db, made.township, made.device_code)
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    """``encrypt``: an administrator encrypts a database written before encryption at rest (services/people/
    encryption.py) — the same upgrade as at their first login in the window. The recovery key is printed once.
    On a database whose upgrade stopped after its values were sealed, it finishes the files and the compaction."""
    from cli.database import prompt_password, read_secret
    from services.people.encryption import encrypt_database, unfinished_encryption

    check_sheet_path(args.recovery_sheet)
    with open_database(args.db) as db:
        password = read_secret(args.unlock_password_file, "密码文件") if args.unlock_password_file \
            else prompt_password(args.user)
        if unfinished_encryption(uow(db, write=False)):
            return _finish_encryption(db, args.user, password)
        done = encrypt_database(uow(db), args.user, password, progress=_progress)
    r = done.report
    print(f"已加密本数据库的个人信息：{r.sealed_values} 项（{r.records} 条记录）、证据附件 {r.files} 个，"
          f"用时 {r.seconds:.1f} 秒。")
    print(f"用户 {done.username} 的密码现在也是解锁数据的密钥；其他账户须由管理员重置密码后才能登录"
          + (f"：{'、'.join(done.without_slot)}" if done.without_slot else "（本库没有其他账户）"))
    show_recovery_key(done.recovery_key, args.recovery_sheet, args.db, done.township, done.device_code)
    if done.plaintext_backups:
        print("以下备份是加密前做的，仍含明文的身份证号、电话和住址：核对加密后的数据库无误后删除，或放入保险柜保管：")
        for path in done.plaintext_backups:
            print(f"  {path}")
    print("此前复制到别处（U盘、其他电脑）的备份同样是明文，请一并处理。")
    if r.unfinished:
        print(f"注意：{r.unfinished}")
        return EXIT_PROBLEMS
    return EXIT_OK


def _progress(percent: int, message: str) -> None:
    print(f"[{percent:3d}%] {message}", file=sys.stderr)


def _finish_encryption(db: Database, username: str, password: str) -> int:
    from services.core.errors import PermissionDenied
    from services.core.uow import UnitOfWork
    from services.people.accounts import sign_in
    from services.people.encryption import finish_encryption, is_administrator

    signed = sign_in(uow(db), username, password)
    if not is_administrator(signed.user.role):
        raise PermissionDenied("只有中队长（管理员）才能继续完成加密")
    report = finish_encryption(UnitOfWork(db, actor=username, role=signed.user.role, data_key=signed.data_key),
                               progress=_progress)
    if report.unfinished:
        print(f"注意：{report.unfinished}")
        return EXIT_PROBLEMS
    values = f"个人信息 {report.sealed_values} 项、" if report.sealed_values else ""
    print(f"已完成加密：{values}证据附件 {report.files} 个，数据库文件已压缩（不再留有明文）。")
    if report.backup is not None:  # values were sealed now (declared after this database was encrypted)
        print(f"加密这些个人信息前做的备份仍含明文：核对无误后删除，或放入保险柜保管：{report.backup}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from tools.demo.small import generate_demo_file

    result = generate_demo_file(Path(args.db), scale=args.scale, seed=args.seed,
                                progress=lambda msg, pct: print(f"[{pct:3d}%] {msg}", file=sys.stderr))
    print_json(result.to_json())
    if result.login is not None:
        print(f"登录：用户名 {result.login['username']}，密码 {result.login['password']}", file=sys.stderr)
    if result.recovery_key:
        print(f"恢复密钥：{result.recovery_key}（演示数据库的；真实数据库的恢复密钥须打印后放入保险柜）", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from services.core.integrity import DamagedDatabase
    from services.core.storage import DatabaseDamaged, NotADatabase
    from services.maintenance.verify import damaged_report, verify_database

    try:
        with open_database(args.db) as db:
            report = verify_database(db, quick=args.quick, deep=args.deep)
            if report.ok:  # a damaged database is left as it is: only the report
                from services.sync.ceremony import tidy_leftover_bundles

                tidy_leftover_bundles(db)  # a killed export's temp bundle (docs/verify.md §Crash points)
    except (DamagedDatabase, DatabaseDamaged, NotADatabase) as exc:  # not even openable: a report (exit 1)
        report = damaged_report(exc.__cause__ or exc)
    if args.json:
        print_json({"ok": report.ok, "audit_events": report.audit_events, "deep_checked": report.deep_checked,
                    "deep_uncovered": report.deep_uncovered,
                    "problems": [{"check": p.check, "message": p.message} for p in report.problems]})
    else:
        for p in report.problems:
            print(f"[{p.check}] {p.message}")
        deep = (f"，核对记录 {report.deep_checked} 条、无单条摘要 {report.deep_uncovered} 条"
                if args.deep else "")
        print("校验通过" if report.ok else f"发现 {len(report.problems)} 个问题", f"（审计记录 {report.audit_events} 条{deep}）")
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def cmd_backup(args: argparse.Namespace) -> int:
    from services.core.db import backup_sqlite

    if is_url(args.db):
        raise AppError("backup 只备份 SQLite 数据库文件；PostgreSQL 数据库请用 pg_dump 备份")
    with open_database(args.db):
        pass  # migrated first, like every command: the copy is of this program's revision
    path = Path(args.db)
    dest = backup_sqlite(path, args.dest or path.parent / "backups", reason="manual")
    print(f"已备份到 {dest}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from services.read.listing import list_records

    with open_database(args.db) as db:
        rows = list_records(uow(db, write=False), args.kind, limit=args.limit)
    if args.json:
        print_json([r.to_json() for r in rows])
    else:
        for r in rows:
            print("\t".join((r.id, r.number or "-", r.status, r.name, r.date)))
    return EXIT_OK
