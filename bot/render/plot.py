"""Projection chart, made for Discord: the shown score over time, the 90 % Top Rated line and numbered events.

Why it looks the way it does: Discord shows an attached image about 350 px wide on a phone and on a dark
background (#313338). So the figure is dark with light text, its fonts are large and its ticks few, the
y-range is fitted to the data (and 90 %) instead of 0-100, the x-range ends shortly after the last
numbered event instead of at an empty 24-month tail, and each dated change is a numbered marker on the line
that the answer's text explains (`chart_events` is the one list both use), instead of rotated labels and a
legend over the data. The console's `projection --plot` draws the same chart.

Headless (Agg) so it runs on servers and in CI; returns PNG bytes for the console to save and the bot to
attach. matplotlib is imported when the first chart is drawn, not with this module: it takes longer to load
than a `score` or `advise` answer takes to compute, and only projections with a plot need it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from scoring.projection import Projection, ProjectionEvent
from scoring.rulebook import rule_numbers
from scoring.uncertainty import ProjectionBand

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CHART_MARKERS = 9  # one digit fits a marker read on a phone; more dated changes stay in the text only
MIN_HORIZON_DAYS = 90  # a chart with few or no events still shows a quarter ahead
MIN_TAIL_DAYS = 30  # after the last numbered event, so its new level is seen to hold

# Discord's dark theme (its message background and text colours) and its brand colours for the lines.
BACKGROUND = "#313338"
TEXT = "#dbdee1"
MUTED = "#949ba4"
GRID = "#3f4147"
LINE = "#f2f3f5"
BAND = "#5865f2"
TOP_RATED = "#57f287"
MARKER = "#f0b232"
MARKER_TEXT = "#1e1f22"

WIDTH_IN, HEIGHT_IN, DPI = 5.6, 3.8, 160  # 896 x 608 px: 16 pt text stays ~14 px when shown 350 px wide
FONT = 16
MARKER_GID = "event-marker"  # every numbered marker's gid starts with it (tests count them)


@cache
def _matplotlib() -> tuple[ModuleType, ModuleType, ModuleType]:
    """(matplotlib.pyplot, matplotlib.dates, matplotlib.ticker), on the headless Agg backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    import matplotlib.ticker as mticker

    return plt, mdates, mticker


def chart_events(projection: Projection) -> tuple[ProjectionEvent, ...]:
    """The dated changes the chart numbers 1..n, in order: the first ones that move the shown score.

    The answer's text lists these with the same numbers (the n-th moving event is marker n)."""
    return projection.moving_events()[:CHART_MARKERS]


def chart_until(projection: Projection) -> date:
    """The chart's last day: the last numbered event plus a margin, never past the projection's end."""
    events = chart_events(projection)
    start = projection.as_of
    if not events:
        return min(projection.until, start + timedelta(days=MIN_HORIZON_DAYS))
    last = max(e.update_day for e in events)
    tail = max(MIN_TAIL_DAYS, (last - start).days // 8)
    return min(projection.until, max(last + timedelta(days=tail), start + timedelta(days=MIN_HORIZON_DAYS)))


Series = tuple[list[date], list[float], list[float], list[float]]


def _series(projection: Projection, band: ProjectionBand | None, until: date) -> Series:
    """(days, shown, low, high) up to `until`, with a last point on `until` so the steps reach the edge."""
    nan = float("nan")
    days: list[date] = []
    shown: list[float] = []
    low: list[float] = []
    high: list[float] = []
    for i, p in enumerate(projection.points):
        if p.day > until:
            break
        days.append(p.day)
        shown.append(nan if p.raw is None else p.raw)
        lo = band.low[i] if band is not None else None
        hi = band.high[i] if band is not None else None
        low.append(nan if lo is None else lo)
        high.append(nan if hi is None else hi)
    if days and days[-1] < until:
        days.append(until)
        shown.append(shown[-1])
        low.append(low[-1])
        high.append(high[-1])
    return days, shown, low, high


def _y_range(values: Sequence[float], top_rated: float) -> tuple[float, float]:
    """Fitted to the data and the Top Rated line, with room for the markers, within 0..100."""
    finite = [v for v in values if v == v]  # drop NaN
    low = min([*finite, top_rated])
    high = max([*finite, top_rated])
    pad = max(3.0, (high - low) * 0.12)
    return max(0.0, low - pad), min(100.0, high + pad)


def _place_markers(points: Sequence[tuple[float, float]], x_span: float, y_span: float) -> list[tuple[float, float]]:
    """Where each numbered circle goes: on its point, or moved up/down until it does not cover another.

    Events days apart land on top of each other at phone width; a circle is ~7 % of the width and ~10 %
    of the height here, so those are the distances kept between circles."""
    placed: list[tuple[float, float]] = []
    min_dx, min_dy = x_span * 0.075, y_span * 0.11
    for x, y in points:
        candidates = [y]
        for step in range(1, 6):
            candidates += [y + step * min_dy, y - step * min_dy]
        spot = (x, y)
        for cy in candidates:
            if all(abs(x - px) >= min_dx or abs(cy - py) >= min_dy for px, py in placed):
                spot = (x, cy)
                break
        placed.append(spot)
    return placed


def _date_locator(mdates: ModuleType, span_days: float) -> object:
    """At most ~4 date ticks, on month starts (the 1st and 15th for a chart under ~2.5 months).

    matplotlib's AutoDateLocator, held to so few ticks, cannot place them for some spans and warns."""
    if span_days < 75:
        return mdates.DayLocator(bymonthday=[1, 15])
    months = span_days / 30.44
    step = next((k for k in (1, 2, 3, 4, 6, 12) if months / k <= 4), 24)
    return mdates.MonthLocator(interval=step) if step < 24 else mdates.YearLocator(2)


def projection_figure(projection: Projection, band: ProjectionBand | None = None) -> Figure:
    """The chart as a matplotlib Figure (the caller closes it): `projection_png` saves it; tests read it."""
    plt, mdates, mticker = _matplotlib()
    top_rated = rule_numbers().tr_min_jss
    until = chart_until(projection)
    days, shown, low, high = _series(projection, band, until)
    x = [float(mdates.date2num(d)) for d in days]
    x_min, x_max = float(mdates.date2num(projection.as_of)), float(mdates.date2num(until))

    fig, ax = plt.subplots(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=BACKGROUND)
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(GRID)
    ax.tick_params(colors=TEXT, labelsize=FONT, length=0, pad=6)
    ax.grid(axis="y", color=GRID, linewidth=1)
    ax.set_axisbelow(True)

    if band is not None:
        ax.fill_between(x, low, high, step="post", color=BAND, alpha=0.35, linewidth=0)
    ax.step(x, shown, where="post", color=LINE, linewidth=3, solid_joinstyle="miter")
    ax.axhline(top_rated, color=TOP_RATED, linestyle=(0, (4, 3)), linewidth=2)

    y_low, y_high = _y_range([*shown, *low, *high], top_rated)
    ax.set_ylim(y_low, y_high)
    ax.set_xlim(x_min, x_max)
    ax.text(
        x_max,
        top_rated + (y_high - y_low) * 0.02,
        f"Top Rated {top_rated:g}%",
        color=TOP_RATED,
        fontsize=FONT - 2,
        ha="right",
        va="bottom",
        fontweight="bold",
    )

    events = chart_events(projection)
    anchors = []
    for event in events:
        raw = projection.at(event.update_day).raw
        # A change that ends the score (no eligible work left) sits at the bottom edge.
        y = y_low + (y_high - y_low) * 0.06 if raw is None else raw
        anchors.append((float(mdates.date2num(event.update_day)), y))
    spots = _place_markers(anchors, x_max - x_min, y_high - y_low)
    for number, ((ax_x, ax_y), (mx, my)) in enumerate(zip(anchors, spots, strict=True), start=1):
        if (mx, my) != (ax_x, ax_y):
            ax.plot([ax_x, mx], [ax_y, my], color=MARKER, linewidth=1.5, zorder=4)
        ax.annotate(
            str(number),
            (mx, my),
            ha="center",
            va="center",
            fontsize=FONT - 3,
            fontweight="bold",
            color=MARKER_TEXT,
            bbox={"boxstyle": "circle,pad=0.25", "facecolor": MARKER, "edgecolor": BACKGROUND, "linewidth": 1.5},
            zorder=5,
            gid=f"{MARKER_GID}-{number}",
            annotation_clip=False,
        )

    ax.yaxis.set_major_locator(mticker.MaxNLocator(nbins=4, steps=[1, 2, 5, 10], integer=True))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
    locator = _date_locator(mdates, x_max - x_min)
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator, show_offset=False)
    formatter.formats = ["%Y", "%b", "%b %-d", "%H:%M", "%H:%M", "%S.%f"]
    formatter.zero_formats = ["", "%b\n%Y", "%b", "%b %-d", "%H:%M", "%H:%M"]
    ax.xaxis.set_major_formatter(formatter)
    fig.tight_layout(pad=0.6)
    return fig


def projection_png(projection: Projection, band: ProjectionBand | None = None) -> bytes:
    """The likely score is the line drawn; the best-worst band (unknown feedback) is shaded around it."""
    plt, _, _ = _matplotlib()
    fig = projection_figure(projection, band)
    try:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", facecolor=fig.get_facecolor())
        return buffer.getvalue()
    finally:
        plt.close(fig)
