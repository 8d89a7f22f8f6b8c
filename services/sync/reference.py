"""Reference data downward (district → township office → field laptop): ordered, numbered reference bundles.

A reference bundle carries the whole current reference set — powers catalogue with discretion tiers, dispute
categories, the recipient's own document-number blocks, the holiday calendar (complete years) and the [L]
settings — numbered 1, 2, 3 … per (publisher, recipient). The recipient applies them strictly in order (a gap is
refused) through the same merge as record bundles, so a catalogue row or number block with unexported local
changes is never overwritten (it goes to the conflict queue). The applied number is kept in LocalState and
stamped on new records that have a ``reference_version`` column (services/core/hooks.py) and in export manifests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.enums import DeviceKind
from models.org import Device
from models.sync import ImportedBundle
from models.workdays import DayKind
from services.core.audit import PendingEvent, append_events, digest
from services.core.errors import AppError, PermissionDenied
from services.core.integrity import refuse_damage, require_intact
from services.core.uow import UnitOfWork
from services.reference.numbering import assign_field_blocks, field_block_years
from services.reference.settings import SPECS, Settings, checked_setting
from services.sync.ceremony import Contents, begin, commit_and_publish, seal, sealed_member
from services.sync.container import BundleWriter
from services.sync.dialect import RawConnection, raw_for
from services.sync.errors import BundleRejected
from services.sync.export import (
    ExportPlan,
    ExportResult,
    bundle_file_name,
    check_file_name,
    export_table,
    publish_keys,
)
from services.sync.reader import VerifiedBundle
from services.sync.state import REFERENCE_KEY, db_time, reference_version
from services.sync.tables import DATE_RE, REFERENCE_TABLES, spec_for
from services.sync.trust import find_peer, township_of

_UPSERT = "INSERT INTO {} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value=excluded.value"
LOCAL_SETTINGS = tuple(k for k, spec in SPECS.items() if "[L]" in spec.basis)
BASELINE_PREFIX = "reference_setting:"  # local_state key: the value of a setting the last reference carried


def write_reference_bundle(uow: UnitOfWork, recipient: str, folder: Path, *,
                           file_name: str | None = None) -> ExportResult:
    """Publish the next reference version to ``recipient`` (an office or the district publishes) into ``folder``,
    named after sender, recipient and version unless ``file_name`` is given (``sync reference --out FILE``)."""
    file_name = bundle_file_name(file_name)
    check_file_name(folder, file_name)
    require_intact(uow.db, "下发参考数据")  # a damaged database never leaves the machine (docs/verify.md)
    publish_keys(uow)
    with refuse_damage("已拒绝下发参考数据"), uow:
        s = uow.session
        raw = raw_for(s.connection())  # sqlite3, or the PostgreSQL adapter (services/sync/dialect.py)
        device = s.scalar(select(Device).where(Device.uid == uow.db.device_uid))
        assert device is not None
        if device.kind is DeviceKind.FIELD:
            raise PermissionDenied("外勤设备不能发布参考数据：参考数据由区或乡镇办公室下发")
        peer = find_peer(s, recipient)
        if peer.kind is DeviceKind.FIELD and device.kind is DeviceKind.OFFICE \
                and peer.township_uid in ("", township_of(s).uid):
            # A field laptop numbers documents only from blocks its office assigns (docs/numbering.md): top
            # them up here, so that each reference bundle brings what the laptop needs until the next one.
            assign_field_blocks(s, township_of(s), Settings(s), device_uid=peer.uid,
                                years=field_block_years(uow.clock.today()))
            s.flush()
        out = begin(uow, "reference", peer)
        plan = ExportPlan(peer.uid, peer.code, peer.id, True, {}, 0, 0, True)

        def members(writer: BundleWriter) -> Contents:
            counts: dict[str, int] = {}
            for table in (*REFERENCE_TABLES, "number_block"):
                blocks = table == "number_block"  # the recipient's own, selected by a bound parameter
                n = export_table(raw, writer, out.key, spec_for(table), plan, out.sequence, db_time(out.created_at),
                                 set(), "t.device_uid = ?" if blocks else "", (peer.uid,) if blocks else ())
                if n:
                    counts[table] = n
            extras = {
                "calendar_day": [{"day": d, "kind": k, "name": nm, "source": src} for d, k, nm, src in raw.execute(
                    "SELECT day, kind, name, source FROM calendar_day ORDER BY day")],
                "calendar_year": [{"year": y, "source": src} for y, src in raw.execute(
                    "SELECT year, source FROM calendar_year ORDER BY year")],
                "app_setting": [{"key": k, "value": v} for k, v in raw.execute(
                    f"SELECT key, value FROM app_setting WHERE key IN ({','.join('?' * len(LOCAL_SETTINGS))})",  # noqa: S608 - placeholders only
                    LOCAL_SETTINGS)],
            }
            for name, rows in extras.items():
                counts[name] = len(rows)
                body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
                sealed_member(writer, out.key, f"reference/{name}.jsonl", [body], compress=False)
            # The reference version a bundle carries is its own number in the publisher's series.
            return Contents(counts, out.sequence)

        done = seal(uow, out, folder, members, file_name=file_name)
        commit_and_publish(uow, done)
    return ExportResult(done.path, out.uid, out.sequence, done.sha256, done.size, done.counts, 0, True, peer.code)


def check_order(session: Session, bundle: VerifiedBundle) -> None:
    """Reference versions apply one after the other; a gap or an older version is refused."""
    src = bundle.manifest["source"]["device_uid"]
    last = session.scalar(select(func.max(ImportedBundle.seq)).where(
        ImportedBundle.source_uid == src, ImportedBundle.kind == "reference")) or 0
    seq = bundle.manifest["sequence"]
    if seq <= last:
        raise BundleRejected(f"第{seq}版参考数据比本机已应用的第{last}版旧，不能导入")
    if seq > last + 1:
        raise BundleRejected(f"缺少第{last + 1}版参考数据包：参考数据须按顺序导入（此包为第{seq}版）")


@dataclass
class Extras:
    """What applying the non-record part of a reference bundle did."""

    warnings: list[str] = field(default_factory=list)
    kept: list[tuple[str, str, str]] = field(default_factory=list)  # (setting, local value, incoming value)
    recomputed: int = 0  # records whose deadlines the new settings or calendar moved (recomputed here)


def apply_extras(session: Session, raw: RawConnection, bundle: VerifiedBundle) -> Extras:
    """Calendar (whole years replaced), [L] settings, and the applied reference version; when the settings or the
    calendar changed, the stored deadlines they move are recomputed in the same transaction
    (services/procedures/recompute.py), as after a change made on the settings screen."""
    out = Extras()
    calendar_before = _calendar(raw)
    rows = {name: _rows(bundle, f"reference/{name}.jsonl") for name in ("calendar_day", "calendar_year",
                                                                        "app_setting")}
    _check_calendar(rows["calendar_day"], rows["calendar_year"])
    years = sorted({int(r["year"]) for r in rows["calendar_year"]})
    for y in years:
        raw.execute("DELETE FROM calendar_day WHERE day >= ? AND day <= ?", (f"{y}-01-01", f"{y}-12-31"))
    # Upserts rather than INSERT OR REPLACE: the same statement on SQLite and PostgreSQL (services/sync/dialect.py).
    raw.executemany("INSERT INTO calendar_day (day, kind, name, source) VALUES (?, ?, ?, ?) ON CONFLICT (day) "
                    "DO UPDATE SET kind=excluded.kind, name=excluded.name, source=excluded.source",
                    [(r["day"], r["kind"], r.get("name", ""), r.get("source", "district")) for r in
                     rows["calendar_day"] if int(str(r["day"])[:4]) in years])
    raw.executemany("INSERT INTO calendar_year (year, source) VALUES (?, ?) "
                    "ON CONFLICT (year) DO UPDATE SET source=excluded.source",
                    [(int(r["year"]), r.get("source", "district")) for r in rows["calendar_year"]])
    changed = _apply_settings(raw, rows["app_setting"], out)
    if changed or _calendar(raw) != calendar_before:
        from services.procedures.recompute import recompute_after_rule_change

        out.recomputed = recompute_after_rule_change(session)
    version = str(bundle.manifest["sequence"])
    raw.execute(_UPSERT.format("local_state"), (REFERENCE_KEY, version))
    info = session.info
    append_events(session.connection(), [PendingEvent("app_setting", f"reference:{version}", "sync.reference", "",
                                                       digest({"years": years, "settings": changed,
                                                               "kept": [k for k, _l, _i in out.kept]}))],
                  at=info["clock"].now(), actor=info.get("actor", "system"), device_uid=info.get("device_uid", ""))
    if changed:
        out.warnings.append("已按参考数据更新设置：" + "、".join(changed))
    if out.recomputed:
        out.warnings.append(f"已按新的设置和节假日安排重新计算 {out.recomputed} 件记录的期限")
    return out


def _calendar(raw: RawConnection) -> tuple[set[tuple[Any, ...]], set[Any]]:
    """The holiday calendar as stored: (day, kind) rows and official years (a few hundred rows)."""
    return ({(d, k) for d, k in raw.execute("SELECT day, kind FROM calendar_day")},
            {y for (y,) in raw.execute("SELECT year FROM calendar_year")})


CALENDAR_YEARS = range(1990, 2101)  # a holiday arrangement outside these years is no real one


def _check_calendar(days: list[dict[str, Any]], years: list[dict[str, Any]]) -> None:
    """Every calendar row as the publisher writes it, or the bundle is refused (a calendar half applied would move
    deadlines): days real dates in ASCII ``YYYY-MM-DD`` within :data:`CALENDAR_YEARS`, kinds of DayKind, names and
    sources short texts; years integers in that range."""
    kinds = {k.value for k in DayKind}
    for r in days:
        day = r.get("day")
        ok = (isinstance(day, str) and day.isascii() and DATE_RE.match(day) is not None
              and r.get("kind") in kinds and _short_text(r.get("name", "")) and _short_text(r.get("source", "")))
        if ok:
            try:
                ok = date.fromisoformat(str(day)).year in CALENDAR_YEARS
            except ValueError:
                ok = False
        if not ok:
            raise BundleRejected(f"参考数据中的节假日记录格式错误（{str(day)[:16]}），已拒绝")
    for r in years:
        if type(r.get("year")) is not int or r["year"] not in CALENDAR_YEARS or not _short_text(r.get("source", "")):
            raise BundleRejected(f"参考数据中的年份记录格式错误（{str(r.get('year'))[:16]}），已拒绝")


def _short_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 32 and "\x00" not in value


def _apply_settings(raw: RawConnection, incoming: list[dict[str, Any]], out: Extras) -> list[str]:
    """Take the publisher's [L] settings, except where this database changed one since the last reference.

    ``local_state`` keeps, per setting, the value the last reference bundle carried (the baseline). A local
    value equal to its baseline follows the publisher; one that differs was changed here (a township's own
    decision, e.g. statement days under a local template) and is kept, and the result says so (docs/sync-bundle.md
    §Design rules no. 3: pushed data never overwrites local edits). Without a baseline (no reference carried this setting
    yet), a value set here counts as a local change; provisioning a device seeds its baselines from the
    copied values (:func:`seed_setting_baselines`).
    """
    changed = []
    for r in incoming:
        key, value = r.get("key"), r.get("value")
        if key not in LOCAL_SETTINGS or not isinstance(value, str):
            out.warnings.append(f"参考数据中的设置 {str(key)[:64]} 不是本地设置项，已忽略")
            continue
        try:  # the value as the settings screen would accept it (services/reference/settings.py)
            checked_setting(key, json.loads(value))
        except (ValueError, RecursionError, AppError):
            out.warnings.append(f"参考数据中的设置“{SPECS[key].label}”（{key}）的值无效，已忽略")
            continue
        row = raw.execute("SELECT value FROM app_setting WHERE key=?", (key,)).fetchone()
        base = raw.execute("SELECT value FROM local_state WHERE key=?", (BASELINE_PREFIX + key,)).fetchone()
        local = None if row is None else str(row[0])
        raw.execute(_UPSERT.format("local_state"), (BASELINE_PREFIX + key, value))
        if local == value:
            continue
        if local is not None and (base is None or local != base[0]):
            out.kept.append((key, local, value))
            out.warnings.append(f"设置“{SPECS[key].label}”（{key}）本机已自行修改为 {_shown(local)}，保留本机值，"
                                f"未采用参考数据的 {_shown(value)}")
            continue
        raw.execute(_UPSERT.format("app_setting"), (key, value))
        changed.append(key)
    return changed


def seed_setting_baselines(conn: RawConnection) -> None:
    """A new device's [L] settings, copied from its source, count as received rather than changed here."""
    conn.execute("DELETE FROM local_state WHERE substr(key, 1, length(?)) = ?", (BASELINE_PREFIX, BASELINE_PREFIX))
    conn.execute("INSERT INTO local_state (key, value) SELECT ? || key, value FROM app_setting "  # noqa: S608 - placeholders only
                 f"WHERE key IN ({','.join('?' * len(LOCAL_SETTINGS))})", (BASELINE_PREFIX, *LOCAL_SETTINGS))


def _shown(encoded: str) -> str:
    try:
        return str(json.loads(encoded))
    except ValueError:
        return encoded


def _rows(bundle: VerifiedBundle, name: str) -> list[dict[str, Any]]:
    if not bundle.has(name):
        return []
    out = []
    for rec in bundle.records(name):
        if not isinstance(rec, dict):
            raise BundleRejected(f"参考数据 {name} 含有无效行，已拒绝")
        out.append(rec)
    return out


__all__ = ["Extras", "apply_extras", "check_order", "reference_version", "seed_setting_baselines",
           "write_reference_bundle"]
