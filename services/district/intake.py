"""The district's intake: import a folder of township bundles in order, then list late records as amendments.

Each bundle goes through ``services.sync.apply_bundle`` unchanged (verify, merge, receipt); a bundle that is
refused — or whose import fails in a way nobody foresaw: its transaction rolls back — is reported with the
reason and does not stop the others (docs/sync-bundle.md §Value checks and limits). After the imports,
``record_amendments`` (the post-import step) lists whatever landed in a closed period and recomputes the monthly
figures of the township-months the bundles touched.
SQLite and PostgreSQL district databases both take bundles (services/sync/dialect.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from services.core.db import Database
from services.core.errors import AppError
from services.core.paths import BUNDLE_SUFFIX
from services.core.uow import UnitOfWork
from services.district.closing import record_amendments


@dataclass(frozen=True, slots=True)
class BundleOutcome:
    file: str
    township: str
    sequence: int
    new: int
    updated: int
    problems: int  # quarantined + conflicts
    message: str


@dataclass
class IntakeReport:
    outcomes: list[BundleOutcome] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # file, reason
    amendments: int = 0
    receipts: list[str] = field(default_factory=list)
    untrusted: list[tuple[str, str]] = field(default_factory=list)  # refused only for an untrusted sender
    skipped: list[str] = field(default_factory=list)  # this district's own receipts found in the folder
    stopped: bool = False  # the user stopped the run between two files
    # imported, but the receipt could not be written (a write-protected or full stick): file, reason
    unreceipted: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.unreceipted and not any(o.problems for o in self.outcomes)


# (files done, files in all, the next file's name) → False to stop before that file (the user pressed 取消)
IntakeProgress = Callable[[int, int, str], bool]


def import_folder(uow: Callable[[], UnitOfWork], folder: Path, *, trust_new: bool = False,
                  receipt_dir: Path | None = None, reason: str = "",
                  progress: IntakeProgress | None = None) -> IntakeReport:
    """Import every ``*.edsync`` in ``folder``, then list amendments.

    Files are ordered by what their manifests say, not by name: reference bundles, then record bundles by sender
    and sequence (no false "第N号同步包未收到"), then receipts. Receipts this district wrote itself (the default
    receipt folder is the bundles' folder) are skipped, not reported as refused; others' receipts are applied.
    Each file is its own transaction, so ``progress`` may stop the run between two files: what was imported
    stays, and the post-import step still runs for it (``stopped`` says so).
    """
    from services.sync import UnknownDevice, apply_bundle, apply_receipt
    from services.sync.peek import import_order, peek

    # glob() says nothing of a folder that is gone (the stick pulled out) or not readable: it just finds nothing,
    # and "no bundles" would send the clerk looking for files that may well be there.
    try:
        with os.scandir(folder):
            pass
    except FileNotFoundError as exc:
        raise AppError(f"找不到文件夹 {folder}：U 盘是否已拔出？请重新插入后再选择该文件夹") from exc
    except NotADirectoryError as exc:
        raise AppError(f"{folder} 不是文件夹：请选择同步包所在的文件夹") from exc
    except PermissionError as exc:
        raise AppError(f"没有读取文件夹 {folder} 的权限：请把同步包复制到本机有权限的文件夹后再导入") from exc
    except OSError as exc:
        raise AppError(f"无法读取文件夹 {folder}：{exc.strerror or exc}") from exc
    files = sorted(folder.glob(f"*{BUNDLE_SUFFIX}"))
    if not files:
        raise AppError(f"文件夹 {folder} 中没有同步包（*.edsync）：请选择乡镇报送的同步包所在的文件夹")
    rep = IntakeReport()
    own = uow().db.device_uid
    peeked = []
    for path in files:
        try:
            f = peek(path)
        except AppError as exc:
            rep.refused.append((path.name, exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable file never stops the folder
            rep.refused.append((path.name, _unexpected(exc)))
            continue
        if f.kind == "receipt" and f.source_uid == own:
            rep.skipped.append(path.name)  # our own receipt, written here for a township to take back
            continue
        peeked.append(f)
    ordered = import_order(peeked)
    for done, f in enumerate(ordered):
        if progress is not None and not progress(done, len(ordered), f.path.name):
            rep.stopped = True
            break
        try:
            if f.kind == "receipt":
                apply_receipt(uow(), f.path)
                continue
            r = apply_bundle(uow(), f.path, trust_new=trust_new, receipt_dir=receipt_dir)
        except UnknownDevice as exc:  # the screen offers to trust these senders once
            rep.refused.append((f.path.name, exc.message))
            rep.untrusted.append((f.path.name, exc.message))
            continue
        except AppError as exc:
            rep.refused.append((f.path.name, exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - the file's transaction rolled back; the folder goes on
            rep.refused.append((f.path.name, _unexpected(exc)))
            continue
        if r.kind != "records":
            continue
        notes = [*r.messages, r.receipt_error] if r.receipt_error else r.messages
        rep.outcomes.append(BundleOutcome(f.path.name, r.township, r.sequence, r.total("new"), r.total("updated"),
                                          r.total("quarantined") + r.total("conflicts"), "；".join(notes)))
        if r.receipt_path:
            rep.receipts.append(str(r.receipt_path))
        if r.receipt_error:  # the import stands; importing the file again writes the receipt
            rep.unreceipted.append((f.path.name, r.receipt_error))
    if progress is not None and not rep.stopped:
        progress(len(ordered), len(ordered), "")
    # Planner statistics first: the post-import step recounts the imported township-months (figure_month).
    analyze_database(uow().db)
    rep.amendments = record_amendments(uow(), reason)
    return rep


def _unexpected(exc: Exception) -> str:
    """A failure nobody foresaw, as the reason a file was not imported (the rest of the folder still is)."""
    return f"导入时出错（{type(exc).__name__}：{str(exc)[:120]}），此文件未导入（已回滚）"


def analyze_database(db: Database) -> None:
    """Refresh the query planner's statistics after a bulk intake.

    Without them SQLite drives "problems found in the year" from all inspection items instead of the year's
    inspections (measured: a full scan of the items table per query). ``analysis_limit`` keeps ANALYZE to a
    sample of each index, so it costs well under a second even on a district of 200 townships.
    """
    with db.engine.connect() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
