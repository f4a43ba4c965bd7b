"""Any export, cut into overlapping downloads, gives the ledger the whole export gives (every layout).

A freelancer downloads their history in pieces (Upwork limits the date range of one download) and the
pieces overlap where the ranges were chosen generously. Whether the pieces come together in one import
or one by one in any order (oldest first as a person catches up, newest first as a person starts
with this year and then goes back, or shuffled), the ledger must be the one the whole file gives,
and importing any piece again must change nothing. The pieces are cut from each layout's own fixture,
header (and byte-order mark) repeated, rows kept byte for byte.
"""

from __future__ import annotations

import csv
import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.importers.cells import parse_day
from bot.importers.merge import Action
from scoring.model import ContractKind
from tests.samples import UPWORK

from .pipeline import Ledger

LAYOUT_FIXTURES = (
    "transactions.csv",  # before 2025, ExchangeRate
    "transactions_local_currency.csv",  # before 2025, Amount in local currency
    "transactions_2025.csv",  # since 2025
    "transactions_2025_entered.csv",  # since late 2025, Entered Description
    "weekly.csv",  # Weekly Summary, daily rows
    "weekly_daily.csv",
)


def split(name: str) -> tuple[bytes, list[bytes]]:
    """The header line and the row lines, oldest first: a download is a range of dates."""
    raw = (UPWORK / name).read_bytes()
    header, *rows = [line for line in raw.splitlines(keepends=True) if line.strip()]
    column = next(csv.reader([header.decode("utf-8-sig")])).index("Date")

    def day(row: bytes) -> date:
        return parse_day(next(csv.reader([row.decode()]))[column])

    return header, sorted(rows, key=day)


def pieces(rows: list[bytes], cuts: list[int], overlaps: list[int]) -> list[list[bytes]]:
    """Contiguous runs of rows covering them all, each reaching `overlap` rows back into the one before."""
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(rows)}), len(rows)]
    return [
        rows[max(0, start - (overlaps[index] if index else 0)) : end]
        for index, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False))
    ]


DOWNLOADS = given(
    name=st.sampled_from(LAYOUT_FIXTURES),
    cuts=st.lists(st.integers(min_value=1, max_value=18), max_size=4),
    overlaps=st.lists(st.integers(min_value=0, max_value=4), min_size=5, max_size=5),
    order=st.randoms(use_true_random=False),
)


@settings(max_examples=120, deadline=None)
@DOWNLOADS
def test_overlapping_downloads_give_the_ledger_of_the_whole_export(
    name: str, cuts: list[int], overlaps: list[int], order: random.Random
) -> None:
    header, rows = split(name)
    whole = Ledger()
    whole.load([(name, header + b"".join(rows))])
    files = [(f"part{i}.csv", header + b"".join(part)) for i, part in enumerate(pieces(rows, cuts, overlaps))]

    together = Ledger()
    together.load(files)
    assert together.contracts == whole.contracts

    one_by_one = Ledger()
    for file in files:  # oldest download first
        one_by_one.load([file])
    assert one_by_one.contracts == whole.contracts
    assert len(one_by_one.counted) == len(whole.counted), "each payment counted once"

    for shuffled in (files[::-1], order.sample(files, len(files))):  # newest first, any order
        any_order = Ledger()
        for file in shuffled:
            any_order.load([file])
        assert any_order.contracts == whole.contracts
        assert any_order.counted.keys() == whole.counted.keys(), "each payment counted once"
        assert not any_order.pending, "every refund found its earning"

    for file in files:  # any download again: nothing changes, nothing is counted twice
        assert set(whole.load([file])) <= {Action.UNCHANGED}
    assert len(whole.counted) == len(one_by_one.counted)


@pytest.mark.parametrize("name", LAYOUT_FIXTURES)
def test_every_fixture_is_cut_into_several_pieces(name: str) -> None:
    """The strategy above reaches every row of every fixture (none is longer than its cut range)."""
    _, rows = split(name)
    assert 2 <= len(rows) <= 19
    assert sum(len(p) for p in pieces(rows, [1, 3, 5], [0, 1, 2, 0, 0])) == len(rows) + 3


def test_a_contract_first_seen_through_a_bonus_becomes_hourly_when_its_hours_arrive() -> None:
    """Found by the property above: the download holding only a bonus came first, the contract was created
    fixed-price (a bonus says nothing of the type) and kept that type when its hourly days came in later."""
    header, rows = split("weekly_daily.csv")
    whole = Ledger()
    whole.load([("weekly_daily.csv", header + b"".join(rows))])
    files = [header + b"".join(part) for part in pieces(rows, [5, 6], [0] * 5)]
    bonus_first = Ledger()
    for index in (1, 0, 2):
        bonus_first.load([(f"part{index}.csv", files[index])])
    assert bonus_first.contracts == whole.contracts
    [front_end] = [c for c in whole.contracts.values() if c.title == "HTML Front End Dev"]
    assert bonus_first.contracts[front_end.id].kind is front_end.kind is ContractKind.HOURLY


def test_a_kind_the_user_chose_is_kept() -> None:
    """Evidence moves only a kind the payments implied: once the user changed it, it is theirs."""
    header, rows = split("weekly_daily.csv")
    files = [header + b"".join(part) for part in pieces(rows, [5, 6], [0] * 5)]
    ledger = Ledger()
    ledger.load([("first.csv", files[0])])
    [contract_id] = [cid for cid, c in ledger.contracts.items() if c.title == "Bootstrap5 Expert"]
    assert ledger.contracts[contract_id].kind is ContractKind.HOURLY
    ledger.contracts[contract_id] = ledger.contracts[contract_id].model_copy(update={"kind": ContractKind.FIXED})
    ledger.load([("later.csv", files[2])])  # more hourly days of the same contract
    assert ledger.contracts[contract_id].kind is ContractKind.FIXED
