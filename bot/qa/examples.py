"""The classifier's training questions and the text both models see for any question.

Why a module of its own: the build step (bot.qa.train, scikit-learn) and the run-time classifier
(bot.qa.classifier, numpy only) must turn a question into exactly the same model inputs, and the
shipped model must be checked against the data it was trained from (`training_fingerprint`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.resources import files

from bot.qa.data import QADataError, load_qa_data
from bot.qa.extract import extract_facts
from bot.qa.normalize import fold, tokens
from bot.qa.story import Story, asking_part, read_story

TRAINING_FILE = "training.toml"
OFF_TOPIC = "OFF-TOPIC"
"""Label of questions that are not about the JSS at all (training.toml has examples)."""
NO_INTENT = "none"
"""Intent label of questions outside the common kinds (rules without an intent group)."""
_TRAIN_AS_OF = date(2025, 2, 15)
"""Story facts do not depend on dates, but extraction needs one; fixed for reproducibility."""


@dataclass(frozen=True, slots=True)
class Example:
    """One training question with the rule cited first and its intent (None: no intent)."""

    text: str
    rule: str
    intent: str | None
    paraphrase: bool = False
    """From paraphrases.toml: a rule statement in our words, not a question; no intent label."""


def parse_training(text: str) -> list[Example]:
    """Training examples from the TOML text; a group without rule or questions is an error."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise QADataError(f"{TRAINING_FILE}: not valid TOML: {exc}") from exc
    out: list[Example] = []
    for number, group in enumerate(raw.get("group", []), start=1):
        rule, questions, intent = group.get("rule"), group.get("questions"), group.get("intent")
        if not isinstance(rule, str) or not isinstance(questions, list) or not questions:
            raise QADataError(f"{TRAINING_FILE}: group {number} needs a rule and a list of questions")
        out.extend(Example(str(q), rule, intent if isinstance(intent, str) else None) for q in questions)
    return out


@functools.cache
def load_training() -> tuple[Example, ...]:
    """The packaged training questions plus every paraphrase of paraphrases.toml (labelled by its rule)."""
    examples = parse_training(files("bot.qa").joinpath(TRAINING_FILE).read_text(encoding="utf-8"))
    for rule in load_qa_data().rules.values():
        examples.extend(Example(p, rule.rule_id, None, paraphrase=True) for p in rule.paraphrases)
    return tuple(examples)


_NEGATED_RE = re.compile(
    r"\b(?:not|never|without|no)\s+(?:(?:any|the|a|an|it|them|this|that|these|those|really|even|just|ever|yet|"
    r"actually|my|his|her|their|to|be|been|have|had|i|he|she|they|we)\s+){0,3}([a-z]+)"
)
"""A negation and the word it negates: the first word after "not", "never" or "without", skipping function
words. "without refunding the money" is not a refund and "I did not end any contract" is not ending one: the
negated word leaves both models' texts and comes back as a word feature of its own ("zzno" + its token)."""


def negation_scoped(folded: str) -> tuple[str, list[str]]:
    """(`folded` without the negated words, the negated words): see _NEGATED_RE."""
    negated: list[str] = []
    parts: list[str] = []
    last = 0
    for match in _NEGATED_RE.finditer(folded):
        negated.append(match.group(1))
        parts.append(folded[last : match.start(1)])
        last = match.end(1)
    if not negated:
        return folded, []
    parts.append(folded[last:])
    return "".join(parts), negated


ASKING_MARK = "zzq"
"""Prefix of the word features taken from the asking sentences (bot.qa.story.asking_part)."""


def model_texts(folded: str, story: Story) -> tuple[str, str]:
    """(word-model text, char-model text) of a folded question whose story is `story`.

    Word text: normalised tokens + "zzno"-marked negated tokens + story tokens + the tokens of the asking
    sentences again, marked "zzq"; char text: the folded text without the negated words. The one place both sides
    build them (bot.qa.train through `model_inputs`, bot.qa.understand directly).

    Why the asking sentences twice: a long story names many things (escrow, a refund, a badge) while the asker's
    question is in the sentences that ask. Marked, their words are features of their own, so the model learns
    that "report" in "how do I report him?" weighs more than "report" in the story before it. Round 6 (grouped CV,
    bot.qa.crossval): 80.5 % top-1 against 79.9 % for the rounds 3-5 way (the asking sentences scored as a second
    question and mixed in), batches 4-10 278 against 275 of 305."""
    scoped, negated = negation_scoped(folded)
    marked = [f"zzno{token}" for word in negated for token in tokens(word, folded=True)]
    asking, _ = negation_scoped(asking_part(folded))
    asked = [f"{ASKING_MARK}{token}" for token in tokens(asking, folded=True)]
    return " ".join([*tokens(scoped, folded=True), *marked, *story.tokens(), *asked]), scoped


def model_inputs(question: str, as_of: date | None = None) -> tuple[str, str]:
    """(word-model text, char-model text) for one question (see `model_texts`)."""
    folded = fold(question)
    story = read_story(folded, extract_facts(question, as_of or _TRAIN_AS_OF))
    return model_texts(folded, story)


def rule_intents_of(examples: tuple[Example, ...]) -> dict[str, list[str]]:
    """Intents that training questions citing each rule first carry (a rule may serve several kinds)."""
    out: dict[str, set[str]] = {}
    for example in examples:
        if example.intent is not None:
            out.setdefault(example.rule, set()).add(example.intent)
    return {rule: sorted(intents) for rule, intents in sorted(out.items())}


def training_fingerprint(examples: tuple[Example, ...], settings: object) -> str:
    """SHA-256 of everything training sees: each example's model inputs and labels, and the settings.

    Computed from the model inputs, not the TOML files, so a change to normalisation or story tokens
    (which changes what the model sees) also makes the shipped model stale.
    """
    rows = [[*model_inputs(e.text), e.rule, e.intent, e.paraphrase] for e in examples]
    payload = json.dumps({"settings": settings, "examples": rows}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
