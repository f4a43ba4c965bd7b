"""Reading whole exports: which export a file is, tolerance of layout, and errors that say where."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.importers import CsvImportError, ExportKind, combine, parse_export
from bot.importers.upwork_csv import Category, Payment
from scoring.model import ContractKind
from tests.samples import TODAY, UPWORK

HEADER = (
    '"Date","Ref ID","Type","Description","Agency","Freelancer","Team","Account Name","PO","Amount",'
    '"ExchangeRate","Currency","Balance"'
)


def parse(name: str) -> object:
    return parse_export((UPWORK / name).read_bytes(), name, today=TODAY)


def essentials(payments: tuple[Payment, ...] | list[Payment]) -> list[tuple[object, ...]]:
    """What a payment means, without where it was (line numbers differ between layouts)."""
    return sorted(
        (p.day, p.amount, p.category, p.kind, p.title, p.client, p.upwork_id, p.ref_id, p.refers_to) for p in payments
    )


def test_transaction_history_sample() -> None:
    export = parse_export((UPWORK / "transactions.csv").read_bytes(), "transactions.csv", today=TODAY)
    assert export.kind is ExportKind.TRANSACTIONS and export.name == "Transaction History"
    assert export.rows == 19  # the blank line is not a row
    # the withdrawal fee is a fee; "Fees for additional Connects" is a Connects purchase
    assert export.skipped == {"fee or tax row": 8, "withdrawal": 2, "Connects purchase": 1}
    earnings = [p for p in export.payments if p.category is Category.EARNING]
    assert sum(p.amount for p in earnings) == Decimal("3423.33")
    [refund] = [p for p in export.payments if p.category is Category.REFUND]
    assert (refund.amount, refund.refers_to, refund.line) == (Decimal("150.00"), "701200931", 8)
    logo = [p for p in earnings if p.title == "Logo refresh, brand kit"]  # a quoted field with a comma
    assert [(p.line, p.amount) for p in logo] == [
        (10, Decimal("100.00")),
        (16, Decimal("300.00")),
        (19, Decimal("300.00")),
    ]
    untitled = next(p for p in earnings if p.client == "Blue Fern Labs")
    assert untitled.title is None and untitled.period_start == date(2026, 10, 12)


def test_weekly_summary_sample() -> None:
    """Upwork's daily Weekly Summary: quoted, ISO dates, decimal hours, plain amounts, empty type = hourly."""
    export = parse_export((UPWORK / "weekly.csv").read_bytes(), "weekly.csv", today=TODAY)
    assert export.kind is ExportKind.WEEKLY and export.rows == 9 and export.skipped == {}
    ids = {(p.title, p.upwork_id) for p in export.payments}
    assert ids == {("Shopify store speed fixes", "38810021"), ("Data cleanup, CRM import", "38829944")}
    shop = [p for p in export.payments if p.upwork_id == "38810021"]
    assert {p.kind for p in shop} == {ContractKind.HOURLY} and sum(p.amount for p in shop) == Decimal("1700.00")
    cleanup = sorted((p.amount, p.kind) for p in export.payments if p.upwork_id == "38829944")
    assert cleanup == [(Decimal(25), None), (Decimal(250), ContractKind.FIXED), (Decimal(250), ContractKind.FIXED)]
    assert all(p.category is Category.EARNING and p.period_start == p.day for p in export.payments)


def test_column_order_extra_columns_and_crlf_change_nothing() -> None:
    original = parse_export((UPWORK / "transactions.csv").read_bytes(), "a.csv", today=TODAY)
    reordered = parse_export((UPWORK / "transactions_reordered.csv").read_bytes(), "b.csv", today=TODAY)
    assert essentials(reordered.payments) == essentials(original.payments)
    assert reordered.skipped == original.skipped


def test_semicolons_preamble_and_windows_encoding_are_tolerated() -> None:
    text = (
        "Transaction History for Dana Kim\n\n"
        "Date;Ref ID;Type;Description;Team;Amount\n"
        "Oct 02, 2026;701200931;Fixed Price;Invoice for Milestone 1 - Caf\xe9 menu;Quill Studio;$450.00\n"
    )
    export = parse_export(text.encode("cp1252"), "x.csv", today=TODAY)
    [payment] = export.payments
    assert (payment.title, payment.amount, payment.line) == ("Café menu", Decimal("450.00"), 4)


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        ("malformed_date.csv", ["malformed_date.csv, line 4, column 'Date'", "'Oct 32, 2026' is not a date"]),
        ("malformed_amount.csv", ["malformed_amount.csv, line 3, column 'Amount'", "'$45O.00' is not an amount"]),
        (
            "malformed_missing_column.csv",
            [
                "malformed_missing_column.csv, line 1",
                "'Amount' missing",
                "a Transaction History has Date, Ref ID, Type",
            ],
        ),
        ("malformed_short_row.csv", ["malformed_short_row.csv, line 3, column 'Amount': missing"]),
    ],
)
def test_malformed_samples_say_file_line_and_column(name: str, fragments: list[str]) -> None:
    with pytest.raises(CsvImportError) as caught:
        parse(name)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_an_unquoted_comma_is_explained() -> None:
    raw = f'{HEADER}\n"Oct 09, 2026","1","Bonus","Bonus - Logo",,"Dana","Cedar & Co","Cedar",,"$1,00.00",,,, "x"\n'
    with pytest.raises(CsvImportError, match=r"line 2: 14 fields but the header has 13; a field containing a comma"):
        parse_export(raw.encode(), "x.csv", today=TODAY)


def test_every_problem_is_listed_up_to_five() -> None:
    rows = "".join(
        f'"Oct {40 + i}, 2026","{i}","Hourly","Invoice","","","T","","","$1.00","","",""\n' for i in range(8)
    )
    with pytest.raises(CsvImportError) as caught:
        parse_export(f"{HEADER}\n{rows}".encode(), "x.csv", today=TODAY)
    assert len(caught.value.problems) == 5 and str(caught.value).endswith("(and 3 more)")
    assert "line 2, column 'Date'" in str(caught.value) and "line 6, column 'Date'" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b"", "the file is empty"),
        (b"\n\n", "the file is empty"),
        (b"name,email\nDana,dana@example.com\n", "not an Upwork Transaction History or Weekly Summary export"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not an Upwork"),
        (b'Date,Contract,Amount,Amount\n"Oct 1, 2026",X (12345),$1,$1\n', "column 'Amount' appears twice"),
        (
            f'{HEADER}\n"Dec 01, 2026","1","Hourly","Invoice for X","","","T","","","$5.00","","",""\n'.encode(),
            "line 2, column 'Date': 2026-12-01 is in the future",
        ),
        (
            f'{HEADER}\n"Oct 01, 2026","1","Hourly","Invoice for X","","","T","","","€5.00","","",""\n'.encode(),
            "not in US dollars",
        ),
        (b'Date,Contract,Amount\n"Oct 01, 2026",,$5.00\n', "line 2, column 'Contract': no contract title"),
        (b'Date,Contract,Amount\n"Oct 01, 2026","X (1234\n', "line 2"),
    ],
)
def test_unreadable_files(raw: bytes, fragment: str) -> None:
    with pytest.raises(CsvImportError, match=None) as caught:
        parse_export(raw, "dir/x.csv", today=TODAY)
    assert fragment in str(caught.value)
    assert "dir/" not in str(caught.value)  # only the file's name is shown


def test_a_clients_export_is_recognised() -> None:
    raw = (
        f"{HEADER}\n"
        '"Sep 8, 2026","880001","Hourly","Invoice for 09/01/2026-09/07/2026 - 12:30 hrs @ $40.00/hr","","Dana",'
        '"OBH Software","OBH","","-500.00","","","-500.00"\n'
        '"Sep 10, 2026","880005","Fixed Price","Milestone 2: landing page","","Dana","OBH Software","OBH","",'
        '"-150.00","","","-650.00"\n'
    )
    with pytest.raises(CsvImportError, match="looks like a client's Transaction History"):
        parse_export(raw.encode(), "x.csv", today=TODAY)


def test_row_types_that_are_not_earnings() -> None:
    lines = [
        '"Oct 01, 2026","1","Payment","Payment to Upwork","","","T","","","$5.00","","",""',
        '"Oct 01, 2026","2","Adjustment","Balance adjustment","","","T","","","$5.00","","",""',
        '"Oct 01, 2026","3","Refund","Service fee credit","","","T","","","$5.00","","",""',
        '"Oct 01, 2026","4","Hourly","Invoice for X","","","T","","","$0.00","","",""',
        '"Oct 01, 2026","5","Connects","Connects purchase","","","","","","-$15.00","","",""',
    ]
    export = parse_export(f"{HEADER}\n".encode() + "\n".join(lines).encode(), "x.csv", today=TODAY)
    assert export.payments == ()
    assert export.skipped == {
        "'payment' row": 1,
        "'adjustment' row": 1,
        "refund credit": 1,
        "zero-amount row": 1,
        "Connects purchase": 1,
    }


def test_overlapping_exports_count_each_row_once() -> None:
    first = parse_export((UPWORK / "transactions.csv").read_bytes(), "sep-oct.csv", today=TODAY)
    later = parse_export((UPWORK / "transactions_later.csv").read_bytes(), "oct-nov.csv", today=TODAY)
    combined = combine([first, later])
    refs = [p.ref_id for p in combined]
    assert refs.count("701900411") == 1  # in both files
    assert len(combined) == len(first.payments) + len(later.payments) - 1
    again = combine([first, first])
    assert essentials(again) == essentials(first.payments)
