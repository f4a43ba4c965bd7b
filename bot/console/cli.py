"""`jss-advisor`: the console front end over the same services and templates as the Discord bot.

Every command takes --user, --db, --as-of and --json. Errors print one line and exit non-zero; a
traceback is shown only with JSS_DEBUG=1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from bot.clock import SystemClock
from bot.console.arguments import OneLineParser, as_of_option, day_option, whole_number
from bot.console.reminders import add_parser as add_reminders_parser
from bot.console.reminders import run as run_reminders
from bot.render import Answer, OutputFormat
from bot.services import ServiceError, Services, StoreError, open_services
from bot.services.inputs import JSS_START, as_of_range, parse_date
from bot.services.messages import MessageKind
from bot.store import is_url
from scoring.model import LedgerError
from scoring.params import Cadence

from .output import show

EXIT_USAGE = 2
EXIT_FAILURE = 1
EXIT_INTERNAL = 70
log = logging.getLogger("jss_advisor.console")

CONTRACT_FIELDS = {
    "id": "contract id (letters, digits, . _ -)",
    "title": "contract title",
    "client": "client name",
    "kind": "hourly or fixed",
    "status": "active, paused, on_hold or ended",
    "started": "start date YYYY-MM-DD",
    "ended": "end date YYYY-MM-DD (status ended)",
    "last_activity": "last activity date",
    "last_payment": "last payment date ('none' if never paid)",
    "earnings_usd": "total earned, e.g. 1200 or $1,200.50",
    "escrow_usd": "funds in escrow (fixed price)",
    "milestone_submitted": "date a milestone awaiting the client was submitted",
    "public_stars": "client's public stars 1-5",
    "private_rating": "client's private rating 0-10 if known",
    "refunded_usd": "refunds issued",
}
FLAGS = {"disputed": "the contract went to dispute", "client_flagged": "client flagged/suspended by Upwork"}


def db_option(text: str) -> Path | str:
    """`--db` / JSS_ADVISOR_DB: a `postgresql://` URL stays text (a Path would fold its `//`), else a file."""
    return text if is_url(text) else Path(text)


def default_db() -> Path | str:
    env = os.environ.get("JSS_ADVISOR_DB")
    return db_option(env) if env else Path(user_data_dir("jss-advisor", appauthor=False)) / "ledger.db"


def build_parser() -> argparse.ArgumentParser:
    common = OneLineParser(add_help=False)
    common.add_argument("--user", default=os.environ.get("JSS_USER", "me"), help="whose ledger (default: me)")
    common.add_argument(
        "--db",
        type=db_option,
        default=None,
        help="SQLite file or postgresql:// URL (default: $JSS_ADVISOR_DB or user data dir)",
    )
    common.add_argument(
        "--as-of", type=as_of_option, default=None, help="evaluate as on this date (YYYY-MM-DD, 2015 to 5 years ahead)"
    )
    common.add_argument("--json", action="store_true", help="machine-readable output")

    parser = OneLineParser(prog="jss-advisor", description="Protect your Upwork Job Success Score.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", parents=[common], help="load a demo ledger and walk through the answers")
    demo.add_argument("--plot", type=Path, default=Path("jss-projection.png"), help="where to write the chart")
    imp = sub.add_parser("import", parents=[common], help="import a jss-ledger/1 JSON file (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--mode", choices=["merge", "replace"], default="merge")
    icsv = sub.add_parser(
        "import-csv",
        parents=[common],
        help="import Upwork CSV exports (Transaction History, Weekly Summary); all or nothing",
    )
    icsv.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="Transaction History or Weekly Summary export; overlaps count once (none: how to get them)",
    )
    icsv.add_argument("--interactive", action="store_true", help="then ask what exports lack: status, feedback")
    exp = sub.add_parser("export", parents=[common], help="write your ledger as jss-ledger/1 JSON")
    exp.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")

    contracts = sub.add_parser("contracts", help="add, edit, list, show, remove contracts")
    csub = contracts.add_subparsers(dest="action", required=True)
    for action in ("add", "edit"):
        p = csub.add_parser(action, parents=[common])
        if action == "edit":
            p.add_argument("contract_id")
        for name, text in CONTRACT_FIELDS.items():
            p.add_argument(
                "--" + name.replace("_", "-"),
                dest=name,
                help=text,
                required=action == "add"
                and name in {"id", "title", "client", "kind", "status", "started", "earnings_usd"},
            )
        for name, text in FLAGS.items():
            p.add_argument(
                "--" + name.replace("_", "-"), dest=name, action=argparse.BooleanOptionalAction, default=None, help=text
            )
    csub.add_parser("list", parents=[common])
    for action in ("show", "remove"):
        csub.add_parser(action, parents=[common]).add_argument("contract_id")
    asked = csub.add_parser("asked-client", parents=[common], help="record that you asked the client to close")
    asked.add_argument("contract_id")
    asked.add_argument("--on", type=day_option("on"), default=None, help="date you asked (default: as-of or today)")

    sub.add_parser("score", parents=[common], help="estimated JSS with every window")
    for name, text in (("advise", "should I close this contract?"), ("whatif", "simulate the alternatives")):
        sub.add_parser(name, parents=[common], help=text).add_argument("contract_id")
    proj = sub.add_parser("projection", parents=[common], help="the score over the next months")
    proj.add_argument("--cadence", choices=[c.value for c in Cadence], default=None)
    proj.add_argument("--months", type=whole_number, default=None)
    proj.add_argument("--plot", type=Path, default=None, help="write a PNG chart here")
    plan = sub.add_parser("plan", parents=[common], help="a staggered closing schedule for stale contracts")
    plan.add_argument("contract_ids", nargs="*", help="contracts to close (default: every stale one)")
    plan.add_argument("--spacing", type=whole_number, default=None, help="days between closings (default 14)")
    plan.add_argument(
        "--expect-good",
        action="append",
        default=[],
        metavar="ID=DATE",
        help="a contract you expect to end with good feedback on DATE",
    )
    sub.add_parser("toprated", parents=[common], help="Top Rated eligible weeks and when the badge can return")
    record = sub.add_parser("record", parents=[common], help="record the JSS Upwork shows you (for 'why')")
    record.add_argument("jss", type=whole_number, help="the JSS shown, 0-100")
    record.add_argument(
        "--on", type=day_option("on", JSS_START), default=None, help="the day it was shown (default: as-of or today)"
    )
    why = sub.add_parser("why", parents=[common], help="why the score moved between two days, cause by cause")
    since_jss = {"from": day_option("from", JSS_START), "to": day_option("to", JSS_START)}
    why.add_argument("--from", dest="start", type=since_jss["from"], help="default: the previous recorded score")
    why.add_argument("--to", dest="end", type=since_jss["to"], help="default: the last recorded score")
    msg = sub.add_parser("message", parents=[common], help="a polite message to send the client")
    msg.add_argument("contract_id")
    msg.add_argument("--kind", required=True, choices=[k.value for k in MessageKind])
    msg.add_argument("--name", default=None, help="your name, to sign the message")
    msg.add_argument("--to", default=None, help="whom to greet (default: the contract's client)")
    ask = sub.add_parser("ask", parents=[common], help="ask a question in plain English")
    ask.add_argument("question", nargs="+")
    add_reminders_parser(sub, common)
    sub.add_parser("bot", help="run the Discord bot (needs DISCORD_TOKEN, see .env.example)")
    migrate = sub.add_parser(
        "migrate",
        help="copy a whole database (every user, reminders, settings, history) into another, all or nothing",
        description="Copy every table of one JSS Advisor database into another in one transaction, e.g. a SQLite "
        "file into PostgreSQL (or back). Row counts are checked before the commit; a failure leaves the target "
        "as it was. Stop the bot first, or what it writes during the copy stays behind.",
    )
    migrate.add_argument(
        "--from", dest="source", type=db_option, required=True, help="SQLite file or postgresql:// URL"
    )
    migrate.add_argument("--to", dest="target", type=db_option, required=True, help="SQLite file or postgresql:// URL")
    migrate.add_argument("--replace", action="store_true", help="empty a target that holds data first (else refused)")
    migrate.add_argument("--json", action="store_true", help="machine-readable output")
    forget = sub.add_parser("forget", parents=[common], help="delete everything stored about a user")
    forget.add_argument("--yes", action="store_true", help="confirm")
    return parser


def _contract_fields(args: argparse.Namespace) -> dict[str, object]:
    fields: dict[str, object] = {}
    for name in (*CONTRACT_FIELDS, *FLAGS):
        value = getattr(args, name, None)
        if value is not None:
            fields[name] = value
    return fields


async def run(args: argparse.Namespace) -> int:
    if args.command == "migrate":
        return await _migrate(args)
    db = args.db or default_db()  # the store creates missing folders, and refuses a path it cannot use
    as_of: date | None = args.as_of
    async with await open_services(db, OutputFormat.CONSOLE) as services:
        user = args.user
        answers: list[Answer] = []
        cmd = args.command
        if cmd == "demo":
            answers = await run_demo(services, as_of, args.plot)
        elif cmd == "import":
            answers = [await services.ledger.import_ledger(user, _read(args.file), args.mode)]
        elif cmd == "import-csv":
            interactive = args.interactive and not args.json and sys.stdin.isatty()
            if args.interactive and not interactive:
                print("jss-advisor: --interactive needs a terminal (and no --json); not asking", file=sys.stderr)
            from .prompts import import_csv_command, read_files  # the CSV importers load only for this command

            files = read_files(args.files, _read)
            dated = services.dated(as_of) if as_of else services
            answers = await import_csv_command(dated.onboarding, user, files, interactive=interactive)
        elif cmd == "message":
            answers = [await services.messages.client_message(user, args.contract_id, args.kind, args.name, args.to)]
        elif cmd == "export":
            text = await services.ledger.export_ledger(user, as_of)
            if args.out:
                _write(args.out, (text + "\n").encode("utf-8"))
            else:
                sys.stdout.write(text + "\n")
            return 0
        elif cmd == "contracts":
            answers = [await _contracts(services, user, args, as_of)]
        elif cmd == "score":
            answers = [await services.answers.score(user, as_of)]
        elif cmd == "advise":
            answers = [await services.answers.advise(user, args.contract_id, as_of)]
        elif cmd == "whatif":
            answers = [await services.answers.what_if(user, args.contract_id, as_of)]
        elif cmd == "projection":
            cadence = Cadence(args.cadence) if args.cadence else None
            answer = await services.answers.projection(
                user, as_of, cadence, plot=args.plot is not None, months=args.months
            )
            _save_plot(answer, args.plot)
            answers = [answer]
        elif cmd == "plan":
            expected = dict(_expectation(item) for item in args.expect_good)
            answers = [await services.answers.plan(user, as_of, args.contract_ids, args.spacing, expected)]
        elif cmd == "toprated":
            answers = [await services.answers.top_rated(user, as_of)]
        elif cmd == "record":
            answers = [await services.history.record_score(user, args.jss, args.on or as_of)]
        elif cmd == "why":
            answers = [await services.history.explain_change(user, args.start, args.end or as_of)]
        elif cmd == "ask":
            answers = [await services.questions.ask(user, " ".join(args.question), as_of)]
        elif cmd == "reminders":
            answers = await run_reminders(services.reminders, args, as_of)
        elif cmd == "forget":
            if not args.yes:
                raise services.error("bad_input", "forget_needs_yes")
            answers = [await services.ledger.forget(user)]
        for index, answer in enumerate(answers):
            if index and not args.json:
                sys.stdout.write("\n" + "-" * 60 + "\n\n")
            show(answer, args.json)
            if not args.json and answer.data.get("plot"):
                sys.stdout.write(f"\nChart saved to {answer.data['plot']}\n")
    return 0


async def _migrate(args: argparse.Namespace) -> int:
    """Two databases, so no `open_services`: the migration service opens both itself."""
    from bot.services.migration import MigrationService

    def progress(line: str) -> None:
        print(f"jss-advisor: {line}", file=sys.stderr, flush=True)

    answer = await MigrationService(OutputFormat.CONSOLE).migrate(
        args.source, args.target, replace=args.replace, progress=progress
    )
    show(answer, args.json)
    return 0


def _read(path: Path) -> bytes:
    """The file's bytes, but never more than one past the import limit: the service then refuses it by
    size, without a 10 GB file read into memory first."""
    from bot.services.ledger import MAX_IMPORT_BYTES  # only the import commands read files

    try:
        with path.open("rb") as file:
            return file.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise LedgerError(f"cannot read {path}: {exc.strerror}") from None


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise LedgerError(f"cannot write {path}: {exc.strerror}") from None


def _expectation(item: str) -> tuple[str, date]:
    cid, sep, when = item.partition("=")
    if not sep:
        raise LedgerError(f"--expect-good '{item[:40]}' must look like ID=YYYY-MM-DD")
    return cid.strip(), parse_date(when, "expect-good", *as_of_range(SystemClock().today()))


def _save_plot(answer: Answer, path: Path | None) -> None:
    if path is None:
        return
    for _, content in answer.attachments:
        _write(path, content)
        answer.data["plot"] = str(path)


async def _contracts(services: Services, user: str, args: argparse.Namespace, as_of: date | None) -> Answer:
    action, service = args.action, services.ledger
    if action == "add":
        return await service.add_contract(user, _contract_fields(args))
    if action == "edit":
        return await service.edit_contract(user, args.contract_id, _contract_fields(args))
    if action == "list":
        return await service.list_contracts(user, as_of)
    if action == "show":
        return await service.show_contract(user, args.contract_id, as_of)
    if action == "remove":
        return await service.remove_contract(user, args.contract_id)
    return await service.asked_client(user, args.contract_id, args.on or as_of)


async def run_demo(services: Services, as_of: date | None, plot: Path | None) -> list[Answer]:
    """Load the demo ledger for user 'demo' and show the main answers on it."""
    from bot.console.demo import DEMO_USER, demo_ledger

    today = as_of or services.context.today()
    ledger = demo_ledger(today)
    loaded = await services.ledger.load_demo(DEMO_USER, ledger, today)
    answers = services.answers
    projection = await answers.projection(DEMO_USER, today, plot=plot is not None)
    _save_plot(projection, plot)
    return [
        loaded,
        await answers.score(DEMO_USER, today),
        await answers.advise(DEMO_USER, "acme-site", today),
        await answers.plan(DEMO_USER, today),
        projection,
    ]


def _warnings_and_up(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING


def main(argv: Sequence[str] | None = None, *, run_bot: Callable[[], int] | None = None) -> int:
    """Run one console command. `run_bot` starts the Discord front end for `jss-advisor bot`; the entry point
    (bot/main.py) passes it in, so the console itself never imports discord.py."""
    logging.basicConfig(level=os.environ.get("JSS_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    # bm25s sets its own logger to DEBUG when it is imported (lazily, by `ask`), so a level set here would
    # be undone: a filter survives that and keeps its debug lines off the user's terminal.
    logging.getLogger("bm25s").addFilter(_warnings_and_up)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "bot":
        if run_bot is None:
            print("jss-advisor: the Discord bot is started with `jss-advisor bot` or `python -m bot`", file=sys.stderr)
            return EXIT_USAGE
        return run_bot()
    try:
        return asyncio.run(run(args))
    except ServiceError as exc:
        answer = exc.answer
        if getattr(args, "json", False):
            show(answer, True)
        print(f"jss-advisor: {answer.title}: {answer.description}", file=sys.stderr)
        return EXIT_FAILURE
    except (LedgerError, StoreError) as exc:  # StoreError: e.g. an invalid --user, a busy database
        print(f"jss-advisor: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last fence: one line, never a traceback
        if os.environ.get("JSS_DEBUG"):
            raise
        log.debug("internal error", exc_info=True)
        print(
            f"jss-advisor: internal error ({type(exc).__name__}); rerun with JSS_DEBUG=1 for details", file=sys.stderr
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
