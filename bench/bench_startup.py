"""Start-up benchmark: the built app (dist/EnforceDesk) versus ``python main.py``, both running ``--self-test``.

Run from the repository root after ``pyinstaller --noconfirm build.spec``:

    python bench/bench_startup.py [--runs 5] [--exe dist/EnforceDesk/EnforceDesk]

Each run is a fresh process; frozen and interpreted runs alternate, so load on the machine hits both alike.
The self-test prints one line per step as it finishes (flushed), and this script timestamps each line as it
arrives. Two figures per run:

* **start to main window** = the time from launching the process until the first step, 载入程序模块 (which
  imports the modules a normal start imports: SQLAlchemy, the services, ReportLab, cryptography), has
  finished, plus the 主窗口 step's own time (import PySide6 and ui/, QApplication, bundled fonts, log in,
  build the MainWindow with every page, show it, preview the issued PDF with QtPdf). The steps in between
  create scratch data, which a real start does not do, so they are left out.
* **whole self-test**: launch to exit.

It prints the medians and the ratio frozen ÷ interpreted of each (below 1: the built app is faster), and the
size of the built folder.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_STEP, WINDOW_STEP = "载入程序模块", "主窗口"
_OK = re.compile(r"^\[ok\] (.+?) (\d+\.\d+) s")


@dataclass(frozen=True, slots=True)
class Run:
    start_to_window: float
    total: float


def default_exe() -> Path:
    return ROOT / "dist" / "EnforceDesk" / ("EnforceDesk.exe" if sys.platform == "win32" else "EnforceDesk")


def timed_self_test(command: list[str]) -> Run:
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
    return Run(first_done + window, total)


def folder_size(path: Path) -> int:
    """Bytes of every regular file under ``path`` (symbolic links not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--exe", type=Path, default=default_exe(), help="the built executable")
    args = ap.parse_args()
    if not args.exe.is_file():
        print(f"{args.exe} not found: build first with  pyinstaller --noconfirm build.spec", file=sys.stderr)
        return 2
    frozen_cmd = [str(args.exe), "--self-test"]
    interpreted_cmd = [sys.executable, str(ROOT / "main.py"), "--self-test"]
    timed_self_test(frozen_cmd)  # warm the OS file cache for both, as a user's second start would be
    timed_self_test(interpreted_cmd)
    frozen: list[Run] = []
    interpreted: list[Run] = []
    for i in range(args.runs):
        frozen.append(timed_self_test(frozen_cmd))
        interpreted.append(timed_self_test(interpreted_cmd))
        print(f"run {i + 1}: start to main window frozen {frozen[-1].start_to_window:.2f} s, "
              f"interpreted {interpreted[-1].start_to_window:.2f} s; whole self-test frozen {frozen[-1].total:.2f} s, "
              f"interpreted {interpreted[-1].total:.2f} s")

    def med(runs: list[Run], attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs)

    print(f"\nmedians of {args.runs} runs          frozen   interpreted   frozen ÷ interpreted")
    for label, attr in (("start to main window", "start_to_window"), ("whole self-test", "total")):
        f, p = med(frozen, attr), med(interpreted, attr)
        print(f"{label:<28} {f:6.2f} s   {p:8.2f} s   {f / p:10.2f}")
    size = folder_size(args.exe.parent)
    print(f"\nbuilt folder {args.exe.parent}: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
