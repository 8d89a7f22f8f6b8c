"""Enum labels (models.labels.label): every member its own label, even where two enums share a stored value."""

from __future__ import annotations

from enum import StrEnum

from models import enums, labels
from models.enums import CaseStatus, InspectionResult, MediationStatus
from models.labels import LABELS, label


def test_members_of_equal_value_in_different_enums_keep_their_own_labels() -> None:
    # StrEnum members compare equal to their values: a dict keyed by the members lost one of each pair.
    assert CaseStatus.TERMINATED == MediationStatus.TERMINATED  # the trap
    assert label(CaseStatus.TERMINATED) == "已终止"
    assert label(MediationStatus.TERMINATED) == "终止调解"
    assert label(InspectionResult.TRANSFERRED) == "移送"
    assert label(CaseStatus.TRANSFERRED) == "已移送"


def test_the_table_names_each_member_once_and_every_status_has_a_label() -> None:
    keys = [(type(m), m.value) for m, _text in labels._LABEL_TABLE]
    assert len(keys) == len(set(keys)) == len(LABELS)
    labelled = (enums.Role, enums.CaseStatus, enums.MediationStatus, enums.InspectionResult, enums.DeadlineKind,
                enums.PartyKind, enums.CertStatus, enums.CoerciveStatus, enums.CaseSource, enums.MediationPartyRole,
                enums.ProposedOutcome, enums.NoPenaltyGround, enums.ServiceMethod, enums.TransferKind,
                enums.RecordKind)
    for kind in labelled:
        for member in kind:
            assert label(member) != member.value, f"{kind.__name__}.{member.name} has no label"


def test_an_unlabelled_member_falls_back_to_its_value() -> None:
    class Other(StrEnum):
        X = "x"

    assert label(Other.X) == "x"


def test_a_stored_value_reads_as_its_label_or_stays_as_it_is() -> None:
    from models.enums import DeviceKind
    from models.labels import label_of

    assert label_of(DeviceKind, "field") == "外勤笔记本"
    assert label_of(DeviceKind, "satellite") == "satellite"  # a kind this version does not know


def test_every_synced_table_is_a_record_kind_with_a_label() -> None:
    # A new synced table must be named once here, or a sync preview and a district drill-down would show its
    # English table name.
    from models.enums import RecordKind
    from models.labels import record_label
    from services.sync.tables import table_names

    kinds = {k.value for k in RecordKind}
    missing = [t for t in table_names() if t not in kinds]
    assert not missing, f"synced tables without a RecordKind: {missing}"
    for t in table_names():
        assert record_label(t) != t
