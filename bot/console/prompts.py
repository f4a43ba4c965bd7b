"""`jss-advisor import-csv`: import Upwork exports, then (with --interactive) the guided first run.

The questions are the onboarding service's, the same as Discord's `/start` asks, in the same batches and
with the same stored progress: one numbered choice per contract (still open, asked the client to close,
ended with so many stars or none, paused, on hold). Enter skips a contract, "q" stops (what was answered
is kept, and the same command goes on later), Ctrl-D ends like "q". A bad answer is explained and asked
again. The answers go through an `ask` function (the built-in `input` on a terminal) so tests can script them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.render import Answer
from bot.render.escaping import for_console
from bot.services import ServiceError
from bot.services.onboarding import Batch, OnboardingService, Step, label

from .output import show

Ask = Callable[[str], str]
MAX_ATTEMPTS = 3


class _Stop(Exception):
    """The user typed q (or closed the input): stop asking, keep what was answered."""


def _read(ask: Ask, prompt: str) -> str:
    try:
        answer = ask(prompt).strip()
    except EOFError:
        raise _Stop from None
    if answer.casefold() in {"q", "quit"}:
        raise _Stop
    return answer


async def _ask_batch(onboarding: OnboardingService, user: str, batch: Batch, ask: Ask, out: TextIO) -> None:
    """One question per contract of the batch; a skipped one is left for `next_batch` to mark."""
    out.write("\n" + "".join(f"  {n}) {text}\n" for n, (_, text) in enumerate(batch.choices, 1)))
    prompt = label("ask", most=len(batch.choices)) + " "
    for question in batch.questions:
        out.write(f"\n{for_console(question.label)}\n")
        for _ in range(MAX_ATTEMPTS):
            text = _read(ask, prompt)
            if not text:
                break
            number = int(text) if text.isdigit() else 0
            if not 1 <= number <= len(batch.choices):
                out.write(f"  {label('ask', most=len(batch.choices))}\n")
                continue
            try:
                await onboarding.choose(user, question.contract.id, batch.choices[number - 1][0])
            except ServiceError as exc:
                out.write(f"  {exc.answer.description}\n")
                continue
            break


async def guide(
    onboarding: OnboardingService, user: str, step: Step, ask: Ask, out: TextIO, as_json: bool = False
) -> list[Answer]:
    """Show each step's answers and ask its questions until none are left (or the user stops); returns the
    answers still to show: the end of the run and the score, or where it stopped."""
    while step.batch is not None:
        for answer in step.answers:
            show(answer, as_json, out)
            out.write("\n")
        try:
            await _ask_batch(onboarding, user, step.batch, ask, out)
        except _Stop:
            out.write(f"\n{label('stopped')}\n\n")
            return [await onboarding.later(user)]
        step = await onboarding.next_batch(user, [q.contract.id for q in step.batch.questions])
        out.write("\n")
    return list(step.answers)


async def import_csv_command(
    onboarding: OnboardingService,
    user: str,
    files: Sequence[tuple[str, bytes]],
    *,
    interactive: bool,
    as_json: bool = False,
    ask: Ask | None = None,
    out: TextIO | None = None,
) -> list[Answer]:
    """Import; when interactive, the guided run. Returns the answers still to show (the summary and each
    batch are shown as they come, so the user sees what was imported before being asked about it).

    No files: where to download them in Upwork (or, interactive with questions left, the next ones)."""
    if not files:
        step = await onboarding.welcome(user)
        if not interactive:
            return [step.answers[0]] if step.batch is None else [await onboarding.later(user)]
        return await guide(onboarding, user, step, ask or input, out or sys.stdout, as_json)
    if not interactive:
        return [(await onboarding.imports.import_csv(user, files)).answer]
    step = await onboarding.import_files(user, files)
    return await guide(onboarding, user, step, ask or input, out or sys.stdout, as_json)


def read_files(paths: Sequence[Path], read: Callable[[Path], bytes]) -> list[tuple[str, bytes]]:
    """(name, content) pairs for the import service; `read` reports unreadable files the console's way."""
    return [(path.name, read(path)) for path in paths]
