"""Hostile and damaged bundles are refused with a Chinese reason and leave the database exactly as it was;
one bad record is quarantined while the rest applies; a lost encrypted bundle reveals no ID number."""

from __future__ import annotations

import json
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.sync import BundleRejected, UnknownDevice, apply_bundle, plan_export, write_bundle
from services.sync.container import Limits
from services.sync.crypto import key_file_path, load_or_create_keys
from services.sync.manifest import manifest_bytes
from services.sync.provision import provision_device
from tests.services.conftest import resident_id, snapshot
from tests.services.sync_helpers import Pair, add_party, laptop_account, make_pair, opened_row


@pytest.fixture
def pair(db: Database, clock: FixedClock, tmp_path: Path) -> Pair:
    p = make_pair(db, clock, tmp_path)
    yield p
    p.dispose()


def _bundle(p: Pair, out: Path, *, encrypted: bool = False) -> Path:
    add_party(p.lu(), "测试人")
    plan = plan_export(p.lu(), p.office_uid if encrypted else None)
    return write_bundle(p.lu(), plan, out).path


def _rewrite(src: Path, dst: Path, change: Callable[[dict[str, bytes]], list[tuple[str, bytes]]]) -> Path:
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names warn; that is the point of one test
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in change(members):
                z.writestr(name, data)
    return dst


def _resign(p: Pair, members: dict[str, bytes], edit: Callable[[dict[str, object]], None]) -> None:
    keys, _ = load_or_create_keys(key_file_path(p.laptop.path), p.laptop_uid, p.key)  # type: ignore[arg-type]
    manifest = json.loads(members["manifest.json"])
    edit(manifest)
    members["manifest.json"] = manifest_bytes(manifest)
    members["manifest.sig"] = keys.signature(members["manifest.json"])


def poisoned_parties(p: Pair, dst: Path, edit: Callable[[list[str]], list[str]]) -> Path:
    """A correctly signed bundle of the laptop's records whose ``records/party.jsonl`` lines went through ``edit``:
    the manifest (sizes, digests) and its signature match, so only the records themselves are wrong."""
    import hashlib

    src = write_bundle(p.lu(), plan_export(p.lu(), None), dst.parent / f"{dst.stem}-src").path

    def change(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
        body = ("\n".join(edit(members["records/party.jsonl"].decode().splitlines())) + "\n").encode()
        assert body != members["records/party.jsonl"]
        members["records/party.jsonl"] = body

        def fix(m: dict[str, object]) -> None:
            for e in m["members"]:  # type: ignore[attr-defined]
                if e["name"] == "records/party.jsonl":
                    e["sha256"], e["size"] = hashlib.sha256(body).hexdigest(), len(body)

        _resign(p, members, fix)
        return list(members.items())

    return _rewrite(src, dst, change)


def _flip(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    name = next(n for n in members if n.startswith("records/"))
    data = bytearray(members[name])
    data[len(data) // 2] ^= 0x01
    members[name] = bytes(data)
    return list(members.items())


def _bad_sig(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    members["manifest.sig"] = bytes(64)
    return list(members.items())


def _duplicate(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [*members.items(), ("manifest.json", members["manifest.json"])]


def _casefold_duplicate(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [*members.items(), ("MANIFEST.json", b"{}")]


def _escape(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [*members.items(), ("../evil.txt", b"owned")]


def _bomb(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [*members.items(), ("records/zz.jsonl", bytes(20 << 20))]


def _missing(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    return [(n, d) for n, d in members.items() if not n.startswith("records/party")]


def _bad_json(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
    members["manifest.json"] = b"{not json"
    return list(members.items())


@pytest.mark.parametrize("change, words", [
    (_flip, "校验失败"),
    (_bad_sig, "签名无效"),
    (_duplicate, "重复"),
    (_casefold_duplicate, "重复"),
    (_escape, "不安全的路径"),
    (_bomb, "压缩比异常"),
    (_missing, "缺少成员"),
    (_bad_json, "无效"),
])
def test_hostile_bundle_is_refused_and_nothing_changes(pair: Pair, tmp_path: Path,
                                                       change: Callable[[dict[str, bytes]], list[tuple[str, bytes]]],
                                                       words: str) -> None:
    bad = _rewrite(_bundle(pair, tmp_path / "out"), tmp_path / "bad.edsync", change)
    before = snapshot(pair.office)
    with pytest.raises(BundleRejected) as exc:
        apply_bundle(pair.ou(), bad)
    assert words in exc.value.message
    assert snapshot(pair.office) == before


def test_truncated_file_and_oversized_member_are_refused(pair: Pair, tmp_path: Path) -> None:
    good = _bundle(pair, tmp_path / "out")
    cut = tmp_path / "cut.edsync"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    before = snapshot(pair.office)
    with pytest.raises(BundleRejected, match="损坏|截断"):
        apply_bundle(pair.ou(), cut)
    with pytest.raises(BundleRejected, match="过大"):
        apply_bundle(pair.ou(), good, limits=Limits(max_member=16))
    assert snapshot(pair.office) == before


def test_schema_major_mismatch_is_refused(pair: Pair, tmp_path: Path) -> None:
    def newer(members: dict[str, bytes]) -> list[tuple[str, bytes]]:
        _resign(pair, members, lambda m: m.__setitem__("schema_major", 99))
        return list(members.items())

    bad = _rewrite(_bundle(pair, tmp_path / "out"), tmp_path / "bad.edsync", newer)
    before = snapshot(pair.office)
    with pytest.raises(BundleRejected, match="大版本"):
        apply_bundle(pair.ou(), bad)
    assert snapshot(pair.office) == before


def test_unknown_device_needs_explicit_trust(pair: Pair, tmp_path: Path) -> None:
    stranger = provision_device(pair.ou(), tmp_path / "stranger.sqlite3", **laptop_account(pair.office)).path
    sdb = Database.open(stranger)
    try:
        su = lambda: UnitOfWork(sdb, actor="s", clock=pair.clock, data_key=pair.key)  # noqa: E731
        add_party(su(), "陌生人")
        bundle = write_bundle(su(), plan_export(su(), None), tmp_path / "s").path
        before = snapshot(pair.laptop)
        with pytest.raises(UnknownDevice) as exc:
            apply_bundle(pair.lu(), bundle)
        assert exc.value.fingerprint and "指纹" in exc.value.message and exc.value.township == "竹根镇"
        assert snapshot(pair.laptop) == before
        report = apply_bundle(pair.lu(), bundle, trust_new=True, receipt_dir=tmp_path / "r")
        assert report.total("new") >= 1
    finally:
        sdb.dispose()


def test_bundle_for_another_device_is_refused(pair: Pair, tmp_path: Path) -> None:
    other = provision_device(pair.ou(), tmp_path / "other.sqlite3", **laptop_account(pair.office)).path
    odb = Database.open(other)
    try:
        bundle = _bundle(pair, tmp_path / "out", encrypted=True)  # addressed to the office
        with pytest.raises(BundleRejected, match="不是本机"):
            apply_bundle(UnitOfWork(odb, actor="o", clock=pair.clock, data_key=pair.key), bundle, trust_new=True)
    finally:
        odb.dispose()


def test_a_lost_encrypted_bundle_does_not_reveal_id_numbers(pair: Pair, tmp_path: Path) -> None:
    from datetime import date

    party = add_party(pair.lu(), "保密人", birth=date(1979, 9, 9), seq="777")
    number = resident_id(date(1979, 9, 9), "777")
    path = write_bundle(pair.lu(), plan_export(pair.lu(), pair.office_uid), tmp_path / "usb").path
    raw = path.read_bytes()
    assert number.encode() not in raw and "保密人".encode() not in raw
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            assert number.encode() not in z.read(name)
    apply_bundle(pair.ou(), path, receipt_dir=tmp_path / "r")
    assert opened_row(pair.office, "party", party, "id_number") == (number,)
