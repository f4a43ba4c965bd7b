"""The decimal mark is decided per file: a semicolon export in a European locale writes 1.234,56, and
its 1.500 is fifteen hundred dollars, not one fifty. An amount that reads both ways in a file that
gives no evidence is refused with its line, never guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.importers import CsvImportError, parse_export
from bot.importers.cells import CellError, DecimalMark, decimal_mark, parse_amount

HEADER = "Date;Ref ID;Type;Description;Team;Amount\n"
TODAY = date(2026, 11, 23)


def amounts(*cells: str, header: str = HEADER, sep: str = ";") -> list[Decimal]:
    rows = "".join(
        f"2024-01-{i + 1:02d}{sep}{i}{sep}Hourly{sep}Invoice{sep}Acme{sep}{c}\n" for i, c in enumerate(cells)
    )
    return [p.amount for p in parse_export((header + rows).encode(), "t.csv", today=TODAY).payments]


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("12,50", DecimalMark.COMMA),
        ("1.234,56", DecimalMark.COMMA),
        ("1.234.567", DecimalMark.COMMA),
        ("$1,234.56", DecimalMark.POINT),
        ("1,234,567", DecimalMark.POINT),
        ("12.5", DecimalMark.POINT),
        ("1.500", None),  # $1.50 or $1,500
        ("1,500", None),
        ("1500", None),
        ("abc", None),
    ],
)
def test_what_one_amount_says_about_the_mark(text: str, mark: DecimalMark | None) -> None:
    assert decimal_mark(text) is mark


def test_semicolon_file_with_decimal_commas_reads_1_500_as_fifteen_hundred() -> None:
    assert amounts("1.500", "1.234,56", "1,500") == [Decimal("1500.00"), Decimal("1234.56"), Decimal("1.50")]


def test_semicolon_file_with_decimal_points_reads_them_as_us_amounts() -> None:
    assert amounts("1.500", "12.50", "1,500") == [Decimal("1.50"), Decimal("12.50"), Decimal("1500.00")]


def test_ambiguous_amount_without_evidence_is_refused_with_its_line() -> None:
    with pytest.raises(CsvImportError) as raised:
        amounts("1.500", "200")
    message = str(raised.value)
    assert "t.csv, line 2, column 'Amount'" in message and "$1.50 or $1,500.00" in message


def test_comma_separated_file_is_upworks_own_decimal_point() -> None:
    assert amounts('"1,500"', "12.50", header=HEADER.replace(";", ","), sep=",") == [
        Decimal("1500.00"),
        Decimal("12.50"),
    ]


def test_a_file_mixing_both_conventions_is_refused() -> None:
    with pytest.raises(CsvImportError, match=r"both as 1,234\.56 \(line 3\) and as 1\.234,56 \(line 2\)"):
        amounts("12,50", "1,234.56")


def test_huge_amount_and_ancient_date_are_refused_by_line() -> None:
    with pytest.raises(CellError, match="implausibly large"):
        parse_amount("9" * 5000, None)
    with pytest.raises(CsvImportError, match="line 2, column 'Date': 1900-01-05 is before 1990-01-01"):
        parse_export((HEADER + "Jan 05, 1900;1;Hourly;Invoice;Acme;150\n").encode(), "t.csv", today=TODAY)
