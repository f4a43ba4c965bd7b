"""Single cells: US-dollar amounts (never through float) and Upwork's dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.importers.cells import CellError, parse_amount, parse_day, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", "1234.50"),
        ("1234.5", "1234.50"),
        ("-$25.80", "-25.80"),
        ("$-25.80", "-25.80"),
        ("($17.50)", "-17.50"),
        ("17.50-", "-17.50"),
        ("\u2212$4.13", "-4.13"),  # a Unicode minus, as spreadsheets write it
        ("USD 45.00", "45.00"),
        ("45 USD", "45.00"),
        ("US$3", "3.00"),
        (" $ 1,000,000.00 ", "1000000.00"),
        (".5", "0.50"),
        ("+12", "12.00"),
        ("0.00", "0.00"),
    ],
)
def test_amounts_upwork_writes(text: str, expected: str) -> None:
    value = parse_amount(text)
    assert isinstance(value, Decimal) and value == Decimal(expected)
    assert value.as_tuple().exponent == -2  # always cents


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("abc", "not an amount"),
        ("$45O.00", "not an amount"),  # letter O for zero
        ("1,23.00", "not an amount"),  # misplaced thousands separator
        ("12,34", "not an amount"),  # a decimal comma: ambiguous, refused
        ("12.345", "fractions of a cent"),
        ("€40.00", "not in US dollars"),
        ("40.00 EUR", "not in US dollars"),
        ("--5", "not an amount"),
        ("(-5.00)", "two minus signs"),
        ("1e5", "not an amount"),
        ("$99,999,999,999.00", "implausibly large"),
    ],
)
def test_amounts_that_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(CellError, match=fragment):
        parse_amount(text)


@settings(deadline=None)  # no wall-clock limit per example: a busy machine is not a bug
@given(
    cents=st.integers(min_value=-(10**11), max_value=10**11),
    style=st.sampled_from(["minus", "after", "parens"]),
    grouped=st.booleans(),
)
def test_any_amount_round_trips_exactly(cents: int, style: str, grouped: bool) -> None:
    value = Decimal(cents).scaleb(-2)
    body = f"{abs(value):,.2f}" if grouped else f"{abs(value):.2f}"
    text = {"minus": f"-${body}", "after": f"${body}-", "parens": f"(${body})"}[style] if value < 0 else f"${body}"
    assert parse_amount(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 05, 2024", date(2024, 1, 5)),
        ("Jan 5, 2024", date(2024, 1, 5)),
        ("January 5, 2024", date(2024, 1, 5)),
        ("Sept 5, 2024", date(2024, 9, 5)),
        ("  Sep  05,  2024 ", date(2024, 9, 5)),
        ("2024-01-05", date(2024, 1, 5)),
        ("01/05/2024", date(2024, 1, 5)),  # month first, as Upwork writes it
        ("Jan 05, 2024 10:30 AM", date(2024, 1, 5)),
        ("05 Jan 2024", date(2024, 1, 5)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["", "Feb 30, 2024", "05.01.2024", "yesterday", "2024/13/01"])
def test_dates_that_are_refused(text: str) -> None:
    with pytest.raises(CellError):
        parse_day(text)


def test_weekly_periods() -> None:
    assert parse_period("Jan 01, 2024 - Jan 07, 2024") == (date(2024, 1, 1), date(2024, 1, 7))
    assert parse_period("Jan 01, 2024") == (date(2024, 1, 1), date(2024, 1, 1))
    with pytest.raises(CellError, match="ends before it starts"):
        parse_period("Jan 07, 2024 - Jan 01, 2024")
