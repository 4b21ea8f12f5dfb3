"""The run chart as a PNG (matplotlib, Agg canvas; no pyplot, so threads do not share state)."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from copbot.run_chart import RunChart
from copbot.run_chart_signals import Rule
from messages.blocks import clip
from messages.reports import slug

WIDTH_IN, HEIGHT_IN, DPI = 10, 5.5, 120  # 1200 x 660 pixels
POINT_COLOUR, MEDIAN_COLOUR, CYCLE_COLOUR = "#2a6f97", "#e07a1f", "#7a7a7a"
SIGNAL_STYLE = {
    Rule.SHIFT: {"marker": "o", "s": 150, "facecolors": "none", "edgecolors": "#c0392b", "linewidths": 2},
    Rule.TREND: {"marker": "^", "s": 110, "color": "#8e44ad"},
    Rule.ASTRONOMICAL: {"marker": "*", "s": 260, "color": "#d62728"},
}


def run_chart_png(chart: RunChart) -> bytes:
    """The chart: points in date order, median, cycle starts, signals marked, legend; PNG bytes."""
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    dates = [p.measured_on for p in chart.points]
    values = [p.value for p in chart.points]
    axes.plot(dates, values, color=POINT_COLOUR, marker="o", linewidth=1.6, markersize=5, label="Measured values",
              zorder=3)
    axes.axhline(chart.median, color=MEDIAN_COLOUR, linestyle="--", linewidth=1.4,
                 label=f"Median ({chart.median:g})", zorder=2)
    for start in chart.cycle_starts:
        axes.axvline(start.starts_on, color=CYCLE_COLOUR, linestyle=":", linewidth=1.2, zorder=1)
        axes.annotate(f"Cycle {start.number}", xy=(start.starts_on, 1), xycoords=("data", "axes fraction"),
                      xytext=(4, -14), textcoords="offset points", color=CYCLE_COLOUR, fontsize=9)
    marked: set[Rule] = set()
    for signal in chart.signals:
        style = SIGNAL_STYLE.get(signal.rule)
        if style is None:
            continue
        label = None if signal.rule in marked else signal.rule.label
        marked.add(signal.rule)
        axes.scatter([dates[i] for i in signal.points], [values[i] for i in signal.points], label=label,
                     zorder=4, **style)
    run_notes = [s.description for s in chart.signals if s.rule in (Rule.TOO_FEW_RUNS, Rule.TOO_MANY_RUNS)]
    if run_notes:
        axes.text(0, 1.015, "  ".join(run_notes), transform=axes.transAxes, fontsize=9, color="#c0392b",
                  va="bottom")
    axes.set_title(clip(f"{chart.school}: {chart.measure}", 90), fontsize=13, loc="left",
                   pad=20 if run_notes else 8)
    axes.set_xlabel("Date measured")
    axes.set_ylabel(clip(chart.measure, 50))
    axes.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=10))
    axes.xaxis.set_major_formatter(DateFormatter("%b %-d\n%Y"))
    axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    axes.margins(x=0.03, y=0.15)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=5, fontsize=9, frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def chart_filename(chart: RunChart) -> str:
    return f"run-chart-{slug(chart.school)}-{slug(chart.measure)}.png"


def chart_comment(chart: RunChart) -> str:
    """The message posted with the chart: what it shows and any signals, plainly."""
    lines = [f"Run chart of “{chart.measure}” for {chart.school}: {len(chart.points)} values, median "
             f"{chart.median:g}, across {len(chart.cycle_starts)} cycle(s)."]
    if chart.signals:
        lines.append("Signals: " + " ".join(s.description for s in chart.signals))
    else:
        lines.append("No run-chart signal: the variation looks random so far.")
    return clip("\n".join(lines), 1000)
