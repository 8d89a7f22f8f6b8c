"""The JSON-lines members of a bundle: one JSON object per line, decoded in batches.

The verdict on every line is exactly ``json.loads`` of that line alone (:func:`decode_line`): a record, or the
line's text for the quarantine. The batch path only gets there with less Python per line (this is a third of a
township import's reading time): a chunk is decoded from UTF-8 once and split into lines, and the C scanner
behind ``json.loads`` reads a whole batch in one ``map``; any batch where some line is not one complete JSON
object on its own (bad UTF-8, white space around it, a BOM, extra data, not an object) is redone line by line.

Where orjson is installed (requirements.txt) a batch is first read with it, three to four times faster than the
C scanner (bench/README.md), and kept only where that cannot differ from ``json.loads``: every line an object
whose values are text, integers, booleans or null, or lists of those (a record's ``_base``). Anything else sends
the batch the json way: a float (orjson reads an integer beyond 64 bits as one, json keeps it exact; no synced
column holds a float anyway), a nested object or list (nesting near the parsers' depth limits). NaN, Infinity,
numbers overflowing a double and lone surrogates make orjson raise, which does the same. A test decodes a corpus
of damaged and hostile lines both ways (tests/services/test_sync_fastpath.py).

Whatever a line holds, decoding it raises nothing: nesting too deep for the parser (RecursionError), numbers too
long to convert, broken encodings all come back as the line's text for the quarantine. A line longer than
``MAX_LINE`` bytes is never held in memory whole: it is skipped up to its end and comes back as an
:class:`Undecodable` saying so (docs/sync-bundle.md §Value checks and limits).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, repeat
from typing import Any

_fast_loads: Callable[[str | bytes], Any] | None
try:
    from orjson import loads as _fast_loads  # its JSONDecodeError is a ValueError
except ImportError:  # pragma: no cover - a pinned dependency; without it the json path alone gives every verdict
    _fast_loads = None

MAX_LINE = 16 << 20  # bytes of one record: the largest column (a document snapshot, 2 M characters) fits


class Undecodable(str):
    """The text of a line that is no record, with the quarantine's reason."""

    reason = "不是有效的 JSON 记录"


class Oversized(Undecodable):
    """A line longer than MAX_LINE: its first bytes, behind words that no JSON parser takes for a record."""

    reason = f"记录过长（超过 {MAX_LINE >> 20} MiB），未读取"


def _oversized(part: bytes) -> Oversized:
    return Oversized("记录过长：" + part[len(_OVERSIZED):].decode("utf-8", "replace"))


Decoded = dict[str, Any] | str  # a record, or the undecodable line (as text, an Undecodable) to quarantine
Line = str | bytes  # a line as decoded text, or bytes where it is not valid UTF-8 (or is an Oversized marker)

# The C scanner behind json.loads; raises StopIteration where no JSON value starts. JSONDecoder sets it in
# __init__ without declaring it, hence the ignore.
_scan_once: Callable[[str | bytes, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _undecodable(line: bytes) -> Undecodable:
    return Undecodable(line[:200].decode("utf-8", "replace"))


def decode_line(line: bytes) -> Decoded:
    if isinstance(line, Oversized):
        return line
    try:
        rec = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        return _undecodable(line)
    return rec if isinstance(rec, dict) else _undecodable(line)


def _plain_split(block: bytes) -> list[Line]:
    try:
        return list(filter(None, block.decode("utf-8").split("\n")))
    except UnicodeDecodeError:
        out: list[Line] = []
        for part in filter(None, block.split(b"\n")):
            try:
                out.append(part.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(part)
        return out


def bounded_chunks(chunks: Iterable[bytes], max_line: int = MAX_LINE) -> Iterator[bytes]:
    """``chunks`` cut at line ends, each holding whole lines only, with every line longer than ``max_line``
    replaced by an :class:`Oversized` marker line: memory stays within one chunk and ``max_line``, whatever the
    member holds (a multi-gigabyte line without a line end included)."""
    rest = b""
    skipping: bytes | None = None  # the start of an oversized line being skipped up to its end
    for chunk in chunks:
        if skipping is not None:
            end = chunk.find(b"\n")
            if end < 0:
                continue
            yield _OVERSIZED + skipping + b"\n"
            skipping, chunk = None, chunk[end + 1:]
        buf = rest + chunk if rest else chunk
        cut = buf.rfind(b"\n") + 1
        rest = buf[cut:]
        if cut:
            yield buf[:cut]
        if len(rest) > max_line:
            skipping, rest = rest[:200], b""
    if skipping is not None:
        yield _OVERSIZED + skipping + b"\n"
    elif rest:
        yield rest + b"\n"


_OVERSIZED = b"\x00oversized\x00"  # NUL cannot occur in a JSON line: the marker is no record's text


def _split(block: bytes) -> list[Line]:
    """The non-empty lines of ``block`` (which ends at a line end): str, or bytes where not valid UTF-8.
    Splitting after decoding is the same as before: b"\\n" never occurs inside a UTF-8 sequence."""
    if _OVERSIZED in block:
        out: list[Line] = []
        for part in filter(None, block.split(b"\n")):
            out += [_oversized(part)] if part.startswith(_OVERSIZED) else _plain_split(part)
        return out
    return _plain_split(block)


def line_batches(chunks: Iterable[bytes], size: int, max_line: int = MAX_LINE) -> Iterator[list[Line]]:
    """The non-empty lines of a member streamed as ``chunks``, ``size`` at a time (memory: one batch, one chunk
    and one line of at most ``max_line`` bytes, whatever the member's size)."""
    pending: list[Line] = []
    for block in bounded_chunks(chunks, max_line):
        pending += _split(block)
        while len(pending) >= size:
            yield pending[:size]
            del pending[:size]
    for k in range(0, len(pending), size):
        yield pending[k:k + size]


def bounded_lines(chunks: Iterable[bytes], max_line: int = MAX_LINE) -> Iterator[bytes]:
    """The non-empty lines of a member as bytes (an oversized one as its Oversized marker), within the same
    memory bound as :func:`line_batches`."""
    for block in bounded_chunks(chunks, max_line):
        for part in filter(None, block.split(b"\n")):
            yield _oversized(part).encode("utf-8") if part.startswith(_OVERSIZED) else part


_SCALARS = frozenset({str, int, bool, type(None)})


def _fast(lines: list[Line]) -> list[Decoded] | None:
    """The batch read by orjson, or None where that might not be exactly what json.loads gives."""
    if _fast_loads is None:
        return None
    try:
        recs = list(map(_fast_loads, lines))  # a bytes line that is not UTF-8 raises as well
    except (ValueError, TypeError, RecursionError):
        return None
    if set(map(type, recs)) != {dict}:
        return None
    kinds = set(map(type, chain.from_iterable(map(dict.values, recs))))
    if kinds <= _SCALARS:
        return recs
    if kinds - _SCALARS != {list}:
        return None
    lists = [v for v in chain.from_iterable(map(dict.values, recs)) if v.__class__ is list]
    return recs if set(map(type, chain.from_iterable(lists))) <= _SCALARS else None


def decode_batch(lines: list[Line]) -> list[Decoded]:
    """Exactly ``[decode_line(line) for line in lines]`` (str lines as their UTF-8 bytes)."""
    if lines:
        fast = _fast(lines)
        if fast is not None:
            return fast
    try:
        found = list(map(_scan_once, lines, repeat(0)))  # a StopIteration ends map early: caught by the length
    except (ValueError, TypeError, RecursionError):  # TypeError: a line that is not valid UTF-8 (bytes)
        found = []
    if len(found) == len(lines) and found:
        recs, ends = zip(*found, strict=True)
        if list(ends) == list(map(len, lines)) and set(map(type, recs)) == {dict}:
            return list(recs)
    return [_one(line) for line in lines]


def _one(line: Line) -> Decoded:
    if isinstance(line, Oversized):
        return line
    if isinstance(line, str):
        try:
            rec, end = _scan_once(line, 0)
            if end == len(line) and type(rec) is dict:
                return rec
        except (StopIteration, ValueError, RecursionError):
            pass
        line = line.encode("utf-8")
    return decode_line(line)
