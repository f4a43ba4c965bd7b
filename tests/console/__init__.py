"""Console front end, services and rendering tested with real parts: SQLite files, the CLI, the templates."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
FREELANCER = DATA / "ledger_freelancer.json"  # 8 contracts, stale and escrow contracts
NEWCOMER = DATA / "ledger_newcomer.json"  # 2 contracts: no score yet
HOSTILE = DATA / "ledger_hostile_text.json"  # ANSI escapes, mentions, markdown, rule-like tokens in free text
AS_OF = date(2026, 2, 15)  # the as_of of the sample ledgers
AS_OF_ARG = AS_OF.isoformat()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def json_documents(text: str) -> list[dict[str, Any]]:
    """Every JSON document in `text` (the demo prints one per answer)."""
    decoder = json.JSONDecoder()
    docs, index = [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index == len(text):
            return docs
        doc, index = decoder.raw_decode(text, index)
        docs.append(doc)
