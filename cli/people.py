"""Commands on a township's people: officers, user accounts, mediation committees and mediators.

The same services as the 执法人员, 用户账户 and 调解委员会 screens (services/people/). A password is read from a file
(``--password-file``: never on the command line, where the shell history would keep it); without one it is
generated and printed once. Bad input is one ``错误：…`` line and exit code 3.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.database import Unlock, open_database, uow
from cli.output import EXIT_OK, print_json
from services.core.errors import AppError, ValidationError

if TYPE_CHECKING:
    from services.people.registry import OfficerInput


def parse_day(text: str | None, what: str) -> date | None:
    """A date typed as YYYY-MM-DD; a refusal names the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{what} 应为日期，格式 YYYY-MM-DD（如 2028-12-31），而不是“{text}”") from None


def read_password(path: Path | None) -> str | None:
    """The password in ``path`` (its first line), or None when no file was given (then one is generated)."""
    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise AppError(f"密码文件不存在：{path}") from None
    except IsADirectoryError:
        raise AppError(f"密码文件是一个文件夹：{path}") from None
    except PermissionError:
        raise AppError(f"没有读取密码文件的权限：{path}") from None
    except UnicodeDecodeError:
        raise AppError(f"密码文件不是 UTF-8 文本：{path}") from None
    except OSError as exc:
        raise AppError(f"无法读取密码文件 {path}（错误号 {exc.errno}）") from None
    if not lines or not lines[0].strip():
        raise ValidationError(f"密码文件 {path} 是空的")
    return lines[0].strip()


def _role(text: str | None) -> Any:
    from services.people.accounts import parse_role

    return parse_role(text) if text is not None else None


def _officer_input(args: argparse.Namespace, base: OfficerInput) -> OfficerInput:
    """``base`` with what the options give (an option not given keeps its value)."""
    changes: dict[str, Any] = {}  # values of OfficerInput's fields, checked by the service
    for option, key in (("name", "name"), ("cert", "cert_number"), ("sex", "gender"), ("cert_kind", "cert_kind"),
                        ("phone", "phone")):
        value = getattr(args, option, None)
        if value is not None:
            changes[key] = value
    for option, key, what in (("issued", "cert_valid_from", "--issued"), ("valid_until", "cert_valid_to",
                                                                        "--valid-until")):
        if getattr(args, option, None) is not None:
            changes[key] = parse_day(getattr(args, option), what)
    if args.domain:
        changes["domains"] = tuple(args.domain)
    if args.role is not None:
        changes["role"] = _role(args.role)
    return replace(base, **changes)


# -- officers -------------------------------------------------------------------------------------------------


def cmd_officers_add(args: argparse.Namespace) -> int:
    from services.people.registry import OfficerInput, register_officer

    data = _officer_input(args, OfficerInput(name="", cert_number=""))
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        register_officer(uow(db), data)
    print(f"已登记执法人员：{data.name.strip()}（执法证号 {data.cert_number.strip()}）")
    return EXIT_OK


def cmd_officers_edit(args: argparse.Namespace) -> int:
    from services.people.registry import officer_record, update_officer

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        current = officer_record(uow(db, write=False), args.officer)
        data = _officer_input(args, current.data)
        update_officer(uow(db), current.uid, data)
    print(f"已修改执法人员：{data.name.strip()}（执法证号 {data.cert_number.strip()}）")
    return EXIT_OK


def _set_active(args: argparse.Namespace, active: bool) -> int:
    from services.people.registry import officer_record, set_officer_active

    with open_database(args.db) as db:
        current = officer_record(uow(db, write=False), args.officer)
        set_officer_active(uow(db), current.uid, active)
    print(f"已{'恢复' if active else '停用'}执法人员：{current.data.name}"
          f"{'' if active else '（其用户账户同时停用；记录中的姓名保留）'}")
    return EXIT_OK


def cmd_officers_deactivate(args: argparse.Namespace) -> int:
    return _set_active(args, False)


def cmd_officers_activate(args: argparse.Namespace) -> int:
    return _set_active(args, True)


def cmd_officers_list(args: argparse.Namespace) -> int:
    from services.people.registry import list_officers

    with open_database(args.db) as db:
        rows = list_officers(uow(db, write=False), include_inactive=args.all)
    if args.json:
        print_json([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        d = r.data
        print("\t".join((d.name, d.cert_number, d.cert_valid_to.isoformat() if d.cert_valid_to else "-",
                         r.status.text if r.active else "已停用", "、".join(d.domains) or "-")))
    return EXIT_OK


# -- user accounts --------------------------------------------------------------------------------------------


def _print_password(username: str, password: str | None) -> None:
    if password is not None:
        print(f"用户 {username} 的初始密码：{password}（仅显示这一次；首次登录时须修改）")
    else:
        print(f"用户 {username} 首次登录时须修改密码")


def cmd_users_add(args: argparse.Namespace) -> int:
    from services.people.accounts import open_account, parse_role

    password = read_password(args.password_file)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        opened = open_account(uow(db), username=args.username, role=parse_role(args.role), officer=args.officer,
                              display_name=args.name or "", password=password)
    print(f"已开设账户：{opened.username}")
    _print_password(opened.username, opened.password)
    return EXIT_OK


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from services.people.accounts import reset_password

    password = read_password(args.password_file)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        shown = reset_password(uow(db), args.username, password=password)
    print(f"已重置用户 {args.username.strip()} 的密码")
    _print_password(args.username.strip(), shown)
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from services.people.accounts import list_accounts

    with open_database(args.db) as db:
        rows = list_accounts(uow(db, write=False))
    if args.json:
        print_json([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        print("\t".join((r.username, r.display_name, r.role_label, r.officer_name or "-", r.state)))
    return EXIT_OK


def _account_step(args: argparse.Namespace, step: str) -> int:
    """停用, 启用 or 解锁 an account: one service call and one line saying it was done."""
    from services.people.accounts import set_account_active, unlock_account

    with open_database(args.db) as db:
        if step == "unlock":
            unlock_account(uow(db), args.username)
        else:
            set_account_active(uow(db), args.username, step == "enable")
    done = {"disable": "已停用", "enable": "已启用", "unlock": "已解锁"}[step]
    print(f"{done}账户：{args.username.strip()}")
    return EXIT_OK


def cmd_users_disable(args: argparse.Namespace) -> int:
    return _account_step(args, "disable")


def cmd_users_enable(args: argparse.Namespace) -> int:
    return _account_step(args, "enable")


def cmd_users_unlock(args: argparse.Namespace) -> int:
    return _account_step(args, "unlock")


# -- mediation committees -------------------------------------------------------------------------------------


def cmd_committees_add(args: argparse.Namespace) -> int:
    from services.people.committees import create_committee

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        create_committee(uow(db), name=args.name, kind=args.kind, seal_name=args.seal_name or "",
                         term_start=parse_day(args.term_start, "--term-start"), address=args.address or "",
                         doc_code=args.doc_code or "")
    print(f"已建立调解委员会：{args.name.strip()}")
    return EXIT_OK


def cmd_committees_list(args: argparse.Namespace) -> int:
    from services.people.committees import list_committees

    with open_database(args.db) as db:
        rows = list_committees(uow(db, write=False))
    if args.json:
        print_json([r.to_json() for r in rows])
        return EXIT_OK
    for r in rows:
        people = "、".join(f"{m.name}（{m.position}）" for m in r.mediators if m.active) or "尚无调解员"
        print(f"{r.name}\t{r.kind}\t{people}")
        for problem in r.problems:
            print(f"  提示：{problem}")
    return EXIT_OK


def cmd_mediators_add(args: argparse.Namespace) -> int:
    from services.people.committees import add_mediator, committee_info

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        add_mediator(uow(db), args.committee, name=args.name, gender=args.sex or "",
                     ethnicity=args.ethnicity or "", phone=args.phone or "", is_chair=args.chair,
                     is_member=not args.hired)
        info = committee_info(uow(db, write=False), args.committee)
    print(f"已添加调解员：{args.name.strip()}（{info.name}，委员 {info.members} 人）")
    for problem in info.problems:
        print(f"提示：{problem}")
    return EXIT_OK
