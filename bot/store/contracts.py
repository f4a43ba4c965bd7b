"""One user's contracts, one at a time: reads, search, and single-contract edits with their audit rows.

Why every method takes the user id: each query binds it and filters on it, so one user can never read or
change another user's contracts, even when both use the same contract id. Untrusted text (ids, titles,
search input) only ever travels as SQL parameters.
"""

from __future__ import annotations

from datetime import date, datetime

from scoring.model import Contract, Ledger

from .audit import ensure_user, write_audit
from .backend import Connection, Database
from .contract_sql import INSERT_NEW, UPSERT, contracts_in, fetch_contract, insert_requests
from .errors import ContractEndedError, ContractExistsError, ContractNotFoundError
from .ids import check_new_contract_id, check_user, is_valid_contract_id
from .models import AuditAction
from .rows import ContractRow, contract_to_row, request_dates
from .search import choice_label, like_patterns

_SEARCH = """
SELECT contract_id, title, client,
       CASE WHEN jss_fold(contract_id) LIKE :prefix ESCAPE '\\' THEN 0
            WHEN jss_fold(title) LIKE :prefix ESCAPE '\\' OR jss_fold(client) LIKE :prefix ESCAPE '\\' THEN 1
            ELSE 2 END AS rank
FROM contracts
WHERE user_id = :user_id
  AND (jss_fold(contract_id) LIKE :infix ESCAPE '\\'
       OR jss_fold(title) LIKE :infix ESCAPE '\\'
       OR jss_fold(client) LIKE :infix ESCAPE '\\')
ORDER BY rank, status = 'ended', contract_id
LIMIT :limit
"""


def _changed_fields(old: Contract, new: Contract) -> list[str]:
    return [name for name in Contract.model_fields if getattr(old, name) != getattr(new, name)]


class ContractStore:
    """Reads and single-contract writes of every user's contracts, on a shared `Database`."""

    def __init__(self, database: Database) -> None:
        self._database = database

    # ----------------------------------------------------------------- reads

    async def list_contracts(self, user_id: str) -> list[Contract]:
        """The user's contracts ordered by start date then id, so listings and exports are stable."""
        check_user(user_id)
        async with self._database.read() as db:
            return await contracts_in(db, user_id)

    async def get_contract(self, user_id: str, contract_id: str) -> Contract | None:
        """One of the user's contracts, or None (also for ids that cannot exist, without a query)."""
        check_user(user_id)
        if not is_valid_contract_id(contract_id):
            return None
        async with self._database.read() as db:
            return await fetch_contract(db, user_id, contract_id)

    async def get_ledger(self, user_id: str) -> Ledger:
        """The user's contracts as a Ledger (as_of None: the caller decides the evaluation date)."""
        return Ledger(contracts=tuple(await self.list_contracts(user_id)))

    async def count_contracts(self, user_id: str) -> int:
        """How many contracts the user has, without loading them (quota checks, summaries)."""
        check_user(user_id)
        async with self._database.read() as db:
            rows = list(await db.execute_fetchall("SELECT count(*) FROM contracts WHERE user_id = ?", (user_id,)))
        return int(rows[0][0])

    async def search_contracts(self, user_id: str, text: str, limit: int = 25) -> list[tuple[str, str]]:
        """(id, 'title — client') pairs for Discord autocomplete.

        Case-insensitive (Unicode-aware) substring match on id, title or client. Id-prefix matches come
        first, then title/client prefixes, then other matches; open contracts before ended ones, then by
        id. `%` and `_` typed by the user match literally.
        """
        check_user(user_id)
        if limit <= 0:
            return []
        prefix, infix = like_patterns(text)
        params = {"user_id": user_id, "prefix": prefix, "infix": infix, "limit": int(limit)}
        async with self._database.read() as db:
            rows = await db.execute_fetchall(_SEARCH, params)
        return [(row[0], choice_label(row[1], row[2])) for row in rows]

    # ----------------------------------------------------------------- writes

    async def add_contract(self, user_id: str, contract: Contract) -> None:
        """Add a new contract; ContractExistsError if the user already has this id (nothing changes)."""
        check_user(user_id)
        row = contract_to_row(contract)
        async with self._database.write() as db:
            now = self._database.now()
            await ensure_user(db, user_id, now)
            cursor = await db.execute(INSERT_NEW, (user_id, *row))
            if cursor.rowcount == 0:
                raise ContractExistsError(contract.id)
            await insert_requests(db, user_id, [(contract.id, day) for day in request_dates(contract)])
            await write_audit(db, user_id, now, AuditAction.CONTRACT_ADD, contract.id, {"title": contract.title})

    async def update_contract(self, user_id: str, contract: Contract) -> None:
        """Replace the stored contract with the same id (all fields, close requests included).

        ContractNotFoundError if the user has no such contract. An identical update writes nothing and
        leaves no audit row, so repeated saves from a form do not clutter the history.
        """
        check_user(user_id)
        row = contract_to_row(contract)
        async with self._database.write() as db:
            old = await fetch_contract(db, user_id, contract.id)
            if old is None:
                raise ContractNotFoundError(contract.id)
            await self._replace(db, user_id, old, contract, row)

    async def rename_contract(self, user_id: str, old_id: str, new_id: str) -> Contract:
        """Give a contract a new id (close requests follow via ON UPDATE CASCADE); returns it renamed."""
        check_user(user_id)
        check_new_contract_id(new_id)
        if not is_valid_contract_id(old_id):
            raise ContractNotFoundError(old_id)
        async with self._database.write() as db:
            if await fetch_contract(db, user_id, old_id) is None:
                raise ContractNotFoundError(old_id)
            return await self._rename(db, user_id, old_id, new_id)

    async def edit_contract(self, user_id: str, contract: Contract, new_id: str | None = None) -> Contract:
        """Replace the fields of `contract.id` and, with `new_id`, rename it: all or nothing, one transaction.

        Why one: as two transactions, a rename refused because `new_id` is taken (ContractExistsError) still
        left the new fields saved, while the user was told the edit failed. Returns the stored contract."""
        check_user(user_id)
        row = contract_to_row(contract)
        target = contract.id if new_id is None else new_id
        if target != contract.id:
            check_new_contract_id(target)
        async with self._database.write() as db:
            old = await fetch_contract(db, user_id, contract.id)
            if old is None:
                raise ContractNotFoundError(contract.id)
            await self._replace(db, user_id, old, contract, row)
            if target == contract.id:
                return contract
            return await self._rename(db, user_id, contract.id, target)

    async def _replace(self, db: Connection, user_id: str, old: Contract, contract: Contract, row: ContractRow) -> None:
        """Inside a write: store `contract` over `old` (same id) with its close requests and an audit row."""
        changed = _changed_fields(old, contract)
        if not changed:
            return
        now = self._database.now()
        await db.execute(UPSERT, (user_id, *row))
        await db.execute("DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?", (user_id, contract.id))
        await insert_requests(db, user_id, [(contract.id, day) for day in request_dates(contract)])
        await write_audit(db, user_id, now, AuditAction.CONTRACT_UPDATE, contract.id, {"changed": changed})

    async def _rename(self, db: Connection, user_id: str, old_id: str, new_id: str) -> Contract:
        """Inside a write: move an existing contract to `new_id` (refused if taken); returns it renamed."""
        if old_id != new_id and await fetch_contract(db, user_id, new_id) is not None:
            raise ContractExistsError(new_id)
        await db.execute(
            "UPDATE contracts SET contract_id = ? WHERE user_id = ? AND contract_id = ?", (new_id, user_id, old_id)
        )
        renamed = await fetch_contract(db, user_id, new_id)
        assert renamed is not None
        if old_id != new_id:
            details = {"from": old_id, "to": new_id}
            await write_audit(db, user_id, self._database.now(), AuditAction.CONTRACT_RENAME, new_id, details)
        return renamed

    async def remove_contract(self, user_id: str, contract_id: str) -> Contract:
        """Delete a contract and its close requests; returns what was removed (for an undo hint)."""
        check_user(user_id)
        if not is_valid_contract_id(contract_id):
            raise ContractNotFoundError(contract_id)
        async with self._database.write() as db:
            old = await fetch_contract(db, user_id, contract_id)
            if old is None:
                raise ContractNotFoundError(contract_id)
            await db.execute("DELETE FROM close_requests WHERE user_id = ? AND contract_id = ?", (user_id, contract_id))
            await db.execute("DELETE FROM contracts WHERE user_id = ? AND contract_id = ?", (user_id, contract_id))
            now = self._database.now()
            await write_audit(db, user_id, now, AuditAction.CONTRACT_REMOVE, contract_id, {"title": old.title})
        return old

    async def record_close_request(self, user_id: str, contract_id: str, on: date) -> Contract:
        """Note that the freelancer asked the client to close the contract on `on`; returns the contract.

        Idempotent for the same date (no second row, no second audit entry). Refused for ended contracts,
        which have nothing left to close.
        """
        check_user(user_id)
        if isinstance(on, datetime) or not isinstance(on, date):
            raise TypeError("`on` must be a datetime.date (not a datetime)")
        if not is_valid_contract_id(contract_id):
            raise ContractNotFoundError(contract_id)
        async with self._database.write() as db:
            contract = await fetch_contract(db, user_id, contract_id)
            if contract is None:
                raise ContractNotFoundError(contract_id)
            if not contract.is_open:
                raise ContractEndedError(contract_id)
            if on in contract.close_requests:
                return contract
            await insert_requests(db, user_id, [(contract_id, on.isoformat())])
            now = self._database.now()
            await write_audit(db, user_id, now, AuditAction.CLOSE_REQUEST, contract_id, {"on": on.isoformat()})
            updated = await fetch_contract(db, user_id, contract_id)
        assert updated is not None
        return updated
