"""A4 page machinery for documents: styles, flowables, QR code, page numbers, invariant (reproducible) output.

The page follows GB/T 9704-2012 (党政机关公文格式) where an enforcement document can: the type area of §5.2.1
(top margin 37 mm, binding edge 28 mm, 156 × 225 mm of text, so 26 mm right and 35 mm bottom), titles in a heavy
Song face standing in for 小标宋, and the page numbers of §7.5 on every document of more than one page: "— 1 —"
in 4号 (14 pt) Song with half-width digits, the dashes' top 7 mm below the type area, odd pages at the right
and even pages at the left, one character in from the edge. A 笔录 keeps its own "第X页 共Y页" and signature
strip on every page instead. The QR code sits at the foot of the first page, not above the agency's name.

Pages are decorated after the story is laid out (``_DocCanvas`` defers every page until ``save``) because
"第X页 共Y页", the odd/even page numbers and the case file's page numbers need the total count. Marker flowables
tell the canvas which document a page belongs to, so one PDF may hold many documents (the case file), each with
its own QR code and its own page numbers.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from reportlab import rl_config
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from models.base import SHANGHAI
from services.documents.fonts import FontSet
from services.documents.linebreak import CJKParagraph

# Flate alone: ReportLab's default ASCII85 wrapping of compressed streams adds 25 % to the file and costs
# time in pure Python; PDF readers need no 7-bit-clean streams.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
# GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm.
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 28 * mm, 26 * mm, 37 * mm, 35 * mm
BODY_W = PAGE_W - MARGIN_L - MARGIN_R
QR_SIZE = 19 * mm
# GB/T 9704-2012 §7.5: page numbers in 4号 Song; "one character" is a hanzi of the standard's 3号 body (§3.1).
PAGE_NO_SIZE = 14
ONE_CHAR = 16
TITLE_SIZE = 22  # 2号, the size GB/T 9704 gives the title (§7.3.1)


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What the pages of one document carry: QR payload, 笔录 page numbers, a signature strip."""

    key: str
    payload: str
    paged: bool = False
    sign_strip: str = ""
    file_numbered: bool = False  # case file: continuous page number (卷内页码) in the top right corner


class Mark(Flowable):
    """Zero-size flowable: from the page it is drawn on, pages belong to ``info``'s document."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        self.info = info
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab API
        return 0, 0

    def draw(self) -> None:
        mark = getattr(self.canv, "ed_mark", None)
        if mark is not None:
            mark(self.info)


class Title(Flowable):
    """A centred one-line title in the title face (heavy Song); a title wider than the frame is set smaller."""

    def __init__(self, text: str, fonts: FontSet, size: float = TITLE_SIZE, space_after: float = 6) -> None:
        super().__init__()
        self.text, self.fonts, self.size, self.space_after = text, fonts, size, space_after

    def _runs(self) -> list[tuple[str, str]]:
        return self.fonts.runs(self.text, self.fonts.title)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab API
        from reportlab.pdfbase.pdfmetrics import stringWidth

        self.width = availWidth
        natural = sum(stringWidth(r, f, self.size) for f, r in self._runs())
        self.drawn_size = self.size if natural <= availWidth else self.size * availWidth / natural
        return availWidth, self.size * 1.5 + self.space_after

    def draw(self) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = self._runs()
        size = self.drawn_size
        total = sum(stringWidth(r, f, size) for f, r in runs)
        t = self.canv.beginText((self.width - total) / 2, self.space_after + self.size * 0.35)
        for font, run in runs:
            t.setFont(font, size)
            t.textOut(run)
        self.canv.drawText(t)


class SignatureTable(Table):
    """The agency name, seal and date: never split, and never on a page of its own (see ``_keep_signatures``)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - ReportLab API
        return []


def _keep_signatures(story: list[Flowable]) -> None:
    """GB/T 9704-2012 §7.3.5: the seal is not to stand on a page without text. The signature block is kept on
    the page of the flowable before it (and the spacers between), through ReportLab's keepWithNext."""
    for i, flowable in enumerate(story):
        if not isinstance(flowable, SignatureTable):
            continue
        j = i - 1
        while j >= 0 and isinstance(story[j], Spacer):
            story[j].keepWithNext = True
            j -= 1
        if j >= 0 and not isinstance(story[j], Mark):
            story[j].keepWithNext = True


class Builder:
    """Styles and flowable helpers bound to one font set; every text goes through the fallback markup."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        # Labels (当事人：, table heads) in the title face: one heavy face less to embed than a separate Hei.
        song, heavy = fonts.body, fonts.title
        self.body = ParagraphStyle("body", fontName=song, fontSize=12, leading=21, wordWrap="CJK",
                                   firstLineIndent=24, alignment=TA_JUSTIFY)
        self.plain = ParagraphStyle("plain", parent=self.body, firstLineIndent=0, alignment=TA_LEFT)
        self.cell = ParagraphStyle("cell", fontName=song, fontSize=10.5, leading=15, wordWrap="CJK")
        self.cell_label = ParagraphStyle("cell_label", parent=self.cell, fontName=heavy, alignment=TA_CENTER)
        self.small = ParagraphStyle("small", fontName=song, fontSize=9, leading=12, wordWrap="CJK")
        self.right = ParagraphStyle("right", parent=self.plain, alignment=TA_RIGHT)
        self.center = ParagraphStyle("center", parent=self.plain, alignment=TA_CENTER)
        self.heading_style = ParagraphStyle("heading", fontName=fonts.title, fontSize=18, leading=28,
                                            alignment=TA_CENTER, wordWrap="CJK")
        self.label_font = heavy

    def m(self, text: str, primary: str | None = None) -> str:
        return self.fonts.markup(text, primary)

    def label(self, text: str) -> str:
        return f'<font name="{self.label_font}">{self.m(text, self.label_font)}</font>'

    # -- blocks ------------------------------------------------------------------------------------

    def heading(self, agency: str) -> CJKParagraph:
        """The issuing agency's name above the title (the township government, docs/legal-basis.md §6.1)."""
        return CJKParagraph(self.m(agency, self.fonts.title), self.heading_style)

    def title(self, text: str, size: float = TITLE_SIZE) -> Title:
        return Title(text, self.fonts, size)

    def number(self, number: str, align: str = "right") -> CJKParagraph:
        style = self.right if align == "right" else self.center
        return CJKParagraph(self.m(number), style)

    def para(self, text: str, label: str = "", indent: bool = True) -> CJKParagraph:
        body = (self.label(label) if label else "") + self.m(text)
        return CJKParagraph(body, self.body if indent else self.plain)

    def lines(self, pairs: Sequence[tuple[str, str]]) -> list[CJKParagraph]:
        return [CJKParagraph(self.label(f"{k}：") + self.m(v), self.plain) for k, v in pairs]

    def spacer(self, height_mm: float = 4) -> Spacer:
        return Spacer(1, height_mm * mm)

    def grid(self, rows: Sequence[Sequence[str | tuple[str, str]]], widths: Sequence[float],
             spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
             heights: Sequence[float | None] | None = None) -> Table:
        """A ruled form table. A cell is plain text, or ("label", text) for a label cell in the title face."""
        data: list[list[Any]] = []
        for row in rows:
            cells: list[Any] = []
            for cell in row:
                if isinstance(cell, tuple):
                    cells.append(CJKParagraph(self.m(cell[1], self.label_font), self.cell_label))
                else:
                    cells.append(CJKParagraph(self.m(cell), self.cell) if cell else "")
            data.append(cells)
        total = sum(widths)
        table = Table(data, colWidths=[BODY_W * w / total for w in widths], rowHeights=heights, repeatRows=0)
        style: list[tuple[Any, ...]] = [("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("FONTNAME", (0, 0), (-1, -1), self.fonts.body),  # Table's default is un-embedded Helvetica
                 ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
        style += [("SPAN", a, b) for a, b in spans]
        table.setStyle(TableStyle(style))
        table.spaceBefore, table.spaceAfter = 4, 6
        return table

    def signature(self, agency: str, day: str, *, seal: bool = True) -> SignatureTable:
        """Agency name, seal mark and date at the right, as the seal must overlap the date (骑年盖月)."""
        rows = [[CJKParagraph(self.m(agency), self.center)]]
        if seal:
            rows.append([CJKParagraph(self.m("（印章）"), self.center)])
        rows.append([CJKParagraph(self.m(day), self.center)])
        t = SignatureTable(rows, colWidths=[72 * mm], hAlign="RIGHT")
        t.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                               ("FONTNAME", (0, 0), (-1, -1), self.fonts.body)]))
        return t

    def sign_line(self, text: str) -> CJKParagraph:
        return CJKParagraph(self.m(text), self.plain)

    def cut_line(self) -> HRFlowable:
        """The dashed line a return receipt (回执) is torn off along."""
        return HRFlowable(width="100%", thickness=0.6, dash=(4, 3), spaceBefore=8, spaceAfter=8)


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    page_counts: dict[str, int] = field(default_factory=dict)


def _pdf_date(moment: datetime) -> Callable[..., str]:
    """A PDF date string fixed to the issue time, so reprints carry the same CreationDate bytes."""
    local = moment.astimezone(SHANGHAI)
    text = f"D:{local:%Y%m%d%H%M%S}+08'00'"
    return lambda *_args: text


@functools.lru_cache(maxsize=256)
def _qr_modules(payload: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix of ``payload`` (error correction M).

    WORKAROUND: ReportLab's encoder scores all eight mask patterns in pure Python (about 60 ms per code);
    any mask gives a valid, readable code, so a fixed one is used. Cached because reprints repeat payloads.
    """
    qr = QRCode(None, QRErrorCorrectLevel.M)  # what QrCodeWidget(payload, barLevel="M") builds inside
    qr.addData(payload)
    if qr.version is None:
        qr.version = qr.calculate_version()
    qr.makeImpl(False, 0)
    return tuple(tuple(bool(m) for m in row) for row in qr.modules)


def _draw_qr(c: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw the QR modules as one filled path (renderPDF would pull in un-embedded Helvetica)."""
    modules = _qr_modules(payload)
    count, border = len(modules), 2
    box = size / (count + 2 * border)
    path = c.beginPath()
    for r, row in enumerate(modules):
        col = 0
        while col < count:  # one rectangle per horizontal run of dark modules keeps the stream small
            if row[col]:
                end = col
                while end < count and row[end]:
                    end += 1
                path.rect(x + (col + border) * box, y + size - (r + border + 1) * box, (end - col) * box, box)
                col = end
            else:
                col += 1
    c.saveState()
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


QR_Y = 8 * mm  # the QR code's lower edge: its 19 mm stay below the type area, left of an odd page's number
SIGN_STRIP_Y = MARGIN_B - 9 * mm  # a 笔录's signature strip, right-aligned so the QR code fits at its left
# The dash of a page number sits about 0.33 em above the baseline: its top is 7 mm below the type area.
PAGE_NO_Y = MARGIN_B - 7 * mm - 0.38 * PAGE_NO_SIZE


def _page_number(c: Canvas, font: str, n: int) -> None:
    """GB/T 9704-2012 §7.5: "— n —", odd pages one character in from the right, even from the left."""
    c.setFont(font, PAGE_NO_SIZE)
    text = f"— {n} —"
    if n % 2:
        c.drawRightString(PAGE_W - MARGIN_R - ONE_CHAR, PAGE_NO_Y, text)
    else:
        c.drawString(MARGIN_L + ONE_CHAR, PAGE_NO_Y, text)


def _canvas_class(fonts: FontSet, meta: dict[str, str], created: datetime) -> type[Canvas]:
    class _DocCanvas(Canvas):
        """Defers pages so decorations can use per-document page counts; invariant output."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1  # no random IDs or wall-clock timestamps: reprints are byte-identical
            # Otherwise every page starts in Helvetica, a standard-14 font that is not embedded.
            kwargs["initialFontName"] = fonts.body
            super().__init__(*args, **kwargs)
            self.setDateFormatter(_pdf_date(created))
            self.setTitle(meta.get("title", ""))
            self.setAuthor(meta.get("author", ""))
            self.setSubject(meta.get("subject", ""))
            self.setKeywords(meta.get("keywords", ""))
            self.setCreator("EnforceDesk")
            self._ed_pages: list[tuple[dict[str, Any], PageInfo | None, bool]] = []
            self._ed_info: PageInfo | None = None
            self._ed_first = False

        def ed_mark(self, info: PageInfo) -> None:
            self._ed_info = info
            self._ed_first = True

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            self._ed_pages.append((dict(self.__dict__), self._ed_info, self._ed_first))
            self._ed_first = False
            self._startPage()  # type: ignore[attr-defined]  # ReportLab's own page reset, absent from its stubs

        def save(self) -> None:
            counts: dict[str, int] = {}
            for _state, info, _first in self._ed_pages:
                if info is not None:
                    counts[info.key] = counts.get(info.key, 0) + 1
            seen: dict[str, int] = {}
            file_page = 0
            for state, info, first in self._ed_pages:
                self.__dict__.update(state)
                if info is not None:
                    seen[info.key] = seen.get(info.key, 0) + 1
                    if info.file_numbered:
                        file_page += 1
                    self._decorate(info, first, seen[info.key], counts[info.key], file_page)
                super().showPage()
            self.ed_page_counts = counts
            super().save()

        def _decorate(self, info: PageInfo, first: bool, n: int, total: int, file_page: int) -> None:
            if first and info.payload:
                _draw_qr(self, info.payload, MARGIN_L - 2 * mm, QR_Y, QR_SIZE)
            song = fonts.body
            if info.paged:
                self.setFont(song, 10.5)
                self.drawCentredString(PAGE_W / 2, 12 * mm, f"第{n}页 共{total}页")
            elif total > 1 and info.payload:
                _page_number(self, song, n)
            if info.sign_strip:
                self.setFont(song, 10.5)
                self.drawRightString(PAGE_W - MARGIN_R, SIGN_STRIP_Y, info.sign_strip)
            if info.file_numbered and file_page:
                self.setFont(song, 11)
                self.drawRightString(PAGE_W - 12 * mm, PAGE_H - 6 * mm, str(file_page))

    return _DocCanvas


def build_pdf(story: list[Flowable], fonts: FontSet, *, meta: dict[str, str], created: datetime) -> RenderResult:
    """Lay out ``story`` on A4 and return the PDF bytes, total pages and pages per document key."""
    _keep_signatures(story)
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4, leftMargin=MARGIN_L, rightMargin=MARGIN_R, topMargin=MARGIN_T,
                          bottomMargin=MARGIN_B, invariant=1, title=meta.get("title", ""),
                          author=meta.get("author", ""), subject=meta.get("subject", ""), creator="EnforceDesk")
    frame = Frame(MARGIN_L, MARGIN_B, BODY_W, PAGE_H - MARGIN_T - MARGIN_B, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="a4", frames=[frame])])
    canvas_cls = _canvas_class(fonts, meta, created)
    holder: dict[str, Any] = {}

    def maker(*args: Any, **kwargs: Any) -> Canvas:
        holder["c"] = canvas_cls(*args, **kwargs)
        return holder["c"]

    doc.build(story, canvasmaker=maker)
    counts = getattr(holder["c"], "ed_page_counts", {})
    return RenderResult(buf.getvalue(), doc.page, counts)
