"""Special campaigns (专项整治) and officer trainings of the township demo, checked by their forms' own rules
(services.procedures.inspections.validate_campaign, services.people.trainings.validate_training)."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from models.enums import RecordKind
from services.people.trainings import validate_training
from services.procedures.inspections import CampaignInput, validate_campaign
from tools.demo.bulk.context import START, Context
from tools.demo.bulk.people import Squad
from tools.demo.bulk.vocab import CAMPAIGN_THEMES, TRAINING_ORGANISERS, TRAINING_TITLES

CAMPAIGNS_PER_YEAR = 8
TRAININGS_PER_YEAR = 6


class Campaigns:
    """The campaigns of each year; ``on(day)`` picks one running that day."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.spans: list[tuple[int, int, int, str, str]] = []  # (start, end, id, domain, uid)
        self.starts: list[int] = []

    def generate(self) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        t = ctx.table(RecordKind.CAMPAIGN, ("township_id", "name", "domain", "start_date", "end_date", "description"))
        for year in range(START.year, ctx.today.year + 1):
            first = date(year, 1, 1).toordinal()
            last = min(date(year, 12, 31).toordinal(), ctx.t)
            span = last - first + 1
            count = max(1, round(CAMPAIGNS_PER_YEAR * span / 365)) if span >= 20 else 0
            themes = rng.sample(CAMPAIGN_THEMES, min(count, len(CAMPAIGN_THEMES)))
            starts = sorted(first + rng.randrange(max(1, span - 10)) for _ in themes)
            for (domain, theme), s in zip(themes, starts, strict=True):
                e = s + rng.randint(20, 90)
                form = CampaignInput(name=f"{year}年{theme}专项行动", start_date=ctx.day(s), end_date=ctx.day(e),
                                     domain=domain,
                                     description=f"按照区综合行政执法局统一部署，在全镇范围内开展{theme}工作。")
                validate_campaign(form)
                cid, uid = ctx.next_id(t), ctx.uid()
                created = ctx.ts(s - rng.randint(3, 10), 540 + rng.randrange(420))
                t.rows.append((cid, uid, ctx.device_uid, 1, created, created, ctx.township_id, form.name, domain,
                               ctx.iso(s), ctx.iso(e), form.description))
                self.spans.append((s, e, cid, domain, uid))
        self.spans.sort()
        self.starts = [c[0] for c in self.spans]

    def on(self, o: int) -> tuple[int, str, int, int] | None:
        """(id, domain, start, end) of a campaign running on day ordinal ``o``, if any."""
        k = bisect_left(self.starts, o + 1)
        found = [c for c in self.spans[max(0, k - 6):k] if c[0] <= o <= c[1]]
        if not found:
            return None
        s, e, cid, domain, _uid = self.ctx.rng.choice(found)
        return cid, domain, s, e


def trainings(ctx: Context, squad: Squad) -> None:
    rng = ctx.rng
    t = ctx.table(RecordKind.TRAINING, ("township_id", "title", "held_on", "organiser", "hours", "place"))
    ta = ctx.table(RecordKind.TRAINING_ATTENDANCE, ("training_id", "officer_id"))
    for o in ctx.days(max(1, round(TRAININGS_PER_YEAR * (ctx.t - ctx.start) / 365)), growth=0.0, weekend=0.0):
        title, hours = rng.choice(TRAINING_TITLES), rng.choice((2, 3, 4, 4, 8))
        validate_training(title=title, held_on=ctx.day(o), hours=hours, today=ctx.today)
        tid = ctx.next_id(t)
        created = ctx.ts(o, 1080)
        t.rows.append((tid, ctx.uid(), ctx.device_uid, 1, created, created, ctx.township_id, title, ctx.iso(o),
                       rng.choice(TRAINING_ORGANISERS), hours, rng.choice(("镇政府三楼会议室", "区执法局会议室", "线上视频会议"))))
        pool = squad.all
        k = max(1, round(len(pool) * rng.uniform(0.6, 1.0)))
        for officer in rng.sample(pool, k):
            ta.rows.append((ctx.next_id(ta), ctx.uid(), ctx.device_uid, 1, created, created, tid, officer.id))
