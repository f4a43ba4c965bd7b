"""Upwork CSV import (parse, derive, merge, services, console, Discord) and client messages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

UPWORK = Path(__file__).resolve().parents[1] / "data" / "upwork"
TODAY = date(2026, 11, 23)  # after every sample row; the e2e tests' "today" too


def sample(name: str) -> tuple[str, bytes]:
    """(file name, content) of a sample export, as the import service takes it."""
    return name, (UPWORK / name).read_bytes()
