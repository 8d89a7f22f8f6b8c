"""The JSON-lines members of a bundle: one JSON object per line, decoded in batches.

The verdict on every line is exactly ``json.loads`` of that line alone (:func:`decode_line`): a record, or the
line's text for the quarantine. The batch path only gets there with less Python per line (this is a third of a
township import's reading time): a chunk is decoded from UTF-8 once and split into lines, and the C scanner
behind ``json.loads`` reads a whole batch in one ``map``; any batch where some line is not one complete JSON
object on its own (bad UTF-8, white space around it, a BOM, extra data, not an object) is redone line by line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from typing import Any

Decoded = dict[str, Any] | str  # a record, or the undecodable line (as text) to quarantine

# The C scanner behind json.loads; raises StopIteration where no JSON value starts. JSONDecoder sets it in
# __init__ without declaring it, hence the ignore.
_scan_once: Callable[[str | bytes, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def decode_line(line: bytes) -> Decoded:
    try:
        rec = json.loads(line)
    except ValueError:
        return line[:200].decode("utf-8", "replace")
    return rec if isinstance(rec, dict) else line[:200].decode("utf-8", "replace")


def _split(block: bytes) -> list[str | bytes]:
    """The non-empty lines of ``block`` (which ends at a line end): str, or bytes where not valid UTF-8.
    Splitting after decoding is the same as before: b"\\n" never occurs inside a UTF-8 sequence."""
    try:
        return list(filter(None, block.decode("utf-8").split("\n")))
    except UnicodeDecodeError:
        out: list[str | bytes] = []
        for part in filter(None, block.split(b"\n")):
            try:
                out.append(part.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(part)
        return out


def line_batches(chunks: Iterable[bytes], size: int) -> Iterator[list[str | bytes]]:
    """The non-empty lines of a member streamed as ``chunks``, ``size`` at a time (memory: one batch and one
    chunk, whatever the member's size)."""
    rest = b""
    pending: list[str | bytes] = []
    for chunk in chunks:
        buf = rest + chunk
        cut = buf.rfind(b"\n") + 1
        rest = buf[cut:]
        if cut:
            pending += _split(buf[:cut])
        while len(pending) >= size:
            yield pending[:size]
            del pending[:size]
    if rest:
        pending += _split(rest + b"\n")
    for k in range(0, len(pending), size):
        yield pending[k:k + size]


def decode_batch(lines: list[str | bytes]) -> list[Decoded]:
    """Exactly ``[decode_line(line) for line in lines]`` (str lines as their UTF-8 bytes)."""
    try:
        found = list(map(_scan_once, lines, repeat(0)))  # a StopIteration ends map early: caught by the length
    except (ValueError, TypeError, RecursionError):  # TypeError: a line that is not valid UTF-8 (bytes)
        found = []
    if len(found) == len(lines) and found:
        recs, ends = zip(*found, strict=True)
        if list(ends) == list(map(len, lines)) and set(map(type, recs)) == {dict}:
            return list(recs)
    return [_one(line) for line in lines]


def _one(line: str | bytes) -> Decoded:
    if isinstance(line, str):
        try:
            rec, end = _scan_once(line, 0)
            if end == len(line) and type(rec) is dict:
                return rec
        except (StopIteration, ValueError, RecursionError):
            pass
        line = line.encode("utf-8")
    return decode_line(line)
