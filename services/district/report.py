"""The yearly report's enforcement and mediation part: tables and sentences built from one set of figures.

Every number a sentence prints is recorded next to it (``Cited``: the indicator, the exact value and the text
printed under the rules of services/district/wording.py), so the renderers (PDF, Word, Excel) print sentences
and tables from the same ``ReportData``, and a test reads the numbers back out of the generated files and
checks them against the tables. A closed year reports its figures as closed; the amendments since are listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.inspection import Campaign, Inspection
from models.org import Squad, Township
from services.core.errors import ValidationError
from services.core.uow import UnitOfWork
from services.district.closing import closed_view, list_amendments
from services.district.common import own_township_uid, townships
from services.district.review import ReviewFigures, compute_review_figures
from services.district.stats import DistrictStats, compute_district, figure_change, monthly_stats
from services.district.wording import (
    Change,
    approx_text,
    campaign_name,
    campaigns_text,
    change,
    money_text,
    numbers_in,
    percent_text,
    place_word,
    short_place,
)
from services.read.district_mode import is_district_database
from services.statistics.figures import ensure_fresh
from services.statistics.indicators import INDICATOR_KEYS, LABELS, UNITS, Figures, Period


@dataclass(frozen=True, slots=True)
class Cited:
    key: str  # indicator key, "year", "townships", "yoy:<key>", "review:<what>" or "campaign_names"
    value: Any
    shown: str  # exactly what the sentence prints for it


@dataclass(frozen=True, slots=True)
class Sentence:
    """One 一是/二是 item of a section: its topic sentence ("加大重点领域执法力度") and what follows it."""

    heading: str
    text: str
    cited: tuple[Cited, ...]
    ordinal: str = ""  # "一是", "二是" …; empty when the item stands alone in its section

    @property
    def lead(self) -> str:
        """What precedes the figures in print: "一是加大重点领域执法力度。" (nothing for a lone item)."""
        return f"{self.ordinal}{self.heading}。" if self.ordinal else ""

    def numbers(self) -> list[str]:
        return numbers_in(self.text)


@dataclass(frozen=True, slots=True)
class Section:
    """A paragraph of the report: "（一）加强行政执法监督，规范公正文明执法。一是…。二是…。"."""

    title: str  # with its number: "（一）加强行政执法监督，规范公正文明执法"
    items: tuple[Sentence, ...]

    @property
    def head(self) -> str:
        return f"{self.title}。"

    @property
    def body(self) -> str:
        return "".join(i.lead + i.text for i in self.items)

    @property
    def text(self) -> str:
        return self.head + self.body


@dataclass(frozen=True, slots=True)
class ReportTable:
    key: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # raw values (int, Decimal, float, str): renderers format them


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    district: str  # whose report: the district, or the township a township database reports for
    year: int
    generated_on: date
    sections: tuple[Section, ...]
    tables: tuple[ReportTable, ...]
    notes: tuple[str, ...]
    figures: Figures  # the figures the sentences and the main table print
    previous: Figures

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(i for sec in self.sections for i in sec.items)

    def table(self, key: str) -> ReportTable:
        return next(t for t in self.tables if t.key == key)


RULES = (
    "人次、台次、户次等累计数按“余”写法：不足100照实写；100至999舍去个位（403写作“400余”）；"
    "1000以上保留前两位有效数字、其余舍去（4812写作“4800余”）；恰为整数时不写“余”。",
    "件数、个数照实写；为0的事项不写（民转刑案件写“全年无民转刑案件发生”）。百分率保留一位小数，四舍五入"
    "（580/590写作98.3%）。",
    "同比＝（本年数－上年数）÷上年数×100%，舍去小数取整（11比3写作“同比上升266%”），不足1%写“不足1%”；"
    "上年数为0时不计算同比。比率（调解成功率）的变化写两年比率之差，以“个百分点”计（95.0%到98.3%写作"
    "“同比上升3.3个百分点”）。",
    "罚款金额1万元以上以万元为单位保留一位小数（四舍五入），不足1万元以元为单位；表中金额为元，保留两位小数。",
)

CAMPAIGNS_NAMED = 3  # the district report names three campaigns before its "等专项整治工作"
ORDINALS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是")
SECTION_NUMBERS = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


@dataclass(frozen=True, slots=True)
class Voice:
    """Who speaks: the district ("全区", "我区") or one township reporting for itself ("全镇", "我镇")."""

    name: str  # 乐山市五通桥区 / 竹根镇: the report's title begins with it
    place: str  # 区 / 镇 / 乡 / 街道
    squad: str  # a township's squad ("竹根镇综合行政执法中队"); the district counts its townships' squads
    mediators: str  # "全区镇村两级人民调解组织" / "全镇人民调解组织"
    towns: int  # townships reported on; 0 when a township reports for itself

    @property
    def district(self) -> bool:
        return self.towns > 0

    @property
    def whole(self) -> str:
        return f"全{self.place}"

    def squads(self, w: _Writer) -> _Writer:
        """The subject of the inspection sentence: "全区6个乡镇综合行政执法中队" / "竹根镇综合行政执法中队"."""
        if not self.district:
            return w.t(self.squad)
        return w.t(self.whole).exact("townships", self.towns, "个").t("乡镇综合行政执法中队")

    @property
    def we(self) -> str:
        return f"我{self.place}"


def district_voice(name: str, n_towns: int) -> Voice:
    place = place_word(name)
    return Voice(name, place, "", f"全{place}镇村两级人民调解组织", n_towns)


def township_voice(name: str, squad: str) -> Voice:
    place = place_word(name) if name.endswith(("镇", "乡", "街道")) else "镇"
    return Voice(name, place, squad or f"{name}综合行政执法中队", f"全{place}人民调解组织", 0)


class _Writer:
    """Builds one clause or sentence, recording each number it prints."""

    def __init__(self, heading: str = "") -> None:
        self.heading = heading
        self.parts: list[str] = []
        self.cited: list[Cited] = []

    def t(self, text: str) -> _Writer:
        self.parts.append(text)
        return self

    def cite(self, key: str, value: Any, shown: str) -> _Writer:
        self.parts.append(shown)
        self.cited.append(Cited(key, value, shown))
        return self

    def exact(self, key: str, value: int, unit: str = "") -> _Writer:
        return self.cite(key, value, f"{value}{unit}")

    def approx(self, key: str, value: int, unit: str) -> _Writer:
        return self.cite(key, value, approx_text(value, unit))

    def money(self, key: str, value: Decimal) -> _Writer:
        return self.cite(key, value, money_text(value))

    def pct(self, key: str, value: float) -> _Writer:
        return self.cite(key, value, percent_text(value))

    def yoy(self, key: str, ch: Change, year: int) -> _Writer:
        """"，较2024年同比上升15%" / "，与上年持平"; nothing when there is nothing to compare with."""
        if ch.direction == "无对比":
            return self
        if ch.direction == "持平":
            return self.t("，").cite(f"yoy:{key}", ch, ch.text)  # "与上年持平": no year, no number
        self.t("，较").exact("year", year - 1, "年")
        return self.cite(f"yoy:{key}", ch, ch.text)

    def add(self, other: _Writer) -> _Writer:
        self.parts += other.parts
        self.cited += other.cited
        return self

    @property
    def empty(self) -> bool:
        return not self.parts

    def sentence(self, clauses: list[_Writer], sep: str = "，", end: str = "。") -> _Writer:
        """Joins the clauses that say something; a sentence whose clauses are all empty is left out."""
        said = [c for c in clauses if not c.empty]
        for k, c in enumerate(said):
            if k:
                self.t(sep)
            self.add(c)
        if said:
            self.t(end)
        return self

    def done(self) -> Sentence:
        return Sentence(self.heading, "".join(self.parts), tuple(self.cited))


def _clause(value: Any, build: Callable[[_Writer], object]) -> _Writer:
    """A clause that is only said when its figure is not zero."""
    w = _Writer()
    if value:
        build(w)
    return w


def _enforcement(year: int, v: Voice, f: Figures, prev: Figures, rev: ReviewFigures,
                 campaigns: tuple[str, ...]) -> list[Sentence]:
    items: list[Sentence] = []
    w = _Writer("加大重点领域执法力度")
    first = w.sentence([
        _clause(f["inspections"], lambda c: c.t("开展巡查检查").exact("inspections", f["inspections"], "次")),
        _clause(campaigns, lambda c: c.cite("campaign_names", campaigns, campaigns_text(list(campaigns)))),
        _clause(f["officer_turnouts"], lambda c: c.t("共计出动执法人员").approx(
            "officer_turnouts", f["officer_turnouts"], "人次")),
        _clause(f["vehicle_turnouts"], lambda c: c.t("动用执法车辆").approx(
            "vehicle_turnouts", f["vehicle_turnouts"], "台次")),
        _clause(f["businesses_inspected"], lambda c: c.t("检查各类经营户").approx(
            "businesses_inspected", f["businesses_inspected"], "户次")),
        _clause(f["problems_found"], lambda c: c.t("发现问题").exact("problems_found", f["problems_found"], "个")),
        _clause(f["problems_rectified"], lambda c: c.t("督促整改问题").exact(
            "problems_rectified", f["problems_rectified"], "个")),
    ])
    if not first.empty:
        lead = v.squads(_Writer().exact("year", year, "年").t("，"))
        items.append(_Writer(w.heading).add(lead).add(first).done())

    w = _Writer("从严规范行政处罚行为")
    w.sentence([
        _clause(f["cases_filed"], lambda c: c.t("全年共立案查处违法案件").exact("cases_filed", f["cases_filed"], "件")
                .yoy("cases_filed", change(f["cases_filed"], prev["cases_filed"]), year)),
        _clause(f["summary_procedure_cases"], lambda c: c.t("适用简易程序当场作出行政处罚决定").exact(
            "summary_procedure_cases", f["summary_procedure_cases"], "件")),
        _clause(f["cases_closed"], lambda c: c.t("办结案件").exact("cases_closed", f["cases_closed"], "件")),
        _clause(f["fines_yuan"], lambda c: c.t("共处罚款").money("fines_yuan", f["fines_yuan"])),
    ])
    w.sentence([
        _clause(f["no_penalty_decisions"], lambda c: c.t("对轻微违法行为等依法作出不予行政处罚决定").exact(
            "no_penalty_decisions", f["no_penalty_decisions"], "件")),
        _clause(f["coercive_measures"], lambda c: c.t("依法实施查封、扣押").exact(
            "coercive_measures", f["coercive_measures"], "件")),
    ])
    if not w.empty:
        items.append(w.done())

    w = _Writer("严格落实行政执法“三项制度”")
    w.sentence([
        _clause(f["disclosures"], lambda c: c.t("公示行政处罚决定").exact("disclosures", f["disclosures"], "条")),
        _clause(f["major_decisions_reviewed"], lambda c: c.t("重大执法决定经法制审核").exact(
            "major_decisions_reviewed", f["major_decisions_reviewed"], "件")),
        _clause(f["hearings"], lambda c: c.t("依法组织听证").exact("hearings", f["hearings"], "件")),
    ])
    links = _Writer().sentence([
        _clause(f["transfers_to_departments"], lambda c: c.t("向有关部门移送案件").exact(
            "transfers_to_departments", f["transfers_to_departments"], "件")),
        _clause(f["transfers_to_judiciary"], lambda c: c.t("向司法机关移送涉嫌犯罪案件").exact(
            "transfers_to_judiciary", f["transfers_to_judiciary"], "件")),
    ])
    if not links.empty:
        w.t("聚焦“两法衔接”，").add(links)
    if not w.empty:
        items.append(w.done())

    if rev.files:
        w = _Writer("开展行政执法案卷评查")
        w.t("开展").exact("year", year, "年").t("行政执法案卷评查活动，抽取")
        if v.district:
            w.exact("review:townships", rev.townships, "个").t("乡镇的")
        w.t("行政处罚案卷").exact("review:files", rev.files, "件")
        if not rev.problems:
            w.t("，未发现问题。")
        else:
            w.t("，集中反馈问题").exact("review:problems", rev.problems, "个")
            if rev.rectified == rev.problems:
                w.t("，已全部整改。")
            elif rev.rectified:
                w.t("，已整改").exact("review:rectified", rev.rectified, "个").t("，其余问题督促落实整改。")
            else:
                w.t("，并督促落实整改。")
        items.append(w.done())

    w = _Writer("加强执法队伍建设")
    w.sentence([
        _clause(f["trainings"], lambda c: c.t("组织执法人员参加各类依法行政工作培训").exact(
            "trainings", f["trainings"], "次")),
        _clause(f["training_attendance"], lambda c: c.t("培训执法人员").approx(
            "training_attendance", f["training_attendance"], "人次")),
    ])
    if f["certified_officers"]:
        w.t(f"{v.whole}持有效行政执法证件的执法人员").exact("certified_officers", f["certified_officers"], "人").t("。")
    if not w.empty:
        items.append(w.done())
    return items


def _mediation(year: int, v: Voice, f: Figures, prev: Figures) -> list[Sentence]:
    items: list[Sentence] = []
    w = _Writer("深化矛盾纠纷多元化解")
    if f["mediation_accepted"]:
        w.exact("year", year, "年").t(f"，{v.mediators}共受理矛盾纠纷")
        w.exact("mediation_accepted", f["mediation_accepted"], "件")
        w.yoy("mediation_accepted", change(f["mediation_accepted"], prev["mediation_accepted"]), year)
        if f["mediation_succeeded"]:
            w.t("，调解成功").exact("mediation_succeeded", f["mediation_succeeded"], "件")
        # A rate's change is the difference of the rates, in 百分点; a year with nothing to rate has none.
        w.t("，调解成功率").pct("mediation_success_rate", f["mediation_success_rate"])
        before = prev["mediation_success_rate"] if prev["mediation_accepted"] else None
        w.yoy("mediation_success_rate", change(f["mediation_success_rate"], before, rate=True), year).t("。")
    if f["mediation_escalated_to_criminal"]:
        w.t("全年发生民转刑案件").exact("mediation_escalated_to_criminal", f["mediation_escalated_to_criminal"], "件")
        w.t("。")
    elif not w.empty:
        w.t(f"{v.we}全年无民转刑案件发生。")  # the district report's own words for a zero that matters
    if not w.empty:
        items.append(w.done())
    if f["judicial_confirmations"]:
        w = _Writer("推进诉调对接")
        w.t("经人民法院司法确认调解协议").exact("judicial_confirmations", f["judicial_confirmations"], "件").t("。")
        items.append(w.done())
    return items


def _number(items: list[Sentence]) -> tuple[Sentence, ...]:
    """一是, 二是 … in order; a section of one item says it without an ordinal or topic (no 一是 without 二是)."""
    if len(items) == 1:
        return (replace(items[0], ordinal=""),)
    return tuple(replace(it, ordinal=ORDINALS[k]) for k, it in enumerate(items))


def sections(year: int, voice: Voice, f: Figures, prev: Figures, rev: ReviewFigures,
             campaigns: tuple[str, ...] = ()) -> tuple[Section, ...]:
    """The report's paragraphs in the district report's own voice (五通桥区2021年法治政府建设报告, parts (五)
    and (六)): a numbered title, then 一是/二是 items; a clause whose figure is zero is not written."""
    parts = (("加强行政执法监督，规范公正文明执法", _enforcement(year, voice, f, prev, rev, campaigns)),
             (f"聚焦平安{short_place(voice.name)}建设，防范化解稳定风险", _mediation(year, voice, f, prev)))
    said = [(title, items) for title, items in parts if items]
    return tuple(Section(f"{SECTION_NUMBERS[k]}{title}", _number(items)) for k, (title, items) in enumerate(said))


_TOWN_KEYS = ("inspections", "officer_turnouts", "cases_filed", "cases_closed", "fines_yuan", "mediation_accepted",
              "mediation_succeeded", "mediation_success_rate")
_MONTH_KEYS = ("inspections", "officer_turnouts", "businesses_inspected", "cases_filed", "cases_closed",
               "mediation_accepted", "mediation_succeeded")


def _head(key: str) -> str:
    return f"{LABELS[key]}（{UNITS[key]}）"


def build_report(uow: UnitOfWork, year: int) -> ReportData:
    """Figures, sections and tables of ``year``: the whole district's (as closed, when the year is closed), or —
    on a township's own database — that township's, in its own name ("竹根镇…", "全镇", "我镇")."""
    district = is_district_database(uow)
    ensure_fresh(uow)  # figure_month up to date before the read transaction (services/statistics/figures.py)
    with uow:
        s = uow.session
        today = uow.clock.today()
        if district:
            scope = townships(s)
            if not scope:
                raise ValidationError("区级数据库中还没有任何乡镇的数据：请先导入乡镇的同步包或台账，再生成年度报告")
            voice = district_voice(_own_name(s), len(scope))
        else:
            own = next((t for t in townships(s, include_own=True) if t.uid == own_township_uid(s)), None)
            if own is None:
                raise ValidationError("本数据库尚未初始化乡镇信息，无法生成年度报告")
            scope = [own]
            voice = township_voice(own.name, _squad_name(s, own.id))
        ds = compute_district(s, Period(year), today=today, scope=scope)
        prev_closed = closed_view(s, Period(year - 1), scope)
        rev = compute_review_figures(s, year) if district else ReviewFigures(year, 0, 0, 0, 0, 0, 0, ())
        campaigns = campaign_names(s, year, [t.id for t in scope])
    monthly = monthly_stats(uow, year, None if district else scope[0].uid)
    f = ds.reported()
    prev = prev_closed.total if prev_closed is not None else ds.previous_total
    amendments = list_amendments(uow, year) if ds.closed is not None else []
    tables = [_main_table(f, prev, year)]
    if district:
        tables.append(_town_table(ds, len(tables) + 1))
    tables.append(_month_table(monthly.months, year, len(tables) + 1))
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
    if not district:
        notes.insert(0, f"本报告由{voice.name}本机数据库生成，只含本{voice.place}的记录；全区汇总以区级数据库为准。")
    return ReportData(f"{voice.name}{year}年度综合行政执法和人民调解工作情况", voice.name, year, today,
                      sections(year, voice, f, prev, rev, campaigns), tuple(tables), tuple(notes), f, prev)


def campaign_names(s: Session, year: int, township_ids: list[int]) -> tuple[str, ...]:
    """The campaigns of the year the report names (CAMPAIGNS_NAMED at most), shortened, distinct, the ones with
    the most inspections first — the same campaigns the indicator ``campaigns`` counts (started in the year)."""
    linked = (select(Inspection.campaign_id, func.count().label("n")).where(Inspection.deleted_at.is_(None))
              .group_by(Inspection.campaign_id).subquery())
    rows = s.execute(
        select(Campaign.name, Campaign.start_date, func.coalesce(linked.c.n, 0))
        .outerjoin(linked, linked.c.campaign_id == Campaign.id)
        .where(Campaign.deleted_at.is_(None), Campaign.township_id.in_(township_ids),
               Campaign.start_date >= date(year, 1, 1), Campaign.start_date <= date(year, 12, 31))).all()
    weight: dict[str, tuple[int, int, date]] = {}
    for name, start, n in rows:
        short = campaign_name(name)
        inspections, count, first = weight.get(short, (0, 0, start))
        weight[short] = (inspections + int(n), count + 1, min(first, start))
    ranked = sorted(weight, key=lambda k: (-weight[k][0], -weight[k][1], weight[k][2], k))
    return tuple(ranked[:CAMPAIGNS_NAMED])


def _own_name(s: Session) -> str:
    own = own_township_uid(s)
    row = s.execute(select(Township.district_name, Township.name).where(Township.uid == own)).first()
    if row is None:
        return ""
    return row[0] or row[1]


def _squad_name(s: Session, township_id: int) -> str:
    return s.scalar(select(Squad.name).where(Squad.township_id == township_id, Squad.deleted_at.is_(None))
                    .order_by(Squad.id).limit(1)) or ""


def _main_table(f: Figures, prev: Figures, year: int) -> ReportTable:
    rows = tuple((_head(k), f[k], prev[k], figure_change(k, f, prev).text) for k in INDICATOR_KEYS)
    return ReportTable("main", "表1　主要指标", ("指标", f"{year}年", f"{year - 1}年", "同比"), rows)


def _town_table(ds: DistrictStats, number: int) -> ReportTable:
    closed = ds.closed
    rows: list[tuple[Any, ...]] = []
    for t in ds.townships:
        fig = closed.by_township[t.township.uid] if closed is not None else t.figures
        rows.append((t.township.name, *(fig[k] for k in _TOWN_KEYS)))
    total = ds.reported()
    rows.append(("合计", *(total[k] for k in _TOWN_KEYS)))
    return ReportTable("townships", f"表{number}　分乡镇情况", ("乡镇", *(_head(k) for k in _TOWN_KEYS)), tuple(rows))


def _month_table(months: tuple[Figures, ...], year: int, number: int) -> ReportTable:
    rows: list[tuple[Any, ...]] = [(f"{m}月", *(fig[k] for k in _MONTH_KEYS)) for m, fig in enumerate(months, 1)]
    rows.append(("全年", *(sum(m[k] for m in months) for k in _MONTH_KEYS)))
    return ReportTable("months", f"表{number}　{year}年分月情况（实时数）", ("月份", *(_head(k) for k in _MONTH_KEYS)),
                       tuple(rows))


@dataclass
class ReportFile:
    path: str
    kind: str
    bytes: int
    sentences: list[str] = field(default_factory=list)
