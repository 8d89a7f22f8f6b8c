"""Benchmark of document rendering against a bare ReportLab canvas drawing the same text with the same fonts.

Run: python bench/bench_documents.py [--db DEMO.sqlite3] [--batch 1000]

(a) one 行政处罚决定书, warm (median of 20); (b) the first document in a fresh process, imports and font
registration included; (c) a batch of documents. Each figure is given next to a baseline measured in the
same run: a plain canvas that draws the snapshot's text, wrapped by character count, in the same fonts.
Targets (issue 4): warm ≤ 50 ms, ratio ≤ 2×, first ≤ 1 s, ≤ 150 KB per page.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Prints two figures: from process start (imports included), and from after the imports (what the running
# app pays for its first document: font registration and the first layout).
_FIRST_DOC = """
import json, sys, time
t0 = time.perf_counter()
from services.documents.issuing import render
snap = json.loads(open(sys.argv[1], encoding="utf-8").read())
t1 = time.perf_counter()
pdf = render(snap)
t2 = time.perf_counter()
print(round((t2 - t0) * 1000, 1), round((t2 - t1) * 1000, 1))
"""

_FIRST_RAW = """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
from reportlab.pdfgen.canvas import Canvas
from bench.bench_documents import raw_document
snap = json.loads(open(sys.argv[1], encoding="utf-8").read())
t1 = time.perf_counter()
raw_document(snap)
t2 = time.perf_counter()
print(round((t2 - t0) * 1000, 1), round((t2 - t1) * 1000, 1))
"""


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def raw_document(snapshot: dict[str, Any]) -> bytes:
    """The baseline: the snapshot's text on an A4 canvas, same fonts (embedded subsets), no layout engine."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from services.documents.fonts import font_set

    fonts = font_set()
    body, title = fonts.body, fonts.title
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, initialFontName=body)
    y = 780.0
    c.setFont(title, 20)
    c.drawCentredString(297, y, snapshot.get("title", ""))
    y -= 36
    c.setFont(body, 12)
    for text in strings({k: v for k, v in snapshot.items() if k not in ("fonts", "doc_uid", "issued_at")}):
        while text:
            line, text = text[:36], text[36:]
            if y < 60:
                c.showPage()
                c.setFont(body, 12)
                y = 780.0
            c.drawString(80, y, line)
            y -= 21
    c.showPage()
    c.save()
    return buf.getvalue()


def demo_snapshot(db_path: Path | None) -> dict[str, Any]:
    from sqlalchemy import select

    from models.case import PenaltyCase
    from models.enums import Procedure
    from services.core.db import Database
    from services.core.uow import UnitOfWork
    from services.documents.issuing import issue_document
    from tools.demo.small import generate_demo_file

    if db_path is None:
        db_path = Path(tempfile.mkdtemp(prefix="bench-docs-")) / "demo.sqlite3"
        print("generating the small demo database …", file=sys.stderr)
        generate_demo_file(db_path)
    db = Database.open(db_path)
    try:
        with db.read_factory() as s:
            ref = s.scalars(select(PenaltyCase.uid).where(PenaltyCase.procedure == Procedure.GENERAL,
                                                           PenaltyCase.decision_number != "",
                                                           PenaltyCase.fine_amount.is_not(None))).first()
        assert ref is not None
        info = issue_document(UnitOfWork(db, actor="bench"), "penalty_decision", ref)
        from models.records import IssuedDocument

        with db.read_factory() as s:
            row = s.scalar(select(IssuedDocument).where(IssuedDocument.uid == info.uid))
            assert row is not None
            return dict(json.loads(row.snapshot))
    finally:
        db.dispose()


def median_ms(fn: Any, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def fresh(code: str, snap_file: Path) -> tuple[float, float]:
    """Median over 3 fresh processes of (ms from process start, ms after the imports)."""
    runs = [tuple(float(x) for x in subprocess.run(
        [sys.executable, "-c", code, str(snap_file), str(ROOT)], check=True, cwd=ROOT, capture_output=True,
        text=True).stdout.split()) for _ in range(3)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, help="a demo database (default: generate one)")
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()

    from services.documents.issuing import render_result

    snap = demo_snapshot(args.db)
    render_result(snap)  # warm: fonts registered, caches filled
    raw_document(snap)

    warm = median_ms(lambda: render_result(snap), 20)
    warm_raw = median_ms(lambda: raw_document(snap), 20)
    print(f"(a) warm penalty decision: {warm:.1f} ms (median of 20); raw canvas {warm_raw:.1f} ms; "
          f"ratio {warm / warm_raw:.2f}x  [target <= 50 ms, <= 2x]")

    with tempfile.TemporaryDirectory() as tmp:
        snap_file = Path(tmp) / "snap.json"
        snap_file.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
        first = fresh(_FIRST_DOC, snap_file)
        first_raw = fresh(_FIRST_RAW, snap_file)
    print(f"(b) first document in a fresh process, after imports (font registration + first layout): "
          f"{first[1]:.0f} ms; raw canvas {first_raw[1]:.0f} ms; ratio {first[1] / first_raw[1]:.2f}x  "
          f"[target <= 1000 ms]")
    print(f"    from process start, imports included (ReportLab, SQLAlchemy, models, services): {first[0]:.0f} ms; "
          f"raw canvas (ReportLab only) {first_raw[0]:.0f} ms")

    pages = size = 0
    t = time.perf_counter()
    for k in range(args.batch):
        variant = dict(snap, number=f"竹综执罚决字〔2026〕第{k + 1}号")  # a different QR code each time
        out = render_result(variant)
        pages += out.pages
        size += len(out.pdf)
    batch = time.perf_counter() - t
    t = time.perf_counter()
    raw_size = 0
    for k in range(args.batch):
        raw_size += len(raw_document(dict(snap, number=f"竹综执罚决字〔2026〕第{k + 1}号")))
    batch_raw = time.perf_counter() - t
    print(f"(c) batch of {args.batch}: {batch:.1f} s ({batch / args.batch * 1000:.1f} ms/doc, "
          f"{args.batch / batch:.0f} docs/s); raw canvas {batch_raw:.1f} s; ratio {batch / batch_raw:.2f}x")
    print(f"    size: {size / pages / 1024:.0f} KB per page ({pages} pages); raw canvas "
          f"{raw_size / args.batch / 1024:.0f} KB per document  [target <= 150 KB/page]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
