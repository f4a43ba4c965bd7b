"""Loading of `paraphrases.toml`: the question-understanding data, validated once per process.

Kept apart from the code so that tuning (new paraphrases, cue regexes) is a data change, and so that a
typo in a regex or an unknown rule id fails loudly at start-up rather than silently never matching.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

DATA_FILE = "paraphrases.toml"

# Same shape as scoring.catalogue.RULE_ID_PATTERN; repeated here so this package loads without it.
_RULE_ID_RE = re.compile(r"^(?:T|F|W|E|X|WT|FB|C|B|L)-[A-Z0-9]+(?:-[A-Z0-9]+)*$")


class QADataError(ValueError):
    """`paraphrases.toml` is malformed; the message names the table and key at fault."""


@dataclass(frozen=True, slots=True)
class RuleText:
    """What the index knows about one rule: our paraphrases and keyword line."""

    rule_id: str
    paraphrases: tuple[str, ...]
    keywords: str
    history_only: bool = False
    """A timeline rule that only answers "when did it change?" (ranked lower for other questions)."""


@dataclass(frozen=True, slots=True)
class IntentSpec:
    """One intent: the rules to cite in order, and the cue regexes that recognise it."""

    name: str
    description: str
    rules: tuple[str, ...]
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    anti: tuple[re.Pattern[str], ...]
    specificity: float = 0.0
    """Added to the intent's score when it has a strong cue: narrow intents beat broad ones."""


@dataclass(frozen=True, slots=True)
class MythSpec:
    """Folklore that rule `rule_id` corrects, recognised by `patterns`; `support` rules go with it."""

    rule_id: str
    patterns: tuple[re.Pattern[str], ...]
    support: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QAData:
    """Everything in `paraphrases.toml`, validated."""

    rules: dict[str, RuleText]
    intents: dict[str, IntentSpec]
    myths: dict[str, MythSpec]


def _compile(where: str, patterns: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        raise QADataError(f"{DATA_FILE}: {where} must be a list of regex strings")
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise QADataError(f"{DATA_FILE}: {where}: bad regex {pattern!r}: {exc}") from exc
    return tuple(compiled)


def _rule_ids(where: str, ids: Any) -> tuple[str, ...]:
    if not isinstance(ids, list) or not all(isinstance(i, str) and _RULE_ID_RE.match(i) for i in ids):
        raise QADataError(f"{DATA_FILE}: {where} must be a list of rule ids")
    return tuple(ids)


def parse_qa_data(text: str) -> QAData:
    """Parse and validate the TOML text (separate from `load_qa_data` so tests can feed variants)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QADataError(f"{DATA_FILE}: not valid TOML: {exc}") from exc
    rules: dict[str, RuleText] = {}
    for rule_id, table in raw.get("rules", {}).items():
        if not _RULE_ID_RE.match(rule_id):
            raise QADataError(f"{DATA_FILE}: [rules.{rule_id!r}] is not a rule id")
        paraphrases = table.get("paraphrases", [])
        if not isinstance(paraphrases, list) or not all(isinstance(p, str) for p in paraphrases):
            raise QADataError(f"{DATA_FILE}: [rules.{rule_id!r}] paraphrases must be a list of strings")
        rules[rule_id] = RuleText(
            rule_id, tuple(paraphrases), str(table.get("keywords", "")), bool(table.get("history_only", False))
        )
    intents: dict[str, IntentSpec] = {}
    for name, table in raw.get("intents", {}).items():
        where = f"[intents.{name}]"
        intents[name] = IntentSpec(
            name=name,
            description=str(table.get("description", "")),
            rules=_rule_ids(f"{where} rules", table.get("rules")),
            strong=_compile(f"{where} strong", table.get("strong", [])),
            weak=_compile(f"{where} weak", table.get("weak", [])),
            anti=_compile(f"{where} anti", table.get("anti", [])),
            specificity=float(table.get("specificity", 0.0)),
        )
    myths: dict[str, MythSpec] = {}
    for rule_id, table in raw.get("myths", {}).items():
        where = f"[myths.{rule_id!r}]"
        if not _RULE_ID_RE.match(rule_id):
            raise QADataError(f"{DATA_FILE}: {where} is not a rule id")
        myths[rule_id] = MythSpec(
            rule_id=rule_id,
            patterns=_compile(f"{where} patterns", table.get("patterns", [])),
            support=_rule_ids(f"{where} support", table.get("support", [])),
        )
    return QAData(rules=rules, intents=intents, myths=myths)


@functools.cache
def load_qa_data() -> QAData:
    """The packaged data, parsed once per process (it never changes at run time)."""
    text = files("bot.qa").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return parse_qa_data(text)
