"""The bounds every entry path shares (bot/services/inputs.py), through the services Discord uses too:
no day before 1990 or after today (+ 2 days for time zones) is stored, no amount too long for the model
reaches Decimal or int(), and a reminder id SQLite cannot hold is "not found", not an OverflowError."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from bot.services import ServiceError, Services
from bot.services.inputs import (
    ENTRY_MARGIN_DAYS,
    as_of_range,
    check_entry_day,
    contract_from_fields,
    parse_date,
    parse_money,
)
from scoring.model import LedgerError
from tests.builders import ledger_json, make_contract
from tests.samples import AS_OF

LATEST = AS_OF + timedelta(days=ENTRY_MARGIN_DAYS)
FIELDS = {"id": "n1", "title": "t", "client": "c", "kind": "hourly", "status": "active", "earnings_usd": "5"}


def message(raised: pytest.ExceptionInfo[ServiceError]) -> str:
    return raised.value.answer.data["message"]


def test_a_5000_digit_amount_is_refused_before_decimal() -> None:
    with pytest.raises(LedgerError, match="field 'earnings_usd': '9+…' is too large for an amount"):
        parse_money("9" * 5000, "earnings_usd")
    assert parse_money("$999,999,999,999.99") == parse_money("999999999999.99")


def test_entry_days_are_bounded_by_1990_and_today_plus_a_margin() -> None:
    assert check_entry_day(LATEST, "on", AS_OF) == LATEST
    with pytest.raises(LedgerError, match=r"field 'on': .* is in the future \(after " + LATEST.isoformat()):
        check_entry_day(LATEST + timedelta(days=1), "on", AS_OF)
    with pytest.raises(LedgerError, match="field 'started': 1989-12-31 is before 1990-01-01"):
        contract_from_fields({**FIELDS, "started": "1989-12-31"}, today=AS_OF)
    with pytest.raises(LedgerError, match="field 'started': 0001-01-01 is before"):
        parse_date("0001-01-01", "started")


def test_as_of_reaches_from_the_jss_start_to_five_years_ahead() -> None:
    assert as_of_range(date(2026, 2, 15)) == (date(2015, 1, 1), date(2031, 12, 31))


async def test_future_dates_are_refused_at_entry(services: Services) -> None:
    await services.ledger.add_contract("u1", {**FIELDS, "started": "2026-01-01"})
    with pytest.raises(ServiceError) as added:
        await services.ledger.add_contract("u1", {**FIELDS, "id": "n2", "started": "2030-01-01"})
    assert "field 'started': 2030-01-01 is in the future" in message(added)
    with pytest.raises(ServiceError) as edited:
        await services.ledger.edit_contract("u1", "n1", {"last_activity": "2099-01-01"})
    assert "field 'last_activity'" in message(edited)
    with pytest.raises(ServiceError) as asked:
        await services.ledger.asked_client("u1", "n1", date(2099, 1, 1))
    assert "field 'on': 2099-01-01 is in the future" in message(asked)
    assert [c.id for c in await services.ledger.ctx.store.list_contracts("u1")] == ["n1"]
    assert (await services.ledger.contract("u1", "n1")).close_requests == ()


async def test_an_import_with_a_future_contract_names_it_and_stores_nothing(services: Services) -> None:
    good = make_contract("ok", started=date(2025, 1, 1), last_activity=date(2025, 2, 1))
    late = make_contract(
        "late", started=date(2025, 1, 1), last_activity=date(2025, 2, 1), close_requests=(LATEST + timedelta(days=1),)
    )
    with pytest.raises(ServiceError) as raised:
        await services.ledger.import_ledger("u1", ledger_json([good, late]))
    assert message(raised).startswith("nothing was imported: contract #2 'late', field 'close_requests'")
    assert await services.ledger.ctx.store.list_contracts("u1") == []


@pytest.mark.parametrize("number", ["9" * 5000, "1e999999999", "1e-999999999", "-" + "9" * 40])
async def test_absurd_json_numbers_name_their_field(services: Services, number: str) -> None:
    data = json.loads(ledger_json([make_contract("c1")]))
    text = json.dumps(data).replace('"private_rating": null', f'"private_rating": {number}')
    assert number in text
    with pytest.raises(ServiceError) as raised:
        await services.ledger.import_ledger("u1", text)
    assert "contract #1 'c1', field 'private_rating'" in message(raised)


async def test_deep_json_is_refused_before_decoding(services: Services) -> None:
    with pytest.raises(ServiceError) as raised:
        await services.ledger.import_ledger("u1", "[" * 100_000 + "]" * 100_000)
    assert "brackets nest deeper than" in message(raised)


async def test_recorded_scores_start_with_the_jss_and_old_ones_are_ignored(loaded: Services) -> None:
    with pytest.raises(ServiceError) as raised:
        await loaded.history.record_score("u1", 80, date(2010, 1, 1))
    assert "2010-01-01 is before 2015-01-01" in message(raised)
    await loaded.ledger.ctx.store.record_snapshot("u1", date(1, 1, 1), 80)  # stored before the check existed
    await loaded.history.record_score("u1", 90, AS_OF)
    with pytest.raises(ServiceError) as why:
        await loaded.history.explain_change("u1")
    assert "at least twice" in message(why)
    with pytest.raises(ServiceError) as given:
        await loaded.history.explain_change("u1", date(1, 1, 1), AS_OF)
    assert "field 'from': 0001-01-01 is before 2015-01-01" in message(given)


@pytest.mark.parametrize("reminder_id", [2**63, 10**20, 0, -1])
async def test_snoozing_a_reminder_id_sqlite_cannot_hold_is_not_found(services: Services, reminder_id: int) -> None:
    with pytest.raises(ServiceError) as raised:
        await services.reminders.snooze("u1", reminder_id)
    assert raised.value.answer.data["error"] == "not_found"
