"""Recorded scores and "why did my score move?" through the real store and the CLI (the service:
tests/services/test_history.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.console.cli import main
from bot.store import LedgerStore, StoreError
from tests.samples import AS_OF, FREELANCER


async def test_snapshots_are_per_user_replaced_per_day_and_forgotten(tmp_path: Path) -> None:
    store = await LedgerStore.open(tmp_path / "l.db")
    try:
        await store.record_snapshot("a", AS_OF, 96)
        await store.record_snapshot("a", AS_OF, 95)  # same day: replaces
        await store.record_snapshot("b", AS_OF, 80)
        assert await store.list_snapshots("a") == [(AS_OF, 95)]
        with pytest.raises(StoreError):
            await store.record_snapshot("a", AS_OF, 101)
        await store.forget_user("a")
        assert await store.list_snapshots("a") == [] and await store.list_snapshots("b") == [(AS_OF, 80)]
    finally:
        await store.close()


def test_record_then_why_on_the_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "l.db")]
    assert main(["import", str(FREELANCER), *db]) == 0
    assert main(["record", "96", "--on", "2025-10-01", *db]) == 0
    assert main(["record", "81", "--on", AS_OF.isoformat(), *db]) == 0
    capsys.readouterr()
    assert main(["why", "--as-of", AS_OF.isoformat(), "--json", *db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reported"] == {"from": 96, "to": 81, "change": -15}
    total = sum(c["points"] for c in data["causes"])
    assert total == pytest.approx(data["modelled"]["change"], abs=0.05)  # parts add up (2-decimal rounding)
    assert data["residue"] == pytest.approx(-15 - data["modelled"]["change"], abs=0.01)
    assert all(c["rules"] for c in data["causes"]) and "W-AGE-OUT" in data["rules"]
    assert main(["why", "--as-of", AS_OF.isoformat(), *db]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Why your JSS moved") and "Not explained by the ledger" in text
