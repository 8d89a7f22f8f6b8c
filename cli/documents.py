"""Official documents from the command line: print (a document or a whole case file), docs types, docs verify."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.database import Unlock, open_database, uow
from cli.output import EXIT_OK, EXIT_PROBLEMS, UsageError
from services.core.errors import AppError


def write_file(out: Path, data: bytes) -> None:
    """``out`` with ``data``, its folder made if needed; a refusal of the file system is the user's to fix (a full
    or write-protected disk: its one-line message, no partial file: services/core/storage.py write_output)."""
    from services.core.storage import write_output

    write_output(out, data)


def _inputs(items: list[str]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set 的格式应为 KEY=VALUE：{item}")
        inputs[key.strip()] = value
    return inputs


def cmd_print(args: argparse.Namespace) -> int:
    from services.documents.case_file import print_case_file
    from services.documents.issuing import issue_document

    if args.doc and not args.record:
        raise UsageError("--doc 需要同时指定 --record")
    inputs = _inputs(args.inputs)
    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        if args.case_file:
            if inputs:
                raise AppError("打印案卷时不能使用 --set")
            cf = print_case_file(uow(db), args.case_file)
            pdf, summary = cf.pdf, f"案卷 {cf.case_number}：{len(cf.documents)} 件文书，共 {cf.pages} 页"
            for note in cf.not_issued:
                print(f"未入卷：{note}", file=sys.stderr)
        else:
            info = issue_document(uow(db), args.doc, args.record, inputs or None)
            pdf, summary = info.pdf, f"{info.title} {info.number}（SHA-256 {info.sha256}）"
    write_file(args.out, pdf)
    print(f"已输出 {args.out}：{summary}")
    return EXIT_OK


def cmd_doc_types(_args: argparse.Namespace) -> int:
    from services.documents.registry import doc_types

    for t in doc_types():
        extra = "（出具时填写：" + "、".join(k for k, _ in t.inputs) + "）" if t.inputs else ""
        print(f"{t.name}\t{t.title}{extra}")
    print("case_file\t案卷（卷宗封面、卷内目录、文书、备考表；用 print --case-file）")
    return EXIT_OK


def cmd_doc_verify(args: argparse.Namespace) -> int:
    from services.documents.verify import verify_pdf

    with open_database(args.db) as db:
        result = verify_pdf(uow(db, write=False), args.file)
    print(result.message)
    return EXIT_OK if result.ok else EXIT_PROBLEMS
