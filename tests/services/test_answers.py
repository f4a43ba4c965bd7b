"""The engine's answers through the answer service: defaults, data per output, advice, projection."""

from __future__ import annotations

import sys
from datetime import date, timedelta

from bot.clock import FixedClock
from bot.render import OutputFormat
from bot.services import Services, build_services
from bot.store import LedgerStore
from tests.samples import AS_OF, FREELANCER


async def test_today_is_the_default_as_of(loaded: Services) -> None:
    assert (await loaded.answers.score("u1")).data["as_of"] == AS_OF.isoformat()
    later = build_services(loaded.context.store, clock=FixedClock.on(AS_OF + timedelta(days=30)))
    assert (await later.answers.score("u1")).data["as_of"] == "2026-03-17"


async def test_data_is_the_same_for_every_output(store: LedgerStore) -> None:
    console = build_services(store, OutputFormat.CONSOLE, clock=FixedClock.on(AS_OF))
    discord = build_services(store, OutputFormat.DISCORD, clock=FixedClock.on(AS_OF))
    await console.ledger.import_ledger("u1", FREELANCER.read_bytes())
    for method, args in (("score", ()), ("advise", ("silent-client",)), ("plan", ()), ("top_rated", ())):
        a = await getattr(console.answers, method)("u1", *args)
        b = await getattr(discord.answers, method)("u1", *args)
        assert {k: v for k, v in a.data.items() if k != "explanation"} == {
            k: v for k, v in b.data.items() if k != "explanation"
        }
        assert a.rule_ids == b.rule_ids


async def test_advice_data(loaded: Services) -> None:
    answer = await loaded.answers.advise("u1", "silent-client")
    assert answer.data["verdict"] == "close_now" and answer.level == "warning"
    assert answer.data["idle_days"] == (AS_OF - date(2025, 10, 10)).days
    assert answer.data["close_requests"] == 2
    assert "leave_open" in answer.data["simulations"]
    assert answer.title == "Close it now: Landing page A/B tests (silent-client)"
    keep = await loaded.answers.advise("u1", "retainer")
    assert keep.data["verdict"] == "keep_open" and keep.level == "good"


async def test_scenarios_are_named_by_the_templates(loaded: Services) -> None:
    whatif = await loaded.answers.what_if("u1", "retainer")
    names = [f.name for f in whatif.fields]
    assert names[:2] == ["Leave it open", "Close now, no feedback"] and "Refund in full" in names
    advice = await loaded.answers.advise("u1", "silent-client")
    assert "Leave it open: " in {f.name: f.value for f in advice.fields}["Simulated JSS (now / in 6 months)"]


async def test_projection_with_a_plot(loaded: Services) -> None:
    answer = await loaded.answers.projection("u1", plot=True, months=12)
    ((name, content),) = answer.attachments
    assert name.endswith(".png") and content[:8] == b"\x89PNG\r\n\x1a\n"
    assert answer.title == "Projected JSS, next 12 months"
    assert (await loaded.answers.projection("u1")).attachments == ()
    assert "matplotlib" in sys.modules  # drawn: loaded on demand (test_console checks score/advise never do)
