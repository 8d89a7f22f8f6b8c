"""``main.py --self-test``: the real run passes in a fresh process; a failing step is named and exits 1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import main
from services.core.errors import ValidationError
from services.maintenance import selftest
from services.maintenance.selftest import Scratch

ROOT = Path(__file__).resolve().parents[1]
_OK_LINE = re.compile(r"^\[ok\] (.+?) \d+\.\d\d s")


@pytest.mark.slow
@pytest.mark.gui
def test_self_test_passes_in_a_fresh_process_and_leaves_the_data_folder_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ENFORCEDESK_HOME": str(home),
           "TMPDIR": str(scratch_parent), "TEMP": str(scratch_parent), "TMP": str(scratch_parent)}
    run = subprocess.run([sys.executable, str(ROOT / "main.py"), "--self-test"], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=300)

    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    names = [step.name for step in selftest.default_steps()] + ["主窗口"]
    assert [m.group(1) for m in map(_OK_LINE.match, lines) if m] == names
    assert all(line.startswith("[ok] ") for line in lines[:-1])
    assert lines[-1].startswith(f"自检通过：{len(names)} 项")
    assert "[失败]" not in run.stdout
    assert list(home.iterdir()) == []  # the user's data folder was never written to
    assert list(scratch_parent.iterdir()) == []  # the scratch folder is gone


def _boom(_scratch: Scratch) -> None:
    raise RuntimeError("boom")


def _refused(_scratch: Scratch) -> None:
    raise ValidationError("文书缺少必要事项“当事人”")


@pytest.mark.parametrize(("fail", "reason"), [(_boom, "RuntimeError: boom"), (_refused, "文书缺少必要事项“当事人”")])
def test_a_failing_step_is_named_and_exits_1(fail: selftest.StepFn, reason: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(selftest, "step_document", fail)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(SystemExit) as exited:
        main.main(["--self-test"])

    assert exited.value.code == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"[失败] 出具文书（PDF）: {reason}"
    assert "[ok] 办理处罚案件至作出决定" in "\n".join(lines)  # the steps before it ran and passed
    assert not any("主窗口" in line or "同步包" in line for line in lines)  # nothing after it ran
    assert list(tmp_path.iterdir()) == []  # the scratch folder is removed after a failure too


def test_steps_report_their_detail_and_time() -> None:
    out: list[str] = []
    steps = [selftest.Step("甲", lambda _s: "细节"), selftest.Step("乙", lambda _s: None)]
    assert selftest.run_self_test(steps, out=out.append) == 0
    assert out[0].startswith("[ok] 甲 ") and out[0].endswith(" s（细节）")
    assert out[1].startswith("[ok] 乙 ") and out[1].endswith(" s")
    assert out[2].startswith("自检通过：2 项")


def test_a_check_that_does_not_hold_is_reported_in_chinese() -> None:
    out: list[str] = []

    def step(_scratch: Scratch) -> None:
        selftest.check(False, "PDF 中有字体未嵌入：Helvetica")

    assert selftest.run_self_test([selftest.Step("出具文书", step)], out=out.append) == 1
    assert out == ["[失败] 出具文书: PDF 中有字体未嵌入：Helvetica"]
