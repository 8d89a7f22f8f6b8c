"""``main.py sync``: keys and trust between two initialised databases, export, import, receipt, status — in the
canonical spellings (``--out`` where the file goes, ``--to`` the recipient); the short aliases (``export``,
``import``, ``keys export/trust``) and last release's spellings (``--to DIR --recipient DEVICE``, ``--key-file``)
do exactly what the canonical command does, the old ones with a one-line note naming the new spelling."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from services.core.db import copy_sqlite
from services.sync.peek import peek
from services.sync.trust import read_key_card
from tests.cli_unlock import main_with_password_beside_db as main  # unlocks with the DB.pw that _init writes


def _init(path: Path, *args: str) -> None:
    pw = path.with_suffix(".pw")
    pw.write_text("secret-123", encoding="utf-8")
    assert main(["init", "--db", str(path), "--township", "竹根镇", "--squad", "竹根镇综合行政执法中队",
                 "--admin-password-file", str(pw), *args]) == EXIT_OK


def test_sync_commands_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    town, district = tmp_path / "town.sqlite3", tmp_path / "district.sqlite3"
    _init(town)
    _init(district)
    assert main(["sync", "keys", "--db", str(town), "--out", str(tmp_path / "town.card")]) == EXIT_OK
    assert main(["sync", "keys", "--db", str(district), "--out", str(tmp_path / "district.card")]) == EXIT_OK
    assert "指纹" in capsys.readouterr().out
    assert main(["sync", "trust", "--db", str(town), str(tmp_path / "district.card")]) == EXIT_OK
    code = capsys.readouterr().out.split("已信任设备 ")[1][:4]

    usb = tmp_path / "usb"
    usb.mkdir()  # an existing folder: the bundle gets its generated name there
    assert main(["sync", "export", "--db", str(town), "--out", str(usb), "--to", code]) == EXIT_OK
    assert capsys.readouterr().err == ""  # encrypted: no warning, and no note for the canonical spelling
    [bundle] = usb.glob("enforcedesk-*.edsync")
    assert main(["sync", "import", "--db", str(district), str(bundle)]) == EXIT_REJECTED
    assert "尚未信任" in capsys.readouterr().err
    assert main(["sync", "import", "--db", str(district), str(bundle), "--trust-new", "--dry-run"]) == EXIT_OK
    assert main(["sync", "import", "--db", str(district), str(bundle), "--trust-new",
                 "--receipt-dir", str(tmp_path / "back")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "township" in out and "回执已写入" in out
    [receipt] = (tmp_path / "back").glob("*.edsync")
    assert main(["sync", "receipt", "--db", str(town), str(receipt)]) == EXIT_OK
    assert main(["sync", "status", "--db", str(town), "--json"]) == EXIT_OK
    assert '"unacknowledged": 0' in capsys.readouterr().out
    assert main(["sync", "conflicts", "--db", str(district)]) == EXIT_OK
    assert main(["sync", "conflicts", "--db", str(district), "--resolve", "x"]) == EXIT_USAGE

    # --out names a file: that name, never over an existing one; --to a key-card file that is not there.
    assert main(["sync", "export", "--db", str(town), "--out", str(usb / "mine.edsync"), "--full"]) == EXIT_OK
    assert "不加密" in capsys.readouterr().err and (usb / "mine.edsync").is_file()
    assert main(["sync", "export", "--db", str(town), "--out", str(usb / "mine.edsync"), "--full"]) == EXIT_REJECTED
    assert "已存在" in capsys.readouterr().err
    # a name without the suffix gets it: the district's folder import (and the window) take *.edsync only
    assert main(["sync", "export", "--db", str(town), "--out", str(usb / "第3批"), "--full"]) == EXIT_OK
    assert str(usb / "第3批.edsync") in capsys.readouterr().out
    assert (usb / "第3批.edsync").is_file() and not (usb / "第3批").exists()
    assert main(["sync", "export", "--db", str(town), "--out", str(usb), "--to", str(tmp_path / "no.card")]) \
        == EXIT_REJECTED
    assert capsys.readouterr().err == f"错误：找不到密钥卡文件：{tmp_path / 'no.card'}\n"
    assert main(["sync", "export", "--db", str(town), "--to", str(tmp_path / "district.card")]) == EXIT_USAGE
    assert "须给出 --out" in capsys.readouterr().err  # a key card is never taken for the old folder spelling


def test_a_field_laptop_is_made_and_fed_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """sync provision → the laptop can number documents at once; sync reference → it takes the office's
    reference data (and number blocks); a second provision over the same file is refused, changing nothing."""
    office, laptop = tmp_path / "office.sqlite3", tmp_path / "usb" / "laptop.sqlite3"
    _init(office)
    capsys.readouterr()
    # The laptop's password is its account's own (checked like a login): a made-up one is refused in one line,
    # nothing written.
    wrong = tmp_path / "laptop.pw"
    wrong.write_text("laptop-pass-1", encoding="utf-8")
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop), "--laptop-user", "admin",
                 "--laptop-password-file", str(wrong)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "“admin”的密码不正确" in err and err.count("\n") == 1 and not laptop.parent.exists()
    # --laptop-user without a file: its holder types the password (here piped in); a wrong one is refused too.
    monkeypatch.setattr("sys.stdin", io.StringIO("Wrong2026pw\n"))
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop), "--laptop-user", "admin"]) \
        == EXIT_REJECTED
    assert "密码不正确" in capsys.readouterr().err and not laptop.parent.exists()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop), "--laptop-user", "admin"]) \
        == EXIT_REJECTED
    assert capsys.readouterr().err == "错误：未输入密码\n" and not laptop.parent.exists()
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop)]) == EXIT_OK
    out = capsys.readouterr().out
    code = out.split("已制作新设备 ")[1][:4]
    assert laptop.is_file() and Path(f"{laptop}.keys").is_file() and "laptop.sqlite3.keys" in out
    assert "只能用账户“admin”" in out  # the unlocking account by default; no other office password opens it
    before = laptop.read_bytes()
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop)]) == EXIT_REJECTED
    assert "已存在" in capsys.readouterr().err and laptop.read_bytes() == before
    laptop.with_suffix(".pw").write_bytes(office.with_suffix(".pw").read_bytes())  # the office's accounts came along

    assert main(["sync", "reference", "--db", str(office), "--out", str(tmp_path / "usb"), "--to", code]) == 0
    out = capsys.readouterr().out
    assert "number_block" in out and "power_item" in out
    [ref] = (tmp_path / "usb").glob("enforcedesk-reference-*.edsync")
    assert main(["sync", "import", "--db", str(laptop), str(ref)]) == EXIT_OK
    assert main(["sync", "status", "--db", str(office)]) == EXIT_OK
    assert f"{code}（外勤笔记本" in capsys.readouterr().out
    assert main(["sync", "reference", "--db", str(office), "--out", str(tmp_path), "--to", "ZZZZ"]) == EXIT_REJECTED
    # A file name of one's own for the next version, as for a records bundle.
    named = tmp_path / "usb" / "下发.edsync"
    assert main(["sync", "reference", "--db", str(office), "--out", str(named), "--to", code]) == EXIT_OK
    assert peek(named).kind == "reference" and peek(named).sequence == 2
    assert main(["sync", "reference", "--db", str(office), "--out", str(tmp_path)]) == EXIT_USAGE
    assert "须给出接收设备 --to" in capsys.readouterr().err


# -- one surface: aliases and last release's spellings are the canonical command ---------------------------------


@dataclass(frozen=True)
class World:
    """A township that trusts the district, the district (trusting the township), and files to feed them."""

    town: Path
    district: Path
    district_card: Path
    district_code: str
    other_card: Path  # a third township's card, trusted by nobody yet
    bundle: Path  # the township's bundle for the district


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("surface")
    town, district, other = tmp / "town.sqlite3", tmp / "district.sqlite3", tmp / "other.sqlite3"
    _init(town)
    _init(district, "--district", "乐山市五通桥区")
    _init(other, "--township", "西坝镇")
    for db in (town, district, other):
        assert main(["sync", "keys", "--db", str(db), "--out", str(db.with_suffix(".card"))]) == EXIT_OK
    assert main(["sync", "trust", "--db", str(district), str(town.with_suffix(".card"))]) == EXIT_OK
    bundle = tmp / "for-district.edsync"
    assert main(["sync", "export", "--db", str(town), "--out", str(bundle),
                 "--to", str(district.with_suffix(".card"))]) == EXIT_OK  # the card is trusted on the way
    code = read_key_card(district.with_suffix(".card")).code
    return World(town, district, district.with_suffix(".card"), code, other.with_suffix(".card"), bundle)


Argv = Callable[[World, Path, Path], list[str]]  # (world, the twin database, its output folder) → argv
_SHA = re.compile(r"\b[0-9a-f]{64}\b")
_BYTES = re.compile(r"\d+ 字节")

# (what, canonical spelling, another spelling, the note the other spelling gives — None for an alias)
SPELLINGS: list[tuple[str, Argv, Argv, str | None]] = [
    ("export alias", lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out), "--to", w.district_code],
     lambda w, db, out: ["export", "--db", str(db), "--out", str(out), "--to", w.district_code], None),
    ("export --to DIR --recipient", lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out),
                                                         "--to", w.district_code],
     lambda w, db, out: ["sync", "export", "--db", str(db), "--to", str(out), "--recipient", w.district_code],
     "--out DIR --to DEVICE"),
    ("export --to DIR unencrypted", lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out), "--full"],
     lambda w, db, out: ["sync", "export", "--db", str(db), "--to", str(out), "--full"], "--out DIR"),
    ("export --recipient", lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out), "--to",
                                               w.district_code],
     lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out), "--recipient", w.district_code],
     "--to DEVICE"),
    ("export to a key card", lambda w, db, out: ["sync", "export", "--db", str(db), "--out", str(out / "b.edsync"),
                                                 "--to", str(w.district_card)],
     lambda w, db, out: ["export", "--db", str(db), "--out", str(out / "b.edsync"), "--to", str(w.district_card)],
     None),
    ("reference --to DIR --recipient", lambda w, db, out: ["sync", "reference", "--db", str(db), "--out", str(out),
                                                            "--to", w.district_code],
     lambda w, db, out: ["sync", "reference", "--db", str(db), "--to", str(out), "--recipient", w.district_code],
     "--out DIR --to DEVICE"),
    ("keys export", lambda w, db, out: ["sync", "keys", "--db", str(db), "--out", str(out / "me.card")],
     lambda w, db, out: ["keys", "export", "--db", str(db), "--out", str(out / "me.card")], None),
    ("keys trust", lambda w, db, out: ["sync", "trust", "--db", str(db), str(w.other_card)],
     lambda w, db, out: ["keys", "trust", "--db", str(db), str(w.other_card)], None),
    ("trust --key-file", lambda w, db, out: ["sync", "trust", "--db", str(db), str(w.other_card)],
     lambda w, db, out: ["sync", "trust", "--db", str(db), "--key-file", str(w.other_card)], "sync trust KEYCARD"),
    ("import alias", lambda w, db, out: ["sync", "import", "--db", str(db), str(w.bundle), "--receipt-dir", str(out)],
     lambda w, db, out: ["import", "--db", str(db), str(w.bundle), "--receipt-dir", str(out)], None),
]


def _run(capsys: pytest.CaptureFixture[str], world: World, make: Argv, twin: Path) -> tuple[int, str, str, str]:
    """Run one spelling on its own copy of the database: (exit code, stdout, stderr, sync status), paths masked."""
    out = twin.parent / "out"
    out.mkdir()
    capsys.readouterr()
    code = main(make(world, twin, out))
    printed = capsys.readouterr()
    assert main(["sync", "status", "--db", str(twin), "--json"]) in (EXIT_OK, 1)
    status = json.loads(capsys.readouterr().out)
    files = sorted(p.name for p in out.iterdir())

    def masked(text: str) -> str:
        return _BYTES.sub("N 字节", _SHA.sub("SHA", text.replace(str(twin.parent), "TWIN")))

    return code, masked(printed.out), printed.err, json.dumps([status, files], ensure_ascii=False)


@pytest.mark.parametrize(("what", "canonical", "other", "note"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_aliases_and_old_spellings_do_what_the_canonical_spelling_does(
        what: str, canonical: Argv, other: Argv, note: str | None, world: World, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = world.district if what.startswith("import") else world.town
    twins = []
    for name in ("canonical", "other"):
        (tmp_path / name).mkdir()
        twins.append(copy_sqlite(source, tmp_path / name / source.name, with_keys=True))
        twins[-1].with_suffix(".pw").write_bytes(source.with_suffix(".pw").read_bytes())
    code, out, err, state = _run(capsys, world, canonical, twins[0])
    other_code, other_out, other_err, other_state = _run(capsys, world, other, twins[1])

    assert code == EXIT_OK
    assert (other_code, other_out, other_state) == (code, out, state)
    if note is None:
        assert other_err == err
    else:
        lines = other_err.splitlines()
        first, rest = lines[0], "\n".join(lines[1:]) + ("\n" if lines[1:] else "")
        assert first.startswith("提示：") and f"请改用 {note}" in first  # one line, naming the new spelling
        assert rest == err
