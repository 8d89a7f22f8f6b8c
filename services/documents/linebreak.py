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
    _handleBulletWidth,
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
        _handleBulletWidth(self.bulletText, style, widths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara  # the second half of a paragraph split across pages keeps its lines
        if not self.frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor,
                             lines=[], ascent=style.fontSize, descent=-0.2 * style.fontSize)
        auto = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return split_lines(self.frags, widths, auto not in ("", "off"))
