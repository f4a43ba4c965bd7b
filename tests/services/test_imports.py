"""The import service on a real SQLite store: summary, all-or-nothing, idempotence, merging, details."""

from __future__ import annotations

import json
from collections.abc import Awaitable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.render import Answer
from bot.services import ServiceError, Services, build_services
from bot.services.imports import ImportService
from bot.store import LedgerStore
from scoring.model import ContractStatus, Ledger, ledger_to_json_data
from tests.samples import sample

USER = "dana"
SHOP = "shopify-store-speed-fixes-3a9bd0"
LANDING = "landing-page-copy-04bf54"
BLUE_FERN = "hourly-work-for-blue-fern-labs-0e9642"
DATA_CLEANUP = "data-cleanup-crm-import-u38829944"


async def expect_bad_input(awaitable: Awaitable[Any], *fragments: str) -> Answer:
    with pytest.raises(ServiceError) as caught:
        await awaitable
    answer = caught.value.answer
    assert answer.data["error"] == "bad_input", answer.data
    for fragment in fragments:
        assert fragment in answer.description, (fragment, answer.description)
    return answer


async def test_import_summary_and_stored_contracts(importer: ImportService, store: LedgerStore) -> None:
    result = await importer.import_csv(USER, [sample("transactions.csv"), sample("weekly.csv")])
    assert (result.summary.added, result.summary.updated, result.summary.unchanged) == (5, 0, 0)
    answer = result.answer
    assert answer.kind == "import_csv" and answer.title == "CSV import: 5 added, 0 updated, 0 unchanged"
    assert "1 Connects purchase, 8 fee or tax rows, 2 withdrawals." in answer.description
    assert {"WT-EARNINGS-TIERS", "X-REFUND", "X-NO-FEEDBACK"} <= set(answer.rule_ids)
    assert answer.data["needs_details"] == [c.id for c in result.needs_details] and len(result.needs_details) == 5
    stored = {c.id: c for c in await store.list_contracts(USER)}
    assert set(stored) == {SHOP, LANDING, BLUE_FERN, DATA_CLEANUP, "logo-refresh-brand-kit-fc316c"}
    shop = stored[SHOP]
    assert (shop.earnings_usd, shop.started, shop.last_payment, shop.status) == (
        Decimal("1700.00"),
        date(2026, 9, 14),
        date(2026, 10, 30),
        ContractStatus.ACTIVE,
    )
    assert (stored[LANDING].earnings_usd, stored[LANDING].refunded_usd, stored[LANDING].net_earnings) == (
        Decimal("450.00"),
        Decimal("150.00"),
        Decimal("300.00"),
    )
    assert stored[DATA_CLEANUP].client == "Unknown client"
    audit = await store.audit_log(USER, 1)
    assert audit[0].action == "ledger.import" and audit[0].detail["added"] == 5


async def test_importing_the_same_files_twice_changes_nothing(
    importer: ImportService, advisor: Services, store: LedgerStore
) -> None:
    files = [sample("transactions.csv"), sample("weekly.csv")]
    await importer.import_csv(USER, files)
    before = await advisor.ledger.export_ledger(USER)
    second = await importer.import_csv(USER, files)
    assert (second.summary.added, second.summary.updated, second.summary.unchanged) == (0, 0, 5)
    assert second.answer.title == "CSV import: 0 added, 0 updated, 5 unchanged"
    assert await advisor.ledger.export_ledger(USER) == before  # byte-identical
    third = await importer.import_csv(USER, [sample("transactions_reordered.csv")])  # same rows, other layout
    assert third.summary.changed is False and await advisor.ledger.export_ledger(USER) == before


async def test_files_together_or_one_by_one_give_the_same_ledger(store: LedgerStore, importer: ImportService) -> None:
    await importer.import_csv("together", [sample("transactions.csv"), sample("transactions_later.csv")])
    await importer.import_csv("apart", [sample("transactions.csv")])
    await importer.import_csv("apart", [sample("transactions_later.csv")])
    together, apart = await store.list_contracts("together"), await store.list_contracts("apart")
    assert together == apart
    shop = next(c for c in together if c.id == SHOP)
    assert shop.earnings_usd == Decimal("2500.00") and shop.last_payment == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("malformed_date.csv", "malformed_date.csv, line 4, column 'Date'"),
        ("malformed_amount.csv", "malformed_amount.csv, line 3, column 'Amount'"),
        ("malformed_missing_column.csv", "'Amount' missing"),
        ("malformed_short_row.csv", "malformed_short_row.csv, line 3, column 'Amount'"),
    ],
)
async def test_malformed_files_change_nothing(
    importer: ImportService, advisor: Services, name: str, fragment: str
) -> None:
    await importer.import_csv(USER, [sample("weekly.csv")])
    before = await advisor.ledger.export_ledger(USER)
    answer = await expect_bad_input(
        importer.import_csv(USER, [sample("transactions.csv"), sample(name)]), "nothing was imported", fragment
    )
    assert answer.title == "That input is not valid"
    assert await advisor.ledger.export_ledger(USER) == before


async def test_limits(importer: ImportService) -> None:
    await expect_bad_input(importer.import_csv(USER, []), "at least one")
    await expect_bad_input(importer.import_csv(USER, [sample("weekly.csv")] * 5), "at most 4 files")
    await expect_bad_input(importer.import_csv(USER, [("big.csv", b"x" * 2_000_001)]), "larger than 2 MB")


async def test_a_hand_typed_contract_keeps_status_and_feedback(
    importer: ImportService, advisor: Services, store: LedgerStore
) -> None:
    mine = {
        "id": "acme-shop",
        "title": "Shopify Store Speed Fixes",
        "client": "northwind goods",
        "kind": "hourly",
        "status": "ended",
        "started": "2026-09-10",
        "ended": "2026-10-31",
        "last_activity": "2026-10-31",
        "last_payment": "2026-09-25",
        "earnings_usd": 1200,
        "public_stars": 4.5,
        "private_rating": 8,
        "disputed": False,
        "close_requests": ["2026-10-20"],
    }
    await advisor.ledger.import_ledger(USER, json.dumps({"format": "jss-ledger/1", "contracts": [mine]}))
    result = await importer.import_csv(USER, [sample("transactions.csv")])
    assert (result.summary.added, result.summary.updated) == (3, 1)
    stored = await store.get_contract(USER, "acme-shop")
    assert stored is not None
    assert (
        stored.status.value,
        str(stored.ended),
        str(stored.started),
        stored.public_stars,
        stored.private_rating,
        stored.title,
        stored.client,
        [str(d) for d in stored.close_requests],
    ) == ("ended", "2026-10-31", "2026-09-10", 4.5, 8, "Shopify Store Speed Fixes", "northwind goods", ["2026-10-20"])
    assert stored.earnings_usd == Decimal("1700.00") and str(stored.last_payment) == "2026-10-30"
    assert "acme-shop" not in [c.id for c in result.needs_details]  # ended with feedback: nothing to ask
    assert await store.get_contract(USER, SHOP) is None  # not duplicated


async def test_a_future_row_is_refused(store: LedgerStore) -> None:
    early = build_services(store, clock=FixedClock.on(date(2026, 10, 1))).imports
    await expect_bad_input(early.import_csv(USER, [sample("transactions.csv")]), "is in the future")
    assert await store.count_contracts(USER) == 0


async def test_only_fees_imports_nothing(importer: ImportService, store: LedgerStore) -> None:
    raw = (
        b'"Date","Ref ID","Type","Description","Amount"\n'
        b'"Oct 01, 2026","1","Membership Fee","Fees for additional Connects (80).","-$12.00"\n'
    )
    result = await importer.import_csv(USER, [("fees.csv", raw)])
    assert result.summary.changed is False and result.needs_details == ()
    assert await store.count_contracts(USER) == 0 and await store.audit_log(USER) == []


# -- details the exports lack ---------------------------------------------------------------------------------


async def test_set_details(importer: ImportService, store: LedgerStore) -> None:
    await importer.import_csv(USER, [sample("transactions.csv"), sample("weekly.csv")])
    answer = await importer.set_details(USER, LANDING, status="ended", public_stars="4,8", private_rating="9")
    assert answer.kind == "contract_details" and answer.title == "Saved: Landing page copy"
    landing = await store.get_contract(USER, LANDING)
    assert landing is not None
    assert (landing.status, landing.ended, landing.public_stars, landing.private_rating) == (
        ContractStatus.ENDED,
        landing.last_activity,
        4.8,
        9,
    )  # the end defaults to the last activity
    await importer.set_details(USER, LANDING, ended="2026-10-20", public_stars="", private_rating="")
    landing = await store.get_contract(USER, LANDING)
    assert landing is not None and (str(landing.ended), landing.public_stars, landing.private_rating) == (
        "2026-10-20",
        None,
        None,
    )
    await importer.set_details(USER, LANDING, status="still open")
    landing = await store.get_contract(USER, LANDING)
    assert landing is not None and (landing.status, landing.ended) == (ContractStatus.ACTIVE, None)
    await importer.set_details(
        USER, DATA_CLEANUP, client="Maple Bakery", public_stars="★★★★★", status="closed", ended=date(2026, 11, 1)
    )
    cleanup = await store.get_contract(USER, DATA_CLEANUP)
    assert cleanup is not None and (cleanup.client, cleanup.public_stars, str(cleanup.ended)) == (
        "Maple Bakery",
        5.0,
        "2026-11-01",
    )
    unchanged = await importer.set_details(USER, DATA_CLEANUP)
    assert unchanged.title == "No change: Data cleanup, CRM import"


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"status": "maybe"}, "type open or ended"),
        ({"public_stars": "6"}, "from 1 to 5"),
        ({"public_stars": "nan"}, "from 1 to 5"),
        ({"private_rating": "11"}, "0 to 10"),
        ({"private_rating": "8.5"}, "0 to 10"),
        ({"status": "ended", "ended": "2026-13-01"}, "not a date"),
        ({"status": "ended", "ended": "2026-12-24"}, "in the future"),
        ({"ended": "2026-01-01"}, "before the contract started"),
    ],
)
async def test_bad_details_are_refused_and_change_nothing(
    importer: ImportService, store: LedgerStore, fields: dict[str, str], fragment: str
) -> None:
    await importer.import_csv(USER, [sample("transactions.csv")])
    before = await store.get_contract(USER, LANDING)
    await expect_bad_input(importer.set_details(USER, LANDING, **fields), fragment)
    assert await store.get_contract(USER, LANDING) == before


async def test_details_for_a_missing_contract(importer: ImportService) -> None:
    with pytest.raises(ServiceError) as caught:
        await importer.set_details(USER, "nope", status="ended")
    assert caught.value.answer.data["error"] == "not_found"


async def test_imported_ledgers_evaluate(importer: ImportService, advisor: Services) -> None:
    """What the import stores is a ledger the engine accepts as it is."""
    await importer.import_csv(USER, [sample("transactions.csv"), sample("weekly.csv")])
    exported = json.loads(await advisor.ledger.export_ledger(USER))
    assert Ledger.model_validate(exported).contracts
    assert ledger_to_json_data(Ledger.model_validate(exported))["contracts"]
    score = await advisor.answers.score(USER)
    assert score.kind == "score"


def split_by_month(name: str, newer_months: tuple[str, ...]) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """Two downloads of one export: (older rows, newer rows), as Upwork gives date ranges."""
    text = sample(name)[1].decode("utf-8-sig")
    header, *rows = [line for line in text.splitlines() if line.strip()]
    newer = [r for r in rows if r.startswith(tuple(f'"{m}' for m in newer_months))]
    older = [r for r in rows if r not in newer]
    assert older and newer
    return (("older.csv", "\n".join([header, *older]).encode()), ("newer.csv", "\n".join([header, *newer]).encode()))


async def test_an_older_download_imported_after_a_newer_one_adds_its_earnings(
    importer: ImportService, store: LedgerStore
) -> None:
    older, newer = split_by_month("transactions.csv", ("Oct", "Nov"))
    await importer.import_csv("whole", [sample("transactions.csv")])
    want = {c.id: (c.earnings_usd, c.refunded_usd, c.last_payment) for c in await store.list_contracts("whole")}

    await importer.import_csv(USER, [newer])
    await importer.import_csv(USER, [older])
    got = {c.id: (c.earnings_usd, c.refunded_usd, c.last_payment) for c in await store.list_contracts(USER)}
    assert got == want

    counted = await store.counted_payments(USER)
    assert len({(p.export_kind, p.key) for p in counted}) == len(counted) == len(await store.counted_payments("whole"))
    again = await importer.import_csv(USER, [older, newer, sample("transactions.csv")])
    assert again.summary.changed is False and len(await store.counted_payments(USER)) == len(counted)


async def test_a_refund_whose_payment_is_in_an_older_download_waits_for_it(
    importer: ImportService, store: LedgerStore
) -> None:
    """Newest download first: its refund names a payment only the older download holds. It used to be
    reported "not matched" and dropped for good; now it is kept, said to be waiting, and netted against
    the right contract when the older download comes, whatever the order (all or nothing, once)."""
    older, newer = split_by_month("transactions.csv", ("Oct 16", "Oct 2", "Oct 3", "Nov"))
    await importer.import_csv("whole", [sample("transactions.csv")])
    want = {c.id: c for c in await store.list_contracts("whole")}

    with pytest.raises(ServiceError):  # one unreadable file: nothing stored, nothing kept
        await importer.import_csv(USER, [newer, sample("malformed_amount.csv")])
    assert await store.imports.pending_refunds(USER) == []

    first = await importer.import_csv(USER, [newer])
    assert LANDING not in {c.id for c in await store.list_contracts(USER)}
    assert [w["amount_usd"] for w in first.answer.data["waiting_refunds"]] == ["150.00"]
    waiting = next(f for f in first.answer.fields if f.name == "Refunds waiting for their payment (1)")
    assert "kept" in waiting.value and "- $150 refunded 2026-10-16 (Fri) (newer.csv line 8)" in waiting.value
    assert first.answer.data["unattributed"] == []
    kept = await store.imports.pending_refunds(USER)
    assert [(p.day, p.amount_cents) for p in kept] == [(date(2026, 10, 16), 15000)]

    again = await importer.import_csv(USER, [newer])
    assert again.summary.changed is False and await store.imports.pending_refunds(USER) == kept

    await importer.import_csv(USER, [older])
    assert {c.id: c for c in await store.list_contracts(USER)} == want
    assert await store.imports.pending_refunds(USER) == []
    assert len(await store.counted_payments(USER)) == len(await store.counted_payments("whole"))
    last = await importer.import_csv(USER, [sample("transactions.csv"), newer, older])
    assert last.summary.changed is False and last.answer.data["waiting_refunds"] == []
    await store.forget_user(USER)
    assert await store.imports.pending_refunds(USER) == []


async def test_counted_payments_follow_their_contract(importer: ImportService, store: LedgerStore) -> None:
    """Renamed: they follow it (no duplicate on the next import). Removed or forgotten: they go with it."""
    await importer.import_csv(USER, [sample("transactions.csv")])
    renamed = await store.rename_contract(USER, SHOP, "shop")
    assert {p.contract_id for p in await store.counted_payments(USER)} >= {"shop"}
    again = await importer.import_csv(USER, [sample("transactions.csv")])
    assert again.summary.added == 0 and (await store.get_contract(USER, "shop")) == renamed
    await store.remove_contract(USER, "shop")
    assert "shop" not in {p.contract_id for p in await store.counted_payments(USER)}
    await store.forget_user(USER)
    assert await store.counted_payments(USER) == []


async def test_a_long_import_says_how_many_and_where_the_rest_are(importer: ImportService) -> None:
    """The summary lists the first contracts; the heading counts them all and the rest are one command away
    (it used to say "- and 5 more" with no way to see them in Discord)."""
    header = '"Date","Ref ID","Type","Description","Agency","Freelancer","Team","Account Name","PO","Amount",'
    header += '"ExchangeRate","Currency","Balance"'
    rows = [
        f'"Oct {n + 1:02d}, 2026","70{n:07d}","Fixed Price","Invoice for Milestone 1 - Job number {n}","","Dana Kim",'
        f'"Client {n}","Client {n}","","$100.00","","","$0.00"'
        for n in range(20)
    ]
    result = await importer.import_csv(USER, [("many.csv", "\n".join([header, *rows]).encode())])
    assert result.summary.added == 20
    contracts = next(f for f in result.answer.fields if f.name.startswith("Contracts"))
    assert contracts.name == "Contracts (20)"
    assert contracts.value.count("\n- ") + 1 == 15 and contracts.value.endswith(
        "5 more: `jss-advisor contracts list` shows every contract."
    )
