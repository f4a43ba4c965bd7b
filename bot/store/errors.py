"""Errors the ledger store raises on purpose.

Every message is written to be shown to the user as is (Discord reply or console line): it names the
contract or setting and says what to do, and never contains SQL, file paths or stack details. Ids in
messages are echoed only when they look like real contract ids, so untrusted text (mentions, markdown,
very long strings) typed by a user never comes back verbatim.
"""

from __future__ import annotations

import re

from scoring.model import CONTRACT_ID_PATTERN

_ID_RE = re.compile(CONTRACT_ID_PATTERN)


def shown_id(contract_id: object) -> str:
    """The id quoted for a message, or a neutral phrase when it is not a well-formed contract id."""
    if isinstance(contract_id, str) and _ID_RE.fullmatch(contract_id):
        return f"'{contract_id}'"
    return "(not a valid contract id)"


class StoreError(Exception):
    """Base class: the operation was refused and nothing was changed."""

    @property
    def message(self) -> str:
        """The user-facing text (same as `str(error)`)."""
        return str(self)


class ContractExistsError(StoreError):
    """Adding (or renaming to) an id the user already has; ids are the user's handle on a contract."""

    def __init__(self, contract_id: str) -> None:
        self.contract_id = contract_id
        super().__init__(
            f"you already have a contract with id {shown_id(contract_id)}; "
            "pick another id or update the existing contract"
        )


class ContractNotFoundError(StoreError):
    """The user has no contract with this id (another user's contract with the same id does not count)."""

    def __init__(self, contract_id: str) -> None:
        self.contract_id = contract_id
        super().__init__(f"there is no contract with id {shown_id(contract_id)} in your ledger")


class ContractEndedError(StoreError):
    """A close request only makes sense while the contract is still open."""

    def __init__(self, contract_id: str) -> None:
        self.contract_id = contract_id
        super().__init__(
            f"contract {shown_id(contract_id)} has already ended, so there is nothing to ask the client to close"
        )


class InvalidIdError(StoreError):
    """A user id or a new contract id that cannot be stored."""


class InvalidSettingError(StoreError):
    """A settings change that fails validation; the message names the setting and the accepted values."""

    def __init__(self, message: str, setting: str | None = None) -> None:
        self.setting = setting
        super().__init__(message)


class StoreBusyError(StoreError):
    """Another process held the database longer than the busy timeout; retrying later usually works."""

    def __init__(self) -> None:
        super().__init__("the ledger store is busy right now; please try again in a moment")


class StoreVersionError(StoreError):
    """The database file was written by a newer JSS Advisor (or is not one of ours); refuse to touch it."""


class StoreReadOnlyError(StoreError):
    """The ledger file (or its folder) cannot be written: reads still work, every change is refused."""

    def __init__(self) -> None:
        super().__init__(
            "the ledger file is read-only, so nothing was changed; "
            "make the file and its folder writable to save changes"
        )


class StoreOpenError(StoreError):
    """The ledger file cannot be opened at all; `reason` names why (for logs and tests), the text says it plainly.

    Raised before anything touched the file, so the file is exactly as it was."""

    MESSAGES = {
        "directory": "the ledger path is a folder, not a file; give a file name such as ledger.db",
        "not_a_file": "the ledger path is not a regular file; give a file name such as ledger.db",
        "cannot_create": "cannot create the ledger file there (the folder is missing or not writable)",
        "cannot_read": "cannot read the ledger file (check its permissions)",
        "cannot_open": "SQLite cannot open the ledger file at that path",
        "cannot_connect": (
            "cannot connect to the PostgreSQL ledger database at that URL; check that the server runs, the "
            "database exists and the user name and password are right"
        ),
        "corrupt": "the ledger file is damaged (SQLite reports a malformed database); restore it from a backup",
        "read_only_outdated": (
            "the ledger file is read-only and was written by an older JSS Advisor; "
            "make it writable once so it can be upgraded"
        ),
        "read_only_new": "the ledger file is read-only and holds no ledger yet; make it writable or pick another file",
        "read_only_wal": (
            "the ledger file is read-only and its latest changes sit in a -wal file this folder does not let "
            "SQLite read; make the folder writable"
        ),
    }

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(self.MESSAGES[reason])
