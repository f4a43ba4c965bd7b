"""The projection chart as Discord shows it: read at phone width on the dark theme.

Asserted on the figure `projection_png` saves (captured from matplotlib), never on pixels: its colours, its
axis ranges, its text sizes and angles, and the numbered markers the answer's text explains.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from bot.console.demo import demo_ledger  # noqa: E402
from bot.render.plot import chart_events, projection_png  # noqa: E402
from scoring.params import DEFAULT_PARAMS  # noqa: E402
from scoring.projection import Projection  # noqa: E402
from scoring.uncertainty import ProjectionBand, projection_band  # noqa: E402
from tests.render.figures import capture_saved_figures  # noqa: E402

TODAY = date(2026, 12, 4)  # the demo ledger's events: two contracts go idle within 3 weeks, then window exits
PHONE_WIDTH_PX = 350  # how wide Discord shows an attached image on a phone
MIN_PHONE_TEXT_PX = 10  # smaller than this is unreadable there
TOP_RATED = 90


def luminance(colour: Any) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.fixture(scope="module")
def band() -> ProjectionBand:
    return projection_band(list(demo_ledger(TODAY).contracts), TODAY, DEFAULT_PARAMS)


def drawn(projection: Projection, band: ProjectionBand | None, monkeypatch: pytest.MonkeyPatch) -> Figure:
    """The figure projection_png saved (drawn, so tick labels and text extents are final)."""
    saved = capture_saved_figures(monkeypatch)
    png = projection_png(projection, band=band)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    [fig] = saved
    FigureCanvasAgg(fig).draw()  # pyplot closed it: a canvas of its own to measure text on
    return fig


def texts(fig: Figure) -> Iterator[Text]:
    """Every visible text of the figure: tick labels, titles, labels, annotations."""
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            yield t


def markers(fig: Figure) -> list[Text]:
    return sorted(
        (t for t in texts(fig) if str(t.get_gid() or "").startswith("event-marker")), key=lambda t: int(t.get_text())
    )


def data_values(projection: Projection, band: ProjectionBand, until: float) -> list[float]:
    values = []
    for i, p in enumerate(projection.points):
        if mdates.date2num(p.day) <= until:
            values += [v for v in (p.raw, band.low[i], band.high[i]) if v is not None]
    return values


def test_dark_background_with_light_text(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    fig = drawn(band.likely, band, monkeypatch)
    [ax] = fig.axes
    assert luminance(fig.get_facecolor()) < 0.3 and luminance(ax.get_facecolor()) < 0.3
    for t in texts(fig):
        if not t.get_gid():  # the markers' digits are dark on a bright disc
            assert luminance(t.get_color()) > 0.55, t.get_text()


def test_y_range_is_fitted_to_the_data_and_the_top_rated_line(
    band: ProjectionBand, monkeypatch: pytest.MonkeyPatch
) -> None:
    fig = drawn(band.likely, band, monkeypatch)
    [ax] = fig.axes
    low, high = ax.get_ylim()
    values = data_values(band.likely, band, ax.get_xlim()[1])
    assert low <= min(values) and max(values) <= high and low < TOP_RATED < high
    assert low >= min([*values, TOP_RATED]) - 10 and high <= 100  # not 0-100: the line fills the height
    lines = [ln for ln in ax.get_lines() if len(set(ln.get_ydata())) == 1 and ln.get_ydata()[0] == TOP_RATED]
    assert lines, "the 90 % Top Rated line is drawn"
    assert any("Top Rated" in t.get_text() and "90" in t.get_text() for t in texts(fig))


def test_nothing_is_rotated_and_no_legend_covers_the_data(
    band: ProjectionBand, monkeypatch: pytest.MonkeyPatch
) -> None:
    fig = drawn(band.likely, band, monkeypatch)
    [ax] = fig.axes
    assert [t.get_text() for t in texts(fig) if t.get_rotation() % 360 != 0] == []
    assert ax.get_legend() is None and not fig.legends
    assert 2 <= len([t for t in ax.get_xticklabels() if t.get_text()]) <= 5  # few ticks
    assert 2 <= len([t for t in ax.get_yticklabels() if t.get_text()]) <= 6


def test_text_is_readable_at_phone_width(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    fig = drawn(band.likely, band, monkeypatch)
    width_px = fig.get_figwidth() * fig.dpi
    scale = PHONE_WIDTH_PX / width_px
    for t in texts(fig):
        shown_px = t.get_fontsize() * fig.dpi / 72 * scale
        assert shown_px >= MIN_PHONE_TEXT_PX, (t.get_text(), round(shown_px, 1))


def test_events_are_numbered_markers_on_the_line(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    projection = band.likely
    fig = drawn(projection, band, monkeypatch)
    [ax] = fig.axes
    events = chart_events(projection)
    assert len(events) >= 5  # the demo has more dated changes than the chart numbers
    found = markers(fig)
    assert [t.get_text() for t in found] == [str(n) for n in range(1, len(events) + 1)]
    x_low, x_high = ax.get_xlim()
    y_low, y_high = ax.get_ylim()
    for marker, event in zip(found, events, strict=True):
        x, y = marker.get_position()  # on the event's day; on the line unless moved off a neighbour
        assert x == pytest.approx(mdates.date2num(event.update_day))
        assert x_low <= x <= x_high and y_low <= y <= y_high


def test_markers_do_not_cover_each_other(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes a few days apart on the same level (a closing plan, a batch of exits) stay legible."""
    projection = band.likely
    first = projection.moving_events()[0]
    crowded = [dataclasses.replace(first, day=first.day + timedelta(days=i)) for i in range(4)]
    crowded = [dataclasses.replace(e, update_day=e.day) for e in crowded]
    fig = drawn(dataclasses.replace(projection, events=(*crowded, *projection.events)), band, monkeypatch)
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in markers(fig)]  # type: ignore[union-attr]
    assert len(boxes) == len(chart_events(dataclasses.replace(projection, events=(*crowded, *projection.events))))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_the_horizon_ends_after_the_last_numbered_event(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    projection = band.likely
    fig = drawn(projection, band, monkeypatch)
    [ax] = fig.axes
    x_low, x_high = ax.get_xlim()
    last = max(e.update_day for e in chart_events(projection))
    assert x_low == pytest.approx(mdates.date2num(projection.as_of))
    assert mdates.date2num(last) < x_high < mdates.date2num(projection.until)  # not the empty 24-month tail
    assert x_high - mdates.date2num(last) <= 90


def test_without_events_the_chart_shows_a_quarter(band: ProjectionBand, monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = dataclasses.replace(band.likely, events=())
    fig = drawn(quiet, band, monkeypatch)
    [ax] = fig.axes
    assert markers(fig) == []
    assert ax.get_xlim()[1] - ax.get_xlim()[0] == pytest.approx(90)


@pytest.mark.parametrize("months", [1, 2, 3, 6, 12, 24, 60])
def test_every_horizon_draws_few_level_date_ticks(months: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`projection --months N` takes 1 to 60: each draws without a warning (they are errors here), with few
    horizontal date labels."""
    band = projection_band(list(demo_ledger(TODAY).contracts), TODAY, DEFAULT_PARAMS, months=months)
    fig = drawn(band.likely, band, monkeypatch)
    [ax] = fig.axes
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert 1 <= len(labels) <= 5 and all(t.get_rotation() == 0 for t in labels), [t.get_text() for t in labels]
    assert ax.get_xlim()[1] <= mdates.date2num(band.likely.until)
