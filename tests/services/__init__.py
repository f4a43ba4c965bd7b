"""The services directly, on a real SQLite file: answers, errors as rendered `error` answers, persistence."""

from __future__ import annotations

from collections.abc import Awaitable

import pytest

from bot.render import Answer
from bot.services import ServiceError

ERROR_TITLES = {
    "bad_input": "That input is not valid",
    "not_found": "Not found",
    "exists": "Already exists",
    "no_contracts": "No contracts yet",
}


async def expect_error(awaitable: Awaitable[object], key: str, *fragments: str) -> Answer:
    with pytest.raises(ServiceError) as caught:
        await awaitable
    answer = caught.value.answer
    assert answer.kind == "error"
    assert answer.level == "error"
    assert answer.data["error"] == key
    assert answer.title == ERROR_TITLES[key]
    assert answer.description == str(caught.value)  # the exception's text is the escaped, shown one
    assert answer.data["message"]  # the raw message, for --json
    assert answer.footer == ""  # an error shows no estimate, so no model disclaimer (issue 14)
    for fragment in fragments:
        assert fragment in answer.description, (fragment, answer.description)
    return answer
