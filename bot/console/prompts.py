"""`jss-advisor import-csv`: import Upwork exports, then (with --interactive) ask what they lack.

The questions go through an `ask` function (the built-in `input` on a terminal) so tests can script the
answers. Each contract gets at most four short questions; Enter skips one, "q" stops, Ctrl-D ends the
session keeping what was saved so far. A bad answer is explained and the contract asked again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.render import Answer
from bot.render.escaping import for_console
from bot.services import ServiceError
from bot.services.imports import ImportService, contract_label, status_word
from scoring.model import Contract

from .output import show

Ask = Callable[[str], str]
MAX_ATTEMPTS = 3


class _Quit(Exception):
    """The user typed q: stop asking, keep what was saved."""


def _ask(ask: Ask, prompt: str) -> str:
    answer = ask(prompt).strip()
    if answer.casefold() in {"q", "quit"}:
        raise _Quit
    return answer


def _questions(contract: Contract, ask: Ask, importer: ImportService) -> dict[str, str | None]:
    """One round of questions for a contract; Enter leaves a field as it is."""
    answers: dict[str, str | None] = {
        "status": None,
        "ended": None,
        "public_stars": None,
        "private_rating": None,
        "client": None,
    }
    status = _ask(ask, "  Still open? [o]pen / [e]nded, Enter to skip: ")
    answers["status"] = status or None
    if status and status_word(status) == "ended":
        default = contract.ended or contract.last_activity
        answers["ended"] = _ask(ask, f"  End date YYYY-MM-DD [{default}]: ") or default.isoformat()
    if status_word(status) == "ended" or (not status and not contract.is_open):
        answers["public_stars"] = _ask(ask, "  Public stars 1-5, Enter if none or not yet: ") or None
        answers["private_rating"] = _ask(ask, "  Private rating 0-10 if you know it, Enter to skip: ") or None
    if importer.needs_client(contract):
        answers["client"] = _ask(ask, "  Client name, Enter to keep it unknown: ") or None
    return answers


async def ask_details(
    importer: ImportService, user: str, contracts: Sequence[Contract], ask: Ask, out: TextIO
) -> list[Contract]:
    """Ask about each contract in turn; returns the contracts whose details were saved."""
    saved: list[Contract] = []
    total = len(contracts)
    out.write(f"\n{total} contract(s) need what exports do not show. Enter skips a question, q stops.\n")
    try:
        for index, contract in enumerate(contracts, 1):
            out.write(f"\n[{index}/{total}] {for_console(contract_label(contract))} ({contract.id})\n")
            for _ in range(MAX_ATTEMPTS):
                answers = _questions(contract, ask, importer)
                if not any(answers.values()):
                    break
                try:
                    await importer.set_details(user, contract.id, **answers)
                except ServiceError as exc:
                    out.write(f"  {exc.answer.description}; please try again.\n")
                    continue
                updated = await importer.ledger.find_contract(user, contract.id)
                if updated is not None and updated != contract:
                    saved.append(updated)
                break
    except (_Quit, EOFError):
        out.write("\nStopped; what you entered so far is saved.\n")
    return saved


async def import_csv_command(
    importer: ImportService,
    user: str,
    files: Sequence[tuple[str, bytes]],
    *,
    interactive: bool,
    as_json: bool = False,
    ask: Ask | None = None,
    out: TextIO | None = None,
) -> list[Answer]:
    """Import, then ask when interactive. Returns the answers still to show (the summary is shown first
    when there are questions, so the user sees what was imported before being asked about it)."""
    result = await importer.import_csv(user, files)
    if not interactive or not result.needs_details:
        return [result.answer]
    stream = out or sys.stdout
    show(result.answer, as_json, stream)
    saved = await ask_details(importer, user, result.needs_details, ask or input, stream)
    stream.write("\n")
    return [importer.details_saved(saved)]


def read_files(paths: Sequence[Path], read: Callable[[Path], bytes]) -> list[tuple[str, bytes]]:
    """(name, content) pairs for the import service; `read` reports unreadable files the console's way."""
    return [(path.name, read(path)) for path in paths]
