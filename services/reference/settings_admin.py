"""The [L] settings as the settings screen lists and changes them."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.people.accounts import Permission, require
from services.procedures.recompute import recompute_after_rule_change
from services.reference.settings import SPECS, Settings, set_setting

# -- settings --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingRow:
    key: str
    label: str
    basis: str
    kind: str  # bool | int | decimal | text | mapping
    value: Any
    value_text: str
    default_text: str
    is_default: bool
    local: bool  # marked [L]: the province, district or township sets it
    recomputed: int = 0  # after a change: the records whose deadlines it recomputed


def _kind_of(default: Any, key: str) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, dict):
        return "mapping"
    if isinstance(default, str) and key != "numbering.pattern" and default:
        try:
            Decimal(default)
        except ArithmeticError:
            return "text"
        return "decimal"
    return "text"


# Mappings whose entries are lists of document types (a step of the case → the documents it requires), shown
# and typed as the documents' titles (services/procedures/guard_rails.py reads the type names).
DOCUMENT_LISTS = frozenset({"closing.required_documents"})


def format_setting(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        if key in DOCUMENT_LISTS:
            return "；".join(f"{mapping_label(key, k)}：{mapping_text(key, v)}" for k, v in value.items())
        return "；".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def mapping_text(key: str, entry: Any) -> str:
    """One entry's value as the settings screen shows and edits it: a list of document types as their titles."""
    if key in DOCUMENT_LISTS and isinstance(entry, list):
        from services.documents.registry import doc_types  # loads ReportLab: only when such a setting is shown

        titles = {t.name: t.title for t in doc_types()}
        return "、".join(titles.get(str(name), str(name)) for name in entry) or "（无）"
    return str(entry)


def _check_document_lists(key: str, value: dict[str, object]) -> dict[str, list[str]]:
    """Each step's documents, typed as titles (or type names) separated by 、 or commas, as type names; a step
    or a document this program does not know is refused with its name."""
    from models.penalty_flow import CaseAction
    from services.documents.registry import doc_types

    by_title: dict[str, list[str]] = {}
    for t in doc_types():  # in registration order; two types may share a title (送达回证)
        by_title.setdefault(t.title, []).append(t.name)
    names_known = {t.name for t in doc_types()}
    default = SPECS[key].default
    steps = {a.value for a in CaseAction}
    out: dict[str, list[str]] = {}
    for step, entry in value.items():
        if str(step) not in steps:
            raise ValidationError(f"没有名为“{str(step)[:40]}”的办案环节", field="value")
        items = entry if isinstance(entry, list) else re.split(r"[、，,；;\s]+", str(entry))
        names: list[str] = []
        for item in (str(i).strip() for i in items):
            if not item or item == "（无）":
                continue
            if item in names_known:
                names.append(item)
                continue
            if item not in by_title:
                raise ValidationError(f"“{mapping_label(key, str(step))}”：没有名为“{item[:40]}”的文书（请写文书名称，"
                                      "如“行政处罚决定书”，多份用、分隔）", field="value")
            # A shared title is the type this step asks for by default (serve → service_receipt), else the first.
            candidates = by_title[item]
            names.append(next((n for n in candidates if n in default.get(str(step), ())), candidates[0]))
        out[str(step)] = names
    return out


def _row(settings: Settings, key: str) -> SettingRow:
    spec = SPECS[key]
    value = settings.raw(key)
    return SettingRow(key, spec.label, _basis_for_users(spec.basis), _kind_of(spec.default, key), value,
                      format_setting(value, key), format_setting(spec.default, key), value == spec.default,
                      "[L]" in spec.basis)


def _basis_for_users(basis: str) -> str:
    """The basis as an officer reads it: legal sources, not the developers' reference notes."""
    text = basis.replace("docs/numbering.md", "多设备离线编号规则")
    return text.replace(" [L]", "（地方可调整）").replace("[L]", "地方规定")


def settings_rows(uow: UnitOfWork, *, local_only: bool = False) -> list[SettingRow]:
    """Every setting with its current value (the [L] ones only when ``local_only``), in declaration order."""
    with uow:
        settings = Settings(uow.session)
        rows = [_row(settings, key) for key in SPECS]
        return [r for r in rows if r.local] if local_only else rows


# numbering.codes entries that number a record rather than a document type (a document type's entry is named by
# the type's own title, services/documents/registry.py, so the two cannot drift apart).
_RECORD_NUMBER_LABELS: dict[str, str] = {
    "case_filing": "立案（案件编号）", "inspection": "现场检查记录", "mediation": "人民调解案件编号",
    "transfer": "案件移送书", "preservation": "先行登记保存通知书", "correction": "更正通知书",
}


def numbering_code_label(code: str) -> str:
    """What a numbering.codes entry numbers: the title of the document type it numbers, else the record's."""
    from services.documents.registry import doc_types  # the registry loads ReportLab: only when a label is asked

    types = doc_types()
    for t in types:
        if t.number_code == code:
            return t.title
    for t in types:
        if t.name == code:
            return t.title
    return _RECORD_NUMBER_LABELS.get(code, code)


def mapping_label(key: str, code: str) -> str:
    """The Chinese name of one entry of a mapping setting (the code itself when unknown)."""
    if key in DOCUMENT_LISTS:
        from models.penalty_flow import ACTION_LABELS, CaseAction

        return ACTION_LABELS[CaseAction(code)] if code in {a.value for a in CaseAction} else code
    return numbering_code_label(code) if key == "numbering.codes" else code


def _check_mapping(value: dict[str, object]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in value.items():
        text = str(v).strip()
        if not text:
            raise ValidationError(f"“{numbering_code_label(str(k))}”的代字不能为空", field="value")
        if len(text) > 8:
            raise ValidationError(f"“{numbering_code_label(str(k))}”的代字不超过8个字", field="value")
        out[str(k)] = text
    if not out:
        raise ValidationError("请至少填写一项代字", field="value")
    return out


def parse_mapping(text: str) -> dict[str, str]:
    """``代码=代字`` lines (or ``；``-separated pairs) into a dict; refuses malformed lines."""
    out: dict[str, str] = {}
    for raw in text.replace("；", "\n").replace(";", "\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValidationError(f"“{line}”格式不正确，每行应为“代码=代字”", field="value")
        out[key.strip()] = value.strip()
    if not out:
        raise ValidationError("请至少填写一项“代码=代字”", field="value")
    return out


def update_setting(uow: UnitOfWork, key: str, value: Any) -> SettingRow:
    """Change one setting (typed and checked by ``set_setting``); only roles with the SETTINGS permission.

    The stored deadlines it may move are recomputed in the same unit of work (services/procedures/recompute.py):
    if that fails, the setting is not changed either."""
    with uow:
        if uow.role is not None:
            require(uow.role, Permission.SETTINGS)
        spec = SPECS.get(key)
        if spec is None:
            raise ValidationError(f"没有名为“{key}”的设置项", field="key")
        if key in DOCUMENT_LISTS and isinstance(value, dict):
            value = _check_document_lists(key, value)
        elif isinstance(spec.default, dict) and isinstance(value, str):
            value = parse_mapping(value)
        if isinstance(spec.default, dict) and isinstance(value, dict) and key not in DOCUMENT_LISTS:
            value = _check_mapping(value)
        if isinstance(value, str):
            value = value.strip()
            if not value and not isinstance(spec.default, str):
                raise ValidationError(f"请填写“{spec.label}”", field="value")
            if value and _kind_of(spec.default, key) == "decimal":
                try:
                    value = format(Decimal(value), "f")
                except ArithmeticError as exc:
                    raise ValidationError(f"“{spec.label}”的值“{value}”格式不正确，应为数字", field="value") from exc
        with uow.action("setting.update"):
            try:
                set_setting(uow.session, key, value)
            except ValidationError as exc:
                raise ValidationError(exc.message, field="value") from exc
            uow.session.flush()
        try:
            recomputed = recompute_after_rule_change(uow.session)
        except ValidationError as exc:
            raise ValidationError(exc.message, field="value") from exc
        row = replace(_row(Settings(uow.session), key), recomputed=recomputed)
        uow.commit()
        return row
