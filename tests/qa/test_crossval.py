"""The build-time cross-validation (bot.qa.crossval) and the class weights of the shipped rule model.

Why: comparing training methods is only honest if every question written from one forum thread stays in one fold
(its `# source:` comment in bot/qa/training.toml), and the shipped model's class weights are a tuned setting of
their own (bot.qa.train.RULE_CLASS_WEIGHT_POWER).
"""

from __future__ import annotations

import re

import pytest

from bot.qa.crossval import GROUP_RUN, question_groups, training_also
from bot.qa.examples import load_training
from bot.qa.train import RULE_CLASS_WEIGHT_POWER, class_weights

TOML = """
[[group]]
rule = "X-NO-FEEDBACK"
also = ["X-ZERO-NEGATIVE"]
questions = [
  # source: https://example.org/thread-a
  "first from thread a",
  "second from thread a",
  # source: https://example.org/thread-b
  "only from thread b",
]

[[group]]
rule = "W-AGE-OUT"
questions = [
  "q1", "q2", "q3", "q4", "q5",
]
"""


def test_questions_of_one_thread_share_a_fold_group() -> None:
    groups = question_groups(TOML.replace('"q1", "q2", "q3", "q4", "q5",', '"q1",\n"q2",\n"q3",\n"q4",\n"q5",'))
    assert groups["first from thread a"] == groups["second from thread a"] == "src:https://example.org/thread-a"
    assert groups["only from thread b"] == "src:https://example.org/thread-b"
    runs = {groups[q] for q in ("q1", "q2", "q3", "q4")}
    assert len(runs) == 1 and GROUP_RUN == 4
    assert groups["q5"] not in runs, "a source comment does not leak into the next group"


def test_also_rules_are_read_per_group() -> None:
    also = training_also(TOML)
    assert also["first from thread a"] == ("X-ZERO-NEGATIVE",)
    assert also["q1"] == ()


def test_every_source_comment_names_a_thread_and_groups_real_questions() -> None:
    groups = question_groups()
    sources = {g for g in groups.values() if g.startswith("src:")}
    assert len(sources) >= 100, "round 5 trained on questions paraphrased from at least 100 forum threads"
    assert all(re.match(r"src:https?://\S+$", s) for s in sources)
    texts = {e.text for e in load_training() if not e.paraphrase}
    assert set(groups) <= texts, "every question line of training.toml is parsed as a training question"


@pytest.mark.parametrize(("power", "rare", "common"), [(1.0, 2.0, 2 / 3), (0.0, 1.0, 1.0)])
def test_class_weights_follow_sklearn_balanced_to_a_power(power: float, rare: float, common: float) -> None:
    weights = class_weights(["a", "a", "a", "b"], power)
    assert weights["b"] == pytest.approx(rare)
    assert weights["a"] == pytest.approx(common)


def test_shipped_weights_soften_balancing() -> None:
    """Fully balanced weights let a rule with a handful of questions decide on its few surface words."""
    assert 0.0 < RULE_CLASS_WEIGHT_POWER < 1.0
    weights = class_weights(["a"] * 9 + ["b"])
    assert weights["b"] / weights["a"] == pytest.approx(9**RULE_CLASS_WEIGHT_POWER)
