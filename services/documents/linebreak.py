"""Chinese line breaking for ReportLab paragraphs: 避头尾 (GB/T 15834 usage) and unbroken numbers.

ReportLab wraps CJK text one character at a time. Its only rule lets a full stop or closing bracket hang past the
right margin, and its list of such marks lacks the full-width comma, colon, semicolon, question mark and the
closing book-title mark, so "，" "：" "》" could start a line; it never keeps an opening mark off the end of one.
:class:`CJKParagraph` breaks the lines itself:

- a closing mark (，。、；：？！）》」』”’ …) never starts a line and an opening mark (（《「『“‘ …) never ends one:
  the break moves back one character or more, and the moved characters start the next line (推出, not hanging);
- a run of Latin letters and digits (a phone number, 〔2025〕's year, a credit code) or a blank line drawn with
  underscores is not cut in two;
- if no such break exists in the back half of the line, the plain break is used (a line of punctuation only).
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus.paragraph import (  # type: ignore[attr-defined]  # absent from ReportLab's stubs
    Paragraph,
    ParaLines,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

CANNOT_START = frozenset("，。、；：？！）》」』”’〕】〉］｝…‥·%‰℃°,.;:?!)]}>")
CANNOT_END = frozenset("（《「『“‘〔【〈［｛([{<¥￥$")


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-./_")


def _bad_break(chars: list[Any], at: int) -> bool:
    """Would a line break just before ``chars[at]`` break a rule?"""
    nxt, prev = chars[at], chars[at - 1]
    return nxt in CANNOT_START or prev in CANNOT_END or (_word_char(prev) and _word_char(nxt))


def split_lines(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> Any:
    """ReportLab's CJK lines (kind 1) for ``frags``, broken by the rules above."""
    chars: list[Any] = []
    for f in frags:
        text = f.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if text:
            chars.extend(cjkU(t, f, "utf8") for t in text)
        else:
            chars.append(cjkU(text, f, "utf8"))  # a <br/> or an image: one zero-width element
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    count = len(chars)
    while i < count:
        u = chars[i]
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        if hasattr(u.frag, "lineBreak"):
            lines.append(makeCJKParaLine(chars[start:i + 1], max_width, used, max_width - used, True, calc_bounds))
            start = i = i + 1
            used = 0.0
        elif used + w > max_width + _FUZZ and i > start:
            cut = i
            floor = start + max(1, (i - start) // 2)
            while cut > floor and _bad_break(chars, cut):
                cut -= 1
            if _bad_break(chars, cut):
                cut = i
            width = sum(_width(c, max_width) for c in chars[start:cut])
            lines.append(makeCJKParaLine(chars[start:cut], max_width, width, max_width - width, False, calc_bounds))
            start = i = cut
            used = 0.0
        else:
            used += w
            i += 1
            continue
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    if start < count:
        lines.append(makeCJKParaLine(chars[start:], max_width, used, max_width - used, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


def _width(u: Any, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        return float(w.normalizedValue(max_width))
    return float(w)


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping (style.wordWrap = "CJK") follows :func:`split_lines`."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802, N803 - ReportLab API
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        style = self.style
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            # A part of a paragraph split across pages keeps the lines it was given: ReportLab's simple lines
            # (tuples) go back through its own code, which rebuilds them; our lines are returned as they are.
            lines = self.blPara.lines
            return super().breakLinesCJK(widths) if lines and isinstance(lines[0], tuple) else self.blPara
        if not self.frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor,
                             lines=[], ascent=style.fontSize, descent=-0.2 * style.fontSize)
        # ReportLab's own wrapping is kept when it already obeys the rules (most paragraphs: it is faster, by
        # a third of a document's layout time); only a paragraph it breaks badly is wrapped again here.
        plain = super().breakLinesCJK(widths)
        if _obeys_rules(plain):
            return plain
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return split_lines(self.frags, widths, auto not in ("", "off"))


def _ends(line: Any, kind: int) -> tuple[str, str, float]:
    """First and last character of a laid-out line, and the room left on it (negative: past the margin)."""
    if kind == 0:
        space, words = line
        text = "".join(words)
    else:
        space = line.extraSpace
        text = "".join(str(getattr(w, "text", "")) for w in line.words)
    return text[:1], text[-1:], space


def _obeys_rules(para: Any) -> bool:
    """No seam between two lines breaks a rule of :func:`_bad_break`, and no line hangs past the margin
    (ReportLab lets a full stop hang, which overflows a table cell)."""
    lines = para.lines
    kind = getattr(para, "kind", 0)
    ends = [_ends(line, kind) for line in lines]
    for (_first, last, space), (first, _last, _space) in zip(ends, ends[1:], strict=False):
        if space < -_FUZZ:
            return False
        if first and last and (first in CANNOT_START or last in CANNOT_END or (_word_char(last) and _word_char(first))):
            return False
    return not ends or ends[-1][2] >= -_FUZZ
