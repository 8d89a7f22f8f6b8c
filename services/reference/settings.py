"""Configurable values (thresholds, periods, number patterns; [L] = local) with their defaults: docs/legal-basis.md."""

from __future__ import annotations

import builtins
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.system import AppSetting
from services.core.errors import ValidationError
from services.reference.setting_specs import SPECS  # re-exported: the settings screen lists them


class Settings:
    """Read-through view of the settings in one session (defaults unless overridden in app_setting)."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(AppSetting.key, AppSetting.value)).all()
        self._values: dict[str, Any] = {k: json.loads(v) for k, v in rows}

    def raw(self, key: str) -> Any:
        if key not in SPECS:
            raise KeyError(key)
        return self._values.get(key, SPECS[key].default)

    def int(self, key: str) -> int:
        return int(self.raw(key))

    def decimal(self, key: str) -> Decimal:
        return Decimal(str(self.raw(key)))

    def bool(self, key: str) -> bool:
        return bool(self.raw(key))

    def str(self, key: str) -> str:
        return str(self.raw(key))

    def dict(self, key: builtins.str) -> builtins.dict[builtins.str, builtins.str]:  # the methods shadow the types
        value = self.raw(key)
        return dict(value)


def set_setting(session: Session, key: str, value: Any) -> None:
    """Store an override after checking it has the default's type (audited through the flush hook)."""
    value = checked_setting(key, value)
    row = session.get(AppSetting, key)
    encoded = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(AppSetting(key=key, value=encoded))
    else:
        row.value = encoded


def checked_setting(key: str, value: Any) -> Any:
    """``value`` as stored for setting ``key`` if it has the default's type, else :class:`ValidationError` (also
    for values arriving in reference bundles: services/sync/reference.py)."""
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError(f"没有名为“{key}”的设置项", field=key)
    default = spec.default
    try:
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise TypeError
        elif isinstance(default, int):
            value = int(value)
            if value < 0:
                raise ValueError
        elif isinstance(default, str) and key != "numbering.pattern" and _numeric(default):
            value = str(Decimal(str(value)))
            if not Decimal(value).is_finite() or Decimal(value) < 0:  # "Infinity", "NaN" parse as Decimals
                raise ValueError
        elif isinstance(default, dict) and not isinstance(value, dict):
            raise TypeError
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValidationError(f"“{spec.label}”的值“{value}”格式不正确", field=key) from exc
    if key == "numbering.pattern" and "{seq}" not in str(value):
        raise ValidationError("文书编号格式必须包含 {seq}（序号）", field=key)
    return value


def _numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
