"""UI benchmark: cold start to a usable main window, and list open / filter latency, on a township database.

Run: python bench/bench_ui.py [--db PATH]   (without --db a township-scale demo is generated first, ~1–2 min)

Each figure is printed with its raw baseline from the same run:
* cold start: a fresh process that opens the database, builds the MainWindow (home page loaded) and paints
  it, versus a fresh process that shows a bare PySide6 QMainWindow with a QTableView (target ≤ 3×);
* list open / filter: the cases and inspections lists' first page through the screen's model, versus the
  same SQL page through raw sqlite3 (target ≤ 100 ms at township scale).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))

BARE = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QTableView()); w.resize(1366, 740); w.show(); app.processEvents()
w.grab()
print(time.perf_counter() - t0)
"""

APP = """
import time, sys
t0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from models.enums import Role
from services.people.accounts import UserInfo
from services.core.context import AppContext
from services.core.db import Database
from ui.app import register_bundled_fonts
from ui.compose import main_window
from ui.ui_settings import UiSettings
app = QApplication([])
register_bundled_fonts()
ctx = AppContext(Database.open(Path({db!r})), user=UserInfo("b", "bench", "bench", Role.SQUAD_LEADER, None))
w = main_window(ctx, ui_settings=UiSettings(QSettings({ini!r}, QSettings.Format.IniFormat)))
w.resize(1366, 740); w.show(); app.processEvents()
w.grab()
print(time.perf_counter() - t0)
"""


def _proc(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def _median_ms(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db_path = args.db
    if db_path is None:
        from tools.demo.small import generate_demo_file

        db_path = Path(tmp.name) / "township.sqlite3"
        t = time.perf_counter()
        generate_demo_file(db_path, scale="township")
        print(f"generated township demo in {time.perf_counter() - t:.1f} s")
    ini = str(Path(tmp.name) / "ui.ini")

    bare = statistics.median(_proc(BARE) for _ in range(3))
    app = statistics.median(_proc(APP.format(root=str(ROOT), db=str(db_path), ini=ini)) for _ in range(3))
    print(f"cold start: bare window {bare * 1000:.0f} ms, EnforceDesk main window {app * 1000:.0f} ms, "
          f"ratio {app / bare:.2f}x (target <= 3x)")

    from PySide6.QtWidgets import QApplication

    from services.core.context import AppContext
    from services.core.db import Database
    from services.read.queries import ListQuery, list_info, list_page
    from ui.item_models.paged_model import PagedTableModel

    _app = QApplication.instance() or QApplication([])
    ctx = AppContext(Database.open(db_path))
    raw = sqlite3.connect(str(db_path))
    for name, raw_sql in (
        ("cases", "SELECT c.uid FROM penalty_case c LEFT JOIN party p ON p.id = c.party_id "
                  "WHERE c.deleted_at IS NULL ORDER BY c.registered_on DESC, c.uid DESC LIMIT 200"),
        ("inspections", "SELECT uid FROM inspection WHERE deleted_at IS NULL "
                        "ORDER BY inspected_on DESC, uid DESC LIMIT 200"),
    ):
        model = PagedTableModel(list_info(name).columns, lambda q, n=name: list_page(ctx.reader(), n, q))
        open_ms = _median_ms(lambda m=model: (m.set_query(ListQuery()), m.data(m.index(0, 0))))
        filt_ms = _median_ms(lambda m=model: m.set_query(ListQuery(text="烧烤")))
        base_ms = _median_ms(lambda s=raw_sql: raw.execute(s).fetchall())
        print(f"{name}: open {open_ms:.1f} ms, filter '烧烤' {filt_ms:.1f} ms, raw page {base_ms:.1f} ms "
              f"(open ratio {open_ms / base_ms:.1f}x; target <= 100 ms), rows {model.total:,}")
    raw.close()
    ctx.db.dispose()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
