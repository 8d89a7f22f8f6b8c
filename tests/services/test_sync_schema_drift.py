"""A record version re-sent by a device on another schema is "unchanged" when the columns both sides have match.

Simulated schema change in both directions, on SQLite and PostgreSQL (the ``pair`` fixture of test_sync_pg.py):
the sender has a column the receiver does not know (a newer program), or lacks one the receiver has (an older
program). Either way the same version of the record is not a conflict; a real difference in a shared column still
is (services/sync/merge.py ``same_shared_columns``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from services.sync import apply_bundle, list_conflicts
from tests.services.sync_helpers import add_party, row
from tests.services.test_sync_hostile import poisoned_parties
from tests.services.test_sync_pg import Receiver, _send
from tests.services.test_sync_pg import pair as pair  # noqa: PLC0414 - the SQLite/PostgreSQL fixture

Edit = Callable[[dict[str, object]], None]


def _lines(edit: Edit) -> Callable[[list[str]], list[str]]:
    def change(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            rec = json.loads(line)
            edit(rec)
            out.append(json.dumps(rec, ensure_ascii=False))
        return out

    return change


def _resend(pair: Receiver, tmp_path: Path, name: str, edit: Edit) -> tuple[str, object]:
    """The laptop's party, already at the office, sent again (same version) through ``edit``."""
    pair.to_backend()
    party = add_party(pair.lu(), "林外勤")
    first = apply_bundle(pair.ou(), _send(pair, tmp_path / "first"), receipt_dir=tmp_path / "back")
    assert first.total("conflicts") == 0
    again = poisoned_parties(pair, tmp_path / f"{name}.edsync", _lines(edit))
    return party, apply_bundle(pair.ou(), again, receipt_dir=tmp_path / "back")


def _party_counts(report: object) -> tuple[int, int, int]:
    [t] = [t for t in report.tables if t.table == "party"]  # type: ignore[attr-defined]
    return t.unchanged, t.conflicts, t.updated


def test_a_sender_with_an_extra_column_re_sends_an_unchanged_record(pair: Receiver, tmp_path: Path) -> None:
    party, report = _resend(pair, tmp_path, "newer", lambda r: r.update(nickname="阿林", risk_grade=3))
    unchanged, conflicts, updated = _party_counts(report)
    assert conflicts == 0 and updated == 0 and unchanged >= 1
    assert report.total("conflicts") == 0 and report.total("quarantined") == 0  # type: ignore[attr-defined]
    assert list_conflicts(pair.ou()) == []
    assert row(pair.office, "party", party, "name, version") == ("林外勤", 1)


def test_a_sender_lacking_a_column_re_sends_an_unchanged_record(pair: Receiver, tmp_path: Path) -> None:
    def older(rec: dict[str, object]) -> None:
        rec.pop("operator_id_number")
        rec.pop("legal_rep_title")

    party, report = _resend(pair, tmp_path, "older", older)
    unchanged, conflicts, updated = _party_counts(report)
    assert conflicts == 0 and updated == 0 and unchanged >= 1
    assert report.total("conflicts") == 0 and report.total("quarantined") == 0  # type: ignore[attr-defined]
    assert row(pair.office, "party", party, "name, operator_id_number") == ("林外勤", "")


@pytest.mark.parametrize("extra", [False, True], ids=["same-schema", "extra-column"])
def test_the_same_version_with_another_value_in_a_shared_column_is_still_a_conflict(
        pair: Receiver, tmp_path: Path, extra: bool) -> None:
    def edit(rec: dict[str, object]) -> None:
        if rec["name"] == "林外勤":
            rec["name"] = "林改名"
        if extra:
            rec["nickname"] = "阿林"

    party, report = _resend(pair, tmp_path, "changed", edit)
    assert _party_counts(report)[1] == 1
    assert row(pair.office, "party", party, "name") == ("林外勤",)
