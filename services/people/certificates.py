"""An enforcement certificate's standing on a day: the one function every screen and command asks.

The 执法人员 list, the officer pickers of the forms, the 工作台's reminders and ``officers list`` all show what
:func:`certificate_status` says for today, so they cannot disagree. Nothing is stored: a certificate that was
有效 yesterday is 已过期 today without any write.

《中华人民共和国行政处罚法》第四十二条 requires officers holding a valid certificate; the reminder period is the
setting ``certificate.warn_days`` (docs/legal-basis.md).

This module imports neither SQLAlchemy nor Qt: the 工作台 is read with it before the ORM has loaded
(services/read/home.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from models.enums import CertState, CertStatus
from models.labels import label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

WARN_DAYS_DEFAULT = 30  # the default of the setting certificate.warn_days (services/reference/setting_specs.py)
# What a screen shows in red (the officer cannot take part in enforcement) and what in amber (soon he cannot).
ALERT_STATES = frozenset({CertState.EXPIRED, CertState.NOT_YET, CertState.SUSPENDED, CertState.REVOKED,
                          CertState.MISSING})
REMIND_STATES = frozenset({CertState.EXPIRING, CertState.EXPIRED})  # the 工作台 lists these


@dataclass(frozen=True, slots=True)
class CertificateStatus:
    """What a certificate is on a day, and how to show it.

    Attributes:
        state: the standing.
        text: the label (有效 / 30 天内到期 / 已过期 …).
        days_left: days until the last day (negative: since it passed); None without a last day.
    """

    state: CertState
    text: str
    days_left: int | None

    @property
    def alert(self) -> bool:
        """Shown in red: the officer may not take part in enforcement on this day."""
        return self.state in ALERT_STATES

    @property
    def warning(self) -> bool:
        """Shown in amber: still valid, but due for renewal."""
        return self.state is CertState.EXPIRING

    @property
    def usable(self) -> bool:
        return self.state in (CertState.VALID, CertState.EXPIRING)


def certificate_status(*, cert_number: str, valid_to: date | None, today: date, valid_from: date | None = None,
                       stored: CertStatus | str = CertStatus.VALID,
                       warn_days: int = WARN_DAYS_DEFAULT) -> CertificateStatus:
    """The certificate's standing on ``today``.

    Args:
        cert_number: 执法证号 (empty: no certificate recorded).
        valid_to: its last valid day (有效期至).
        today: the day asked about (the caller's clock).
        valid_from: the issue date, if recorded.
        stored: what the issuing authority decided (暂扣, 注销) as stored on the officer.
        warn_days: how many days before the last day it counts as due for renewal (certificate.warn_days).
    """
    days_left = (valid_to - today).days if valid_to is not None else None
    stored_status = CertStatus(stored)
    if stored_status is CertStatus.REVOKED:
        state = CertState.REVOKED
    elif stored_status is CertStatus.SUSPENDED:
        state = CertState.SUSPENDED
    elif not cert_number.strip() or valid_to is None or days_left is None:
        state = CertState.MISSING
    elif days_left < 0:
        state = CertState.EXPIRED
    elif valid_from is not None and valid_from > today:
        state = CertState.NOT_YET
    elif days_left <= warn_days:
        state = CertState.EXPIRING
    else:
        state = CertState.VALID
    text = f"{warn_days} 天内到期" if state is CertState.EXPIRING else label(state)
    return CertificateStatus(state, text, days_left)


class HoldsCertificate(Protocol):
    """What an officer record (models.org.Officer) has of a certificate."""

    @property
    def cert_number(self) -> str: ...

    @property
    def cert_valid_from(self) -> date | None: ...

    @property
    def cert_valid_to(self) -> date | None: ...

    @property
    def cert_status(self) -> CertStatus: ...


def status_of(officer: HoldsCertificate, today: date, warn_days: int) -> CertificateStatus:
    """:func:`certificate_status` of an officer record."""
    return certificate_status(cert_number=officer.cert_number, valid_to=officer.cert_valid_to, today=today,
                              valid_from=officer.cert_valid_from, stored=officer.cert_status, warn_days=warn_days)


def warn_days(session: Session) -> int:
    """The setting certificate.warn_days, for the callers that hold a session (lists, pickers, details)."""
    from services.reference.settings import Settings  # SQLAlchemy: not loaded with this module

    return Settings(session).int("certificate.warn_days")
