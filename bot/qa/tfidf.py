"""TF-IDF features of one question, computed exactly as scikit-learn's TfidfVectorizer does, with numpy only.

Why: the models are trained at build time with scikit-learn (bot.qa.train) but scikit-learn and scipy
cost seconds to import, so at run time the shipped vocabularies and idf vectors are applied here. The
analyzers copy sklearn 1.9's `_word_ngrams` (tokens `\\S+`, no lower-casing, no stop words) and
`_char_wb_ngrams` (n-grams inside space-padded words); the weights are sublinear tf (1 + ln count) times
idf, L2-normalised per vectorizer. tests/qa/test_classifier_model.py checks the vectors against sklearn's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

_TOKEN_RE = re.compile(r"\S+")
"""The word analyzer's token_pattern: the word-model text is already normalised, space-separated tokens."""
_WHITE_SPACES = re.compile(r"\s\s+")


@dataclass(frozen=True, slots=True)
class TfidfSettings:
    """The TfidfVectorizer options both sides use; everything else is sklearn's default."""

    analyzer: Literal["word", "char_wb"]
    ngram_min: int
    ngram_max: int
    min_df: int = 1
    sublinear_tf: bool = True

    def sklearn_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of the equivalent TfidfVectorizer (for bot.qa.train)."""
        kwargs: dict[str, Any] = {
            "analyzer": self.analyzer,
            "ngram_range": (self.ngram_min, self.ngram_max),
            "min_df": self.min_df,
            "sublinear_tf": self.sublinear_tf,
            "lowercase": False,
            "norm": "l2",
            "use_idf": True,
            "smooth_idf": True,
        }
        if self.analyzer == "word":
            kwargs["token_pattern"] = _TOKEN_RE.pattern
        return kwargs

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


WORD = TfidfSettings("word", 1, 2)
"""Word unigrams and bigrams of the normalised tokens plus story tokens."""
CHAR = TfidfSettings("char_wb", 2, 5, min_df=2)
"""Character 2-5-grams inside word boundaries of the folded text; seen in at least 2 training questions."""


def word_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    """sklearn's word analyzer: `\\S+` tokens, then n-grams joined by one space, shortest first."""
    words = _TOKEN_RE.findall(text)
    out = list(words) if ngram_min == 1 else []
    for n in range(max(ngram_min, 2), min(ngram_max + 1, len(words) + 1)):
        out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return out


def char_wb_ngrams(text: str, ngram_min: int, ngram_max: int) -> list[str]:
    """sklearn's char_wb analyzer: n-grams of each space-padded word; a word shorter than n counts once."""
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(ngram_min, ngram_max + 1):
            last = max(len(padded) - n, 0)
            out.extend(padded[offset : offset + n] for offset in range(last + 1))
            if last == 0:
                break
    return out


def analyze(settings: TfidfSettings, text: str) -> list[str]:
    """The terms of `text` under `settings` (before the vocabulary filter)."""
    if settings.analyzer == "word":
        return word_ngrams(text, settings.ngram_min, settings.ngram_max)
    return char_wb_ngrams(text, settings.ngram_min, settings.ngram_max)


class TfidfBlock:
    """One fitted vectorizer: its settings, vocabulary (term of each column) and idf weights."""

    def __init__(self, settings: TfidfSettings, vocabulary: Sequence[str], idf: npt.NDArray[np.float64]) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"vocabulary has {len(vocabulary)} terms but idf has {len(idf)} weights")
        self.settings = settings
        self._column = {term: column for column, term in enumerate(vocabulary)}
        self._idf = np.asarray(idf, dtype=np.float64)

    def __len__(self) -> int:
        return len(self._column)

    def transform(self, text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """(columns, weights) of the non-zero features of `text`: an L2-normalised sparse row."""
        counts = Counter(c for term in analyze(self.settings, text) if (c := self._column.get(term)) is not None)
        columns = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
        tf = np.fromiter((counts[c] for c in columns), dtype=np.float64, count=len(counts))
        if self.settings.sublinear_tf:
            tf = np.log(tf) + 1.0
        weights = tf * self._idf[columns]
        norm = float(np.sqrt(np.dot(weights, weights)))
        return columns, weights / norm if norm > 0.0 else weights
