"""Recent engine answers, kept until the data changes.

Why: advice and what-if take a few ms of engine time each; users ask again about the same contract
(a button, a second look), and a burst of such questions would otherwise queue behind each other. An
answer depends only on the ledger and the day, so it is keyed by the question and the store's version
(which moves on any commit, by this process or another): any change to the data retires it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from bot.render import Answer
from bot.store import LedgerStore

ANSWER_CACHE_SIZE = 4096  # recent advise / what-if answers kept (~3 KB each: ~12 MB at most)


class AnswerCache:
    def __init__(self, store: LedgerStore, size: int = ANSWER_CACHE_SIZE) -> None:
        self.store = store
        self.size = size
        self._answers: OrderedDict[tuple[Hashable, ...], Answer] = OrderedDict()

    async def get_or_compute(self, key: tuple[Hashable, ...], compute: Callable[[], Awaitable[Answer]]) -> Answer:
        """The answer kept for `key` at the store's current version, else `compute()`'s, then kept."""
        full_key = (*key, await self.store.version())
        hit = self._answers.get(full_key)
        if hit is not None:
            self._answers.move_to_end(full_key)
            return hit
        answer = await compute()
        self._answers[full_key] = answer
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)
        return answer
