"""Listings a command prints without unlocking an encrypted database (docs/encryption.md: commands that need no
plaintext run without the key) show the stored masked forms, never a mask of the ciphertext."""

from __future__ import annotations

from sqlalchemy import select

from models.org import Officer
from services.core.cipher import is_sealed
from services.core.uow import UnitOfWork
from services.people.registry import list_officers
from tests.services.conftest import World


def test_officers_list_without_the_key_shows_the_masked_phone(world: World) -> None:
    assert world.key is not None
    with world.uow() as u:
        officer = u.session.scalar(select(Officer).where(Officer.uid == world.officers[0]))
        assert officer is not None
        officer.phone = "13912345678"
        u.commit()
    locked = UnitOfWork(world.db, actor="cli", clock=world.clock, write=False)
    [row] = [r for r in list_officers(locked) if r.uid == world.officers[0]]
    assert is_sealed(row.data.phone)  # not opened without the key
    assert row.to_json()["phone"] == "139****5678"
    [opened] = [r for r in list_officers(world.uow()) if r.uid == world.officers[0]]
    assert opened.data.phone == "13912345678" and opened.to_json()["phone"] == "139****5678"
