"""Small Jinja filters for numbers, money and dates, so templates stay declarative."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .escaping import Trusted
from .repeats import unsaid


def pct(value: float | int | None) -> str:
    """A JSS as shown by Upwork: whole percent; '-' when there is no score."""
    return "-" if value is None else f"{int(float(value) + 0.5)}%"


NBSP = "\u00a0"


def change(before: float | int | None, after: float | int | None) -> str:
    """Two scores as "94% → 88%", held together by no-break spaces: a phone wraps a long lead line
    between words, and a wrap inside "94% ->" / "88%" left the arrow dangling at a line's end."""
    return f"{pct(before)}{NBSP}\u2192{NBSP}{pct(after)}"


def signed(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    rounded = round(float(value))
    return "±0" if rounded == 0 else f"{rounded:+d}"


def signed1(value: float | int | None) -> str:
    """Points with one decimal, so parts visibly add up to their total."""
    if value is None:
        return "n/a"
    rounded = round(float(value), 1)
    return "±0" if rounded == 0 else f"{rounded:+.1f}"


def usd(value: Decimal | int | None) -> str:
    if value is None:
        return "-"
    amount = Decimal(value).quantize(Decimal("0.01"))
    text = f"{amount:,.2f}"
    return "$" + (text[:-3] if text.endswith(".00") else text)


def a_usd(value: Decimal | int) -> str:
    """An amount with its article, as it is read aloud: "a $40", "an $18,000" (eighteen), "an $800" (eight hundred),
    "an $11" (eleven)."""
    text = usd(value)
    lead = text[1:].split(",")[0].split(".")[0]
    return ("an " if lead.startswith("8") or lead in ("11", "18") else "a ") + text


def day(value: date | None) -> str:
    return "-" if value is None else value.strftime("%Y-%m-%d (%a)")


def short(value: date | None) -> str:
    """A date in a lead line, read at a glance: "Fri Dec 4" (leads only name days within weeks)."""
    return "-" if value is None else f"{value:%a %b} {value.day}"


def month(value: date | None) -> str:
    """A month in a sentence ("March 2026"): when something about a date only "around" it happens."""
    return "-" if value is None else f"{value:%B %Y}"


def dated(value: date | None) -> str:
    """A day in a sentence ("4 February 2026"): when a count of days told from a day the asker named runs out."""
    return "-" if value is None else f"{value.day} {value:%B %Y}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def trusted(value: object) -> Trusted:
    """Mark product-written text (catalogue statements) so output escaping and length bounds skip it."""
    return Trusted(str(value))


def _formatted(fn: Any) -> Any:
    """A number or date formatter whose text the product wrote: printed as is (a "-4" escaped for Discord's
    markdown would read "\\-4" wherever markdown is not rendered, e.g. a notification)."""

    def wrapper(*args: Any) -> Trusted:
        return Trusted(fn(*args))

    wrapper.__doc__ = fn.__doc__
    return wrapper


FILTERS: dict[str, Any] = {
    "trusted": trusted,
    "pct": _formatted(pct),
    "change": _formatted(change),
    "signed": _formatted(signed),
    "signed1": _formatted(signed1),
    "usd": _formatted(usd),
    "a_usd": _formatted(a_usd),
    "day": _formatted(day),
    "short": _formatted(short),
    "month": _formatted(month),
    "dated": _formatted(dated),
    "plural": plural,
    "unsaid": unsaid,
}
