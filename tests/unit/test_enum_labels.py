"""Enum labels (models.enums.label): every member its own label, even where two enums share a stored value."""

from __future__ import annotations

from enum import StrEnum

from models import enums
from models.enums import LABELS, CaseStatus, InspectionResult, MediationStatus, label


def test_members_of_equal_value_in_different_enums_keep_their_own_labels() -> None:
    # StrEnum members compare equal to their values: a dict keyed by the members lost one of each pair.
    assert CaseStatus.TERMINATED == MediationStatus.TERMINATED  # the trap
    assert label(CaseStatus.TERMINATED) == "已终止"
    assert label(MediationStatus.TERMINATED) == "终止调解"
    assert label(InspectionResult.TRANSFERRED) == "移送"
    assert label(CaseStatus.TRANSFERRED) == "已移送"


def test_the_table_names_each_member_once_and_every_status_has_a_label() -> None:
    keys = [(type(m), m.value) for m, _text in enums._LABEL_TABLE]
    assert len(keys) == len(set(keys)) == len(LABELS)
    labelled = (enums.Role, enums.CaseStatus, enums.MediationStatus, enums.InspectionResult, enums.DeadlineKind,
                enums.PartyKind, enums.CertStatus, enums.CoerciveStatus)
    for kind in labelled:
        for member in kind:
            assert label(member) != member.value, f"{kind.__name__}.{member.name} has no label"


def test_an_unlabelled_member_falls_back_to_its_value() -> None:
    class Other(StrEnum):
        X = "x"

    assert label(Other.X) == "x"


def test_a_stored_value_reads_as_its_label_or_stays_as_it_is() -> None:
    from models.enums import DeviceKind, label_of

    assert label_of(DeviceKind, "field") == "外勤笔记本"
    assert label_of(DeviceKind, "satellite") == "satellite"  # a kind this version does not know
