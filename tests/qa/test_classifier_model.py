"""The shipped classifier model (bot/qa/model.npz) against scikit-learn, which trains it at build time.

Why: the bot answers with a numpy re-implementation of TfidfVectorizer + LinearSVC reading a file built by
`python -m bot.qa.train`. These tests fail when the file is stale (the training data, normalisation or
story tokens changed without a rebuild), when the numpy features or decision values drift from sklearn's,
and when answering a question starts importing scikit-learn again. They need the `test` extra
(scikit-learn), which CI installs; retraining takes a few seconds, once per module.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bot.qa.classifier import QuestionClassifier, get_classifier
from bot.qa.data import QADataError
from bot.qa.examples import load_training, model_inputs
from bot.qa.model_file import read_model
from bot.qa.train import Trained, fit, shipped_is_current

QA_TESTS = Path(__file__).resolve().parent
MARGIN_TOLERANCE = 1e-5
"""float32 coefficients move margins by ~1e-7; anything near 1e-5 is a real difference."""
ODD_TEXTS = ["", "a", "  x   y  ", "héllo wörld", "🙂 jss?!", "abcdefghijklmnopqrstuvwxyz " * 3]
"""Edge cases of the analyzers: empty, words shorter than n, repeated spaces, non-ASCII, long words."""


def _questions() -> list[str]:
    """Every training question and paraphrase plus every question of the evaluation files here."""
    out = [e.text for e in load_training()]
    for path in sorted(QA_TESTS.glob("*.jsonl")):
        out.extend(json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


@pytest.fixture(scope="module")
def trained() -> Trained:
    return fit(load_training())


def test_shipped_model_matches_the_training_data() -> None:
    assert shipped_is_current(load_training()), "bot/qa/model.npz is stale: run `python -m bot.qa.train`"


def test_retraining_reproduces_the_shipped_model(trained: Trained) -> None:
    shipped = read_model()
    meta, arrays = shipped.meta, shipped.arrays
    assert meta["word_vocabulary"] == list(trained.word.get_feature_names_out())
    assert meta["char_vocabulary"] == list(trained.char.get_feature_names_out())
    assert meta["rule_classes"] == list(trained.rules.classes_)
    assert meta["intent_classes"] == list(trained.intents.classes_)
    np.testing.assert_allclose(arrays["word_idf"], trained.word.idf_, rtol=1e-12)
    np.testing.assert_allclose(arrays["char_idf"], trained.char.idf_, rtol=1e-12)
    for name, model in (("rule", trained.rules), ("intent", trained.intents)):
        np.testing.assert_allclose(arrays[f"{name}_coef"], model.coef_.T, atol=1e-4)
        np.testing.assert_allclose(arrays[f"{name}_intercept"], model.intercept_, atol=1e-4)


def _same_ranking(ours: npt.NDArray[np.float64], theirs: npt.NDArray[np.float64]) -> bool:
    """Ours orders the classes as sklearn does, except among classes sklearn itself scores as ties."""
    in_their_order = ours[np.argsort(-theirs, kind="stable")]
    return bool(np.all(np.diff(in_their_order) <= 2 * MARGIN_TOLERANCE))


def test_numpy_inference_matches_sklearn(trained: Trained) -> None:
    classifier = get_classifier()
    for question in [*_questions(), *ODD_TEXTS]:
        word_text, char_text = model_inputs(question)
        columns, weights = classifier.features(word_text, char_text)
        expected = np.hstack(
            [trained.word.transform([word_text]).toarray()[0], trained.char.transform([char_text]).toarray()[0]]
        )
        ours = np.zeros_like(expected)
        ours[columns] = weights
        np.testing.assert_allclose(ours, expected, atol=1e-12, err_msg=question)
        for got, want in zip(
            classifier.margins(word_text, char_text), trained.decision(word_text, char_text), strict=True
        ):
            np.testing.assert_allclose(got, want, atol=MARGIN_TOLERANCE, err_msg=question)
            assert _same_ranking(got, want), question


def test_raw_analyzer_text_matches_sklearn(trained: Trained) -> None:
    """The char block on text the normaliser never produces (it collapses spaces): still sklearn's vector."""
    classifier = get_classifier()
    for text in ODD_TEXTS:
        columns, weights = classifier.features("", text)
        expected = trained.char.transform([text]).toarray()[0]
        ours = np.zeros(len(expected))
        ours[columns - len(trained.word.vocabulary_)] = weights
        np.testing.assert_allclose(ours, expected, atol=1e-12, err_msg=repr(text))


def test_answering_a_question_does_not_import_sklearn() -> None:
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from bot.qa.understand import understand\n"
        "u = understand('my client went silent, should I close the contract?', date(2026, 2, 15))\n"
        "assert u.matched and u.rules, u\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'joblib', 'threadpoolctl'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_a_foreign_model_file_is_a_clear_error() -> None:
    with pytest.raises(QADataError, match="not a readable model file"):
        read_model(b"not a model")


def test_the_classifier_checks_shapes() -> None:
    data = read_model()
    data.arrays["rule_coef"] = data.arrays["rule_coef"][:-1]
    with pytest.raises(ValueError, match="coefficient shape"):
        QuestionClassifier(data)
