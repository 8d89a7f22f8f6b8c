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


@pytest.mark.parametrize("argv, words", [
    (["--township", "镇" * 31, "--squad", "中队"], "乡镇名称过长"),
    (["--township", "竹根\t镇", "--squad", "中队"], "不可见字符"),
    (["--district", "区" * 31], "过长"),
    (["--township", "竹根镇", "--squad", "中队", "--admin-password-file", "PW"], "密码"),
])
def test_a_refused_init_leaves_no_file_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                              words: str) -> None:
    """Bad input changes nothing: the database file the refused set-up had created goes again (before, an empty
    1 MB database stayed, which the next start took for a real one), and nothing beside it is left either."""
    weak = tmp_path / "weak.pw"
    weak.write_text("123\n", encoding="utf-8")
    folder = tmp_path / "new"
    folder.mkdir()
    path = folder / "t.sqlite3"
    assert main.main(["init", "--db", str(path), *[str(weak) if a == "PW" else a for a in argv]]) == 3
    assert words in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_a_refused_init_keeps_an_existing_database(initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = initialised.read_bytes()
    assert main.main(["init", "--db", str(initialised), "--township", "镇" * 31, "--squad", "中队"]) == 3
    capsys.readouterr()
    assert initialised.exists() and initialised.read_bytes() == before


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


@pytest.mark.slow  # the demo command generates the whole small demo
def test_demo_then_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main.main(["demo", "--db", str(path), "--scale", "small"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["login"] == {"username": "admin", "password": "demo12345"}
    assert "登录：用户名 admin，密码 demo12345" in out.err  # the demo says how to sign in to what it made
    assert main.main(["verify", "--db", str(path)]) == 0
    capsys.readouterr()


# -- one way to open a database: a missing file is one Chinese line and exit 3, whatever the command ----------

MISSING_DB_COMMANDS = [
    ["verify"], ["list", "cases"], ["stats", "--year", "2026"], ["stats", "--year", "2026", "--by-township"],
    ["backup"], ["docs", "verify", "x.pdf"], ["print", "--doc", "penalty_decision", "--record", "x", "--out", "x.pdf"],
    ["sync", "status"], ["sync", "keys"], ["sync", "export", "--out", "."], ["export", "--out", "."],
    ["sync", "conflicts"], ["report", "--year", "2026", "--out", "r.pdf"], ["supervise"],
    ["district", "grid", "--year", "2026"], ["review", "show"], ["officers", "list"],
    ["officers", "add", "--name", "张建国", "--cert", "1", "--valid-until", "2028-12-31"], ["users", "list"],
    ["users", "passwd", "--username", "admin"], ["committees", "list"], ["mediators", "add", "--committee", "x",
                                                                             "--name", "y"],
]
GROUPS = ("docs", "sync", "district", "review", "officers", "users", "committees", "mediators")


@pytest.mark.parametrize("command", MISSING_DB_COMMANDS, ids=[" ".join(c[:2]) for c in MISSING_DB_COMMANDS])
def test_a_missing_database_file_is_one_chinese_line_and_exit_3(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.sqlite3"
    argv = [command[0], *(command[1:2] if command[0] in GROUPS else []),
            "--db", str(missing), *command[2 if command[0] in GROUPS else 1:]]
    assert main.main(argv) == 3
    captured = capsys.readouterr()
    assert captured.err == f"错误：数据库文件不存在：{missing}\n"
    assert not missing.exists()  # nothing created on the way


def test_every_command_is_declared_once_with_a_handler() -> None:
    """The table is the only place a command is made: one parser per name, each leaf with its handler, and
    ``stats`` with its district options declared with it."""
    from cli.commands import COMMANDS, parser
    from cli.table import Command

    def leaves(commands: tuple[Command, ...], prefix: str = "") -> list[tuple[str, Command]]:
        out: list[tuple[str, Command]] = []
        for c in commands:
            out += leaves(c.sub, f"{prefix}{c.name} ") if c.sub else [(f"{prefix}{c.name}", c)]
        return out

    names = [name for name, _ in leaves(COMMANDS)]
    assert len(names) == len(set(names))
    assert all(c.handler is not None for _, c in leaves(COMMANDS))
    stats = parser().parse_args(["stats", "--db", "x", "--year", "2026", "--township", "竹根镇", "--month", "3"])
    assert (stats.township, stats.month, stats.by_township) == ("竹根镇", 3, False)


def test_a_postgresql_url_reaches_the_database_unfolded(capsys: pytest.CaptureFixture[str]) -> None:
    """``--db`` is text for every command, so ``postgresql://`` keeps its two slashes; an unreachable server is
    one line naming the host, not a driver traceback."""
    url = "postgresql://nobody@127.0.0.1:1/none"
    assert main.main(["verify", "--db", url]) == 3
    err = capsys.readouterr().err
    assert err.startswith("错误：无法连接数据库 127.0.0.1:1/none") and err.count("\n") == 1
