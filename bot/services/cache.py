"""Recent engine answers, kept until the data changes.

Why: advice and what-if take a few ms of engine time each; users ask again about the same contract
(a button, a second look), and a burst of such questions would otherwise queue behind each other. An
answer depends only on the ledger and the day, so it is keyed by the question and the store's version
(which moves on any commit, by this process or another): any change to the data retires it.

The same question asked again while its answer is still being computed (a double click on a button)
waits for that computation instead of starting another: engine work runs in a bounded pool where each
user has one job at a time, so a second computation would only be refused.

The store's version is one query through the store's single connection and lock. A burst of questions
(a hundred users at once) would queue a hundred of them one behind the other, ahead of every other query;
`SharedVersion` lets the questions asked while one query runs share the next one instead.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from bot.render import Answer
from bot.store import LedgerStore

ANSWER_CACHE_SIZE = 4096  # recent advise / what-if answers kept (~3 KB each: ~12 MB at most)


class SharedVersion:
    """`store.version()` for many askers at once, with no asker given a version read before it asked.

    Askers arriving while a query runs wait for the next query, which starts when that one ends and serves
    all of them: one query per round, however many ask, and a commit made before a question is always seen
    by the version that question gets."""

    def __init__(self, store: LedgerStore) -> None:
        self.store = store
        self._next: asyncio.Future[tuple[int, int]] | None = None  # the round not started yet
        self._reading = False

    async def read(self) -> tuple[int, int]:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            self._next.add_done_callback(_retrieve)
            if not self._reading:
                self._reading = True
                asyncio.ensure_future(self._rounds()).add_done_callback(_retrieve)
        # shield: an asker giving up must not cancel the round the others wait for.
        return await asyncio.shield(self._next)

    async def _rounds(self) -> None:
        try:
            while self._next is not None:
                waiting, self._next = self._next, None  # askers from now on wait for the following round
                try:
                    version = await self.store.version()
                except BaseException as exc:  # the askers of this round get the failure; a later round may work
                    if not waiting.done():
                        waiting.set_exception(exc)
                    if not isinstance(exc, Exception):
                        raise
                else:
                    if not waiting.done():
                        waiting.set_result(version)
        finally:
            self._reading = False
            if self._next is not None and not self._next.done():  # stopped by cancellation: fail, never hang
                self._next.set_exception(RuntimeError("the store version could not be read"))
                self._next = None


class AnswerCache:
    def __init__(self, store: LedgerStore, size: int = ANSWER_CACHE_SIZE) -> None:
        self.store = store
        self.size = size
        self._version = SharedVersion(store)
        self._answers: OrderedDict[tuple[Hashable, ...], Answer] = OrderedDict()
        self._computing: dict[tuple[Hashable, ...], asyncio.Future[Answer]] = {}

    async def get_or_compute(self, key: tuple[Hashable, ...], compute: Callable[[], Awaitable[Answer]]) -> Answer:
        """The answer kept for `key` at the store's current version, else `compute()`'s, then kept."""
        full_key = (*key, await self._version.read())
        hit = self._answers.get(full_key)
        if hit is not None:
            self._answers.move_to_end(full_key)
            return hit
        pending = self._computing.get(full_key)
        if pending is None:
            pending = self._computing[full_key] = asyncio.ensure_future(self._compute_and_keep(full_key, compute))
            pending.add_done_callback(_retrieve)  # every asker may have given up: no "never retrieved" noise
        # shield: an asker giving up (cancelled) must not cancel the computation the others wait for.
        return await asyncio.shield(pending)

    async def _compute_and_keep(
        self, full_key: tuple[Hashable, ...], compute: Callable[[], Awaitable[Answer]]
    ) -> Answer:
        try:
            answer = await compute()
        finally:
            del self._computing[full_key]
        self._answers[full_key] = answer
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return answer


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
