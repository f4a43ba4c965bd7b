"""Each Upwork export layout freelancers really have, from its own fixture: contracts, kinds, totals, skips.

Fixture assumptions (Upwork documents none of these layouts; see each test):

* `transactions_2025.csv` / `transactions_2025_entered.csv`: the Transaction History since 2025 (the second
  with `Entered Description`, from late 2025). UTF-8 with a BOM and no quoting at all, so no field can hold a
  comma: dates are therefore ISO (`2025-10-31`; `10/31/2025` reads the same), amounts have no thousands
  separator and `Amount $` is in US dollars while `Amount in local currency` is not (and is ignored).
  `Transaction ID` is the row's own id; `Ref ID` names the row a fee, tax or refund is about (an earning's
  own id there). The contract title is in `Transaction Summary` (`Invoice for <contract>: Milestone 1 -
  <milestone>`), else in `Description 1`-`3`; `Entered Description` is free text and never a title.
* `weekly_daily.csv`: the real Weekly Summary, one row per day worked, every field quoted, ISO dates,
  decimal hours, plain amounts, an empty `Payment type` for hourly time.
* `weekly.csv`: the same layout over the months of `transactions.csv` (an hourly job both show, a fixed-price
  job with a bonus only it shows).
* `transactions_2025_same_period.csv`: `transactions.csv` as the 2025 layout writes it (see its test).
* `transactions_local_currency.csv` and `transactions.csv`: the layouts before 2025 (`Amount in local
  currency` or `ExchangeRate`), quoted, dates like `Jun 5, 2024`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.importers import CsvImportError, ExportKind, ParsedExport, derive_contracts, parse_export
from bot.importers.merge import Action
from bot.importers.upwork_csv import Category
from scoring.model import ContractKind
from tests.samples import TODAY, UPWORK, sample

from .pipeline import Ledger


def parse(name: str) -> ParsedExport:
    return parse_export((UPWORK / name).read_bytes(), name, today=TODAY)


def contracts(export: ParsedExport) -> dict[str, tuple[ContractKind, Decimal, Decimal, str | None]]:
    derived = derive_contracts(export.payments, export.kind.value)
    assert derived.unattributed == ()
    return {c.title: (c.kind, c.earned, c.refunded, c.client) for c in derived.contracts}


def test_transaction_history_2025() -> None:
    raw = (UPWORK / "transactions_2025.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b'"' not in raw  # as Upwork writes it: BOM, unquoted
    export = parse("transactions_2025.csv")
    assert export.kind is ExportKind.TRANSACTIONS and export.rows == 14
    assert export.skipped == {"withdrawal": 1, "fee or tax row": 3, "Connects purchase": 1, "subscription": 1}
    assert contracts(export) == {
        "Shopify store speed fixes": (ContractKind.HOURLY, Decimal("1700.00"), Decimal(0), "Northwind Goods"),
        "Hourly work for Blue Fern Labs": (ContractKind.HOURLY, Decimal("573.33"), Decimal(0), "Blue Fern Labs"),
        # the contract's title, not the milestone's name ("First draft")
        "Landing page copy": (ContractKind.FIXED, Decimal("450.00"), Decimal("150.00"), "Quill Studio"),
        "Logo refresh and brand kit": (ContractKind.FIXED, Decimal("700.00"), Decimal(0), "Cedar & Co"),
    }
    earned = sum(p.amount for p in export.payments if p.category is Category.EARNING)
    assert earned == Decimal("3423.33")  # Amount $, not the local currency
    [refund] = [p for p in export.payments if p.category is Category.REFUND]
    assert (refund.ref_id, refund.refers_to, refund.kind) == ("801500140", "801200931", ContractKind.FIXED)
    bonus = next(p for p in export.payments if p.ref_id == "801300512")
    assert (bonus.kind, bonus.title) == (None, "Logo refresh and brand kit")


def test_transaction_history_late_2025_with_entered_description() -> None:
    export = parse("transactions_2025_entered.csv")
    assert export.kind is ExportKind.TRANSACTIONS and export.rows == 7
    assert export.skipped == {"withdrawal": 1, "fee or tax row": 2, "Connects purchase": 1}
    assert contracts(export) == {
        "Newsletter templates": (ContractKind.FIXED, Decimal("750.00"), Decimal(0), "Harbor Dental"),
        "Hourly work for Blue Fern Labs": (ContractKind.HOURLY, Decimal("573.33"), Decimal(0), "Blue Fern Labs"),
    }


def test_the_2025_layout_with_an_unknown_payment_type_says_so() -> None:
    raw = (UPWORK / "transactions_2025.csv").read_bytes().replace(b",Payment,", b",Adjustment,")
    assert parse_export(raw, "x.csv", today=TODAY).skipped["'adjustment' row"] == 1


def test_weekly_summary_real_daily_layout() -> None:
    export = parse("weekly_daily.csv")
    assert export.kind is ExportKind.WEEKLY and export.rows == 8 and export.skipped == {}
    assert {(p.title, p.upwork_id) for p in export.payments} == {
        ("Bootstrap5 Expert", "34848691"),
        ("Landing page (launch) for a bakery", "35559654"),
        ("HTML Front End Dev", "35695275"),
    }
    kinds = sorted((p.amount, p.kind) for p in export.payments if p.title == "HTML Front End Dev")
    assert kinds == [
        (Decimal("20.00"), None),  # the bonus
        (Decimal("77.50"), ContractKind.HOURLY),
        (Decimal("125.00"), ContractKind.HOURLY),
    ]
    assert contracts(export) == {
        "Bootstrap5 Expert": (ContractKind.HOURLY, Decimal("30.00"), Decimal(0), None),
        "Landing page (launch) for a bakery": (ContractKind.FIXED, Decimal("150.00"), Decimal(0), None),
        "HTML Front End Dev": (ContractKind.HOURLY, Decimal("222.50"), Decimal(0), None),
    }


@pytest.mark.parametrize("name", ["transactions_local_currency.csv", "transactions.csv"])
def test_legacy_transaction_history_layouts(name: str) -> None:
    export = parse(name)
    assert export.kind is ExportKind.TRANSACTIONS
    if name == "transactions.csv":  # ExchangeRate; its details are in test_upwork_csv
        assert export.skipped == {"fee or tax row": 8, "withdrawal": 2, "Connects purchase": 1}
        return
    assert export.rows == 7 and export.skipped == {"withdrawal": 1, "fee or tax row": 2}
    assert contracts(export) == {
        "Menu redesign": (ContractKind.FIXED, Decimal("450.00"), Decimal("100.00"), "Quill Studio"),
        "Hourly work for Blue Fern Labs": (ContractKind.HOURLY, Decimal("258.00"), Decimal(0), "Blue Fern Labs"),
    }
    hourly = next(p for p in export.payments if p.kind is ContractKind.HOURLY)
    assert (hourly.day.isoformat(), hourly.period_start and hourly.period_start.isoformat()) == (
        "2024-06-05",
        "2024-05-27",
    )


def test_a_file_of_no_known_layout_names_the_layouts() -> None:
    raw = b"Date,Transaction ID,Transaction Type,Amount in local currency\n2025-10-01,1,Hourly,5\n"
    with pytest.raises(CsvImportError) as caught:
        parse_export(raw, "x.csv", today=TODAY)
    message = str(caught.value)
    assert "column(s) 'Amount $', 'Transaction Summary' missing" in message
    for layout in ("Transaction History (2025)", "Transaction History (before 2025)", "Weekly Summary"):
        assert layout in message


def test_an_old_and_a_new_layout_of_the_same_period_count_each_payment_once() -> None:
    """`transactions_2025_same_period.csv` is `transactions.csv` as the 2025 layout writes it: the same
    Transaction IDs (the old Ref IDs), the refund as a negative `Fixed-price` row naming its milestone's
    Ref ID, the title's comma dropped (an unquoted file cannot hold one), the withdrawal a `Payment`."""
    old, new = parse("transactions.csv"), parse("transactions_2025_same_period.csv")
    # the withdrawal fee is a Service Fee now
    assert new.skipped == {"withdrawal": 1, "fee or tax row": 9, "Connects purchase": 1}
    alone = Ledger()
    alone.load([sample("transactions.csv")])
    assert {c.title: (c.earnings_usd, c.refunded_usd) for c in alone.contracts.values()} == {
        "Shopify store speed fixes": (Decimal("1700.00"), Decimal(0)),
        "Hourly work for Blue Fern Labs": (Decimal("573.33"), Decimal(0)),
        "Landing page copy": (Decimal("450.00"), Decimal("150.00")),
        "Logo refresh, brand kit": (Decimal("700.00"), Decimal(0)),
    }
    together = Ledger()
    together.load([sample("transactions.csv"), sample("transactions_2025_same_period.csv")])
    assert together.contracts == alone.contracts and len(together.counted) == len(old.payments)
    for first, second in (
        ("transactions.csv", "transactions_2025_same_period.csv"),
        ("transactions_2025_same_period.csv", "transactions.csv"),
    ):
        apart = Ledger()
        apart.load([sample(first)])
        assert set(apart.load([sample(second)])) == {Action.UNCHANGED}
        money = {
            i: (c.earnings_usd, c.refunded_usd, c.last_payment, c.kind, c.client) for i, c in apart.contracts.items()
        }
        assert money == {
            i: (c.earnings_usd, c.refunded_usd, c.last_payment, c.kind, c.client) for i, c in alone.contracts.items()
        }


def test_the_weekly_summary_and_the_transaction_history_make_one_contract_per_job() -> None:
    """The daily Weekly Summary of the same months adds the fixed-price job only it shows, and no money
    twice to the hourly job both show (each kind of export is a complete view of its own)."""
    ledger = Ledger()
    ledger.load([sample("transactions.csv"), sample("weekly.csv")])
    by_title = {c.title: c for c in ledger.contracts.values()}
    assert len(by_title) == 5 and len(ledger.contracts) == 5
    shop, cleanup = by_title["Shopify store speed fixes"], by_title["Data cleanup, CRM import"]
    assert (shop.kind, shop.earnings_usd, shop.client) == (ContractKind.HOURLY, Decimal("1700.00"), "Northwind Goods")
    assert (cleanup.kind, cleanup.earnings_usd, cleanup.started) == (
        ContractKind.FIXED,
        Decimal("525.00"),
        date(2026, 9, 28),
    )


def test_a_negative_weekly_amount_is_a_refund_netted_on_its_contract() -> None:
    raw = (
        UPWORK / "weekly.csv"
    ).read_bytes() + b'"2026-10-26","Data cleanup, CRM import (38829944)","","-100","Fixed Price Payment"\n'
    export = parse_export(raw, "weekly.csv", today=TODAY)
    assert contracts(export)["Data cleanup, CRM import"] == (ContractKind.FIXED, Decimal("525"), Decimal("100"), None)
