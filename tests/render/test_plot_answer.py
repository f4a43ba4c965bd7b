"""The projection answer and its chart tell one story: the events numbered on the chart are the ones its text
numbers, and Discord and the console (`projection --plot`) attach the very same chart."""

from __future__ import annotations

import re
from datetime import date

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.clock import FixedClock
from bot.console.demo import demo_ledger
from bot.render import OutputFormat
from bot.services import build_services
from bot.store import LedgerStore
from tests.render.figures import capture_saved_figures

TODAY = date(2026, 12, 4)
NUMBERED = re.compile(r"^(\d+)\. \d{4}-\d{2}-\d{2}", re.MULTILINE)  # "3. 2027-02-07 (Sun): ..."


@pytest.fixture
def saved_figures(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    return capture_saved_figures(monkeypatch)


async def test_the_text_numbers_the_events_the_chart_marks(store: LedgerStore, saved_figures: list[Figure]) -> None:
    services = build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(TODAY))
    await store.import_ledger("u", demo_ledger(TODAY), "replace")
    answer = await services.answers.projection("u", plot=True)
    [fig] = saved_figures
    FigureCanvasAgg(fig).draw()
    marks = [t.get_text() for t in fig.findobj(Text) if str(t.get_gid() or "").startswith("event-marker")]
    numbered = [e for e in answer.data["events"] if e["marker"] is not None]
    text = "\n".join([answer.description, *(f.value for f in answer.fields)])
    listed = NUMBERED.findall(text)
    assert len(marks) == len(numbered) == len(listed) >= 5
    assert sorted(marks, key=int) == [str(e["marker"]) for e in numbered] == listed
    for event in numbered:  # each number names its day in the text
        assert re.search(rf"^{event['marker']}\. {event['day']}", text, re.MULTILINE), event
    # Without a chart there is nothing to number; the console's --plot attaches the very same chart.
    plain = await services.answers.projection("u")
    assert all(e["marker"] is None for e in plain.data["events"])
    console = build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(TODAY))
    assert (await console.answers.projection("u", plot=True)).attachments == answer.attachments
