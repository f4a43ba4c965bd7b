"""What the user does, in order: every command the bot has, the buttons under its answers, a form, a forum
post, the message menu, and the reminder DMs over three simulated weeks.

Each step starts from the demo ledger again when it could change what later steps show (`fresh=True`).
Steps that move the simulated clock (the DMs) and delete the user (/forget-me) come last. Add a step here
when a command or button is added; `STEPS` names them so `--only` can pick some.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from bot.console.demo import demo_ledger
from scoring.model import Contract, Ledger
from tests.builders import ledger_json
from tests.fakediscord import FakeAttachment
from tests.samples import UPWORK

from .capture import Session

Step = Callable[[Session], Awaitable[None]]
ANSWERED = "ghost-app"  # an idle open contract: the advice and reminders have most to say about it
TYPO = "acme-sitee"  # a mistyped id of acme-site


async def contracts(s: Session) -> None:
    await s.slash("contract list")
    await s.slash("contract show", {"contract": "acme-site"})
    await s.slash("contract show", {"contract": TYPO})
    form = await s.slash("contract add", {"kind": "hourly", "status": "active"})
    values = {
        "contract_id": "new-site",
        "names": "New landing page | Orbit Labs",
        "dates": f"{s.as_of - timedelta(days=20)}, {s.as_of - timedelta(days=2)}",
        "money": "640",
        "stars": "",
    }
    await s.submit(form, values, "/contract add  >  form filled in and sent")
    await s.slash("contract edit", {"contract": ANSWERED, "status": "paused"}, fresh=True)
    await s.slash("contract asked-client", {"contract": ANSWERED}, fresh=True)
    await s.slash("contract remove", {"contract": "landing"}, fresh=True)
    await s.load()


def busy_ledger(s: Session, total: int = 30) -> Ledger:
    """The demo ledger plus small ended jobs, `total` contracts in all: lists longer than one page."""
    demo = demo_ledger(s.as_of)
    extra = []
    for n in range(total - len(demo.contracts)):
        ended = s.as_of - timedelta(days=30 + 11 * n)
        extra.append(
            Contract.model_validate(
                {
                    "id": f"gig-{n + 1:02d}",
                    "title": f"Small fix #{n + 1}",
                    "client": f"Client {n + 1}",
                    "kind": "fixed",
                    "status": "ended",
                    "started": ended - timedelta(days=14),
                    "ended": ended,
                    "last_activity": ended,
                    "last_payment": ended,
                    "earnings_usd": Decimal(120 + 10 * n),
                    "public_stars": 5.0,
                }
            )
        )
    return Ledger(as_of=demo.as_of, contracts=(*demo.contracts, *extra))


async def long_list(s: Session) -> None:
    busy = s.server.add_user("busy", "Busy Freelancer")
    ledger = busy_ledger(s)
    await s.load(ledger, user=busy)
    listed = await s.slash("contract list", user=busy, label=f"/contract list  (a ledger of {len(ledger.contracts)})")
    for button in s.buttons(listed)[:3]:  # the pages after the first, if the answer has page buttons
        listed = await s.click(listed, button)


async def score(s: Session) -> None:
    await s.slash("jss show", fresh=True)
    await s.slash("jss record", {"value": 96, "on": str(s.as_of - timedelta(days=60))})
    await s.slash("jss record", {"value": 91})
    await s.slash("jss why")


async def advice(s: Session) -> None:
    for contract_id in s.demo_ids(open_only=True):
        shown = await s.slash("advise", {"contract": contract_id}, fresh=True)
        await s.click_all(shown)
    await s.slash("advise", {"contract": TYPO})
    await s.slash("whatif", {"contract": "acme-site"}, fresh=True)
    await s.slash("plan", fresh=True)
    await s.slash("toprated")
    await s.slash("message", {"contract": "acme-site", "kind": "ask-close"})


async def questions(s: Session) -> None:
    await s.slash("ask", {"question": "my client went silent, should I close the acme-site contract?"})
    await s.slash("ask", {"question": "why did my score drop with no new work?", "public": True})
    await s.menu("Ask JSS Advisor", "Will refunding my client remove the bad review?")
    admin = s.server.add_user("admin", "Server Admin", admin=True)
    forum = s.server.forum_channel_id
    await s.slash(
        "setup forum-channel", {"channel": forum}, user=admin, label="/setup forum-channel channel:#help-forum"
    )
    await s.forum_post("When does the JSS update?", "Is there a fixed day each week?")


async def ledger_files(s: Session) -> None:
    await s.slash("ledger export")
    upload = FakeAttachment("my-ledger.json", ledger_json(demo_ledger(s.as_of)).encode())
    await s.slash("ledger import", {"file": upload, "mode": "replace"})
    newcomer = s.server.add_user("newcomer", "New Freelancer")
    await s.slash("jss show", user=newcomer, label="/jss show  (a new user, empty ledger)")
    if s.has_command("start"):  # the guided first run (issue 16)
        await s.slash("start", user=newcomer)
    files = {
        "file": FakeAttachment("TransactionHistory.csv", (UPWORK / "transactions_2025.csv").read_bytes()),
        "file2": FakeAttachment("WeeklySummary.csv", (UPWORK / "weekly_daily.csv").read_bytes()),
    }
    imported = await s.slash("ledger import-csv", files, user=newcomer)
    for button in s.buttons(imported)[:1]:
        await s.click(imported, button)
    await s.load()


async def settings(s: Session) -> None:
    await s.slash("settings", {"timezone": "Europe/Berlin", "cadence": "daily"})
    await s.slash("settings", {"timezone": "Mars/Olympus_Mons"})
    await s.slash("reminders settings", {"timezone": "Europe/Berlin", "quiet": "22:00-07:00"})
    await s.slash("settings", {"reminders": True})
    await s.slash("reminders list")
    await s.slash("reminders kinds")


async def reminders(s: Session) -> None:
    """Three simulated weeks of reminder DMs (reminders were turned on by `settings`), and their buttons."""
    await s.load()
    start = datetime.combine(s.as_of, time(12), tzinfo=UTC)
    dms = await s.dms_until(start + timedelta(days=21), "3 weeks later")
    # A click can end a DM's buttons (a snooze, "Closed it"): each DM gets one, the n-th button on the n-th DM.
    for n, dm in enumerate(dms):
        buttons = s.buttons(dm)
        if buttons:
            await s.click(dm, buttons[n % len(buttons)])
    await s.slash("reminders snooze", {"reminder": 1, "days": 3})
    await s.slash("reminders resume")


async def forget(s: Session) -> None:
    asked = await s.slash("forget-me")
    buttons = s.buttons(asked)
    cancel = [b for b in buttons if "cancel" in str(b.get("custom_id"))]
    for button in cancel[:1]:
        await s.click(asked, button)
    asked = await s.slash("forget-me")
    confirm = [b for b in s.buttons(asked) if "confirm" in str(b.get("custom_id"))]
    for button in confirm[:1]:
        await s.click(asked, button)


STEPS: dict[str, Step] = {
    "contracts": contracts,
    "long-list": long_list,
    "score": score,
    "advice": advice,
    "questions": questions,
    "ledger": ledger_files,
    "settings": settings,
    "reminders": reminders,
    "forget": forget,
}


def script(only: Sequence[str] = ()) -> Step:
    """The steps named in `only` (all by default), in the order above."""
    unknown = set(only) - set(STEPS)
    if unknown:
        raise ValueError(f"unknown steps {sorted(unknown)}; the steps are {', '.join(STEPS)}")

    async def run(session: Session) -> None:
        for name, step in STEPS.items():
            if not only or name in only:
                try:
                    await step(session)
                except Exception as exc:  # recorded; the other steps still run
                    session.failed(f"step {name!r}", exc)

    return run
