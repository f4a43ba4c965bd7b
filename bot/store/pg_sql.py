"""PostgreSQL's dialect of the stores' SQL: what differs from SQLite, in one place.

Why so little: the stores' SQL is written once, in the common subset (`ON CONFLICT`, `RETURNING`, row
values, `CASE`, `CAST`), and the PostgreSQL schema supplies what SQLite has built in or registered
(`group_concat`, `jss_fold`). What is left is mechanical and done here: `?` and `:name` parameters become
`$1..$n` (translated once per statement text, then cached), and whether a statement returns rows.

`jss_fold` (search.py's Unicode case folding) is generated from Python's own `str.casefold` table, so
search matches exactly what the SQLite build matches, whatever the server's locale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

_ROW_KEYWORDS = frozenset({"SELECT", "WITH", "VALUES"})


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement in PostgreSQL's spelling and how to bind its parameters."""

    sql: str
    names: tuple[str, ...] | None  # the :name parameters in $n order; None when positional (`?`)
    count: int
    returns_rows: bool

    def bind(self, parameters: Any) -> tuple[Any, ...]:
        """The arguments in $n order, from a sequence (`?`) or a mapping (`:name`)."""
        if parameters is None:
            values: tuple[Any, ...] = ()
        elif self.names is not None:
            if not isinstance(parameters, Mapping):
                raise TypeError("this statement takes named parameters (a mapping)")
            values = tuple(parameters[name] for name in self.names)
        else:
            if isinstance(parameters, Mapping):
                raise TypeError("this statement takes positional parameters (a sequence)")
            values = tuple(parameters)
        if len(values) != self.count:
            raise ValueError(f"the statement takes {self.count} parameters, {len(values)} given")
        return values


def _first_keyword(sql: str) -> str:
    for line in sql.splitlines():
        code = line.split("--", 1)[0].strip()
        if code:
            return code.lstrip("(").split(None, 1)[0].upper()
    return ""


@lru_cache(maxsize=2048)
def translate(sql: str) -> Statement:
    """`sql` with its placeholders numbered; string literals, quoted names and comments are left alone."""
    out: list[str] = []
    names: dict[str, int] = {}
    positional = 0
    i, n = 0, len(sql)
    while i < n:
        char = sql[i]
        if char in "'\"":  # a literal or a quoted name: copied to its closing quote ('' inside is two literals)
            end = sql.find(char, i + 1)
            end = n - 1 if end < 0 else end
            out.append(sql[i : end + 1])
            i = end + 1
        elif char == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end])
            i = end
        elif char == "?":
            positional += 1
            out.append(f"${positional}")
            i += 1
        elif char == ":" and sql.startswith("::", i):
            out.append("::")
            i += 2
        elif char == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_"):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            name = sql[i + 1 : j]
            number = names.setdefault(name, len(names) + 1)
            out.append(f"${number}")
            i = j
        else:
            out.append(char)
            i += 1
    if positional and names:
        raise ValueError("a statement mixes ? and :name parameters")
    text = "".join(out)
    returns_rows = _first_keyword(text) in _ROW_KEYWORDS or " RETURNING " in f" {' '.join(text.upper().split())} "
    ordered = tuple(sorted(names, key=names.__getitem__)) if names else None
    return Statement(text, ordered, len(names) if names else positional, returns_rows)


def row_count(status: str) -> int:
    """Rows a statement changed, from PostgreSQL's command tag ("UPDATE 3", "INSERT 0 1"); -1 if none."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@cache
def fold_function() -> str:
    """The body of `jss_fold(text)`: Python's casefold as `replace` (one character to several) then
    `translate` (one to one). Case folding maps each character on its own, so this is exact."""
    sources: list[str] = []
    targets: list[str] = []
    expanding: list[tuple[str, str]] = []
    for code in range(0x20000):  # every cased script is below U+20000
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = char.casefold()
        if folded == char:
            continue
        if len(folded) == 1:
            sources.append(char)
            targets.append(folded)
        else:
            expanding.append((char, folded))
    expression = "$1"
    for char, folded in expanding:
        expression = f"replace({expression}, {_literal(char)}, {_literal(folded)})"
    return f"SELECT translate({expression}, {_literal(''.join(sources))}, {_literal(''.join(targets))})"


def fold_function_ddl() -> str:
    """`CREATE OR REPLACE FUNCTION jss_fold`: run by the migration runner when the stored body differs."""
    return (
        "CREATE OR REPLACE FUNCTION jss_fold(value text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fold$ {fold_function()} $fold$"
    )


def args_of(rows: Sequence[Sequence[Any]], statement: Statement) -> list[tuple[Any, ...]]:
    """executemany's argument rows in $n order."""
    return [statement.bind(row) for row in rows]


__all__ = ["Statement", "args_of", "fold_function", "fold_function_ddl", "row_count", "translate"]
