"""The console front end (`jss-advisor ...`), run in-process on real SQLite files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Run:
    """One in-process run of the console (the `cli` fixture): exit code, stdout, stderr."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


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
