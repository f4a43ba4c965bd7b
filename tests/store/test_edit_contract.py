"""Editing a contract's fields and id is all or nothing: a refused rename leaves the fields as they were too.

Checked at the store, through the ledger service, and through the console (`contracts edit c1 --id c2`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.render import OutputFormat
from bot.services import ServiceError, build_services
from bot.store import ContractExistsError, ContractNotFoundError, InvalidIdError, LedgerStore
from tests.builders import FakeClock, make_contract

A = "111111111111111111"


async def two_contracts(path: Path) -> None:
    async with await LedgerStore.open(path, clock=FakeClock()) as store:
        await store.add_contract(A, make_contract("c1", title="Original"))
        await store.add_contract(A, make_contract("c2", title="Second"))


async def titles(path: Path) -> dict[str, str]:
    async with await LedgerStore.open(path) as store:
        return {c.id: c.title for c in await store.list_contracts(A)}


async def test_store_edit_renames_and_updates_in_one_transaction(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("c1", title="Original"))
    edited = await store.contracts.edit_contract(A, make_contract("c1", title="Changed"), "c9")
    assert edited.id == "c9" and edited.title == "Changed"
    assert [(c.id, c.title) for c in await store.list_contracts(A)] == [("c9", "Changed")]
    actions = [entry.action for entry in await store.audit_log(A)]
    assert actions[:2] == ["contract.rename", "contract.update"]


@pytest.mark.parametrize(
    ("new_id", "error"),
    [("c2", ContractExistsError), ("bad id!", InvalidIdError)],
    ids=["taken", "invalid"],
)
async def test_store_edit_refused_rename_keeps_the_old_fields(
    store: LedgerStore, new_id: str, error: type[Exception]
) -> None:
    await store.add_contract(A, make_contract("c1", title="Original"))
    await store.add_contract(A, make_contract("c2", title="Second"))
    audit_before = await store.audit_log(A)
    generation = store.generation
    with pytest.raises(error):
        await store.contracts.edit_contract(A, make_contract("c1", title="Changed"), new_id)
    assert {c.id: c.title for c in await store.list_contracts(A)} == {"c1": "Original", "c2": "Second"}
    assert await store.audit_log(A) == audit_before and store.generation == generation


async def test_store_edit_of_a_missing_contract_is_not_found(store: LedgerStore) -> None:
    with pytest.raises(ContractNotFoundError):
        await store.contracts.edit_contract(A, make_contract("nope"), "c9")


async def test_service_edit_refused_rename_keeps_the_old_fields(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    await two_contracts(path)
    async with await LedgerStore.open(path) as store:
        ledger = build_services(store, OutputFormat.CONSOLE).ledger
        with pytest.raises(ServiceError, match="already have a contract with id 'c2'"):
            await ledger.edit_contract(A, "c1", {"id": "c2", "title": "CHANGED"})
        assert {c.id: c.title for c in await store.list_contracts(A)} == {"c1": "Original", "c2": "Second"}
        answer = await ledger.edit_contract(A, "c1", {"id": "c3", "title": "Renamed too"})
        assert answer.data["contract"] == "c3"
    assert await titles(path) == {"c2": "Second", "c3": "Renamed too"}


def test_console_edit_refused_rename_keeps_the_old_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ledger.db"
    asyncio.run(two_contracts(path))
    code = main(["contracts", "edit", "c1", "--id", "c2", "--title", "CHANGED", "--user", A, "--db", str(path)])
    assert code == 1
    assert "already have a contract with id 'c2'" in capsys.readouterr().err
    assert asyncio.run(titles(path)) == {"c1": "Original", "c2": "Second"}
