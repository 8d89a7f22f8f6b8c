"""The inspection list's free text through the FTS5 index (migration 0004) returns exactly what LIKE returns.

The index holds one token per character; the list asks it for the records containing every character of the
term and keeps the LIKE on those. These tests compare the indexed path with the plain LIKE path on generated
data, after edits (the triggers keep the index current), for long texts, mixed case and after a sync import.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import string
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from random import Random

import pytest
from sqlalchemy import select

import services.read.queries as queries
from models.base import SHANGHAI
from models.inspection import Inspection
from services.core.clock import FixedClock
from services.core.db import Database
from services.core.uow import UnitOfWork
from services.read.queries import LISTS, ListQuery, fetch_page, search_tokens
from services.reference.setup import initialise
from tests.services.district_helpers import District
from tools.demo.bulk import generate_township


def _clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database.open(tmp_path_factory.mktemp("search") / "town.sqlite3")
    initialise(db, UnitOfWork(db, actor="tester", clock=_clock()), township="竹根镇", squad="竹根镇综合行政执法中队",
               admin_password="secret123", catalogue_effective_from=date(2016, 1, 1), encrypt=False)
    generate_township(db, seed=5, today=date(2026, 3, 2), scale=0.05)
    yield db
    db.dispose()


def _all_rows(db: Database, term: str, *, indexed: bool, limit: int = 500) -> tuple[int, list[tuple[object, ...]]]:
    spec = LISTS["inspections"]
    patched = spec if indexed else dataclasses.replace(spec, indexed_filter=None)
    saved = LISTS["inspections"]
    LISTS["inspections"] = patched
    try:
        rows: list[tuple[object, ...]] = []
        offset, total = 0, -1
        with UnitOfWork(db, actor="t", clock=_clock(), write=False) as u:
            while True:
                page = fetch_page(u.session, "inspections", ListQuery(text=term, offset=offset, limit=limit))
                total = page.total
                rows += page.rows
                offset += limit
                if offset >= total:
                    break
        return total, rows
    finally:
        LISTS["inspections"] = saved


def _uses_index(db: Database, term: str) -> bool:
    with UnitOfWork(db, actor="t", clock=_clock(), write=False) as u:
        return queries._inspection_search(u.session, term, queries._like(term)) is not None


def _sample_terms(db: Database, n: int = 25) -> list[str]:
    """Substrings of real places and findings (2–4 characters), plus party names: what officers type."""
    assert db.path is not None
    conn = sqlite3.connect(str(db.path))
    try:
        texts = [r[0] for r in conn.execute("SELECT place || findings FROM inspection ORDER BY id LIMIT 400")]
        names = [r[0] for r in conn.execute("SELECT name FROM party ORDER BY id LIMIT 40")]
    finally:
        conn.close()
    rnd = Random(7)
    terms = []
    for _ in range(n):
        text = rnd.choice(texts)
        size = rnd.choice((2, 2, 3, 4))
        start = rnd.randrange(0, max(1, len(text) - size))
        terms.append(text[start:start + size])
    return terms + [names[0][:2], names[5]]


FIXED_TERMS = ["烧烤", "餐饮", "垃圾", "占道经营", "新华", "镇", "2017", "第1号", "〔2024〕", "烧烤摊点", "不存在的词语",
               "%", "_", "占_", "违法违规问题", "a"]


def test_indexed_search_lists_exactly_the_like_results(town: Database) -> None:
    terms = FIXED_TERMS + _sample_terms(town)
    used = 0
    for term in terms:
        indexed, plain = _all_rows(town, term, indexed=True), _all_rows(town, term, indexed=False)
        assert indexed == plain, term
        used += _uses_index(town, term)
    assert used >= len(terms) // 2  # most typical terms went through the index
    assert _uses_index(town, "烧烤") and not _uses_index(town, "镇") and not _uses_index(town, "2017")


@pytest.mark.parametrize("page_max", [0, 10**9])
def test_both_page_plans_give_the_same_rows(town: Database, page_max: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Few matches: the index's rows are sorted; many: the date index is walked with LIKE. Same pages."""
    monkeypatch.setattr(queries, "INDEXED_PAGE_MAX", page_max)
    for term in ("烧烤", "垃圾", "新华"):
        assert _all_rows(town, term, indexed=True, limit=37) == _all_rows(town, term, indexed=False, limit=37), term


def _edit(db: Database, **values: object) -> str:
    with UnitOfWork(db, actor="t", clock=_clock()) as u:
        insp = u.session.scalar(select(Inspection).where(Inspection.deleted_at.is_(None)).order_by(Inspection.id.desc()))
        assert insp is not None
        for k, v in values.items():
            setattr(insp, k, v)
        u.commit()
        return insp.uid


def _uids(db: Database, term: str) -> set[object]:
    total, rows = _all_rows(db, term, indexed=True)
    assert (total, rows) == _all_rows(db, term, indexed=False), term
    return {r[0] for r in rows}


def test_the_index_follows_edits_soft_deletes_long_texts_and_case(town: Database) -> None:
    uid = _edit(town, findings="发现流动烤鸭摊占用人行道，责令立即整改。")
    assert uid in _uids(town, "烤鸭摊")
    _edit(town, findings="复查时已清理完毕。")
    assert uid not in _uids(town, "烤鸭摊") and uid in _uids(town, "清理完毕")
    long_text = "检查记录" * 700 + "末尾的蜂窝煤炉"  # longer than the triggers split (2048 characters)
    _edit(town, findings=long_text)
    assert uid in _uids(town, "蜂窝煤炉")
    _edit(town, place="金山镇KTV歌厅门口", findings="KTV歌厅门口占道")
    assert uid in _uids(town, "ktv歌厅") and uid in _uids(town, "Ktv歌")
    # the place is sealed at rest (often a home): it is searched by its masked form, down to the 乡镇 it names
    _edit(town, findings="")
    assert uid in _uids(town, "金山镇") and uid not in _uids(town, "ktv歌厅")
    _edit(town, deleted_at=datetime(2026, 3, 2, 11, tzinfo=SHANGHAI))
    assert uid not in _uids(town, "ktv歌厅")
    assert town.path is not None
    conn = sqlite3.connect(str(town.path))
    try:  # FTS5's own check of its index structure after the trigger-driven deletes and inserts (raises if broken)
        conn.execute("INSERT INTO inspection_search (inspection_search) VALUES ('integrity-check')")
    finally:
        conn.close()


def test_search_tokens_are_the_indexed_characters() -> None:
    assert search_tokens("烧烤") == ["烤", "烧"]
    assert search_tokens("KTV〔2024〕号") == ["0", "2", "4", "k", "t", "v", "号"]
    assert search_tokens("％—\u212a") == []  # the Kelvin sign lower-cases to "k" in Python, not in SQLite's LIKE


def test_every_character_a_query_may_ask_for_is_a_token_of_its_own() -> None:
    """The superset argument rests on this: FTS5's unicode61 keeps each of these characters as its own token."""
    chars = [chr(x) for x in range(0x4E00, 0x9FA6)] + list(string.ascii_lowercase + string.digits)
    assert all(search_tokens(ch) == [ch] for ch in chars)
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, content='', detail='none', tokenize='unicode61')")
        conn.executemany("INSERT INTO f (rowid, body) VALUES (?, ?)", [(i, f"。 {ch} ，") for i, ch in enumerate(chars, 1)])
        wrong = [ch for i, ch in enumerate(chars, 1)
                 if conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (f'"{ch}"',)).fetchall() != [(i,)]]
    finally:
        conn.close()
    assert wrong == []


@pytest.mark.slow
def test_the_index_is_filled_by_the_sync_import(district: District) -> None:
    """The district's inspections arrived through bundles (raw SQL merge): the triggers indexed them."""
    db = district.db
    for term in ("烧烤", "占道", "垃圾", "新华路"):
        assert _uses_index(db, term)
        assert _all_rows(db, term, indexed=True) == _all_rows(db, term, indexed=False), term


def test_postgresql_is_not_asked_for_the_index(tmp_path: Path) -> None:
    """The index is SQLite only; other databases keep the LIKE (services.read.queries checks the dialect)."""
    spec = LISTS["inspections"]

    class FakeBind:
        class dialect:  # noqa: N801 - mimics the attribute path session.get_bind().dialect.name
            name = "postgresql"

    class FakeSession:
        def get_bind(self) -> FakeBind:
            return FakeBind()

    like, indexed = queries._text_conditions(FakeSession(), spec, "烧烤")  # type: ignore[arg-type]
    assert indexed is None and like is not None
