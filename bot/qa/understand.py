"""Question understanding: one call that turns a freelancer's question into what an answer needs.

`understand` combines the three layers of this package:

* intents (bot.qa.intents) give a reviewed, stable citation order for the common question types;
* retrieval (bot.qa.retrieval) ranks every rule by BM25 over our paraphrases, so uncommon
  questions still get relevant rules, and it may reorder or extend an intent's list a little;
* extraction (bot.qa.extract) pulls out the numbers, dates and named contracts.

It never guesses: if no intent has cue evidence and retrieval is weak, `matched` is False and
`rules` lists the closest rules only as pointers. Pure, synchronous and offline; after the first
call (which builds the index) a question takes well under 5 ms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from bot.qa.data import load_qa_data
from bot.qa.extract import ContractMatch, Facts, extract_facts, match_contracts
from bot.qa.intents import MYTH_INTENT, IntentScore, best_intent, detect_myths, score_intents
from bot.qa.normalize import MAX_QUESTION_CHARS, fold
from bot.qa.retrieval import Hit, get_index

MAX_RULES = 6
"""Rules returned per question: enough for an answer's citations, few enough to stay on topic."""
INTENT_PRIOR = 1.5
"""Score given to an intent's first rule; later rules get INTENT_PRIOR x INTENT_DECAY**position.
Retrieval scores are normalised to [0, 1], so an intent's first two or three rules stay ahead of
any other rule while retrieval can still reorder rules inside the intent's list."""
INTENT_DECAY = 0.85
MIN_RETRIEVAL_SCORE = 2.5
"""Best BM25 score (bot.qa.retrieval units) for a question without an intent to count as matched."""
STRONG_RETRIEVAL_SCORE = 10.0
"""BM25 score at which retrieval-only confidence saturates."""
MIN_KNOWN_SHARE = 0.5
"""Share of a question's content words the index knows; below it the question is likely off-topic."""
MAX_CLOSEST = 3
"""Rules listed when nothing matched: a few pointers, not an answer."""
FALLBACK_RULES = ("F-FORMULA", "W-WINDOWS", "E-CURRENT")
"""Shown as the "closest rules" when nothing in the question overlaps the index at all."""
_HIT_POOL = 16
TIMELINE_DISCOUNT = 0.6
"""Timeline rules marked `history_only` in paraphrases.toml answer "when did it change?"; unless the
question asks about history, their retrieval score is multiplied by this, so that "when did no-feedback
contracts stop counting" ranks T-2020-11-NOFB first but "do no-feedback contracts count" ranks
X-NO-FEEDBACK first."""
_HISTORY_RE = re.compile(
    r"\b(?:when (?:did|was|were)|since when|history|historical|used to|introduc\w*|launch\w*|announc\w*|"
    r"(?:what|has|have|did|was|were)\b[^.?!]{0,20}\bchang\w*|recent(?:ly)?|new (?:rule|system|update|form|policy)|"
    r"old (?:rule|system|posts?|advice|form|info)|anymore|no longer|after the update)"
)


class RuleHit(BaseModel):
    """A retrieval result, kept on the result so callers can judge how close the closest rules are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule_id: str
    score: float


class Understanding(BaseModel):
    """What a question asks and states. Immutable; `rules` are most relevant first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: str
    """The question as analysed (truncated to MAX_QUESTION_CHARS)."""
    intent: str | None
    """The recognised intent name, or None when no intent had enough evidence."""
    matched: bool
    """False when the question matched nothing well: `rules` are then only the closest ones."""
    confidence: float
    """0-1, how much to trust `intent`/`rules` (heuristic, for wording the answer, not a probability)."""
    rules: list[str]
    """Rule ids to cite, most relevant first, de-duplicated, at most MAX_RULES."""
    facts: Facts
    contract_matches: list[ContractMatch]
    myths: list[str]
    """Rule ids correcting folklore the question repeats (e.g. W-24MAX for "48 months")."""
    hits: list[RuleHit]
    """Raw retrieval ranking (best first), for diagnostics and answer wording."""


def _rank(raw: Sequence[Hit], folded: str) -> list[RuleHit]:
    """Retrieval hits with the timeline discount applied (see TIMELINE_DISCOUNT), best first."""
    texts = load_qa_data().rules
    historical = _HISTORY_RE.search(folded) is not None

    def weight(rule_id: str) -> float:
        text = texts.get(rule_id)
        return TIMELINE_DISCOUNT if text is not None and text.history_only and not historical else 1.0

    hits = [RuleHit(rule_id=h.rule_id, score=round(h.score * weight(h.rule_id), 3)) for h in raw]
    hits.sort(key=lambda h: -h.score)
    return hits


def _merge(intent: IntentScore, hits: Sequence[RuleHit], myths: Sequence[str]) -> list[str]:
    """Intent rules in their order, nudged by retrieval; myths right after the first rule."""
    top = hits[0].score if hits else 0.0
    combined: dict[str, float] = {}
    for position, rule_id in enumerate(intent.rules):
        combined[rule_id] = INTENT_PRIOR * INTENT_DECAY**position
    if top > 0:
        for hit in hits:
            combined[hit.rule_id] = combined.get(hit.rule_id, 0.0) + hit.score / top
    ordered = sorted(combined, key=lambda r: -combined[r])
    if intent.name != MYTH_INTENT:
        extra = [m for m in myths if m not in ordered[:2]]
        ordered = ordered[:1] + extra + [r for r in ordered[1:] if r not in extra]
    return ordered


def _confidence(
    intent: IntentScore | None, runner_up: IntentScore | None, top_score: float, known_share: float
) -> float:
    """Heuristic 0-1 trust: cue strength, retrieval agreement and the margin over the next intent for
    an intent; for retrieval alone, the best score (saturating) times the share of known words."""
    if intent is not None:
        base = min(0.95, 0.45 + 0.1 * intent.cue_score + 0.15 * intent.support)
        margin = intent.total - (runner_up.total if runner_up else 0.0)
        return round(base * (0.7 + 0.3 * min(1.0, margin / 2.0)), 3)
    return round(min(0.85, top_score / STRONG_RETRIEVAL_SCORE) * known_share, 3)


def understand(question: str, as_of: date, ledger_items: Sequence[tuple[str, str, str]] = ()) -> Understanding:
    """Analyse one question asked on `as_of` by a freelancer whose ledger holds `ledger_items`.

    `ledger_items` are (contract_id, title, client) triples used to spot contracts the question names.
    """
    text = question[:MAX_QUESTION_CHARS]
    folded = fold(text)
    index = get_index()
    query, unknown = index.query_tokens(folded, folded=True)
    hits = _rank(index.search_tokens(query, _HIT_POOL), folded)
    top_score = hits[0].score if hits else 0.0
    known_share = len(query) / (len(query) + unknown) if query else 0.0

    myths = detect_myths(folded)
    retrieval = {h.rule_id: h.score for h in hits}
    scores = score_intents(folded, retrieval, myths)
    intent = best_intent(scores, retrieval)
    runner_up = None if intent is None else next((s for s in scores if s.name != intent.name), None)

    if intent is not None:
        rules = _merge(intent, hits, myths)
        matched = True
    else:
        rules = list(dict.fromkeys([*myths, *(h.rule_id for h in hits)]))
        matched = bool(myths) or (top_score >= MIN_RETRIEVAL_SCORE and known_share >= MIN_KNOWN_SHARE)
        if not matched:
            rules = rules[:MAX_CLOSEST] or list(FALLBACK_RULES)
    return Understanding(
        question=text,
        intent=intent.name if intent is not None else None,
        matched=matched,
        confidence=_confidence(intent, runner_up, top_score, known_share),
        rules=rules[:MAX_RULES],
        facts=extract_facts(text, as_of),
        contract_matches=match_contracts(text, ledger_items) if ledger_items else [],
        myths=myths,
        hits=hits[:MAX_RULES],
    )
