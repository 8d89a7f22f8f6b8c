"""Start-up benchmark: cold start of the desktop program to a usable 工作台, against a bare PySide6 window.

Run from the repository root (without ``--db`` a township-scale demo is generated first, about a minute):

    python bench/bench_startup.py [--db TOWNSHIP_DB] [--runs 7] [--typing 0,1.5] [--frozen [EXE]]

Every run is a fresh process; the bare window and the program alternate, so load on the (shared) machine
hits both alike. One warm-up of each comes first (the OS file cache, compiled bytecode), as on a user's PC
where the program has run before. Times are taken with ``time.perf_counter`` (CLOCK_MONOTONIC on Linux,
the same clock in every process) from the moment this script launches the process:

* **bare window**: a process that imports PySide6, creates the QApplication, shows a QMainWindow holding a
  QTableView (1366×740) and has painted it. This is the floor for "a Qt window on this machine".
* the program: ``main.main(["--db", DB])`` — exactly what ``python main.py --db DB`` runs — in a process
  that watches the paint events and plays the user:
  - **login ready**: launch → the login dialog has been painted (the user can type);
  - the user then "types" for ``--typing`` seconds (0 = submits the instant the dialog is painted: the
    worst case, nothing overlaps with the user);
  - **to 工作台**: 登录 pressed → the main window has been painted with the 工作台 showing its figures
    (month/year counts and the work-item list from the township database; the script checks they are
    there and prints them). On a township database the window is shown before the rest of the program has
    loaded (ui/app.py): the 工作台 is read from the file with sqlite3 and the loading pauses meanwhile;
  - **user waits** = login ready + to 工作台: the time the user waits on the program, the typing left
    out. With ``--typing 0`` it is the whole launch → usable main window.
  - **loaded at**: launch → the background load (import of SQLAlchemy, the models, services and screens,
    opening the database) finished: from then on every screen opens without waiting; informative.
* ratios: login ready ÷ bare and user waits ÷ bare (the issue's target: ≤ 3×).

Bytecode: the project's modules are compiled once and reused (``PYTHONPYCACHEPREFIX`` in a temporary folder
when ``PYTHONDONTWRITEBYTECODE`` is set), as they are in an installed or PyInstaller-built program. The
program writes its daily backup next to the database (``backups/``) the first time it starts on a day; that
happens on a background thread after the window is shown, and the warm-up run absorbs it.

``--frozen [EXE]`` instead compares the built app (dist/EnforceDesk) with ``python main.py``, both running
``--self-test`` (launch → 载入程序模块 done, plus the 主窗口 step; and the whole self-test), as before.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The child processes print one JSON object: the perf_counter() value of each mark. Paint events are watched
# on one widget each (an application-wide Python event filter would itself cost ~0.1 s over a start-up):
# the table's viewport in the bare window, the login dialog, the 工作台's work-item list in the main window
# (a window paints all its widgets in one pass; the zero timer fires when that pass is over).
BARE = r"""
import json, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
marks = {}
class Watch(QObject):
    def eventFilter(self, obj, event):
        if "paint" not in marks and event.type() == QEvent.Type.Paint:
            marks["paint"] = time.perf_counter()
            QTimer.singleShot(0, lambda: (marks.setdefault("painted", time.perf_counter()), app.quit()))
        return False
app = QApplication([])
watch = Watch()
w = QMainWindow(); table = QTableView(); w.setCentralWidget(table); w.resize(1366, 740)
table.viewport().installEventFilter(watch)
w.show()
app.exec()
print(json.dumps(marks))
"""

PROGRAM = r"""
import json, sys, time
sys.path.insert(0, {root!r})
DB, USER, PASSWORD, TYPING = {db!r}, {user!r}, {password!r}, {typing!r}
import main as entry
import ui.app as ui_app
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
marks, facts = {{}}, {{}}

_run = ui_app.Background._run
def _timed_run(self):
    try:
        _run(self)
    finally:
        if self._name == "enforcedesk-preload":
            marks["loaded"] = time.perf_counter()
ui_app.Background._run = _timed_run

class Watch(QObject):
    def __init__(self, name, then):
        super().__init__()
        self.name, self.then = name, then
    def eventFilter(self, obj, event):
        if self.name not in marks and event.type() == QEvent.Type.Paint:
            marks[self.name] = time.perf_counter()
            QTimer.singleShot(0, self.then)
        return False

class WatchedLogin(ui_app.LoginDialog):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._watch = Watch("login", self._painted)
        self.installEventFilter(self._watch)
    def _painted(self):
        marks["login_painted"] = time.perf_counter()
        facts["orm_imported_at_login"] = "sqlalchemy.orm" in sys.modules
        QTimer.singleShot(int(TYPING * 1000), self._type_and_submit)
    def _type_and_submit(self):
        if not self.username.text():
            self.username.setText(USER)
        self.password.setText(PASSWORD)
        marks["submit"] = time.perf_counter()
        self.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
ui_app.LoginDialog = WatchedLogin

_main_window = ui_app._main_window
def _watched_main_window(*args, **kwargs):
    window = _main_window(*args, **kwargs)
    def painted():
        marks["window_painted"] = time.perf_counter()
        home = window.home
        facts["home_title"] = home.title.text()
        facts["home_items"] = len(home.items)
        QApplication.instance().quit()
    window._watch = Watch("window", painted)
    window.home.table.viewport().installEventFilter(window._watch)
    return window
ui_app._main_window = _watched_main_window

code = entry.main(["--db", DB])
print(json.dumps({{"marks": marks, "facts": facts, "code": code}}, ensure_ascii=False))
"""


@dataclass(frozen=True, slots=True)
class ProgramRun:
    login_ready: float  # launch → login dialog painted
    to_home: float  # 登录 pressed → main window painted with the 工作台
    loaded: float  # launch → background load finished
    total: float  # launch → main window painted (typing included)
    facts: dict[str, object]

    @property
    def waits(self) -> float:
        return self.login_ready + self.to_home


def child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["ENFORCEDESK_HOME"] = str(tmp / "home")  # crash log, default paths: never the user's own folder
    env["XDG_CONFIG_HOME"] = str(tmp / "config")  # QSettings (last user name, window geometry, list filters)
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def _launch(code: str, env: dict[str, str]) -> tuple[float, dict[str, object]]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"child process failed (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")
    return t0, json.loads(out.stdout.strip().splitlines()[-1])


def bare_run(env: dict[str, str]) -> float:
    t0, marks = _launch(BARE, env)
    return float(marks["painted"]) - t0  # type: ignore[arg-type]


def program_run(env: dict[str, str], db: Path, user: str, password: str, typing: float) -> ProgramRun:
    code = PROGRAM.format(root=str(ROOT), db=str(db), user=user, password=password, typing=typing)
    t0, result = _launch(code, env)
    marks: dict[str, float] = result["marks"]  # type: ignore[assignment]
    facts: dict[str, object] = result["facts"]  # type: ignore[assignment]
    missing = {"login_painted", "submit", "window_painted", "loaded"} - marks.keys()
    if missing or result["code"] != 0:
        raise SystemExit(f"the program did not reach the 工作台 (missing {sorted(missing)}, exit {result['code']})")
    if not facts.get("home_items") or not facts.get("home_title"):
        raise SystemExit(f"the 工作台 was painted without its figures: {facts}")
    return ProgramRun(marks["login_painted"] - t0, marks["window_painted"] - marks["submit"], marks["loaded"] - t0,
                      marks["window_painted"] - t0, facts)


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  ({min(values):.3f}–{max(values):.3f})"


def _ratio(values: list[float], bare: list[float]) -> str:
    """Median ÷ median, and min ÷ min (the least disturbed runs of each: other load on the machine only adds)."""
    return f"÷ bare {statistics.median(values) / statistics.median(bare):.2f} (min ÷ min {min(values) / min(bare):.2f})"


def cold_start(args: argparse.Namespace) -> int:
    tmp_dir = tempfile.TemporaryDirectory(prefix="bench-startup-")
    tmp = Path(tmp_dir.name)
    db = args.db
    if db is None:
        sys.path.insert(0, str(ROOT))
        from tools.demo.small import generate_demo_file

        db = tmp / "township.sqlite3"
        t = time.perf_counter()
        generate_demo_file(db, scale="township")
        print(f"generated the township demo in {time.perf_counter() - t:.0f} s")
    env = child_env(tmp)
    typings = [float(x) for x in args.typing.split(",")]
    print(f"database {db} ({db.stat().st_size / 2**20:.0f} MiB); {args.runs} runs per figure; typing {typings} s")
    bare_run(env)  # warm-ups: file cache, bytecode, the day's backup
    program_run(env, db, args.user, args.password, typings[0])

    bare: list[float] = []
    runs: dict[float, list[ProgramRun]] = {t: [] for t in typings}
    for i in range(args.runs):
        bare.append(bare_run(env))
        line = f"run {i + 1}: bare {bare[-1]:.3f} s"
        for t in typings:
            r = program_run(env, db, args.user, args.password, t)
            runs[t].append(r)
            line += (f" | typing {t:g} s: login {r.login_ready:.3f} + to 工作台 {r.to_home:.3f} = waits "
                     f"{r.waits:.3f} s (loaded at {r.loaded:.3f})")
        print(line, flush=True)

    facts = runs[typings[0]][-1].facts
    print(f"\n工作台 as painted: {facts['home_title']} {facts['home_items']} rows shown;"
          f" ORM imported when the login dialog was painted: {facts['orm_imported_at_login']}")
    print(f"\nmedians (min–max) of {args.runs} runs; ratios: median ÷ median (min ÷ min)")
    print(f"bare PySide6 window                     {_spread(bare)}")
    for t in typings:
        rs = runs[t]
        waits = [r.waits for r in rs]
        login = [r.login_ready for r in rs]
        print(f"typing {t:g} s:")
        print(f"  launch → login dialog painted         {_spread(login)}   {_ratio(login, bare)}")
        print(f"  登录 pressed → 工作台 painted          {_spread([r.to_home for r in rs])}")
        print(f"  user waits (the two above)            {_spread(waits)}   {_ratio(waits, bare)}  target ≤ 3")
        print(f"  launch → background load finished     {_spread([r.loaded for r in rs])}")
        print(f"  launch → 工作台 painted, typing incl.  {_spread([r.total for r in rs])}")
    tmp_dir.cleanup()
    return 0


# -- --frozen: the built app versus the interpreted start, both running --self-test ------------------------

FIRST_STEP, WINDOW_STEP = "载入程序模块", "主窗口"
_OK = re.compile(r"^\[ok\] (.+?) (\d+\.\d+) s")


@dataclass(frozen=True, slots=True)
class SelfTestRun:
    start_to_window: float
    total: float


def default_exe() -> Path:
    return ROOT / "dist" / "EnforceDesk" / ("EnforceDesk.exe" if sys.platform == "win32" else "EnforceDesk")


def timed_self_test(command: list[str]) -> SelfTestRun:
    """Run one self-test process; time the first step's line as it arrives and read the window step's time."""
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    first_done: float | None = None
    window: float | None = None
    output: list[str] = []
    for raw in proc.stdout:
        now = time.perf_counter() - t0
        line = raw.decode("utf-8", errors="replace").rstrip()
        output.append(line)
        match = _OK.match(line)
        if match and match.group(1) == FIRST_STEP and first_done is None:
            first_done = now
        elif match and match.group(1) == WINDOW_STEP:
            window = float(match.group(2))
    code = proc.wait()
    total = time.perf_counter() - t0
    if code != 0 or first_done is None or window is None:
        raise SystemExit(f"self-test failed ({' '.join(command)}, exit {code}):\n" + "\n".join(output))
    return SelfTestRun(first_done + window, total)


def folder_size(path: Path) -> int:
    """Bytes of every regular file under ``path`` (symbolic links not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def frozen_versus_interpreted(exe: Path, runs: int) -> int:
    if not exe.is_file():
        print(f"{exe} not found: build first with  pyinstaller --noconfirm build.spec", file=sys.stderr)
        return 2
    frozen_cmd = [str(exe), "--self-test"]
    interpreted_cmd = [sys.executable, str(ROOT / "main.py"), "--self-test"]
    timed_self_test(frozen_cmd)  # warm the OS file cache for both, as a user's second start would be
    timed_self_test(interpreted_cmd)
    frozen: list[SelfTestRun] = []
    interpreted: list[SelfTestRun] = []
    for i in range(runs):
        frozen.append(timed_self_test(frozen_cmd))
        interpreted.append(timed_self_test(interpreted_cmd))
        print(f"run {i + 1}: start to main window frozen {frozen[-1].start_to_window:.2f} s, "
              f"interpreted {interpreted[-1].start_to_window:.2f} s; whole self-test frozen {frozen[-1].total:.2f} s, "
              f"interpreted {interpreted[-1].total:.2f} s")

    def med(results: list[SelfTestRun], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in results)

    print(f"\nmedians of {runs} runs          frozen   interpreted   frozen ÷ interpreted")
    for label, attr in (("start to main window", "start_to_window"), ("whole self-test", "total")):
        f, p = med(frozen, attr), med(interpreted, attr)
        print(f"{label:<28} {f:6.2f} s   {p:8.2f} s   {f / p:10.2f}")
    size = folder_size(exe.parent)
    print(f"\nbuilt folder {exe.parent}: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="a township-scale database (default: generate one, ~1 min)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--typing", default="0,1.5",
                    help="seconds the simulated user types before pressing 登录, comma-separated (default 0,1.5)")
    ap.add_argument("--user", default="admin", help="login name (the demo's administrator by default)")
    ap.add_argument("--password", default="demo12345", help="its password (the demo's by default)")
    ap.add_argument("--frozen", nargs="?", type=Path, const=default_exe(), default=None, metavar="EXE",
                    help="compare the built app with python main.py (--self-test) instead")
    args = ap.parse_args()
    if args.frozen is not None:
        return frozen_versus_interpreted(args.frozen, args.runs)
    return cold_start(args)


if __name__ == "__main__":
    sys.exit(main())
