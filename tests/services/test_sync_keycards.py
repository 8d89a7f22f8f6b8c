"""Key cards: every field is checked before a device is trusted (its uid, code, township and keys decide whose
records its bundles may carry, and the uid once went into SQL), and two trusted devices never share a code.

Each card here is correctly self-signed (signature and fingerprint match its own key): what it says is the attack.
Through the command line: exit 3, the reason on stderr, ``trusted_device`` unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from main import EXIT_OK, EXIT_REJECTED
from models.base import new_uid
from services.core.clock import FixedClock
from services.core.db import Database
from services.sync import BundleRejected, apply_bundle, plan_export, write_bundle
from services.sync.crypto import DeviceKeys, b64, fingerprint, load_or_create_keys
from services.sync.trust import KEYCARD_FORMAT
from tests.cli_unlock import main_as_fixture_admin as main  # unlocks the fixture databases
from tests.services.sync_helpers import Pair, add_party, make_pair, resigned, signer_for

INJECTION = "x') OR ('1'='1"


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def _keys(folder: Path) -> DeviceKeys:
    uid = new_uid()
    keys, _new = load_or_create_keys(folder / f"{uid}.keys", uid)
    return keys


def card(path: Path, keys: DeviceKeys, **fields: Any) -> Path:
    """A key card signed with ``keys`` (so its signature checks out), its fields as given."""
    body: dict[str, Any] = {
        "format": KEYCARD_FORMAT, "device_uid": keys.device_uid, "code": "QX7P", "name": "邻镇主机", "kind": "office",
        "township_uid": new_uid(), "township_name": "邻镇", "sign_public_key": keys.sign_public,
        "box_public_key": keys.box_public, "fingerprint": keys.fingerprint}
    body.update(fields)
    payload = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body["signature"] = b64(keys.signature(payload))
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _trusted(db: Database) -> list[tuple[Any, ...]]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql("SELECT * FROM trusted_device ORDER BY id")]


def _trust(db: Database, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["keys", "trust", "--db", str(db.path), str(path)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


BAD_FIELDS: list[tuple[str, dict[str, Any], str]] = [
    ("device uid pasted into SQL", {"device_uid": INJECTION}, "不是 UUID"),
    ("device uid in capitals", {"device_uid": new_uid().upper()}, "不是 UUID"),
    ("device uid a number", {"device_uid": 42}, "应为文本"),
    ("code in lower case", {"code": "qx7p"}, "设备编码"),
    ("code too long", {"code": "QX7PQX7PQ"}, "设备编码"),
    ("code with a quote", {"code": "QX'--"}, "设备编码"),
    ("township uid not a UUID", {"township_uid": INJECTION}, "乡镇编号"),
    ("township name empty", {"township_name": ""}, "乡镇名称无效"),
    ("township name with a line break", {"township_name": "邻镇\n牛华镇"}, "乡镇名称无效"),
    ("township name too long", {"township_name": "镇" * 65}, "乡镇名称无效"),
    ("device name with a control character", {"name": "主机\x00"}, "设备名称无效"),
    ("unknown device kind", {"kind": "admin"}, "未知的设备类型"),
    ("box key not base64", {"box_public_key": "!" * 43 + "="}, "加密公钥无效"),
    ("box key of 31 bytes", {"box_public_key": b64(bytes(31))}, "加密公钥无效"),
]


@pytest.mark.parametrize("label, fields, words", BAD_FIELDS, ids=[b[0] for b in BAD_FIELDS])
def test_a_card_with_an_invalid_field_is_refused(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  label: str, fields: dict[str, Any], words: str) -> None:
    bad = card(tmp_path / "bad.card", _keys(tmp_path), **fields)
    before = _trusted(db)
    code, err = _trust(db, bad, capsys)
    assert code == EXIT_REJECTED and words in err, (label, err)
    assert _trusted(db) == before


def test_a_signing_key_of_the_wrong_length_or_a_wrong_fingerprint_is_refused(
        db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = _keys(tmp_path)
    before = _trusted(db)
    code, err = _trust(db, card(tmp_path / "a.card", keys, sign_public_key=b64(bytes(31))), capsys)
    assert code == EXIT_REJECTED and "签名公钥无效" in err
    other = _keys(tmp_path)
    code, err = _trust(db, card(tmp_path / "b.card", keys, fingerprint=fingerprint(other.sign_public)), capsys)
    assert code == EXIT_REJECTED and "指纹与密钥不符" in err
    assert _trusted(db) == before


def test_a_device_code_already_trusted_for_another_device_is_refused_naming_both(
        db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first_keys, second_keys = _keys(tmp_path), _keys(tmp_path)
    first = card(tmp_path / "first.card", first_keys, code="QX7P", township_name="邻镇")
    code, _err = _trust(db, first, capsys)
    assert code == EXIT_OK
    before = _trusted(db)
    second = card(tmp_path / "second.card", second_keys, code="QX7P", township_name="另一邻镇")
    code, err = _trust(db, second, capsys)
    assert code == EXIT_REJECTED
    assert "设备编码 QX7P" in err and first_keys.device_uid in err and second_keys.device_uid in err
    assert "“邻镇”" in err and "“另一邻镇”" in err
    assert _trusted(db) == before
    assert _trust(db, first, capsys)[0] == EXIT_OK  # the same device again: nothing new, nothing refused


def test_a_new_sender_whose_code_is_already_trusted_is_refused(pair: Pair, tmp_path: Path) -> None:
    """Trusting from a bundle (--trust-new) goes through the same checks as a key card: a stranger's genuinely
    signed bundle claiming the laptop's code is refused at the laptop (its own code) and at the office (a trusted
    device's code), and changes nothing."""
    from datetime import date

    from services.core.uow import UnitOfWork
    from services.reference.setup import initialise
    from tests.services.conftest import snapshot

    stranger = Database.open(tmp_path / "stranger.sqlite3")
    try:
        key = initialise(stranger, UnitOfWork(stranger, actor="s", clock=pair.clock), township="邻镇",
                         squad="邻镇综合行政执法中队", admin_password="secret-123",  # a fixture password (unlock.py)
                         catalogue_effective_from=date(2016, 1, 1)).data_key
        su = lambda: UnitOfWork(stranger, actor="s", clock=pair.clock, data_key=key)  # noqa: E731
        bundle = write_bundle(su(), plan_export(su(), None), tmp_path / "usb").path
    finally:
        stranger.dispose()
    same_code = resigned(bundle, tmp_path / "same.edsync", signer_for(tmp_path / "stranger.sqlite3"),
                         lambda m: m["source"].__setitem__("device_code", pair.laptop_code))
    laptop_before, office_before = snapshot(pair.laptop), snapshot(pair.office)
    with pytest.raises(BundleRejected) as exc:
        apply_bundle(pair.lu(), same_code, trust_new=True)
    assert f"设备编码 {pair.laptop_code} 与本机相同" in exc.value.message
    with pytest.raises(BundleRejected) as exc:
        apply_bundle(pair.ou(), same_code, trust_new=True)
    assert f"设备编码 {pair.laptop_code} 已属于已信任的设备 {pair.laptop_uid}" in exc.value.message
    assert snapshot(pair.laptop) == laptop_before and snapshot(pair.office) == office_before


def test_a_trusted_sender_presenting_another_code_is_refused(pair: Pair, tmp_path: Path) -> None:
    from tests.services.conftest import snapshot

    add_party(pair.lu(), "换了编码")
    bundle = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "usb").path
    assert pair.laptop.path is not None
    renamed = resigned(bundle, tmp_path / "renamed.edsync", signer_for(pair.laptop.path),
                       lambda m: m["source"].__setitem__("device_code", "ZZ99"))
    before = snapshot(pair.office)
    with pytest.raises(BundleRejected, match=f"设备编码 ZZ99.*{pair.laptop_code}"):
        apply_bundle(pair.ou(), renamed)
    assert snapshot(pair.office) == before


def test_sync_reference_to_a_name_that_is_sql_finds_no_device(pair: Pair, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ref"
    folder.mkdir()
    capsys.readouterr()
    code = main(["sync", "reference", "--db", str(pair.office.path), "--out", str(folder), "--to", INJECTION])
    assert code == EXIT_REJECTED and "找不到已信任的接收设备" in capsys.readouterr().err
    assert not list(folder.iterdir())
    assert main(["sync", "reference", "--db", str(pair.office.path), "--out", str(folder),
                 "--to", pair.laptop_uid]) == EXIT_OK
    assert len(list(folder.glob("*.edsync"))) == 1
