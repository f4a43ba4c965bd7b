"""UI-free services every front end shares: parse, call the store and the engine, render an Answer.

`build_services(store, fmt, clock)` gives a front end all of them (`Services`); each has one job:
ledger edits, engine answers, questions, recorded scores, settings, CSV imports, client messages, reminders.
"""

from bot.store import StoreError

from .container import Services, build_services, open_services
from .context import ServiceContext
from .errors import ServiceError, service_error
from .inputs import contract_from_fields, parse_date, parse_money

__all__ = [
    "ServiceContext",
    "ServiceError",
    "StoreError",
    "Services",
    "build_services",
    "open_services",
    "contract_from_fields",
    "parse_date",
    "parse_money",
    "service_error",
]
