"""People and accounts (issue 13): officers registered, edited and deactivated; their certificate status computed
against the clock and shown alike everywhere; accounts opened, reset, disabled and unlocked; a password given to
someone must be changed at their first login; committees and mediators."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from models.enums import CertState, CertStatus, Role
from services.core import quick_login
from services.core.errors import NotFound, PermissionDenied, ValidationError
from services.core.keyring import NoKeySlot
from services.core.uow import UnitOfWork
from services.people import accounts as A  # noqa: N812 - reads like the account steps it drives
from services.people.certificates import certificate_status
from services.people.committees import (
    CommitteeInput,
    MediatorInput,
    add_mediator,
    create_committee,
    list_committees,
    set_mediator_active,
    update_committee,
    update_mediator,
)
from services.people.registry import (
    OfficerInput,
    list_officers,
    officer_record,
    register_officer,
    set_officer_active,
    update_officer,
)
from services.read.home import home_snapshot
from services.read.queries import LISTS, ListQuery, Marked, list_page, officer_choices, officer_picks
from tests.services.conftest import World

TODAY = date(2026, 3, 2)  # the fixtures' clock


# -- the certificate's standing: one function, against the clock ---------------------------------------------


@pytest.mark.parametrize(("valid_to", "valid_from", "stored", "state", "text"), [
    (TODAY + timedelta(days=31), None, CertStatus.VALID, CertState.VALID, "有效"),
    (TODAY + timedelta(days=30), None, CertStatus.VALID, CertState.EXPIRING, "30 天内到期"),
    (TODAY, None, CertStatus.VALID, CertState.EXPIRING, "30 天内到期"),  # its last day: still valid
    (TODAY - timedelta(days=1), None, CertStatus.VALID, CertState.EXPIRED, "已过期"),
    (TODAY + timedelta(days=400), TODAY + timedelta(days=1), CertStatus.VALID, CertState.NOT_YET, "尚未生效"),
    (TODAY + timedelta(days=400), None, CertStatus.SUSPENDED, CertState.SUSPENDED, "已暂扣"),
    (TODAY + timedelta(days=400), None, CertStatus.REVOKED, CertState.REVOKED, "已注销"),
    (None, None, CertStatus.VALID, CertState.MISSING, "未登记执法证"),
])
def test_certificate_status_against_the_day(valid_to: date | None, valid_from: date | None, stored: CertStatus,
                                            state: CertState, text: str) -> None:
    status = certificate_status(cert_number="51000001", valid_to=valid_to, valid_from=valid_from, stored=stored,
                                today=TODAY, warn_days=30)
    assert (status.state, status.text) == (state, text)
    assert status.alert == (state not in (CertState.VALID, CertState.EXPIRING))
    assert status.warning == (state is CertState.EXPIRING)


def test_the_reminder_period_is_the_setting() -> None:
    soon = certificate_status(cert_number="1", valid_to=TODAY + timedelta(days=45), today=TODAY, warn_days=60)
    assert (soon.state, soon.text) == (CertState.EXPIRING, "60 天内到期")
    assert certificate_status(cert_number="", valid_to=TODAY + timedelta(days=400), today=TODAY).state \
        is CertState.MISSING


# -- officers --------------------------------------------------------------------------------------------------


def _officer(name: str = "张建国", cert: str = "51111220001", valid_to: date = date(2028, 12, 31),
             **kw: object) -> OfficerInput:
    return OfficerInput(name=name, cert_number=cert, cert_valid_to=valid_to, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": " "}, "name", "姓名不能为空"),
    ({"cert_number": ""}, "cert_number", "请填写执法证号"),
    ({"cert_number": "51 11"}, "cert_number", "数字、字母"),
    ({"cert_valid_to": None}, "cert_valid_to", "截止日"),
    ({"cert_valid_from": date(2026, 3, 3)}, "cert_valid_from", "晚于今天"),
    ({"cert_valid_from": date(2025, 1, 1), "cert_valid_to": date(2024, 12, 31)}, "cert_valid_to", "早于发证日期"),
    ({"gender": "M"}, "gender", "男"),
    ({"phone": "12345"}, "phone", "手机号码应为"),
    ({"domains": ("火星",)}, "domains", "不在赋权事项清单"),
])
def test_officer_validation_names_the_field(world: World, changes: dict[str, object], field: str,
                                            message: str) -> None:
    base = {"name": "张建国", "cert_number": "51111220001", "cert_valid_to": date(2028, 12, 31)}
    before = world.snapshot()
    with pytest.raises(ValidationError, match=message) as info:
        register_officer(world.uow(), OfficerInput(**{**base, **changes}))  # type: ignore[arg-type]
    assert info.value.field == field
    assert world.snapshot() == before  # nothing written


def test_register_edit_deactivate_an_officer(world: World) -> None:
    uid = register_officer(world.uow(), _officer(gender="男", domains=("占道", "扬尘", "占道"), phone="13800001111"))
    record = officer_record(world.uow(), "张建国")
    assert record.uid == uid and record.data.domains == ("占道", "扬尘") and record.data.cert_kind == ""
    assert record.status.state is CertState.VALID and record.active
    with pytest.raises(ValidationError, match="已登记给“张三”"):
        register_officer(world.uow(), _officer(name="张冒名", cert="51000001"))
    # A renewed certificate: the same officer, new dates; his number may not take another's.
    update_officer(world.uow(), "51111220001", _officer(valid_to=date(2031, 6, 30), cert_valid_from=date(2026, 3, 1)))
    assert officer_record(world.uow(), uid).data.cert_valid_to == date(2031, 6, 30)
    with pytest.raises(ValidationError, match="已登记给"):
        update_officer(world.uow(), uid, _officer(cert="51000002"))
    # Deactivated, never deleted: out of the pickers, still listed with --all, his account disabled with him.
    A.open_account(world.uow(), username="zhangjg", role=Role.OFFICER, officer=uid, password="Zhang2026pw")
    set_officer_active(world.uow(), uid, False)
    assert uid not in [c.uid for c in officer_picks(world.uow())]
    assert uid not in [r.uid for r in list_officers(world.uow())]
    assert [r.active for r in list_officers(world.uow(), include_inactive=True) if r.uid == uid] == [False]
    assert [a.active for a in A.list_accounts(world.uow()) if a.username == "zhangjg"] == [False]
    with pytest.raises(ValidationError, match="已经是停用"):
        set_officer_active(world.uow(), uid, False)
    set_officer_active(world.uow(), uid, True)
    assert uid in [c.uid for c in officer_picks(world.uow())]


def test_find_an_officer_by_name_cert_or_uid(world: World) -> None:
    register_officer(world.uow(), _officer(name="张三", cert="51999999"))  # a second 张三
    with pytest.raises(ValidationError, match="请改用执法证号（51000001、51999999）"):
        officer_record(world.uow(), "张三")
    assert officer_record(world.uow(), "51999999").data.name == "张三"
    with pytest.raises(NotFound):
        officer_record(world.uow(), "无此人")


def test_an_officer_without_an_issue_date_is_certified(world: World) -> None:
    """The command line's shortest spelling records no issue date: he may still take part in enforcement."""
    uid = register_officer(world.uow(), _officer())
    assert [c.usable for c in officer_picks(world.uow(), on=TODAY) if c.uid == uid] == [True]


def test_managing_people_needs_the_right(world: World) -> None:
    as_officer = world.as_user("officer", Role.OFFICER)
    with pytest.raises(PermissionDenied):
        register_officer(as_officer, _officer())
    as_officer = world.as_user("officer", Role.OFFICER)
    with pytest.raises(PermissionDenied):
        create_committee(as_officer, name="新华村人民调解委员会")
    leader = world.as_user("leader", Role.SQUAD_LEADER)
    assert register_officer(leader, _officer())


def test_list_pickers_home_and_command_line_agree_on_the_status(world: World) -> None:
    """Every place that shows a certificate's standing shows what services.people.certificates says today."""
    soon = register_officer(world.uow(), _officer(name="孙将到", cert="52000001", valid_to=TODAY + timedelta(days=12)))
    expected = {world.officers[0]: "有效", soon: "30 天内到期", world.expired_officer: "已过期"}

    page = list_page(world.uow(), "officers", ListQuery(limit=100))
    shown = {row[0]: str(row[8]) for row in page.rows}
    assert {uid: shown[uid] for uid in expected} == expected
    tones = {row[0]: row[8].tone for row in page.rows if isinstance(row[8], Marked)}
    assert tones[world.expired_officer] == "alert" and tones[soon] == "warning"
    assert world.officers[0] not in tones  # plain text: nothing to flag

    picks = {c.uid: c for c in officer_picks(world.uow(), on=TODAY)}
    assert picks[soon].text == "孙将到（52000001，30 天内到期）" and picks[soon].usable
    assert picks[world.expired_officer].text == "钱过期（51000010，已过期）" and not picks[world.expired_officer].usable
    assert picks[world.officers[0]].text == "张三（51000001）"
    assert world.expired_officer not in dict(officer_choices(world.uow(), on=TODAY))

    cli = {r.uid: r.to_json()["status_label"] for r in list_officers(world.uow())}
    assert {uid: cli[uid] for uid in expected} == expected

    reminders = {i.record_uid: i.title for i in home_snapshot(world.uow()).page.items if i.record_type == "officer"}
    assert set(reminders) == {soon, world.expired_officer}  # the valid ones are no work
    assert reminders[soon].endswith("30 天内到期）") and reminders[world.expired_officer].endswith("已过期）")

    # The next day the same function moves them all at once.
    world.set_today(TODAY + timedelta(days=13))
    assert {r.uid: r.status.text for r in list_officers(world.uow())}[soon] == "已过期"
    assert {row[0]: str(row[8]) for row in list_page(world.uow(), "officers", ListQuery(limit=100)).rows}[soon] \
        == "已过期"


@pytest.mark.parametrize("key", [c.key for c in LISTS["officers"].columns])
def test_every_officer_column_sorts_by_its_value(world: World, key: str) -> None:
    """Clicking a column sorts by what it shows: text as text, dates as dates, the status by its standing."""
    register_officer(world.uow(), _officer(name="安一", cert="A-1", valid_to=TODAY + timedelta(days=5), gender="女",
                                           cert_valid_from=date(2020, 5, 1), domains=("扬尘",), phone="13900000001",
                                           cert_kind="综合行政执法证", role=Role.SQUAD_LEADER))
    register_officer(world.uow(), _officer(name="邹二", cert="Z-2", valid_to=date(2030, 1, 1), gender="男",
                                           cert_valid_from=date(2019, 1, 9), domains=("占道",), phone="13700000002"))
    col = [c.key for c in LISTS["officers"].columns].index(key) + 1  # row[0] is the uid

    def rows(descending: bool) -> tuple[tuple[object, ...], ...]:
        return list_page(world.uow(), "officers", ListQuery(sort=key, descending=descending, limit=100)).rows

    ascending = rows(False)
    assert [r[0] for r in rows(True)] == [r[0] for r in ascending][::-1]
    values = [r[col] for r in ascending]
    if key in ("valid_from", "valid_to"):
        assert values == sorted(values, key=lambda d: d or date.min)  # dates as dates; none recorded first
    elif key == "cert_status":
        standing = {"已过期": 0, "30 天内到期": 1, "有效": 2}
        assert [standing[str(v)] for v in values] == sorted(standing[str(v)] for v in values)
    else:  # phones too: sealed at rest, so listed and sorted by their masked form (docs/encryption-data.md)
        assert values == sorted(values, key=str)
    if key == "phone":
        assert all(not v or "****" in str(v) for v in values) and any(values)


# -- accounts --------------------------------------------------------------------------------------------------


def _leader(world: World) -> UnitOfWork:
    return world.as_user("admin", Role.SQUAD_LEADER)


def test_an_opened_account_must_change_its_password_at_first_login(world: World) -> None:
    opened = A.open_account(_leader(world), username="zhangsan", role=Role.OFFICER, officer="张三")
    assert opened.password is not None and len(opened.password) == 12
    user = A.login(world.uow(), "zhangsan", opened.password)
    assert user.must_change_password and user.display_name == "张三"
    assert world.db.path is not None
    # The start-up's quick path leaves it to the full login (the change is a write).
    assert quick_login.clean_account(world.db.path, "zhangsan") is None
    with pytest.raises(ValidationError, match="不能与原密码相同"):
        A.change_password(world.uow(), "zhangsan", old=opened.password, new=opened.password)
    with pytest.raises(ValidationError, match="至少需要8位"):
        A.change_password(world.uow(), "zhangsan", old=opened.password, new="short1")
    with pytest.raises(PermissionDenied, match="原密码不正确"):
        A.change_password(world.uow(), "zhangsan", old="wrong-pass1", new="Zhangsan2026")
    changed = A.change_password(world.uow(), "zhangsan", old=opened.password, new="Zhangsan2026")
    assert not changed.must_change_password
    assert not A.login(world.uow(), "zhangsan", "Zhangsan2026").must_change_password
    account = quick_login.clean_account(world.db.path, "zhangsan")
    assert account is not None and account.password_matches("Zhangsan2026")
    # A typed first password was not chosen by its holder either.
    A.open_account(_leader(world), username="lisi", role=Role.OFFICER, officer="李四", password="Lisi2026pw")
    assert A.login(world.uow(), "lisi", "Lisi2026pw").must_change_password


def test_open_account_refusals(world: World) -> None:
    A.open_account(_leader(world), username="zhangsan", role=Role.OFFICER, officer="张三", password="Zhang2026pw")
    before = world.snapshot()
    for kwargs, message in (
        ({"username": "zhangsan", "officer": "李四"}, "已存在"),
        ({"username": "zs2", "officer": "张三"}, "已有账户"),
        ({"username": "with space", "officer": "李四"}, "空格"),
        ({"username": "wangwu", "officer": "王五", "password": "12345678"}, "字母和数字"),
        ({"username": "nobody", "officer": None}, "所属的执法人员"),
        ({"username": "boss", "officer": "王五", "role": Role.DISTRICT_ADMIN}, "不能开设"),
    ):
        args = {"role": Role.OFFICER, **kwargs}
        with pytest.raises(ValidationError, match=message):
            A.open_account(_leader(world), **args)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        A.open_account(world.as_user("x", Role.OFFICER), username="w",
                       role=Role.OFFICER, officer="王五")
    assert world.snapshot() == before


def test_init_generated_password_must_be_changed(tmp_path: pytest.TempPathFactory) -> None:
    from services.core.db import Database
    from services.reference.setup import initialise

    db = Database.open(tmp_path / "new.sqlite3")  # type: ignore[operator]
    try:
        result = initialise(db, UnitOfWork(db, actor="setup"), township="石板镇", squad="石板镇中队")
        assert result.admin_password is not None
        assert A.login(UnitOfWork(db, actor="t"), "admin", result.admin_password).must_change_password
        typed = Database.open(tmp_path / "typed.sqlite3")  # type: ignore[operator]
        try:
            initialise(typed, UnitOfWork(typed, actor="setup"), township="石板镇", squad="中队",
                       admin_password="Chosen2026")
            assert not A.login(UnitOfWork(typed, actor="t"), "admin", "Chosen2026").must_change_password
        finally:
            typed.dispose()
    finally:
        db.dispose()


def test_reset_disable_enable_unlock(world: World) -> None:
    A.open_account(_leader(world), username="zhangsan", role=Role.OFFICER, officer="张三", password="Zhang2026pw")
    A.change_password(world.uow(), "zhangsan", old="Zhang2026pw", new="Mine2026pw")
    for _ in range(A.MAX_FAILED):
        with pytest.raises(PermissionDenied):
            A.login(world.uow(), "zhangsan", "wrong-pass1")
    with pytest.raises(PermissionDenied, match="锁定"):
        A.login(world.uow(), "zhangsan", "Mine2026pw")
    [row] = [a for a in A.list_accounts(world.uow()) if a.username == "zhangsan"]
    assert row.locked_until is not None and row.state.startswith("已锁定")
    A.unlock_account(_leader(world), "zhangsan")
    assert A.login(world.uow(), "zhangsan", "Mine2026pw").username == "zhangsan"
    with pytest.raises(ValidationError, match="没有被锁定"):
        A.unlock_account(_leader(world), "zhangsan")

    shown = A.reset_password(_leader(world), "zhangsan")
    assert shown is not None
    with pytest.raises(PermissionDenied):
        A.login(world.uow(), "zhangsan", "Mine2026pw")  # the old one no longer opens it
    assert A.login(world.uow(), "zhangsan", shown).must_change_password
    assert A.reset_password(_leader(world), "zhangsan", password="Typed2026pw") is None
    assert A.login(world.uow(), "zhangsan", "Typed2026pw").must_change_password

    A.set_account_active(_leader(world), "zhangsan", False)
    with pytest.raises(PermissionDenied, match="用户名或密码错误"):
        A.login(world.uow(), "zhangsan", "Typed2026pw")
    A.set_account_active(_leader(world), "zhangsan", True)
    # Disabling removed its key slot (docs/encryption.md): enabled again, it signs in after a reset.
    with pytest.raises(NoKeySlot, match="重置密码"):
        A.login(world.uow(), "zhangsan", "Typed2026pw")
    A.reset_password(_leader(world), "zhangsan", password="Again2026pw")
    assert A.login(world.uow(), "zhangsan", "Again2026pw").username == "zhangsan"
    with pytest.raises(NotFound):
        A.reset_password(_leader(world), "nobody")


def test_the_last_manager_and_oneself_cannot_be_disabled(world: World) -> None:
    with pytest.raises(ValidationError, match="不能停用自己"):
        A.set_account_active(_leader(world), "admin", False)
    with pytest.raises(ValidationError, match="最后一个可以管理账户"):
        A.set_account_active(world.uow(), "admin", False)
    A.open_account(_leader(world), username="wangwu", role=Role.SQUAD_LEADER, officer="王五", password="Wang2026pw")
    A.set_account_active(world.as_user("wangwu", Role.SQUAD_LEADER),
                         "admin", False)


def test_case_events_name_the_officer_not_the_login(world: World) -> None:
    from services.procedures import cases as C  # noqa: N812

    A.open_account(world.uow(), username="leader", role=Role.SQUAD_LEADER, officer="张三", password="Zhang2026pw")
    as_zhang = world.as_user("leader", Role.SQUAD_LEADER)
    case = C.register_clue(world.uow(), C.ClueInput(
        cause="违法堆放物料", power_item_code="SR-003", party_uid=world.adult, act_date=date(2026, 2, 20),
        discovered_on=date(2026, 2, 25), registered_on=date(2026, 2, 26)))
    C.file_case(as_zhang, case.uid, on=TODAY, officer_uids=world.officers[:2])
    summary = C.get_case(world.uow(), case.uid)
    assert summary.events[-1].actor == "张三"
    assert world.db.path is not None
    with sqlite3.connect(str(world.db.path)) as conn:  # stored by name: it reads the same where accounts are not
        assert conn.execute("SELECT actor FROM case_event").fetchall()[-1] == ("张三",)
        conn.execute("UPDATE case_event SET actor = 'leader'")  # written before names were stored
    assert C.get_case(world.uow(), case.uid).events[-1].actor == "张三"


# -- committees and mediators ----------------------------------------------------------------------------------


def test_committees_and_mediators(world: World) -> None:
    uid = create_committee(world.uow(), name="竹根镇新华村人民调解委员会", kind="村", term_start=date(2025, 1, 1))
    [row] = [c for c in list_committees(world.uow()) if c.uid == uid]
    assert row.seal_name == "竹根镇新华村人民调解委员会" and row.term_end == date(2028, 1, 1)
    assert any("三至九人" in p for p in row.problems)
    with pytest.raises(ValidationError, match="类别应为"):
        create_committee(world.uow(), name="某委员会", kind="公司")
    update_committee(world.uow(), uid, CommitteeInput("竹根镇新华村人民调解委员会", "村", seal_name="新华村调委会"))
    chair = add_mediator(world.uow(), "竹根镇新华村人民调解委员会", name="李秀英", gender="女", is_chair=True)
    add_mediator(world.uow(), uid, name="王德明", gender="男")
    with pytest.raises(ValidationError, match="已有主任“李秀英”"):
        add_mediator(world.uow(), uid, name="赵强", gender="男", is_chair=True)
    with pytest.raises(ValidationError, match="主任应为委员会委员"):
        add_mediator(world.uow(), uid, name="赵强", is_chair=True, is_member=False)
    third = add_mediator(world.uow(), uid, name="赵强")  # sex not given: allowed
    [row] = [c for c in list_committees(world.uow()) if c.uid == uid]
    assert row.seal_name == "新华村调委会" and row.members == 3 and row.problems == ()
    assert [m.position for m in row.mediators] == ["主任", "委员", "委员"]
    set_mediator_active(world.uow(), third, False)
    [row] = [c for c in list_committees(world.uow()) if c.uid == uid]
    assert row.members == 2 and any("现有2人" in p for p in row.problems)
    update_mediator(world.uow(), chair, MediatorInput("李秀英", "女", is_chair=False))
    [row] = [c for c in list_committees(world.uow()) if c.uid == uid]
    assert any("应设主任" in p for p in row.problems)


def test_a_district_opens_accounts_for_its_own_staff_by_name(tmp_path: pytest.TempPathFactory) -> None:
    from services.core.db import Database
    from services.reference.setup import initialise_district

    db = Database.open(tmp_path / "district.sqlite3")  # type: ignore[operator]
    try:
        made = initialise_district(db, UnitOfWork(db, actor="setup"), district="乐山市五通桥区",
                                   admin_password="District2026")
        uow = lambda: UnitOfWork(db, actor="admin", role=Role.DISTRICT_ADMIN, data_key=made.data_key)  # noqa: E731
        with pytest.raises(ValidationError, match="使用人的姓名"):
            A.open_account(uow(), username="wang", role=Role.DISTRICT_ADMIN)
        opened = A.open_account(uow(), username="wang", role=Role.DISTRICT_ADMIN, display_name="王科长")
        assert opened.password is not None
        user = A.login(UnitOfWork(db, actor="t"), "wang", opened.password)
        assert (user.display_name, user.role, user.must_change_password) == ("王科长", Role.DISTRICT_ADMIN, True)
    finally:
        db.dispose()
