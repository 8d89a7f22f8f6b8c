"""Bulk demo data: ten years of one township's records, written with raw sqlite3 in one transaction.

``generate_township`` fills an initialised database with 2017-01-01 .. ``today`` of inspections, penalty
cases, mediation cases and everything hanging off them. The ORM is far too slow for a million rows
(docs/performance.md §2: add_all is ~35× slower than executemany), so rows are built as tuples and inserted with
``executemany`` inside ONE transaction, then one audit event per table is appended to the hash chain in that
same transaction. Everything is drawn from ``random.Random(seed)``: the same seed and ``today`` give the same
database, row for row.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random
from types import SimpleNamespace
from typing import Any

from sqlalchemy.engine import Connection

from models.base import SHANGHAI
from models.enums import (
    AgreementForm,
    CaseStatus,
    InspectionResult,
    MediationStatus,
    NoPenaltyGround,
    PerformanceStatus,
    Procedure,
)
from models.identifiers import resident_id_check_char, uscc_check_char
from models.penalty_flow import CaseAction
from models.workdays import WorkCalendar
from services.core.audit import PendingEvent, append_events, digest
from services.core.db import WRITE_OPTION, Database
from services.core.errors import AppError
from services.procedures import deadlines as dl
from services.reference.calendar import load_calendar
from services.reference.settings import Settings

Progress = Callable[[str, int], None]
S = CaseStatus

START = date(2017, 1, 1)
AREA = "511112"  # 四川省乐山市五通桥区
COURT = "乐山市五通桥区人民法院"

# Base volumes at scale 1.0 (the whole period, 2017-01-01 .. today).
N_INSPECTIONS = 106_000  # primary inspections + re-inspections
N_CASES = 21_000
N_MEDIATIONS = 10_600
N_PARTIES = 15_000
CAMPAIGNS_PER_YEAR = 8
TRAININGS_PER_YEAR = 6
ROWS_PER_INSERT = 200  # rows per multi-row INSERT in write() (within SQLite's bound-variable limit)
GROWTH = 0.045  # yearly growth of the workload since 2017

_SYNC = ("id", "uid", "origin_device", "version", "created_at", "updated_at")

# -- names, places ----------------------------------------------------------------------------------------

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何罗罗高林郑梁谢宋唐许邓冯韩曹曾曾彭萧蔡潘田董袁于余叶蒋杜"
    "苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严赖覃洪武"
)
MALE_GIVEN = (
    "伟", "强", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "波", "建国", "建华", "志强",
    "志明", "文华", "国平", "德明", "晓东", "俊杰", "海涛", "永红", "光荣", "长春", "家福", "学军", "大勇", "世平",
    "天明", "开明", "应华", "成林", "正权", "兴旺", "德才", "子轩", "浩然", "宇航", "明轩", "宏伟", "永刚", "云峰",
)
FEMALE_GIVEN = (
    "芳", "娟", "敏", "静", "丽", "艳", "霞", "燕", "玲", "萍", "红", "梅", "琴", "秀英", "桂芳", "淑华", "玉兰", "晓燕",
    "丽华", "春梅", "秀兰", "海燕", "小红", "雪梅", "凤英", "素芬", "建英", "英", "蓉", "琳", "婷婷", "欣怡", "雨涵",
    "诗涵", "梓涵", "佳怡", "思雨", "晓琳", "慧敏", "丽娟", "德秀", "朝芬", "明芳",
)
VILLAGES = ("新华村", "桥沟村", "杨柳村", "石麟村", "永祥村", "双江村", "马鞍村", "和平村", "西坝村", "庙儿村")
STREETS = ("桥沟街", "新华路", "竹根大道", "滨江路", "正街", "兴盛街", "通江路", "盐都大道", "菜市街", "新桥街")
SHOP_WORDS = (
    "福满楼", "兴旺", "鑫源", "顺发", "老王", "川味", "和平", "便民", "惠民", "金桥", "家和", "好运来", "佳佳", "宏达",
    "盛世", "老字号", "乐山", "嘉州", "竹韵", "江边", "红红", "阿婆", "老街", "德胜", "鸿运", "富民", "同心", "四季",
)
SHOP_KINDS = (
    "烧烤店", "餐馆", "五金店", "建材经营部", "汽修店", "超市", "茶楼", "火锅店", "副食店", "农资店", "废品回收站", "洗车店",
    "小吃店", "理发店", "水果店", "钢材经营部", "家具店", "KTV", "面馆", "冷淡杯",
)
ORG_KINDS = (
    "建筑工程有限公司", "建材有限公司", "物流有限公司", "食品有限公司", "商贸有限公司", "混凝土有限公司", "环保科技有限公司",
    "房地产开发有限公司", "劳务有限公司", "餐饮管理有限公司", "渣土运输有限公司", "化工有限公司",
)
DOMAIN_CHECKS: dict[str, tuple[str, ...]] = {
    "市容环境卫生": ("门前三包责任落实", "店外经营、乱堆乱放", "乱张贴、乱涂写", "垃圾收集容器设置", "户外招牌广告设置"),
    "占道": ("占道经营", "占用人行道堆放物料", "挖掘道路审批手续", "施工围挡及警示标志"),
    "违法建设": ("乡村建设规划许可证", "按许可内容建设", "违法搭建构筑物", "建设工程公示牌"),
    "扬尘": ("工地硬质围挡", "裸土覆盖", "车辆冲洗设施", "渣土车辆密闭运输", "湿法作业"),
    "油烟": ("油烟净化设施安装", "净化设施正常使用及清洗记录", "露天烧烤", "排烟管道设置"),
    "焚烧": ("露天焚烧垃圾", "焚烧秸秆落叶", "焚烧沥青塑料等"),
    "生活垃圾": ("生活垃圾分类投放", "随意倾倒抛撒", "收运台账", "垃圾桶满溢"),
    "建筑垃圾": ("建筑垃圾处置核准", "运输车辆密闭", "随意倾倒建筑垃圾", "消纳场地手续"),
    "噪声": ("高音广播喇叭使用", "夜间施工许可", "施工噪声排放", "娱乐场所噪声控制"),
    "校园周边": ("校园周边娱乐场所", "向未成年人售烟酒", "校园周边流动摊贩", "禁烟标识设置"),
}
GENERIC_CHECKS = ("经营场所环境卫生", "证照公示", "安全通道畅通", "台账记录")
DOMAIN_WEIGHTS = {
    "市容环境卫生": 30, "占道": 18, "油烟": 10, "生活垃圾": 10, "扬尘": 8, "噪声": 7, "建筑垃圾": 5, "违法建设": 5,
    "焚烧": 4, "校园周边": 3,
}
ITEM_WEIGHTS = {
    "SR-001": 8, "SR-002": 6, "SR-003": 18, "SR-004": 4, "DL-001": 10, "YC-001": 4, "YC-002": 5, "YY-001": 5,
    "YY-002": 10, "FS-001": 4, "LJ-001": 10, "LJ-002": 2, "LJ-003": 2, "ZS-001": 6, "ZS-002": 2, "ZS-003": 3,
    "XY-001": 1, "XY-002": 3,
}
CAMPAIGN_THEMES = (
    ("市容环境卫生", "春季城乡环境综合整治"), ("占道", "占道经营集中整治"), ("油烟", "餐饮油烟专项治理"),
    ("扬尘", "建筑工地扬尘治理攻坚"), ("焚烧", "秸秆禁烧专项行动"), ("噪声", "中高考期间噪声污染防治"),
    ("校园周边", "校园周边环境综合整治"), ("建筑垃圾", "渣土运输撒漏整治"), ("违法建设", "违法建设专项治理"),
    ("生活垃圾", "生活垃圾分类推进"), ("市容环境卫生", "迎春节市容秩序整治"), ("占道", "国庆期间市容秩序保障"),
)
TRAINING_TITLES = (
    "《行政处罚法》专题培训", "行政执法三项制度培训", "执法文书制作规范培训", "执法记录仪使用与证据固定培训",
    "人民调解业务培训", "城市管理执法礼仪培训", "安全生产执法培训", "行政强制法实务培训", "综合行政执法事项清单解读",
)
TRAINING_ORGANISERS = ("五通桥区综合行政执法局", "竹根镇人民政府", "五通桥区司法局", "乐山市综合行政执法局")
DEPARTMENTS = (
    "五通桥区市场监督管理局", "五通桥区自然资源局", "乐山市五通桥生态环境局", "五通桥区住房和城乡建设局",
    "五通桥区农业农村局", "五通桥区交通运输局",
)
POLICE = "乐山市公安局五通桥区分局"
COERCIVE_GOODS = (
    ("烧烤炉", "不锈钢", "台"), ("音响设备", "", "套"), ("遮阳伞", "3米", "把"), ("货架", "", "个"), ("广告牌", "", "块"),
    ("三轮车", "", "辆"), ("渣土运输车辆", "重型自卸", "辆"), ("发电机", "5kW", "台"), ("桌椅", "", "套"),
)
MEDIATION_SUMMARIES = {
    "婚姻家庭": "夫妻因家庭琐事及子女抚养问题发生争执", "邻里纠纷": "相邻双方因排水、通行及噪声问题发生纠纷",
    "房屋宅基地": "双方对宅基地界址存在争议", "合同纠纷": "双方因货款结算发生争议",
    "生产经营": "双方因合伙经营利润分配发生纠纷", "损害赔偿": "一方饲养的家禽毁坏另一方庄稼，双方就赔偿发生争议",
    "山林土地": "双方对承包地边界存在争议", "征地拆迁": "当事人对拆迁补偿分配有异议",
    "劳动争议": "务工人员与雇主就拖欠工资发生争议", "医疗纠纷": "患者家属与诊所就诊疗费用及赔偿发生争议",
    "道路交通事故": "双方就交通事故损害赔偿发生争议", "环境污染": "村民反映养殖场异味影响生活",
    "物业纠纷": "业主与物业公司就物业费及服务质量发生争议", "消费纠纷": "消费者与商家就商品质量及退货发生争议",
    "村务管理": "村民对集体收益分配有异议",
}
NO_PENALTY_GROUNDS = ("first_violation", "first_violation", "minor_corrected", "minor_corrected", "no_fault")
TERMINATION_REASONS = ("当事人死亡，案件终止", "违法事实不能成立，案件终止", "当事人（单位）依法注销，案件终止")
SERVICE_METHODS = ("direct", "direct", "direct", "direct", "left", "post", "electronic")

_OPEN_CASE = frozenset(
    {S.CLUE, S.INVESTIGATING, S.REVIEWING, S.NOTIFIED, S.HEARING, S.PENDING_DECISION, S.DECIDED, S.EXECUTING,
     S.ENFORCING, S.EXECUTED, S.NO_PENALTY, S.SUMMARY_DECIDED}
)
_OPEN_MEDIATION = frozenset(
    {MediationStatus.APPLIED, MediationStatus.MEDIATING, MediationStatus.SUCCEEDED,
     MediationStatus.CONFIRMATION_PENDING}
)
_CASE_DATE_FIELDS = frozenset(
    {"filed_on", "legal_review_passed_on", "collective_discussed_on", "notified_on", "hearing_requested_on",
     "hearing_held_on", "decision_date", "served_on", "paid_on", "enforcement_started_on", "disclosed_on",
     "summary_filed_on", "closed_on", "archived_on"}
)


# -- small helpers ---------------------------------------------------------------------------------------


def _uid_from_bits(n: int) -> str:
    """Same text as ``str(uuid.UUID(int=n, version=4))``, without building a UUID object."""
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
    n = (n & ~(0xF000 << 64)) | (4 << 76)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def org_code(rng: Random) -> str:
    """A GB 11714 organisation code: eight code characters and their check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first8 = "".join(rng.choice(chars) for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(first8, weights, strict=True)) % 11
    return first8 + ("X" if c == 10 else "0" if c == 11 else str(c))


class _Table:
    """Rows of one table, in the column order of ``cols`` (sync columns first)."""

    def __init__(self, name: str, cols: Sequence[str], *, sync: bool = True) -> None:
        self.name = name
        self.cols = (_SYNC if sync else ()) + tuple(cols)
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 1

    def sql(self, rows: int = 1) -> str:
        one = f'({", ".join("?" * len(self.cols))})'
        return f'INSERT INTO "{self.name}" ({", ".join(self.cols)}) VALUES {", ".join([one] * rows)}'  # noqa: S608 - the generator's own table and columns


class _Case:
    __slots__ = (
        "key", "id", "uid", "procedure", "party", "item", "registered", "steps", "f", "officers", "coercive",
        "transfer", "status", "created", "updated", "source_insp",
    )

    def __init__(self) -> None:
        self.key = 0
        self.id = 0
        self.uid = ""
        self.procedure = "general"
        self.party: tuple[Any, ...] | None = None
        self.item: dict[str, Any] = {}
        self.registered = 0
        self.steps: list[tuple[int, int, str, S | None, dict[str, Any]]] = []
        self.f: dict[str, Any] = {}
        self.officers: tuple[int, int] | None = None
        self.coercive: tuple[int, int] | None = None  # (start ordinal, end ordinal)
        self.transfer: str = ""  # department | judiciary
        self.status = S.CLUE
        self.created = ""
        self.updated = ""
        self.source_insp: _Insp | None = None


class _Insp:
    __slots__ = (
        "day", "minute", "dur", "result", "domain", "party", "campaign", "deadline", "of", "re", "id", "items",
        "officers", "turnout", "vehicles", "businesses", "place",
    )

    def __init__(self, day: int, minute: int, result: str, domain: str) -> None:
        self.day = day
        self.minute = minute
        self.dur = 30
        self.result = result
        self.domain = domain
        self.party: tuple[Any, ...] | None = None
        self.campaign = 0
        self.deadline = 0
        self.of: _Insp | None = None  # the inspection this one re-inspects
        self.re: _Insp | None = None  # the re-inspection of this one
        self.id = 0
        self.items: list[tuple[str, str]] = []
        self.officers = (0, 0)
        self.turnout = 2
        self.vehicles = 0
        self.businesses = 1
        self.place = ""


# -- the generator -----------------------------------------------------------------------------------------


class _Gen:
    def __init__(self, conn: sqlite3.Connection, *, seed: int, today: date, scale: float,
                 settings: Settings, cal: WorkCalendar, progress: Progress) -> None:
        self.conn = conn
        self.rng = Random(seed)
        self.today = today
        self.t = today.toordinal()
        self.start = START.toordinal()
        self.scale = scale
        self.settings = settings
        self.cal = cal
        self.progress = progress
        self._iso: dict[int, str] = {}
        self.tables: dict[str, _Table] = {}
        self.numbers: dict[tuple[str, int], list[tuple[int, int, Any, str]]] = {}
        self.party_first: dict[int, int] = {}
        self.deadlines: list[tuple[Any, ...]] = []

    # -- primitives ---------------------------------------------------------------------------------------

    def uid(self) -> str:
        return _uid_from_bits(self.rng.getrandbits(128))

    def iso(self, o: int | None) -> str | None:
        if o is None:
            return None
        s = self._iso.get(o)
        if s is None:
            s = self._iso[o] = date.fromordinal(o).isoformat()
        return s

    @staticmethod
    def ts(o: int, minute: int, second: int = 0) -> str:
        """Naive-UTC text of local (Asia/Shanghai) day ``o`` at ``minute`` past midnight."""
        dt = datetime.fromordinal(o) + timedelta(minutes=minute - 480, seconds=second)
        return dt.isoformat(" ", "microseconds")

    def table(self, name: str, cols: Sequence[str], *, sync: bool = True) -> _Table:
        t = self.tables.get(name)
        if t is None:
            t = self.tables[name] = _Table(name, cols, sync=sync)
            row = self.conn.execute(f'SELECT max(id) FROM "{name}"').fetchone()  # noqa: S608 - the generator's own table
            t.next_id = (row[0] or 0) + 1
        return t

    def next_id(self, t: _Table) -> int:
        i = t.next_id
        t.next_id += 1
        return i

    def number(self, doc_type: str, o: int, key: int, target: Any, field: str) -> None:
        """Ask for a document number: assigned later in date order per type and year."""
        self.numbers.setdefault((doc_type, date.fromordinal(o).year), []).append((o, key, target, field))

    def person_name(self, gender: str | None = None) -> tuple[str, str]:
        rng = self.rng
        g = gender or ("男" if rng.random() < 0.52 else "女")
        given = rng.choice(MALE_GIVEN if g == "男" else FEMALE_GIVEN)
        return rng.choice(SURNAMES) + given, g

    def resident_id(self, birth: date, gender: str) -> str:
        rng = self.rng
        while True:
            seq = rng.randrange(100) * 10 + (rng.choice((1, 3, 5, 7, 9)) if gender == "男" else rng.choice((0, 2, 4, 6, 8)))
            first17 = f"{AREA}{birth:%Y%m%d}{seq:03d}"
            full = first17 + resident_id_check_char(first17)
            if full not in self._ids:
                self._ids.add(full)
                return full

    def uscc(self, prefix: str) -> str:
        while True:
            first17 = f"{prefix}{AREA}{org_code(self.rng)}"
            full = first17 + uscc_check_char(first17)
            if full not in self._ids:
                self._ids.add(full)
                return full

    def phone(self) -> str:
        rng = self.rng
        return "1" + rng.choice(("38", "39", "58", "59", "80", "81", "87", "88", "36", "77", "99", "51")) + \
            f"{rng.randrange(10**8):08d}"

    def address(self, street: bool | None = None) -> str:
        rng = self.rng
        if street is None:
            street = rng.random() < 0.45
        if street:
            return f"竹根镇{rng.choice(STREETS)}{rng.randint(1, 180)}号"
        return f"竹根镇{rng.choice(VILLAGES)}{rng.randint(1, 12)}组{rng.randint(1, 60)}号"

    def birth(self, lo: int = 1950, hi: int = 2000) -> date:
        return date.fromordinal(date(lo, 1, 1).toordinal() + self.rng.randrange((hi - lo) * 365))

    def days(self, n: int, growth: float = GROWTH, weekend: float = 0.15) -> list[int]:
        """``n`` sorted day ordinals in [START, today], more on working days and in later years."""
        if n <= 0:
            return []
        ords = range(self.start, self.t + 1)
        cum: list[float] = []
        acc = 0.0
        for o in ords:
            d = date.fromordinal(o)
            w = (1.0 + growth * (d.year - START.year)) * (1.0 if self.cal.is_workday(d) else weekend)
            acc += w
            cum.append(acc)
        return sorted(self.rng.choices(ords, cum_weights=cum, k=n))

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    # -- reference data -----------------------------------------------------------------------------------

    def load_reference(self) -> None:
        c = self.conn
        self.device_uid = c.execute("SELECT value FROM local_state WHERE key='device_uid'").fetchone()[0]
        township_uid = c.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone()[0]
        self.township_id, self.prefix, self.township_name = c.execute(
            "SELECT id, doc_prefix, name FROM township WHERE uid=?", (township_uid,)).fetchone()
        row = c.execute("SELECT id FROM squad WHERE township_id=? ORDER BY id LIMIT 1", (self.township_id,)).fetchone()
        self.squad_id = row[0] if row else None
        self.pattern = self.settings.str("numbering.pattern")
        self.codes = self.settings.dict("numbering.codes")
        self._ids: set[str] = {r[0] for r in c.execute("SELECT id_number FROM party WHERE id_number != ''")}
        self._ids |= {r[0] for r in c.execute("SELECT id_number FROM officer WHERE id_number != ''")}
        items = []
        for r in c.execute(
            "SELECT id, code, name, domain, party_scope, fine_min, fine_max, major_threshold, hearing_threshold_person,"
            " hearing_threshold_org FROM power_item WHERE deleted_at IS NULL AND effective_to IS NULL ORDER BY id"
        ):
            items.append(dict(id=r[0], code=r[1], name=r[2], domain=r[3], scope=r[4], min=r[5], max=r[6], major=r[7],
                              hear_p=r[8], hear_o=r[9], tiers=[]))
        by_id = {it["id"]: it for it in items}
        for item_id, tier, lo, hi in c.execute(
            "SELECT item_id, tier, fine_min, fine_max FROM discretion_tier WHERE deleted_at IS NULL ORDER BY item_id, rank"
        ):
            if item_id in by_id and lo is not None and hi is not None:
                by_id[item_id]["tiers"].append((tier, lo, hi))
        self.items = [it for it in items if it["max"] is not None and it["max"] > 0]
        if not self.items:
            raise AppError("权力事项清单中没有带罚款幅度的事项，无法生成演示案件")
        self.item_weights = [ITEM_WEIGHTS.get(it["code"], 2) for it in self.items]
        self.domains = sorted({it["domain"] for it in items}) or list(DOMAIN_WEIGHTS)
        self.domain_weights = [DOMAIN_WEIGHTS.get(d, 3) for d in self.domains]
        self.categories = [(r[0], r[1]) for r in c.execute(
            "SELECT id, name FROM dispute_category WHERE deleted_at IS NULL AND active=1 ORDER BY position, id")]
        if not self.categories:
            raise AppError("纠纷类别字典为空，无法生成调解案件")
        s = self.settings
        self.hear_person = int(s.decimal("hearing.threshold_person") * 100)
        self.hear_org = int(s.decimal("hearing.threshold_org") * 100)
        self.major_person = int(s.decimal("major.fine_person") * 100)
        self.major_org = int(s.decimal("major.fine_org") * 100)
        self.summary_person = int(s.decimal("summary.max_fine_person") * 100)
        self.summary_org = int(s.decimal("summary.max_fine_org") * 100)

    # -- officers, committees -----------------------------------------------------------------------------

    def officers(self) -> None:
        c = self.conn
        rows = c.execute("SELECT id, name FROM officer WHERE township_id=? AND active=1 AND deleted_at IS NULL "
                         "ORDER BY id", (self.township_id,)).fetchall()
        t = self.table("officer", ("township_id", "squad_id", "name", "gender", "id_number", "phone", "role",
                                   "cert_number", "cert_valid_from", "cert_valid_to", "cert_status",
                                   "legal_qualification", "active"))
        created = self.ts(self.start - 30, 600)
        roles = ["squad_leader", "legal_reviewer"] + ["officer"] * 20
        have = {r[0] for r in c.execute("SELECT role FROM officer WHERE township_id=?", (self.township_id,))}
        roles = [r for r in roles if r == "officer" or r not in have]
        for k in range(max(0, 10 - len(rows))):
            name, g = self.person_name()
            oid = self.next_id(t)
            valid_to = date(self.today.year + 1 + k % 3, 12, 31)
            t.rows.append((
                oid, self.uid(), self.device_uid, 1, created, created, self.township_id, self.squad_id, name, g,
                self.resident_id(self.birth(1968, 1996), g), self.phone(), roles[k], f"51111{k + 201:03d}",
                "2016-07-01", valid_to.isoformat(), "valid", 1 if roles[k] == "legal_reviewer" else 0, 1,
            ))
            rows.append((oid, name))
            officer = SimpleNamespace(cert_valid_to=valid_to, active=True)
            for spec in dl.officer_deadlines(officer):  # type: ignore[arg-type]
                self.deadline("officer", oid, spec)
        self.officer_pool = rows

    def two_officers(self) -> tuple[int, int]:
        pool = self.officer_pool
        i = self.rng.randrange(len(pool))
        j = self.rng.randrange(len(pool) - 1)
        if j >= i:
            j += 1
        return pool[i][0], pool[j][0]

    def committees(self) -> None:
        c = self.conn
        rows = c.execute("SELECT id, name FROM mediation_committee WHERE township_id=? AND deleted_at IS NULL "
                         "ORDER BY id", (self.township_id,)).fetchall()
        tc = self.table("mediation_committee", ("township_id", "name", "kind", "term_start", "term_end", "address"))
        created = self.ts(self.start - 30, 600)
        names = [f"{self.township_name}人民调解委员会"] + [f"{v}人民调解委员会" for v in VILLAGES]
        existing = {r[1] for r in rows}
        for name in names:
            if len(rows) >= 5:
                break
            if name in existing:
                continue
            cid = self.next_id(tc)
            kind = "乡镇" if name.startswith(self.township_name) else "村"
            tc.rows.append((cid, self.uid(), self.device_uid, 1, created, created, self.township_id, name, kind,
                            "2024-01-01", "2026-12-31", self.address(street=kind == "乡镇")))
            rows.append((cid, name))
        tm = self.table("mediator", ("committee_id", "name", "gender", "ethnicity", "phone", "is_chair", "is_member",
                                     "active"))
        self.mediators: dict[int, list[tuple[int, str]]] = {}
        for cid, _name in rows:
            mrows = c.execute("SELECT id, name FROM mediator WHERE committee_id=? AND active=1 AND deleted_at IS NULL",
                              (cid,)).fetchall()
            for k in range(max(0, 3 - len(mrows))):
                name, g = self.person_name()
                mid = self.next_id(tm)
                tm.rows.append((mid, self.uid(), self.device_uid, 1, created, created, cid, name, g, "汉族",
                                self.phone(), 1 if k == 0 and not mrows else 0, 1, 1))
                mrows.append((mid, name))
            self.mediators[cid] = mrows
        self.committee_ids = [r[0] for r in rows]
        self.committee_weights = [4 if k == 0 else 1 for k in range(len(rows))]

    # -- parties -------------------------------------------------------------------------------------------

    def parties(self) -> None:
        rng = self.rng
        t = self.table("party", ("township_id", "kind", "name", "id_type", "id_number", "gender", "birth_date",
                                 "ethnicity", "address", "phone", "legal_rep", "legal_rep_title",
                                 "operator_id_number"))
        self.persons: list[tuple[Any, ...]] = []
        self.shops: list[tuple[Any, ...]] = []
        self.orgs: list[tuple[Any, ...]] = []
        self._party_rows: list[list[Any]] = []
        total = self.n(N_PARTIES)
        for _ in range(total):
            r = rng.random()
            pid = self.next_id(t)
            if r < 0.58:
                name, g = self.person_name()
                birth = self.birth(1945, 2002)
                idn = self.resident_id(birth, g)
                eth = "汉族" if rng.random() < 0.97 else "彝族"
                addr = self.address()
                row = [pid, "person", name, "resident_id", idn, g, birth.isoformat(), eth, addr, self.phone(), "", "", ""]
                self.persons.append((pid, name, "person", addr))
            elif r < 0.87:
                op, g = self.person_name()
                name = f"{self.township_name}{rng.choice(SHOP_WORDS)}{rng.choice(SHOP_KINDS)}"
                addr = self.address(street=True)
                op_id = self.resident_id(self.birth(1960, 1998), g)
                row = [pid, "individual_business", name, "uscc", self.uscc("92"), "", None, "", addr, self.phone(), op,
                       "经营者", op_id]
                self.shops.append((pid, name, "individual_business", addr))
            else:
                rep, _g = self.person_name()
                name = f"乐山市五通桥区{rng.choice(SHOP_WORDS)}{rng.choice(ORG_KINDS)}"
                addr = self.address(street=True)
                row = [pid, "organisation", name, "uscc", self.uscc("91"), "", None, "", addr, self.phone(), rep,
                       rng.choice(("法定代表人", "执行董事", "总经理")), ""]
                self.orgs.append((pid, name, "organisation", addr))
            self._party_rows.append(row)
        self.businesses = self.shops + self.orgs

    def use_party(self, p: tuple[Any, ...] | None, o: int) -> None:
        if p is not None:
            pid = p[0]
            if o < self.party_first.get(pid, 1 << 30):
                self.party_first[pid] = o

    def flush_parties(self) -> None:
        t = self.tables["party"]
        rng = self.rng
        for row in self._party_rows:
            first = self.party_first.get(row[0])
            o = first if first is not None else rng.randrange(self.start, self.t + 1)
            created = self.ts(o, 480 + rng.randrange(540))
            t.rows.append((row[0], self.uid(), self.device_uid, 1, created, created, self.township_id, *row[1:]))
        self._party_rows = []

    def party_for(self, scope: str) -> tuple[Any, ...]:
        rng = self.rng
        if scope == "person":
            pool = self.persons
        elif scope == "organisation":
            pool = self.orgs or self.shops
        else:
            r = rng.random()
            pool = self.persons if r < 0.45 else self.shops if r < 0.8 else self.orgs
        return rng.choice(pool or self.persons)

    # -- campaigns, trainings ----------------------------------------------------------------------------

    def campaigns(self) -> None:
        rng = self.rng
        t = self.table("campaign", ("township_id", "name", "domain", "start_date", "end_date", "description",
                                    "lead_officer_id"))
        self.campaign_list: list[tuple[int, int, int, str]] = []  # (start, end, id, domain)
        for year in range(START.year, self.today.year + 1):
            first = date(year, 1, 1).toordinal()
            last = min(date(year, 12, 31).toordinal(), self.t)
            span = last - first + 1
            count = max(1, round(CAMPAIGNS_PER_YEAR * span / 365)) if span >= 20 else 0
            themes = rng.sample(CAMPAIGN_THEMES, min(count, len(CAMPAIGN_THEMES)))
            starts = sorted(first + rng.randrange(max(1, span - 10)) for _ in themes)
            for (domain, theme), s in zip(themes, starts, strict=True):
                e = s + rng.randint(20, 90)
                cid = self.next_id(t)
                created = self.ts(s - rng.randint(3, 10), 540 + rng.randrange(420))
                lead = rng.choice(self.officer_pool)[0]
                t.rows.append((cid, self.uid(), self.device_uid, 1, created, created, self.township_id,
                               f"{year}年{theme}专项行动", domain, self.iso(s), self.iso(e),
                               f"按照区综合行政执法局统一部署，在全镇范围内开展{theme}工作。", lead))
                self.campaign_list.append((s, e, cid, domain))
        self.campaign_list.sort()
        self.campaign_starts = [c[0] for c in self.campaign_list]

    def campaign_on(self, o: int) -> tuple[int, str] | None:
        k = bisect_left(self.campaign_starts, o + 1)
        found = [c for c in self.campaign_list[max(0, k - 6):k] if c[0] <= o <= c[1]]
        if not found:
            return None
        c = self.rng.choice(found)
        return c[2], c[3]

    def trainings(self) -> None:
        rng = self.rng
        t = self.table("training", ("township_id", "title", "held_on", "organiser", "hours", "place"))
        ta = self.table("training_attendance", ("training_id", "officer_id"))
        for o in self.days(max(1, round(TRAININGS_PER_YEAR * (self.t - self.start) / 365)), growth=0.0, weekend=0.0):
            tid = self.next_id(t)
            created = self.ts(o, 1080)
            t.rows.append((tid, self.uid(), self.device_uid, 1, created, created, self.township_id,
                           rng.choice(TRAINING_TITLES), self.iso(o), rng.choice(TRAINING_ORGANISERS),
                           rng.choice((2, 3, 4, 4, 8)), rng.choice(("镇政府三楼会议室", "区执法局会议室", "线上视频会议"))))
            pool = self.officer_pool
            k = max(1, round(len(pool) * rng.uniform(0.6, 1.0)))
            for oid, _ in rng.sample(pool, k):
                ta.rows.append((self.next_id(ta), self.uid(), self.device_uid, 1, created, created, tid, oid))

    # -- deadlines -----------------------------------------------------------------------------------------

    def deadline(self, owner_table: str, owner_id: int, spec: dl.DeadlineSpec) -> None:
        self.deadlines.append((owner_table, owner_id, spec.kind.value, spec.due_on.isoformat(),
                               1 if spec.provisional else 0, spec.met_on.isoformat() if spec.met_on else None,
                               spec.basis))

    # -- inspections ---------------------------------------------------------------------------------------

    def _fill_inspection(self, ins: _Insp) -> None:
        rng = self.rng
        rand = rng.random
        if ins.party is None and ins.of is None:
            r = rand()
            if r < 0.72:
                ins.party = rng.choice(self.businesses or self.persons)
            elif r < 0.86:
                ins.party = rng.choice(self.persons)
        ins.place = ins.party[3] if ins.party is not None else (ins.place or self.address(street=True))
        self.use_party(ins.party, ins.day)
        ins.dur = rng.randint(20, 150)
        ins.officers = self.two_officers()
        ins.turnout = 2 if rand() < 0.68 else 3
        r = rand()
        ins.vehicles = 0 if r < 0.35 else 1 if r < 0.9 else 2
        r = rand()
        ins.businesses = 1 if r < 0.55 else 2 if r < 0.75 else 3 if r < 0.88 else 4 if r < 0.95 else 5
        checks = DOMAIN_CHECKS.get(ins.domain, GENERIC_CHECKS)
        k = rng.randint(2, min(4, len(checks)))
        texts = rng.sample(checks, k)
        if ins.result == "passed":
            ins.items = [(tx, "ok" if rand() < 0.95 else "na") for tx in texts]
            ins.items[0] = (texts[0], "ok")
        else:
            problems = 1 + (rand() < 0.35) + (rand() < 0.1)
            ins.items = [(tx, "problem" if i < problems else "ok") for i, tx in enumerate(texts)]

    def inspections(self) -> None:
        rng = self.rng
        rand = rng.random
        total = self.n(N_INSPECTIONS)
        days = self.days(max(1, round(total / 1.125)))
        cum_dw: list[float] = []
        acc = 0.0
        for w in self.domain_weights:
            acc += w
            cum_dw.append(acc)
        domains = self.domains
        insps: list[_Insp] = []
        t = self.t
        for o in days:
            r = rand()
            result = ("passed" if r < 0.60 else "rectified_on_spot" if r < 0.80 else "ordered" if r < 0.95
                      else "case_opened" if r < 0.99 else "transferred")
            ins = _Insp(o, 510 + rng.randrange(480), result, rng.choices(domains, cum_weights=cum_dw)[0])
            if rand() < 0.36:
                camp = self.campaign_on(o)
                if camp is not None:
                    ins.campaign, ins.domain = camp
            self._fill_inspection(ins)
            insps.append(ins)
            if result != "ordered":
                continue
            ins.deadline = o + rng.choice((3, 5, 7, 7, 10, 15, 15, 30))
            if ins.deadline >= t:
                continue
            # The squad re-inspects around the deadline (a few days early to a couple of days late); one not yet
            # due for its re-inspection, or a rare straggler of the last three months, is still open today. Older
            # ones were all re-inspected: a years-old open rectification would be a squad not doing its work.
            ro = max(o + 1, ins.deadline + rng.randint(-3, 2))
            if ro > t or (ins.deadline >= t - 90 and rand() < 0.01):
                continue
            re = _Insp(ro, 510 + rng.randrange(480), "passed" if rand() < 0.93 else "case_opened", ins.domain)
            re.party, re.place, re.of, re.campaign = ins.party, ins.place, ins, ins.campaign
            self._fill_inspection(re)
            re.items = [(tx, "ok" if res == "problem" or re.result == "passed" else res) for tx, res in ins.items]
            if re.result == "case_opened":
                re.items[0] = (re.items[0][0], "problem")
            ins.re = re
            insps.append(re)
        insps.sort(key=lambda i: (i.day, i.minute))
        self.insp_list = insps
        self.report("检查记录", 25)

    def write_inspections(self) -> None:
        rng = self.rng
        ti = self.table("inspection", ("township_id", "number", "started_at", "ended_at", "inspected_on", "place",
                                       "domain", "party_id", "campaign_id", "findings", "result",
                                       "rectification_deadline", "reinspection_of_id", "officer_turnout",
                                       "vehicle_turnout", "businesses_inspected"))
        to = self.table("inspection_officer", ("inspection_id", "officer_id"))
        tt = self.table("inspection_item", ("inspection_id", "position", "text", "result", "note", "rectified_on"))
        tr = self.table("reinspection_task", ("inspection_id", "due_on", "status", "done_by_inspection_id"))
        for ins in self.insp_list:
            ins.id = self.next_id(ti)
        seq: dict[int, int] = {}
        code = self.codes.get("inspection", "检")
        dev = self.device_uid
        tid = self.township_id
        uid = self.uid
        iso = self.iso
        self.insp_cases: list[_Insp] = []
        self.insp_transfers: list[_Insp] = []
        for ins in self.insp_list:
            year = date.fromordinal(ins.day).year
            n = seq[year] = seq.get(year, self.block_base("inspection", year)) + 1
            number = self.pattern.format(prefix=self.prefix, code=code, year=year, seq=n)
            second = rng.randrange(60)
            started = self.ts(ins.day, ins.minute, second)
            ended = self.ts(ins.day, ins.minute + ins.dur, second)
            problems = [tx for tx, res in ins.items if res == "problem"]
            if ins.result == "passed":
                findings = "检查未发现违法违规问题。" if ins.of is None else "复查：已按要求整改到位。"
            elif ins.result == "rectified_on_spot":
                findings = f"发现{'、'.join(problems)}问题，已当场整改。"
            elif ins.result == "ordered":
                findings = f"发现{'、'.join(problems)}问题，责令于{iso(ins.deadline)}前整改完毕。"
            elif ins.result == "case_opened":
                findings = f"发现{'、'.join(problems)}问题，涉嫌违法，登记案件线索。"
                self.insp_cases.append(ins)
            else:
                findings = f"发现{'、'.join(problems)}问题，不属本机关管辖，移送有关部门。"
                self.insp_transfers.append(ins)
            party_id = ins.party[0] if ins.party is not None else None
            ti.rows.append((
                ins.id, uid(), dev, 1, ended, ended, tid, number, started, ended, iso(ins.day), ins.place, ins.domain,
                party_id, ins.campaign or None, findings, ins.result, iso(ins.deadline) if ins.deadline else None,
                ins.of.id if ins.of is not None else None, ins.turnout, ins.vehicles, ins.businesses,
            ))
            a, b = ins.officers
            to.rows.append((self.next_id(to), uid(), dev, 1, ended, ended, ins.id, a))
            to.rows.append((self.next_id(to), uid(), dev, 1, ended, ended, ins.id, b))
            if ins.result == "rectified_on_spot":
                fixed = iso(ins.day)
            elif ins.result == "ordered" and ins.re is not None and ins.re.result == "passed":
                fixed = iso(ins.re.day)
            else:
                fixed = None
            for pos, (tx, res) in enumerate(ins.items):
                note = "" if res != "problem" else ("已当场整改" if ins.result == "rectified_on_spot" else "存在问题")
                tt.rows.append((self.next_id(tt), uid(), dev, 1, ended, ended, ins.id, pos, tx, res, note,
                                fixed if res == "problem" else None))
            if ins.result == "ordered" and ins.re is None:
                # Open record: its rectification deadline is stored; a passed deadline also has a re-inspection task.
                for spec in dl.inspection_deadlines(
                        SimpleNamespace(result=InspectionResult.ORDERED,  # type: ignore[arg-type]
                                        rectification_deadline=date.fromordinal(ins.deadline)), None):
                    self.deadline("inspection", ins.id, spec)
                if ins.deadline < self.t:
                    created = self.ts(ins.deadline + 1, 480)
                    tr.rows.append((self.next_id(tr), uid(), dev, 1, created, created, ins.id,
                                    iso(ins.deadline + 1), "open", None))
        for year, n in seq.items():
            self.block_max[("inspection", year)] = n
        self.report("检查记录", 35)

    # -- penalty cases ---------------------------------------------------------------------------------------

    def block_base(self, doc_type: str, year: int) -> int:
        return self.existing_blocks.get((doc_type, year), 0)

    def pick_item(self, domain: str | None = None) -> dict[str, Any]:
        rng = self.rng
        if domain is not None:
            pool = [(it, w) for it, w in zip(self.items, self.item_weights, strict=True) if it["domain"] == domain]
            if pool:
                return rng.choices([p[0] for p in pool], weights=[p[1] for p in pool])[0]
        return rng.choices(self.items, weights=self.item_weights)[0]

    @staticmethod
    def fits(scope: str, kind: str) -> bool:
        return scope == "any" or scope == kind

    def pick_fine(self, r: Random, item: dict[str, Any], at_least: int = 0) -> tuple[int, str]:
        """A fine (fen) within the item's range, with the discretion tier it falls in."""
        lo, hi = item["min"] or 0, item["max"]
        tiers = item["tiers"]
        x = r.random()
        k = 0 if x < 0.35 else 1 if x < 0.80 else 2 if x < 0.95 else 3
        if tiers:
            name, tlo, thi = tiers[min(k, len(tiers) - 1)]
            tlo, thi = max(lo, tlo), min(hi, thi)
        else:
            name = ("minor", "ordinary", "serious", "grave")[k]
            band = ((0.0, 0.3), (0.3, 0.7), (0.7, 0.9), (0.9, 1.0))[k]
            tlo, thi = lo + int((hi - lo) * band[0]), lo + int((hi - lo) * band[1])
        tlo = max(tlo, at_least)
        if tlo > thi:
            tlo, thi = max(lo, min(at_least, hi)), hi
        step = 1000 if thi - tlo >= 20000 else 100
        fine = (tlo + int(r.random() * (thi - tlo))) // step * step
        floor = max(lo, min(5000, hi), at_least if at_least <= hi else lo)
        return max(floor, min(hi, fine)), name

    def new_case(self, o: int, ins: _Insp | None, *, force: S | None = None) -> _Case:
        rng = self.rng
        c = _Case()
        c.key = self._case_key = getattr(self, "_case_key", 0) + 1
        c.source_insp = ins
        summary = force is S.SUMMARY_DECIDED or (force is None and rng.random() < (0.08 if ins else 0.42))
        outcome = "penalty"
        if force in (S.NOT_FILED,):
            outcome = "not_filed"
        elif force is S.TRANSFERRED:
            outcome = "transfer"
        elif force is S.TERMINATED:
            outcome = "terminate"
        elif force is S.NO_PENALTY:
            outcome = "no_penalty"
        elif force is None and not summary:
            x = rng.random()
            outcome = ("not_filed" if x < 0.03 else "transfer" if x < 0.065 else "terminate" if x < 0.085
                       else "no_penalty" if x < 0.165 else "penalty")
        party: tuple[Any, ...] | None = None
        item: dict[str, Any] = {}
        hearing_min = 0
        if force is S.HEARING:
            item, party, hearing_min = self.hearing_pick()
        elif summary:
            for _ in range(30):
                item = self.pick_item(ins.domain if ins else None)
                party = self.party_for(item["scope"])
                cap = self.summary_person if party[2] == "person" else self.summary_org
                if (item["min"] or 0) <= cap:
                    break
            else:
                summary = False
        if not item:
            item = self.pick_item(ins.domain if ins else None)
        if party is None:
            if ins is not None and ins.party is not None and self.fits(item["scope"], ins.party[2]):
                party = ins.party
            else:
                party = self.party_for(item["scope"])
        c.item, c.party = item, party
        c.procedure = "summary" if summary else "general"
        sub = Random(rng.getrandbits(64))
        late = force is S.ENFORCING
        steps = None
        if force is not None and force not in (S.CLOSED, S.ARCHIVED):
            # Put the forced status's step a few days before today: plan once to measure, then shift.
            state = sub.getstate()
            base = self.t - 400
            trial = self.plan(sub, c, base, outcome, hearing_min, late)
            at = 0 if force is S.CLUE else next((st[0] - base for st in trial if st[3] is force), None)
            if at is not None:
                o = self.t - rng.randint(0, 3) - at
                for _ in range(10):  # working-day rules move dates a little when the start moves: re-plan
                    sub.setstate(state)
                    steps = self.plan(sub, c, o, outcome, hearing_min, late)
                    cut = 0 if force is S.CLUE else next(i for i, st in enumerate(steps) if st[3] is force) + 1
                    steps = steps[:cut]
                    late_by = max((st[0] for st in steps), default=o) - self.t
                    if late_by <= 0:
                        break
                    o -= late_by
                if not any(st[2] == CaseAction.FILE.value for st in steps):
                    c.coercive = None
        if steps is None:
            steps = self.plan(sub, c, o, outcome, hearing_min, late)
        c.registered = o
        self.finish_case(c, steps, ins)
        return c

    def hearing_pick(self) -> tuple[dict[str, Any], tuple[Any, ...], int]:
        for kind, pool in (("person", self.persons), ("organisation", self.orgs), ("individual_business", self.shops)):
            if not pool:
                continue
            for item in self.items:
                if not self.fits(item["scope"], kind):
                    continue
                if kind == "person":
                    need = item["hear_p"] if item["hear_p"] is not None else self.hear_person
                else:
                    need = item["hear_o"] if item["hear_o"] is not None else self.hear_org
                if item["max"] >= need:
                    return item, self.rng.choice(pool), need
        return self.items[0], self.persons[0], 0

    def plan(self, r: Random, c: _Case, o: int, outcome: str, hearing_min: int,
             late: bool) -> list[tuple[int, int, str, S | None, dict[str, Any]]]:
        """The whole life of a case as dated steps (the caller keeps those on or before today)."""
        c.coercive, c.transfer = None, ""
        steps: list[tuple[int, int, str, S | None, dict[str, Any]]] = []
        ri = r.randint

        def add(d: int, action: CaseAction, to: S | None, **upd: Any) -> None:
            steps.append((d, len(steps), action.value, to, upd))

        item, kind = c.item, c.party[2] if c.party else "person"
        person = kind == "person"
        if c.procedure == "summary":
            cap = self.summary_person if person else self.summary_org
            lo, hi = max(item["min"] or 0, 2000 if person else 20000), min(item["max"], cap)
            choices = [v for v in ((2000, 5000, 10000, 20000) if person else (20000, 50000, 100000, 200000, 300000))
                       if lo <= v <= hi] or [max(item["min"] or 0, min(hi, 5000))]
            fine = r.choice(choices)
            add(o, CaseAction.SUMMARY_DECIDE, S.SUMMARY_DECIDED, decision_date=o, fine_amount=fine,
                _num=("decision_number", "summary_decision"), discretion_tier="minor")
            paid = o if (fine <= 10000 and r.random() < 0.5) else o + ri(1, 15)
            add(paid, CaseAction.PAY, S.EXECUTED, paid_on=paid, paid_amount=fine,
                receipt_number=f"川非税{date.fromordinal(paid).year}{r.randrange(10**8):08d}")
            filed = self.cal.add_workdays(date.fromordinal(o), ri(1, 5)).due.toordinal()
            add(filed, CaseAction.SUMMARY_FILE, None, summary_filed_on=filed)
            close = max(paid, filed) + ri(1, 20)
            add(close, CaseAction.CLOSE, S.CLOSED, closed_on=close)
            return steps
        if outcome == "not_filed":
            d = o + ri(1, 7)
            add(d, CaseAction.REFUSE_FILING, S.NOT_FILED, closed_on=d)
            return steps
        filed = o + ri(0, 5)
        add(filed, CaseAction.FILE, S.INVESTIGATING, filed_on=filed, _num=("number", "case_filing"))
        if outcome in ("penalty", "transfer") and r.random() < 0.05:
            start = filed + ri(0, 3)
            c.coercive = (start, start + ri(5, 30))
        if outcome == "transfer":
            d = filed + ri(5, 40)
            c.transfer = "judiciary" if r.random() < 0.3 else "department"
            add(d, CaseAction.TRANSFER, S.TRANSFERRED)
            return steps
        if outcome == "terminate" and r.random() < 0.5:
            d = filed + ri(5, 60)
            add(d, CaseAction.TERMINATE, S.TERMINATED, closed_on=d, terminated_reason=r.choice(TERMINATION_REASONS))
            return steps
        concl = filed + ri(8, 40)
        if outcome in ("no_penalty", "terminate"):
            add(concl, CaseAction.CONCLUDE, S.REVIEWING,
                proposed_outcome="no_penalty" if outcome == "no_penalty" else "penalty")
            d = concl + ri(1, 10)
            if outcome == "terminate":
                add(d, CaseAction.TERMINATE, S.TERMINATED, closed_on=d, terminated_reason=r.choice(TERMINATION_REASONS))
                return steps
            add(d, CaseAction.DECIDE_NO_PENALTY, S.NO_PENALTY, decision_date=d, no_penalty_ground=r.choice(
                NO_PENALTY_GROUNDS), _num=("decision_number", "no_penalty_decision"))
            s = d + ri(0, 6)
            add(s, CaseAction.SERVE, S.EXECUTED, served_on=s, service_method=r.choice(SERVICE_METHODS))
            return self._close(r, add, steps, s)
        fine, tier = self.pick_fine(r, item, hearing_min)
        major_at = item["major"] if item["major"] is not None else (self.major_person if person else self.major_org)
        hear_at = (item["hear_p"] if person else item["hear_o"])
        hear_at = hear_at if hear_at is not None else (self.hear_person if person else self.hear_org)
        major = fine >= major_at
        add(concl, CaseAction.CONCLUDE, S.REVIEWING, proposed_outcome="penalty", proposed_fine=fine, discretion_tier=tier,
            legal_review_required=int(major), collective_required=int(major), complex_case=int(major and r.random() < .3),
            discretion_reasons=f"违法情节属“{tier}”档次，依照裁量基准提出处罚建议。")
        d = concl
        if major:
            d += ri(2, 6)
            add(d, CaseAction.LEGAL_REVIEW, None, legal_review_passed_on=d)
            d += ri(1, 5)
            add(d, CaseAction.COLLECTIVE, None, collective_discussed_on=d)
        n = d + ri(1, 5)
        rights = fine >= hear_at
        add(n, CaseAction.NOTIFY, S.NOTIFIED, notified_on=n, notified_fine=fine, hearing_rights=int(rights),
            _num=("notice_number", "prior_notice"))
        if rights and (hearing_min or r.random() < 0.3):
            rq = n + ri(1, 4)
            add(rq, CaseAction.REQUEST_HEARING, S.HEARING, hearing_requested_on=rq)
            h = rq + ri(7, 15)
            add(h, CaseAction.HOLD_HEARING, S.PENDING_DECISION, hearing_held_on=h, suspended_days=h - rq)
            pend = h
        else:
            x = r.random()
            if x < 0.25:
                pend = n + ri(0, 2)
                add(pend, CaseAction.WAIVE, S.PENDING_DECISION, statement_waived=1)
            else:
                if x < 0.45:
                    add(n + ri(1, 3), CaseAction.STATEMENT, None)
                due = self.cal.add_workdays(date.fromordinal(n), 5).due.toordinal()
                pend = due + ri(1, 3)
                add(pend, CaseAction.END_STATEMENT, S.PENDING_DECISION)
        dec = pend + ri(1, 7)
        if r.random() < 0.12 and not hearing_min:
            lo = max(item["min"] or 0, min(5000, item["max"]))
            fine = max(lo, (fine * 8 // 10) // 100 * 100)
        add(dec, CaseAction.DECIDE, S.DECIDED, decision_date=dec, fine_amount=fine,
            _num=("decision_number", "penalty_decision"))
        if r.random() < 0.9:
            disc = dec + ri(1, 7)
            add(disc, CaseAction.DISCLOSE, None, disclosed_on=disc)
        srv = dec + ri(0, 5)
        add(srv, CaseAction.SERVE, S.EXECUTING, served_on=srv, service_method=r.choice(SERVICE_METHODS))
        due = self.cal.add_calendar_days(date.fromordinal(srv), 15).due.toordinal()
        if late or r.random() < 0.05:
            enf = due + ri(10, 40)
            add(enf, CaseAction.ENFORCE, S.ENFORCING, enforcement_started_on=enf)
            # Still with the court: a recent application only; the court's enforcement of older ones has been
            # collected (PAY below), so no fine stays unpaid on the 工作台 for years.
            if late or (r.random() < 0.08 and enf >= self.t - 240):
                return steps
            paid = enf + ri(10, 60)  # the court's enforcement collects within weeks
            surcharge = min(fine, fine * 3 * (paid - due) // 100)
            add(paid, CaseAction.PAY, S.EXECUTED, paid_on=paid, paid_amount=fine, surcharge_paid=surcharge,
                receipt_number=f"川非税{date.fromordinal(paid).year}{r.randrange(10**8):08d}")
        else:
            paid = srv + ri(1, 14)
            add(paid, CaseAction.PAY, S.EXECUTED, paid_on=paid, paid_amount=fine,
                receipt_number=f"川非税{date.fromordinal(paid).year}{r.randrange(10**8):08d}")
        return self._close(r, add, steps, paid)

    def _close(self, r: Random, add: Callable[..., None], steps: list[Any], after: int) -> list[Any]:
        close = after + r.randint(2, 20)
        add(close, CaseAction.CLOSE, S.CLOSED, closed_on=close)
        if r.random() < 0.93:
            arch = close + r.randint(10, 120)
            add(arch, CaseAction.ARCHIVE, S.ARCHIVED, archived_on=arch)
        return steps

    def finish_case(self, c: _Case, steps: list[tuple[int, int, str, S | None, dict[str, Any]]],
                    ins: _Insp | None) -> None:
        rng = self.rng
        o = c.registered
        steps.sort(key=lambda st: (st[0], st[1]))
        item, party = c.item, c.party
        assert party is not None
        if ins is not None:
            source = "inspection"
        else:
            x = rng.random()
            source = ("complaint" if x < 0.45 else "inspection" if x < 0.75 else "superior" if x < 0.85
                      else "transfer_in" if x < 0.9 else "media" if x < 0.93 else "other")
        place = ins.place if ins is not None else party[3]
        f = dict(_PC_DEFAULTS)
        f.update(
            township_id=self.township_id, procedure=c.procedure, source=source,
            source_inspection_id=ins.id if ins is not None else None,
            cause=f"{party[1]}{item['name']}案"[:200], power_item_id=item["id"], party_id=party[0],
            domain=item["domain"], place=place,
            facts=f"{self.iso(o)}，执法人员在{place}发现当事人{party[1]}{item['name']}。",
            act_date=o - rng.randint(0, 10), discovered_on=o, registered_on=o,
        )
        self.use_party(party, o)
        status = S.CLUE
        events: list[tuple[int, str, S, S]] = []
        t = self.t
        for d, _i, action, to, upd in steps:
            if d > t:
                break
            for k, v in upd.items():
                if k == "_num":
                    self.number(v[1], d, c.key, f, v[0])
                else:
                    f[k] = v
            frm = status
            status = to or status
            events.append((d, action, frm, status))
            if action == CaseAction.TRANSFER.value:
                self.transfers.append(dict(case=c, kind=c.transfer, day=d))
        c.status = status
        c.steps = events  # type: ignore[assignment]
        f["status"] = status.value
        c.f = f
        filed = f.get("filed_on")
        if filed is not None or c.procedure == "summary":
            c.officers = self.two_officers()
        if c.coercive is not None and (filed is None or c.coercive[0] > t):
            c.coercive = None

    def cases(self) -> None:
        rng = self.rng
        total = self.n(N_CASES)
        self.transfers: list[dict[str, Any]] = []
        cases: list[_Case] = []
        t = self.t
        for ins in self.insp_cases:
            cases.append(self.new_case(min(t, ins.day + rng.choice((0, 0, 0, 1, 2))), ins))
        for o in self.days(max(0, total - len(cases))):
            cases.append(self.new_case(o, None))
        present = {c.status for c in cases}
        for st in CaseStatus:
            if st not in present:
                cases.append(self.new_case(t, None, force=st))
        cases.sort(key=lambda c: (c.registered, c.key))
        tc = self.table("penalty_case", _PC_COLS)
        for c in cases:
            c.id = self.next_id(tc)
            c.uid = self.uid()
        self.case_list = cases
        # Small scales must still show every kind of record.
        if self.transfers and all(tr["kind"] != "judiciary" for tr in self.transfers):
            self.transfers[-1]["kind"] = self.transfers[-1]["case"].transfer = "judiciary"
        if all(c.coercive is None for c in cases):
            filed = [c for c in cases if c.f.get("filed_on") is not None and c.procedure == "general"
                     and c.f["filed_on"] < t]
            if filed:
                c = filed[len(filed) // 2]
                c.coercive = (c.f["filed_on"] + 1, c.f["filed_on"] + 1 + rng.randint(5, 30))
        # Coercive measures and their numbers.
        tm = self.table("coercive_measure", ("case_id", "kind", "decision_number", "started_on", "period_days",
                                             "extended_days", "excluded_days", "place", "reason", "status",
                                             "ended_on", "end_reason"))
        self.coercive_rows: list[dict[str, Any]] = []
        for c in cases:
            if c.coercive is None:
                continue
            start, end = c.coercive
            x = rng.random()
            done = end <= t
            row = dict(id=self.next_id(tm), case=c, kind="seal" if rng.random() < 0.3 else "impound", start=start,
                       status=("released" if x < 0.6 else "confiscated" if x < 0.9 else "destroyed") if done else "active",
                       end=end if done else None)
            self.number("coercive_decision", start, c.key, row, "decision_number")
            self.coercive_rows.append(row)
        for tr in self.transfers:
            self.number("transfer", tr["day"], tr["case"].key, tr, "number")
        for ins in self.insp_transfers:
            tr = dict(case=None, ins=ins, kind="department", day=ins.day)
            self.number("transfer", ins.day, -ins.id, tr, "number")
            self.transfers.append(tr)
        self.report("行政处罚案件", 50)

    def write_cases(self) -> None:
        rng = self.rng
        uid, dev, iso, t = self.uid, self.device_uid, self.iso, self.t
        tc = self.tables["penalty_case"]
        to = self.table("case_officer", ("case_id", "officer_id", "lead"))
        te = self.table("case_event", ("case_id", "action", "from_status", "to_status", "on_date", "at", "actor",
                                       "note", "data"))
        names = dict(self.officer_pool)
        for c in self.case_list:
            f = c.f
            created = self.ts(c.registered, 540 + rng.randrange(480), rng.randrange(60))
            updated = created
            actor = names[c.officers[0]] if c.officers else rng.choice(self.officer_pool)[1]
            for d, action, frm, to_status in c.steps:  # type: ignore[misc]
                at = self.ts(d, 540 + rng.randrange(480), rng.randrange(60))
                if at < updated:
                    at = updated
                updated = at
                note = f.get("terminated_reason", "") if action == CaseAction.TERMINATE.value else ""
                if action == CaseAction.SERVE.value:
                    data = json.dumps({"method": f["service_method"]})
                elif action == CaseAction.PAY.value:
                    data = json.dumps({"amount": f"{f['paid_amount'] / 100:.2f}", "receipt": f["receipt_number"]})
                else:
                    data = "{}"
                te.rows.append((self.next_id(te), uid(), dev, 1, at, at, c.id, action, frm.value, to_status.value,
                                iso(d), at, actor, note, data))
            if c.officers:
                for k, oid in enumerate(c.officers):
                    to.rows.append((self.next_id(to), uid(), dev, 1, created, created, c.id, oid, 1 if k == 0 else 0))
            row = [c.id, c.uid, dev, len(c.steps) + 1, created, updated]  # type: ignore[arg-type]
            for col in _PC_COLS:
                v = f[col]
                if col in _PC_DATES and v is not None:
                    v = iso(v)
                row.append(v)
            tc.rows.append(tuple(row))
            if c.status in _OPEN_CASE:
                for spec in dl.case_deadlines(self.case_stand_in(c, updated), self.settings, self.cal):
                    self.deadline("penalty_case", c.id, spec)
        tm = self.tables["coercive_measure"]
        ti = self.table("coercive_item", ("measure_id", "position", "name", "spec", "quantity", "unit", "note"))
        for m in self.coercive_rows:
            c = m["case"]
            created = self.ts(m["start"], 600)
            updated = self.ts(m["end"], 600) if m["end"] else created
            reason = "为防止证据损毁、便于查清违法事实，依法采取行政强制措施。"
            end_reason = {"released": "违法行为已改正，解除查封（扣押）", "confiscated": "依法予以没收",
                          "destroyed": "依法予以销毁", "active": ""}[m["status"]]
            tm.rows.append((m["id"], uid(), dev, 1, created, updated, c.id, m["kind"], m["decision_number"],
                            iso(m["start"]), 30, 0, 0, c.f["place"], reason, m["status"], iso(m["end"]), end_reason))
            for pos in range(rng.randint(1, 4)):
                name, spec, unit = rng.choice(COERCIVE_GOODS)
                ti.rows.append((self.next_id(ti), uid(), dev, 1, created, created, m["id"], pos, name, spec,
                                str(rng.randint(1, 6)), unit, ""))
            if m["status"] == "active":
                stand = SimpleNamespace(period_days=30, extended_days=0, excluded_days=0,
                                        started_on=date.fromordinal(m["start"]), ended_on=None)
                self.deadline("coercive_measure", m["id"], dl.coercive_deadline(stand, self.cal))  # type: ignore[arg-type]
        tt = self.table("transfer", ("township_id", "kind", "case_id", "inspection_id", "receiving_org",
                                     "memo_reference", "reason", "materials", "number", "transferred_on",
                                     "receipt_on", "accepted"))
        self.transfers.sort(key=lambda tr: (tr["day"], tr["number"]))
        for tr in self.transfers:
            d = tr["day"]
            receipt = d + rng.randint(3, 15)
            receipt_on = iso(receipt) if receipt <= t else None
            created = self.ts(d, 600)
            if tr["kind"] == "judiciary":
                org, memo = POLICE, ""
                reason = "当事人涉嫌犯罪，依照《中华人民共和国行政处罚法》第二十七条移送司法机关。"
            else:
                org = rng.choice(DEPARTMENTS)
                memo = f"{self.township_name}与{org}行政执法协作备忘录"
                reason = "经调查，该违法行为不属于本机关管辖，依法移送有关部门处理。"
            case, ins = tr["case"], tr.get("ins")
            tt.rows.append((self.next_id(tt), uid(), dev, 1, created, created, self.township_id, tr["kind"],
                            case.id if case is not None else None, ins.id if ins is not None else None, org, memo,
                            reason, "案件材料一宗（含现场检查笔录、照片）", tr["number"], iso(d), receipt_on,
                            1 if receipt_on else None))
        self.report("行政处罚案件", 70)

    def case_stand_in(self, c: _Case, updated: str) -> Any:
        f = c.f

        def d(key: str) -> date | None:
            v = f.get(key)
            return date.fromordinal(v) if v is not None else None

        def money(key: str) -> Decimal | None:
            v = f.get(key)
            return Decimal(v) / 100 if v is not None else None

        events = [SimpleNamespace(from_status=frm, to_status=to, on_date=date.fromordinal(day))
                  for day, _a, frm, to in c.steps]  # type: ignore[misc]
        return SimpleNamespace(
            procedure=Procedure(c.procedure), status=c.status, filed_on=d("filed_on"), extension_days=0,
            suspended_days=f["suspended_days"], decision_date=d("decision_date"), closed_on=d("closed_on"),
            updated_at=datetime.fromisoformat(updated), notified_on=d("notified_on"),
            hearing_requested_on=d("hearing_requested_on"), hearing_rights=bool(f["hearing_rights"]), events=events,
            served_on=d("served_on"), disclosed_on=d("disclosed_on"),
            no_penalty_ground=NoPenaltyGround(f["no_penalty_ground"]) if f["no_penalty_ground"] else None,
            fine_amount=money("fine_amount"), paid_amount=money("paid_amount"), paid_on=d("paid_on"),
            summary_filed_on=d("summary_filed_on"),
        )

    # -- mediation -------------------------------------------------------------------------------------------

    def mediations(self) -> None:
        rng = self.rng
        ri = rng.randint
        rand = rng.random
        t = self.t
        uid, dev, iso = self.uid, self.device_uid, self.iso
        tc = self.table("mediation_case", _MC_COLS)
        tp = self.table("mediation_party", ("case_id", "party_id", "role"))
        tm = self.table("mediation_mediator", ("case_id", "mediator_id"))
        ts_ = self.table("mediation_session", ("case_id", "held_at", "place", "public", "record"))
        tv = self.table("follow_up_visit", ("case_id", "visited_on", "visitor", "method", "performance_status",
                                           "note"))
        cat_w = [14, 18, 9, 6, 4, 8, 6, 2, 5, 1, 5, 2, 3, 4, 3, 3]
        cat_w = (cat_w + [2] * len(self.categories))[:len(self.categories)]
        sources = ("application", "initiative", "court", "police", "petition", "other_department")
        src_w = (55, 25, 4, 9, 5, 2)
        money_cats = {"合同纠纷", "损害赔偿", "劳动争议", "道路交通事故", "生产经营", "医疗纠纷", "消费纠纷", "房屋宅基地"}
        self.med_rows: list[dict[str, Any]] = []
        for a in self.days(self.n(N_MEDIATIONS), weekend=0.35):
            cat_id, cat_name = rng.choices(self.categories, weights=cat_w)[0]
            committee = rng.choices(self.committee_ids, weights=self.committee_weights)[0]
            mediators = self.mediators[committee]
            f: dict[str, Any] = dict(_MC_DEFAULTS)
            f.update(township_id=self.township_id, source=rng.choices(sources, weights=src_w)[0], category_id=cat_id,
                     committee_id=committee, applied_on=iso(a),
                     summary=MEDIATION_SUMMARIES.get(cat_name, "双方因民间纠纷发生争执，申请调解"))
            if cat_name in money_cats:
                f["amount_involved"] = rng.randrange(500, 200_000) * 100
            mid = self.next_id(tc)
            row = dict(id=mid, f=f)
            self.number("mediation", a, mid, f, "number")
            applicant = rng.choice(self.persons)
            respondent = rng.choice(self.businesses if cat_name in ("合同纠纷", "劳动争议", "消费纠纷", "物业纠纷")
                                    and self.businesses else self.persons)
            self.use_party(applicant, a)
            self.use_party(respondent, a)
            created = self.ts(a, 540 + rng.randrange(480), rng.randrange(60))
            updated = created
            for pid, role in ((applicant[0], "applicant"), (respondent[0], "respondent")):
                tp.rows.append((self.next_id(tp), uid(), dev, 1, created, created, mid, pid, role))
            status = MediationStatus.APPLIED
            visits: list[Any] = []
            accepted = a + rng.choice((0, 0, 1, 1, 2, 3))
            if rand() < 0.015:
                if accepted <= t:
                    status = MediationStatus.REJECTED
                    f["end_reason"] = "不属于人民调解受理范围，告知当事人通过其他途径解决"
                    updated = self.ts(accepted, 600)
                row.update(status=status, updated=updated, created=created, visits=visits)
                self.med_rows.append(row)
                continue
            if accepted > t:
                row.update(status=status, updated=updated, created=created, visits=visits)
                self.med_rows.append(row)
                continue
            status = MediationStatus.MEDIATING
            f["accepted_on"] = iso(accepted)
            for m_id, _n in rng.sample(mediators, 1 if rand() < 0.6 or len(mediators) < 2 else 2):
                tm.rows.append((self.next_id(tm), uid(), dev, 1, created, created, mid, m_id))
            x = rand()
            ended = accepted + (ri(0, 6) if x < 0.6 else ri(7, 20) if x < 0.95 else ri(21, 29))
            # Committees conclude before the year-end report: a case accepted in a year ends in that year.
            ended = min(ended, date(date.fromordinal(accepted).year, 12, 31).toordinal())
            n_sessions = 1 if x < 0.6 else 2 if rand() < 0.75 else 3
            session_days = sorted([accepted] + [ri(accepted, ended) for _ in range(n_sessions - 1)])
            place = rng.choice(("村委会调解室", "镇人民调解委员会调解室", "当事人家中", "纠纷现场"))
            for sd in session_days:
                if sd > t:
                    break
                at = self.ts(sd, 540 + rng.randrange(480))
                ts_.rows.append((self.next_id(ts_), uid(), dev, 1, at, at, mid, at, place, 1 if rand() < 0.1 else 0,
                                 "调解员向双方释法说理，听取双方陈述，引导双方互谅互让。"))
                updated = max(updated, at)
            y = rand()
            outcome = "success" if y < 0.98 else "failed" if y < 0.99 else "terminated"
            if ended > t:
                row.update(status=status, updated=updated, created=created, visits=visits)
                self.med_rows.append(row)
                continue
            f["ended_on"] = iso(ended)
            updated = max(updated, self.ts(ended, 960))
            if outcome != "success":
                status = MediationStatus.FAILED if outcome == "failed" else MediationStatus.TERMINATED
                f["end_reason"] = "双方分歧较大，未能达成调解协议" if outcome == "failed" else "一方当事人明确拒绝继续调解"
                if rand() < 0.3:
                    f["escalation_risk"] = 1
                    if rand() < 0.15:
                        f["escalated_to_criminal"] = 1
                row.update(status=status, updated=updated, created=created, visits=visits)
                self.med_rows.append(row)
                continue
            status = MediationStatus.SUCCEEDED
            written = rand() < 0.72
            f["agreement_form"] = "written" if written else "oral"
            f["agreement_terms"] = "双方自愿达成如下协议：一、……；二、……；三、本协议自双方签字之日起生效。"
            perf = None
            if written:
                self.number("mediation_agreement", ended, mid, f, "agreement_number")
                f["agreement_effective_on"] = iso(ended)
                # Terms a township committee writes: payment within days or weeks, rarely a month.
                perf = ended + rng.choice((0, 7, 10, 15, 15, 20, 30))
                f["performance_deadline"] = iso(perf)
                f["performance_status"] = "pending"
            else:
                f["performance_status"] = "performed"
            # The follow-up visit comes soon after the agreed date, and the case is closed soon after that, so an
            # open case's performance (and judicial confirmation) window rarely lies weeks behind it.
            visit = (perf if perf is not None else ended) + ri(0, 4)
            confirm = written and rand() < 0.08
            last = visit
            if confirm:
                capp = ended + ri(1, 20)
                cdec = capp + ri(5, 15)
                last = max(visit, cdec)
                if capp <= t:
                    status = MediationStatus.CONFIRMATION_PENDING
                    f["confirmation_applied_on"] = iso(capp)
                    f["confirmation_court"] = COURT
                if cdec <= t:
                    granted = rand() < 0.96
                    status = MediationStatus.CONFIRMED if granted else MediationStatus.CONFIRMATION_REFUSED
                    f["confirmation_decided_on"] = iso(cdec)
                    f["confirmation_granted"] = 1 if granted else 0
                    updated = max(updated, self.ts(cdec, 900))
            if visit <= t:
                z = rand()
                perf_status = "performed" if z < 0.94 else "partly" if z < 0.98 else "not_performed"
                f["performance_status"] = perf_status
                visitor = rng.choice(mediators)[1]
                vat = self.ts(visit, 600)
                tv.rows.append((self.next_id(tv), uid(), dev, 1, vat, vat, mid, iso(visit), visitor,
                                rng.choice(("上门", "上门", "电话")), perf_status,
                                "回访了解协议履行情况，当事人表示满意。" if perf_status == "performed" else "督促当事人按协议履行。"))
                visits.append(SimpleNamespace(visited_on=date.fromordinal(visit)))
                updated = max(updated, vat)
            close = last + ri(1, 6)
            if close <= t and (not confirm or rand() < 0.5):
                status = MediationStatus.CLOSED
                f["closed_on"] = iso(close)
                f["archive_number"] = f"调档〔{date.fromordinal(close).year}〕{mid}号"
                updated = max(updated, self.ts(close, 600))
            row.update(status=status, updated=updated, created=created, visits=visits)
            self.med_rows.append(row)
        self.report("人民调解", 60)

    def write_mediations(self) -> None:
        tc = self.tables["mediation_case"]
        dev = self.device_uid
        for row in self.med_rows:
            f = row["f"]
            status = row["status"]
            f["status"] = status.value
            tc.rows.append((row["id"], self.uid(), dev, 1, row["created"], row["updated"], *(f[c] for c in _MC_COLS)))
            if status in _OPEN_MEDIATION:
                def d(key: str, f: dict[str, Any] = f) -> date | None:
                    v = f.get(key)
                    return date.fromisoformat(v) if v else None

                stand = SimpleNamespace(
                    accepted_on=d("accepted_on"), ended_on=d("ended_on"),
                    agreement_form=AgreementForm(f["agreement_form"]) if f["agreement_form"] else None,
                    agreement_effective_on=d("agreement_effective_on"),
                    confirmation_applied_on=d("confirmation_applied_on"), closed_on=d("closed_on"),
                    performance_deadline=d("performance_deadline"),
                    performance_status=PerformanceStatus(f["performance_status"]) if f["performance_status"] else None,
                    visits=row["visits"],
                )
                for spec in dl.mediation_deadlines(stand, self.settings, self.cal):  # type: ignore[arg-type]
                    self.deadline("mediation_case", row["id"], spec)

    # -- numbers, writing, audit -------------------------------------------------------------------------------

    def assign_numbers(self) -> None:
        for (doc_type, year), reqs in self.numbers.items():
            reqs.sort(key=lambda q: (q[0], q[1]))
            code = self.codes.get(doc_type, doc_type)
            base = self.block_base(doc_type, year)
            for k, (_o, _key, target, field) in enumerate(reqs, start=base + 1):
                target[field] = self.pattern.format(prefix=self.prefix, code=code, year=year, seq=k)
            self.block_max[(doc_type, year)] = base + len(reqs)

    def number_blocks(self) -> None:
        t = self.table("number_block", ("township_id", "device_uid", "doc_type", "year", "first", "last", "next_seq"))
        for (doc_type, year), last in sorted(self.block_max.items()):
            first = self.block_base(doc_type, year) + 1
            if last < first:
                continue
            created = self.ts(min(self.t, date(year, 12, 31).toordinal()), 1020)
            t.rows.append((self.next_id(t), self.uid(), self.device_uid, 1, created, created, self.township_id,
                           self.device_uid, doc_type, year, first, last, last + 1))

    def report(self, stage: str, percent: int) -> None:
        self.progress(stage, percent)

    def check_columns(self) -> None:
        for t in self.tables.values():
            info = self.conn.execute(f'PRAGMA table_info("{t.name}")').fetchall()
            names = {r[1] for r in info}
            unknown = set(t.cols) - names
            missing = {r[1] for r in info if r[3] and r[4] is None and not r[5]} - set(t.cols)
            if unknown or missing:
                raise AssertionError(f"{t.name}: unknown columns {sorted(unknown)}, NOT NULL not filled {sorted(missing)}")

    def write(self) -> dict[str, int]:
        self.check_columns()
        counts: dict[str, int] = {}
        cur = self.conn.cursor()
        tables = [t for t in self.tables.values() if t.rows]
        total = sum(len(t.rows) for t in tables) or 1
        done = 0
        limit = int(self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
        for t in tables:
            # Many rows per statement, not executemany's one: every statement that fires the triggers of migration
            # 0004 opens a statement journal, and the FTS5 search index flushes its pending terms to disk at each
            # one; per row that cost ~100 µs per inspection (measured), per 200 rows it is negligible.
            per = max(1, min(ROWS_PER_INSERT, limit // len(t.cols)))
            full = t.sql(per)
            for start in range(0, len(t.rows), per):
                part = t.rows[start:start + per]
                cur.execute(full if len(part) == per else t.sql(len(part)), [v for row in part for v in row])
            counts[t.name] = len(t.rows)
            done += len(t.rows)
            self.report(f"写入 {t.name}", 75 + 20 * done // total)
        if self.deadlines:
            cur.executemany("INSERT INTO deadline (owner_table, owner_id, kind, due_on, provisional, met_on, basis) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?)", self.deadlines)
            counts["deadline"] = len(self.deadlines)
        cur.close()
        return counts

    def audit_events(self) -> list[PendingEvent]:
        events = []
        for t in self.tables.values():
            if not t.rows:
                continue
            first, last = t.rows[0][1], t.rows[-1][1]
            after = digest({"count": len(t.rows), "first_uid": first, "last_uid": last,
                            "first_id": t.rows[0][0], "last_id": t.rows[-1][0]})
            events.append(PendingEvent(t.name, f"bulk:{len(t.rows)}", "demo.bulk_insert", "", after))
        return events

    def build(self) -> None:
        self.load_reference()
        rows = self.conn.execute("SELECT doc_type, year, max(last) FROM number_block WHERE township_id=? "
                                 "GROUP BY doc_type, year", (self.township_id,)).fetchall()
        self.existing_blocks: dict[tuple[str, int], int] = {(r[0], r[1]): r[2] for r in rows}
        self.block_max: dict[tuple[str, int], int] = {}
        self.report("准备", 1)
        self.officers()
        self.committees()
        self.parties()
        self.campaigns()
        self.trainings()
        self.report("参与人和专项行动", 10)
        self.inspections()
        self.write_inspections()
        self.cases()
        self.mediations()
        self.assign_numbers()
        self.write_cases()
        self.write_mediations()
        self.flush_parties()
        self.number_blocks()
        # Rows must reach SQLite parents-first only for readability; foreign keys are checked after the load.
        order = ("officer", "mediation_committee", "mediator", "party", "campaign", "training", "training_attendance",
                 "inspection", "inspection_officer", "inspection_item", "reinspection_task", "penalty_case",
                 "case_officer", "case_event", "coercive_measure", "coercive_item", "transfer", "mediation_case",
                 "mediation_party", "mediation_mediator", "mediation_session", "follow_up_visit", "number_block")
        self.tables = {name: self.tables[name] for name in order if name in self.tables} | {
            k: v for k, v in self.tables.items() if k not in order}


_PC_COLS = (
    "township_id", "number", "procedure", "status", "source", "source_inspection_id", "cause", "power_item_id",
    "party_id", "domain", "place", "facts", "act_date", "act_ended_on", "discovered_on", "registered_on", "filed_on",
    "harmful_consequences", "major_public_interest", "complex_case", "legal_review_required",
    "legal_review_passed_on", "collective_required", "collective_discussed_on", "proposed_outcome", "proposed_fine",
    "discretion_tier", "discretion_reasons", "party_is_minor", "notice_number", "notified_on", "notified_fine",
    "hearing_rights", "statement_waived", "hearing_requested_on", "hearing_held_on", "decision_number",
    "decision_date", "fine_amount", "confiscation_amount", "warning_only", "no_penalty_ground", "served_on",
    "service_method", "paid_amount", "paid_on", "surcharge_paid", "receipt_number", "enforcement_started_on",
    "disclosed_on", "summary_filed_on", "closed_on", "archived_on", "terminated_reason", "extension_days",
    "suspended_days", "reference_version",
)
_PC_DATES = _CASE_DATE_FIELDS | {"act_date", "act_ended_on", "discovered_on", "registered_on"}
_PC_DEFAULTS: dict[str, Any] = {c: None for c in _PC_COLS} | {
    "number": "", "cause": "", "domain": "", "place": "", "facts": "", "harmful_consequences": 0,
    "major_public_interest": 0, "complex_case": 0, "legal_review_required": 0, "collective_required": 0,
    "discretion_reasons": "", "party_is_minor": 0, "notice_number": "", "hearing_rights": 0, "statement_waived": 0,
    "decision_number": "", "warning_only": 0, "receipt_number": "", "terminated_reason": "", "extension_days": 0,
    "suspended_days": 0, "reference_version": "",
}
_MC_COLS = (
    "township_id", "number", "status", "source", "category_id", "committee_id", "summary", "amount_involved",
    "applied_on", "accepted_on", "ended_on", "end_reason", "agreement_form", "agreement_number", "agreement_terms",
    "agreement_effective_on", "performance_deadline", "performance_status", "confirmation_applied_on",
    "confirmation_court", "confirmation_decided_on", "confirmation_granted", "escalation_risk",
    "escalated_to_criminal", "closed_on", "archive_number",
)
_MC_DEFAULTS: dict[str, Any] = {c: None for c in _MC_COLS} | {
    "number": "", "summary": "", "end_reason": "", "agreement_number": "", "agreement_terms": "",
    "confirmation_court": "", "escalation_risk": 0, "escalated_to_criminal": 0, "archive_number": "",
}


# -- public API ------------------------------------------------------------------------------------------------


def generate_township(
    db: Database, *, seed: int, today: date, progress: Progress | None = None, scale: float = 1.0
) -> dict[str, int]:
    """Fill an initialised database with 2017-01-01 .. ``today`` of one township's records; returns rows per table.

    Deterministic for a given ``seed`` and ``today``. Refuses a database that already holds penalty cases.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    report: Progress = progress or (lambda _stage, _percent: None)
    with db.read_factory() as s:
        settings = Settings(s)
        cal = load_calendar(s)
    with db.engine.connect() as sa:
        raw: sqlite3.Connection = sa.connection.driver_connection  # type: ignore[assignment]
        old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        old_sync = raw.execute("PRAGMA synchronous").fetchone()[0]
        # Foreign keys are checked once after the load (PRAGMA foreign_key_check below); the pragma cannot change
        # inside a transaction, so it is switched here and restored before the connection goes back to the pool.
        # synchronous=NORMAL skips the fsync of a ~300 MB WAL at commit: demo data may be lost by a power cut, the
        # database cannot be corrupted by it (WAL mode).
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute("PRAGMA cache_size=-262144")
        raw.execute("PRAGMA synchronous=NORMAL")
        try:
            conn = sa.execution_options(**{WRITE_OPTION: True})
            with conn.begin():
                if raw.execute("SELECT 1 FROM penalty_case LIMIT 1").fetchone() is not None:
                    raise AppError("数据库中已有业务数据，不能再生成演示数据")
                if raw.execute("SELECT value FROM local_state WHERE key='township_uid'").fetchone() is None:
                    raise AppError("此数据库尚未初始化：请先运行 init 或首次启动向导")
                gen = _Gen(raw, seed=seed, today=today, scale=scale, settings=settings, cal=cal, progress=report)
                gen.build()
                counts = gen.write()
                problems = raw.execute("PRAGMA foreign_key_check").fetchmany(5)
                if problems:
                    raise AssertionError(f"bulk load broke foreign keys: {problems}")
                report("审计记录", 97)
                _audit(conn, gen, today)
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute(f"PRAGMA cache_size={int(old_cache)}")
            raw.execute(f"PRAGMA synchronous={int(old_sync)}")
    report("完成", 100)
    return counts


def _audit(conn: Connection, gen: _Gen, today: date) -> None:
    at = datetime.combine(today, time(20, 0), tzinfo=SHANGHAI)
    append_events(conn, gen.audit_events(), at=at, actor="demo", device_uid=gen.device_uid)
