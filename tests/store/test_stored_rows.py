"""Contracts read back by the engine workers (bot/store/reader.py) are built without pydantic's validation
(`rows.stored_row_to_contract`): the same Contracts as the validating path, and a row the model would refuse
still goes through that path and its clear error."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bot.store import LedgerStore, StoreError
from bot.store.contract_sql import SELECT_CONTRACTS
from bot.store.reader import close_readers, read_contracts
from bot.store.rows import contract_to_row, request_dates, row_to_contract, stored_row_to_contract
from scoring.model import Contract, Ledger
from tests.builders import full_contract, make_contract

USER = "u1"


def _same(built: Contract, validated: Contract) -> None:
    assert built == validated and repr(built) == repr(validated)
    assert built.model_fields_set == validated.model_fields_set
    assert list(built.__dict__) == list(validated.__dict__)
    for name, value in validated.__dict__.items():
        assert type(built.__dict__[name]) is type(value), name
    assert built.model_dump_json() == validated.model_dump_json()
    assert built.model_copy(update={"title": "renamed"}).title == "renamed"


@pytest.mark.parametrize(
    "contract",
    [
        make_contract("plain"),
        full_contract(),
        make_contract("fixed.1", kind="fixed", escrow_usd="250.50", milestone_submitted=date(2024, 2, 1)),
        make_contract("paused", status="paused", public_stars=5.0, private_rating=10, last_payment=date(2024, 2, 2)),
        make_contract("ended_", status="ended", ended=date(2024, 3, 1), close_requests=(date(2024, 2, 1),)),
    ],
)
def test_a_stored_row_becomes_the_same_contract_as_validation_makes(contract: Contract) -> None:
    row, requests = contract_to_row(contract), request_dates(contract)
    _same(stored_row_to_contract(row, requests), row_to_contract(row, requests))


async def test_the_workers_reader_returns_what_the_store_lists(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    contracts = (full_contract(), make_contract("b"), make_contract("c", status="on_hold", public_stars=3.5))
    async with await LedgerStore.open(path) as store:
        await store.import_ledger(USER, Ledger(contracts=contracts), "replace")
        listed = await store.list_contracts(USER)
        try:
            read = read_contracts(str(path), USER)
        finally:
            close_readers()
    assert len(read) == 3
    for built, validated in zip(read, listed, strict=True):
        _same(built, validated)


async def test_the_reader_orders_and_attaches_close_requests_as_the_store_does(tmp_path: Path) -> None:
    """Order by start day then id (ties on the day included), each contract with its own close requests only
    (another user's requests for a contract of the same id are not theirs)."""
    path = tmp_path / "ledger.db"
    day = date(2024, 1, 10)
    asked = {"b-2": (date(2024, 2, 9), date(2024, 2, 1), date(2024, 2, 20)), "a-1": (date(2024, 3, 1),)}
    mine = [
        make_contract(cid, started=start, close_requests=asked.get(cid, ()))
        for cid, start in (("z-9", date(2023, 5, 1)), ("b-2", day), ("a-1", day), ("B-3", day), ("m", date(2023, 9, 9)))
    ]
    theirs = [make_contract("a-1", close_requests=(date(2024, 2, 2),)), make_contract("m", close_requests=(day,))]
    async with await LedgerStore.open(path) as store:
        await store.import_ledger(USER, Ledger(contracts=tuple(mine)), "replace")
        await store.import_ledger("u2", Ledger(contracts=tuple(theirs)), "replace")
        listed = await store.list_contracts(USER)
        try:
            read = read_contracts(str(path), USER)
        finally:
            close_readers()
    assert [c.id for c in read] == ["z-9", "m", "B-3", "a-1", "b-2"]
    assert [c.id for c in read] == [c.id for c in listed]
    assert read[4].close_requests == (date(2024, 2, 1), date(2024, 2, 9), date(2024, 2, 20))
    assert read[3].close_requests == (date(2024, 3, 1),) and read[1].close_requests == ()
    for built, validated in zip(read, listed, strict=True):
        _same(built, validated)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("started", "1980-01-01"),  # a day the model refuses (the table's CHECK accepts any real date)
        ("last_activity", "2023-01-01"),  # before the start
        ("last_activity", "2999-01-01"),  # after the last day the model takes
        ("last_payment", "2023-01-01"),  # paid before the start
        ("milestone_submitted", "1985-06-01"),  # a day the model refuses, not tied to the start
        ("title", " padded "),  # the model strips: validation decides what it becomes
        ("contract_id", "bad id!"),
        ("client", b"bytes"),  # a BLOB keeps its type (the length CHECK passes)
        ("earnings_cents", 10**15),  # more digits than the model's money has
    ],
)
async def test_a_row_edited_by_hand_is_validated_the_slow_way(tmp_path: Path, column: str, value: object) -> None:
    path = tmp_path / "ledger.db"
    async with await LedgerStore.open(path) as store:
        await store.import_ledger(USER, Ledger(contracts=(make_contract("c1"),)), "replace")
    with sqlite3.connect(path) as edit:
        edit.execute(f"UPDATE contracts SET {column} = ?", (value,))  # noqa: S608 - a column name of this test
        row = edit.execute(SELECT_CONTRACTS, (USER,)).fetchone()
    stored, requests = tuple(row[:-1]), ()
    try:
        expected: Contract | str = row_to_contract(stored, requests)
    except StoreError as exc:
        expected = str(exc)
    if isinstance(expected, str):
        with pytest.raises(StoreError, match="damaged") as caught:
            stored_row_to_contract(stored, requests)
        assert str(caught.value) == expected
    else:
        _same(stored_row_to_contract(stored, requests), expected)
