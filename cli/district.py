"""The district office's commands: statistics, report, supervision, case-file review, ledgers, intake, periods
and the copy to PostgreSQL (docs/district-report.md). ``--db`` takes a file or a ``postgresql://`` URL."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from cli.database import Unlock, open_database, uow
from cli.output import EXIT_OK, EXIT_PROBLEMS, print_figures, print_json
from services.core.errors import AppError

if TYPE_CHECKING:
    from services.district.review import ReviewFigures, ReviewInfo


def cmd_stats(args: argparse.Namespace) -> int:
    """``stats``: a database's yearly figures; with ``--township``/``--month``/``--by-township``, the district's."""
    from services.district.stats import district_stats, figures_json
    from services.statistics.yearly import compute_year, yearly_stats

    if not 2000 <= args.year <= 2100:
        raise AppError(f"年份 {args.year} 不在 2000–2100 之间")
    with open_database(args.db) as db:
        if not (args.township or args.by_township or args.month):
            data = yearly_stats(uow(db, write=False), args.year).to_json()
        elif args.township and not args.by_township and args.month is None:
            # The township's own yearly figures, in exactly the shape `stats` prints for a whole database.
            from services.district.common import resolve_township

            with uow(db, write=False) as u:
                town = resolve_township(u.session, args.township)
                data = compute_year(u.session, args.year, today=u.clock.today(), township_id=town.id).to_json()
        else:
            ds = district_stats(uow(db, write=False), args.year, args.township, args.month)
            data = ds.to_json() if args.by_township else {"year": args.year, "month": args.month,
                                                           **figures_json(ds.total)}
    print_figures(data, as_json=args.json)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from services.district.report_render import write_report

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        data = write_report(uow(db), args.year, args.out)
    print(f"已输出 {args.out}：{data.title}")
    for section in data.sections:
        print(section.text)
    return EXIT_OK


def cmd_supervise(args: argparse.Namespace) -> int:
    from services.district.supervision import supervise

    with open_database(args.db) as db:
        rows = supervise(uow(db, write=False), township=args.township, kinds=tuple(args.kind) if args.kind else None)
    if args.json:
        print_json([r.to_json() for r in rows])
    else:
        for r in rows:
            print(f"{r.label}\t{r.township}\t{r.number or r.uid}\t应于{r.due_on:%Y-%m-%d}\t逾期{r.days_overdue}日\t"
                  f"{r.detail}")
        print(f"共 {len(rows)} 项")
    return EXIT_PROBLEMS if rows else EXIT_OK


def cmd_review_sample(args: argparse.Namespace) -> int:
    from services.district import review as rv

    with open_database(args.db) as db:
        info = rv.draw_sample(uow(db), args.year, args.size, args.seed, township=args.township, domain=args.domain)
        figures = rv.review_figures(uow(db, write=False), info.year)
    return _print_review(info, figures, as_json=args.json)


def cmd_review_show(args: argparse.Namespace) -> int:
    from services.district import review as rv

    with open_database(args.db) as db:
        info = rv.get_review(uow(db, write=False), args.review)
        figures = rv.review_figures(uow(db, write=False), info.year)
    return _print_review(info, figures, as_json=args.json)


def _print_review(info: ReviewInfo, figures: ReviewFigures, *, as_json: bool) -> int:
    if as_json:
        print_json({**asdict(info), "figures": asdict(figures)})
        return EXIT_OK
    print(f"{info.title}：种子 {info.seed}，从 {info.population} 件已结案案卷中抽取 {len(info.files)} 件（评查 {info.uid}）")
    for f in info.files:
        print(f"{f.position:3d}\t{f.township}\t{f.case_number}\t{f.domain}\t{f.total_score}分\t{f.grade}")
        for p in f.problems:
            print(f"\t\t[{p.item}] {p.description}（{'已整改' if p.status == 'rectified' else '待整改'}，{p.uid}）")
    print(f"{info.year}年评查合计：案卷 {figures.files} 件，问题 {figures.problems} 个，已整改 {figures.rectified} 个")
    return EXIT_OK


def cmd_review_rectify(args: argparse.Namespace) -> int:
    from services.district import review as rv

    with open_database(args.db) as db:
        p = rv.rectify_problem(uow(db), args.problem, args.note)
    print(f"已登记整改：{p.description}（{p.rectified_on:%Y-%m-%d}）")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from cli.documents import write_file
    from services.district.ledger_spec import ledger_kind, write_template

    write_file(args.out, write_template(args.kind))
    print(f"已生成{ledger_kind(args.kind).title}模板：{args.out}")
    return EXIT_OK


def cmd_ledger_import(args: argparse.Namespace) -> int:
    from services.district.ledger_import import import_ledger

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        rep = import_ledger(uow(db), args.kind, args.township, args.file)
    for bad in rep.bad:
        print(f"第{bad.row}行：{bad.reason}", file=sys.stderr)
    made = "（新建乡镇）" if rep.created_township else ""
    print(f"{rep.township}{made}：共 {rep.rows} 行，新增 {rep.new}，更新 {rep.updated}，未变 {rep.unchanged}，"
          f"有误 {len(rep.bad)}" + (f"；关账后补报 {rep.amendments} 条" if rep.amendments else ""))
    return EXIT_PROBLEMS if rep.bad else EXIT_OK


def cmd_intake(args: argparse.Namespace) -> int:
    """``district import``: every bundle of a folder, then the amendments after a closed period."""
    from services.district.intake import import_folder

    with open_database(args.db, unlock=Unlock.from_args(args)) as db:
        rep = import_folder(lambda: uow(db), args.folder, trust_new=args.trust_new, receipt_dir=args.receipt_dir,
                            reason=args.reason)
    for o in rep.outcomes:
        print(f"{o.file}\t{o.township}\t第{o.sequence}号\t新增{o.new}\t更新{o.updated}\t问题{o.problems}\t{o.message}")
    for name, why in rep.refused:
        print(f"拒绝 {name}：{why}", file=sys.stderr)
    for name, why in rep.unreceipted:
        print(f"{name}：{why}", file=sys.stderr)
    skipped = f"；跳过本机生成的回执 {len(rep.skipped)} 份" if rep.skipped else ""
    print(f"导入 {len(rep.outcomes)} 个同步包，拒绝 {len(rep.refused)} 个；关账后补报 {rep.amendments} 条{skipped}")
    return EXIT_OK if rep.ok else EXIT_PROBLEMS


def cmd_grid(args: argparse.Namespace) -> int:
    from services.district.completeness import completeness_grid

    with open_database(args.db) as db:
        g = completeness_grid(uow(db, write=False), args.year)
    if args.json:
        print_json(g.to_json())
    else:
        print("乡镇\t" + "\t".join(f"{m}月" for m in range(1, 13)) + "\t缺号/说明")
        for r in g.rows:
            cells = "\t".join(f"{c.records}条/{c.bundles}包{'🔒' if c.closed else ''}" for c in r.cells)
            print(f"{r.township}\t{cells}\t{'；'.join(r.gaps)}")
    return EXIT_PROBLEMS if any(r.gaps for r in g.rows) else EXIT_OK


def cmd_close(args: argparse.Namespace) -> int:
    return _period(args, close=True)


def cmd_reopen(args: argparse.Namespace) -> int:
    return _period(args, close=False)


def _period(args: argparse.Namespace, *, close: bool) -> int:
    from services.district import closing

    with open_database(args.db) as db:
        info = (closing.close_period if close else closing.reopen_period)(uow(db), args.year, args.month, args.reason)
    print(f"{info.period}：{'已关账' if info.status == 'closed' else '已重新打开'}（{info.reason}）")
    return EXIT_OK


def cmd_amendments(args: argparse.Namespace) -> int:
    from services.district import closing

    with open_database(args.db) as db:
        items = closing.list_amendments(uow(db, write=False), args.year, args.month)
    for a in items:
        print(f"{a.period}\t{a.township}\t{a.table}\t{a.record_uid}\t{a.record_date}\t{a.kind}\t{a.reason}")
    print(f"共 {len(items)} 条")
    return EXIT_OK


def cmd_drill(args: argparse.Namespace) -> int:
    from services.district.stats import drill_down

    with open_database(args.db) as db:
        rows = drill_down(uow(db, write=False), args.key, args.year, args.township, args.month, args.limit)
    for d in rows:
        print(f"{d.township}\t{d.table}\t{d.uid}\t{d.number}\t{d.on}\t{d.value}")
    print(f"共 {len(rows)} 条")
    return EXIT_OK


def cmd_copy(args: argparse.Namespace) -> int:
    """``district copy``: a SQLite district database, whole, into a new empty PostgreSQL database."""
    from services.district.transfer import copy_database

    with open_database(args.source) as src, open_database(args.target) as dst:
        r = copy_database(src, dst)
    print(f"已复制 {r.tables} 张表、{r.rows} 行到 {args.target.split('@')[-1]}")
    return EXIT_OK
