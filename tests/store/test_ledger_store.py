"""Behaviour of LedgerStore: round trips, isolation between users, imports, settings, audit, search."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import bot.store.database as database_module
import bot.store.imports as imports_module
from bot.store import (
    AuditAction,
    ContractEndedError,
    ContractExistsError,
    ContractNotFoundError,
    ImportSummary,
    InvalidIdError,
    InvalidSettingError,
    LedgerStore,
    StoreBusyError,
    StoredPayment,
    StoreError,
    UserSettings,
)
from scoring.model import Contract, Ledger
from tests.builders import FakeClock, full_contract, make_contract
from tests.store.conftest import Raw, integrity_error, sqlite_only

A = "111111111111111111"  # Discord snowflakes as text
B = "222222222222222222"


def raw_rows(db_path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Look at the file with a separate plain sqlite3 connection (sees only committed data)."""
    with sqlite3.connect(db_path) as conn:
        return list(conn.execute(sql, params))


def by_start(contracts: list[Contract] | tuple[Contract, ...]) -> list[Contract]:
    return sorted(contracts, key=lambda c: (c.started, c.id))


# ---------------------------------------------------------------------------- round trip


async def test_round_trip_preserves_every_field(store: LedgerStore, target: str | Path, raw: Raw) -> None:
    full = full_contract()
    minimal = make_contract("min", earnings_usd=Decimal("0"))
    await store.add_contract(A, full)
    await store.add_contract(A, minimal)

    got = await store.get_contract(A, full.id)
    assert got == full
    assert got is not None and got.model_dump() == full.model_dump()
    assert str(got.earnings_usd) == "123456789.99"
    assert str(got.escrow_usd) == "0.01" and str(got.refunded_usd) == "0.10"
    assert got.close_requests == (date(2023, 11, 15), date(2023, 12, 1), date(2024, 1, 2))
    assert got.public_stars == 4.65 and got.private_rating == 0
    assert await store.list_contracts(A) == [full, minimal]  # full started earlier

    # Money is stored as exact integer cents, dates as ISO text.
    assert await raw(
        "SELECT earnings_cents, escrow_cents, refunded_cents, started, ended FROM contracts WHERE contract_id = ?",
        full.id,
    ) == [(12345678999, 1, 10, "2023-02-28", "2024-02-29")]
    if store.database.dialect == "sqlite":
        typed = await raw("SELECT typeof(earnings_cents) FROM contracts WHERE contract_id = ?", full.id)
        assert typed == [("integer",)]

    # And it survives closing and reopening the database.
    await store.close()
    reopened = await LedgerStore.open(target)
    try:
        assert await reopened.list_contracts(A) == [full, minimal]
        assert await reopened.get_ledger(A) == Ledger(contracts=(full, minimal))
        assert await reopened.count_contracts(A) == 2
    finally:
        await reopened.close()


async def test_money_without_cents_comes_back_equal(store: LedgerStore) -> None:
    contract = make_contract("m", earnings_usd=Decimal("12.5"), escrow_usd=0.1)
    await store.add_contract(A, contract)
    got = await store.get_contract(A, "m")
    assert got == contract
    assert got is not None and str(got.earnings_usd) == "12.50" and str(got.escrow_usd) == "0.10"


async def test_list_is_sorted_by_start_then_id(store: LedgerStore) -> None:
    contracts = [
        make_contract("b", started=date(2024, 1, 1)),
        make_contract("a", started=date(2024, 1, 2)),
        make_contract("c", started=date(2024, 1, 1)),
    ]
    for contract in contracts:
        await store.add_contract(A, contract)
    assert [c.id for c in await store.list_contracts(A)] == ["b", "c", "a"]


async def test_unknown_user_and_contract_read_as_empty(store: LedgerStore) -> None:
    assert await store.list_contracts("nobody") == []
    assert await store.get_contract("nobody", "c1") is None
    assert await store.count_contracts("nobody") == 0
    assert await store.get_ledger("nobody") == Ledger()
    assert await store.get_settings("nobody") == UserSettings()
    assert await store.audit_log("nobody") == []


# ---------------------------------------------------------------------------- contract writes


async def test_add_duplicate_is_refused_and_changes_nothing(store: LedgerStore) -> None:
    original = make_contract("c1", title="Original")
    await store.add_contract(A, original)
    with pytest.raises(ContractExistsError) as caught:
        await store.add_contract(A, make_contract("c1", title="Other", close_requests=(date(2024, 3, 1),)))
    assert "'c1'" in str(caught.value)
    assert await store.list_contracts(A) == [original]
    assert len(await store.audit_log(A)) == 1


async def test_update_replaces_all_fields(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("c1", close_requests=(date(2024, 2, 1),)))
    changed = full_contract("c1")
    await store.update_contract(A, changed)
    assert await store.get_contract(A, "c1") == changed

    entries = await store.audit_log(A)
    assert entries[0].action == AuditAction.CONTRACT_UPDATE
    assert "title" in entries[0].detail["changed"] and "close_requests" in entries[0].detail["changed"]

    # An identical update writes nothing and adds no history.
    await store.update_contract(A, changed)
    assert len(await store.audit_log(A)) == len(entries)

    with pytest.raises(ContractNotFoundError):
        await store.update_contract(A, make_contract("missing"))


async def test_rename_moves_close_requests(store: LedgerStore, raw: Raw) -> None:
    await store.add_contract(A, make_contract("old", close_requests=(date(2024, 2, 1), date(2024, 2, 8))))
    await store.add_contract(A, make_contract("taken"))

    renamed = await store.rename_contract(A, "old", "new")
    assert renamed.id == "new" and renamed.close_requests == (date(2024, 2, 1), date(2024, 2, 8))
    assert await store.get_contract(A, "old") is None
    assert await raw("SELECT DISTINCT contract_id FROM close_requests") == [("new",)]

    with pytest.raises(ContractExistsError):
        await store.rename_contract(A, "new", "taken")
    with pytest.raises(ContractNotFoundError):
        await store.rename_contract(A, "old", "newer")
    with pytest.raises(InvalidIdError):
        await store.rename_contract(A, "new", "has space")
    assert {c.id for c in await store.list_contracts(A)} == {"new", "taken"}
    assert (await store.audit_log(A))[0].detail == {"from": "old", "to": "new"}


async def test_remove_deletes_contract_and_its_requests(store: LedgerStore, raw: Raw) -> None:
    contract = make_contract("c1", close_requests=(date(2024, 2, 1),))
    await store.add_contract(A, contract)
    assert await store.remove_contract(A, "c1") == contract
    assert await store.list_contracts(A) == []
    assert await raw("SELECT count(*) FROM close_requests") == [(0,)]
    with pytest.raises(ContractNotFoundError):
        await store.remove_contract(A, "c1")


async def test_close_request_is_idempotent_and_refused_for_ended(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("open"))
    await store.add_contract(A, make_contract("done", status="ended", ended=date(2024, 3, 1)))

    first = await store.record_close_request(A, "open", date(2024, 3, 5))
    again = await store.record_close_request(A, "open", date(2024, 3, 5))
    later = await store.record_close_request(A, "open", date(2024, 3, 12))
    assert first.close_requests == again.close_requests == (date(2024, 3, 5),)
    assert later.close_requests == (date(2024, 3, 5), date(2024, 3, 12))
    actions = [e.action for e in await store.audit_log(A)]
    assert actions.count(AuditAction.CLOSE_REQUEST) == 2  # the repeat left no trace

    with pytest.raises(ContractEndedError) as caught:
        await store.record_close_request(A, "done", date(2024, 3, 5))
    assert "already ended" in str(caught.value)
    with pytest.raises(ContractNotFoundError):
        await store.record_close_request(A, "missing", date(2024, 3, 5))
    with pytest.raises(TypeError):
        await store.record_close_request(A, "open", "2024-03-05")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- isolation


async def test_user_isolation(store: LedgerStore) -> None:
    mine = make_contract("shared", title="A's contract", close_requests=(date(2024, 2, 1),))
    await store.add_contract(A, mine)
    await store.update_settings(A, timezone="Europe/Berlin")

    assert await store.get_contract(B, "shared") is None
    assert await store.list_contracts(B) == []
    assert await store.search_contracts(B, "shared") == []
    assert await store.count_contracts(B) == 0
    with pytest.raises(ContractNotFoundError):
        await store.update_contract(B, make_contract("shared", title="hijack"))
    with pytest.raises(ContractNotFoundError):
        await store.remove_contract(B, "shared")
    with pytest.raises(ContractNotFoundError):
        await store.rename_contract(B, "shared", "stolen")
    with pytest.raises(ContractNotFoundError):
        await store.record_close_request(B, "shared", date(2024, 3, 1))

    # B may use the same id for its own contract; A's stays untouched through all of B's writes.
    theirs = make_contract("shared", title="B's contract")
    await store.add_contract(B, theirs)
    await store.update_contract(B, theirs.model_copy(update={"title": "B renamed title"}))
    await store.record_close_request(B, "shared", date(2024, 3, 9))
    await store.rename_contract(B, "shared", "b-own")
    await store.import_ledger(B, Ledger(contracts=(make_contract("x"),)), "replace")
    await store.update_settings(B, timezone="Asia/Tokyo")
    assert await store.forget_user(B) > 0

    assert await store.list_contracts(A) == [mine]
    assert await store.get_settings(A) == UserSettings(timezone="Europe/Berlin")
    assert all(entry.user_id == A for entry in await store.audit_log(A))


async def test_hostile_ids_are_just_data(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("c1"))
    evil_user = "x' OR '1'='1"
    assert await store.list_contracts(evil_user) == []
    assert await store.get_contract(A, "c1' OR '1'='1") is None
    assert await store.search_contracts(evil_user, "%") == []
    with pytest.raises(ContractNotFoundError) as caught:
        await store.remove_contract(A, "c1'; DROP TABLE contracts; --")
    assert "DROP" not in str(caught.value)  # untrusted text is not echoed back
    assert await store.count_contracts(A) == 1


@pytest.mark.parametrize("bad", ["", "   ", "x" * 101])
async def test_invalid_user_ids_are_refused(store: LedgerStore, bad: str) -> None:
    with pytest.raises(InvalidIdError):
        await store.add_contract(bad, make_contract())
    with pytest.raises(InvalidIdError):
        await store.list_contracts(bad)


# ---------------------------------------------------------------------------- import


async def test_import_merge_and_replace(store: LedgerStore) -> None:
    keep = make_contract("keep")
    change = make_contract("change", title="before")
    drop = make_contract("drop")
    await store.import_ledger(A, Ledger(contracts=(keep, change, drop)), "replace")

    changed = make_contract("change", title="after", close_requests=(date(2024, 3, 1),))
    new = make_contract("new")
    summary = await store.import_ledger(A, Ledger(contracts=(changed, new)), "merge")
    assert summary == ImportSummary(added=1, updated=1, removed=0, unchanged=0)
    assert {c.id: c for c in await store.list_contracts(A)} == {
        "keep": keep,
        "change": changed,
        "drop": drop,
        "new": new,
    }

    summary = await store.import_ledger(A, Ledger(contracts=(keep, changed, full_contract())), "replace")
    assert summary == ImportSummary(added=1, updated=0, removed=2, unchanged=2)
    assert await store.list_contracts(A) == by_start([keep, changed, full_contract()])

    # Importing the same file again changes nothing (but is still recorded).
    summary = await store.import_ledger(A, Ledger(contracts=(keep, changed, full_contract())), "replace")
    assert summary == ImportSummary(unchanged=3) and not summary.changed
    entry = (await store.audit_log(A))[0]
    assert entry.action == AuditAction.LEDGER_IMPORT and entry.detail["mode"] == "replace"

    assert await store.import_ledger(A, Ledger(), "replace") == ImportSummary(removed=3)
    assert await store.list_contracts(A) == []


async def test_import_derived_reads_and_writes_with_no_other_writer_in_between(
    store: LedgerStore, db_path: Path
) -> None:
    """A CSV import merges the exports into what it read; an edit committed between that read and the
    write would be overwritten with the stale version. Here the read happens under the write lock.
    (PostgreSQL: tests/store/test_postgres.py, with another store as the other writer.)"""
    sqlite_only(store)
    await store.import_ledger(A, Ledger(contracts=(make_contract("a", title="before"),)), "replace")
    other = sqlite3.connect(db_path, timeout=0.05)  # another process, say, editing the same ledger
    seen: list[list[str]] = []
    blocked: list[str] = []

    def derive(existing: list[Contract], counted: object) -> tuple[Ledger, list[StoredPayment], int]:
        seen.append([c.title for c in existing])
        try:
            other.execute("UPDATE contracts SET title = 'edited meanwhile' WHERE contract_id = 'a'")
            other.commit()
        except sqlite3.OperationalError as exc:
            blocked.append(str(exc))
        edited = existing[0].model_copy(update={"earnings_usd": Decimal(100)})
        return Ledger(contracts=(edited, make_contract("b"))), [], len(existing)

    try:
        summary, read = await store.import_derived(A, derive)
        assert blocked and "locked" in blocked[0], "another writer got in between the read and the write"
        assert seen == [["before"]] and read == 1
        assert summary == ImportSummary(added=1, updated=1)
        # Once the import has committed, the other writer goes ahead; neither change is lost.
        other.execute("UPDATE contracts SET title = 'edited after' WHERE contract_id = 'a'")
        other.commit()
    finally:
        other.close()
    after = {c.id: c for c in await store.list_contracts(A)}
    assert after["a"].title == "edited after" and after["a"].earnings_usd == Decimal(100)
    assert set(after) == {"a", "b"}

    nothing, _ = await store.import_derived(A, lambda existing, counted: (Ledger(), [], None))
    assert nothing == ImportSummary()


async def test_import_rejects_unknown_mode(store: LedgerStore) -> None:
    with pytest.raises(ValueError):
        await store.import_ledger(A, Ledger(), "overwrite")  # type: ignore[arg-type]


def _bad_row_contract() -> Contract:
    """Passes Python (model_construct skips validation) but violates a CHECK constraint in the database."""
    good = make_contract("zz-bad")
    return Contract.model_construct(**{**dict(good), "earnings_usd": Decimal("-5.00")})


async def test_failing_import_on_invalid_row_changes_nothing(store: LedgerStore, raw: Raw) -> None:
    before = [make_contract(f"c{i}", close_requests=(date(2024, 3, 1),)) for i in range(5)]
    await store.import_ledger(A, Ledger(contracts=tuple(before)), "replace")
    audit_before = await store.audit_log(A)

    incoming = [make_contract(f"c{i}", title="changed") for i in range(3, 8)]
    incoming.insert(3, _bad_row_contract())
    ledger = Ledger.model_construct(contracts=tuple(incoming))
    for mode in ("replace", "merge"):
        with pytest.raises(integrity_error(store)):
            await store.import_ledger(A, ledger, mode)  # type: ignore[arg-type]
        assert await store.list_contracts(A) == before
        assert await store.audit_log(A) == audit_before
    assert await raw("SELECT count(*) FROM close_requests") == [(5,)]

    # The store is still usable afterwards (no transaction left open).
    await store.add_contract(A, make_contract("after"))
    assert await store.count_contracts(A) == 6


async def test_failing_import_mid_transaction_changes_nothing(
    store: LedgerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [make_contract(f"c{i}") for i in range(5)]
    await store.import_ledger(A, Ledger(contracts=tuple(before)), "replace")
    audit_before = await store.audit_log(A)

    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    # The audit row is the last write of an import: by then deletes and upserts have all run.
    monkeypatch.setattr(imports_module, "write_audit", explode)
    replacement = Ledger(contracts=(make_contract("c0", title="changed"), make_contract("brand-new")))
    with pytest.raises(RuntimeError, match="disk on fire"):
        await store.import_ledger(A, replacement, "replace")
    monkeypatch.undo()

    assert await store.list_contracts(A) == before
    assert await store.audit_log(A) == audit_before


async def test_sub_cent_amount_is_refused_before_writing(store: LedgerStore) -> None:
    odd = Contract.model_construct(**{**dict(make_contract("odd")), "earnings_usd": Decimal("1.005")})
    with pytest.raises(ValueError, match="fractions of a cent"):
        await store.import_ledger(A, Ledger.model_construct(contracts=(odd,)), "merge")
    assert await store.list_contracts(A) == [] and await store.user_ids() == []


async def test_bulk_import(store: LedgerStore) -> None:
    batch = [(f"user-{n}", Ledger(contracts=(make_contract("a"), make_contract(f"b{n}")))) for n in range(5)]
    assert await store.bulk_import(batch) == ImportSummary(added=10)
    for user, ledger in batch:
        assert await store.list_contracts(user) == by_start(ledger.contracts)
        assert [e.action for e in await store.audit_log(user)] == [AuditAction.LEDGER_IMPORT]

    again = [(f"user-{n}", Ledger(contracts=(make_contract("a", title="t2"),))) for n in range(2)]
    assert await store.bulk_import(again, mode="merge") == ImportSummary(updated=2)
    assert await store.count_contracts("user-0") == 2
    assert await store.bulk_import([]) == ImportSummary()

    # All or nothing across users: one bad row in the last user rolls back every user's import.
    failing = [
        ("user-0", Ledger()),
        ("user-9", Ledger.model_construct(contracts=(_bad_row_contract(),))),
    ]
    with pytest.raises(integrity_error(store)):
        await store.bulk_import(failing)
    assert await store.count_contracts("user-0") == 2
    assert "user-9" not in await store.user_ids()
    with pytest.raises(ValueError, match="twice"):
        await store.bulk_import([("u", Ledger()), ("u", Ledger())])


# ---------------------------------------------------------------------------- users


async def test_forget_user_removes_everything_of_that_user_only(store: LedgerStore, raw: Raw) -> None:
    for user in (A, B):
        await store.add_contract(user, make_contract("c1", close_requests=(date(2024, 2, 1), date(2024, 2, 2))))
        await store.add_contract(user, make_contract("c2"))
        await store.update_settings(user, reminders_enabled=True)
    b_before = (await store.list_contracts(B), await store.get_settings(B), await store.audit_log(B))

    # 2 close requests + 2 contracts + 1 settings row + 1 reminder_users row (reminders on) + 3 audit rows + 1 user row
    assert await store.forget_user(A) == 10
    for table in ("users", "contracts", "close_requests", "user_settings", "audit", "reminder_users"):
        assert await raw(f"SELECT count(*) FROM {table} WHERE user_id = ?", A) == [(0,)]
    assert (await store.list_contracts(B), await store.get_settings(B), await store.audit_log(B)) == b_before
    assert await store.get_settings(A) == UserSettings()
    assert await store.forget_user(A) == 0


async def test_user_ids_keyset_pagination(store: LedgerStore) -> None:
    users = sorted(f"{n:03d}" for n in range(23))
    for user in reversed(users):
        await store.update_settings(user, dm_closed=True)
    seen: list[str] = []
    after: str | None = None
    while page := await store.user_ids(after, 5):
        assert len(page) <= 5
        seen += page
        after = page[-1]
    assert seen == users
    assert await store.user_ids("010", 3) == ["011", "012", "013"]
    assert await store.user_ids(None, 0) == []


# ---------------------------------------------------------------------------- settings


async def test_settings_defaults_and_updates(store: LedgerStore) -> None:
    defaults = await store.get_settings(A)
    assert defaults == UserSettings(
        timezone="UTC",
        reminders_enabled=False,
        cadence="daily",
        quiet_start=None,
        quiet_end=None,
        dm_closed=False,
        idle_reminder_days=30,
    )
    updated = await store.update_settings(
        A, timezone="america/new_york", quiet_start="7:30", quiet_end="22:00", cadence="biweekly"
    )
    assert updated.timezone == "America/New_York"  # canonical spelling
    assert (updated.quiet_start, updated.quiet_end) == ("07:30", "22:00")
    assert await store.get_settings(A) == updated
    entry = (await store.audit_log(A))[0]
    assert entry.action == AuditAction.SETTINGS_UPDATE
    assert entry.detail["changed"] == {
        "cadence": "biweekly",
        "quiet_end": "22:00",
        "quiet_start": "07:30",
        "timezone": "America/New_York",
    }

    cleared = await store.update_settings(A, quiet_start=None, quiet_end=None, idle_reminder_days=7)
    assert cleared.quiet_start is None and cleared.idle_reminder_days == 7
    # A no-op change writes nothing.
    count = len(await store.audit_log(A))
    await store.update_settings(A, idle_reminder_days=7)
    await store.update_settings(A)
    assert len(await store.audit_log(A)) == count


@pytest.mark.parametrize(
    ("changes", "setting"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"quiet_start": "24:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"quiet_start": "7pm", "quiet_end": "07:00"}, "quiet_start"),
        ({"quiet_start": "22:00"}, None),  # half a window
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, None),
        ({"cadence": "hourly"}, "cadence"),
        ({"idle_reminder_days": 0}, "idle_reminder_days"),
        ({"idle_reminder_days": "30"}, "idle_reminder_days"),
        ({"reminders_enabled": "maybe"}, "reminders_enabled"),
        ({"colour": "blue"}, None),
    ],
)
async def test_invalid_settings_are_refused(
    store: LedgerStore, changes: dict[str, object], setting: str | None
) -> None:
    with pytest.raises(InvalidSettingError) as caught:
        await store.update_settings(A, **changes)
    assert caught.value.setting == setting
    message = str(caught.value)
    if setting is not None:
        assert message.startswith(f"{setting}: ")
    assert "SELECT" not in message and "sqlite" not in message.lower()
    assert await store.get_settings(A) == UserSettings()
    assert await store.audit_log(A) == []


async def test_settings_zone_is_usable(store: LedgerStore) -> None:
    settings = await store.update_settings(A, timezone="Europe/Berlin")
    assert str(settings.zone) == "Europe/Berlin"


# ---------------------------------------------------------------------------- audit


async def test_every_write_leaves_one_audit_row(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("c1"))
    await store.update_contract(A, make_contract("c1", title="new title"))
    await store.record_close_request(A, "c1", date(2024, 3, 2))
    await store.rename_contract(A, "c1", "c2")
    await store.import_ledger(A, Ledger(contracts=(make_contract("c3"),)), "merge")
    await store.update_settings(A, reminders_enabled=True)
    await store.remove_contract(A, "c2")

    entries = await store.audit_log(A)
    assert [(e.action, e.contract_id) for e in entries] == [
        (AuditAction.CONTRACT_REMOVE, "c2"),
        (AuditAction.SETTINGS_UPDATE, None),
        (AuditAction.LEDGER_IMPORT, None),
        (AuditAction.CONTRACT_RENAME, "c2"),
        (AuditAction.CLOSE_REQUEST, "c1"),
        (AuditAction.CONTRACT_UPDATE, "c1"),
        (AuditAction.CONTRACT_ADD, "c1"),
    ]
    assert all(e.user_id == A and e.at.tzinfo is not None for e in entries)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert len(await store.audit_log(A, limit=3)) == 3


# ---------------------------------------------------------------------------- search


async def test_search_orders_prefix_matches_first(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("web-shop", title="Online store", client="Zed"))
    await store.add_contract(A, make_contract("api", title="Webhooks integration", client="Yak"))
    await store.add_contract(A, make_contract("misc", title="Site", client="Webster Inc"))
    await store.add_contract(A, make_contract("redesign", title="New website", client="Xylo"))
    await store.add_contract(
        A, make_contract("web-old", title="Old", client="Q", status="ended", ended=date(2024, 3, 1))
    )
    await store.add_contract(A, make_contract("zzz", title="Unrelated", client="Nope"))

    ids = [cid for cid, _ in await store.search_contracts(A, "WEB")]
    # id prefix (open before ended) > title/client prefix > substring anywhere
    assert ids == ["web-shop", "web-old", "api", "misc", "redesign"]
    assert await store.search_contracts(A, "web", limit=2) == [
        ("web-shop", "Online store — Zed"),
        ("web-old", "Old — Q"),
    ]
    assert await store.search_contracts(A, "web", limit=0) == []
    assert len(await store.search_contracts(A, "")) == 6  # empty input lists everything, up to the limit


async def test_search_escapes_like_wildcards(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("a_b", title="100% done"))
    await store.add_contract(A, make_contract("axb", title="1000 done"))
    await store.add_contract(A, make_contract("back", title="C:\\path\\to"))

    assert [cid for cid, _ in await store.search_contracts(A, "a_b")] == ["a_b"]
    assert [cid for cid, _ in await store.search_contracts(A, "_")] == ["a_b"]
    assert [cid for cid, _ in await store.search_contracts(A, "100%")] == ["a_b"]
    assert [cid for cid, _ in await store.search_contracts(A, "%")] == ["a_b"]
    assert [cid for cid, _ in await store.search_contracts(A, "\\path")] == ["back"]
    assert await store.search_contracts(A, "\\") == [("back", "C:\\path\\to — Acme Ltd")]


async def test_search_is_unicode_case_insensitive_and_labels_fit_discord(store: LedgerStore) -> None:
    await store.add_contract(A, make_contract("e1", title="ÉCOLE website", client="Straße GmbH"))
    await store.add_contract(A, make_contract("long", title="T" * 200, client="C" * 200))
    assert [cid for cid, _ in await store.search_contracts(A, "école")] == ["e1"]
    assert [cid for cid, _ in await store.search_contracts(A, "STRASSE")] == ["e1"]
    ((cid, label),) = await store.search_contracts(A, "long")
    assert cid == "long" and len(label) == 100 and label.endswith("…")


# ---------------------------------------------------------------------------- connection behaviour


async def test_concurrent_tasks_share_the_connection_safely(store: LedgerStore) -> None:
    async def writer(n: int) -> None:
        await store.import_ledger(A, Ledger(contracts=tuple(make_contract(f"w{n}-{i}") for i in range(20))), "merge")

    async def reader() -> None:
        for _ in range(5):
            assert (await store.count_contracts(A)) % 20 == 0  # never a half-applied import
            await asyncio.sleep(0)

    await asyncio.gather(*(writer(n) for n in range(10)), *(reader() for _ in range(5)))
    assert await store.count_contracts(A) == 200


async def test_file_settings_and_closed_store(db_path: Path) -> None:
    store = await LedgerStore.open(db_path, clock=FakeClock())
    try:
        assert raw_rows(db_path, "PRAGMA journal_mode") == [("wal",)]
        assert store.path == str(db_path)
    finally:
        await store.close()
        await store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        await store.list_contracts(A)

    async with await LedgerStore.open(db_path) as again:
        assert await again.list_contracts(A) == []


async def test_foreign_keys_are_enforced(store: LedgerStore) -> None:
    with pytest.raises(integrity_error(store)):  # the constraint must hold even against a buggy query
        async with store.database.write() as db:
            await db.execute("INSERT INTO close_requests VALUES ('nobody', 'nothing', '2024-01-01')")


async def test_cancelled_import_leaves_old_or_new_ledger(store: LedgerStore) -> None:
    old = Ledger(contracts=tuple(make_contract(f"old-{i:04d}") for i in range(1500)))
    new = Ledger(contracts=tuple(make_contract(f"new-{i:04d}", title="new") for i in range(1500)))
    await store.import_ledger(A, old, "replace")
    expected = {"old": list(old.contracts), "new": list(new.contracts)}
    for delay in (0.0, 0.001, 0.003, 0.01, 0.03):
        current = await store.list_contracts(A)
        target = new if current == expected["old"] else old
        task = asyncio.create_task(store.import_ledger(A, target, "replace"))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        assert await store.list_contracts(A) in (expected["old"], expected["new"])
    # The connection is not stuck in a transaction afterwards.
    await store.add_contract(B, make_contract("still-works"))
    assert await store.count_contracts(B) == 1


async def test_busy_database_gives_a_friendly_error(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    store = await LedgerStore.open(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        with pytest.raises(StoreBusyError) as caught:
            await store.add_contract(A, make_contract())
        assert "try again" in str(caught.value)
        assert await store.list_contracts(A) == []  # WAL: reads still work meanwhile
        other.execute("COMMIT")
        await store.add_contract(A, make_contract())
        assert await store.count_contracts(A) == 1
    finally:
        other.close()
        await store.close()
