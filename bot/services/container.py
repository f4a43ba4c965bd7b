"""`Services`: every service a front end uses, built once over one store, output format and clock."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from bot.clock import Clock, FixedClock, SystemClock
from bot.render import OutputFormat
from bot.store import LedgerStore
from scoring.params import ModelParams

from .context import ServiceContext
from .errors import ServiceError
from .workers import EngineRunner, InlineRunner

if TYPE_CHECKING:
    from .answers import AnswerService
    from .history import HistoryService
    from .imports import ImportService
    from .ledger import LedgerService
    from .messages import MessageService
    from .onboarding import OnboardingService
    from .questions import QuestionService
    from .reminders import ReminderService
    from .settings import SettingsService


class Services:
    """What the console and the Discord bot call; they never reach the store or the engine themselves.

    All share one context: the store, the output format, the clock, the model's parameters and the engine
    runner (inline in the console, a pool of worker processes in the bot). Each
    service is built (and its module imported) on first use, so a console command loads only what it
    needs: `score` never imports the CSV importers, the question index or the reminder machinery.
    """

    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    @cached_property
    def ledger(self) -> LedgerService:
        from .ledger import LedgerService

        return LedgerService(self.context)

    @cached_property
    def answers(self) -> AnswerService:
        from .answers import AnswerService

        return AnswerService(self.context)

    @cached_property
    def questions(self) -> QuestionService:
        from .questions import QuestionService

        return QuestionService(self.context)

    @cached_property
    def history(self) -> HistoryService:
        from .history import HistoryService

        return HistoryService(self.context)

    @cached_property
    def settings(self) -> SettingsService:
        from .settings import SettingsService

        return SettingsService(self.context)

    @cached_property
    def imports(self) -> ImportService:
        from .imports import ImportService

        return ImportService(self.context, self.ledger)

    @cached_property
    def onboarding(self) -> OnboardingService:
        from .onboarding import OnboardingService

        return OnboardingService(self.context, self.imports, self.answers)

    @cached_property
    def messages(self) -> MessageService:
        from .messages import MessageService

        return MessageService(self.context)

    @cached_property
    def reminders(self) -> ReminderService:
        from .reminders import ReminderService

        ctx = self.context
        return ReminderService(ctx.store, ctx.fmt, ctx.clock, ctx.params)

    def error(self, key: str, reason: str | None = None, /, **values: Any) -> ServiceError:
        """A front end's own refusal (e.g. an upload too large), rendered like the services' errors."""
        return self.context.error(key, reason, **values)

    def dated(self, day: date) -> Services:
        """The same services over the same store with the clock fixed on `day` (the console's `--as-of`)."""
        ctx = self.context
        return build_services(ctx.store, ctx.fmt, FixedClock.on(day), ctx.params, ctx.runner)

    @property
    def engine_on_loop(self) -> bool:
        """Whether engine work runs on the caller's thread (the inline runner: the console, some tests),
        and so holds an event loop while it runs; with worker processes the loop stays free meanwhile."""
        return not self.context.runner.isolated

    @property
    def ledger_generation(self) -> int:
        """Moves on every ledger-changing commit of this process (cheap: no query): a front end compares it
        before and after a command to know whether the command changed a ledger."""
        return self.context.store.generation

    async def close(self) -> None:
        """Stop the engine runner (its workers, if any), then close the store underneath (idempotent)."""
        try:
            await self.context.runner.close()
        finally:
            await self.context.store.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def open_services(
    path: str | Path,
    fmt: OutputFormat = OutputFormat.CONSOLE,
    clock: Clock | None = None,
    params: ModelParams | None = None,
    runner: EngineRunner | None = None,
) -> Services:
    """Open (creating and migrating if needed) the database at `path` and build every service over it:
    the one way a front end gets at the data. Close with `await services.close()` or `async with`.

    `runner`: where engine work runs (default inline; the bot passes a `ProcessPoolRunner`). It is started
    here, so its workers are warm before the first command, and closed with the services."""
    services = build_services(await LedgerStore.open(path, clock=clock), fmt, clock, params, runner)
    try:
        await services.context.runner.start()
    except BaseException:
        await services.close()
        raise
    return services


def build_services(
    store: LedgerStore,
    fmt: OutputFormat = OutputFormat.CONSOLE,
    clock: Clock | None = None,
    params: ModelParams | None = None,
    runner: EngineRunner | None = None,
) -> Services:
    """Every service over `store`; engine work runs on `runner` (default: inline, on the caller's thread)."""
    return Services(
        ServiceContext(store, fmt, clock or SystemClock(), params or ModelParams(), runner or InlineRunner())
    )
