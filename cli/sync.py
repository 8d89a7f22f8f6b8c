"""``sync …``: bundles between field laptop, township office and district (docs/sync-bundle.md).

One meaning per flag: ``--out`` is where a file goes (a file, or an existing folder for a generated name) and
``--to`` is the recipient (a key-card file, or a trusted device's UUID or four-letter code). The short commands
``export``, ``import`` and ``keys export/trust`` are aliases with the same handlers. The spellings of the previous
release (``sync export --to DIR --recipient DEVICE``, ``sync reference --to DIR --recipient DEVICE``,
``sync trust --key-file FILE``) still work for this release, with a one-line note naming the new spelling.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.database import Unlock, open_database, prompt_password, read_secret, uow
from cli.output import EXIT_OK, EXIT_PROBLEMS, UsageError, deprecated, err, print_import, print_json
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.core.db import Database


def _target(args: argparse.Namespace) -> tuple[Path, str | None, str | None]:
    """Where the bundle goes and to whom: (folder, file name or None for a generated one, recipient or None).

    From ``--out PATH [--to RECIPIENT]``, or from the old ``--to DIR [--recipient DEVICE]`` (no ``--out``),
    which always meant a folder (made if missing).
    """
    if args.recipient is not None and args.out is not None and args.to is not None:
        raise UsageError("--to 与 --recipient 只能给一个（--recipient 是 --to 的旧写法）")
    if args.out is None:
        if args.to is None or Path(args.to).is_file():
            raise UsageError("须给出 --out：同步包写到哪个文件，或哪个已有的文件夹")
        if args.recipient is None:
            deprecated("--to DIR", "--out DIR")
        else:
            deprecated("--to DIR --recipient DEVICE", "--out DIR --to DEVICE")
        return Path(args.to), None, args.recipient
    if args.recipient is not None:
        deprecated("--recipient DEVICE", "--to DEVICE")
    out = Path(args.out)
    # A path ending in a separator names a folder even before it exists (`--out E:\报送\`): made and the bundle
    # named in it, never a file called 报送 that no folder import would see (they take *.edsync).
    folder_meant = out.is_dir() or args.out.endswith(("/", "\\"))
    folder, name = (out, None) if folder_meant else (out.parent, out.name)  # the service adds .edsync to a name
    return folder, name, args.to if args.to is not None else args.recipient


def _recipient(db: Database, to: str | None) -> str | None:
    """The recipient's device UUID or code; a key card given here is trusted first (the user's explicit word)."""
    from services import sync as s

    if to is None:
        return None
    card = Path(to)
    if card.is_file():
        return s.trust_key_card(uow(db), card).uid
    if card.suffix or "/" in to or "\\" in to:  # a device code or UUID has neither
        raise AppError(f"找不到密钥卡文件：{to}")
    return to


def cmd_export(args: argparse.Namespace) -> int:
    """``sync export`` / ``export``: the records the recipient has not acknowledged (all with ``--full``)."""
    from services import sync as s

    folder, name, to = _target(args)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        plan = s.plan_export(uow(db), _recipient(db, to), full=args.full)
        print(f"将导出 {plan.total} 条记录" + (f"（{'、'.join(f'{t} {n}' for t, n in plan.counts.items())}）"
                                            if plan.counts else ""))
        if not plan.encrypted:
            print("注意：未指定接收方（--to 密钥卡或设备编码），同步包不加密（丢失 U 盘会泄露身份证号等信息）",
                  file=sys.stderr)
        r = s.write_bundle(uow(db), plan, folder, file_name=name)
    print(f"已写入 {r.path}（第{r.sequence}号同步包，{r.total} 条记录，{r.attachments} 个附件，"
          f"{r.size} 字节，{'已加密' if r.encrypted else '未加密'}，SHA-256 {r.sha256}）")
    for table, n in r.counts.items():
        print(f"  {table}: {n}")
    return EXIT_OK


def cmd_reference(args: argparse.Namespace) -> int:
    """``sync reference``: the next reference-data version (and a field laptop's number blocks) for one device."""
    from services.sync.reference import write_reference_bundle

    folder, name, to = _target(args)
    if to is None:
        raise UsageError("须给出接收设备 --to（密钥卡文件，或设备 UUID、四位编码）")
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        r = write_reference_bundle(uow(db), str(_recipient(db, to)), folder, file_name=name)
    print(f"已写入参考数据包 {r.path}（第{r.sequence}版，设备 {r.recipient_code}，{r.size} 字节）")
    for table, n in r.counts.items():
        print(f"  {table}: {n}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """``sync import`` / ``import``: each file in its own transaction, reference bundles first, then record
    bundles by sender and sequence, then receipts; a rejected file (exit 3, reason on stderr) does not stop
    the others."""
    from services.sync.peek import import_order, peek

    missing = [f for f in args.files if not f.is_file()]
    if missing:
        raise UsageError("找不到文件：" + "、".join(map(str, missing)))
    worst, files = EXIT_OK, []
    for path in args.files:
        try:
            files.append(peek(path))
        except AppError as exc:
            err(f"{path.name}：{exc.message}")
            worst = max(worst, exc.exit_code)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        for f in import_order(files):
            print(f"== {f.path.name}")
            try:
                if f.kind != "receipt":
                    code = _import_bundle(db, f.path, args)
                elif args.dry_run:
                    print("回执（试运行：未导入）")
                    code = EXIT_OK
                else:
                    code = _import_receipt(db, f.path)
            except AppError as exc:
                err(f"{f.path.name}：{exc.message}")
                code = exc.exit_code
            worst = max(worst, code)
    return worst


def _import_bundle(db: Database, path: Path, args: argparse.Namespace) -> int:
    from services import sync as s

    if args.dry_run:
        rep = s.inspect_bundle(uow(db), path, trust_new=args.trust_new)
        print_import(rep)
        print("（试运行：未写入任何数据）")
        return EXIT_PROBLEMS if rep.total("quarantined") or rep.total("conflicts") else EXIT_OK
    # An applied bundle imported again gets its receipt again: the first may have been lost, or the import killed
    # between its commit and its receipt.
    rep = s.apply_bundle(uow(db), path, trust_new=args.trust_new, receipt_dir=args.receipt_dir, receipt_again=True)
    print_import(rep)
    if rep.receipt_path:
        again = "已重新写出回执" if rep.already_imported_at is not None else "回执已写入"
        print(f"{again} {rep.receipt_path}：请交回发送方导入（sync receipt）")
    if rep.receipt_error:
        print(rep.receipt_error, file=sys.stderr)
    return EXIT_PROBLEMS if rep.problems or rep.receipt_error else EXIT_OK


def _import_receipt(db: Database, path: Path) -> int:
    from services import sync as s

    r = s.apply_receipt(uow(db), path)
    if r.already_applied_at:
        print(f"这份回执已于 {r.already_applied_at:%Y-%m-%d %H:%M} 导入，本次未做改动")
    else:
        print(f"设备 {r.receiver_code} 确认了 {r.acknowledged} 条记录（同步包 {r.bundle_uid}）")
    for message in r.warnings:  # lines refused, the receiver's audit chain (services/sync/receipts.py, history.py)
        print(message)
    for table, uid, reason in r.quarantined:
        print(f"对方隔离：{table} {uid}：{reason}")
    for table, uid in r.conflicts:
        print(f"对方冲突待处理：{table} {uid}")
    return EXIT_PROBLEMS if r.quarantined or r.conflicts or r.refused else EXIT_OK


def cmd_receipt(args: argparse.Namespace) -> int:
    """``sync receipt``: the recipient's receipt marks what it acknowledged."""
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        return _import_receipt(db, args.file)


def cmd_keys(args: argparse.Namespace) -> int:
    """``sync keys`` / ``keys export``: this device's code, fingerprint and public keys; ``--out`` writes the card."""
    from services import sync as s

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        card = s.write_key_card(uow(db), args.out) if args.out else s.my_key_card(uow(db))
    print(f"设备编码：{card.code}（{card.device_uid}，{card.township_name}）")
    print(f"签名密钥指纹：{card.fingerprint}")
    print(f"签名公钥（Ed25519）：{card.sign_public_key}")
    print(f"加密公钥（X25519）：{card.box_public_key}")
    if args.out:
        print(f"密钥卡已写入 {args.out}：请交给对方，由对方电话核对指纹后信任（sync trust）")
    return EXIT_OK


def cmd_trust(args: argparse.Namespace) -> int:
    """``sync trust`` / ``keys trust``: trust a peer's key card (after checking its fingerprint by phone)."""
    from services import sync as s

    card = args.card
    if args.key_file is not None:
        if card is not None:
            raise UsageError("密钥卡只能给一个（--key-file 是旧写法）")
        deprecated("sync trust --key-file FILE", "sync trust KEYCARD")
        card = args.key_file
    if card is None:
        raise UsageError("须给出对方的密钥卡文件 KEYCARD")
    with open_database(args.db) as db:
        p = s.trust_key_card(uow(db), card)
    print(f"已信任设备 {p.code}（{p.township_name}，指纹 {p.fingerprint}）")
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace) -> int:
    from services import sync as s

    if bool(args.resolve) != bool(args.keep):
        raise UsageError("--resolve 与 --keep 须同时给出")
    # Resolving writes personal data (sealed afresh, its masked forms refreshed): an encrypted database is unlocked.
    # Listing is unlocked when asked to (to read both versions); without it sealed values show as 已加密.
    asked = args.resolve or args.user or args.recovery_key_file or args.unlock_password_file
    with open_database(args.db, unlock=Unlock.from_args(args) if asked else None) as db:
        if args.resolve:
            c = s.resolve_conflict(uow(db), args.resolve, args.keep)
            print(f"冲突 {c.uid} 已处理：保留{'本机' if args.keep == 'local' else '对方'}版本")
            return EXIT_OK
        items = s.list_conflicts(uow(db))
    for c in items:
        print(f"{c.uid}\t{c.table}\t{c.record_uid}\t来自 {c.source_code}\t不同字段：{'、'.join(c.differing)}")
        for k in c.differing:
            print(f"    {k}: 本机={c.local.get(k)!r}  对方={c.incoming.get(k)!r}")
    print(f"共 {len(items)} 个待处理冲突")
    return EXIT_PROBLEMS if items else EXIT_OK


def cmd_provision(args: argparse.Namespace) -> int:
    """``sync provision``: a field laptop's database made from the office's (field laptops only: a second office
    PC would allocate number blocks of its own and collide with the first)."""
    from services.sync.provision import provision_device, provision_options

    # The laptop's own account (its slot is the only one copied, docs/encryption-data.md): --laptop-user with
    # --laptop-password-file, else the account that unlocks here with its password file; without a file the
    # password is asked for at a prompt.
    user = args.laptop_user or args.user or ""
    password_file = args.laptop_password_file or (args.unlock_password_file if not args.laptop_user else None)
    password = read_secret(password_file, "密码文件") if password_file is not None else ""
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        if user and not password and provision_options(uow(db, write=False)).encrypted:
            # Typed by the account's holder (the unlocking password typed at its prompt is not kept).
            password = prompt_password(user, f"外勤机账户 {user} 的登录密码：")
        r = provision_device(uow(db), args.out, name=args.name, user=user, password=password)
    print(f"已制作新设备 {r.device_code} 的数据库：{r.path}（密钥文件 {r.key_file}）")
    if r.user:  # an encrypted office: the laptop opens for one account (docs/encryption.md §Field laptops)
        print(f"数据库和密钥文件均已加密：在新设备上只能用账户“{r.user}”（{r.user_name}）的密码登录，办公室其他账户的密码"
              "打不开；忘记密码时用本单位的恢复密钥解锁。")
    print("把这两个文件复制到新设备的数据文件夹（改名时两个一起改，如 enforcedesk.sqlite3 与 "
          "enforcedesk.sqlite3.keys）；两台设备已互相信任，之后用同步包交换数据。已有记录的附件文件不随之复制。")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from models.enums import DeviceKind
    from models.labels import label_of
    from services import sync as s
    from services.sync.limits import gap_text

    with open_database(args.db) as db:
        st = s.sync_status(uow(db))
    if args.json:
        print_json(st.to_json())
    else:
        print(f"本机 {st.device_code}：未确认记录 {st.unacknowledged} 条，待处理冲突 {st.open_conflicts} 个，"
              f"隔离记录 {st.quarantined} 条，参考数据版本 {st.reference_version}")
        for p in st.peers:
            gaps = gap_text(p.missing)
            print(f"  {p.code}（{label_of(DeviceKind, p.kind)}，{p.township}）：已发至第{p.last_sent}号，"
                  f"已收到第{p.last_received}号{'，未收到 ' + gaps if gaps else ''}，对方未确认 {p.unacknowledged} 条，"
                  f"冲突 {p.open_conflicts} 个")
        for note in st.history:  # audit chains that did not extend what was seen before (services/sync/history.py)
            print(f"  ⚠ {note.device_code}：{note.label}（{note.at[:16].replace('T', ' ')} 导入的同步包）：{note.detail}")
    return EXIT_PROBLEMS if st.open_conflicts or st.history else EXIT_OK
