"""The reminder services (bot.services.reminders): planning the queue, the scheduler, the messages."""

from __future__ import annotations

from datetime import datetime

from bot.clock import VirtualClock
from bot.render import Answer
from bot.services.reminders.delivery import Delivered, Outcome
from bot.store.reminder_store import Claim, QueuedReminder


class ScriptedSender:
    """Records every attempt; answers from `script` (by attempt number), else delivers."""

    def __init__(self, clock: VirtualClock, script: dict[int, Outcome] | None = None) -> None:
        self.clock = clock
        self.script = dict(script or {})
        self.attempts: list[tuple[datetime, QueuedReminder]] = []
        self.delivered: list[tuple[datetime, QueuedReminder]] = []

    async def deliver(self, claim: Claim, answer: Answer) -> Outcome:
        self.attempts.append((self.clock.now(), claim.reminder))
        outcome = self.script.pop(len(self.attempts), None)
        if outcome is None:
            outcome = Delivered(str(1000 + len(self.attempts)))
            self.delivered.append((self.clock.now(), claim.reminder))
        return outcome
