"""Issue 17, keys and unlock: passwords and the recovery key keep the database's key slots in step (services/people/
accounts.py _store_password, services/people/recovery.py); a refusal leaves every slot as it was."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models.enums import Role
from models.org import UserAccount
from models.system import KeySlot
from services.core import keyring
from services.core.cipher import DataKey, Locked, WrongSecret
from services.core.errors import PermissionDenied, ValidationError
from services.core.keyring import NoKeySlot
from services.core.uow import UnitOfWork
from services.people import accounts as A  # noqa: N812
from services.people import recovery as R  # noqa: N812
from tests.services.conftest import World


def _slots(world: World) -> list[tuple[Any, ...]]:
    with world.uow() as u:
        return [tuple(r) for r in u.session.execute(select(KeySlot.label, KeySlot.blob).order_by(KeySlot.label))]


def _accounts(world: World) -> list[tuple[Any, ...]]:
    with world.uow() as u:
        return [tuple(r) for r in u.session.execute(select(UserAccount.username, UserAccount.password_hash,
                                                           UserAccount.failed_logins).order_by(UserAccount.id))]


def _sealed(key: DataKey) -> str:
    return key.seal("110105198005201118", table="party", column="id_number", uid="p-1")


def _opens(key: DataKey | None, sealed: str) -> bool:
    assert key is not None
    return key.open(sealed, table="party", column="id_number", uid="p-1") == "110105198005201118"


def test_setup_made_the_admin_and_recovery_slots(world: World) -> None:
    with world.uow() as u:
        assert keyring.slot_labels(u.session) == ["recovery", "user:admin"]
    signed = A.sign_in(world.uow(), "admin", "secret123")
    assert signed.data_key is not None and signed.data_key.raw == world.key.raw  # type: ignore[union-attr]
    assert "secret123" not in repr(signed) and signed.data_key.raw.hex() not in repr(signed)


def test_a_password_change_rewraps_the_slot(world: World) -> None:
    assert world.key is not None
    sealed = _sealed(world.key)
    A.open_account(world.as_user("admin", Role.SQUAD_LEADER), username="zhangsan", role=Role.OFFICER,
                   officer="张三", password="Zhang2026pw")
    before = dict(_slots(world))["user:zhangsan"]
    # The forced change at the first login: no key on the unit of work yet, the old password unlocks it.
    A.change_password(UnitOfWork(world.db, actor="zhangsan", clock=world.clock), "zhangsan",
                      old="Zhang2026pw", new="Mine2026pw")
    assert dict(_slots(world))["user:zhangsan"] != before
    with world.uow() as u, pytest.raises(WrongSecret):
        keyring.unlock_with_password(u.session, "zhangsan", "Zhang2026pw")
    assert _opens(A.sign_in(world.uow(), "zhangsan", "Mine2026pw").data_key, sealed)
    # Signed in: the key is on the unit of work.
    A.change_password(world.as_user("zhangsan", Role.OFFICER), "zhangsan", old="Mine2026pw", new="Third2026pw")
    assert _opens(A.sign_in(world.uow(), "zhangsan", "Third2026pw").data_key, sealed)


def test_the_squad_leader_resets_with_the_key_and_is_refused_without(world: World) -> None:
    assert world.key is not None
    sealed = _sealed(world.key)
    A.open_account(world.as_user("admin", Role.SQUAD_LEADER), username="lisi", role=Role.OFFICER, officer="李四",
                   password="Lisi2026pw")
    slots, accounts = _slots(world), _accounts(world)
    locked = UnitOfWork(world.db, actor="admin", clock=world.clock, role=Role.SQUAD_LEADER)  # no key
    with pytest.raises(Locked, match="数据已加密"):
        A.reset_password(locked, "lisi", password="Reset2026pw")
    with pytest.raises(Locked, match="数据已加密"):
        A.open_account(locked, username="wangwu", role=Role.OFFICER, officer="王五", password="Wang2026pw")
    assert (_slots(world), _accounts(world)) == (slots, accounts)
    A.reset_password(world.as_user("admin", Role.SQUAD_LEADER), "lisi", password="Reset2026pw")
    with pytest.raises(PermissionDenied):
        A.sign_in(world.uow(), "lisi", "Lisi2026pw")
    assert _opens(A.sign_in(world.uow(), "lisi", "Reset2026pw").data_key, sealed)


def test_wrong_password_and_wrong_recovery_key_change_no_slot(world: World) -> None:
    slots = _slots(world)
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        A.sign_in(world.uow(), "admin", "wrong-pass1")
    assert _accounts(world)[0][2] == 1  # counted towards the lock-out, as before
    with pytest.raises(WrongSecret, match="恢复密钥不正确"):
        R.unlock_with_recovery_key(world.uow(), "00000-00000-00000-00000-00000-0")
    with pytest.raises(ValidationError, match="校验位"):
        R.unlock_with_recovery_key(world.uow(), "00000-00000-00000-00000-00001-0")
    with pytest.raises(Locked, match="恢复密钥"):
        R.recover_account(UnitOfWork(world.db, actor="x"), "admin", "New2026pw")  # no recovery key given
    assert _slots(world) == slots


def test_every_password_lost_the_recovery_key_sets_a_new_one(tmp_path: Any) -> None:
    from services.core.db import Database
    from services.reference.setup import initialise

    db = Database.open(tmp_path / "lost.sqlite3")
    try:
        made = initialise(db, UnitOfWork(db, actor="setup"), township="石板镇", squad="石板镇中队",
                          admin_password="Forgotten2026")
        assert made.data_key is not None and len(made.recovery_key) == 31
        sealed = _sealed(made.data_key)
        for _ in range(A.MAX_FAILED):  # locked out as well
            with pytest.raises(PermissionDenied):
                A.sign_in(UnitOfWork(db, actor="t"), "admin", "Guess2026pw")
        typed = made.recovery_key.lower().replace("-", " ")  # as typed from the sheet
        key = R.unlock_with_recovery_key(UnitOfWork(db, actor="t"), typed)
        assert _opens(key, sealed)
        assert R.recoverable_accounts(UnitOfWork(db, actor="t")) == ["admin"]
        recovering = UnitOfWork(db, actor="recovery", data_key=key)
        with pytest.raises(ValidationError, match="至少需要8位"):
            R.recover_account(recovering, "admin", "short")
        signed = R.recover_account(UnitOfWork(db, actor="recovery", data_key=key), "admin", "Found2026pw")
        assert signed.user.username == "admin" and not signed.user.must_change_password
        again = A.sign_in(UnitOfWork(db, actor="t"), "admin", "Found2026pw")  # the lock-out was lifted too
        assert _opens(again.data_key, sealed)
        new = R.new_recovery_key(UnitOfWork(db, actor="admin", role=Role.SQUAD_LEADER, data_key=again.data_key)).recovery_key
        with pytest.raises(WrongSecret):
            R.unlock_with_recovery_key(UnitOfWork(db, actor="t"), made.recovery_key)  # the old sheet is void
        assert _opens(R.unlock_with_recovery_key(UnitOfWork(db, actor="t"), new), sealed)
    finally:
        db.dispose()


def test_an_account_without_a_slot_is_told_to_ask_for_a_reset(world: World) -> None:
    A.open_account(world.as_user("admin", Role.SQUAD_LEADER), username="zhaofs", role=Role.LEGAL_REVIEWER,
                   officer="赵法审", password="Zhao2026pw")
    with world.uow() as u:
        keyring.remove_user_slot(u.session, "zhaofs")  # as an account opened before the database was encrypted
        u.commit()
    accounts = _accounts(world)
    with pytest.raises(NoKeySlot, match="请管理员为您重置密码"):
        A.sign_in(world.uow(), "zhaofs", "Zhao2026pw")
    assert _accounts(world) == accounts  # nothing written on the refusal
    with pytest.raises(ValidationError, match="中队长或区级管理员"):
        R.recover_account(world.as_user("recovery"), "zhaofs", "Zhao2027pw")


def test_disabling_an_account_removes_its_slot(world: World) -> None:
    A.open_account(world.as_user("admin", Role.SQUAD_LEADER), username="wangwu", role=Role.OFFICER,
                   officer="王五", password="Wang2026pw")
    assert "user:wangwu" in dict(_slots(world))
    A.set_account_active(world.as_user("admin", Role.SQUAD_LEADER), "wangwu", False)
    assert "user:wangwu" not in dict(_slots(world))


def test_the_quick_login_unlocks_as_the_full_login_and_leaves_a_slotless_account_to_it(world: World) -> None:
    from services.core import quick_login

    assert world.db.path is not None and world.key is not None
    signed = quick_login.clean_login(world.db.path, "admin", "secret123")
    assert signed is not None and signed.data_key is not None and signed.data_key.raw == world.key.raw
    assert quick_login.clean_login(world.db.path, "admin", "wrong-pass1") is None
    with world.uow() as u:
        keyring.remove_user_slot(u.session, "admin")
        u.commit()
    assert quick_login.clean_account(world.db.path, "admin") is None  # the full login says what to do
