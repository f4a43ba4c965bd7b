"""`Services`: every service a front end uses, built once over one store, output format and clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.render import OutputFormat
from bot.store import LedgerStore
from scoring.params import ModelParams

from .answers import AnswerService
from .context import ServiceContext, utc_today
from .errors import ServiceError
from .history import HistoryService
from .imports import ImportService
from .ledger import LedgerService
from .messages import MessageService
from .questions import QuestionService
from .settings import SettingsService


@dataclass(frozen=True)
class Services:
    """What the console and the Discord bot call; they never reach the store or the engine themselves.

    The reminders service (bot/services/reminders) is built with its own clock and joins as `reminders`.
    """

    context: ServiceContext
    ledger: LedgerService
    answers: AnswerService
    questions: QuestionService
    history: HistoryService
    settings: SettingsService
    imports: ImportService
    messages: MessageService

    def error(self, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
        """A front end's own refusal (e.g. an upload too large), rendered like the services' errors."""
        return self.context.error(key, reason, **values)


def build_services(
    store: LedgerStore,
    fmt: OutputFormat = OutputFormat.CONSOLE,
    today: Callable[[], date] = utc_today,
    params: ModelParams | None = None,
) -> Services:
    ctx = ServiceContext(store, fmt, today, params or ModelParams())
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
    )
