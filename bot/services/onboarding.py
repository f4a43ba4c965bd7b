"""The guided first run: from Upwork's two exports to an estimated score, asking only what they lack.

Why a service of its own: Discord (`/start`) and the console (`import-csv --interactive`) ask the same
questions in the same order and keep the same progress, so a user may leave midway and go on later, in
either front end. The steps:

1. `welcome`: which two files to download, and where in Upwork's menus (or, with questions left from
   an earlier session, a welcome back and the next questions);
2. `import_files`: the import service reads them; the contracts whose status or feedback the files
   cannot know are queued (`OnboardingStore`), answered or skipped ones are never asked again;
3. `next_step`: the next `BATCH_SIZE` contracts, each with one question whose choices cover what the
   exports cannot know: still open (and whether the client was asked to close it), paused, on hold, or
   ended with the stars it got (the end date is taken as its last activity);
4. when nothing is left: what was answered and skipped, then the score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.render import Answer
from bot.render.text import render_text
from bot.store.onboarding_store import ANSWERED, SKIPPED, OnboardingCounts, OnboardingStore
from scoring.model import Contract

from .context import ServiceContext
from .errors import ServiceError
from .imports import ImportService, contract_label

if TYPE_CHECKING:
    from .answers import AnswerService

# Discord shows at most 5 rows of components under a message: one menu per contract, and a row of buttons.
BATCH_SIZE = 4
STARS = ("5", "4.8", "4.5", "4", "3", "2", "1")
CHOICES = ("open", "asked", *(f"ended:{s}" for s in STARS), "ended:none", "paused", "on_hold")


def label(key: str, **values: Any) -> str:
    """A choice's or a button's words, from templates/onboarding_labels.txt.j2 (both front ends use them)."""
    return render_text("onboarding_labels.txt.j2", key=key, **values)


@dataclass(frozen=True)
class Question:
    """One contract to ask about, with the line that identifies it."""

    contract: Contract
    label: str


@dataclass(frozen=True)
class Batch:
    """The few contracts asked about at once, and the choices each one offers (value, words)."""

    questions: tuple[Question, ...]
    choices: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Step:
    """What to show now (one or more answers) and the questions to ask next (None: the run is over)."""

    answers: tuple[Answer, ...]
    batch: Batch | None = None


class OnboardingService:
    def __init__(self, ctx: ServiceContext, imports: ImportService, answers: AnswerService) -> None:
        self.ctx = ctx
        self.imports = imports
        self.answers = answers
        self.progress = OnboardingStore(ctx.store.database)

    def _render(self, step: str, data: dict[str, Any] | None = None, **context: Any) -> Answer:
        return self.ctx.render("onboarding", {"step": step, **context}, data={"step": step, **(data or {})})

    async def counts(self, user_id: str) -> OnboardingCounts:
        return await self.progress.counts(user_id)

    async def welcome(self, user_id: str) -> Step:
        """The first answer of `/start`: how to get the files, or (questions left) the next questions."""
        counts = await self.progress.counts(user_id)
        if counts.pending:
            resume = self._render("resume", {"pending": counts.pending}, counts=counts)
            return await self.next_step(user_id, (resume,))
        return Step((self._render("welcome"),))

    async def import_files(self, user_id: str, files: Sequence[tuple[str, bytes]]) -> Step:
        """Import the exports (all or nothing), queue what they cannot know, and ask the first questions."""
        result = await self.imports.import_csv(user_id, files, guided=True)
        await self.progress.queue(user_id, [c.id for c in result.needs_details])
        return await self.next_step(user_id, (result.answer,))

    async def next_step(self, user_id: str, shown: Sequence[Answer] = ()) -> Step:
        """The next batch of questions after `shown`; when none is left, the end of the run and the score."""
        ids = await self.progress.pending(user_id, BATCH_SIZE)
        contracts = [c for c in [await self.ctx.store.get_contract(user_id, i) for i in ids] if c is not None]
        if not contracts:
            return Step((*shown, *await self._finish(user_id)))
        counts = await self.progress.counts(user_id)
        first = counts.answered + counts.skipped + 1
        questions = tuple(Question(c, contract_label(c)) for c in contracts)
        answer = self._render(
            "batch",
            {"contracts": [c.id for c in contracts], "choices": list(CHOICES)},
            questions=questions,
            first=first,
            last=first + len(questions) - 1,
            total=counts.total,
        )
        return Step((*shown, answer), Batch(questions, tuple((key, label(key)) for key in CHOICES)))

    async def _finish(self, user_id: str) -> tuple[Answer, ...]:
        counts = await self.progress.counts(user_id)
        done = self._render("done", {"answered": counts.answered, "skipped": counts.skipped}, counts=counts)
        try:
            score = await self.answers.score(user_id)
        except ServiceError as exc:  # e.g. nothing imported yet: the reason is the answer
            score = exc.answer
        return (done, score)

    async def choose(self, user_id: str, contract_id: str, choice: str) -> Answer:
        """Record one answer: the contract's status, its stars when it ended, a close request when asked.

        Only the last pick counts: picking "asked" again adds no second request (whatever the day), and
        another pick after it takes back the request that "asked" added (never one recorded elsewhere)."""
        if choice not in CHOICES:
            raise self.ctx.error("bad_input", "bad_status", text=choice[:20])
        contract = await self.ledger_contract(user_id, contract_id)
        if choice != "asked":
            await self._take_back_asked(user_id, contract)
        if choice.startswith("ended:"):
            stars = choice.removeprefix("ended:")
            ended = contract.ended or contract.last_activity
            answer = await self.imports.set_details(
                user_id, contract_id, status="ended", ended=ended, public_stars="" if stars == "none" else stars
            )
        else:
            status = "active" if choice in ("open", "asked") else choice
            answer = await self.imports.set_details(user_id, contract_id, status=status)
            if choice == "asked":
                await self._asked(user_id, contract_id)
        await self.progress.mark(user_id, [contract_id], ANSWERED)
        return answer

    async def _asked(self, user_id: str, contract_id: str) -> None:
        """Today's close request, unless one is on record already (this run's earlier pick, or the user's)."""
        contract = await self.ledger_contract(user_id, contract_id)
        if contract.close_requests:
            return
        today = self.ctx.today()
        await self.imports.ledger.asked_client(user_id, contract_id, today)
        await self.progress.set_asked_on(user_id, contract_id, today)

    async def _take_back_asked(self, user_id: str, contract: Contract) -> None:
        """A pick other than "asked": the close request an earlier "asked" pick of this run added goes."""
        day = await self.progress.asked_on(user_id, contract.id)
        if day is None:
            return
        if day in contract.close_requests:
            await self.imports.ledger.undo_asked(user_id, contract.id, day)
        await self.progress.set_asked_on(user_id, contract.id, None)

    async def ledger_contract(self, user_id: str, contract_id: str) -> Contract:
        contract = await self.ctx.store.get_contract(user_id, contract_id)
        if contract is None:
            raise self.ctx.error("not_found", "contract_gone")
        return contract

    async def skip(self, user_id: str, contract_ids: Sequence[str]) -> None:
        """Leave these contracts as they are (those already answered stay answered)."""
        await self.progress.mark(user_id, contract_ids, SKIPPED)

    async def next_batch(self, user_id: str, shown: Sequence[str]) -> Step:
        """`Next`: the contracts of the batch shown that got no answer are skipped; then the next batch."""
        await self.skip(user_id, shown)
        return await self.next_step(user_id)

    async def skip_rest(self, user_id: str) -> Step:
        """`Skip the rest`: no more questions; the end of the run and the score."""
        await self.progress.skip_all(user_id)
        return Step(await self._finish(user_id))

    async def later(self, user_id: str) -> Answer:
        """`Finish later`: nothing changes; the questions left wait for the next `/start`."""
        counts = await self.progress.counts(user_id)
        return self._render("later", {"pending": counts.pending}, counts=counts)
