"""UI-free services every front end shares: parse, call the store and the engine, render an Answer."""

from .advisor import AdvisorService, ServiceError
from .inputs import contract_from_fields, parse_date, parse_money

__all__ = ["AdvisorService", "ServiceError", "contract_from_fields", "parse_date", "parse_money"]
