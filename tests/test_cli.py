"""The command line, run in-process: init, stats, verify, exit codes and messages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import main
from services.core.app_info import VERSION
from services.statistics.yearly import INDICATOR_KEYS


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "cli.sqlite3"
    assert main.main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队"]) == 0
    return path


def test_init_prints_password_and_refuses_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sqlite3"
    assert main.main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇中队"]) == 0
    out = capsys.readouterr().out
    assert "初始密码" in out and "竹根镇" in out
    assert main.main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇中队"]) == 3
    captured = capsys.readouterr()
    assert "已经初始化" in captured.err


def test_init_with_password_file_does_not_print_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text("S3cret-pass\n", encoding="utf-8")
    assert main.main(["init", "--db", str(tmp_path / "y.sqlite3"), "--township", "竹根镇", "--squad", "中队",
                      "--admin-password-file", str(pw)]) == 0
    out = capsys.readouterr().out
    assert "初始密码" not in out and "S3cret-pass" not in out


def test_stats_json_has_every_indicator(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main.main(["stats", "--db", str(initialised), "--year", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(INDICATOR_KEYS) <= set(data)
    assert data["year"] == 2026
    assert data["fines_yuan"] == "0.00"


def test_stats_plain_text(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main.main(["stats", "--db", str(initialised), "--year", "2026"]) == 0
    out = capsys.readouterr().out
    for key in INDICATOR_KEYS:
        assert f"{key}: " in out


def test_stats_on_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.sqlite3"
    assert main.main(["stats", "--db", str(missing), "--year", "2026"]) == 3
    assert "数据库文件不存在" in capsys.readouterr().err
    assert not missing.exists()


def test_stats_year_out_of_range(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["stats", "--db", str(initialised), "--year", "1999"]) == 3
    assert "2000" in capsys.readouterr().err


def test_stats_bad_year_is_a_usage_error(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(["stats", "--db", str(initialised), "--year", "abc"])
    assert info.value.code == 2
    capsys.readouterr()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main.main(["--version"])
    assert info.value.code == 0
    assert VERSION in capsys.readouterr().out


def test_verify_then_tamper(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "v.sqlite3"
    assert main.main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "中队"]) == 0
    capsys.readouterr()
    assert main.main(["verify", "--db", str(path)]) == 0
    assert "校验通过" in capsys.readouterr().out
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET actor='x' WHERE seq=3")
    finally:
        conn.close()
    assert main.main(["verify", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert "第3条" in out and "audit_event_no_update" in out
    assert main.main(["verify", "--db", str(path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and any("第3条" in p["message"] for p in data["problems"])


def test_verify_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["verify", "--db", str(tmp_path / "none.sqlite3")]) == 3
    assert "数据库文件不存在" in capsys.readouterr().err


def test_demo_then_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main.main(["demo", "--db", str(path), "--scale", "small"]) == 0
    assert main.main(["verify", "--db", str(path)]) == 0
    capsys.readouterr()
