"""A simulated year of one freelancer's ledger, with the real bot against the local Discord.

The user lives in New York with quiet hours 21:00-09:30, so reminders due at 09:00 arrive at 09:30
local time, before and after daylight saving starts (8 March). Along the way they close contracts,
record a request to a client, snooze a reminder with the DM button and get a poor review; every DM,
its order and its local time is asserted.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.reminders.timing import DeliveryWindow
from scoring.model import Ledger
from tests.builders import D, make

from . import World, dm_key, local

NY = "America/New_York"


def ledger() -> Ledger:
    return Ledger(
        contracts=(
            make(
                "shop",
                kind="hourly",
                status="ended",
                started=D("2024-11-01"),
                ended=D("2025-05-20"),
                last_activity=D("2025-05-20"),
                last_payment=D("2025-05-20"),
                earnings_usd="2400",
                public_stars=5.0,
            ),
            make(
                "api",
                kind="hourly",
                status="ended",
                started=D("2025-07-01"),
                ended=D("2025-09-15"),
                last_activity=D("2025-09-15"),
                last_payment=D("2025-09-15"),
                earnings_usd="800",
                public_stars=5.0,
            ),
            # Ended without feedback: the 14-day window closes on 11 January.
            make(
                "logo",
                kind="fixed",
                status="ended",
                started=D("2025-12-01"),
                ended=D("2025-12-28"),
                last_activity=D("2025-12-28"),
                last_payment=D("2025-12-28"),
                earnings_usd="300",
            ),
            # Asked in November and idle since October: close it yourself (overdue since 30 November).
            make(
                "ghost",
                kind="hourly",
                status="active",
                started=D("2025-06-01"),
                last_activity=D("2025-10-01"),
                last_payment=D("2025-10-01"),
                earnings_usd="820",
                close_requests=[D("2025-11-01")],
            ),
            # Also asked and idle: the next closing of the plan, 14 days after the previous one.
            make(
                "proto",
                kind="hourly",
                status="active",
                started=D("2025-05-01"),
                last_activity=D("2025-10-10"),
                last_payment=D("2025-10-10"),
                earnings_usd="500",
                close_requests=[D("2025-11-05")],
            ),
            # Idle since 20 December: ask the client on 19 January (30 days).
            make(
                "maint",
                kind="hourly",
                status="active",
                started=D("2025-03-01"),
                last_activity=D("2025-12-20"),
                last_payment=D("2025-12-20"),
                earnings_usd="5200",
            ),
            # Funded fixed-price contracts idle since 1 December and 5 January: dormancy days 76, 83, 90.
            make(
                "video",
                status="active",
                kind="fixed",
                started=D("2025-11-01"),
                last_activity=D("2025-12-01"),
                earnings_usd="300",
                escrow_usd="300",
            ),
            make(
                "summer",
                status="active",
                kind="fixed",
                started=D("2025-12-15"),
                last_activity=D("2026-01-05"),
                earnings_usd="0",
                escrow_usd="450",
            ),
        )
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


EXPECTED = [
    # local time of the DM,          rule,               contract, delivery
    ("2026-01-05 09:30 EST", "C-SELF-CLOSE-2MO", "ghost", 0),
    ("2026-01-09 09:30 EST", "FB-14DAYS", "logo", 0),
    ("2026-01-18 09:30 EST", "FB-14DAYS", "ghost", 0),  # closed on 6 January without feedback
    ("2026-01-19 09:30 EST", "C-CLOSE-ADVICE", "maint", 0),
    ("2026-01-20 09:30 EST", "L-STAGGER", "proto", 0),  # 14 days after ghost's closing
    ("2026-01-27 09:30 EST", "L-STAGGER", "proto", 1),  # "Remind me in 7 days"
    ("2026-02-15 09:30 EST", "C-FP-DORMANT", "video", 0),
    ("2026-02-18 09:30 EST", "C-SELF-CLOSE-2MO", "maint", 0),  # asked on 20 January, idle 60 days
    ("2026-02-22 09:30 EST", "C-FP-DORMANT", "video", 0),
    ("2026-03-01 09:30 EST", "C-FP-DORMANT", "video", 0),
    ("2026-03-03 09:30 EST", "FB-14DAYS", "maint", 0),  # closed on 19 February
    ("2026-03-04 10:00 EST", "B-TR-WEEKS", "", 0),  # the client's 2-star review that morning
    ("2026-03-05 09:30 EST", "L-STAGGER", "proto", 0),  # re-planned 14 days after maint's closing
    ("2026-03-22 09:30 EDT", "C-FP-DORMANT", "summer", 0),
    ("2026-03-29 09:30 EDT", "C-FP-DORMANT", "summer", 0),
    ("2026-04-05 09:30 EDT", "C-FP-DORMANT", "summer", 0),
]


async def test_a_year_of_reminders(world: World) -> None:
    user = world.server.default_user
    await world.import_ledger(ledger())
    await world.opt_in(NY, "21:00-09:30")

    await world.clock.run_until(at("2026-01-06T16:00"))
    await world.command("contract edit", {"contract": "ghost", "ended": "2026-01-06"})
    await world.clock.run_until(at("2026-01-20T20:00"))
    proto = world.dms(user)[-1]
    click = await world.server.send_component(f"jss:rem:{dm_key(proto)[0]}:0:s7", message=proto)
    response = await click.wait_for_response()
    assert response.type == 7 and response.data is not None and "2026-01-27 09:30" in response.data["content"]
    await world.command("contract asked-client", {"contract": "maint"})
    await world.clock.run_until(at("2026-02-19T17:00"))
    await world.command("contract edit", {"contract": "maint", "ended": "2026-02-19"})
    await world.clock.run_until(at("2026-03-04T15:00"))
    await world.command("contract edit", {"contract": "maint", "stars": 2.0})
    await world.clock.run_until(at("2027-01-05T12:00"))

    sent = [(local(s.at, NY), s.rule, s.contract, s.delivery) for s in world.sender.log]
    assert sent == EXPECTED
    window = DeliveryWindow.of(NY, "21:00", "09:30")
    assert not any(window.is_quiet(s.at) for s in world.sender.log)
    assert all(s.outcome == "Delivered" for s in world.sender.log)
    # What the user received, in order: exactly these DMs, each once, each citing its rule.
    dms = world.dms(user)
    deliveries = {(s.reminder_id, s.delivery) for s in world.sender.log}
    expected_keys = [
        (s.reminder_id, None if (s.reminder_id, s.delivery + 1) in deliveries else s.delivery) for s in world.sender.log
    ]  # a snoozed DM lost its buttons
    assert [dm_key(m) for m in dms] == expected_keys
    assert [m["content"] for m in dms if m["content"]] == ["Snoozed. I will remind you again on 2026-01-27 09:30."]
    for message, (_, rule, _, _) in zip(dms, EXPECTED, strict=True):
        [embed] = message["embeds"]
        assert rule not in embed["footer"]["text"] and any(rule in f["value"] for f in embed["fields"])
    assert world.server.problems() == []
