"""A linear classifier that learns what a question is about from whole example questions.

Why: keyword cues decide on surface words ("escrow" -> dormancy, "end" -> closing it yourself) and fit
the examples they were tuned on, not new questions. Here two linear models (one over rules, "which rule
does a regular cite first", one over intents, "which kind of answer") learn from many varied questions
in bot/qa/training.toml plus our per-rule paraphrases in paraphrases.toml. Features:

* word unigrams and bigrams over the normalised tokens (stems, synonyms: bot.qa.normalize), so
  "ghosted" and "vanished" meet, plus the story tokens of bot.qa.story (who ended it, money, feedback,
  badge, direction), so the model weighs the story rather than keywords, plus the words of the asking
  sentences once more, marked (bot.qa.examples.model_texts), so a word in the question itself can weigh
  more than the same word in the story told before it;
* character 2-5-grams inside word boundaries over the folded text, so misspellings and unseen word
  forms still share most features with the training questions.

The models are trained at build time (`python -m bot.qa.train`, scikit-learn TF-IDF + LinearSVC) and
shipped as bot/qa/model.npz; here they are applied with numpy only (bot.qa.tfidf re-implements the
vectorizers, the decision function is coefficients x features + intercept), so answering a question
never imports scikit-learn and the first question costs milliseconds, not seconds. A softmax over the
margins (SOFTMAX_SCALE) gives the scores used for the confidence and the no-match path. They rank; they
are not calibrated probabilities.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.qa.model_file import ModelData, read_model
from bot.qa.tfidf import TfidfBlock, TfidfSettings

SOFTMAX_SCALE = 6.0
"""Margins are multiplied by this before the softmax: SVM margins are about -1..1, so unscaled they would
spread the mass over every class and a clear winner would look unsure."""


@dataclass(frozen=True, slots=True)
class Prediction:
    """Class probabilities of one question, best first."""

    rules: tuple[tuple[str, float], ...]
    intents: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class LinearModel:
    """One-vs-rest linear model: margin of class k = features . coef[:, k] + intercept[k]."""

    classes: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    """features x classes (transposed: a question selects the rows of its few non-zero features)."""
    intercept: npt.NDArray[np.float64]

    def margins(self, columns: npt.NDArray[np.intp], weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The decision function (sklearn's LinearSVC.decision_function) for one sparse feature row."""
        return weights @ self.coef[columns].astype(np.float64) + self.intercept


class QuestionClassifier:
    """The two trained models and their shared feature extractor, as loaded from the model file."""

    def __init__(self, data: ModelData) -> None:
        meta, arrays = data.meta, data.arrays
        self._word = TfidfBlock(TfidfSettings(**meta["word"]), meta["word_vocabulary"], arrays["word_idf"])
        self._char = TfidfBlock(TfidfSettings(**meta["char"]), meta["char_vocabulary"], arrays["char_idf"])
        self.rules = LinearModel(tuple(meta["rule_classes"]), arrays["rule_coef"], arrays["rule_intercept"])
        self.intents = LinearModel(tuple(meta["intent_classes"]), arrays["intent_coef"], arrays["intent_intercept"])
        self.rule_intents = {rule: frozenset(intents) for rule, intents in meta["rule_intents"].items()}
        self.fingerprint: str = meta["fingerprint"]
        for model in (self.rules, self.intents):
            if model.coef.shape != (len(self._word) + len(self._char), len(model.classes)):
                raise ValueError(f"model file: coefficient shape {model.coef.shape} does not match the vocabularies")

    def features(self, word_text: str, char_text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """(columns, weights) of one question: word block, then char block (offset by the word vocabulary)."""
        word_columns, word_weights = self._word.transform(word_text)
        char_columns, char_weights = self._char.transform(char_text)
        return np.concatenate([word_columns, char_columns + len(self._word)]), np.concatenate(
            [word_weights, char_weights]
        )

    def margins(self, word_text: str, char_text: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Raw decision values (rules, intents) in class order: what the tests compare with scikit-learn."""
        columns, weights = self.features(word_text, char_text)
        return self.rules.margins(columns, weights), self.intents.margins(columns, weights)

    def predict(self, word_text: str, char_text: str) -> Prediction:
        """Probabilities of every rule and intent for one question's model inputs."""
        rule_margins, intent_margins = self.margins(word_text, char_text)
        return Prediction(
            rules=_ranked(self.rules.classes, rule_margins), intents=_ranked(self.intents.classes, intent_margins)
        )


def _ranked(classes: tuple[str, ...], margins: npt.NDArray[np.float64]) -> tuple[tuple[str, float], ...]:
    """Classes best first with softmax(SOFTMAX_SCALE x margin) scores summing to 1."""
    scaled = SOFTMAX_SCALE * margins
    probabilities = np.exp(scaled - scaled.max())
    probabilities /= probabilities.sum()
    order = np.argsort(-probabilities, kind="stable")
    return tuple((classes[i], float(probabilities[i])) for i in order)


def rule_intents() -> dict[str, frozenset[str]]:
    """Intents that training questions citing each rule first carry (a rule may serve several kinds)."""
    return get_classifier().rule_intents


_LOAD_LOCK = threading.Lock()
_classifier: QuestionClassifier | None = None


def get_classifier() -> QuestionClassifier:
    """The process-wide classifier, read on first use from the packaged model file (milliseconds).

    Locked: front ends call question understanding from worker threads, and two first questions arriving
    together should not load it twice.
    """
    global _classifier
    if _classifier is None:
        with _LOAD_LOCK:
            if _classifier is None:
                _classifier = QuestionClassifier(read_model())
    return _classifier
