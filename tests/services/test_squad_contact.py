"""The squad's office address and phone (设置 → 本镇信息): what the 事先告知书 prints as the place for a statement and
the number to call; and whom a new bundle is encrypted for by default. Both were found missing by the day-one
walkthrough of a township's first day."""

from __future__ import annotations

from datetime import datetime

import pytest

from models.enums import Role
from services.core.errors import PermissionDenied, ValidationError
from services.core.uow import UnitOfWork
from services.reference.org import ADDRESS_MAX, org_summary, set_squad_contact
from services.sync.trust import PeerInfo, default_recipient
from tests.services.conftest import World


def _as(world: World, role: Role) -> UnitOfWork:
    return UnitOfWork(world.db, actor=role.value, clock=world.clock, role=role)


def test_the_squad_leader_sets_the_office_and_phone_the_notices_print(world: World) -> None:
    org = set_squad_contact(_as(world, Role.SQUAD_LEADER), address="  石板镇人民路8号 ", phone="0833 3301234")
    [(_name, phone, address)] = org.squads
    assert (address, phone) == ("石板镇人民路8号", "0833-3301234")  # spaces tidied, the landline written as printed
    assert org_summary(world.uow()).squads == org.squads  # stored


@pytest.mark.parametrize(("address", "phone", "field", "said"), [
    ("", "0833-3301234", "address", "请填写中队办公地址"),
    ("路" * (ADDRESS_MAX + 1), "0833-3301234", "address", f"不能超过 {ADDRESS_MAX} 个字"),
    ("石板镇人民路8号", "5678", "phone", "电话号码格式不正确"),
    ("石板镇人民路8号", "", "phone", "电话号码不能为空"),
])
def test_a_bad_address_or_phone_is_refused_naming_the_field_and_nothing_changes(
        world: World, address: str, phone: str, field: str, said: str) -> None:
    before = org_summary(world.uow()).squads
    with pytest.raises(ValidationError) as err:
        set_squad_contact(world.uow(), address=address, phone=phone)
    assert err.value.field == field and said in err.value.message
    assert org_summary(world.uow()).squads == before


def test_an_officer_may_not_change_the_squads_contact(world: World) -> None:
    before = org_summary(world.uow()).squads
    with pytest.raises(PermissionDenied):
        set_squad_contact(_as(world, Role.OFFICER), address="石板镇人民路8号", phone="0833-3301234")
    assert org_summary(world.uow()).squads == before


def _peer(uid: str, kind: str) -> PeerInfo:
    return PeerInfo(0, uid, uid[:4].upper(), uid, kind, "", "", datetime(2026, 1, 1), "admin")


def test_a_bundle_goes_encrypted_to_the_device_this_one_reports_to() -> None:
    district, office, laptop = _peer("dist", "district"), _peer("offi", "office"), _peer("lapt", "field")
    assert default_recipient([laptop, district], "office") == "dist"
    assert default_recipient([district, office], "field") == "offi"
    assert default_recipient([laptop], "office") is None  # a laptop is not whom an office reports to
    newer = PeerInfo(0, "dis2", "DIS2", "dis2", "district", "", "", datetime(2026, 6, 1), "admin")
    assert default_recipient([district, newer], "office") == "dis2"  # two: the one trusted last
    assert default_recipient([], "office") is None
