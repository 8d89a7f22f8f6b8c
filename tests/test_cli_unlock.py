"""Issue 17 on the command line: ``init`` shows the recovery key once and writes the 恢复密钥单; commands that need
personal data in the clear unlock with ``--user`` (password prompt, piped, or ``--password-file``) or
``--recovery-key-file`` (cli/database.py); a wrong or unusable secret is one line ``错误：…`` and exit 3, nothing
changed; commands that need no plaintext run without it; ``recovery-key --new`` voids the old key."""

from __future__ import annotations

import contextlib
import io
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from main import EXIT_OK, EXIT_REJECTED, main
from services.core.db import copy_sqlite

Capsys = pytest.CaptureFixture[str]
OFFICER = ["officers", "add", "--name", "张建国", "--cert", "51111220001", "--valid-until", "2028-12-31"]


def _state(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(str(path)) as conn:
        return [*conn.execute("SELECT label, blob FROM key_slot ORDER BY label"),
                *conn.execute("SELECT username, password_hash, failed_logins FROM user_account ORDER BY id"),
                *conn.execute("SELECT name FROM officer ORDER BY id")]


@pytest.fixture(scope="module")
def _town_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An office database set up once from the command line, its recovery key shown once and its 恢复密钥单
    printed: (database, recovery key). Each test works on its own copy (``town``)."""
    folder = tmp_path_factory.mktemp("cli_unlock")
    path, pw, sheet = folder / "town.sqlite3", folder / "admin.pw", folder / "恢复密钥单.pdf"
    pw.write_text("Admin2026pw\n", encoding="utf-8")
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        assert main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队",
                     "--admin-password-file", str(pw), "--recovery-sheet", str(sheet)]) == EXIT_OK
    out = shown.getvalue()
    [line] = [x for x in out.splitlines() if x.startswith("恢复密钥：")]
    recovery = line.removeprefix("恢复密钥：")
    assert "保险柜" in out and "只显示这一次" in out and sheet.name in out
    text = subprocess.run(["pdftotext", "-layout", str(sheet), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert recovery in text and "恢复密钥单" in text.replace(" ", "") and "竹根镇" in text
    assert "town.sqlite3" in text and str(folder) not in text  # the database's name, not the user's folders
    return path, recovery


@pytest.fixture
def town(_town_template: tuple[Path, str], tmp_path: Path) -> tuple[Path, Path, str]:
    """A private copy of that office database: (database, admin password file, recovery key)."""
    template, recovery = _town_template
    path, pw = copy_sqlite(template, tmp_path / "town.sqlite3", with_keys=True), tmp_path / "admin.pw"
    pw.write_text("Admin2026pw\n", encoding="utf-8")
    return path, pw, recovery


def _run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_commands_that_need_plaintext_unlock_and_others_do_not(town: tuple[Path, Path, str], tmp_path: Path,
                                                               capsys: Capsys) -> None:
    db, pw, recovery = town
    code, _, err = _run(capsys, OFFICER[0], OFFICER[1], "--db", str(db), *OFFICER[2:])
    assert code == EXIT_REJECTED and err.startswith("错误：数据库已加密") and err.count("\n") == 1
    assert _run(capsys, OFFICER[0], OFFICER[1], "--db", str(db), *OFFICER[2:], "--user", "admin",
                "--password-file", str(pw))[0] == EXIT_OK
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(f"  {recovery.lower()}\n", encoding="utf-8")  # as copied from the sheet
    assert _run(capsys, "users", "add", "--db", str(db), "--username", "zhangjg", "--officer", "张建国",
                "--role", "officer", "--recovery-key-file", str(key_file))[0] == EXIT_OK
    # verify, stats, officers list and backup read nothing sealed: no flags.
    assert _run(capsys, "verify", "--db", str(db), "--quick")[0] == EXIT_OK
    assert _run(capsys, "stats", "--db", str(db), "--year", "2026")[0] == EXIT_OK
    assert _run(capsys, "backup", "--db", str(db), "--dest", str(tmp_path / "bk"))[0] == EXIT_OK


def test_the_password_typed_at_the_prompt_or_piped(town: tuple[Path, Path, str], capsys: Capsys,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, _pw, _ = town
    monkeypatch.setattr("sys.stdin", io.StringIO("Admin2026pw\n"))
    assert _run(capsys, OFFICER[0], OFFICER[1], "--db", str(db), *OFFICER[2:], "--user", "admin")[0] == EXIT_OK
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = _run(capsys, "officers", "edit", "--db", str(db), "--officer", "张建国", "--phone",
                        "13800001111", "--user", "admin")
    assert (code, err) == (EXIT_REJECTED, "错误：未输入密码\n")


@pytest.mark.parametrize(("flags", "message"), [
    (["--user", "admin", "--password-file", "{wrong}"], "用户名或密码错误"),
    (["--user", "nobody", "--password-file", "{pw}"], "用户名或密码错误"),
    (["--recovery-key-file", "{wrong_key}"], "恢复密钥不正确"),
    (["--recovery-key-file", "{typo_key}"], "校验位"),
    (["--recovery-key-file", "{pw}"], "恢复密钥格式不对"),
    (["--recovery-key-file", "{missing}"], "不存在或不是普通文件"),
    (["--recovery-key-file", "{folder}"], "不存在或不是普通文件"),
    (["--user", "admin", "--password-file", "/dev/zero"], "不存在或不是普通文件"),
    (["--user", "admin", "--password-file", "{huge}"], "过大"),
    (["--user", "admin", "--password-file", "{empty}"], "是空的"),
    (["--user", "admin", "--password-file", "{binary}"], "无法读取密码文件"),
    (["--user", "admin", "--password-file", "bad\x00name"], "不存在或不是普通文件"),
    (["--password-file", "{pw}"], "须与 --user"),
    (["--user", "admin", "--password-file", "{pw}", "--recovery-key-file", "{pw}"], "只能给一种"),
])
def test_a_wrong_or_unusable_secret_is_one_line_and_changes_nothing(
        town: tuple[Path, Path, str], tmp_path: Path, capsys: Capsys, flags: list[str], message: str) -> None:
    db, pw, _ = town
    files = {"pw": pw, "wrong": tmp_path / "wrong.pw", "wrong_key": tmp_path / "wrong.key",
             "typo_key": tmp_path / "typo.key", "missing": tmp_path / "missing.pw", "folder": tmp_path,
             "huge": tmp_path / "huge.pw", "empty": tmp_path / "empty.pw", "binary": tmp_path / "binary.pw"}
    files["wrong"].write_text("Wrong2026pw", encoding="utf-8")
    files["wrong_key"].write_text("00000-00000-00000-00000-00000-0", encoding="utf-8")
    files["typo_key"].write_text("00000-00000-00000-00000-00001-0", encoding="utf-8")
    files["huge"].write_bytes(b"A" * 100_000)
    files["empty"].write_text("\n", encoding="utf-8")
    files["binary"].write_bytes(b"\xff\xfe\x00bad")
    before = _state(db)
    argv = [f.format(**{k: str(v) for k, v in files.items()}) if "{" in f else f for f in flags]
    code, out, err = _run(capsys, OFFICER[0], OFFICER[1], "--db", str(db), *OFFICER[2:], *argv)
    assert code == EXIT_REJECTED and out == "", err
    assert err.startswith("错误：") and err.count("\n") == 1 and message in err, err
    after = _state(db)
    if message == "用户名或密码错误" and "admin" in argv:
        # As in the window, a wrong password counts towards the lock-out; nothing else changes.
        assert [r for r in after if r[0] != "admin"] == [r for r in before if r[0] != "admin"]
        assert [r for r in after if r[0] == "admin"][0][2] == 1
    else:
        assert after == before


def test_a_new_recovery_key_voids_the_old_one(town: tuple[Path, Path, str], tmp_path: Path, capsys: Capsys) -> None:
    db, pw, old = town
    sheet = tmp_path / "new-sheet.pdf"
    code, out, _ = _run(capsys, "recovery-key", "--new", "--db", str(db), "--user", "admin", "--password-file",
                        str(pw), "--recovery-sheet", str(sheet))
    assert code == EXIT_OK and "旧的恢复密钥单随即作废" in out and sheet.is_file()
    new = next(x for x in out.splitlines() if x.startswith("恢复密钥：")).removeprefix("恢复密钥：")
    assert new != old
    old_file, new_file = tmp_path / "old.key", tmp_path / "new.key"
    old_file.write_text(old, encoding="utf-8")
    new_file.write_text(new, encoding="utf-8")
    assert "恢复密钥不正确" in _run(capsys, *OFFICER[:2], "--db", str(db), *OFFICER[2:], "--recovery-key-file",
                                    str(old_file))[2]
    assert _run(capsys, *OFFICER[:2], "--db", str(db), *OFFICER[2:], "--recovery-key-file", str(new_file))[0] \
        == EXIT_OK
    # A sheet that cannot be written is refused before a key is made (it is shown once).
    before = _state(db)
    code, out, err = _run(capsys, "recovery-key", "--new", "--db", str(db), "--user", "admin", "--password-file",
                          str(pw), "--recovery-sheet", str(tmp_path / "no" / "such" / "folder.pdf"))
    assert (code, out) == (EXIT_REJECTED, "") and "恢复密钥单不能写到" in err and _state(db) == before
