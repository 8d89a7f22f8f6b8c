"""The import's batch fast paths decide exactly as the record-by-record rules: JSON lines (services/sync/jsonl.py)
and field validation (services/sync/validate.py), fuzzed with damaged and hostile values."""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest

from services.sync.jsonl import Line, _fast, decode_batch, decode_line, line_batches
from services.sync.tables import Invalid, synced_specs
from services.sync.validate import TableValidator, _layout_check, validator_for

LINES = [b'{"a":1}', b' {"a":1}', b'{"a":1} ', b'\xef\xbb\xbf{"a":1}', b'[1]', b'5', b'{"a":', b'{"a":1}{"b":2}',
         b'\xff\xfe', '{"a":"中"}'.encode(), b'{"a":NaN}', b'{"a":1}\r', b'{"a":[1', b'2]}', b'{"a":1,"a":2}',
         b'"x"', b'{}', b'{"a":"\x01"}', b'{"k":"\xe4\xb8"}', '{"a":"中"}'.encode("utf-16"), b'{"a":[{}',
         b'{}]}', b'{"x":1},{"y":2}']


def test_json_lines_in_batches_match_json_loads_line_by_line() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        data = b"\n".join(rng.choice(LINES) for _ in range(rng.randint(0, 12))) + rng.choice([b"", b"\n", b"\n\n"])
        cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 5))))
        chunks = [data[i:j] for i, j in zip([0, *cuts], [*cuts, len(data)], strict=True)]
        got = [r for batch in line_batches(chunks, rng.randint(1, 5)) for r in decode_batch(batch)]
        assert repr(got) == repr([decode_line(line) for line in data.split(b"\n") if line])


# Lines that two JSON parsers may read differently: integers around 64 bits, NaN and overflowing numbers, lone and
# paired surrogates, floats at a double's edges, nesting near the parsers' limits, digits inside strings.
EDGES = [b'{"n":%s}' % n for n in (b"9223372036854775807", b"9223372036854775808", b"-9223372036854775809",
                                    b"18446744073709551616", b"123456789012345678", b"1" * 40, b"-0", b"0.1",
                                    b"1e5", b"1E+2", b"-0.0", b"0.30000000000000004", b"1.7976931348623157e308",
                                    b"4.9e-324", b"2.2250738585072014e-308", b"1.5e-400", b"1e400", b"-1e400",
                                    b"NaN", b"Infinity", b"-Infinity", b"1.0e19", b"10000000000000000000.5")]
EDGES += [b'{"s":"\\ud800"}', b'{"s":"\\ud83d\\ude00"}', b'{"s":"\\udc00x"}', b'{"s":"\\u0000\\/"}',
          b'{"s":"1234567890123456789"}', b'{"a":1,"a":"x","b":null,"a":[1]}', b'{"b":1,"a":2}',
          '{"s":"中文\t"}'.encode(), b'{"s":"\x7f"}', b'{"_base":[3,"2026-03-02 01:02:03.000004"],"v":true}']
EDGES += [b'\x0c{"a":1}', b'{"a":1}\x0c', '\xa0{"a":1}'.encode(), b'{"a":1,}', b'{"\\u0061":1,"b" :2 }',
          b'\t{"a":-0}', '{"a":"\u2028"}'.encode(), b'{"a":"x\\"}']
EDGES += [b'{"d":' + b"[" * k + b"]" * k + b"}" for k in (100, 127, 128, 500, 990, 1000, 1023, 1024, 1030)]
EDGES += [b'{"d":' + b'{"a":' * k + b"1" + b"}" * k + b"}" for k in (126, 127, 999, 1100)]


def test_json_edges_decode_in_batches_as_json_loads_does() -> None:
    """Each edge line on its own and among ordinary records: the batch path (orjson where it applies) gives what
    json.loads gives line by line."""
    plain = '{"uid":"0f8c4a2e-1b3d-4c5e-9f60-718293a4b5c6","n":7,"s":"文本","t":null}'
    for edge in EDGES:
        for batch in ([edge], [plain.encode(), edge, plain.encode()], [edge] * 3):
            lines: list[Line] = [b.decode("utf-8") for b in batch]
            assert repr(decode_batch(lines)) == repr([decode_line(b) for b in batch]), edge[:60]


def test_ordinary_batches_take_the_fast_reader_and_floats_or_nesting_do_not() -> None:
    plain: list[Line] = [f'{{"uid":"0f8c4a2e-1b3d-4c5e-9f60-718293a4b5c6","n":{k},"s":"文本 {k}"}}' for k in range(50)]
    assert _fast(plain) == [json.loads(line) for line in plain]  # orjson (requirements.txt) is in use
    assert _fast([*plain, '{"n":18446744073709551616}']) is None  # json keeps it exact; orjson would not
    assert _fast([*plain, '{"d":' + "[" * 200 + "]" * 200 + "}"]) is None  # nested: json decides
    assert _fast([*plain, '{"f":0.5}']) is None and _fast([*plain, '{"o":{}}']) is None
    assert _fast([*plain, '{"_base":[3,"2026-03-02 01:02:03.000004"]}']) is not None  # a record's base
    assert _fast([*plain, '{"_base":[18446744073709551616,"x"]}']) is None
    assert _fast([*plain, b'{"s":"\xff"}']) is None  # a line that is not UTF-8 (bytes)


@pytest.mark.parametrize("layout, good, bad", [
    ("dddd-dd-dd", ["2026-03-02"], ["2026-3-02", "2026/03/02", "2026-03-0x", "2026-03-02 ", "20260-3-02",
                                    "2026-03--2", "-2026-03-0", "٢٠٢٦-٠٣-٠٢", "２０２６-０１-０５"]),
    ("dddd-dd-dd dd:dd:dd.dddddd", ["2026-03-02 01:02:03.000004"],
     ["2026-03-02 01:02:03", "2026-03-02T01:02:03.000004", "2026-03-02 01:02:03.00000-", "2026-03-02 01:02:0:.000004"]),
    ("hhhhhhhh-hhhh-hhhh-hhhh-hhhhhhhhhhhh", ["0f8c4a2e-1b3d-4c5e-9f60-718293a4b5c6"],
     ["0F8C4A2E-1B3D-4C5E-9F60-718293A4B5C6", "0f8c4a2e-1b3d-4c5e-9f60-718293a4b5cg", "0f8c4a2e1-b3d-4c5e-9f60-718293a4b5c6",
      "0f8c4a2e-1b3d-4c5e-9f60-718293a4b5c", "0f8c4a2e-1b3d-4c5e-9f60-718293a4b5ć6"[:36]]),
])
def test_column_layouts_accept_exactly_the_pattern(layout: str, good: list[str], bad: list[str]) -> None:
    check = _layout_check(layout)
    assert check(good) and check(good * 3)
    for value in bad:
        assert check([value]) is None and check([*good, value, *good]) is None, value


def _valid_record(v: TableValidator, rng: random.Random) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    for c in v.columns:
        rec[c.name] = {
            "int": max(c.range.lo, 0) + rng.randint(0, 9) if c.range else rng.randint(0, 9), "money": rng.randint(0, 99999), "float": rng.random(), "bool": rng.random() < .5,
            "date": "2026-03-02", "datetime": "2026-03-02 01:02:03.000004",
            "str": ("[]" if getattr(c.json, "array", False) else "{}") if c.json else "文本", "fk": "任意 uid", "enum": sorted(c.choices)[0] if c.choices else "x",
        }[c.kind]
    rec["uid"] = "0f8c4a2e-1b3d-4c5e-9f60-718293a4b5c6"
    return rec


_DAMAGE: list[Any] = [None, True, 1, 1.5, "", "x", [], {}, "2026-03-02", "2026-03-02 01:02:03", "٢٠٢٦-٠٣-٠٢", 2,
                      "0F8C4A2E-1B3D-4C5E-9F60-718293A4B5C6", "applied", "2026-03-02 01:02:03.000004",
                      # values no real record has (issue 14): out of range, not a calendar day, too long, unstorable
                      -1, -50_000, 2**31, 2**63 - 1, 2**70, -(2**64), 10**12, 10**12 + 1, 0, 2000, 1899,
                      "9999-12-31", "2026-13-45", "２０２６-０１-０５", "2026-02-29", "2028-02-29", "2026-04-31",
                      "1899-12-31", "2026-03-02 24:00:00.000000", "2026-03-02 23:60:00.000000", "2026-03-02 23:59:60.000000",
                      "9999-12-31 00:00:00.000000", "2026-13-02 01:02:03.000004", "2026-02-31 01:02:03.000004",
                      "2026-00-10", "2025-02-29", "2024-02-29", "2026-01-32", "2026-01-00", "2026-06-31", "2026-11-30",
                      "2024-02-29 23:59:59.999999", "2025-02-29 00:00:00.000000", "2026-01-01 19:60:00.000000",
                      "2026-01-01 20:00:00.000000", "2026-01-01 30:00:00.000000", "2026-09-31 00:00:00.000000",
                      "x" * 33, "竹" * 300, "\ud800", "a\udfffb", "a\x00b", '{"a":1}', "[1]", '{"a":' * 40 + "1" + "}" * 40,
                      '{"a":' * 70 + "1" + "}" * 70, "{" * 5000, '{"a":[1,2,{"b":"中"}]}',
                      # a sealed column's value in sealed form (refused there only), and that text inside a value
                      "ed1:AQID", "ed1:", "x\x01ed1:AQID", "址ed1:"]
TODAY = date(2026, 6, 1)


def _plain(values: Any) -> list[Any]:
    return [int(x) if type(x) is bool else x for x in values]  # SQLite stores True as 1: the same row


def test_the_batch_check_agrees_with_the_record_check_for_every_table() -> None:
    rng = random.Random(11)
    for spec in synced_specs():
        v = validator_for(spec, TODAY)
        for _ in range(400):
            rec = _valid_record(v, rng)
            for name in rng.sample(spec.names, rng.randint(0, 3)):
                if rng.random() < 0.2:
                    rec.pop(name)
                else:
                    rec[name] = rng.choice(_DAMAGE)
            try:
                expected: Any = _plain(v.convert(rec))
            except Invalid as exc:
                expected = str(exc)
            except Exception as exc:  # what check() reports for content convert cannot handle
                expected = f"记录内容无法处理（{type(exc).__name__}）"
            good, cols, bad = v.check([rec])  # alone: the fast path decides this batch by itself
            got = _plain(c[0] for c in cols) if good else bad[0][1]
            assert got == expected, (spec.name, rec)
        for _ in range(60):  # whole batches: the column checks see the values joined together
            batch = [_valid_record(v, rng) for _ in range(rng.randint(2, 6))]
            for rec in batch:
                for name in rng.sample(spec.names, rng.randint(0, 1)):
                    rec[name] = rng.choice(_DAMAGE)
            expected_bad = []
            for rec in batch:
                try:
                    v.convert(rec)
                except Exception:  # noqa: BLE001 - any failure makes it a bad record, as in check()
                    expected_bad.append(rec["uid"] if isinstance(rec.get("uid"), str) else None)
            good, cols, bad = v.check(batch)
            assert len(good) + len(bad) == len(batch) and len(bad) == len(expected_bad), (spec.name, batch)
        batch = [_valid_record(v, rng) for _ in range(5)]
        batch[2]["uid"] = "not a uuid"
        good, cols, bad = v.check(batch)
        assert len(good) == 4 and len(cols[0]) == 4 and bad == [(batch[2], "uid 不是有效的 UUID")]
