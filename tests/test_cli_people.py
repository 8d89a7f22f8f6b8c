"""``main.py officers / users / committees / mediators``: the spellings the README documents (and checks outside the
test suite use), their exit codes, and what they leave in the database; the people sync to the district, the
accounts do not."""

from __future__ import annotations

import contextlib
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_REJECTED, main
from services.core.db import Database, copy_sqlite
from services.core.uow import UnitOfWork
from services.people.accounts import change_password, login
from tests.cli_unlock import unlocked

Capsys = pytest.CaptureFixture[str]
_PW: list[Path] = []  # the administrator's password file of the database the test set up (unlocks it)


def _run(capsys: Capsys, *argv: str) -> tuple[int, str, str]:
    code = main(unlocked(argv, _PW[0])) if _PW else main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def _town_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An office database set up once from the command line (``init``); each test works on its own copy."""
    folder = tmp_path_factory.mktemp("cli_people")
    path, pw = folder / "town.sqlite3", folder / "admin.pw"
    pw.write_text("Admin2026pw\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队",
                     "--admin-password-file", str(pw)]) == EXIT_OK
    return path


@pytest.fixture
def town(_town_template: Path, tmp_path: Path) -> Iterator[Path]:
    path = copy_sqlite(_town_template, tmp_path / "town.sqlite3", with_keys=True)
    pw = tmp_path / "admin.pw"
    pw.write_text("Admin2026pw\n", encoding="utf-8")
    _PW[:] = [pw]
    yield path
    _PW.clear()


def test_the_documented_spellings(town: Path, tmp_path: Path, capsys: Capsys) -> None:
    db = str(town)
    code, out, err = _run(capsys, "officers", "add", "--db", db, "--name", "张建国", "--cert", "51111220001",
                          "--valid-until", "2028-12-31")
    assert (code, err) == (EXIT_OK, "") and "张建国" in out
    assert _run(capsys, "officers", "add", "--db", db, "--name", "李秀兰", "--cert", "51111220002",
                "--valid-until", "2029-06-30", "--sex", "女", "--cert-kind", "综合行政执法证", "--issued", "2023-07-01",
                "--domain", "占道", "--domain", "扬尘", "--phone", "13800001111")[0] == EXIT_OK
    code, out, _ = _run(capsys, "officers", "list", "--db", db, "--json")
    officers = {o["name"]: o for o in json.loads(out)}
    assert officers["张建国"]["valid_until"] == "2028-12-31" and officers["张建国"]["status_label"] in (
        "有效", "30 天内到期", "已过期")  # computed against the machine's today
    assert officers["李秀兰"]["domains"] == ["占道", "扬尘"] and officers["李秀兰"]["issued"] == "2023-07-01"
    assert officers["李秀兰"]["phone"] == "138****1111"  # masked like every list
    assert "张建国\t51111220001\t2028-12-31" in _run(capsys, "officers", "list", "--db", db)[1]

    pw = tmp_path / "zhang.pw"
    pw.write_text("Zhang2026pw\n", encoding="utf-8")
    code, out, _ = _run(capsys, "users", "add", "--db", db, "--username", "zhangjg", "--officer", "张建国",
                        "--role", "officer", "--password-file", str(pw))
    assert code == EXIT_OK and "首次登录时须修改密码" in out and "Zhang2026pw" not in out
    database = Database.open(town)
    try:
        user = login(UnitOfWork(database, actor="t"), "zhangjg", "Zhang2026pw")
        assert user.must_change_password and user.display_name == "张建国"
        change_password(UnitOfWork(database, actor="zhangjg"), "zhangjg", old="Zhang2026pw", new="Mine2026pw")
    finally:
        database.dispose()
    pw.write_text("Reset2026pw\n", encoding="utf-8")
    assert _run(capsys, "users", "passwd", "--db", db, "--username", "zhangjg", "--password-file", str(pw))[0] \
        == EXIT_OK
    code, out, _ = _run(capsys, "users", "passwd", "--db", db, "--username", "zhangjg")
    generated = out.split("初始密码：")[1][:12]
    assert code == EXIT_OK and "仅显示这一次" in out
    users = {u["username"]: u for u in json.loads(_run(capsys, "users", "list", "--db", db, "--json")[1])}
    assert users["zhangjg"]["must_change_password"] and users["zhangjg"]["officer"] == "张建国"
    assert _run(capsys, "users", "disable", "--db", db, "--username", "zhangjg")[0] == EXIT_OK
    assert "已停用" in _run(capsys, "users", "list", "--db", db)[1]
    assert _run(capsys, "users", "enable", "--db", db, "--username", "zhangjg")[0] == EXIT_OK
    # Disabling removed the account's key slot (docs/encryption.md): enabled again, it signs in after a reset.
    generated = _run(capsys, "users", "passwd", "--db", db, "--username", "zhangjg")[1].split("初始密码：")[1][:12]
    database = Database.open(town)
    try:
        assert login(UnitOfWork(database, actor="t"), "zhangjg", generated).username == "zhangjg"
    finally:
        database.dispose()

    assert _run(capsys, "committees", "add", "--db", db, "--name", "竹根镇新华村人民调解委员会")[0] == EXIT_OK
    assert _run(capsys, "committees", "add", "--db", db, "--name", "竹根镇调委会", "--kind", "乡镇",
                "--seal-name", "竹根镇人民调解委员会", "--term-start", "2025-01-01")[0] == EXIT_OK
    code, out, _ = _run(capsys, "mediators", "add", "--db", db, "--committee", "竹根镇新华村人民调解委员会",
                        "--name", "李秀英")
    assert code == EXIT_OK and "三至九人" in out  # the composition rules, as a reminder
    assert _run(capsys, "mediators", "add", "--db", db, "--committee", "竹根镇新华村人民调解委员会", "--name", "王德明",
                "--sex", "男", "--chair")[0] == EXIT_OK
    committees = {c["name"]: c for c in json.loads(_run(capsys, "committees", "list", "--db", db, "--json")[1])}
    assert [m["name"] for m in committees["竹根镇新华村人民调解委员会"]["mediators"]] == ["李秀英", "王德明"]
    assert committees["竹根镇调委会"]["seal_name"] == "竹根镇人民调解委员会"
    assert committees["竹根镇调委会"]["term_end"] == "2028-01-01"

    assert _run(capsys, "officers", "edit", "--db", db, "--officer", "张建国", "--valid-until", "2030-12-31")[0] \
        == EXIT_OK
    assert _run(capsys, "officers", "deactivate", "--db", db, "--officer", "51111220001")[0] == EXIT_OK
    assert "张建国" not in _run(capsys, "officers", "list", "--db", db)[1]
    listed = json.loads(_run(capsys, "officers", "list", "--db", db, "--json", "--all")[1])
    assert [(o["valid_until"], o["active"]) for o in listed if o["name"] == "张建国"] == [("2030-12-31", False)]
    assert not {u["username"]: u for u in json.loads(_run(capsys, "users", "list", "--db", db, "--json")[1])}[
        "zhangjg"]["active"]  # gone with the officer


@pytest.mark.parametrize(("argv", "message"), [
    (["officers", "add", "--name", "王", "--cert", "1", "--valid-until", "2028-13-01"], "--valid-until 应为日期"),
    (["officers", "add", "--name", "王", "--cert", "1", "--valid-until", "2028-12-01", "--sex", "M"], "性别"),
    (["officers", "add", "--name", "王", "--cert", "1 2", "--valid-until", "2028-12-01"], "执法证号"),
    (["officers", "add", "--name", "王", "--cert", "1", "--valid-until", "2028-12-01", "--domain", "火星"], "火星"),
    (["officers", "edit", "--officer", "无此人", "--phone", "13800001111"], "找不到执法人员"),
    (["users", "add", "--username", "w", "--officer", "无此人", "--role", "officer"], "找不到执法人员"),
    (["users", "add", "--username", "w", "--officer", "张建国", "--role", "boss"], "没有“boss”这个角色"),
    (["users", "add", "--username", "w", "--officer", "张建国", "--role", "officer", "--password-file", "/nonexistent"],
     "密码文件不存在"),
    (["users", "passwd", "--username", "nobody"], "找不到用户"),
    (["users", "unlock", "--username", "admin"], "没有被锁定"),
    (["users", "disable", "--username", "admin"], "最后一个"),
    (["committees", "add", "--name", "某委员会", "--kind", "公司"], "类别应为"),
    (["committees", "add", "--name", "某委员会", "--term-start", "明年"], "--term-start 应为日期"),
    (["mediators", "add", "--committee", "无此委员会", "--name", "李秀英"], "找不到调解委员会"),
])
def test_bad_input_is_one_chinese_line_and_exit_3(town: Path, capsys: Capsys, argv: list[str], message: str) -> None:
    assert _run(capsys, "officers", "add", "--db", str(town), "--name", "张建国", "--cert", "51111220001",
                "--valid-until", "2028-12-31")[0] == EXIT_OK
    capsys.readouterr()
    with sqlite3.connect(str(town)) as conn:
        before = conn.execute("SELECT count(*) FROM audit_event").fetchone()
    code, out, err = _run(capsys, argv[0], argv[1], "--db", str(town), *argv[2:])
    assert code == EXIT_REJECTED and out == ""
    assert err.startswith("错误：") and err.count("\n") == 1 and message in err, err
    with sqlite3.connect(str(town)) as conn:
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == before  # nothing written


def test_the_district_sees_a_townships_people_but_not_its_accounts(tmp_path: Path, capsys: Capsys) -> None:
    """Officers, committees and mediators are synced records; user accounts stay on their computer."""
    town, district = tmp_path / "town.sqlite3", tmp_path / "district.sqlite3"
    pw = tmp_path / "pw"
    pw.write_text("Secret2026\n", encoding="utf-8")
    assert main(["init", "--db", str(town), "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队",
                 "--admin-password-file", str(pw)]) == EXIT_OK
    assert main(["init", "--db", str(district), "--district", "乐山市五通桥区", "--admin-password-file", str(pw)]) \
        == EXIT_OK
    for argv in (["officers", "add", "--name", "张建国", "--cert", "51111220001", "--valid-until", "2028-12-31"],
                 ["users", "add", "--username", "zhangjg", "--officer", "张建国", "--role", "officer",
                  "--password-file", str(pw)],
                 ["committees", "add", "--name", "竹根镇新华村人民调解委员会", "--seal-name", "新华村调委会"],
                 ["mediators", "add", "--committee", "竹根镇新华村人民调解委员会", "--name", "李秀英", "--sex", "女"]):
        assert main(unlocked([argv[0], argv[1], "--db", str(town), *argv[2:]], pw)) == EXIT_OK
    card = tmp_path / "district.card"
    assert main(unlocked(["sync", "keys", "--db", str(district), "--out", str(card)], pw)) == EXIT_OK
    assert main(["sync", "trust", "--db", str(town), str(card)]) == EXIT_OK
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(unlocked(["sync", "export", "--db", str(town), "--out", str(usb), "--to", str(card)], pw)) == EXIT_OK
    [bundle] = usb.glob("*.edsync")
    assert main(unlocked(["sync", "import", "--db", str(district), str(bundle), "--trust-new"], pw)) == EXIT_OK
    capsys.readouterr()

    assert main(["officers", "list", "--db", str(district), "--json"]) == EXIT_OK
    [officer] = json.loads(capsys.readouterr().out)
    assert (officer["name"], officer["cert"], officer["valid_until"]) == ("张建国", "51111220001", "2028-12-31")
    assert main(["committees", "list", "--db", str(district), "--json"]) == EXIT_OK
    [committee] = json.loads(capsys.readouterr().out)
    assert committee["seal_name"] == "新华村调委会" and [m["name"] for m in committee["mediators"]] == ["李秀英"]
    assert main(["users", "list", "--db", str(district), "--json"]) == EXIT_OK
    assert [u["username"] for u in json.loads(capsys.readouterr().out)] == ["admin"]  # the district's own only
    with sqlite3.connect(str(town)) as conn:
        assert conn.execute("SELECT count(*) FROM user_account").fetchone() == (2,)
