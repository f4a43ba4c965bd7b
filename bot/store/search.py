"""Helpers for contract autocomplete (Discord shows at most 25 choices of at most 100 characters)."""

from __future__ import annotations

LIKE_ESCAPE = "\\"
MAX_QUERY_CHARS = 100
MAX_LABEL_CHARS = 100


def fold(value: str | None) -> str | None:
    """Unicode-aware case folding, registered as an SQL function: SQLite's LIKE only folds ASCII."""
    return None if value is None else value.casefold()


def escape_like(text: str) -> str:
    """Make `%`, `_` and the escape character itself match literally in a LIKE ... ESCAPE '\\' pattern."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def like_patterns(text: str) -> tuple[str, str]:
    """(prefix pattern, substring pattern) for what the user typed so far."""
    needle = escape_like(fold(text.strip()[:MAX_QUERY_CHARS]) or "")
    return needle + "%", "%" + needle + "%"


def choice_label(title: str, client: str) -> str:
    """'title — client', shortened with an ellipsis to fit Discord's 100-character choice name."""
    label = f"{title} — {client}"
    if len(label) <= MAX_LABEL_CHARS:
        return label
    return label[: MAX_LABEL_CHARS - 1].rstrip() + "…"
