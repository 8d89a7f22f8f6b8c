"""Two small charts drawn with QPainter: bars per township and a month-by-month line (this year against last).

QtCharts is not part of PySide6-Essentials (the wheel the app pins) and build.spec leaves it out of the frozen
build, so the statistics screen draws its own: a few dozen lines of QPainter, nothing to ship or load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.qt_compat import emit

BAR = QColor("#1e6fb8")
BAR_HIGHLIGHT = QColor("#e07b00")
PREVIOUS = QColor("#9e9e9e")
GRID = QColor("#e0e0e0")
AXIS = QColor("#616161")
MAX_BARS = 40  # more townships than this: the largest 40 (the table lists all)


TICKS = 5  # grid lines above zero


def nice_ceiling(value: float) -> float:
    """The axis maximum: 1, 2, 2.5 or 5 times a power of ten at or above ``value``, and at least 5, so the five
    ticks of a chart of counts are whole numbers (0 → 5)."""
    if value <= 5:
        return 5.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def axis_text(value: float) -> str:
    if value >= 10_000:
        return f"{value / 10_000:g}万"
    return f"{value:g}"


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str  # the value as the table shows it
    key: str = ""  # what a click reports (a township name)


class _Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.unit = ""
        self.setMinimumSize(QSize(320, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _frame(self, p: QPainter, left_text_width: int) -> QRectF:
        """Title on top; returns the plot area (axes inside the margins)."""
        p.fillRect(self.rect(), QColor("white"))
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor("#212121"))
        fm = QFontMetrics(title_font)
        title = self.title + (f"（{self.unit}）" if self.unit else "")
        p.drawText(QRectF(8, 4, self.width() - 16, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, title)
        p.setFont(self.font())
        top = fm.height() + 14
        return QRectF(left_text_width + 14, top, self.width() - left_text_width - 28,
                      self.height() - top - QFontMetrics(self.font()).height() * 2 - 10)

    def _y_axis(self, p: QPainter, plot: QRectF, top_value: float) -> None:
        fm = QFontMetrics(self.font())
        for i in range(TICKS + 1):
            v = top_value * i / TICKS
            y = plot.bottom() - plot.height() * i / TICKS
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS)
            text = axis_text(v)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        p.setPen(QPen(AXIS, 1))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))


class BarChart(_Chart):
    """Bars of one figure per township; clicking a bar reports its key (the page drills down into it)."""

    bar_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.truncated = 0
        self.highlight = ""
        self._hit: list[tuple[QRectF, str]] = []
        self.setObjectName("barChart")

    def set_bars(self, title: str, unit: str, bars: Sequence[Bar]) -> None:
        self.title, self.unit = title, unit
        chosen = list(bars)
        self.truncated = max(0, len(chosen) - MAX_BARS)
        if self.truncated:
            chosen = sorted(chosen, key=lambda b: -b.value)[:MAX_BARS]
        self.bars = chosen
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        top_value = nice_ceiling(max((b.value for b in self.bars), default=0))
        plot = self._frame(p, fm.horizontalAdvance(axis_text(top_value)) + 4)
        if self.truncated:
            p.setPen(AXIS)
            p.drawText(QRectF(8, 4, self.width() - 16, fm.height() + 4), Qt.AlignmentFlag.AlignRight,
                       self.tr("（另有 {n} 个乡镇未画出）").format(n=self.truncated))
        self._y_axis(p, plot, top_value)
        self._hit = []
        if not self.bars:
            p.setPen(AXIS)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.tr("没有数据"))
            return
        slot = plot.width() / len(self.bars)
        width = min(56.0, slot * 0.62)
        every = max(1, math.ceil(fm.horizontalAdvance("西坝镇西") / slot))  # skip labels that would overlap
        for i, b in enumerate(self.bars):
            h = plot.height() * (b.value / top_value if top_value else 0)
            x = plot.left() + slot * i + (slot - width) / 2
            rect = QRectF(x, plot.bottom() - h, width, h)
            p.fillRect(rect, BAR_HIGHLIGHT if b.key and b.key == self.highlight else BAR)
            self._hit.append((QRectF(plot.left() + slot * i, plot.top(), slot, plot.height()), b.key))
            p.setPen(QColor("#212121"))
            if slot >= fm.horizontalAdvance(b.text) + 2:
                p.drawText(QRectF(plot.left() + slot * i, rect.top() - fm.height() - 2, slot, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, b.text)
            if i % every == 0:
                p.setPen(AXIS)
                p.drawText(QRectF(plot.left() + slot * i - slot * (every - 1) / 2, plot.bottom() + 4,
                                  slot * every, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter, b.label)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        for rect, key in self._hit:
            if key and rect.contains(event.position()):
                emit(self.bar_clicked, key)
                return
        super().mousePressEvent(event)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]
    colour: str
    dashed: bool = False


class LineChart(_Chart):
    """Lines over twelve months (or any labelled x positions), with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.setObjectName("lineChart")

    def set_series(self, title: str, unit: str, labels: Sequence[str], series: Sequence[Series]) -> None:
        self.title, self.unit, self.labels, self.series = title, unit, list(labels), list(series)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        top_value = nice_ceiling(max((v for s in self.series for v in s.values), default=0))
        plot = self._frame(p, fm.horizontalAdvance(axis_text(top_value)) + 4)
        self._y_axis(p, plot, top_value)
        n = len(self.labels)
        if n == 0:
            return
        step = plot.width() / max(n - 1, 1)

        def point(i: int, v: float) -> QPointF:
            return QPointF(plot.left() + step * i, plot.bottom() - plot.height() * (v / top_value))

        p.setPen(AXIS)
        for i, lab in enumerate(self.labels):
            p.drawText(QRectF(plot.left() + step * i - 30, plot.bottom() + 4, 60, fm.height() + 2),
                       Qt.AlignmentFlag.AlignHCenter, lab)
        legend_x = plot.right()
        for s in reversed(self.series):
            pen = QPen(QColor(s.colour), 2, Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
            p.setPen(pen)
            pts = [point(i, v) for i, v in enumerate(s.values[:n])]
            for a, b in zip(pts, pts[1:], strict=False):
                p.drawLine(a, b)
            for pt in pts:
                p.drawEllipse(pt, 2.5, 2.5)
            w = fm.horizontalAdvance(s.name)
            legend_x -= w + 34
            y = 6 + fm.height() / 2
            p.drawLine(QPointF(legend_x, y), QPointF(legend_x + 22, y))
            p.setPen(QColor("#212121"))
            p.drawText(QRectF(legend_x + 26, 4, w + 4, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, s.name)
