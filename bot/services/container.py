"""`Services`: every service a front end uses, built once over one store, output format and clock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.clock import Clock, SystemClock
from bot.render import OutputFormat
from bot.store import LedgerStore
from scoring.params import ModelParams

from .answers import AnswerService
from .context import ServiceContext
from .errors import ServiceError
from .history import HistoryService
from .imports import ImportService
from .ledger import LedgerService
from .messages import MessageService
from .questions import QuestionService
from .reminders import ReminderService
from .settings import SettingsService


@dataclass(frozen=True)
class Services:
    """What the console and the Discord bot call; they never reach the store or the engine themselves.

    All share one context: the store, the output format, the clock and the model's parameters.
    """

    context: ServiceContext
    ledger: LedgerService
    answers: AnswerService
    questions: QuestionService
    history: HistoryService
    settings: SettingsService
    imports: ImportService
    messages: MessageService
    reminders: ReminderService

    def error(self, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
        """A front end's own refusal (e.g. an upload too large), rendered like the services' errors."""
        return self.context.error(key, reason, **values)


def build_services(
    store: LedgerStore,
    fmt: OutputFormat = OutputFormat.CONSOLE,
    clock: Clock | None = None,
    params: ModelParams | None = None,
) -> Services:
    ctx = ServiceContext(store, fmt, clock or SystemClock(), params or ModelParams())
    ledger = LedgerService(ctx)
    return Services(
        context=ctx,
        ledger=ledger,
        answers=AnswerService(ctx),
        questions=QuestionService(ctx),
        history=HistoryService(ctx),
        settings=SettingsService(ctx),
        imports=ImportService(ctx, ledger),
        messages=MessageService(ctx),
        reminders=ReminderService(store, fmt, ctx.clock, ctx.params),
    )
