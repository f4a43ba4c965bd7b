"""The rules catalogue: every JSS and contract-lifecycle rule the product knows, as validated data.

Why a data file: answers must cite stable rule ids (evaluation sets and users refer to them), the
scoring engine must take published numbers (earnings tiers, window lengths, dormancy days) from one
place instead of hard-coding them, and each rule carries its era, confidence and sources so an answer
can say how sure it is. The rules live in `scoring/rules.toml`; this module loads them once,
validates them strictly (a typo in an id or a number should fail at start-up, not in an answer) and
offers small lookups.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from importlib.resources import files
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = [
    "MODEL_ASSUMPTION_CONFIDENCES",
    "RULE_ID_PATTERN",
    "RULE_ID_PREFIXES",
    "RULE_ID_RE",
    "Catalogue",
    "CatalogueError",
    "Confidence",
    "NumberValue",
    "Rule",
    "Scalar",
    "Source",
    "Topic",
    "UnknownNumberError",
    "UnknownRuleError",
    "cite",
    "find_rule_ids",
    "load_catalogue",
    "parse_catalogue",
]

RULE_ID_PATTERN: Final = r"^[A-Z]+(-[A-Z0-9]+)+$"
"""Shape of every rule id: upper-case words and digits joined by hyphens, e.g. ``WT-EARNINGS-TIERS``."""

RULE_ID_PREFIXES: Final = ("T", "F", "W", "E", "X", "WT", "FB", "C", "B", "L")
"""The id families (timeline, formula, windows, eligibility, exclusions, weighting, feedback,
contract lifecycle, badges, lore). Only these prefixes are recognised in free text, so that tokens
such as ``UTF-8`` or ``OFFICIAL-CURRENT`` are never mistaken for rule ids."""

RULE_ID_RE: Final = re.compile(
    r"\b(?:" + "|".join(sorted(RULE_ID_PREFIXES, key=len, reverse=True)) + r")-[A-Z0-9]+(?:-[A-Z0-9]+)*\b"
)
"""Finds rule-id-looking tokens in text (case-sensitive on purpose: ids are upper case)."""

_NUMBER_KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_FILE: Final = "rules.toml"

Scalar = StrictInt | StrictFloat | StrictStr
"""A single machine-readable value. Strict so that TOML ``1`` stays int, ``1.0`` stays float, and a
boolean is never silently read as a number."""

NumberValue = Scalar | list[Scalar]
"""A value in a rule's ``numbers`` table: a scalar or a list of scalars."""


class Topic(StrEnum):
    """What part of the product a rule informs; used to group rules in answers and help pages."""

    TIMELINE = "timeline"
    FORMULA = "formula"
    WINDOWS = "windows"
    ELIGIBILITY = "eligibility"
    EXCLUSIONS = "exclusions"
    WEIGHTING = "weighting"
    FEEDBACK = "feedback"
    LIFECYCLE = "lifecycle"
    BADGES = "badges"
    LORE = "lore"


class Confidence(StrEnum):
    """How far a rule can be trusted, using the shared catalogue's labels verbatim so they can be compared."""

    OFFICIAL_CURRENT = "OFFICIAL-CURRENT"
    OFFICIAL_DATED = "OFFICIAL-DATED"
    OFFICIAL = "OFFICIAL"
    STAFF = "STAFF"
    STAFF_INTERNAL = "STAFF-INTERNAL"
    STAFF_DATED = "STAFF-DATED"
    FORUM_USER = "FORUM-USER"
    THIRD_PARTY = "THIRD-PARTY"
    INFERRED = "INFERRED"
    UNKNOWN = "UNKNOWN"


MODEL_ASSUMPTION_CONFIDENCES: Final = frozenset(
    {Confidence.INFERRED, Confidence.UNKNOWN, Confidence.FORUM_USER, Confidence.THIRD_PARTY}
)
"""Labels that are not an Upwork statement: answers built on them must say they are a model or lore."""


class CatalogueError(ValueError):
    """The rules file is malformed or inconsistent; the message names the rule and field at fault."""


class UnknownRuleError(KeyError):
    """A rule id that is not in the catalogue: usually a typo in code, a template or an answer."""

    def __init__(self, rule_id: str, suggestions: Iterable[str] = ()) -> None:
        self.rule_id = rule_id
        self.suggestions = tuple(suggestions)
        super().__init__(rule_id)

    def __str__(self) -> str:
        # KeyError's own __str__ shows repr(arg); a sentence is clearer in logs and test failures.
        hint = f"; did you mean {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"unknown rule id {self.rule_id!r}: not in scoring/{_RULE_FILE}{hint}"


class UnknownNumberError(KeyError):
    """A rule has no number under that key (the engine asked for a key the catalogue does not define)."""

    def __init__(self, rule_id: str, key: str, available: Iterable[str]) -> None:
        self.rule_id = rule_id
        self.key = key
        self.available = tuple(available)
        super().__init__(key)

    def __str__(self) -> str:
        have = ", ".join(self.available) if self.available else "none"
        return f"rule {self.rule_id} has no number {self.key!r} (its numbers: {have})"


class Source(BaseModel):
    """Where a rule's facts come from; ``url`` is absent when only a thread or post name is known."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: Annotated[str, Field(min_length=1, max_length=200)]
    url: Annotated[str, Field(pattern=r"^https://\S+$", max_length=500)] | None = None


class Rule(BaseModel):
    """One rule: a short plain statement for freelancers, its era and confidence, numbers and sources."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    id: Annotated[str, Field(pattern=RULE_ID_PATTERN)]
    title: Annotated[str, Field(min_length=1, max_length=60)]
    statement: Annotated[str, Field(min_length=1, max_length=400)]
    topic: Topic
    confidence: Confidence
    since: date | None = None
    until: date | None = None
    current: bool
    note: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    numbers: dict[str, NumberValue] = Field(default_factory=dict)
    sources: Annotated[tuple[Source, ...], Field(min_length=1)]

    @field_validator("id")
    @classmethod
    def _known_prefix(cls, value: str) -> str:
        """An id with an unknown prefix could never be found in text by `find_rule_ids`."""
        if RULE_ID_RE.fullmatch(value) is None:
            raise ValueError(f"rule id {value!r} must start with one of {', '.join(RULE_ID_PREFIXES)}")
        return value

    @field_validator("numbers")
    @classmethod
    def _snake_case_keys(cls, value: dict[str, NumberValue]) -> dict[str, NumberValue]:
        """The engine reads numbers by key; one spelling convention avoids silent misses."""
        bad = [key for key in value if _NUMBER_KEY_RE.fullmatch(key) is None]
        if bad:
            raise ValueError(f"number keys must be snake_case: {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _consistent_era(self) -> Rule:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(f"since ({self.since}) is after until ({self.until})")
        if self.until is not None and self.current:
            raise ValueError(f"until is {self.until}, so the rule is historical: set current = false")
        return self

    def number(self, key: str) -> NumberValue:
        """The machine-readable value under ``key``; raises `UnknownNumberError` (a KeyError) naming both."""
        try:
            return self.numbers[key]
        except KeyError:
            raise UnknownNumberError(self.id, key, self.numbers) from None

    def number_int(self, key: str) -> int:
        """`number` narrowed to int, so typed engine code needs no isinstance checks of its own."""
        value = self.number(key)
        if not isinstance(value, int):
            raise TypeError(f"rule {self.id} number {key!r} is {value!r}, not an int")
        return value

    def number_float(self, key: str) -> float:
        """`number` as a float (an int such as 90 is accepted and converted)."""
        value = self.number(key)
        if not isinstance(value, int | float):
            raise TypeError(f"rule {self.id} number {key!r} is {value!r}, not a number")
        return float(value)

    def number_str(self, key: str) -> str:
        """`number` narrowed to str (e.g. a date anchor or a time zone)."""
        value = self.number(key)
        if not isinstance(value, str):
            raise TypeError(f"rule {self.id} number {key!r} is {value!r}, not a string")
        return value

    def number_ints(self, key: str) -> tuple[int, ...]:
        """`number` as a tuple of ints (e.g. window lengths in months)."""
        value = self.number(key)
        if not isinstance(value, list) or not all(isinstance(item, int) for item in value):
            raise TypeError(f"rule {self.id} number {key!r} is {value!r}, not a list of ints")
        return tuple(int(item) for item in value)

    def number_floats(self, key: str) -> tuple[float, ...]:
        """`number` as a tuple of floats (ints in the list are converted)."""
        value = self.number(key)
        if not isinstance(value, list) or not all(isinstance(item, int | float) for item in value):
            raise TypeError(f"rule {self.id} number {key!r} is {value!r}, not a list of numbers")
        return tuple(float(item) for item in value)

    def __hash__(self) -> int:
        # Ids are unique, and the default frozen-model hash would fail on the `numbers` dict; rules
        # should work as set members and dict keys (e.g. de-duplicating citations).
        return hash(self.id)

    @property
    def primary_source(self) -> Source:
        """The source to cite when there is room for only one (the first listed, the strongest)."""
        return self.sources[0]

    @property
    def citation(self) -> str:
        """One-line citation for answers, e.g. ``W-24MAX (Upwork Help: Job Success Score, https://...)``."""
        source = self.primary_source
        where = f"{source.title}, {source.url}" if source.url else source.title
        return f"{self.id} ({where})"

    @property
    def is_model_assumption(self) -> bool:
        """True when the rule is not an Upwork statement (inferred, unknown, forum lore or third party),
        so an answer relying on it must present it as a model or lore, not as Upwork policy."""
        return self.confidence in MODEL_ASSUMPTION_CONFIDENCES


class Catalogue(BaseModel):
    """All rules in file order, with lookups by id and topic. Immutable; get the shared one from
    `load_catalogue`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: Annotated[tuple[Rule, ...], Field(min_length=1)]
    _by_id: dict[str, Rule] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _index_and_cross_check(self) -> Catalogue:
        """Ids must be unique (they are public and stable), and every id a rule's text mentions must
        exist, so a rule never points a reader at a rule we do not have."""
        by_id: dict[str, Rule] = {}
        duplicates: list[str] = []
        for rule in self.rules:
            if rule.id in by_id:
                duplicates.append(rule.id)
            by_id[rule.id] = rule
        if duplicates:
            raise ValueError(f"duplicate rule ids: {', '.join(sorted(set(duplicates)))}")
        dangling = [
            f"{rule.id} mentions {ref}"
            for rule in self.rules
            for text in (rule.title, rule.statement, rule.note or "")
            for ref in find_rule_ids(text)
            if ref not in by_id
        ]
        if dangling:
            raise ValueError(f"rules mention unknown rule ids: {'; '.join(dangling)}")
        self._by_id = by_id
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        """All rule ids in file order (the order of the shared catalogue's sections)."""
        return tuple(rule.id for rule in self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return isinstance(rule_id, str) and rule_id in self._by_id

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; raises `UnknownRuleError` (a KeyError) with close matches as hints."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            hints = difflib.get_close_matches(rule_id, self._by_id, n=3, cutoff=0.6)
            raise UnknownRuleError(rule_id, hints) from None

    def by_topic(self, topic: Topic | str) -> tuple[Rule, ...]:
        """Rules of one topic in file order; an unknown topic name raises ValueError rather than
        quietly returning nothing."""
        wanted = Topic(topic)
        return tuple(rule for rule in self.rules if rule.topic is wanted)

    def cite(self, *rule_ids: str) -> list[Rule]:
        """The rules for these ids, in the order given; fails on the first unknown id so that an
        answer never cites a rule that does not exist."""
        return [self.get(rule_id) for rule_id in rule_ids]


def find_rule_ids(text: str) -> list[str]:
    """Rule-id-looking tokens in ``text`` (known prefixes only), each once, in order of first
    appearance. It does not check that they exist: pass them to `cite` or `Catalogue.get` for that."""
    return list(dict.fromkeys(match.group(0) for match in RULE_ID_RE.finditer(text)))


def _describe_errors(error: ValidationError, raw_rules: list[Any]) -> str:
    """Pydantic locates errors as ``rules.12.title``; name the rule id too, so the fix is obvious."""
    lines: list[str] = []
    for item in error.errors():
        loc = list(item["loc"])
        where = ".".join(str(part) for part in loc) or "catalogue"
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int) and loc[1] < len(raw_rules):
            raw = raw_rules[loc[1]]
            rule_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
            rest = ".".join(str(part) for part in loc[2:]) or "rule"
            where = f"rule #{loc[1] + 1} ({rule_id}): {rest}"
        lines.append(f"{where}: {item['msg']}")
    return "\n  ".join(lines)


def parse_catalogue(text: str, *, source: str = _RULE_FILE) -> Catalogue:
    """Parse and validate catalogue TOML (``[[rule]]`` tables). Separate from `load_catalogue` so that
    tests and tools can validate other text; raises `CatalogueError` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{source}: not valid TOML: {exc}") from exc
    extra = sorted(set(data) - {"rule"})
    if extra:
        raise CatalogueError(f"{source}: unexpected top-level keys {extra}; only [[rule]] tables are allowed")
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list):
        raise CatalogueError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    try:
        return Catalogue.model_validate({"rules": raw_rules})
    except ValidationError as exc:
        details = _describe_errors(exc, raw_rules)
        raise CatalogueError(f"{source}: invalid rules catalogue:\n  {details}") from exc


@functools.cache
def load_catalogue() -> Catalogue:
    """The product's catalogue, read from the installed package once per process (it never changes
    at run time, and every answer and score consults it)."""
    text = files("scoring").joinpath(_RULE_FILE).read_text(encoding="utf-8")
    return parse_catalogue(text, source=f"scoring/{_RULE_FILE}")


def cite(*rule_ids: str) -> list[Rule]:
    """The shared catalogue's rules for these ids, in order; raises `UnknownRuleError` on any unknown id."""
    return load_catalogue().cite(*rule_ids)
