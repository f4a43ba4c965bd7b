"""The sample files in tests/data and the days they are dated for."""

from __future__ import annotations

from datetime import date
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FREELANCER = DATA / "ledger_freelancer.json"  # 8 contracts, stale and escrow contracts
NEWCOMER = DATA / "ledger_newcomer.json"  # 2 contracts: no score yet
HOSTILE = DATA / "ledger_hostile_text.json"  # ANSI escapes, mentions, markdown, rule-like tokens in free text
AS_OF = date(2026, 2, 15)  # the as_of of the sample ledgers
AS_OF_ARG = AS_OF.isoformat()

UPWORK = DATA / "upwork"  # Upwork CSV exports
TODAY = date(2026, 11, 23)  # after every row of the Upwork samples; the Discord tests' "today" too


def sample(name: str) -> tuple[str, bytes]:
    """(file name, content) of a sample Upwork export, as the import service takes it."""
    return name, (UPWORK / name).read_bytes()
