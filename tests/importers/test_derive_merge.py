"""Payments -> contracts -> merged into a ledger: grouping, ids, and the merge rule (pure, no store)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.importers import Action, combine, derive_contracts, merge, parse_export
from bot.importers.merge import PLACEHOLDER_CLIENT
from bot.importers.upwork_csv import Category, Payment
from scoring.model import CONTRACT_ID_PATTERN, Contract, ContractKind, ContractStatus, Ledger
from tests.builders import make
from tests.samples import TODAY, UPWORK

ID = re.compile(CONTRACT_ID_PATTERN)


def derived(*names: str):  # noqa: ANN201 - a Derivation
    return derive_contracts(combine([parse_export((UPWORK / n).read_bytes(), n, today=TODAY) for n in names]))


def typed(cid: str = "shop", **fields: object) -> Contract:
    """A contract as a user would type it."""
    typed_in: dict[str, object] = {
        "title": "Shopify store speed fixes",
        "client": "Northwind Goods",
        "kind": "hourly",
        "status": "ended",
        "started": date(2026, 9, 1),
        "ended": date(2026, 10, 31),
        "last_activity": date(2026, 10, 31),
        "last_payment": date(2026, 9, 25),
        "earnings_usd": Decimal("1200"),
        "public_stars": 5.0,
        "private_rating": 9,
        "close_requests": [date(2026, 10, 20)],
    }
    return make(cid, **{**typed_in, **fields})


def payment(
    day: date,
    amount: str,
    *,
    title: str = "Site fixes",
    client: str | None = "Acme",
    category: Category = Category.EARNING,
    upwork_id: str | None = None,
    line: int = 2,
    kind: ContractKind | None = ContractKind.HOURLY,
) -> Payment:
    return Payment(
        "x.csv",
        line,
        day,
        Decimal(amount),
        category,
        kind,
        title,
        client,
        upwork_id,
        None,
        None,
        None,
        ("row", day, title, amount, line),
    )


def test_transactions_group_into_contracts() -> None:
    result = derived("transactions.csv")
    by_title = {c.title: c for c in result.contracts}
    assert set(by_title) == {
        "Shopify store speed fixes",
        "Logo refresh, brand kit",
        "Landing page copy",
        "Hourly work for Blue Fern Labs",
    }
    shop, logo, landing = (
        by_title["Shopify store speed fixes"],
        by_title["Logo refresh, brand kit"],
        by_title["Landing page copy"],
    )
    assert (shop.kind, shop.earned, shop.first_day, shop.last_payment) == (
        ContractKind.HOURLY,
        Decimal("1700.00"),
        date(2026, 9, 14),
        date(2026, 10, 30),
    )  # hourly period start
    assert (logo.kind, logo.earned) == (ContractKind.FIXED, Decimal("700.00"))  # bonus joins its milestones
    assert (landing.earned, landing.refunded) == (Decimal("450.00"), Decimal("150.00"))  # refund found by Ref ID
    assert by_title["Hourly work for Blue Fern Labs"].synthetic_title
    assert result.unattributed == ()


def test_ids_are_valid_stable_and_carry_the_upwork_id() -> None:
    first = [c.derived_id for c in derived("transactions.csv").contracts]
    again = [c.derived_id for c in derived("transactions_reordered.csv").contracts]
    assert first == again and len(set(first)) == len(first)
    assert all(ID.fullmatch(i) for i in first)
    weekly = {c.title: c.derived_id for c in derived("weekly.csv").contracts}
    assert weekly["Data cleanup, CRM import"] == "data-cleanup-crm-import-u38829944"
    long_title = derive_contracts([payment(date(2026, 1, 1), "5", title="Ünïcode " + "very long title " * 20)])
    [contract] = long_title.contracts
    assert ID.fullmatch(contract.derived_id) and contract.derived_id.startswith("unicode-very-long-title")


def test_title_rows_join_the_id_group_of_the_same_title() -> None:
    rows = [payment(date(2026, 1, 5), "100", upwork_id="12345678"), payment(date(2026, 1, 12), "50", line=3)]
    [contract] = derive_contracts(rows).contracts
    assert contract.earned == Decimal("150") and contract.derived_id == "site-fixes-u12345678"


def test_rows_without_any_clue_are_unattributed() -> None:
    lost = payment(date(2026, 1, 5), "20", title=None, client=None)  # type: ignore[arg-type]
    orphan_refund = payment(date(2026, 1, 6), "10", title=None, client=None, category=Category.REFUND)  # type: ignore[arg-type]
    result = derive_contracts([lost, orphan_refund])
    assert result.contracts == () and set(result.unattributed) == {lost, orphan_refund}


def test_new_contracts_start_open_and_need_details() -> None:
    plan = merge([], [derived("transactions.csv")])
    assert plan.count(Action.ADDED) == 4 and all(m.needs_details for m in plan.contracts)
    for m in plan.contracts:
        c = m.contract
        assert c.status is ContractStatus.ACTIVE and c.public_stars is None and c.last_payment is not None
    Ledger(contracts=tuple(m.contract for m in plan.contracts))  # valid as a whole


def test_a_hand_typed_contract_keeps_everything_the_user_typed() -> None:
    mine = typed()
    plan = merge([mine], [derived("transactions.csv")])
    merged = {m.contract.id: m for m in plan.contracts}["shop"]
    c = merged.contract
    assert merged.action is Action.UPDATED and not merged.needs_details  # ended, with feedback: nothing to ask
    assert (c.status, c.ended, c.started, c.public_stars, c.private_rating, c.close_requests, c.title, c.kind) == (
        mine.status,
        mine.ended,
        mine.started,
        mine.public_stars,
        mine.private_rating,
        mine.close_requests,
        mine.title,
        mine.kind,
    )
    # typed $1200 to Sep 25; the export adds the Oct 30 invoice of $500 (not the Sep 25 one: already counted)
    assert c.earnings_usd == Decimal("1700.00") and c.last_payment == date(2026, 10, 30)
    assert c.last_activity == date(2026, 10, 31)  # never moved earlier


def test_earnings_typed_higher_than_the_export_are_kept() -> None:
    mine = typed(earnings_usd=Decimal("9000"), last_payment=date(2026, 10, 30))
    [m] = [m for m in merge([mine], [derived("transactions.csv")]).contracts if m.contract.id == "shop"]
    assert m.action is Action.UNCHANGED and m.contract.earnings_usd == Decimal("9000")


def test_what_does_not_match() -> None:
    later_start = typed(
        started=date(2026, 11, 1),
        ended=date(2026, 11, 20),
        last_activity=date(2026, 11, 20),
        last_payment=None,
        earnings_usd=0,
    )
    other_client = typed("shop2", client="Someone Else")
    plan = merge([later_start, other_client], [derived("transactions.csv")])
    assert not {m.contract.id for m in plan.contracts} & {"shop", "shop2"}
    assert plan.count(Action.ADDED) == 4
    # the Weekly Summary names Upwork contract 38810021: a ledger contract of another Upwork contract is not it
    other_upwork_contract = typed("shopify-store-speed-fixes-u99999999")
    plan = merge([other_upwork_contract], [derived("weekly.csv")])
    assert "shopify-store-speed-fixes-u38810021" in {m.contract.id for m in plan.contracts}
    assert plan.count(Action.ADDED) == 2


def test_a_title_without_client_matches_and_fills_the_placeholder() -> None:
    imported = merge([], [derived("weekly.csv")]).contracts
    data = next(m.contract for m in imported if m.contract.title == "Data cleanup, CRM import")
    assert data.client == PLACEHOLDER_CLIENT
    rows = [
        payment(
            date(2026, 11, 2), "75", title="Data cleanup, CRM import", client="Maple Bakery", kind=ContractKind.FIXED
        )
    ]
    [m] = merge([data], [derive_contracts(rows)]).contracts
    assert m.contract.id == data.id and m.contract.client == "Maple Bakery"
    assert m.contract.earnings_usd == Decimal("600.00")  # 250 + 250 + a 25 bonus, then 75


def test_transactions_then_weekly_make_one_contract_per_job() -> None:
    plan = merge([], [derived("transactions.csv"), derived("weekly.csv")])
    titles = sorted(m.contract.title for m in plan.contracts)
    assert titles.count("Shopify store speed fixes") == 1 and len(titles) == 5
    shop = next(m.contract for m in plan.contracts if m.contract.title == "Shopify store speed fixes")
    assert shop.earnings_usd == Decimal("1700.00") and shop.client == "Northwind Goods"


def test_a_refund_for_an_unknown_contract_is_unattributed() -> None:
    refund = payment(date(2026, 1, 6), "10", title="Never seen", category=Category.REFUND)
    plan = merge([], [derive_contracts([refund])])
    assert plan.contracts == () and plan.unattributed == (refund,)


def test_merging_the_same_export_twice_changes_nothing() -> None:
    first = merge([typed()], [derived("transactions.csv"), derived("weekly.csv")])
    stored = [m.contract for m in first.contracts]
    second = merge(stored, [derived("transactions.csv"), derived("weekly.csv")])
    assert all(m.action is Action.UNCHANGED for m in second.contracts)
    assert [m.contract for m in second.contracts] == [m.contract for m in first.contracts]


PERIODS = given(  # payments over a few weeks, one maybe a refund, cut into two downloads at `cut`
    amounts=st.lists(st.integers(min_value=1, max_value=500_000), min_size=2, max_size=12),
    gaps=st.lists(st.integers(min_value=1, max_value=20), min_size=12, max_size=12),
    cut=st.integers(min_value=1, max_value=11),
    refund_at=st.integers(min_value=0, max_value=11),
)


def dated_rows(amounts: list[int], gaps: list[int], refund_at: int) -> list[Payment]:
    day, rows = date(2025, 1, 1), []
    for index, cents in enumerate(amounts):
        day += timedelta(days=gaps[index])
        category = Category.REFUND if index == refund_at and index else Category.EARNING
        rows.append(payment(day, str(Decimal(cents).scaleb(-2)), category=category, line=index + 2))
    return rows


@settings(max_examples=60, deadline=None)
@PERIODS
def test_periods_imported_in_order_add_up_like_one_import(
    amounts: list[int], gaps: list[int], cut: int, refund_at: int
) -> None:
    """Downloading two date ranges and importing them oldest first equals importing everything at once,
    and importing any part again changes nothing."""
    rows = dated_rows(amounts, gaps, refund_at)
    cut = min(cut, len(rows) - 1)
    whole = merge([], [derive_contracts(rows)])
    step = merge([], [derive_contracts(rows[:cut])])
    step = merge([m.contract for m in step.contracts], [derive_contracts(rows[cut:])])
    assert [m.contract for m in step.contracts] == [m.contract for m in whole.contracts]
    for part in (rows, rows[:cut], rows[cut:]):
        again = merge([m.contract for m in whole.contracts], [derive_contracts(part)])
        assert [m.action for m in again.contracts] == [Action.UNCHANGED] * len(again.contracts)


@settings(max_examples=60, deadline=None)
@PERIODS
def test_periods_imported_newest_first_add_up_like_one_import(
    amounts: list[int], gaps: list[int], cut: int, refund_at: int
) -> None:
    """The older download imported after the newer one still adds what only it shows, because the
    payments already counted are known; and importing any part again changes nothing."""
    rows = dated_rows(amounts, gaps, refund_at)
    cut = min(cut, len(rows) - 1)
    if not any(p.category is Category.EARNING for p in rows[cut:]):
        return  # a refunds-only newer part creates no contract to add the older earnings to
    whole = merge([], [derive_contracts(rows, "transactions")])
    newer = merge([], [derive_contracts(rows[cut:], "transactions")])
    counted = {(p.export_kind, p.key): p for p in newer.counted}
    older = merge([m.contract for m in newer.contracts], [derive_contracts(rows[:cut], "transactions")], counted)
    [got], [want] = [m.contract for m in older.contracts], [m.contract for m in whole.contracts]
    assert (got.earnings_usd, got.refunded_usd, got.last_payment) == (
        want.earnings_usd,
        want.refunded_usd,
        want.last_payment,
    )
    counted |= {(p.export_kind, p.key): p for p in older.counted}
    assert len(counted) == len(rows), "every payment counted exactly once"
    for part in (rows, rows[:cut], rows[cut:]):
        again = merge([got], [derive_contracts(part, "transactions")], counted)
        assert [m.action for m in again.contracts] == [Action.UNCHANGED] and not again.counted


def test_payments_counted_for_a_contract_are_not_counted_again_for_a_new_one() -> None:
    """The user renamed the contract the export's rows went to (id and title): nothing matches it any
    more, but its payments were counted already, so no duplicate contract appears with the same money."""
    rows = [payment(date(2025, 3, 1), "400.00"), payment(date(2025, 3, 8), "250.00", line=3)]
    first = merge([], [derive_contracts(rows, "transactions")])
    [made] = [m.contract for m in first.contracts]
    renamed = made.model_copy(update={"id": "website", "title": "Website rebuild", "client": "Acme Ltd"})
    counted = {(p.export_kind, p.key): replace(p, contract_id="website") for p in first.counted}
    again = merge([renamed], [derive_contracts(rows, "transactions")], counted)
    assert again.contracts == () and again.counted == ()
    # The same rows from the other export kind are a view of their own: counted, never added twice.
    weekly = merge([made], [derive_contracts(rows, "weekly")], counted)
    [m] = weekly.contracts
    assert m.contract.earnings_usd == Decimal("650.00") and len(weekly.counted) == 2
