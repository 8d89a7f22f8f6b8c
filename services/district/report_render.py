"""The yearly report as PDF (ReportLab, the documents' embedded CJK fonts), Word (python-docx) and Excel (openpyxl).

All three print the same ``ReportData``: sentences first (the text for the report), then the tables, then
the rules for writing numbers. Word and Excel are meant to be edited by the clerk; the PDF is for filing.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from models.base import SHANGHAI
from services.core.errors import AppError, ValidationError
from services.core.uow import UnitOfWork
from services.district.report import ReportData, build_report

FORMATS = ("pdf", "docx", "xlsx")


def cell_text(v: Any) -> str:
    """A table value as printed: money with fen, rates with one decimal, counts as they are."""
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def render_pdf(data: ReportData, fonts_setting: tuple[str, str] = ("", "")) -> bytes:
    from reportlab.platypus import Paragraph

    from services.documents.fonts import font_set
    from services.documents.layout import Builder, Mark, PageInfo, build_pdf

    fonts = font_set(*fonts_setting)
    b = Builder(fonts)
    story: list[Any] = [Mark(PageInfo(key="report", payload="", paged=True)), b.title(data.title, size=16),
                        b.spacer(2)]
    for s in data.sentences:
        story.append(b.para(s.text, label=f"{s.heading}。"))
    for t in data.tables:
        story.append(b.spacer(3))
        story.append(Paragraph(b.label(t.title), b.plain))
        rows: list[list[str | tuple[str, str]]] = [[("label", h) for h in t.header]]
        rows += [[cell_text(v) for v in r] for r in t.rows]
        # Money needs room for "1216007.00" on one line; labels and townships get the rest.
        widths = [2.2 if len(t.header) <= 5 else 1.4] + [1.6 if h.endswith("（元）") else 1.0 for h in t.header[1:]]
        story.append(b.grid(rows, widths))
    story.append(Paragraph(b.label("说明"), b.plain))
    for n in data.notes:
        story.append(Paragraph(b.m(n), b.small))
    created = datetime.combine(data.generated_on, time(9, 0), tzinfo=SHANGHAI)
    return build_pdf(story, fonts, meta={"title": data.title, "author": data.district, "subject": "年度报告"},
                     created=created).pdf


def render_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(12)
    # Word takes the East Asian font from w:eastAsia; without it hanzi fall back to the theme font.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    doc.add_heading(data.title, level=1)
    for s in data.sentences:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        p.add_run(f"{s.heading}。").bold = True
        p.add_run(s.text)
    for t in data.tables:
        doc.add_paragraph().add_run(t.title).bold = True
        table = doc.add_table(rows=1, cols=len(t.header))
        table.style = "Table Grid"
        for cell, h in zip(table.rows[0].cells, t.header, strict=True):
            cell.text = h
        for r in t.rows:
            cells = table.add_row().cells
            for cell, v in zip(cells, r, strict=True):
                cell.text = cell_text(v)
    doc.add_paragraph().add_run("说明").bold = True
    for n in data.notes:
        doc.add_paragraph(n)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_xlsx(data: ReportData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "报告正文"
    ws.append([data.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 110
    for s in data.sentences:
        ws.append([s.heading, s.text])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    for t in data.tables:
        sheet = wb.create_sheet(t.title.split("\u3000")[-1][:31])
        sheet.append(list(t.header))
        for c in sheet[1]:
            c.font = Font(bold=True)
        for r in t.rows:
            # Numbers stay numbers (the clerk sums and charts them); money keeps its fen.
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in r])
            for c in sheet[sheet.max_row]:
                if isinstance(c.value, float):
                    c.number_format = "0.00" if t.header[c.column - 1].endswith("（元）") else "0.0"
        sheet.column_dimensions["A"].width = 28
    notes = wb.create_sheet("说明")
    for n in data.notes:
        notes.append([n])
    notes.column_dimensions["A"].width = 120
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
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(blob)
        tmp.replace(out)
    except OSError as exc:
        raise AppError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    return data
