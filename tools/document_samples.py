"""Sample pictures of every document type for the README: ``python -m tools.document_samples [OUT_DIR]``.

Builds the small demo in a temporary folder, issues each type for the first demo record that has what the
type needs (decisions of the matching procedure), and writes the first page of each as ``<type>.png`` at 60 dpi
(pdftoppm, from poppler-utils) into OUT_DIR (default docs/documents/); the case file of the first archived
general-procedure case gives ``case_file-01.png`` to ``-03.png`` (cover, contents, first document).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models.case import CoerciveMeasure, PenaltyCase, Transfer
from models.case_records import CaseInterview, CaseRecord, ServiceRecord
from models.enums import CaseStatus, Procedure, RecordKind
from models.inspection import Inspection
from models.mediation import FollowUpVisit, MediationCase
from services.core.db import Database
from services.core.errors import AppError
from services.core.uow import UnitOfWork
from services.documents.case_file import print_case_file
from services.documents.issuing import issue_document
from services.documents.registry import doc_types
from tools.demo.small import generate_demo_file

OUT = Path(__file__).resolve().parents[1] / "docs" / "documents"
TABLES: dict[str, Any] = {RecordKind.PENALTY_CASE: PenaltyCase, RecordKind.INSPECTION: Inspection,
                          RecordKind.COERCIVE_MEASURE: CoerciveMeasure, RecordKind.TRANSFER: Transfer,
                          RecordKind.MEDIATION_CASE: MediationCase, RecordKind.FOLLOW_UP_VISIT: FollowUpVisit,
                          RecordKind.CASE_INTERVIEW: CaseInterview, RecordKind.CASE_RECORD: CaseRecord,
                          RecordKind.SERVICE_RECORD: ServiceRecord}
PROCEDURE = {"summary_decision": Procedure.SUMMARY, "penalty_decision": Procedure.GENERAL,
             "no_penalty_decision": Procedure.GENERAL, "service_receipt": Procedure.GENERAL}
# The sample shows what the form says when the fine is paid later: the surcharge warning.
PREFER: dict[str, Any] = {"summary_decision": PenaltyCase.paid_on.is_distinct_from(PenaltyCase.decision_date)}
# Items entered when issuing (DocType.inputs): the hearing's arrangement, the catalogue item of an order.
INPUTS = {"hearing_summons": {"hearing_at": "2025-10-20 09:30", "hearing_place": "竹根镇人民政府三楼会议室",
                              "presider": "王主任", "members": "赵委员", "clerk": "李文书"},
          "rectification_order": {"item_code": "SR-003"}}


def _png(pdf: Path, out: Path, first: int = 1, last: int = 1) -> list[Path]:
    """Pages ``first``..``last`` of ``pdf`` as ``out``.png (one page) or ``out``-NN.png."""
    cmd = ["pdftoppm", "-png", "-r", "60", "-f", str(first), "-l", str(last)]
    if first == last:
        subprocess.run([*cmd, "-singlefile", str(pdf), str(out)], check=True)
        return [out.with_suffix(".png")]
    subprocess.run([*cmd, str(pdf), str(out)], check=True)
    return sorted(out.parent.glob(f"{out.name}-*.png"))


def build(out_dir: Path) -> list[Path]:
    written: list[Path] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        generate_demo_file(path)
        db = Database.open(path)
        try:
            for t in doc_types():
                model = TABLES[t.record_table]
                query = select(model.uid).order_by(model.id)
                if t.name in PROCEDURE:
                    query = query.where(model.procedure == PROCEDURE[t.name])
                with db.read_factory() as s:
                    uids = list(s.scalars(query))
                    if t.name in PREFER:
                        preferred = list(s.scalars(query.where(PREFER[t.name])))
                        uids = preferred + [u for u in uids if u not in preferred]
                for uid in uids:
                    try:
                        info = issue_document(UnitOfWork(db, actor="samples"), t.name, uid, INPUTS.get(t.name))
                    except AppError:
                        continue
                    pdf = info.save(Path(tmp) / f"{t.name}.pdf")
                    written += _png(pdf, out_dir / t.name)
                    break
                else:
                    print(f"{t.name}: no demo record has what it needs", file=sys.stderr)
            with db.read_factory() as s:
                case = s.scalar(select(PenaltyCase.uid).where(PenaltyCase.status == CaseStatus.ARCHIVED,
                                                              PenaltyCase.procedure == Procedure.GENERAL)
                                .order_by(PenaltyCase.id).limit(1))
            if case is not None:
                cf = Path(tmp) / "case_file.pdf"
                cf.write_bytes(print_case_file(UnitOfWork(db, actor="samples"), case).pdf)
                written += _png(cf, out_dir / "case_file", 1, 3)
        finally:
            db.dispose()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=OUT)
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
