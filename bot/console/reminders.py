"""`jss-advisor reminders ...`: the same reminders as the DMs, from the console (which has no DMs).

Why its own module: bot/console/cli.py only registers the parser and calls `run`; everything about
reminders stays in the reminders feature. `run-due` prints what the bot would send and marks
nothing; `list` derives the user's reminders first (the same derivation the bot runs), so a ledger
edited in the console shows its reminders at once.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from bot.console.arguments import OneLineParser, whole_number
from bot.reminders.kinds import MAX_SNOOZE_DAYS, SNOOZE_DAYS, ReminderKind
from bot.render import Answer

if TYPE_CHECKING:
    from bot.services.reminders import ReminderService


def add_parser(sub: argparse._SubParsersAction[OneLineParser], common: OneLineParser) -> None:
    kinds = ", ".join(k.value for k in ReminderKind)
    rem = sub.add_parser("reminders", help="DM reminders: list, run-due, kinds, snooze, settings, resume")
    rsub = rem.add_subparsers(dest="action", required=True)
    rsub.add_parser("list", parents=[common], help="upcoming and recently sent reminders, kinds and settings")
    rsub.add_parser(
        "run-due",
        parents=[common],
        help="print the reminders due now (or by midday of --as-of), as the bot would DM them; marks nothing",
    )
    kind = rsub.add_parser("kinds", parents=[common], help=f"switch reminder kinds on or off ({kinds}, all)")
    kind.add_argument("--on", nargs="+", default=[], metavar="KIND", help="kinds to switch on")
    kind.add_argument("--off", nargs="+", default=[], metavar="KIND", help="kinds to switch off")
    snooze = rsub.add_parser("snooze", parents=[common], help="remind again later")
    snooze.add_argument("reminder_id", type=whole_number, help="the #id from `reminders list`")
    snooze.add_argument("--days", type=whole_number, default=SNOOZE_DAYS, help=f"1 to {MAX_SNOOZE_DAYS} (default 7)")
    settings = rsub.add_parser("settings", parents=[common], help="reminders on/off, quiet hours, send time, idle days")
    settings.add_argument(
        "--on",
        dest="enabled",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="turn reminders on (--no-on: off)",
    )
    settings.add_argument("--quiet", default=None, metavar="HH:MM-HH:MM", help="quiet hours, or 'off'")
    settings.add_argument("--idle-days", type=whole_number, default=None, help="days idle before 'ask the client'")
    settings.add_argument("--timezone", default=None, help="IANA name, e.g. Europe/Berlin")
    settings.add_argument(
        "--send-at", default=None, metavar="HH:MM", help="local time reminders go out on their day (default 09:00)"
    )
    rsub.add_parser("resume", parents=[common], help="DMs are open again: deliver held reminders")


async def run(reminders: ReminderService, args: argparse.Namespace, as_of: date | None) -> list[Answer]:
    user = args.user
    service = await reminders.on_day(user, as_of) if as_of else reminders
    action = args.action
    if action == "list":
        answers = [await service.overview(user)]
    elif action == "run-due":
        answers = await service.run_due(user)
    elif action == "kinds":
        answers = [await service.kinds(user, args.on, args.off)]
    elif action == "snooze":
        answers = [await service.snooze(user, args.reminder_id, args.days)]
    elif action == "settings":
        answers = [
            await service.update(
                user,
                enabled=args.enabled,
                timezone=args.timezone,
                quiet=args.quiet,
                idle_days=args.idle_days,
                send_at=args.send_at,
            )
        ]
    else:
        answers = [await service.resume(user)]
    if as_of is not None:
        # Derived as of another day: let the bot derive again with its own clock.
        await service.replan_later(user)
    return answers
