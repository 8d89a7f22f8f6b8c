"""CJK fonts for documents: lazy registration, cmap checks, fallback runs, refusal of unprintable text.

ReportLab draws a character its font lacks as nothing, without any warning (docs/performance.md §6), so every text
that goes into a document is checked against the fonts' character maps first. Characters missing from the
primary font are drawn in the next font of the chain that has them; characters no font has refuse the
document (``require_printable``) instead of being lost on paper.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from services.core.errors import ConfigurationError, ValidationError
from services.core.paths import resource_path

# Bundled files (resources/fonts/README.md): Song for the body, a heavy Song (the free stand-in for 小标宋) for
# titles and labels; Hei and Droid only for characters those two lack (symbols, Cyrillic, Hangul, rare hanzi).
BUNDLED_BODY = "uming.ttc"
BUNDLED_TITLE = "enforcedesk-title-serif-sc-heavy.ttf"
BUNDLED_HEI = "wqy-microhei.ttc"
BUNDLED_FALLBACK = "DroidSansFallbackFull.ttf"

_LOCK = threading.Lock()
_SPACES = re.compile(r"(?: {2,}|\u3000+)")
_REGISTERED: dict[str, TTFont] = {}


@dataclass(frozen=True, slots=True)
class FontSpec:
    """One font file (and face of a .ttc) registered under a stable ReportLab name."""

    name: str
    path: Path
    face: int = 0


def _spec(role: str, setting: str, bundled: str) -> FontSpec:
    """The bundled font, or the file a setting names (``path`` or ``path#face`` for a .ttc)."""
    if not setting.strip():
        return FontSpec(f"ED{role}", resource_path("fonts", bundled))
    text, _, face = setting.strip().partition("#")
    try:
        index = int(face) if face else 0
    except ValueError as exc:
        raise ConfigurationError(f"字体设置“{setting}”有误：#后应为字体序号（数字）") from exc
    digest = hashlib.sha1(setting.strip().encode("utf-8")).hexdigest()[:8]
    return FontSpec(f"ED{role}-{digest}", Path(text), index)


def _register(spec: FontSpec) -> TTFont:
    """Parse and register a font once per process (about 0.1 s for a 5–20 MB file)."""
    with _LOCK:
        font = _REGISTERED.get(spec.name)
        if font is not None:
            return font
        if not spec.path.is_file():
            raise ConfigurationError(f"找不到字体文件：{spec.path}（请检查“文书字体”设置）")
        try:
            font = TTFont(spec.name, str(spec.path), subfontIndex=spec.face)
        except TTFError as exc:
            # CFF-outline OpenType (e.g. Noto CJK) and fonts that forbid embedding end up here.
            raise ConfigurationError(f"字体文件{spec.path.name}不能嵌入PDF（需要TrueType轮廓字体）：{exc}") from exc
        pdfmetrics.registerFont(font)
        _REGISTERED[spec.name] = font
        return font


@dataclass
class FontSet:
    """Body and title fonts of one configuration and the two fallbacks; each file is parsed on first use only."""

    body_spec: FontSpec
    title_spec: FontSpec
    hei_spec: FontSpec  # first fallback: symbols such as − ✓ ☎ ⅓, Cyrillic and Hangul
    fallback_spec: FontSpec
    _cmaps: dict[str, frozenset[int] | dict[int, int]] = field(default_factory=dict)

    @property
    def specs(self) -> tuple[FontSpec, ...]:
        return self.body_spec, self.title_spec, self.hei_spec, self.fallback_spec

    @property
    def body(self) -> str:
        return self._ensure(self.body_spec)

    @property
    def title(self) -> str:
        return self._ensure(self.title_spec)

    @property
    def fallback(self) -> str:
        return self._ensure(self.fallback_spec)

    def _ensure(self, spec: FontSpec) -> str:
        if spec.name not in self._cmaps:
            self._cmaps[spec.name] = _register(spec).face.charToGlyph
        return spec.name

    def has(self, name: str, ch: str) -> bool:
        spec = next(s for s in self.specs if s.name == name)
        self._ensure(spec)
        return ord(ch) in self._cmaps[name]

    def chain(self, primary: str) -> tuple[str, ...]:
        """Primary first, then the others; the fallback font is only parsed when a character needs it."""
        return (primary, *dict.fromkeys(s.name for s in self.specs if s.name != primary))

    def font_for(self, ch: str, primary: str) -> str | None:
        if _ignorable(ch):
            return primary
        for name in self.chain(primary):
            if self.has(name, ch):
                return name
        return None

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no font of this set can draw, in order of appearance, once each."""
        out: list[str] = []
        for ch in dict.fromkeys(text):
            if self.font_for(ch, self.body_spec.name) is None:
                out.append(ch)
        return out

    def runs(self, text: str, primary: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font name, run) pieces, each run drawable in its font."""
        self._ensure(next(s for s in self.specs if s.name == primary))
        cmap = self._cmaps[primary]
        if all(ord(ch) in cmap or ord(ch) < 0x20 for ch in set(text)):
            return [(primary, text)] if text else []  # the usual case: one run, no per-character lookups
        pieces: list[tuple[str, str]] = []
        for ch in text:
            name = self.font_for(ch, primary) or primary
            if pieces and pieces[-1][0] == name:
                pieces[-1] = (name, pieces[-1][1] + ch)
            else:
                pieces.append((name, ch))
        return pieces

    def markup(self, text: str, primary: str | None = None) -> str:
        """Paragraph markup for plain ``text``: escaped, newlines kept, fallback runs in <font> tags."""
        primary = primary or self.body_spec.name
        out: list[str] = []
        for name, run in self.runs(text, primary):
            # Runs of spaces are blanks left for handwriting: keep them (a Paragraph collapses them).
            # An ideographic space is as wide as a hanzi: two no-break spaces.
            safe = _SPACES.sub(lambda m: "&nbsp;" * sum(2 if c == "\u3000" else 1 for c in m.group()),
                               escape(run)).replace("\n", "<br/>")
            out.append(safe if name == primary else f'<font name="{name}">{safe}</font>')
        return "".join(out)


def _ignorable(ch: str) -> bool:
    # Line breaks and tabs are layout, not glyphs.
    return ord(ch) < 0x20


_SETS: dict[tuple[str, str], FontSet] = {}


def font_set(body_file: str = "", title_file: str = "") -> FontSet:
    """The font set for these settings ("" = bundled). Cached per process; registration is lazy."""
    key = (body_file.strip(), title_file.strip())
    with _LOCK:
        fs = _SETS.get(key)
        if fs is None:
            fs = FontSet(_spec("Song", key[0], BUNDLED_BODY), _spec("Title", key[1], BUNDLED_TITLE),
                         _spec("Hei", "", BUNDLED_HEI), _spec("Fallback", "", BUNDLED_FALLBACK))
            _SETS[key] = fs
    return fs


def check_text(text: str, fonts: FontSet | None = None) -> list[str]:
    """Characters of ``text`` that no registered font can draw (empty list: everything prints)."""
    return (fonts or font_set()).missing(text)


def require_printable(fields: Iterable[tuple[str, str]], fonts: FontSet) -> None:
    """Refuse to issue when any field holds a character no font can draw; the message names the field."""
    problems: list[str] = []
    first_field = ""
    for label, text in fields:
        lost = fonts.missing(text)
        if lost:
            first_field = first_field or label
            chars = "、".join(f"“{c}”（U+{ord(c):04X}）" for c in lost)
            problems.append(f"“{label}”中的{chars}")
    if problems:
        raise ValidationError(
            "以下字符在文书字体中都不存在，打印会丢字，不能出具文书：" + "；".join(problems)
            + "。请核对是否有规范写法，或在设置中指定包含这些字的字体文件", field=first_field,
        )


def walk_strings(value: object, labels: Mapping[str, str], path: str = "") -> Iterable[tuple[str, str]]:
    """(label, text) for every string inside a snapshot, labelled with the nearest known key's label."""
    if isinstance(value, str):
        yield labels.get(path.split(".")[-1].split("[")[0], path or "文书"), value
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield from walk_strings(v, labels, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from walk_strings(v, labels, f"{path}[{i}]")
