"""Option types and the parser class of the console: bounded before anything is computed or stored.

Why here and not only in the services: argparse turns a bad value into a usage error (exit 2) before
the database is opened, and Python's int() of a 5000-digit string is slow and refused by Python itself;
the services check the meaning (ranges against today) again, for Discord too.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from typing import NoReturn

from bot.clock import SystemClock
from bot.services import parse_date
from bot.services.inputs import as_of_range
from scoring.model import EARLIEST_DAY, LedgerError

EXIT_USAGE = 2
MAX_ERROR_CHARS = 240  # argparse quotes the offending value: a hostile one must not flood the terminal
MAX_WHOLE_DIGITS = 18  # every count, id and day number fits, and so does SQLite's INTEGER
_WHOLE = re.compile(rf"[+-]?[0-9]{{1,{MAX_WHOLE_DIGITS}}}")


def _shown(text: str, most: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit 2), as every other error is.

    The usage block argparse prints first would push the reason off a small terminal, and scripts that
    read the last line of stderr would get the usage instead of the reason.
    """

    def error(self, message: str) -> NoReturn:
        text = _shown(message, MAX_ERROR_CHARS)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


def whole_number(text: str) -> int:
    """A whole number of at most MAX_WHOLE_DIGITS digits; the services check its range."""
    if _WHOLE.fullmatch(text.strip()) is None:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a whole number of at most {MAX_WHOLE_DIGITS} digits")
    return int(text)


def day_option(field: str, earliest: date = EARLIEST_DAY) -> Callable[[str], date]:
    """An option type: a YYYY-MM-DD day from `earliest` to the model's last day, the error naming `field`."""

    def parse(text: str) -> date:
        try:
            return parse_date(text, field, earliest)
        except LedgerError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = field  # argparse names the type in some messages
    return parse


def as_of_option(text: str) -> date:
    """--as-of: a day between the JSS's start (2015) and a few years from today (bot/services/inputs.py)."""
    try:
        return parse_date(text, "as-of", *as_of_range(SystemClock().today()))
    except LedgerError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
