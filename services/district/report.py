"""The yearly report's enforcement and mediation part: tables and sentences built from one set of figures.

Every number a sentence prints is recorded next to it (``Cited``: the indicator, the exact value and the text
printed under the rules of services/district/wording.py), so the renderers (PDF, Word, Excel) print sentences
and tables from the same ``ReportData``, and a test reads the numbers back out of the generated files and
checks them against the tables. A closed year reports its figures as closed; the amendments since are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from models.org import Township
from services.core.uow import UnitOfWork
from services.district.closing import closed_view, list_amendments
from services.district.common import own_township_uid, townships
from services.district.figures import ensure_fresh
from services.district.indicators import LABELS, UNITS, Figures, Period
from services.district.review import ReviewFigures, compute_review_figures
from services.district.stats import DistrictStats, compute_district, monthly_stats
from services.district.wording import approx_text, change, money_text, numbers_in, percent_text
from services.statistics.yearly import INDICATOR_KEYS


@dataclass(frozen=True, slots=True)
class Cited:
    key: str  # indicator key, "year", "townships", "yoy:<key>" or "review:<what>"
    value: Any
    shown: str  # exactly what the sentence prints for it


@dataclass(frozen=True, slots=True)
class Sentence:
    heading: str
    text: str
    cited: tuple[Cited, ...]

    def numbers(self) -> list[str]:
        return numbers_in(self.text)


@dataclass(frozen=True, slots=True)
class ReportTable:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # raw values (int, Decimal, float, str): renderers format them


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    district: str
    year: int
    generated_on: date
    sentences: tuple[Sentence, ...]
    tables: tuple[ReportTable, ...]
    notes: tuple[str, ...]
    figures: Figures  # the figures the sentences and the main table print
    previous: Figures

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)


RULES = (
    "人次、台次、户次等累计数按“余”写法：不足100照实写；100至999舍去个位（403写作“400余”）；"
    "1000以上保留前两位有效数字、其余舍去（4812写作“4800余”）；恰为整数时不写“余”。",
    "件数、个数照实写。百分率保留一位小数，四舍五入（580/590写作98.3%）。",
    "同比＝（本年数－上年数）÷上年数×100%，舍去小数取整（11比3写作“同比上升266%”），不足1%写“不足1%”；"
    "上年数为0时不计算同比。",
    "罚款金额1万元以上以万元为单位保留一位小数（四舍五入），不足1万元以元为单位。",
)


class _Writer:
    """Builds one sentence, recording each number it prints."""

    def __init__(self, heading: str) -> None:
        self.heading = heading
        self.parts: list[str] = []
        self.cited: list[Cited] = []

    def t(self, text: str) -> _Writer:
        self.parts.append(text)
        return self

    def _cite(self, key: str, value: Any, shown: str) -> _Writer:
        self.parts.append(shown)
        self.cited.append(Cited(key, value, shown))
        return self

    def exact(self, key: str, value: int, unit: str = "") -> _Writer:
        return self._cite(key, value, f"{value}{unit}")

    def approx(self, key: str, value: int, unit: str) -> _Writer:
        return self._cite(key, value, approx_text(value, unit))

    def money(self, key: str, value: Decimal) -> _Writer:
        return self._cite(key, value, money_text(value))

    def pct(self, key: str, value: float) -> _Writer:
        return self._cite(key, value, percent_text(value))

    def yoy(self, key: str, cur: Any, prev: Any, year: int) -> _Writer:
        ch = change(cur, prev)
        if ch.direction == "无对比":
            return self.t("上年同期无此类记录")
        if ch.direction == "持平":
            return self._cite(f"yoy:{key}", ch, ch.text)  # "与上年持平": no year, no number
        self.t("较").exact("year", year - 1, "年")
        return self._cite(f"yoy:{key}", ch, ch.text)

    def done(self) -> Sentence:
        return Sentence(self.heading, "".join(self.parts), tuple(self.cited))


def sentences(year: int, n_towns: int, f: Figures, prev: Figures, rev: ReviewFigures) -> tuple[Sentence, ...]:
    """The report's sentences, in the district report's own wording (seed: 五通桥区2021年法治政府建设报告)."""
    out: list[Sentence] = []
    w = _Writer("执法检查")
    w.exact("year", year, "年").t("，全区").exact("townships", n_towns, "个").t("乡镇综合行政执法中队开展巡查检查")
    w.exact("inspections", f["inspections"], "次").t("、专项整治行动").exact("campaigns", f["campaigns"], "次")
    w.t("，共计出动执法人员").approx("officer_turnouts", f["officer_turnouts"], "人次")
    w.t("，动用执法车辆").approx("vehicle_turnouts", f["vehicle_turnouts"], "台次")
    w.t("，检查各类经营户").approx("businesses_inspected", f["businesses_inspected"], "户次")
    w.t("，发现问题").exact("problems_found", f["problems_found"], "个").t("，督促整改问题")
    out.append(w.exact("problems_rectified", f["problems_rectified"], "个").t("。").done())

    w = _Writer("行政处罚")
    w.t("全年共立案查处违法案件").exact("cases_filed", f["cases_filed"], "件").t("，")
    w.yoy("cases_filed", f["cases_filed"], prev["cases_filed"], year)
    w.t("；办结案件").exact("cases_closed", f["cases_closed"], "件").t("，其中适用简易程序当场作出处罚决定")
    w.exact("summary_procedure_cases", f["summary_procedure_cases"], "件").t("；共处罚款")
    w.money("fines_yuan", f["fines_yuan"]).t("，依法作出不予行政处罚决定")
    w.exact("no_penalty_decisions", f["no_penalty_decisions"], "件").t("；组织听证")
    w.exact("hearings", f["hearings"], "件").t("，重大执法决定经法制审核")
    w.exact("major_decisions_reviewed", f["major_decisions_reviewed"], "件").t("，公示行政处罚决定")
    w.exact("disclosures", f["disclosures"], "条").t("；依法实施查封、扣押")
    w.exact("coercive_measures", f["coercive_measures"], "件").t("；向有关部门移送案件")
    w.exact("transfers_to_departments", f["transfers_to_departments"], "件").t("，向司法机关移送涉嫌犯罪案件")
    out.append(w.exact("transfers_to_judiciary", f["transfers_to_judiciary"], "件").t("。").done())

    w = _Writer("人民调解")
    w.exact("year", year, "年").t("，全区镇村两级人民调解组织共受理矛盾纠纷")
    w.exact("mediation_accepted", f["mediation_accepted"], "件").t("，调解成功")
    w.exact("mediation_succeeded", f["mediation_succeeded"], "件").t("，调解成功率")
    w.pct("mediation_success_rate", f["mediation_success_rate"]).t("，受理数")
    w.yoy("mediation_accepted", f["mediation_accepted"], prev["mediation_accepted"], year)
    w.t("；经人民法院司法确认调解协议").exact("judicial_confirmations", f["judicial_confirmations"], "件").t("。")
    if f["mediation_escalated_to_criminal"]:
        w.t("全年发生民转刑案件").exact("mediation_escalated_to_criminal", f["mediation_escalated_to_criminal"], "件")
        out.append(w.t("。").done())
    else:
        out.append(w.t("全年无民转刑案件发生。").done())

    w = _Writer("案卷评查")
    if rev.files:
        w.t("开展").exact("year", year, "年").t("行政执法案卷评查活动，抽取").exact("review:townships", rev.townships, "个")
        w.t("乡镇的行政处罚案卷").exact("review:files", rev.files, "件").t("，集中反馈问题")
        w.exact("review:problems", rev.problems, "个")
        if rev.problems and rev.rectified == rev.problems:
            w.t("，已全部整改。")
        else:
            w.t("，已整改").exact("review:rectified", rev.rectified, "个").t("，其余问题督促落实整改。")
    else:
        w.exact("year", year, "年").t("尚未开展行政执法案卷评查抽样。")
    out.append(w.done())

    w = _Writer("执法队伍")
    w.t("组织执法人员参加各类依法行政工作培训").exact("trainings", f["trainings"], "次").t("，培训执法人员")
    w.approx("training_attendance", f["training_attendance"], "人次").t("；全区持有效执法证件的执法人员")
    out.append(w.exact("certified_officers", f["certified_officers"], "人").t("。").done())
    return tuple(out)


_TOWN_KEYS = ("inspections", "officer_turnouts", "cases_filed", "cases_closed", "fines_yuan", "mediation_accepted",
              "mediation_succeeded", "mediation_success_rate")
_MONTH_KEYS = ("inspections", "officer_turnouts", "businesses_inspected", "cases_filed", "cases_closed",
               "mediation_accepted", "mediation_succeeded")


def _head(key: str) -> str:
    return f"{LABELS[key]}（{UNITS[key]}）"


def build_report(uow: UnitOfWork, year: int) -> ReportData:
    """Figures, sentences and tables of ``year`` for the whole district (as closed, when the year is closed)."""
    ensure_fresh(uow)  # figure_month up to date before the read transaction (services/district/figures.py)
    with uow:
        s = uow.session
        today = uow.clock.today()
        scope = townships(s)
        ds = compute_district(s, Period(year), today=today, scope=scope)
        prev_closed = closed_view(s, Period(year - 1), scope)
        rev = compute_review_figures(s, year)
        district = _district_name(s)
    monthly = monthly_stats(uow, year)
    f = ds.reported()
    prev = prev_closed.total if prev_closed is not None else ds.previous_total
    amendments = list_amendments(uow, year) if ds.closed is not None else []
    tables = [_main_table(ds, f, prev, year), _town_table(ds), _month_table(monthly.months, f, year)]
    if ds.closed is not None:
        tables.append(ReportTable("amendments", f"表{len(tables) + 1}　关账数与关账后补报", (
            "指标", "关账数", "补报增减", "现数"), tuple(
            (_head(k), ds.closed.total[k], ds.closed.delta(ds.total)[k], ds.total[k]) for k in INDICATOR_KEYS)))
    if rev.files:
        rows = [(name, n, p, r) for name, n, p, r in rev.by_township]
        rows.append(("合计", rev.files, rev.problems, rev.rectified))
        tables.append(ReportTable("review", f"表{len(tables) + 1}　案卷评查情况",
                                  ("乡镇", "抽查案卷（件）", "发现问题（个）", "已整改（个）"), tuple(rows)))
    notes = list(RULES)
    if ds.closed is not None:
        notes.insert(0, f"本部分数据为{ds.closed.closed_at[:10]}关账数（{ds.closed.reason}）；关账后补报或更正记录"
                        f"{len(amendments)}条，增减情况见“关账数与关账后补报”表。")
    return ReportData(f"{district}{year}年度综合行政执法和人民调解工作情况", district, year, today,
                      sentences(year, len(scope), f, prev, rev), tuple(tables), tuple(notes), f, prev)


def _district_name(s: Session) -> str:
    from sqlalchemy import select

    own = own_township_uid(s)
    row = s.execute(select(Township.district_name, Township.name).where(Township.uid == own)).first()
    if row is None:
        return ""
    return row[0] or row[1]


def _main_table(ds: DistrictStats, f: Figures, prev: Figures, year: int) -> ReportTable:
    rows = tuple((_head(k), f[k], prev[k], change(f[k], prev[k]).text) for k in INDICATOR_KEYS)
    return ReportTable("main", "表1　主要指标", ("指标", f"{year}年", f"{year - 1}年", "同比"), rows)


def _town_table(ds: DistrictStats) -> ReportTable:
    closed = ds.closed
    rows: list[tuple[Any, ...]] = []
    for t in ds.townships:
        fig = closed.by_township[t.township.uid] if closed is not None else t.figures
        rows.append((t.township.name, *(fig[k] for k in _TOWN_KEYS)))
    total = ds.reported()
    rows.append(("合计", *(total[k] for k in _TOWN_KEYS)))
    return ReportTable("townships", "表2　分乡镇情况", ("乡镇", *(_head(k) for k in _TOWN_KEYS)), tuple(rows))


def _month_table(months: tuple[Figures, ...], f: Figures, year: int) -> ReportTable:
    rows: list[tuple[Any, ...]] = [(f"{m}月", *(fig[k] for k in _MONTH_KEYS)) for m, fig in enumerate(months, 1)]
    rows.append(("全年", *(sum(m[k] for m in months) for k in _MONTH_KEYS)))
    return ReportTable("months", f"表3　{year}年分月情况（实时数）", ("月份", *(_head(k) for k in _MONTH_KEYS)),
                       tuple(rows))


@dataclass
class ReportFile:
    path: str
    kind: str
    bytes: int
    sentences: list[str] = field(default_factory=list)
