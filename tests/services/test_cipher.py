"""Encryption at rest, the primitives: sealed fields bound to their row, blind indexes, key slots and the recovery key."""

from __future__ import annotations

import base64

import pytest

from models.system import KeySlot
from services.core import cipher
from services.core.cipher import (
    FIELD_PREFIX,
    DataKey,
    SealBroken,
    WrongSecret,
    generate_recovery_key,
    is_sealed,
    normalize_recovery_key,
    unwrap_key,
    wrap_key,
)
from services.core.clock import FixedClock
from services.core.errors import AppError, ValidationError
from services.core.keyring import (
    NoKeySlot,
    create_data_key,
    is_encrypted,
    replace_recovery_key,
    set_user_slot,
    unlock_with_password,
    unlock_with_recovery,
)
from services.people import accounts
from services.people.accounts import hash_password, verify_password
from tests.services.conftest import World

ID = "510112199001011234"


def test_a_sealed_field_opens_only_in_its_own_row_and_column() -> None:
    key = DataKey.generate()
    token = key.seal(ID, table="party", column="id_number", uid="a")
    assert is_sealed(token) and ID not in token
    assert key.open(token, table="party", column="id_number", uid="a") == ID
    for table, column, uid in (("party", "id_number", "b"), ("party", "phone", "a"), ("officer", "id_number", "a")):
        with pytest.raises(SealBroken):
            key.open(token, table=table, column=column, uid=uid)
    with pytest.raises(SealBroken):
        DataKey.generate().open(token, table="party", column="id_number", uid="a")
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(SealBroken):
        key.open(flipped, table="party", column="id_number", uid="a")
    # the same value sealed twice differs (random nonce): equal ciphertexts would tell who shares an ID number
    assert key.seal(ID, table="party", column="id_number", uid="a") != token
    assert key.seal("", table="party", column="id_number", uid="a") == ""


def test_blind_index_is_keyed_and_normalised() -> None:
    key = DataKey.generate()
    assert key.blind_index("id", ID) == key.blind_index("id", "５１０１１２ 1990-0101-1234")
    assert key.blind_index("id", ID) != key.blind_index("phone", ID)
    assert key.blind_index("id", ID) != DataKey.generate().blind_index("id", ID)
    assert key.blind_index("id", "") == ""


def test_the_batch_forms_seal_and_index_as_the_single_value_forms_do() -> None:
    """DataKey.seal_many and blind_index_many (the sync import's batches) give what seal and blind_index give: each
    value opens with open() under its own uid only, in the same text form; the same digests."""
    key = DataKey.generate()
    # lengths 0..40 so the base64 text ends with each padding length and holds "-" and "_" somewhere
    values = ["", ID, "五通桥区竹根镇新华路 12 号", *("x" * n for n in range(41))]
    uids = [f"uid-{n}" for n in range(len(values))]
    sealed = key.seal_many(values, table="party", column="address", uids=uids)
    assert len(sealed) == len(values)
    for value, uid, token in zip(values, uids, sealed, strict=True):
        if not value:
            assert token == ""
            continue
        single = key.seal(value, table="party", column="address", uid=uid)
        assert is_sealed(token) and len(token) == len(single) and "=" not in token and "+" not in token
        assert "/" not in token
        assert key.open(token, table="party", column="address", uid=uid) == value
        with pytest.raises(SealBroken):
            key.open(token, table="party", column="address", uid=uid + "x")
        with pytest.raises(SealBroken):
            key.open(token, table="party", column="phone", uid=uid)
    assert any("-" in t or "_" in t for t in sealed)  # the URL-safe alphabet was exercised
    bodies = [t[len(FIELD_PREFIX):] for t in sealed if t]
    nonces = [base64.urlsafe_b64decode(b + "=" * (-len(b) % 4))[:12] for b in bodies]
    assert len(set(nonces)) == len(nonces)  # one random nonce per value, none shared within the batch
    indexed = ["", " - ", ID, "５１０１１２ 1990-0101-1234", "51011219900101123x", "13800138000"]
    assert key.blind_index_many("id_number", indexed) == [key.blind_index("id_number", v) for v in indexed]
    assert key.blind_index_many("id_number", indexed)[:2] == ["", ""]


def test_sealed_files_are_bound_to_their_name() -> None:
    key = DataKey.generate()
    blob = key.seal_bytes(b"photo bytes", name="abc")
    assert b"photo bytes" not in blob
    assert key.open_bytes(blob, name="abc") == b"photo bytes"
    with pytest.raises(SealBroken):
        key.open_bytes(blob, name="abd")
    with pytest.raises(SealBroken):
        key.open_bytes(b"photo bytes", name="abc")
    assert key.file_name("d" * 64) != "d" * 64 and len(key.file_name("d" * 64)) == 64


def test_key_slots_open_with_their_secret_and_label_only() -> None:
    key = DataKey.generate()
    slot = wrap_key(key, "secret123", label="user:a")
    assert unwrap_key(slot, "secret123", label="user:a").raw == key.raw
    with pytest.raises(WrongSecret):
        unwrap_key(slot, "secret124", label="user:a")
    with pytest.raises(WrongSecret):
        unwrap_key(slot, "secret123", label="user:b")
    with pytest.raises(SealBroken):
        unwrap_key("edslot1$1$1$1$x$y", "secret123", label="user:a")
    assert "DataKey(…)" == repr(key)


@pytest.mark.production_kdf
def test_new_slots_and_password_hashes_use_the_product_cost_and_cheaper_stored_costs_still_open() -> None:
    """The product makes scrypt n=2**15, r=8 (32 MiB) for every new key slot and password hash; a slot or hash made at
    another cost (the tests' lower one, tests/conftest.py) opens with the cost it stores, never with the current one."""
    key = DataKey.generate()
    slot = wrap_key(key, "secret123", label="user:a")
    assert slot.split("$")[1:4] == ["32768", "8", "1"]
    assert hash_password("secret123").split("$")[1:4] == ["32768", "8", "1"]
    cheap_slot = slot_at_cost(key, "secret123", label="user:a", n=2**10)
    assert unwrap_key(cheap_slot, "secret123", label="user:a").raw == key.raw
    with pytest.raises(WrongSecret):
        unwrap_key(cheap_slot, "secret124", label="user:a")
    cheap_hash = password_hash_at_cost("secret123", n=2**10)
    assert verify_password("secret123", cheap_hash)
    assert not verify_password("secret124", cheap_hash)


def slot_at_cost(key: DataKey, secret: str, *, label: str, n: int) -> str:
    """A key slot as wrap_key makes it, at scrypt cost ``n`` (what an older or cheaper build would have stored)."""
    saved = cipher.SLOT_N
    cipher.SLOT_N = n
    try:
        return wrap_key(key, secret, label=label)
    finally:
        cipher.SLOT_N = saved


def password_hash_at_cost(password: str, *, n: int) -> str:
    saved = accounts._N  # the cost is module state on purpose (one place)
    accounts._N = n
    try:
        return hash_password(password)
    finally:
        accounts._N = saved


def test_recovery_key_format_and_typing_mistakes() -> None:
    rk = generate_recovery_key()
    groups = rk.split("-")
    assert [len(g) for g in groups] == [5, 5, 5, 5, 5, 1]
    assert normalize_recovery_key(rk.lower().replace("-", " ")) == "".join(groups[:5])
    wrong_symbol = ("1" if rk[0] != "1" else "2") + rk[1:]
    with pytest.raises(ValidationError, match="校验位"):
        normalize_recovery_key(wrong_symbol)
    with pytest.raises(ValidationError, match="26"):
        normalize_recovery_key(rk[:-3])


def test_keyring_create_unlock_rewrap_and_recover(plain_world: World, clock: FixedClock) -> None:
    uow = plain_world.uow  # a database made before encryption at rest: no data key yet
    with uow() as u:
        assert not is_encrypted(u.session)
        made = create_data_key(u.session, username="admin", password="Admin12345", now=clock.now())
        u.commit()
    with uow() as u:
        assert is_encrypted(u.session)
        with pytest.raises(AppError, match="已有数据密钥"):
            create_data_key(u.session, username="admin", password="x", now=clock.now())
        assert unlock_with_password(u.session, "admin", "Admin12345").raw == made.key.raw
        with pytest.raises(WrongSecret):
            unlock_with_password(u.session, "admin", "Admin12346")
        with pytest.raises(NoKeySlot):
            unlock_with_password(u.session, "officer", "Officer123")
        set_user_slot(u.session, made.key, username="officer", password="Officer123", now=clock.now())
        assert unlock_with_password(u.session, "officer", "Officer123").raw == made.key.raw
        assert unlock_with_recovery(u.session, made.recovery_key).raw == made.key.raw
        # a key from elsewhere cannot be given a slot here (it would seal new data under a key nobody else has)
        with pytest.raises(SealBroken):
            set_user_slot(u.session, DataKey.generate(), username="x", password="Other1234", now=clock.now())
        fresh = replace_recovery_key(u.session, made.key, now=clock.now())
        with pytest.raises(WrongSecret):
            unlock_with_recovery(u.session, made.recovery_key)
        assert unlock_with_recovery(u.session, fresh).raw == made.key.raw
        u.commit()
        assert u.session is not None and len(u.session.query(KeySlot).all()) == 3



