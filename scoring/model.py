"""Domain model: a freelancer's contracts as in the `jss-ledger/1` interchange format.

Validation lives here so that every front end (console, Discord, import) reports bad input the same
way: which contract, which field, what is wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

LEDGER_FORMAT: Final = "jss-ledger/1"
CONTRACT_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
CENT = Decimal("0.01")
# Every day the model stores. The bounds are not about plausibility (the services refuse days after today
# at entry, see bot/services/inputs.py) but about safety: the engine adds and subtracts years and months,
# so a day near date.min or date.max would overflow deep inside a computation instead of here, by name.
EARLIEST_DAY: Final = date(1990, 1, 1)  # before any online freelancing marketplace; a typo, not a contract
LATEST_DAY: Final = date(2099, 12, 31)
# JSON a ledger file may contain: `contracts[i].close_requests[j]` is 3 levels deep, so 8 leaves room and
# stops 100k nested brackets before json.loads recurses into them (a RecursionError, not a message).
MAX_JSON_DEPTH: Final = 8
MAX_NUMBER_CHARS: Final = 32  # any real amount or rating fits; Decimal('1e999999999') would make int() hang

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _in_range(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"{day.isoformat()} is outside {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}")
    return day


Day = Annotated[date, AfterValidator(_in_range)]


def _no_nul(text: str) -> str:
    """SQLite ends TEXT at a NUL character (and so would its length checks): refuse it with a clear reason."""
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    return text


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]


class ContractKind(StrEnum):
    HOURLY = "hourly"
    FIXED = "fixed"


class ContractStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ON_HOLD = "on_hold"
    ENDED = "ended"


class Contract(BaseModel):
    """One contract as the freelancer sees it on Upwork. Immutable: what-ifs copy with `model_copy`."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=CONTRACT_ID_PATTERN)]
    title: Text
    client: Text
    kind: ContractKind
    status: ContractStatus
    started: Day
    ended: Day | None = None
    last_activity: Day
    last_payment: Day | None = None
    earnings_usd: Money
    escrow_usd: Money = Decimal(0)
    milestone_submitted: Day | None = None
    public_stars: Annotated[float, Field(ge=1.0, le=5.0)] | None = None
    private_rating: Annotated[int, Field(ge=0, le=10)] | None = None
    disputed: bool = False
    refunded_usd: Money = Decimal(0)
    client_flagged: bool = False
    close_requests: tuple[Day, ...] = ()

    @field_validator("earnings_usd", "escrow_usd", "refunded_usd", mode="before")
    @classmethod
    def _money_from_number(cls, value: Any) -> Any:
        """JSON numbers may arrive as float; go through str so 0.1 stays 0.1, never 0.1000000000000000055."""
        if isinstance(value, float):
            return Decimal(repr(value))
        return value

    @field_validator("close_requests", mode="after")
    @classmethod
    def _sorted_requests(cls, value: tuple[date, ...]) -> tuple[date, ...]:
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _consistent(self) -> Contract:
        if self.status is ContractStatus.ENDED and self.ended is None:
            raise ValueError("status is 'ended' but 'ended' (the end date) is missing")
        if self.status is not ContractStatus.ENDED and self.ended is not None:
            raise ValueError(f"'ended' is set but status is '{self.status.value}'; use status 'ended'")
        if self.ended is not None and self.ended < self.started:
            raise ValueError(f"'ended' ({self.ended}) is before 'started' ({self.started})")
        if self.last_activity < self.started:
            raise ValueError(f"'last_activity' ({self.last_activity}) is before 'started' ({self.started})")
        if self.last_payment is not None and self.last_payment < self.started:
            raise ValueError(f"'last_payment' ({self.last_payment}) is before 'started' ({self.started})")
        return self

    @property
    def is_open(self) -> bool:
        return self.status is not ContractStatus.ENDED

    @property
    def net_earnings(self) -> Decimal:
        """Earnings after refunds; a full refund makes a $0 contract (X-REFUND)."""
        if not self.refunded_usd:  # the usual case, and this is on the scoring hot path
            return self.earnings_usd
        return max(Decimal(0), self.earnings_usd - self.refunded_usd)

    @property
    def has_feedback(self) -> bool:
        return self.public_stars is not None or self.private_rating is not None

    def latest_date(self) -> date:
        """The newest date the contract mentions, to check it is not after the ledger's as-of date."""
        dates = [self.started, self.last_activity]
        dates += [d for d in (self.ended, self.last_payment, self.milestone_submitted) if d is not None]
        dates += list(self.close_requests)
        return max(dates)


class Ledger(BaseModel):
    """A user's whole ledger: the unit of import, export and evaluation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["jss-ledger/1"] = LEDGER_FORMAT
    as_of: Day | None = None
    contracts: tuple[Contract, ...] = ()

    @model_validator(mode="after")
    def _unique_and_not_future(self) -> Ledger:
        seen: set[str] = set()
        for index, contract in enumerate(self.contracts):
            if contract.id in seen:
                raise ValueError(f"contract #{index + 1} '{contract.id}': id is used twice; ids must be unique")
            seen.add(contract.id)
            if self.as_of is not None and contract.latest_date() > self.as_of:
                raise ValueError(
                    f"contract #{index + 1} '{contract.id}': a date ({contract.latest_date()}) "
                    f"is after as_of ({self.as_of})"
                )
        return self

    def contract(self, contract_id: str) -> Contract:
        for contract in self.contracts:
            if contract.id == contract_id:
                return contract
        raise KeyError(contract_id)


class LedgerError(ValueError):
    """Bad ledger or contract input, with a message fit to show a user as is."""


def _describe(error: Mapping[str, Any], raw: Any) -> str:
    loc = list(error.get("loc", ()))
    where = ""
    if len(loc) >= 2 and loc[0] == "contracts" and isinstance(loc[1], int):
        index = loc[1]
        name = ""
        try:
            name = str(raw["contracts"][index].get("id", ""))
        except (KeyError, IndexError, TypeError, AttributeError):
            name = ""
        where = f"contract #{index + 1}" + (f" '{name[:64]}'" if name else "")
        loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    if error.get("type") == "extra_forbidden":
        message = "unknown field (not part of jss-ledger/1)"
    elif error.get("type") == "finite_number":  # also what an absurdly long number becomes (see _number)
        message = "the number is too large or not a number"
    parts = [p for p in (where, f"field '{field}'" if field else "") if p]
    return (", ".join(parts) + ": " if parts else "") + message


def explain_validation_error(error: ValidationError, raw: Any = None) -> str:
    """One readable line per problem, naming the contract and field."""
    return "; ".join(_describe(e, raw) for e in error.errors()[:5]) + (
        f" (and {error.error_count() - 5} more)" if error.error_count() > 5 else ""
    )


def parse_ledger(data: Any) -> Ledger:
    """Validate a decoded JSON ledger, raising LedgerError with a user-facing message."""
    if not isinstance(data, dict):
        raise LedgerError("a ledger must be a JSON object with 'format' and 'contracts'")
    if data.get("format") != LEDGER_FORMAT:
        raise LedgerError(f"field 'format' must be '{LEDGER_FORMAT}'")
    try:
        return Ledger.model_validate(data)
    except ValidationError as exc:
        raise LedgerError(explain_validation_error(exc, data)) from None


def _number(text: str) -> Decimal | int:
    """A JSON number, or infinity when it is absurd, so that validation names the field it is in.

    Why not Decimal(text) always: int() of Decimal('1e999999999') (an int field checking it is whole)
    takes forever, and int() of 5000 digits raises ValueError (Python's digit limit) outside validation.
    """
    if len(text) > MAX_NUMBER_CHARS:
        return Decimal("Infinity")
    value = Decimal(text)
    if abs(value.adjusted()) > MAX_NUMBER_CHARS:
        return Decimal("Infinity")
    return int(text) if value == value.to_integral_value() and text.lstrip("-").isdigit() else value


_NOT_BRACKETS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+')  # strings, then anything else


def json_depth_exceeds(raw: bytes, most: int) -> bool:
    """True if brackets outside strings nest deeper than `most`: checked before json.loads, which recurses."""
    depth = 0
    for char in _NOT_BRACKETS.sub(b"", raw):  # brackets, and the quote of an unterminated string
        if char in b"[{":
            depth += 1
            if depth > most:
                return True
        elif char in b"]}":
            depth -= 1
    return False


def parse_ledger_json(text: str | bytes) -> Ledger:
    """Decode and validate ledger JSON; numbers become Decimal so money never passes through float.

    The caller bounds the size (see bot/services/ledger.py); the depth is bounded here, before decoding.
    """
    raw = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text
    if json_depth_exceeds(raw, MAX_JSON_DEPTH):
        raise LedgerError(f"not a jss-ledger/1 file: brackets nest deeper than {MAX_JSON_DEPTH} levels")
    try:
        data = json.loads(text, parse_float=_number, parse_int=_number)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LedgerError(f"not valid JSON: {exc}") from None
    except RecursionError:  # pragma: no cover - the depth check above comes first; the last fence
        raise LedgerError(f"not a jss-ledger/1 file: brackets nest deeper than {MAX_JSON_DEPTH} levels") from None
    return parse_ledger(data)


def parse_contract(data: dict[str, Any]) -> Contract:
    """Validate one contract (e.g. from a form), raising LedgerError naming the field."""
    try:
        return Contract.model_validate(data)
    except ValidationError as exc:
        raw = {"contracts": [data]}
        lines = []
        for e in exc.errors()[:5]:
            located = {**e, "loc": ("contracts", 0, *e.get("loc", ()))}
            lines.append(_describe(located, raw))
        raise LedgerError("; ".join(lines)) from None


def ledger_to_json_data(ledger: Ledger) -> dict[str, Any]:
    """The interchange form: ISO dates, money as JSON numbers with cents, every key present."""
    contracts = []
    for c in ledger.contracts:
        item = c.model_dump(mode="json")
        for key in ("earnings_usd", "escrow_usd", "refunded_usd"):
            amount = getattr(c, key).quantize(CENT)
            item[key] = int(amount) if amount == amount.to_integral_value() else float(amount)
        item["close_requests"] = [d.isoformat() for d in c.close_requests]
        contracts.append(item)
    return {
        "format": LEDGER_FORMAT,
        "as_of": ledger.as_of.isoformat() if ledger.as_of else None,
        "contracts": contracts,
    }
