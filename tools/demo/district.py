"""A small demo district (screenshots, GUI tests): a few demo townships exported and imported the real way.

Each township is a freshly initialised database filled by ``tools.demo.bulk.generate_township`` (scale 0.01:
~110 inspections, ~22 cases, ~11 disputes a year since 2017, under half a second each), which trusts the
district's key card and writes a full, encrypted bundle — the same path a township office takes with a USB
stick. The district database is initialised as a DISTRICT device. With ``import_bundles`` the folder of bundles
goes through ``services.district.intake.import_folder`` and ``finish_demo_district`` follows (last year and this
year's months to September closed, a case-file review drawn with a problem rectified and one open), so every
district screen has something to show; without it the district is left empty next to its folder of bundles (the
GUI test and the screenshots import them through the 数据导入 screen, then call ``finish_demo_district``).

One township "loses" its second bundle (sent, never arrived), so the completeness grid shows a gap.
``write_demo_ledger`` writes the Excel ledger of a township still on paper, with the usual mistakes in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from models.base import SHANGHAI
from models.enums import DeviceKind
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.people.accounts import sign_in
from services.reference.setup import initialise
from services.sync import plan_export, trust_key_card, write_bundle, write_key_card
from tools.demo.bulk import generate_township
from tools.demo.small import DEMO_TODAY

DEMO_TOWNSHIPS: tuple[str, ...] = ("竹根镇", "牛华镇", "西坝镇")
DEMO_DISTRICT = "乐山市五通桥区"
DEMO_PASSWORD = "district-1234"  # the demo district's admin password (user "admin")

Progress = Callable[[str, int], None]


def demo_district_clock() -> FixedClock:
    """The morning after the township demo's "today": the townships wrote their bundles on DEMO_TODAY and the
    district imports and closes after every record's last change (a close before it would list them as changed)."""
    day = DEMO_TODAY + timedelta(days=1)
    return FixedClock(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))


@dataclass(frozen=True, slots=True)
class DemoDistrict:
    path: Path  # the district database (its device keys next to it as ``<file>.keys``)
    bundles: Path  # the townships' bundles, encrypted to the district
    townships: tuple[str, ...]
    lost_bundles: tuple[Path, ...]  # written by a township but kept out of ``bundles`` (the grid's gap)


def build_demo_district(folder: Path, *, names: tuple[str, ...] = DEMO_TOWNSHIPS, scale: float = 0.01,
                        import_bundles: bool = True, clock: FixedClock | None = None,
                        progress: Progress | None = None) -> DemoDistrict:
    """Build the district database and its townships' bundles under ``folder`` (which must not hold a district)."""
    report: Progress = progress or (lambda _stage, _percent: None)
    clock = clock or demo_district_clock()
    folder.mkdir(parents=True, exist_ok=True)
    bundles, lost_dir, towns_dir = folder / "bundles", folder / "lost", folder / "townships"
    for d in (bundles, lost_dir, towns_dir):
        d.mkdir(exist_ok=True)
    path = folder / "district.sqlite3"
    district = Database.open(path)
    lost: list[Path] = []
    try:
        # The unlocked data key, as the administrator's login would give it (docs/encryption.md).
        key = initialise(district, UnitOfWork(district, actor="admin", clock=clock),
                         township=DEMO_DISTRICT.removeprefix("乐山市"), squad="五通桥区综合行政执法局",
                         district=DEMO_DISTRICT, device_kind=DeviceKind.DISTRICT, admin_password=DEMO_PASSWORD,
                         catalogue_effective_from=date(2016, 1, 1)).data_key
        du = lambda: UnitOfWork(district, actor="admin", clock=clock, data_key=key)  # noqa: E731 - one per unit of work
        card = folder / "district.edkey"
        write_key_card(du(), card)
        for k, name in enumerate(names):
            report(f"生成演示乡镇 {name}", int(80 * k / max(len(names), 1)))
            lost += _township_bundles(towns_dir / f"town{k}.sqlite3", name, seed=100 + k, scale=scale, clock=clock,
                                      card=card, out=bundles, lost_dir=lost_dir, lose_second=k == 1)
        if import_bundles:
            report("导入同步包", 85)
            _fill_district(du, bundles, folder / "receipts", clock)
    finally:
        district.dispose()
    report("完成", 100)
    return DemoDistrict(path, bundles, names, tuple(lost))


def _township_bundles(path: Path, name: str, *, seed: int, scale: float, clock: FixedClock, card: Path, out: Path,
                      lost_dir: Path, lose_second: bool) -> list[Path]:
    town = Database.open(path)
    try:
        key = initialise(town, UnitOfWork(town, actor="admin", clock=clock), township=name,
                         squad=f"{name}综合行政执法中队", district=DEMO_DISTRICT, admin_password=DEMO_PASSWORD,
                         catalogue_effective_from=date(2016, 1, 1)).data_key
        tu = lambda: UnitOfWork(town, actor="admin", clock=clock, data_key=key)  # noqa: E731
        generate_township(town, seed=seed, today=clock.today() - timedelta(days=1), scale=scale,
                          data_key=key)
        peer = trust_key_card(tu(), card)
        first = write_bundle(tu(), plan_export(tu(), peer.uid, full=True), out)
        if not lose_second:
            return []
        # Two more full bundles; the second never reaches the district (the grid lists it as missing).
        second = write_bundle(tu(), plan_export(tu(), peer.uid, full=True), lost_dir)
        write_bundle(tu(), plan_export(tu(), peer.uid, full=True), out)
        assert first.sequence == 1 and second.sequence == 2
        return [second.path]
    finally:
        town.dispose()


def _fill_district(du: Callable[[], UnitOfWork], bundles: Path, receipts: Path, clock: FixedClock) -> None:
    from services.district.intake import import_folder

    rep = import_folder(du, bundles, trust_new=True, receipt_dir=receipts)
    if rep.refused:
        raise AssertionError(f"demo bundles refused: {rep.refused}")
    _close_and_review(du, clock)


def finish_demo_district(path: Path, clock: FixedClock | None = None) -> None:
    """After the bundles were imported some other way (the 数据导入 screen): the closes and the review."""
    clock = clock or demo_district_clock()
    db = Database.open(path)
    try:
        key = sign_in(UnitOfWork(db, actor="admin", clock=clock), "admin", DEMO_PASSWORD).data_key
        _close_and_review(lambda: UnitOfWork(db, actor="admin", clock=clock, data_key=key), clock)
    finally:
        db.dispose()


def _close_and_review(du: Callable[[], UnitOfWork], clock: FixedClock) -> None:
    """Close last year and this year's finished months up to September; draw a review with one rectification."""
    from services.district.closing import close_period
    from services.district.review import add_problem, draw_sample, rectify_problem

    today = clock.today()
    close_period(du(), today.year - 1, None, f"{today.year - 1}年度统计报表已报送")
    for month in range(1, min(today.month - 1, 9) + 1):
        close_period(du(), today.year, month, f"{today.year}年{month}月月报已报送")
    review = draw_sample(du(), today.year - 1, 8, 20251201, title=f"{today.year - 1}年度行政处罚案卷评查")
    first = review.files[0]
    problem = add_problem(du(), first.uid, "F8", "卷宗装订不规范，部分页码缺失", 2)
    rectify_problem(du(), problem.uid, "已重新装订并补编页码")
    if len(review.files) > 1:
        add_problem(du(), review.files[1].uid, "C07", "决定书说理不充分，未写明裁量理由", 4)

def write_demo_ledger(path: Path, *, good: int = 6, with_mistakes: bool = True, first_day: date | None = None,
                      numbers_from: int = 1) -> Path:
    """A filled-in 巡查检查台账 as a paper township sends it: ``good`` correct rows and, optionally, four rows with
    the mistakes clerks make (an impossible date, one officer, more problems fixed than found, a free-typed domain).

    Written from the real template (services.district.ledger_spec.write_template), so the import sees exactly what
    a township would send back.
    """
    import io

    from openpyxl import load_workbook

    from services.district.ledger_spec import ledger_kind, write_template

    start = first_day or date(DEMO_TODAY.year, 10, 2)
    year = start.year
    kind = ledger_kind("inspections")
    wb = load_workbook(io.BytesIO(write_template("inspections")))
    ws = wb[kind.title]
    places = ("金山镇新街12号", "金山镇农贸市场", "金山镇学校路", "金山镇滨河路", "金山镇工业园", "金山镇场镇")
    domains = ("占道", "市容环境卫生", "校园周边", "扬尘", "噪声", "生活垃圾")
    for i in range(good):
        on = start + timedelta(days=3 * i)
        ws.append([f"{year}-金检-{numbers_from + i:03d}", on, places[i % 6], domains[i % 6],
                   "责令限期整改" if i % 3 == 0 else "合格", 2 + i % 3, i % 2, 1 + i % 4, 1 if i % 3 == 0 else 0,
                   1 if i % 3 == 0 else 0, on + timedelta(days=7) if i % 3 == 0 else None, "台账补录"])
    if with_mistakes:
        ws.append([f"{year}-金检-101", f"{year}-13-01", "金山镇新街", "占道", "合格", 2, 0, 1, 0, 0, None, ""])
        ws.append([f"{year}-金检-102", date(year, 10, 20), "金山镇新街", "占道", "合格", 1, 0, 1, 0, 0, None, ""])
        ws.append([f"{year}-金检-103", date(year, 10, 21), "金山镇新街", "占道", "责令限期整改", 2, 0, 1, 1, 3,
                   date(year, 10, 25), ""])
        ws.append([f"{year}-金检-104", date(year, 10, 22), "金山镇新街", "乱摆摊", "合格", 2, 0, 1, 0, 0, None, ""])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
