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
