"""Intent layer: recognise the common question types and the rules each should cite, in order.

Why on top of retrieval: BM25 finds rules that share words with the question, but the best *first*
citation for "should I close it?" (C-SELF-CLOSE-2MO) is not always the wordiest match, and the common
questions deserve a stable, reviewed citation order. Intents are recognised by cue regexes over the
folded question (bot/qa/paraphrases.toml: strong cues count 2, weak cues 1, an anti cue vetoes),
plus a little agreement from retrieval (the intent's own first rules scoring well). An intent is only
accepted with at least one strong cue and when retrieval does not clearly contradict it; otherwise
the caller falls back to retrieval, so an unclear question degrades to "closest rules" rather than
a confident guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.qa.data import IntentSpec, load_qa_data

STRONG_CUE = 2.0
WEAK_CUE = 1.0
MAX_WEAK = 2
"""Weak cues are capped so that a long, rambling question cannot win an intent on filler alone."""
RETRIEVAL_SUPPORT = 1.5
"""Weight of retrieval agreement: sum over the intent's first 3 rules of (score / best score) x [1, .6, .4]."""
_SUPPORT_POSITIONS = (1.0, 0.6, 0.4)

DOMINANCE = 1.5
"""How many times the best retrieved rule must outscore all of an intent's rules to contradict it."""
MIN_DOMINANT_SCORE = 6.0
"""Retrieval score (bot.qa.retrieval units; clear on-topic matches score about 6-14) below which
retrieval is too unsure to contradict an intent."""
STRONG_EVIDENCE = 4.0
"""Cue score (two strong cues) at which an intent stands even if retrieval prefers another rule."""

MYTH_INTENT = "myth_check"


@dataclass(frozen=True, slots=True)
class IntentScore:
    """How strongly one intent fits a question."""

    name: str
    cue_score: float
    strong: int
    """How many strong cues matched: an intent needs at least one."""
    support: float
    total: float
    rules: tuple[str, ...]


def _cues(spec: IntentSpec, folded: str) -> tuple[int, int]:
    """(strong, weak) cue counts; an anti cue vetoes the intent (0, 0)."""
    if any(p.search(folded) for p in spec.anti):
        return 0, 0
    strong = sum(1 for p in spec.strong if p.search(folded))
    weak = min(MAX_WEAK, sum(1 for p in spec.weak if p.search(folded)))
    return strong, weak


def detect_myths(folded: str) -> list[str]:
    """Rule ids of folklore that the (folded) question repeats, in catalogue-file order."""
    return [myth.rule_id for myth in load_qa_data().myths.values() if any(p.search(folded) for p in myth.patterns)]


def score_intents(folded: str, retrieval: Mapping[str, float], myths: list[str] | None = None) -> list[IntentScore]:
    """All intents with some cue evidence, best first.

    `retrieval` maps rule id -> retrieval score (any scale; normalised here by its maximum). The myth
    intent only counts when a myth was actually detected: "I heard..." alone names no myth.
    """
    if myths is None:
        myths = detect_myths(folded)
    top = max(retrieval.values(), default=0.0)
    scored: list[IntentScore] = []
    for spec in load_qa_data().intents.values():
        strong, weak = _cues(spec, folded)
        rules = spec.rules
        if spec.name == MYTH_INTENT:
            if not myths:
                continue
            strong += len(myths)
            rules = _myth_rules(myths)
        cue = STRONG_CUE * strong + WEAK_CUE * weak
        if cue <= 0:
            continue
        support = 0.0
        if top > 0:
            support = sum(w * retrieval.get(r, 0.0) / top for w, r in zip(_SUPPORT_POSITIONS, rules, strict=False))
        total = cue + RETRIEVAL_SUPPORT * support + (spec.specificity if strong else 0.0)
        scored.append(IntentScore(spec.name, cue, strong, round(support, 3), round(total, 3), rules))
    scored.sort(key=lambda s: (-s.total, -s.cue_score))
    return scored


def _myth_rules(myths: list[str]) -> tuple[str, ...]:
    """Each detected myth's correcting rule, then its supporting rules, de-duplicated."""
    specs = load_qa_data().myths
    ordered = list(myths)
    for rule_id in myths:
        ordered.extend(specs[rule_id].support)
    return tuple(dict.fromkeys(ordered))


def best_intent(scores: list[IntentScore], retrieval: Mapping[str, float]) -> IntentScore | None:
    """The best intent with enough cue evidence that retrieval does not clearly contradict, else None.

    Contradiction: the best retrieved rule is not one of the intent's rules, scores at least
    MIN_DOMINANT_SCORE, and beats every rule of the intent by DOMINANCE times. That pattern means
    the cue fired on a side remark ("...and left me 1 star" in a question about a banned client), so
    an intent with modest cue evidence (< STRONG_EVIDENCE) is skipped in favour of the next one.
    The myth intent also steps aside for a question-specific intent with at least as much cue
    evidence ("I heard X... should I close it?" asks about closing; the myth is still cited).
    """
    top_rule, top_score = max(retrieval.items(), key=lambda item: item[1], default=("", 0.0))
    myth = next((c for c in scores if c.name == MYTH_INTENT), None)
    for candidate in scores:
        if candidate.strong < 1:
            continue
        if candidate is myth and any(
            other is not myth and other.strong >= 1 and other.cue_score >= myth.cue_score for other in scores
        ):
            continue  # the myth is a side remark: answer the actual question, cite the myth early
        own_best = max((retrieval.get(r, 0.0) for r in candidate.rules), default=0.0)
        contradicted = (
            top_rule not in candidate.rules and top_score >= MIN_DOMINANT_SCORE and top_score >= DOMINANCE * own_best
        )
        if contradicted and candidate.cue_score < STRONG_EVIDENCE:
            continue
        return candidate
    return None
