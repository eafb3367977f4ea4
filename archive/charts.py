"""Bar charts drawn on the server as SVG, for the admin's pages: no script, no request outside
the app (the Content-Security-Policy allows none). Pure: the geometry of each bar, which the
template admin/archive/dashboard/bars.html draws."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 150  # pixels for the labels left of the bars
BAR_HEIGHT = 18
GAP = 6
WIDTH = 420


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    href: str = ""

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH
    note: str = ""  # below the bars: what they leave out

    @property
    def bar_x(self) -> int:
        return self.label_width + 4


def bar_chart(
    title: str, rows: Sequence[tuple[str, int] | tuple[str, int, str]], note: str = ""
) -> Chart:
    """A horizontal bar per (label, value[, link]), longest for the largest value."""
    most = max((row[1] for row in rows), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 60  # the value is written after its bar
    bars = tuple(
        Bar(
            label=row[0] if len(row[0]) <= 24 else row[0][:23] + "…",
            value=row[1],
            y=index * (BAR_HEIGHT + GAP),
            width=max(1, round(room * row[1] / most)),
            href=row[2] if len(row) > 2 else "",
        )
        for index, row in enumerate(rows)
    )
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP)
    return Chart(title=title, bars=bars, height=height, note=note)


def undated_note(undated: int) -> str:
    """A chart by year's note: the articles it cannot place (stubs mostly: a card has no date)."""
    if not undated:
        return ""
    return f"{undated:,} undated {'article' if undated == 1 else 'articles'}, not shown."
