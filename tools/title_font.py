"""Rebuild the bundled title face: ``python -m tools.title_font NotoSerifCJK-Black.ttc [OUT.ttf]``.

GB/T 9704 sets titles in 小标宋, a heavy Song face no free licence covers. The nearest freely licensed face is
Noto Serif CJK SC Black (the Source Han Serif design, SIL OFL 1.1; Debian package ``fonts-noto-cjk-extra``,
file ``/usr/share/fonts/opentype/noto/NotoSerifCJK-Black.ttc``). It cannot be bundled as shipped:

- its outlines are CFF, which ReportLab cannot embed (docs/performance.md §6), so they are converted to
  TrueType quadratic curves (fontTools' cu2qu, at most 1/1000 em from the original curve);
- the full font holds 65,000 glyphs (25 MB); titles and agency names need the 6,763 hanzi of GB2312 and its
  symbols plus ASCII, so the font is cut down to those (about 7,600 glyphs) — the fallback chain of
  services/documents/fonts.py draws anything else in the body face;
- the OFL lets a modified version be bundled only under a name other than the Reserved Font Name ("Source"),
  so the subset is renamed "EnforceDesk Title Serif SC"; copyright and licence stay in the font's name table
  and in resources/fonts/LICENSES/.

Needs fontTools (``pip install fonttools``): a tool for whoever rebuilds the font, not a dependency of the app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

FAMILY = "EnforceDesk Title Serif SC"
STYLE = "Heavy"
POSTSCRIPT = "EnforceDeskTitleSerifSC-Heavy"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "enforcedesk-title-serif-sc-heavy.ttf"
# Tables ReportLab does not read: OpenType layout, vertical metrics, CFF-only data, the signature.
_DROP = ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG", "mort", "morx"]
# Curve conversion tolerance in font units (the Noto fonts have 1000 units per em).
_MAX_ERR = 1.0


def characters() -> list[int]:
    """Code points kept: printable ASCII, every character of GB2312 (hanzi and symbols), and the punctuation
    official documents use that GB2312 lacks or encodes differently (〔〕 for years, the em dash of page numbers)."""
    keep = set(range(0x20, 0x7F))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                keep.update(ord(c) for c in bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    keep.update(ord(c) for c in "〔〕《》〈〉「」『』【】（）［］｛｝“”‘’—–…·、。，；：？！￥¥×№　\u2014\u2015\u2e3a")
    return sorted(keep)


def _face_index(source: Path, tag: str) -> int:
    from fontTools.ttLib import TTCollection

    if source.suffix.lower() not in (".ttc", ".otc"):
        return -1
    collection = TTCollection(str(source), lazy=True)
    for i, font in enumerate(collection.fonts):
        if font["name"].getDebugName(6).lower().startswith(f"notoserifcjk{tag}"):
            return i
    raise SystemExit(f"{source.name}: no face whose PostScript name starts with NotoSerifCJK{tag}")


def _to_truetype(font: Any) -> None:
    """Replace the CFF outlines by quadratic TrueType glyphs (what ReportLab embeds)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType's clockwise: reverse while converting.
        glyph_set[name].draw(Cu2QuPen(pen, _MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: ReportLab reads only the metrics of 'post'
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: Any) -> None:
    """New family name (OFL condition 3); the copyright and licence records are kept as they are."""
    name = font["name"]
    source_name = name.getDebugName(4)
    for rec_id in (1, 2, 3, 4, 6, 16, 17, 21, 22):  # in every language: the Chinese records say Noto Serif CJK too
        name.removeNames(nameID=rec_id)
    for rec_id, text in ((1, FAMILY), (2, "Regular"), (3, f"{POSTSCRIPT};EnforceDesk"), (4, f"{FAMILY} {STYLE}"),
                         (6, POSTSCRIPT)):
        name.setName(text, rec_id, 3, 1, 0x409)
        name.setName(text, rec_id, 1, 0, 0)
    name.setName(f"Subset of {source_name} (GB2312 and ASCII), outlines converted to TrueType, renamed; "
                 "made by tools/title_font.py of EnforceDesk.", 10, 3, 1, 0x409)
    name.names = [n for n in name.names if n.platformID in (1, 3)]


def build(source: Path, out: Path, tag: str = "sc") -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    index = _face_index(source, tag)
    # recalcTimestamp off: a rebuild from the same source gives the same bytes.
    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False) if index >= 0 else \
        TTFont(str(source), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += _DROP
    options.hinting = False
    options.desubroutinize = True  # the pen reads glyphs more simply without CFF subroutines
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSerifCJK-Black.ttc (or an .otf of the SC face)")
    parser.add_argument("out", type=Path, nargs="?", default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    path = build(args.source, args.out)
    print(f"{path}: {path.stat().st_size / 1e6:.1f} MB, {len(characters())} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
