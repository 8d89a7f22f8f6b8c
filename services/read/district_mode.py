"""Is this a district database? Asked by the main window at start-up to choose township or district screens.

Kept out of the ``services.district`` package on purpose: importing that package loads every district module
(about a quarter of a second), which a township office starting its window should not pay for.
"""

from __future__ import annotations

from sqlalchemy import select

from models.enums import DeviceKind
from models.org import Device
from services.core.uow import UnitOfWork


def is_district_database(uow: UnitOfWork) -> bool:
    """True when this database was set up as a district device (区级), False for a township office or laptop."""
    with uow:
        uid = uow.db.local("device_uid")
        if not uid:
            return False
        return uow.session.scalar(select(Device.kind).where(Device.uid == uid)) is DeviceKind.DISTRICT
