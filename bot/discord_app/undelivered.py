"""Answers Discord would not take in time, remembered per user and owned up to with their next reply.

Why: when the interaction callback fails past Discord's 3-second deadline (a long 429, an outage),
the command's change is already committed but its token is dead: neither the reply nor a followup
can reach the user, and a DM is not ours to send for this. The next reply the bot gives that user
carries one line saying which command went through unseen, so nobody repeats a change thinking it
was lost. Kept in memory only and bounded: after a restart the notice is gone, the data is not.
"""

from __future__ import annotations

from collections import OrderedDict

MAX_USERS = 1_000  # users with a pending notice; the oldest are dropped first
MAX_PER_USER = 5  # commands named in one notice


class UndeliveredNotices:
    """user id -> names of the commands whose answers did not reach them."""

    def __init__(self) -> None:
        self._pending: OrderedDict[int, list[str]] = OrderedDict()

    def remember(self, user_id: int, command: str) -> None:
        names = self._pending.pop(user_id, [])
        if command not in names:
            names = [*names, command][-MAX_PER_USER:]
        self._pending[user_id] = names
        while len(self._pending) > MAX_USERS:
            self._pending.popitem(last=False)

    def take(self, user_id: int) -> list[str]:
        """The pending command names of `user_id`, forgotten once taken."""
        return self._pending.pop(user_id, [])

    def put_back(self, user_id: int, commands: list[str]) -> None:
        """The notice could not be shown either: keep it for the reply after."""
        for command in commands:
            self.remember(user_id, command)
