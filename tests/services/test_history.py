"""Recorded scores and "why did my score move?" through the history service."""

from __future__ import annotations

import pytest

from bot.services import ServiceError, Services
from tests.samples import AS_OF


async def test_why_needs_two_recorded_scores(loaded: Services) -> None:
    with pytest.raises(ServiceError) as raised:
        await loaded.history.explain_change("u1")
    assert "at least twice" in raised.value.answer.description
    with pytest.raises(ServiceError):
        await loaded.history.record_score("u1", 120)


async def test_recorded_notice(loaded: Services) -> None:
    answer = await loaded.history.record_score("u1", 96, AS_OF)
    assert answer.title == "Recorded the JSS Upwork showed you."
    assert answer.description == f"96% on {AS_OF.isoformat()}"
    assert answer.data["jss"] == 96 and answer.data["on"] == AS_OF.isoformat()
