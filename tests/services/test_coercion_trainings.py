"""Seizure/impoundment guards, trainings in the statistics, and content-addressed evidence files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.enums import CoerciveKind, CoerciveStatus
from services.core.errors import AppError, TransitionRefused, ValidationError
from services.people.trainings import attendance, record_training
from services.procedures import cases, coercion
from services.procedures.attachments import attach_file, read_blob, stored_blob_path
from services.statistics.yearly import yearly_stats
from tests.services.conftest import World


def _open_case(world: World, code: str = "YY-002") -> str:
    c = cases.register_clue(world.uow(), cases.ClueInput(
        cause="露天烧烤", power_item_code=code, party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 21), registered_on=date(2026, 2, 21)))
    cases.file_case(world.uow(), c.uid, on=date(2026, 2, 23), officer_uids=world.officers[:2])
    return c.uid


def test_impose_then_extend_and_release(world: World) -> None:
    ref = _open_case(world)
    m = coercion.impose(world.uow(), ref, kind=CoerciveKind.IMPOUND, on=date(2026, 3, 2),
                        officer_uids=world.officers[:2], items=[coercion.SeizedItem("钢管", "40", "根")],
                        reason="占道堆放", place="桥沟街", head_approved=True)
    assert m.number.startswith("竹综执封扣字〔2026〕第") and m.ends_on == date(2026, 4, 1)
    m = coercion.extend(world.uow(), m.uid, on=date(2026, 3, 20), days=30, reason="案情复杂", head_approved=True)
    assert m.ends_on == date(2026, 5, 1)
    with pytest.raises(ValidationError):  # a second extension would exceed 30 days in total
        coercion.extend(world.uow(), m.uid, on=date(2026, 3, 21), days=1, reason="再延", head_approved=True)
    m = coercion.end(world.uow(), m.uid, on=date(2026, 3, 25), outcome=CoerciveStatus.RELEASED, reason="不再需要")
    assert m.status is CoerciveStatus.RELEASED


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"head_approved": False}, TransitionRefused, "负责人"),
        ({"items": [coercion.SeizedItem("棉被", daily_necessity=True)]}, TransitionRefused, "生活必需品"),
        ({"party_present": False}, TransitionRefused, "见证人"),
        ({"period_days": 31}, ValidationError, "30日"),
        ({"items": []}, ValidationError, "清单"),
    ],
)
def test_impose_refusals_change_nothing(world: World, kwargs: dict[str, object], error: type[AppError],
                                       text: str) -> None:
    ref = _open_case(world)
    before = world.snapshot()
    args: dict[str, object] = {"kind": CoerciveKind.SEAL, "on": date(2026, 3, 2), "officer_uids": world.officers[:2],
                               "items": [coercion.SeizedItem("烧烤炉")], "reason": "露天烧烤", "place": "新华村",
                               "head_approved": True}
    args.update(kwargs)
    with pytest.raises(error, match=text):
        coercion.impose(world.uow(), ref, **args)  # type: ignore[arg-type]
    assert world.snapshot() == before


def test_impose_refused_without_an_authorising_law(world: World) -> None:
    """SR-003 (城市市容和环境卫生管理条例第三十六条) sets no 查封/扣押: only a law creates one (行政强制法第十条)."""
    ref = _open_case(world, "SR-003")
    before = world.snapshot()
    with pytest.raises(TransitionRefused, match="没有设定查封、扣押") as info:
        coercion.impose(world.uow(), ref, kind=CoerciveKind.IMPOUND, on=date(2026, 3, 2),
                        officer_uids=world.officers[:2], items=[coercion.SeizedItem("钢管", "40", "根")],
                        reason="占道堆放", place="桥沟街", head_approved=True)
    assert "第十条" in str(info.value) + info.value.rule
    assert world.snapshot() == before


def test_trainings_counted_in_stats(world: World) -> None:
    uid = record_training(world.uow(), title="行政处罚法专题培训", held_on=date(2026, 2, 10),
                          officer_uids=[*world.officers, world.officers[0]])
    assert attendance(world.uow(), uid) == sorted(["张三", "李四", "王五"])
    s = yearly_stats(world.uow(), 2026)
    assert (s.trainings, s.training_attendance) == (1, 3)
    assert yearly_stats(world.uow(), 2025).trainings == 0


def test_evidence_stored_once(world: World, tmp_path: Path) -> None:
    store = tmp_path / "evidence"
    photo = tmp_path / "现场照片1.jpg"
    photo.write_bytes(b"\xff\xd8fake jpeg" * 100)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(photo.read_bytes())
    a = attach_file(world.uow(), store, record_table="penalty_case", record_uid="case-1", src=photo)
    b = attach_file(world.uow(), store, record_table="penalty_case", record_uid="case-2", src=copy)
    assert a.sha256 == b.sha256 and a.new_blob and not b.new_blob
    stored = stored_blob_path(store, a.sha256, world.key)  # sealed under a keyed name (docs/encryption-data.md)
    assert [p for p in store.rglob("*") if p.is_file()] == [stored]
    assert read_blob(store, a.sha256, world.key) == photo.read_bytes()
    assert photo.read_bytes()[:64] not in stored.read_bytes()
    with pytest.raises(ValidationError, match="已作为"):
        attach_file(world.uow(), store, record_table="penalty_case", record_uid="case-1", src=copy)


def test_committee_composition_rules(world: World) -> None:
    from services.people.committees import add_mediator, committee_info, create_committee

    uid = create_committee(world.uow(), name="新华村人民调解委员会", term_start=date(2022, 1, 1))
    info = committee_info(world.uow(), uid)
    assert any("三至九人" in p for p in info.problems) and any("妇女" in p for p in info.problems)
    assert any("任期" in p for p in info.problems)  # 2022 + 3 years < 2026-03-02
    add_mediator(world.uow(), uid, name="刘主任", gender="男", is_chair=True)
    add_mediator(world.uow(), uid, name="何委员", gender="女")
    add_mediator(world.uow(), uid, name="罗委员", gender="男", ethnicity="彝族")
    info = committee_info(world.uow(), uid, multi_ethnic_area=True)
    assert info.members == 3
    assert [p for p in info.problems if "任期" not in p] == []
    with pytest.raises(ValidationError, match="已存在"):
        create_committee(world.uow(), name="新华村人民调解委员会")
