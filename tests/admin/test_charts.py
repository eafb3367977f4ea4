"""The admin's bar charts (archive.charts): each bar's length in proportion to its value, the
longest the largest, long labels cut, and a note of what a chart by year leaves out."""

from __future__ import annotations

from archive.charts import BAR_HEIGHT, GAP, bar_chart, undated_note


def test_bars_are_in_proportion_and_stacked():
    chart = bar_chart("By year", [("2023", 10, "/a"), ("2024", 5), ("2025", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 1  # an empty year is still drawn
    assert [bar.y for bar in chart.bars] == [0, BAR_HEIGHT + GAP, 2 * (BAR_HEIGHT + GAP)]
    assert chart.height == 3 * (BAR_HEIGHT + GAP)
    assert [bar.href for bar in chart.bars] == ["/a", "", ""]


def test_a_long_label_is_cut_and_the_note_kept():
    chart = bar_chart("Top", [("The Gulf International Forum for Policy", 3)], note="n")
    assert chart.bars[0].label == "The Gulf International …"
    assert chart.note == "n"


def test_the_undated_note_counts_in_words():
    assert undated_note(0) == ""
    assert undated_note(1) == "1 undated article, not shown."
    assert undated_note(12345) == "12,345 undated articles, not shown."
