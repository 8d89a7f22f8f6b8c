"""The 恢复密钥单: the one printed page that carries a database's recovery key (docs/encryption.md).

The recovery key is shown once, when the database is set up or when an administrator replaces it, and is never
stored: this sheet is where it lives, in the office safe. It is drawn on a bare canvas (no numbering, no audit, no
verification mark: it is not an official document) in large monospace groups that are easy to read back, with
what to do with it in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from services.core.errors import AppError
from services.documents.fonts import font_set

_KEY_FONT = "Courier-Bold"  # the key is A–Z and 0–9 only: a built-in monospace face draws it, each symbol apart

INSTRUCTIONS = (
    "这是本数据库数据密钥的恢复密钥。电脑中不保存它，丢失后无法补发，也没有人能替您找回。",
    "请把本单封存，放入办公室保险柜；不要拍照，不要存入电脑、手机或U盘，不要与数据库备份放在一起。",
    "所有管理员都忘记密码时：在登录窗口点“使用恢复密钥”，逐位输入上面的密钥（不分大小写，短横线可不输），"
    "再为中队长（管理员）账户设置新密码。",
    "本单可能被他人看到或已遗失时：请管理员登录后立即制作新的恢复密钥（命令 recovery-key --new），"
    "旧单随即作废，请将其销毁。",
    "恢复密钥和全部密码都丢失时，数据库（及其备份）中加密的个人信息将无法恢复。",
)


@dataclass(frozen=True, slots=True)
class SheetFacts:
    """What the sheet says besides the key: which database it opens, whose, and when it was made."""

    database: str  # the file's name, or the PostgreSQL database's name (never a full path with the user's folders)
    township: str
    made_on: date
    device_code: str = ""


def render_recovery_sheet(recovery_key: str, facts: SheetFacts) -> bytes:
    """One A4 page as PDF bytes."""
    fonts = font_set()
    buf = BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle("恢复密钥单")
    width, height = A4
    left, y = 25 * mm, height - 35 * mm
    c.setFont(fonts.title, 24)
    c.drawCentredString(width / 2, y, "恢 复 密 钥 单")
    y -= 18 * mm
    c.setFont(fonts.body, 12)
    for label, value in (("数据库", facts.database), ("乡镇（单位）", facts.township),
                         ("本机编码", facts.device_code), ("制作日期", f"{facts.made_on:%Y年%m月%d日}")):
        if value:
            c.drawString(left, y, f"{label}：{value}")
            y -= 8 * mm
    y -= 8 * mm
    box = 30 * mm
    c.setLineWidth(1.2)
    c.rect(left - 5 * mm, y - box + 8 * mm, width - 2 * left + 10 * mm, box)
    c.setFont(_KEY_FONT, 22)  # 31 symbols as printed (five groups of five, the check symbol) fit the box's width
    c.drawCentredString(width / 2, y - 9 * mm, recovery_key)
    y -= box + 6 * mm
    c.setFont(fonts.body, 11)
    for n, text in enumerate(INSTRUCTIONS, 1):
        y = _wrapped(c, f"{n}. {text}", left, y, width - 2 * left, fonts.body, 11)
        y -= 3 * mm
    c.setFont(fonts.body, 9)
    c.drawString(left, 20 * mm, "乡镇综合执法工作台 · 本单只在制作时显示一次，请勿复印留存于他处")
    c.showPage()
    c.save()
    return buf.getvalue()


def _wrapped(c: Canvas, text: str, x: float, y: float, width: float, font: str, size: float) -> float:
    """Draw ``text`` broken at the width (Chinese breaks between any two characters); returns the next line's y."""
    line = ""
    for ch in text:
        if c.stringWidth(line + ch, font, size) > width:
            c.drawString(x, y, line)
            y -= size * 1.6
            line = "   " + ch  # hang the continuation under the text, not the number
        else:
            line += ch
    if line:
        c.drawString(x, y, line)
        y -= size * 1.6
    return y


def write_recovery_sheet(path: Path, recovery_key: str, facts: SheetFacts) -> None:
    """Write the sheet to ``path`` (a new or replaced PDF file); a path that cannot be written is a clear refusal."""
    data = render_recovery_sheet(recovery_key, facts)
    try:
        path.write_bytes(data)
    except (OSError, ValueError) as exc:
        raise AppError(f"无法写入恢复密钥单 {path}：{getattr(exc, 'strerror', None) or exc}") from exc
