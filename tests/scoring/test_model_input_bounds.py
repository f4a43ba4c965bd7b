"""The model's own bounds (scoring/model.py), which every import and form goes through: days the engine
can compute with, JSON too deep for json.loads' recursion, numbers too long for int() or Decimal."""

from __future__ import annotations

from datetime import date

import pytest

from scoring.model import EARLIEST_DAY, LATEST_DAY, LedgerError, json_depth_exceeds, parse_ledger_json
from tests.builders import ledger_json, make_contract


@pytest.mark.parametrize(("field", "day"), [("started", date(1, 1, 1)), ("last_activity", date(9999, 12, 31))])
def test_days_outside_the_engines_range_are_refused_by_name(field: str, day: date) -> None:
    text = ledger_json([make_contract("c1")]).replace(
        '"2024-01-10"' if field == "started" else '"2024-03-01"', f'"{day}"'
    )
    with pytest.raises(
        LedgerError, match=f"contract #1 'c1', field '{field}': {day} is outside {EARLIEST_DAY} to {LATEST_DAY}"
    ):
        parse_ledger_json(text)


def test_depth_is_checked_outside_strings_only() -> None:
    assert not json_depth_exceeds(b'{"a": [{"b": "[[[[[[[[[[\\"[[[["}]}', 3)
    assert json_depth_exceeds(b'{"a": [{"b": [[]]}]}', 3)
    assert json_depth_exceeds(b"[" * 100_000, 8)
    with pytest.raises(LedgerError, match="nest deeper than 8"):
        parse_ledger_json("[" * 100_000 + "]" * 100_000)


def test_ordinary_numbers_keep_their_exact_value() -> None:
    ledger = parse_ledger_json(ledger_json([make_contract("c1", private_rating=7)]).replace("1500", "1500.1"))
    assert str(ledger.contracts[0].earnings_usd) == "1500.1" and ledger.contracts[0].private_rating == 7
