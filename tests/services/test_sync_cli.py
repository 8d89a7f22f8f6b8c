"""``main.py sync``: keys and trust between two initialised databases, export, import, receipt, status."""

from __future__ import annotations

from pathlib import Path

import pytest

from main import EXIT_OK, EXIT_REJECTED, main


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
    assert main(["sync", "trust", "--db", str(town), "--key-file", str(tmp_path / "district.card")]) == EXIT_OK
    code = capsys.readouterr().out.split("已信任设备 ")[1][:4]

    assert main(["sync", "export", "--db", str(town), "--to", str(tmp_path / "usb"), "--recipient", code]) == 0
    [bundle] = (tmp_path / "usb").glob("*.edsync")
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
    assert main(["sync", "conflicts", "--db", str(district), "--resolve", "x"]) == 2


def test_a_field_laptop_is_made_and_fed_from_the_command_line(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """sync provision → the laptop can number documents at once; sync reference → it takes the office's
    reference data (and number blocks); a second provision over the same file is refused, changing nothing."""
    office, laptop = tmp_path / "office.sqlite3", tmp_path / "usb" / "laptop.sqlite3"
    _init(office)
    capsys.readouterr()
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop)]) == EXIT_OK
    out = capsys.readouterr().out
    code = out.split("已制作新设备 ")[1][:4]
    assert laptop.is_file() and Path(f"{laptop}.keys").is_file() and "enforcedesk.sqlite3.keys" in out
    before = laptop.read_bytes()
    assert main(["sync", "provision", "--db", str(office), "--out", str(laptop)]) == EXIT_REJECTED
    assert "已存在" in capsys.readouterr().err and laptop.read_bytes() == before

    assert main(["sync", "reference", "--db", str(office), "--to", str(tmp_path / "usb"), "--recipient", code]) == 0
    out = capsys.readouterr().out
    assert "number_block" in out and "power_item" in out
    [ref] = (tmp_path / "usb").glob("enforcedesk-reference-*.edsync")
    assert main(["sync", "import", "--db", str(laptop), str(ref)]) == EXIT_OK
    assert main(["sync", "status", "--db", str(office)]) == EXIT_OK
    assert f"{code}（外勤笔记本" in capsys.readouterr().out
    assert main(["sync", "reference", "--db", str(office), "--to", str(tmp_path), "--recipient", "ZZZZ"]) != EXIT_OK
