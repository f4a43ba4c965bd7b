"""The classifier's routing on the miss patterns of real forum questions, the story facts, the follow-up
question, the training data and the evaluation batches.

The questions here are our own wording: neither in bot/qa/training.toml nor in an evaluation batch, so
they check that routing generalises from the training questions rather than recalling them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.qa.data import load_qa_data
from bot.qa.examples import OFF_TOPIC, load_training
from bot.qa.extract import extract_facts
from bot.qa.normalize import fold
from bot.qa.story import FOLLOW_UP_FACTS, read_story
from bot.qa.understand import understand

from .test_understand import known_rule_ids, load_bench

AS_OF = date(2026, 2, 15)
HERE = Path(__file__).parent
BATCHES = sorted(HERE.glob("eval_batch_*.jsonl"))


def first_rule(question: str) -> str:
    return understand(question, AS_OF).rules[0]


# --- miss patterns: escrow wording --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "client terminated the fixed contract and now wants the escrow money returned to him, do I accept?",
            "C-ESCROW-REFUND",
        ),
        (
            "the buyer turned down my milestone and is demanding his money back, will going to dispute hurt my score?",
            "X-DISPUTE",
        ),
        (
            "offer accepted then the client canceled, escrow was never funded, nothing paid. does it count?",
            "X-NO-FEEDBACK",
        ),
        (
            "my milestone payment got auto-released after the client ignored the submission for two weeks, what now?",
            "C-FP-AUTO-RELEASE",
        ),
        (
            "fixed price with money in escrow, client silent for 85 days, I got a dormancy warning. what happens?",
            "C-FP-DORMANT",
        ),
    ],
)
def test_escrow_wording_routes_by_situation(question: str, expected: str) -> None:
    assert first_rule(question) == expected


# --- badges -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("top rated badge got removed yesterday, what exactly takes it away?", {"B-TR-LOSS"}),
        (
            "my rising talent label vanished and I still have no job success score, what happened?",
            {"B-RT-LOSS", "E-RISING"},
        ),
        ("what does it take to reach top rated plus?", {"B-TRP"}),
        (
            "badge lost and my jss fell from 91 to 88 with no new contracts, why did it fall?",
            {"W-AGE-OUT", "B-TR-LOSS"},
        ),
    ],
)
def test_badge_questions_do_not_default_to_eligible_weeks(question: str, expected: set[str]) -> None:
    assert first_rule(question) in expected


# --- who ended it, 5 stars then a drop, 100 % to 60 % -----------------------------------------------


def test_client_ended_without_feedback_is_a_no_feedback_question() -> None:
    result = understand("my client closed our contract on his end and gave no review at all. is that negative?", AS_OF)
    assert result.story.ended_by == "client"
    assert result.story.feedback == "none"
    assert result.rules[0] == "X-NO-FEEDBACK"
    assert (
        result.rules.index("X-NO-FEEDBACK") < result.rules.index("C-SELF-CLOSE-2MO")
        if "C-SELF-CLOSE-2MO" in result.rules
        else True
    )


def test_closing_without_refunding_is_about_ending_not_refunds() -> None:
    assert first_rule("is it possible to end the contract from my side without refunding anything?") == "C-FL-CAN-END"


def test_drop_right_after_five_stars_is_about_the_windows() -> None:
    result = understand("got 5 stars from a happy client two days ago and my score went down 3 points, why?", AS_OF)
    assert result.story.direction == "down"
    assert result.story.feedback == "positive"
    assert result.rules[0] in {"W-AGE-OUT", "W-WINDOWS"}
    assert result.intent == "score_drop"


def test_hundred_to_sixty_after_closing_finished_contracts() -> None:
    result = understand("went 100% to 60% after i closed 2 finished contracts, clients were fine with it", AS_OF)
    assert result.story.ended_by == "me"
    assert result.story.direction == "down"
    assert result.rules[0] == "L-NEWBIE-MATH"


def test_a_friends_drop_is_not_the_askers_drop() -> None:
    result = understand(
        "my friend says his jss dropped after he closed contracts himself. my client vanished months ago, "
        "should I end the contract?",
        AS_OF,
    )
    assert result.story.hearsay
    assert result.story.direction is None
    assert result.intent == "close_or_not"
    assert result.rules[0] == "C-SELF-CLOSE-2MO"


# --- story facts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("the client ended the contract yesterday", "ended_by", "client"),
        ("I closed the contract last week", "ended_by", "me"),
        ("upwork closed it automatically", "ended_by", "upwork"),
        ("he wants the escrow back", "money", "escrow_back"),
        ("the milestone was auto-released", "money", "released"),
        ("it was a $0 contract", "money", "none"),
        ("she left 2 stars", "feedback", "negative"),
        ("he left 4 stars", "feedback", "mixed"),
        ("client gave 5 stars", "feedback", "positive"),
        ("no feedback was left", "feedback", "none"),
        ("I lost top rated plus", "badge", "top_rated_plus"),
        ("I lost top rated", "badge", "top_rated"),
        ("rising talent is gone", "badge", "rising_talent"),
        ("my score went from 95 to 90", "direction", "down"),
        ("my score rose to 95", "direction", "up"),
    ],
)
def test_story_facts(question: str, field: str, value: str) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


def test_story_tokens_pair_the_facts() -> None:
    question = "client ended it and left no feedback"
    tokens = read_story(fold(question), extract_facts(question, AS_OF)).tokens()
    assert {"zzendclient", "zzfbnone", "zzendclientfbnone"} <= set(tokens)


# --- follow-up question -----------------------------------------------------------------------------


def test_follow_up_asks_for_the_missing_feedback() -> None:
    result = understand("the client ended our contract this morning, will that hurt my jss?", AS_OF)
    assert result.follow_up_fact == "feedback"
    assert result.follow_up_fact in FOLLOW_UP_FACTS


def test_no_follow_up_when_the_fact_is_given() -> None:
    result = understand("the client ended our contract this morning and left no feedback, will that hurt?", AS_OF)
    assert result.follow_up_fact != "feedback"


def test_follow_up_for_a_bad_review_without_stars() -> None:
    result = understand("how much will my jss drop after a bad review on a $400 job?", AS_OF)
    assert result.follow_up_fact in {"stars", None}
    assert understand("client gave me 2 stars, how much will I drop?", AS_OF).follow_up_fact == "amount"


def test_unmatched_question_has_no_follow_up() -> None:
    result = understand("what's a good pasta recipe?", AS_OF)
    assert not result.matched and result.follow_up_fact is None


# --- data -------------------------------------------------------------------------------------------


def test_training_data_labels_are_real() -> None:
    known = known_rule_ids() | {OFF_TOPIC}
    intents = set(load_qa_data().intents)
    examples = [e for e in load_training() if not e.paraphrase]
    assert len(examples) >= 500
    for example in examples:
        assert example.rule in known, example.text
        assert example.intent is None or example.intent in intents, example.text


def _batch_rows() -> list[dict[str, object]]:
    return [
        json.loads(line) for path in BATCHES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_eval_batches_are_separate_from_training() -> None:
    training = {fold(e.text) for e in load_training()}
    rows = _batch_rows()
    assert len(BATCHES) >= 2 and len(rows) >= 80
    known = known_rule_ids()
    for row in rows:
        assert fold(str(row["q"])) not in training, row["q"]
        assert set(row["rules"]) <= known, row["q"]  # type: ignore[arg-type]


@pytest.mark.parametrize("path", BATCHES, ids=lambda p: p.name)
def test_eval_batch_hit_rates(path: Path) -> None:
    bench = load_bench()
    result = bench.evaluate(bench.load_questions(path), rounds=1)
    assert result.top1 >= bench.TARGET_TOP1, result.misses
    assert result.top3 >= bench.TARGET_TOP3, result.misses
