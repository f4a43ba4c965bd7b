"""Checks on the ids every store method receives, before any query runs.

Why up front: user ids come from Discord or the console and contract ids from users; refusing what can
never be a key gives a readable error (InvalidIdError) instead of a silent empty answer or a bad row.
"""

from __future__ import annotations

import re

from scoring.model import CONTRACT_ID_PATTERN

from .errors import InvalidIdError

MAX_USER_ID_CHARS = 100
_ID_RE = re.compile(CONTRACT_ID_PATTERN)


def check_user(user_id: str) -> None:
    """User ids come from Discord or the console; refuse what cannot be a sensible key."""
    if not isinstance(user_id, str) or not user_id.strip() or len(user_id) > MAX_USER_ID_CHARS:
        raise InvalidIdError(f"a user id must be 1 to {MAX_USER_ID_CHARS} characters")


def check_new_contract_id(contract_id: str) -> None:
    """A contract id about to be stored must match the model's pattern."""
    if not isinstance(contract_id, str) or _ID_RE.fullmatch(contract_id) is None:
        raise InvalidIdError("a contract id must be 1 to 64 characters: letters, digits, '.', '_' or '-'")


def is_valid_contract_id(contract_id: str) -> bool:
    """Whether `contract_id` could exist at all (lookups of impossible ids skip the query)."""
    return isinstance(contract_id, str) and _ID_RE.fullmatch(contract_id) is not None
