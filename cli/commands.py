"""The parser table: every command of ``python main.py``, its help, its arguments and its handler, once.

README.md's command table lists them; docs/sync-bundle.md and docs/district-report.md explain the sync and
district ones. ``--db`` takes a database file, or a ``postgresql://`` URL (cli/database.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from cli import district, documents, filetype, people, records, sync
from cli.database import UNLOCK, UNLOCK_FOR_USERS
from cli.table import Arg, Command, OneOf, arg, build_parser, command, group
from services.core.app_info import APP_TITLE, VERSION


class _SelfTestAction(argparse.Action):
    """Like ``--version``: runs on its own as soon as it is parsed, then exits with the self-test's code."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from cli.gui import self_test

        parser.exit(self_test())


TOP = (
    arg("--version", action="version", version=f"EnforceDesk {VERSION}"),
    arg("--db", type=Path, help="数据库文件（默认：用户数据目录下的 enforcedesk.sqlite3）"),
    arg("--screenshots", type=Path, metavar="DIR", help="离屏渲染每个主要界面并保存为 PNG（不给 --db 时使用临时演示数据库）"),
    arg("--lang", metavar="CODE", help="--screenshots 的界面语言，如 en（默认：环境变量 ENFORCEDESK_LANG，否则简体中文）"),
    arg("--self-test", action=_SelfTestAction,
        help="自检：在临时文件夹中建库、迁移、办案、出具文书、同步、打开主窗口；通过退出码 0，否则 1 并指出失败的步骤"),
)

DB = arg("--db", required=True, metavar="DB", help="数据库文件或 postgresql:// 地址")
JSON = arg("--json", action="store_true", help="输出 JSON")
YEAR = arg("--year", type=int, required=True)
MONTH = arg("--month", type=int, metavar="M")
TOWNSHIP = arg("--township", metavar="NAME", help="乡镇名称或 UID")
LEDGER_KINDS = ("inspections", "cases", "mediations")

# -- sync: one surface (cli/sync.py); the short forms below are aliases with the same arguments and handlers --

_DEPRECATED = "（旧写法，仍可用一个版本）"
TRUST_NEW = arg("--trust-new", action="store_true", help="信任首次出现的发送设备（请先电话核对指纹）")
RECEIPT_DIR = arg("--receipt-dir", type=Path, help="回执写入的文件夹（默认：同步包所在文件夹）")
# str, not Path: a trailing separator (a folder meant, not made yet) must reach cli/sync.py _target.
OUT_BUNDLE = arg("--out", type=str, metavar="PATH", help="同步包写到的文件（无 .edsync 后缀时自动加上）；给已有的文件夹（或以 / 结尾的新文件夹）时在其中自动命名")
TO = arg("--to", metavar="RECIPIENT", help="接收方：密钥卡文件（先信任它），或已信任设备的 UUID、四位编码；给出时加密")
RECIPIENT = arg("--recipient", metavar="DEVICE", help=f"同 --to 给设备编码{_DEPRECATED}；与 --to DIR 连用时 --to 是文件夹")
EXPORT_ARGS = (DB, OUT_BUNDLE, TO, arg("--full", action="store_true", help="导出全部记录（默认：对方未确认的记录）"),
               RECIPIENT, *UNLOCK)
IMPORT_ARGS = (DB, arg("files", type=Path, nargs="+", metavar="FILE"),
               arg("--dry-run", action="store_true", help="只校验并显示将发生的变化，不写入"), TRUST_NEW, RECEIPT_DIR,
               *UNLOCK)
TRUST_ARGS = (DB, arg("card", type=Path, nargs="?", metavar="KEYCARD", help="对方的密钥卡文件"),
              arg("--key-file", type=Path, metavar="FILE", help=f"同 KEYCARD{_DEPRECATED}"))
EXPORT_HELP = "导出同步包（增量：对方未确认的全部记录）"
IMPORT_HELP = "导入同步包、参考数据包或回执（可一次多个，按序号依次导入，每个文件一个事务）"
TRUST_HELP = "信任对方的密钥卡（请先电话核对指纹）"

SYNC = group(
    "sync", "离线同步：导出/导入同步包、回执、密钥与信任、冲突、状态、外勤笔记本、参考数据",
    command("export", EXPORT_HELP, sync.cmd_export, *EXPORT_ARGS),
    command("import", IMPORT_HELP, sync.cmd_import, *IMPORT_ARGS),
    command("receipt", "导入对方的回执，把已确认的记录标为已确认", sync.cmd_receipt, DB, arg("file", type=Path),
            *UNLOCK),
    command("keys", "显示本机编码、指纹和公钥（用于交换）", sync.cmd_keys, DB,
            arg("--out", type=Path, metavar="FILE", help="同时写出密钥卡文件，交给对方 sync trust"), *UNLOCK),
    command("trust", TRUST_HELP, sync.cmd_trust, *TRUST_ARGS),
    command("conflicts", "列出或处理同步冲突", sync.cmd_conflicts, DB,
            arg("--resolve", metavar="UID", help="要处理的冲突编号"),
            arg("--keep", choices=("local", "incoming"), help="保留本机版本或对方版本"), *UNLOCK),
    command("provision", "从办公室主机的数据库制作外勤笔记本的数据库", sync.cmd_provision,
            arg("--db", required=True, help="办公室主机的数据库"),
            arg("--out", type=Path, required=True, help="新设备的数据库文件（连同 .keys 密钥文件复制到新设备）"),
            arg("--name", default="", help="设备名称（默认：乡镇名 + 外勤机）"),
            arg("--laptop-user", metavar="NAME", help="加密的数据库：外勤机的使用账户（默认：--user），外勤机只凭其密码解锁"),
            arg("--laptop-password-file", type=Path, metavar="FILE", help="外勤机账户的登录密码（文件第一行；默认：--password-file）"),
            *UNLOCK),
    command("reference", "向一台设备下发参考数据（权力清单、纠纷类别、节假日、设置、外勤编号段）", sync.cmd_reference,
            DB, arg("--out", type=str, metavar="PATH", help="参考数据包写到的文件（无 .edsync 后缀时自动加上）；给已有的文件夹（或以 / 结尾的新文件夹）时在其中自动命名"),
            arg("--to", metavar="RECIPIENT", help="接收设备：密钥卡文件，或已信任设备的 UUID、四位编码"), RECIPIENT,
            *UNLOCK),
    command("status", "同步状态：各设备的序号、缺号、未确认和冲突数", sync.cmd_status, DB, JSON),
)

ALIASES = (
    group("keys", "本机密钥卡：导出给对方，或信任对方的密钥卡（sync keys / sync trust 的简写）",
          command("export", "写出本机的公钥卡文件（交给接收方信任）", sync.cmd_keys, DB,
                  arg("--out", type=Path, required=True, metavar="FILE"), *UNLOCK),
          command("trust", TRUST_HELP, sync.cmd_trust, *TRUST_ARGS)),
    command("export", f"{EXPORT_HELP}（sync export 的简写）", sync.cmd_export, *EXPORT_ARGS),
    command("import", f"{IMPORT_HELP}（sync import 的简写）", sync.cmd_import, *IMPORT_ARGS),
)

# -- a township's own records and documents -------------------------------------------------------------------

RECORDS = (
    command("init", "非交互式首次初始化：创建乡镇、中队、本机身份和管理员", records.cmd_init,
            arg("--db", required=True),
            arg("--township", help="乡镇名称，如 竹根镇（不给时须给 --district：建区级数据库）"),
            arg("--squad", help="中队名称，如 竹根镇综合行政执法中队（区级库默认：区名+综合行政执法局）"),
            arg("--district", default="",
                help="所属区县，如 乐山市五通桥区；只给 --district 不给 --township 时建区级数据库（接收各乡镇同步包）"),
            arg("--division-code", default="", help="行政区划代码"),
            arg("--doc-prefix", default="", help="文书机关代字（默认：乡镇名首字+综执）"),
            arg("--field-device", action="store_true", help="（不可用）外勤笔记本由办公室主机用 sync provision 制作，不单独初始化"),
            arg("--admin", default="admin", help="管理员用户名（默认 admin）"),
            arg("--admin-password-file", type=Path, help="从文件读取管理员密码；不给则随机生成并显示一次"),
            arg("--recovery-sheet", type=Path, metavar="FILE.pdf", help="同时把恢复密钥单写成 PDF（打印后放入保险柜）")),
    command("recovery-key", "恢复密钥：制作新的恢复密钥（旧的随即作废），显示一次并可写出恢复密钥单", records.cmd_recovery_key,
            DB, arg("--new", action="store_true", required=True, help="制作新的恢复密钥"),
            arg("--recovery-sheet", type=Path, metavar="FILE.pdf", help="把新的恢复密钥单写成 PDF"), *UNLOCK),
    command("encrypt", "加密旧版本建立的数据库：管理员验证密码后，先备份，再加密其中的个人信息和证据附件，显示一次恢复密钥",
            records.cmd_encrypt, DB, arg("--user", required=True, metavar="NAME", help="管理员（中队长）用户名"),
            arg("--password-file", dest="unlock_password_file", type=Path, metavar="FILE",
                help="密码从文件第一行读取（不给则提示输入）"),
            arg("--recovery-sheet", type=Path, metavar="FILE.pdf", help="同时把恢复密钥单写成 PDF（打印后放入保险柜）")),
    command("demo", "生成演示数据（每个程序和结果都有）", records.cmd_demo, arg("--db", required=True),
            arg("--scale", choices=("small", "township"), default="small"), arg("--seed", type=int, default=1)),
    command("verify", "检查数据库完整性、外键、审计链和记录内容（发现问题：退出码 1）", records.cmd_verify, DB,
            arg("--quick", action="store_true", help="用 quick_check 代替 integrity_check"),
            arg("--deep", action="store_true", help="逐条核对同步记录与其最后一条审计记录的摘要"), JSON),
    command("stats", "年度统计指标；区级可分乡镇、按月、同比", district.cmd_stats, DB, YEAR, JSON,
            arg("--township", metavar="NAME", help="只统计一个乡镇（名称或 UID）"),
            arg("--month", type=int, metavar="M", help="只统计某月（与 --by-township 一起用）"),
            arg("--by-township", action="store_true", help="分乡镇列出、合计与同比（区级）")),
    command("backup", "用 SQLite 在线备份接口备份数据库", records.cmd_backup, DB,
            arg("--dest", type=Path, help="备份目录（默认：数据库旁的 backups/）")),
    command("list", "列出记录：编号、状态（证件号码、电话已脱敏）", records.cmd_list, DB,
            arg("kind", choices=("inspections", "cases", "mediations", "parties", "documents")), JSON,
            arg("--limit", type=int, default=None, help="最多列出条数")),
    command("print", "出具并打印文书（PDF）；已出具的文书原样重印", documents.cmd_print, DB,
            OneOf((arg("--doc", metavar="TYPE", help="文书类型（见 docs types）"),
                   arg("--case-file", metavar="ID", help="打印整本案卷：案件 UUID、立案编号或决定书文号"))),
            arg("--record", metavar="ID", help="记录的 UUID 或编号（与 --doc 一起使用）"),
            arg("--set", dest="inputs", action="append", default=[], metavar="KEY=VALUE",
                help="出具时填写的项目（如听证通知书的 hearing_at、hearing_place）"),
            arg("--out", type=Path, required=True, help="输出 PDF 文件"), *UNLOCK),
    command("register-filetype", "（Windows）登记 .edsync 文件类型：双击同步包即用本程序打开其导入预览（只对当前用户，"
            "无需管理员权限）", filetype.cmd_register_filetype, arg("--undo", action="store_true", help="取消登记")),
    group("docs", "文书类型与真伪核验",
          command("types", "列出文书类型（TYPE 名称与标题）", documents.cmd_doc_types),
          command("verify", "核验 PDF 是否为本数据库出具且未被改动（是：退出码 0；否：1）", documents.cmd_doc_verify,
                  DB, arg("file", type=Path))),
)

# -- people: officers, accounts, mediation committees (the 执法人员, 用户账户, 调解委员会 screens) ------------------

OFFICER = arg("--officer", required=True, metavar="OFFICER", help="执法人员：姓名、执法证号或 UID")
USERNAME = arg("--username", required=True, metavar="NAME", help="用户名")
PASSWORD_FILE = arg("--password-file", type=Path, metavar="FILE",
                    help="从文件第一行读取密码（不给则随机生成并只显示一次）；首次登录时须修改")


def _officer_fields(*, new: bool) -> tuple[Arg, ...]:
    """The 执法人员 form's fields; ``edit`` changes only those given."""
    need = {"required": True} if new else {}
    return (arg("--name", metavar="NAME", help="姓名", **need),
            arg("--cert", metavar="CERT", help="执法证号", **need),
            arg("--valid-until", metavar="DATE", help="执法证有效期至（YYYY-MM-DD）", **need),
            arg("--issued", metavar="DATE", help="发证日期（YYYY-MM-DD）"),
            arg("--sex", metavar="SEX", help="性别：男或女"),
            arg("--cert-kind", metavar="KIND", help="证件种类，如 行政执法证"),
            arg("--domain", action="append", default=[], metavar="DOMAIN",
                help="执法领域（赋权事项清单中的领域，可重复给出多个）" + ("" if new else "；给出时替换原有领域")),
            arg("--phone", metavar="PHONE", help="电话"),
            arg("--role", metavar="ROLE", help="角色：officer（执法队员，默认）、squad_leader（中队长）、"
                                               "legal_reviewer（法制审核员）"))


PEOPLE = (
    group("officers", "执法人员：登记、修改、停用、列出（证件状态按今天计算）",
          command("add", "登记执法人员", people.cmd_officers_add, DB, *_officer_fields(new=True), *UNLOCK),
          command("edit", "修改执法人员（只改给出的项目）", people.cmd_officers_edit, DB, OFFICER,
                  *_officer_fields(new=False), *UNLOCK),
          command("deactivate", "停用执法人员（不删除；其用户账户同时停用）", people.cmd_officers_deactivate, DB, OFFICER),
          command("activate", "恢复已停用的执法人员", people.cmd_officers_activate, DB, OFFICER),
          command("list", "列出执法人员及证件状态（有效 / 30 天内到期 / 已过期）", people.cmd_officers_list, DB, JSON,
                  arg("--all", action="store_true", help="包括已停用的人员"))),
    group("users", "用户账户：开设、重置密码、停用、启用、解锁、列出（账户只保存在本机，不同步）",
          command("add", "为执法人员开设账户", people.cmd_users_add, DB, USERNAME,
                  arg("--officer", metavar="OFFICER", help="账户所属执法人员：姓名、执法证号或 UID"),
                  arg("--name", metavar="NAME", help="使用人姓名（区级管理员账户不属于执法人员时）"),
                  arg("--role", required=True, metavar="ROLE",
                      help="角色：officer（执法队员）、squad_leader（中队长）、legal_reviewer（法制审核员）"),
                  PASSWORD_FILE, *UNLOCK_FOR_USERS),
          command("passwd", "重置用户的密码（首次登录时须修改）", people.cmd_users_passwd, DB, USERNAME, PASSWORD_FILE,
                  *UNLOCK_FOR_USERS),
          command("list", "列出用户账户及状态", people.cmd_users_list, DB, JSON),
          command("disable", "停用账户", people.cmd_users_disable, DB, USERNAME),
          command("enable", "启用已停用的账户", people.cmd_users_enable, DB, USERNAME),
          command("unlock", "解锁因输错密码被锁定的账户", people.cmd_users_unlock, DB, USERNAME)),
    group("committees", "人民调解委员会：建立、列出（含调解员和组成提示）",
          command("add", "建立人民调解委员会", people.cmd_committees_add, DB,
                  arg("--name", required=True, metavar="NAME", help="委员会名称"),
                  arg("--kind", default="村", metavar="KIND", help="类别：村、社区、乡镇、行业、企事业单位（默认：村）"),
                  arg("--seal-name", metavar="NAME", help="印章上的名称（默认与名称相同）"),
                  arg("--doc-code", metavar="CODE", help="文书代字，本委员会的调解文书以此编号（默认按名称生成）"),
                  arg("--term-start", metavar="DATE", help="本届任期起始日（YYYY-MM-DD；任期三年）"),
                  arg("--address", metavar="ADDRESS", help="地址"), *UNLOCK),
          command("list", "列出人民调解委员会及其调解员", people.cmd_committees_list, DB, JSON)),
    group("mediators", "人民调解员",
          command("add", "在调解委员会中添加调解员", people.cmd_mediators_add, DB,
                  arg("--committee", required=True, metavar="NAME", help="调解委员会名称或 UID"),
                  arg("--name", required=True, metavar="NAME", help="姓名"),
                  arg("--sex", metavar="SEX", help="性别：男或女"),
                  arg("--ethnicity", metavar="ETHNICITY", help="民族，如 汉族、彝族"),
                  arg("--phone", metavar="PHONE", help="电话"),
                  arg("--chair", action="store_true", help="委员会主任"),
                  arg("--hired", action="store_true", help="聘任的调解员（不是委员会委员）"), *UNLOCK)),
)

# -- the district office (docs/district-report.md) ------------------------------------------------------------

_PERIOD = (DB, YEAR, MONTH, arg("--reason", required=True))
DISTRICT = (
    command("report", "年度报告的综合执法和人民调解部分（PDF、Word 或 Excel）", district.cmd_report, DB, YEAR,
            arg("--out", type=Path, required=True, help="输出文件：.pdf、.docx 或 .xlsx"), *UNLOCK),
    command("supervise", "执法监督：超期未决定、罚款逾期、未按时公示、过期证件办案、司法确认逾期", district.cmd_supervise,
            DB, TOWNSHIP, arg("--kind", action="append", choices=(
                "decision_limit", "unpaid_fine", "disclosure", "expired_certificate", "confirmation_window")), JSON),
    group("review", "案卷评查：随机抽取案卷、自动预检、整改",
          command("sample", "按种子随机抽取已结案案卷并自动预检（同一种子结果相同）", district.cmd_review_sample, DB, YEAR,
                  arg("--size", type=int, required=True), arg("--seed", type=int, required=True), TOWNSHIP,
                  arg("--domain", default="", help="执法领域，如 占道"), JSON),
          command("show", "显示一次评查（默认最近一次）的案卷、得分和问题", district.cmd_review_show, DB,
                  arg("--review", metavar="UID"), JSON),
          command("rectify", "登记问题已整改", district.cmd_review_rectify, DB,
                  arg("--problem", metavar="UID", required=True), arg("--note", required=True, help="整改情况"))),
    command("template", "生成 Excel 台账模板（中文表头、填写说明、下拉选项）", district.cmd_template,
            arg("kind", choices=LEDGER_KINDS), arg("--out", type=Path, required=True)),
    command("ledger-import", "导入乡镇的 Excel 台账（坏行列出，好行导入，重复导入不重复）", district.cmd_ledger_import, DB,
            arg("--township", required=True, metavar="NAME"),
            arg("--kind", choices=LEDGER_KINDS, help="默认按文件内容识别"), arg("file", type=Path), *UNLOCK),
    group("district", "区级：批量导入同步包、完整性、关账与补报、指标明细、复制到 PostgreSQL",
          command("import", "导入文件夹中的全部同步包，再登记关账后补报", district.cmd_intake, DB,
                  arg("folder", type=Path), TRUST_NEW, RECEIPT_DIR,
                  arg("--reason", default="", help="补报原因（默认：某期关账后补报）"), *UNLOCK),
          command("grid", "完整性：乡镇×月份的同步包、记录、缺号、回执", district.cmd_grid, DB, YEAR, JSON),
          command("close", "关账：锁定某月或全年的数据", district.cmd_close, *_PERIOD),
          command("reopen", "重新打开已关账的期间", district.cmd_reopen, *_PERIOD),
          command("amendments", "列出关账后补报或更正的记录", district.cmd_amendments, DB, YEAR, MONTH),
          command("drill", "某项指标背后的记录", district.cmd_drill, DB, YEAR,
                  arg("--key", required=True, help="指标，如 cases_filed"), TOWNSHIP, MONTH,
                  arg("--limit", type=int)),
          command("copy", "把 SQLite 区级数据库整体复制到新建的空 PostgreSQL 数据库", district.cmd_copy,
                  arg("--from", dest="source", required=True),
                  arg("--to", dest="target", required=True, help="postgresql://user@host/db"))),
)

COMMANDS: tuple[Command, ...] = (*RECORDS, *PEOPLE, SYNC, *ALIASES, *DISTRICT)


@cache
def parser() -> argparse.ArgumentParser:
    """The whole command line, from the table above. Built once per process (≈ 40 ms: some 200 arguments): parsing
    leaves the parser unchanged, and a process that runs several commands (the self-test, the tests) reuses it."""
    return build_parser(argparse.ArgumentParser(prog="main.py", description=f"{APP_TITLE}（EnforceDesk）"),
                        TOP, COMMANDS)

