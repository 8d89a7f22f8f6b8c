"""The yearly report as PDF (ReportLab, the documents' embedded CJK fonts), Word (python-docx) and Excel (openpyxl).

All three print the same ``ReportData``: the sections first (the text for the report), then the tables, then
the rules for writing numbers. Word and Excel are meant to be edited by the clerk; the PDF is for filing.

What makes them look right where they are opened (Word, WPS, Excel; LibreOffice stands in for them in the
checks, docs/district-report.md §Files):

* Word: A4 with the type area of GB/T 9704 §5.2.1 (top 37 mm, bottom 35, left 28, right 26), the title centred
  in 小标宋, body in 3号仿宋 at 22 lines a page, page numbers "— n —" in 4号宋体 (odd pages right, even left,
  §7.5), tables centred with their columns sized to what they hold, header rows repeated on every page and rows
  never split across pages;
* Excel: numbers stay numbers, with thousands separators (#,##0 / #,##0.00 / 0.0), right-aligned; every column
  as wide as its widest formatted value (so a fine total never shows as ###); A4, fitted to the page width,
  header row repeated, page numbers in the footer;
* PDF: the same column sizing and repeated header rows as Word.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from models.base import SHANGHAI
from services.core.errors import ValidationError
from services.core.storage import write_output
from services.core.uow import UnitOfWork
from services.district.report import ReportData, ReportTable, build_report
from services.district.wording import grouped

FORMATS = ("pdf", "docx", "xlsx")

# -- page and type (GB/T 9704-2012 §5.2.1, §7.5) -------------------------------------------------------------
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 156 mm: 28 characters of 3号 a line
BODY_PT = 16  # 3号
LINE_PT = 28.9  # 22 lines in the 225 mm type area
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_SIZES_PT = (10.5, 9, 7.5)  # 五号, 小五, 六号: the first at which every column fits
CELL_PAD_EM = 0.9  # left and right cell margins together, in the table's own em
SLACK_EM = 0.6  # what a reader's font or Word's spacing between hanzi and digits may add to a line
TITLE_FONT, BODY_FONT, HEAD_FONT, KAI_FONT, SONG_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体", "宋体"
LATIN_FONT = "Times New Roman"


def cell_text(v: Any) -> str:
    """A table value as printed: money with fen, rates with one decimal, thousands separated."""
    if isinstance(v, (int, Decimal, float)) and not isinstance(v, bool):
        return grouped(v)
    return str(v)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, Decimal, float)) and not isinstance(v, bool)


def text_em(text: str) -> float:
    """Width of ``text`` in ems of its font: hanzi and full-width marks 1, digits and Latin about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def header_lines(header: str) -> list[str]:
    """A table header as printed: the label, then its unit on a line of its own."""
    return [p for p in _header_parts(header) if p]


def _header_parts(header: str) -> tuple[str, str]:
    """"出动执法人员（人次）" → ("出动执法人员", "（人次）"): the unit goes on a line of its own, never broken."""
    if header.endswith("）") and "（" in header:
        cut = header.rindex("（")
        return header[:cut], header[cut:]
    return header, ""


@dataclass(frozen=True, slots=True)
class TableLayout:
    size_pt: float  # the table's font size
    widths_pt: tuple[float, ...]  # column widths, cell margins included

    @property
    def total_pt(self) -> float:
        return sum(self.widths_pt)


def table_layout(t: ReportTable, available_pt: float) -> TableLayout:
    """Columns sized to their content. Each column is as wide as its widest value (figures never wrap); its
    header's label takes at most two lines, its unit one line below (``header_lines``), and room the type area
    has left puts whole labels on one line, the shortest first. The font is the largest of TABLE_SIZES_PT at
    which the narrowest layout fits."""
    cols = range(len(t.header))
    data = [max([text_em(cell_text(r[c])) for r in t.rows] or [0]) for c in cols]
    parts = [_header_parts(h) for h in t.header]
    extra = CELL_PAD_EM + SLACK_EM
    need = [max(data[c], text_em(parts[c][1]), math.ceil(text_em(parts[c][0]) / 2)) + extra for c in cols]
    mid = [max(data[c], text_em(parts[c][1]), text_em(parts[c][0])) + extra for c in cols]
    size = next((s for s in TABLE_SIZES_PT if sum(need) * s <= available_pt), TABLE_SIZES_PT[-1])
    room = available_pt / size - sum(need)
    if room < 0:  # even the smallest size is too wide: squeeze every column alike
        return TableLayout(size, tuple(w * available_pt / sum(need) for w in need))
    widths = list(need)
    # Whole columns widened, the cheapest first: a label on one line, or evenly on two — never a lone
    # character on a second line, as a partly widened column would leave.
    for c in sorted(cols, key=lambda c: (mid[c] - need[c], c)):
        if 0 < mid[c] - need[c] <= room:
            room -= mid[c] - need[c]
            widths[c] = mid[c]
    return TableLayout(size, tuple(w * size for w in widths))


# -- PDF ---------------------------------------------------------------------------------------------------


def render_pdf(data: ReportData, fonts_setting: tuple[str, str] = ("", "")) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from services.documents.fonts import font_set
    from services.documents.layout import BODY_W, Builder, Mark, PageInfo, build_pdf
    from services.documents.linebreak import CJKParagraph as Paragraph  # 避头尾 in every paragraph

    fonts = font_set(*fonts_setting)
    b = Builder(fonts)
    caption = ParagraphStyle("caption", parent=b.plain, alignment=TA_CENTER, spaceBefore=8, spaceAfter=2)
    # The title in 2号 of the title face, centred, on two lines when it needs them (as in the Word file).
    head = ParagraphStyle("report_title", parent=b.center, fontName=fonts.title, fontSize=TITLE_PT,
                          leading=TITLE_PT * 1.45, spaceAfter=10)
    story: list[Any] = [Mark(PageInfo(key="report", payload="", paged=True)),
                        Paragraph(b.m(data.title, fonts.title), head)]
    for sec in data.sections:
        story.append(Paragraph(b.label(sec.head) + "".join(b.m(i.lead + i.text) for i in sec.items), b.body))
    for t in data.tables:
        lay = table_layout(t, BODY_W)
        cell = ParagraphStyle(f"cell{lay.size_pt}", parent=b.cell, fontSize=lay.size_pt, leading=lay.size_pt * 1.35)
        styles = {"head": ParagraphStyle(f"head{lay.size_pt}", parent=b.cell_label, fontSize=lay.size_pt,
                                         leading=lay.size_pt * 1.35),
                  "num": ParagraphStyle(f"num{lay.size_pt}", parent=cell, alignment=TA_RIGHT), "text": cell}
        story.append(Paragraph(b.label(t.title), caption))
        story.append(_pdf_table(b, t, lay, styles))
    story.append(Paragraph(b.label("说明"), b.plain))
    for n in data.notes:
        story.append(Paragraph(b.m(n), b.small))
    created = datetime.combine(data.generated_on, time(9, 0), tzinfo=SHANGHAI)
    return build_pdf(story, fonts, meta={"title": data.title, "author": data.district, "subject": "年度报告"},
                     created=created).pdf


def _pdf_table(b: Any, t: ReportTable, lay: TableLayout, styles: dict[str, Any]) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from services.documents.linebreak import CJKParagraph as Paragraph
    def para(text: str, style: Any, primary: str | None = None) -> Any:
        return Paragraph(b.m(text, primary), style)

    rows: list[list[Any]] = [[Paragraph("<br/>".join(b.m(line, b.label_font) for line in header_lines(h)),
                                        styles["head"]) for h in t.header]]
    for r in t.rows:
        rows.append([para(cell_text(v), styles["num" if is_number(v) else "text"]) for v in r])
    # repeatRows: the header row again at the top of every page the table runs onto.
    table = Table(rows, colWidths=list(lay.widths_pt), repeatRows=1, hAlign="CENTER")
    pad = CELL_PAD_EM * lay.size_pt / 2
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), b.fonts.body),  # Table's default is un-embedded Helvetica
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]))
    table.spaceBefore, table.spaceAfter = 2, 6
    return table


# -- Word --------------------------------------------------------------------------------------------------


def _run_font(run: Any, east_asia: str, size_pt: float, *, bold: bool = False) -> None:
    """Word takes hanzi from w:eastAsia and digits from w:ascii/w:hAnsi: both are set on every run; the
    eastAsia hint prints the marks both scripts share (“ ” — ·) full-width, in the Chinese face."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = LATIN_FONT
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _page_number_footer(footer: Any, align: Any, indent_pt: float, *, right: bool) -> None:
    """A PAGE field between dashes, "— 1 —", in 4号宋体, one character in from the edge (GB/T 9704 §7.5)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = footer.paragraphs[0]
    p.alignment = align
    if right:
        p.paragraph_format.right_indent = Pt(indent_pt)
    else:
        p.paragraph_format.left_indent = Pt(indent_pt)

    def field_char(kind: str) -> None:
        run = p.add_run()
        _run_font(run, SONG_FONT, PAGE_NUMBER_PT)
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._element.append(el)

    _run_font(p.add_run("— "), SONG_FONT, PAGE_NUMBER_PT)
    field_char("begin")
    instr = p.add_run()
    _run_font(instr, SONG_FONT, PAGE_NUMBER_PT)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    instr._element.append(code)
    field_char("separate")
    _run_font(p.add_run("1"), SONG_FONT, PAGE_NUMBER_PT)  # shown until the reader updates the field
    field_char("end")
    _run_font(p.add_run(" —"), SONG_FONT, PAGE_NUMBER_PT)


def _docx_table(doc: Any, t: ReportTable) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, Twips

    lay = table_layout(t, Mm(BODY_MM).pt)
    table = doc.add_table(rows=0, cols=len(t.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: Word, WPS and LibreOffice all keep the widths given
    widths = [Twips(round(w * 20)) for w in lay.widths_pt]
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(round(w * 20) for w in lay.widths_pt)))
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w.twips)))
    pad = round(CELL_PAD_EM * lay.size_pt / 2 * 20)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(pad))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    # The schema orders tblPr's children (… tblLayout, tblCellMar, tblLook): Word refuses a file out of order.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)

    def add_row(values: Sequence[Any], *, header: bool, bold: bool) -> None:
        row = table.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row is never cut in two by a page break
        if header:
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page
        for cell, v, w in zip(row.cells, values, widths, strict=True):
            cell.width = w
            p = cell.paragraphs[0]
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.first_line_indent = Pt(0)
            if header:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif is_number(v):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            lines = header_lines(v) if header else [cell_text(v)]
            for k, line in enumerate(lines):
                run = p.add_run(line)
                if k < len(lines) - 1:
                    run.add_break()
                _run_font(run, HEAD_FONT if header else SONG_FONT, lay.size_pt, bold=bold)

    add_row(t.header, header=True, bold=False)
    for r in t.rows:
        add_row(r, header=False, bold=str(r[0]) in ("合计", "全年"))


def render_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance, sec.footer_distance = Mm(15), Mm(22)  # the number 7 mm below the type area
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking (避头尾) in Word and WPS
    rpr.append(lang)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, PAGE_NUMBER_PT, right=True)
    _page_number_footer(sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, PAGE_NUMBER_PT, right=False)
    doc.core_properties.title = data.title
    doc.core_properties.author = data.district
    doc.core_properties.subject = "年度报告"

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(LINE_PT * 1.25)
    title.paragraph_format.space_after = Pt(LINE_PT)
    _run_font(title.add_run(data.title), TITLE_FONT, TITLE_PT)
    for s in data.sections:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        _run_font(p.add_run(s.head), KAI_FONT, BODY_PT)
        for item in s.items:
            if item.lead:
                _run_font(p.add_run(item.lead), BODY_FONT, BODY_PT, bold=True)
            _run_font(p.add_run(item.text), BODY_FONT, BODY_PT)
    for t in data.tables:
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.space_before = Pt(LINE_PT / 2)
        cap.paragraph_format.keep_with_next = True
        _run_font(cap.add_run(t.title), HEAD_FONT, 14)
        _docx_table(doc, t)
    note_head = doc.add_paragraph()
    note_head.paragraph_format.space_before = Pt(LINE_PT / 2)
    _run_font(note_head.add_run("说明"), HEAD_FONT, 14)
    for n in data.notes:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        p.paragraph_format.line_spacing = Pt(22)
        _run_font(p.add_run(n), BODY_FONT, 14)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# -- Excel -------------------------------------------------------------------------------------------------

XLSX_FONT = "宋体"
XLSX_FORMATS = {"int": "#,##0", "money": "#,##0.00", "rate": "0.0"}
XLSX_LANDSCAPE_ABOVE = 100  # total column width (Excel's character units) that no longer fits A4 portrait


def xlsx_units(text: str) -> float:
    """Width in Excel's column units (one digit of the default font): a hanzi is two, a digit one."""
    return sum(2.0 if ord(ch) >= 0x2E80 else 1.0 for ch in text)


def _xlsx_kind(header: str, v: Any) -> str:
    if isinstance(v, float):
        return "rate"
    if isinstance(v, Decimal) or header.endswith("（元）"):
        return "money"
    return "int"


def _xlsx_print(ws: Any, title: str, *, landscape: bool, title_rows: str | None) -> None:
    """A4, fitted to one page wide (as many pages long as it takes), header rows repeated, numbered pages."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top, ws.page_margins.bottom = 0.9, 0.8
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def render_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    body = Font(name=XLSX_FONT, size=12)
    bold = Font(name=XLSX_FONT, size=12, bold=True)
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook has one sheet (typed: .active may also be a chart sheet or None)
    ws.title = "报告正文"
    text_width = 84  # ~38 hanzi a line at 12 pt: fits A4 portrait unscaled
    ws.column_dimensions["A"].width = text_width
    ws.append([data.title])
    ws["A1"].font = Font(name=XLSX_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    for s in data.sections:
        ws.append([s.text])
        c = ws.cell(ws.max_row, 1)
        c.font = body
        c.alignment = Alignment(wrap_text=True, vertical="top")
        # Excel does not grow a row to fit wrapped text on opening: the height is set from the text's length.
        lines = math.ceil((xlsx_units(s.text) + 4) * 12 / 11 / (text_width - 2))
        ws.row_dimensions[ws.max_row].height = lines * 16 + 6
    _xlsx_print(ws, data.title, landscape=False, title_rows=None)

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="EEEEEE")
    for t in data.tables:
        sheet = wb.create_sheet(t.title.split("\u3000")[-1][:31])
        sheet.append(["\n".join(header_lines(h)) for h in t.header])  # the unit under the label (Alt+Enter)
        for c in sheet[1]:
            c.font, c.fill, c.border = bold, grey, box
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for r in t.rows:
            # Numbers stay numbers (the clerk sums and charts them); money keeps its fen.
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in r])
            total_row = str(r[0]) in ("合计", "全年")
            for c, v in zip(sheet[sheet.max_row], r, strict=True):
                c.border, c.font = box, bold if total_row else body
                if is_number(v):
                    c.number_format = XLSX_FORMATS[_xlsx_kind(t.header[c.column - 1], v)]
                    c.alignment = Alignment(horizontal="right", vertical="center")
                else:
                    c.alignment = Alignment(horizontal="left", vertical="center")
        widths: list[float] = []
        for i, h in enumerate(t.header):
            values = [cell_text(r[i]) for r in t.rows]
            # The widest value formatted as the cell shows it, at 12 pt, with room for the cell's margins;
            # a header may wrap onto two lines.
            data_w = max([xlsx_units(v) for v in values] or [0]) * 12 / 11 + 3
            label, unit = _header_parts(h)
            # The label on one line and the unit under it; a long label on two lines.
            head_w = max(xlsx_units(unit), min(xlsx_units(label), max(12.0, math.ceil(xlsx_units(label) / 2))))
            head_w = head_w * 12 / 11 + 3
            widths.append(round(max(data_w, head_w, 8), 1))
            sheet.column_dimensions[get_column_letter(i + 1)].width = widths[-1]
        head_lines = max(sum(math.ceil(xlsx_units(line) * 12 / 11 / (w - 2)) for line in header_lines(h))
                         for h, w in zip(t.header, widths, strict=True))
        sheet.row_dimensions[1].height = 16 * head_lines + 6
        sheet.freeze_panes = "B2"
        _xlsx_print(sheet, f"{data.title}　{t.title}", landscape=sum(widths) > XLSX_LANDSCAPE_ABOVE, title_rows="1:1")
    notes = wb.create_sheet("说明")
    notes.column_dimensions["A"].width = text_width
    for n in data.notes:
        notes.append([n])
        c = notes.cell(notes.max_row, 1)
        c.font, c.alignment = body, Alignment(wrap_text=True, vertical="top")
        notes.row_dimensions[notes.max_row].height = 16 * math.ceil(xlsx_units(n) * 12 / 11 / (text_width - 2)) + 6
    _xlsx_print(notes, data.title, landscape=False, title_rows=None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_report(uow: UnitOfWork, year: int, out: Path) -> ReportData:
    """Build the report of ``year`` and write it as ``out``'s suffix says (.pdf, .docx or .xlsx)."""
    kind = out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValidationError(f"不支持的报告格式 .{kind}：请用 .pdf、.docx 或 .xlsx", field="out")
    data = build_report(uow, year)
    if kind == "pdf":
        from services.reference.settings import Settings

        with uow:
            st = Settings(uow.session)
            fonts = (st.str("documents.body_font_file"), st.str("documents.title_font_file"))
        blob = render_pdf(data, fonts)
    else:
        blob = render_docx(data) if kind == "docx" else render_xlsx(data)
    write_output(out, blob)  # a full or write-protected stick: its message, nothing left on it
    return data
