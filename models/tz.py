"""The one time zone of EnforceDesk (Asia/Shanghai), importable without SQLAlchemy (start-up code uses it)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
