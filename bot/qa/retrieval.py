"""BM25 retrieval of catalogue rules for a free-text question.

Why BM25 over paraphrases: the catalogue's own wording ("contracts that end without feedback are
excluded") rarely matches how freelancers ask ("client never reviewed me, will it hurt?"). Each rule
is represented by our paraphrases and keyword line (bot/qa/paraphrases.toml), plus its title and
statement from the product catalogue when that is importable. Scoring combines two views:

* the best single paraphrase of the rule (a short document, so a close paraphrase wins clearly), and
* the rule as one concatenated document (rewards questions touching several facets of the rule).

The index is built once per process (`get_index`) and a query costs well under a millisecond:
tokenising, a sparse score lookup in bm25s, and a per-rule max.
"""

from __future__ import annotations

import difflib
import functools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import bm25s  # type: ignore[import-untyped]  # no stubs published
import numpy as np

from bot.qa.data import load_qa_data
from bot.qa.normalize import tokens

log = logging.getLogger(__name__)

CONCAT_SHARE = 0.85
"""Share of the whole-rule view in the combined score; the rest is the best single text. The
whole-rule view ranks better on its own (rare words such as a badge name weigh more when IDF is
counted over rules, not paraphrases); the best-text view still rewards one close paraphrase."""

_TYPO_CUTOFF = 0.82
_TYPO_MIN_LEN = 4


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule and its retrieval score (unbounded BM25 units; compare within one query only)."""

    rule_id: str
    score: float


class RuleIndex:
    """Two bm25s indexes (per text, per rule) over the texts of each rule."""

    def __init__(self, documents: Mapping[str, Sequence[str]]) -> None:
        """`documents` maps rule id -> texts (paraphrases, keywords, title, statement)."""
        self.rule_ids: tuple[str, ...] = tuple(rule_id for rule_id, texts in documents.items() if texts)
        doc_tokens: list[list[str]] = []
        doc_rule: list[int] = []
        rule_tokens: list[list[str]] = []
        for position, rule_id in enumerate(self.rule_ids):
            merged: list[str] = []
            for text in documents[rule_id]:
                toks = tokens(text)
                if toks:
                    doc_tokens.append(toks)
                    doc_rule.append(position)
                    merged.extend(toks)
            rule_tokens.append(merged)
        self._doc_rule = np.asarray(doc_rule, dtype=np.int64)
        self._by_text = bm25s.BM25()
        self._by_text.index(doc_tokens, show_progress=False)
        self._by_rule = bm25s.BM25()
        self._by_rule.index(rule_tokens, show_progress=False)
        vocab = set(self._by_text.vocab_dict) - {""}
        self._vocab = frozenset(vocab)
        buckets: dict[str, list[str]] = {}
        for word in sorted(vocab):
            if len(word) >= _TYPO_MIN_LEN - 1 and not word.isdigit():
                buckets.setdefault(word[0], []).append(word)
        self._buckets = {letter: tuple(words) for letter, words in buckets.items()}
        self._typo_cache: dict[str, str | None] = {}

    def _correct(self, token: str) -> str | None:
        """Map an out-of-vocabulary token to a close vocabulary token ("feeback" -> "feedback").

        Only words sharing the first letter are compared, which keeps this cheap and avoids most
        false corrections; results are cached per process.
        """
        if token in self._vocab:
            return token
        if len(token) < _TYPO_MIN_LEN or token.isdigit():
            return None
        if token not in self._typo_cache:
            if len(self._typo_cache) > 10_000:
                self._typo_cache.clear()
            close = difflib.get_close_matches(token, self._buckets.get(token[0], ()), n=1, cutoff=_TYPO_CUTOFF)
            self._typo_cache[token] = close[0] if close else None
        return self._typo_cache[token]

    def query_tokens(self, question: str, *, folded: bool = False) -> tuple[list[str], int]:
        """The question's tokens as the index knows them (typos corrected), and how many were unknown.

        The unknown count tells an off-topic question ("best pizza in Rome?") from an on-topic one.
        """
        known: list[str] = []
        unknown = 0
        for token in tokens(question, folded=folded):
            fixed = self._correct(token)
            if fixed is None:
                unknown += 1
            else:
                known.append(fixed)
        return known, unknown

    def scores(self, query: list[str]) -> np.ndarray:
        """Combined score per rule (aligned with `rule_ids`) for already-normalised query tokens."""
        combined = np.zeros(len(self.rule_ids), dtype=np.float64)
        if not query:
            return combined
        text_ids = [self._by_text.vocab_dict[t] for t in query if t in self._by_text.vocab_dict]
        rule_ids = [self._by_rule.vocab_dict[t] for t in query if t in self._by_rule.vocab_dict]
        if text_ids:
            per_text = self._by_text.get_scores_from_ids(text_ids)
            np.maximum.at(combined, self._doc_rule, per_text.astype(np.float64))
            combined *= 1.0 - CONCAT_SHARE
        if rule_ids:
            combined += CONCAT_SHARE * self._by_rule.get_scores_from_ids(rule_ids).astype(np.float64)
        return combined

    def search_tokens(self, query: list[str], k: int = 8) -> list[Hit]:
        """Top `k` rules for normalised query tokens, best first; rules scoring 0 are left out."""
        scores = self.scores(query)
        if k <= 0 or not scores.any():
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [Hit(self.rule_ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def search(self, question: str, k: int = 8) -> list[Hit]:
        """Top `k` rules for a question, best first."""
        return self.search_tokens(self.query_tokens(question)[0], k)


def _catalogue_texts() -> dict[str, list[str]]:
    """Title and statement of each rule from the product catalogue, if it is importable.

    Guarded because `scoring.catalogue` is developed separately: question understanding must keep
    working on paraphrases alone if the catalogue is missing or fails validation.
    """
    try:
        from scoring.catalogue import load_catalogue
    except ImportError:
        log.info("scoring.catalogue not importable; indexing paraphrases only")
        return {}
    try:
        catalogue = load_catalogue()
    except Exception:  # noqa: BLE001 - any failure there must not take question understanding down
        log.warning("scoring catalogue failed to load; indexing paraphrases only", exc_info=True)
        return {}
    return {rule.id: [rule.title, rule.statement] for rule in catalogue.rules}


def build_documents(*, with_catalogue: bool = True) -> dict[str, list[str]]:
    """Texts per rule id: our paraphrases and keywords, then catalogue title and statement."""
    docs: dict[str, list[str]] = {}
    for rule_id, text in load_qa_data().rules.items():
        docs[rule_id] = [*text.paraphrases, text.keywords]
    if with_catalogue:
        for rule_id, texts in _catalogue_texts().items():
            docs.setdefault(rule_id, []).extend(texts)
    return docs


@functools.cache
def get_index() -> RuleIndex:
    """The process-wide index, built on first use (about a hundred milliseconds)."""
    return RuleIndex(build_documents())


def search(question: str, k: int = 8) -> list[Hit]:
    """Top `k` rules for a question from the process-wide index."""
    return get_index().search(question, k)
