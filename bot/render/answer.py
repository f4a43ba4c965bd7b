"""The rendering model every front end shares: what to say, independent of how it is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.catalogue import Rule


def reduce_by_fields(obj: Any) -> tuple[type, tuple[Any, ...]]:
    """`__reduce__` for a frozen, slotted dataclass: its class and its field values, in order.

    Why: answers cross a process boundary with every engine job (the bot's workers), and the pickling
    dataclasses give frozen slotted classes (a state dict built and read through `fields()` for every
    object) cost an answer ~40 us each way; rebuilding through the constructor is a third of that."""
    return type(obj), tuple(getattr(obj, name) for name in type(obj).__slots__)


@dataclass(frozen=True, slots=True)
class Citation:
    rule_id: str
    title: str
    source: str
    url: str | None
    confidence: str
    model_assumption: bool

    __reduce__ = reduce_by_fields

    @classmethod
    def of(cls, rule: Rule) -> Citation:
        src = rule.primary_source
        return cls(rule.id, rule.title, src.title, src.url, rule.confidence.value, rule.is_model_assumption)


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False

    __reduce__ = reduce_by_fields


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: `kind` names the template; `data` is the machine-readable twin for --json."""

    kind: str
    title: str
    description: str
    fields: tuple[Field, ...] = ()
    footer: str = ""
    citations: tuple[Citation, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    level: str = "info"  # info | good | warning | error: a colour hint for front ends
    attachments: tuple[tuple[str, bytes], ...] = ()  # (filename, content), e.g. a plot
    # The cited sources as one compact list (sources.md.j2), shown last: the only place rule ids appear.
    sources: Field | None = None

    __reduce__ = reduce_by_fields

    @property
    def rule_ids(self) -> list[str]:
        return [c.rule_id for c in self.citations]

    def as_text(self) -> str:
        """Plain text, e.g. the JSON 'explanation' or a DM body."""
        parts = [self.title, self.description] + [f"{f.name}\n{f.value}" for f in self.fields]
        return "\n\n".join(p for p in parts if p).strip()
