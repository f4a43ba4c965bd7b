"""The classifier's routing on the miss patterns of real forum questions, the story facts, the follow-up
question, the training data and the evaluation batches.

The questions here are our own wording: neither in bot/qa/training.toml nor in an evaluation batch, so
they check that routing generalises from the training questions rather than recalling them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from bot.qa.data import load_qa_data
from bot.qa.examples import OFF_TOPIC, load_training, model_texts, negation_scoped
from bot.qa.extract import extract_facts
from bot.qa.follow_up import FOLLOW_UP_FACTS
from bot.qa.normalize import fold
from bot.qa.story import Story, read_story, rule_adjustments
from bot.qa.understand import asking_part, understand

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


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "My first job success score just appeared and the rising talent badge is gone at the same time. "
            "is that expected?",
            {"E-RISING", "B-RT"},
        ),
        (
            "I'm taking six months off and will switch my profile to private. will my job success slide while "
            "I'm gone?",
            {"W-AGE-OUT", "W-INACTIVITY"},
        ),
        (
            "hourly job, client never gave me the login details, nothing tracked in a month, he is silent. "
            "is closing it safe for my score?",
            {"X-NO-FEEDBACK"},
        ),
    ],
)
def test_the_story_decides_not_the_surface_words(question: str, expected: set[str]) -> None:
    """A Rising Talent badge replaced by a first JSS is not a lost badge; a private profile is time away, not
    private feedback; an hourly contract with nothing tracked is a $0 contract, not "should I close it?"."""
    assert first_rule(question) in expected


# --- long stories: the situation told, the question at the end ---------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I delivered a mobile app, the client went quiet, and this week the contract page started saying "
            "suspended. nothing else changed. is this a mark against my job success?",
            "X-FLAGGED-CLIENT",
        ),
        (
            "upwork placed one of my contracts on hold, something about the client's account. he is not answering "
            "me. will this count as a bad contract for me?",
            "X-FLAGGED-CLIENT",
        ),
        (
            "fixed price gig, final files submitted through the milestone two weeks ago, and the client hasn't been "
            "seen since. does upwork close it or pay me, or must I end it?",
            "C-FP-AUTO-RELEASE",
        ),
        (
            "After eight years here I have around forty finished contracts that clients never bothered to end, and "
            "my score keeps creeping down. Ending them myself scares me. What's the sensible way to deal with them?",
            "L-STAGGER",
        ),
        (
            "I'm top rated plus and have sent dozens of proposals this month without a single hire. could all these "
            "unanswered proposals pull my job success down?",
            "X-PROPOSALS",
        ),
        (
            "I've had 5 stars on everything and my score still dropped a couple of points. many of my clients end "
            "contracts and never rate me even though they're happy. do those unrated endings count as bad?",
            "X-NO-FEEDBACK",
        ),
        (
            "the client released the second milestone himself last month and now, after cancelling the rest, he "
            "wants me to give that money back. do I have to, and does refunding hurt my jss?",
            "X-REFUND",
        ),
        (
            "I was away from freelancing for almost four years raising kids. logged back in and my job success "
            "isn't on my profile anymore. can I get it back?",
            "W-INACTIVITY",
        ),
        (
            "The client cancelled our contract before paying anything. can he still post feedback about me, and "
            "would people see it?",
            "FB-PUBLIC-MIN",
        ),
    ],
)
def test_long_stories_route_by_the_question_asked(question: str, expected: str) -> None:
    """The miss patterns of eval batches 4-5 in our own words: a contract Upwork suspended, a fixed-price
    delivery nobody approves, a backlog of contracts clients never closed, a badge or 5 stars told in passing,
    a refund of money already released, years away, a review on a $0 contract."""
    assert first_rule(question) == expected


def test_a_myth_asked_about_leads_but_a_myth_told_in_passing_does_not() -> None:
    asked = understand(
        "5 stars on every job, yet my score slid 4 points. lots of my clients never leave feedback. does a "
        "contract that ends with no review count as a bad one?",
        AS_OF,
    )
    assert "X-NO-FEEDBACK" in asked.myths
    assert asked.rules[0] == "X-NO-FEEDBACK"
    told = understand(
        "I heard contracts without feedback count as bad ones. anyway my client vanished 10 weeks ago, contract "
        "still open, should I end it myself?",
        AS_OF,
    )
    assert "X-NO-FEEDBACK" in told.myths
    assert told.rules[0] == "C-SELF-CLOSE-2MO"


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("hourly job, nothing tracked in a month", "none"),
        ("I have not logged a single minute on it", "none"),
        ("the project never started", "none"),
    ],
)
def test_no_time_logged_is_no_money(question: str, money: str) -> None:
    assert read_story(fold(question), extract_facts(question, AS_OF)).money == money


def test_a_private_profile_is_not_private_feedback() -> None:
    question = "should I set my profile to private while I am away?"
    assert not read_story(fold(question), extract_facts(question, AS_OF)).private_feedback
    question = "could the client have rated me low in private?"
    assert read_story(fold(question), extract_facts(question, AS_OF)).private_feedback


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
        ("this week upwork put the contract on hold", "held", True),
        ("the contract page now says suspended", "held", True),
        ("the client's account got banned", "held", True),
        ("the client paused the contract for a month", "held", False),
        ("my own account was suspended once, years ago", "held", False),
        ("I'm top rated. will upwork remove my account if I land nothing this month?", "badge_lost", False),
        ("top rated was taken away from me yesterday", "badge_lost", True),
        ("he now asks me to refund the money he already released", "money", "refunded"),
        ("5 stars everywhere, but many clients never leave a review", "unrated", True),
        ("the client gave me 5 stars", "unrated", False),
        ("can I end them without refunding the money I already earned?", "money", None),
        ("I did not refund the client anything", "money", None),
        ("just before the payment would auto-release he asked for the escrow back", "money", "escrow_back"),
        ("the client released the final milestone himself but never ended it", "money", "paid"),
        ("he didn't like it so I gave him his money back", "money", "refunded"),
        ("he never paid the bonus he promised", "money", None),
    ],
)
def test_story_facts(question: str, field: str, value: str) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


def test_negated_words_are_features_of_their_own() -> None:
    """ "without refunding" is not a refund: the negated word leaves both model texts and comes back marked."""
    word, char = model_texts(fold("can I end it without refunding the money? I did not get paid"), Story())
    assert "zznorefund" in word.split()
    assert "refund" not in word.split()
    assert "refunding" not in char
    assert negation_scoped(fold("the client never ended it"))[1] == ["ended"]


def test_hearsay_in_the_asking_sentences_gives_way_to_the_askers_question() -> None:
    folded = fold("I have many unrated contracts. Does my score go up now? Someone said I could lose it, how?")
    assert asking_part(folded) == "does my score go up now?"
    assert asking_part(fold("Someone said closing hurts. Is that true?")) == "is that true?"


def test_a_last_question_without_its_question_mark_is_asked_too() -> None:
    """Askers often drop the "?" on the question they add last; a last sentence that only tells is not asked."""
    folded = fold("My JSS fell after a refund. Will it hurt me? How many months do I have to wait")
    assert asking_part(folded) == "will it hurt me? how many months do i have to wait"
    assert asking_part(fold("Will it hurt me? Would like a serious answer")) == "will it hurt me?"
    assert asking_part(fold("Will it hurt me? Thanks in advance")) == "will it hurt me?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "my buyer approved the delivery and released the payment, but the job still shows active. can i close "
            "it myself or must he do it?",
            "C-FL-CAN-END",
        ),
        (
            "long story: designed a logo, client vanished, and just before the payment would auto-release he "
            "requested the escrow back. do I have to agree?",
            "C-ESCROW-REFUND",
        ),
        ("I'm Top Rated and only the earnings are missing for TR plus. what is the earnings requirement?", "B-TRP"),
        (
            "i left a client 3 stars because he never paid the tip he promised. will he see my rating before he "
            "rates me?",
            "FB-DOUBLE-BLIND",
        ),
    ],
)
def test_what_did_not_happen_does_not_decide(question: str, expected: str) -> None:
    """Batch 6's miss patterns in our own words: a client who released the money himself (no auto-release), an
    auto-release that was about to happen, "TR plus", an unpaid tip (not a $0 contract)."""
    assert first_rule(question) == expected


def test_story_tokens_pair_the_facts() -> None:
    question = "client ended it and left no feedback"
    tokens = read_story(fold(question), extract_facts(question, AS_OF)).tokens()
    assert {"zzendclient", "zzfbnone", "zzendclientfbnone"} <= set(tokens)


# --- the most common question: "5 stars everywhere / I work steadily, and it dropped" ----------------------


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("three contracts are done but still open, nobody touches them. why did my jss drop?", "open_idle", True),
        ("I don't want them sitting open forever, should I end them?", "open_idle", False),
        ("two jobs are active but barely anything happens on them since march", "open_idle", True),
        ("my score drops a little every two weeks, all reviews 5 stars", "aging", True),
        ("a 2 star review from years ago, everything since is 5 stars and it fell", "aging", True),
        ("5 stars on everything and my JSS fell from 95 to 88", "aging", False),
        ("i'm working steadily for one client, no gaps, why only 84%?", "steady", True),
        ("he never ended the job or left a review, so I closed it myself", "feedback", "none"),
        (
            "what do Top Rated requirements mean by days of work history? my Rising Talent went away",
            "badge",
            "top_rated",
        ),
    ],
)
def test_drop_story_facts(question: str, field: str, value: object) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "all my reviews are five stars and clients say thanks, but jss went from 96 to 89 this update. I have "
            "no idea where that comes from, is there something I can't see?",
            "F-PRIVATE-FB",
        ),
        (
            "i bill the same client 30 hours every week without gaps and everyone rates me 5 stars. how is my job "
            "success only 83 then?",
            "F-PRIVATE-FB",
        ),
    ],
)
def test_five_stars_then_a_drop(question: str, expected: str) -> None:
    """Batch 7's most common miss in our own words: all public reviews good (or steady work) and no cue of time
    passing is the hidden private feedback, not old work leaving the window."""
    assert first_rule(question) == expected


@pytest.mark.parametrize(
    ("story", "up", "down"),
    [
        (Story(direction="down", feedback="positive"), "F-PRIVATE-FB", "W-AGE-OUT"),
        (Story(steady=True), "F-PRIVATE-FB", "W-AGE-OUT"),
        (Story(direction="down", feedback="positive", aging=True), "W-AGE-OUT", "F-PRIVATE-FB"),
        (Story(direction="down", feedback="positive", open_idle=True), "C-OPEN-INACTIVE-JSS", "L-STAGGER"),
        (Story(open_idle=True), "C-OPEN-INACTIVE-JSS", "C-SELF-CLOSE-2MO"),
        (Story(ended_by="me", money="paid", feedback="none"), "X-NO-FEEDBACK", None),
        (Story(money="none"), None, "C-SELF-CLOSE-2MO"),
        (Story(money="none", private_feedback=True), "X-ZERO-NEGATIVE", "F-PRIVATE-FB"),
    ],
)
def test_the_story_ranks_the_drop_rules(story: Story, up: str | None, down: str | None) -> None:
    """What decides the first rule of "it dropped although...": time or old work told -> age-out; nothing
    told but good reviews or steady work -> private feedback; idle open contracts -> whether they count; a $0
    contract -> not the two-month wait, and its private feedback -> whether a $0 contract's feedback counts; a
    paid job the asker closed unrated -> the no-feedback rule."""
    changes = rule_adjustments(story)
    if up is not None:
        assert changes.get(up, 0.0) > 0
    if down is not None:
        assert changes.get(down, 0.0) < 0


# --- round 5: batch 8's miss patterns, a fresh contract that ends at $0, and surface words ------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "I ended the job and left the client a review; he says he reviewed me too but after a week it still "
            "isn't on my profile. why?",
            {"FB-DOUBLE-BLIND"},
        ),
        (
            "hiring manager here: an applicant has 100% job success but a 2-star and a 3-star review among her few "
            "finished jobs, plus two long hourly contracts running. how?",
            {"WT-LONG-TERM", "F-PRIVATE-FB", "WT-EARNINGS-TIERS"},
        ),
        (
            "I'll be off for three weeks for exams. does upwork close or penalise accounts that sit unused?",
            {"W-INACTIVITY", "W-AGE-OUT"},
        ),
        (
            "several of my clients went silent this month and I have to cancel their contracts. can I keep the "
            "cancellations from dragging my score?",
            {"X-NO-FEEDBACK", "L-STAGGER"},
        ),
        (
            "scope keeps growing on my hourly contract and the client now nitpicks everything. I want to end it but "
            "fear his review. is there a way to avoid his feedback?",
            {"FB-WHO-ENDS", "FB-REPORT"},
        ),
        (
            "the client cancelled the day after I accepted and blocked me; apparently he hired five people that way. "
            "my score fell from 93 to 84. anything I can do?",
            {"X-ZERO-NEGATIVE", "X-NO-FEEDBACK", "X-FLAGGED-CLIENT"},
        ),
    ],
)
def test_round_five_patterns(question: str, expected: set[str]) -> None:
    """Batch 8's misses as patterns, in our own words: feedback both sides left but nobody sees yet (double-blind,
    not the late-feedback request), a client asking how poor stars and 100 % go together (long-term contracts), a
    short break for exams (inactivity, not the lore of Upwork closing contracts), many contracts to cancel (the
    no-feedback rule and spacing them out), fear of a client's review (who ends it), a contract cancelled the day
    after it started (a $0 contract's feedback, not old work leaving the window)."""
    assert first_rule(question) in expected


# --- round 6: batches 9 and 10's miss patterns, label conventions, asking sentences as features ---------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "the client pulled his offer back before I had clicked accept, and two days later my JSS was lower. is "
            "that withdrawn offer the cause?",
            {"X-PROPOSALS"},
        ),
        ("is there a way to appeal a rating a client left me out of spite? the money part is settled", {"FB-REPORT"}),
        ("will I lose rising talent when I get my jss?", {"E-RISING", "B-RT"}),
        (
            "I won't be active on upwork for about 18 months. will my job success still be there when I'm back?",
            {"W-INACTIVITY"},
        ),
    ],
)
def test_round_six_patterns(question: str, expected: set[str]) -> None:
    """Batches 9 and 10's misses as patterns, in our own words: an offer withdrawn before it became a contract
    (offers are not JSS inputs, whatever drop is told beside it), a review to contest (reporting, not a payment
    dispute), Rising Talent replaced by a first JSS (not lost), time away of a year or more (the score can go away,
    where a few months only let old work age out)."""
    assert first_rule(question) in expected


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("he withdrew the offer before I accepted it", "offer_gone", True),
        ("the client cancelled the contract a day after I accepted his offer", "offer_gone", False),
        ("I want to dispute the low score a client gave me", "contest_review", True),
        ("I want to dispute the payment for the last milestone", "contest_review", False),
        ("the feedback window closed, can he still leave a review now?", "feedback_late", True),
        ("client ended it, no feedback, 14 days passed. counted as failure?", "feedback_late", False),
        ("my first jss appeared and rising talent went away", "score_appeared", True),
        ("I'll be away for 4 months, will my score change?", "away", "short"),
        ("I won't be active on upwork for two years, what happens?", "away", "long"),
        ("my last project took 4 months, will it weigh more?", "away", None),
        ("I never had a bad review and it still dropped", "feedback", "positive"),
    ],
)
def test_round_six_story_facts(question: str, field: str, value: object) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "got three new five star reviews in the past week but my job success still shows 91, same as before. "
            "shouldn't it have gone up by now?",
            {"W-CADENCE-CURRENT", "W-CADENCE-LEGACY", "W-WINDOWS"},
        ),
        (
            "two weeks into a long-term hourly contract, and I want to quit the job early because the scope keeps "
            "growing. what happens to me if I do?",
            {"C-FL-CAN-END", "FB-WHO-ENDS"},
        ),
        (
            "every review I got this year is five stars yet my average on the profile now shows 4.92 instead of 5.0. "
            "where does that come from?",
            {"FB-STARS-DISPLAY", "WT-BAD-BIG"},
        ),
    ],
)
def test_round_seven_patterns(question: str, expected: set[str]) -> None:
    """Batch 11's surface errors as patterns, in our own words: no movement yet after new work (when the score is
    recalculated, not old work leaving nor hidden feedback), ending a contract before the work is done (whatever its
    type words say), a star average that moved with no
    JSS told (how stars are averaged and shown, not hidden feedback behind a JSS drop)."""
    assert first_rule(question) in expected


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("finished two jobs yesterday, my jss still sits at 88. why not updated?", "unmoved", True),
        ("my jss has been stuck at 88 for a year", "unmoved", False),
        ("jss 79 now, how can one contract do that, and when is top rated back?", "badge_aside", False),
        ("jss 79 now, how can one contract do that? also I have top rated", "badge_aside", True),
        ("I'm top rated, what does the badge need?", "badge_aside", False),
        ("I'm thinking of ending it early, will it hurt?", "quit_early", True),
        ("can I break the contract if the client keeps changing scope?", "quit_early", True),
        ("the job is done, should I close it?", "quit_early", False),
        ("my top rated plus badge does not show on my profile anymore", "badge_lost", True),
        ("top rated plus with the badge for a year, but now it does not show on my profile", "badge_lost", True),
        ("my overall rating went from 4.93 to 4.61 after one client, how?", "star_average", True),
        ("my jss went from 93% to 88%, one client gave 4.2", "star_average", False),
    ],
)
def test_round_seven_story_facts(question: str, field: str, value: object) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


@pytest.mark.parametrize(
    ("question", "up", "down"),
    [
        # a badge named in passing while the question asks why one contract moved the score
        (
            "top rated here. jss fell to 84% after one contract closed, how can one contract do that?",
            None,
            "B-TR-WEEKS",
        ),
        # Upwork suspended the contract: the client can no longer act
        ("upwork suspended the contract after the client went silent, what now?", "X-FLAGGED-CLIENT", None),
    ],
)
def test_round_seven_story_nudges(question: str, up: str | None, down: str | None) -> None:
    """The story's nudges for a badge told in passing (no badge rule) and a suspended contract (the flagged-client
    rule). Batch 11's badge-aside question still misses when its story also counts eligible weeks: those words
    alone outweigh the nudge."""
    changes = rule_adjustments(read_story(fold(question), extract_facts(question, AS_OF)))
    if up:
        assert changes.get(up, 0.0) > 0
    if down:
        assert changes.get(down, 0.0) < 0


def test_a_badge_gone_with_the_score_unchanged_is_about_the_badge() -> None:
    """Top Rated Plus no longer shown while the JSS is still 100 %: what the badge asks for, not the score going
    away after inactivity."""
    story = read_story(fold("my top rated plus badge no longer shows, jss still 100%"), extract_facts("", AS_OF))
    changes = rule_adjustments(story)
    assert changes["B-TRP"] > 0 > changes["W-INACTIVITY"]


def test_the_asking_sentences_are_features_of_their_own() -> None:
    """A long story names many things; the question's own words are marked so the model can weigh them apart."""
    word, _ = model_texts(fold("escrow, refund, a badge, all of it happened. how do I report him?"), Story())
    assert "zzqreport" in word.split()
    assert "zzqescrow" not in word.split()


# --- round 14: batch 19's miss patterns (our own wording) ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "a returning client closed our job with 4 stars and wrote 'great as always'. my job success went from 99 "
            "to 95 overnight. I thought four stars was a good review, has that changed?",
            {"F-PUBLIC-EMPHASIS", "T-FORM-CHANGE", "L-ESTIMATOR"},
        ),
        (
            "client side question. a translator finished everything for us in october, we might need her again next "
            "year. do I end the contract now and rate her, or leave it open until then? what is kinder to her score?",
            {"C-CLOSE-ADVICE", "C-OPEN-INACTIVE-JSS"},
        ),
        (
            "I have 8 contracts still open from 2024, a few paid and three at $0 that never started. nobody answers my "
            "messages. do I close all of them this week or spread it out?",
            {"L-STAGGER", "C-SELF-CLOSE-2MO", "C-OPEN-INACTIVE-JSS"},
        ),
        (
            "the insights page lists a $1,500 job with a 5 star review under excluded jobs. I understand leaving out "
            "the ones from shady clients, but why this one?",
            {"X-INTEGRITY", "T-2024-09-INSIGHTS"},
        ),
        (
            "the buyer wanted his escrow back after a trial task, I agreed and refunded it. then he closed the "
            "contract and left me 1 star. the job is $0 now, does that rating even count?",
            {"X-ZERO-NEGATIVE", "X-REFUND"},
        ),
    ],
)
def test_round_fourteen_patterns(question: str, expected: set[str]) -> None:
    """Batch 19's misses as patterns: a 4-star review with a kind comment that took points off (public stars weigh
    more), a client asking whether to keep a finished contract open, several old contracts, $0 ones among them, to
    close at once, a good job listed as excluded, a poor rating after the money went back. Top Rated at risk while the
    score is 90+ and a paused contract is told still goes to the pause rule (the story's nudges below are not enough
    against "paused"; the training questions for it failed the gates, bot.qa.crossval round 14)."""
    assert first_rule(question) in expected


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        # a negated movement is what the asker wants to avoid, not a movement
        ("how do I close ten old contracts so my score is not falling?", "direction", None),
        ("my jss did not drop after the bad review, why?", "direction", None),
        ("my jss dropped after the bad review, why?", "direction", "down"),
        # "drop the bad one" is Upwork leaving a job out, not the score moving
        ("why did they drop the bad one from my score but keep the rest?", "direction", None),
        ("can one small job really drop the score by 8 points?", "direction", "down"),
        # two figures of the score, before and now
        ("was at 92 in december and after the last job it went to 87. why?", "direction", "down"),
        ("was at 80 last month, now at 85", "direction", "up"),
        # the client asking whether to end it: nobody ended it yet
        (
            "client here. would it help him if I close the contract now, or keep it open for later work?",
            "ended_by",
            None,
        ),
        ("client here. I closed the contract yesterday, will my review still reach him?", "ended_by", "client"),
        ("client here. would it help him if I close the contract now, or keep it open?", "client_asked_to_close", True),
        # a supposed hold is not one that happened
        ("would they drop a job if the client got flagged? mine had 5 stars", "held", False),
        ("the client got flagged and my contract was suspended", "held", True),
        # a badge not yet feared is no badge awaited back
        (
            "I'm not worried about the badge yet since I'm above 90, but why did one 4-star cost 5 points?",
            "badge_return",
            False,
        ),
        ("back at 93 but no top rated badge yet, how many weeks?", "badge_return", True),
        # Top Rated at risk, the score told twice and unchanged
        ("jss 97%, still 97 today, but I got a warning I might lose top rated. why?", "badge_lost_score_fine", True),
        # the money went back and a poor rating came anyway, asked whether it counts
        (
            "I approved the refund request, then he left 2 stars. does that rating count in my jss?",
            "refund_rated",
            True,
        ),
        ("he wants a refund request approved or he leaves 1 star. should I approve it?", "refund_rated", False),
    ],
)
def test_round_fourteen_story_facts(question: str, field: str, value: object) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


def test_round_fourteen_story_nudges() -> None:
    """Top Rated at risk with the score fine: the badge's requirements, not the pause told beside it; a poor rating
    after the money went back, asked whether it counts: not how the client gets escrow back."""
    paused = "my jss is 98 and I got a notice I might lose top rated. my client paused our contract. is that why?"
    changes = rule_adjustments(read_story(fold(paused), extract_facts(paused, AS_OF)))
    assert changes.get("B-TR", 0.0) > 0
    assert changes.get("C-PAUSED-JSS", 0.0) <= 0
    refunded = "I accepted his escrow refund request and then he rated me 1 star. will the rating count?"
    changes = rule_adjustments(read_story(fold(refunded), extract_facts(refunded, AS_OF)))
    assert changes["X-ZERO-NEGATIVE"] > 0 > changes["C-ESCROW-REFUND"]


# --- round 15: batch 20's miss patterns (our own wording) ----------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "two clients gave me 1 star in a row last month and my score went 91 to 80. now I can't send proposals, my "
            "running contract still works. is it my JSS, and does it lift by itself?",
            {"FB-HOLD"},
        ),
        (
            "fixed price job, the last milestone is still funded and the client has been gone for months. email says "
            "it will go dormant soon. will the escrow money go back to the client automatically?",
            {"C-FP-DORMANT", "C-FP-OPTOUT"},
        ),
        (
            "freelancing 4 years now, today got a terms of service notice about low client satisfaction, 30 days to "
            "improve. is that email legit and what do they want me to do?",
            {"FB-TOS-NOTICE", "F-LOW-JSS-REVIEW"},
        ),
        (
            "one new 5 star job last week and my jss went from 81 to 89. how can a single job do that?",
            {"W-WINDOWS", "W-TRENDING"},
        ),
        (
            "I submitted the milestone 8 days ago and the client went silent. my cousin says open a dispute now. is "
            "that needed or will I get paid anyway?",
            {"C-FP-AUTO-RELEASE"},
        ),
        (
            "back after 3 years in an office job. as Top Rated I could once take a bad review out of my score, now I "
            "can't find that option. was it removed?",
            {"X-REMOVAL-PERK", "T-2024-09-REMOVAL"},
        ),
        (
            "gave a client a partial refund in december, she rated 4 stars anyway. jss 88 now and TR is gone. how many "
            "weeks until the badge comes back once I'm over 90?",
            {"B-TR-WEEKS", "B-TR-LOSS"},
        ),
    ],
)
def test_round_fifteen_patterns(question: str, expected: set[str]) -> None:
    """Batch 20's misses as patterns: proposals blocked after poor reviews (the hold, not the score), whether the
    escrow goes back when a contract goes dormant (dormancy, not the client's refund request), years of experience
    ("4 years" folds to "48month") read as the 48-month myth, a rise right after one new good job (the short windows,
    not old work leaving them), a submitted milestone and a friend's advice to dispute (the auto-release), the removal
    perk asked about after years away, "TR" lost after a refund and awaited back (the badge, not the refund).
    The rise, the milestone and the perk pass in these wordings on the story facts alone; batch 20's own wordings of
    them, answering a review publicly, a client's rating of a big contract and Rising Talent with no JSS after jobs for
    one client are left (traced, bot.qa.crossval round 15)."""
    assert first_rule(question) in expected


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        # the client asking, in other words
        ("I'm on the client side of this, the freelancer wants me to close the contract", "asker_client", True),
        ("Agency owner here, we hire contractors on Upwork for design work", "asker_client", True),
        ("We run a small marketing agency and hire on Upwork a lot. Is 4 stars bad?", "asker_client", True),
        ("as the buyer, do I have to leave feedback?", "asker_client", True),
        # a freelancer's agency is no client
        ("my agency's JSS dropped to 88, why?", "asker_client", False),
        ("I work through an agency on Upwork, does my own JSS count?", "asker_client", False),
        # no feedback, told with "given"
        ("the contract ended but the client not given any feedback", "feedback", "none"),
        ("he has not given feedback after closing it, does it count?", "feedback", "none"),
        # a work deadline quoted from a review is no feedback window
        (
            "he left 3 stars with 'missed deadline'. is there any way to reply to it now?",
            "feedback_late",
            False,
        ),
        ("the client missed the deadline to leave feedback, can he still do it now?", "feedback_late", True),
        # "TR" alone is Top Rated
        ("now im 88 and TR is gone", "badge", "top_rated"),
        ("now im 88 and TR is gone", "badge_lost", True),
        # the contract going dormant: whether the escrow goes back is dormancy's question
        ("email says the contract is going dormant. does upwork take the money back?", "dormancy_told", True),
        # proposals blocked after poor reviews
        ("after two 1 star reviews I can not send proposals anymore", "account_blocked", True),
        ("I can't send proposals, it says I need more connects", "account_blocked", False),
        # a rise with a new good job
        ("got one 5 star job and my jss went from 85 to 91", "rise_after_good_work", True),
        ("my jss went from 85 to 91 with no new jobs", "rise_after_good_work", False),
    ],
)
def test_round_fifteen_story_facts(question: str, field: str, value: object) -> None:
    story = read_story(fold(question), extract_facts(question, AS_OF))
    assert getattr(story, field) == value


def test_round_fifteen_story_nudges() -> None:
    """Dormancy told: the refund request's nudges stay off; an amount alone ("$800 milestone") says no one paid, so the
    auto-release is not lowered; released and then rated: no escrow is left to ask back."""
    dormant = "the contract became inactive and the client wants the escrow back. what now?"
    changes = rule_adjustments(read_story(fold(dormant), extract_facts(dormant, AS_OF)))
    assert changes.get("C-FP-DORMANT", 0.0) >= 0
    assert changes.get("C-ESCROW-REFUND", 0.0) <= 0
    submitted = "I submitted the $800 milestone 9 days ago and the client is silent"
    changes = rule_adjustments(read_story(fold(submitted), extract_facts(submitted, AS_OF)))
    assert changes.get("C-FP-AUTO-RELEASE", 0.0) >= 0
    rated = "he released the payment in full, ended the contract and left 2 stars"
    changes = rule_adjustments(read_story(fold(rated), extract_facts(rated, AS_OF)))
    assert changes["C-ESCROW-REFUND"] < 0


# --- follow-up question -----------------------------------------------------------------------------


def test_follow_up_asks_for_the_missing_feedback() -> None:
    result = understand("the client ended our contract this morning, will that hurt my jss?", AS_OF)
    assert result.follow_up_fact == "feedback"
    assert result.follow_up_fact in FOLLOW_UP_FACTS


def test_no_follow_up_when_the_fact_is_given() -> None:
    result = understand("the client ended our contract this morning and left no feedback, will that hurt?", AS_OF)
    assert result.follow_up_fact != "feedback"


def test_no_feedback_question_for_a_contract_the_asker_may_still_close() -> None:
    """ "Should I close it?" is about an open contract: nobody has left feedback on it yet."""
    for question in (
        "my client went silent, should I close the contract?",
        "my client disappeared 3 months ago and never closed the hourly contract, will it hurt if I close it myself?",
    ):
        result = understand(question, AS_OF)
        assert result.intent == "close_or_not"
        assert result.follow_up_fact != "feedback"


def test_follow_up_for_a_bad_review_without_stars() -> None:
    result = understand("how much will my jss drop after a bad review on a $400 job?", AS_OF)
    assert result.follow_up_fact in {"stars", None}
    assert understand("client gave me 2 stars, how much will I drop?", AS_OF).follow_up_fact == "amount"


def test_the_milestone_follow_up_asks_only_what_was_not_told() -> None:
    """Neither told: whether money is in escrow and the milestone submitted is asked; money in escrow told: the
    dormancy answer covers a submitted milestone and one not yet submitted, nothing is asked."""
    asked = understand("my fixed-price contract has been idle for 85 days, will upwork close it?", AS_OF)
    assert asked.rules[0] == "C-FP-DORMANT" and asked.follow_up_fact == "milestone"
    funded = understand("fixed price contract, client not responding and milestone is in escrow, what happens?", AS_OF)
    assert funded.rules[0] == "C-FP-DORMANT" and funded.follow_up_fact is None
    told = understand(
        "fixed price, the milestone is funded and I submitted the work, client silent for 80 days. what happens?",
        AS_OF,
    )
    assert told.follow_up_fact is None


def test_the_further_questions_of_a_post_are_read_one_by_one() -> None:
    """Each further asking sentence, read alone, names the rule that answers it; a one-question post has none, and a
    plea for an answer ("can anyone answer please?") is not a question about anything."""
    post = understand(
        "Just got Top Rated! What makes you lose the badge? "
        "And if I lose it, does my eligible weeks count go back to 0?",
        AS_OF,
    )
    assert post.rules[0] == "B-TR-LOSS" and post.also_asked == ["B-TR-WEEKS"]
    assert understand("what makes you lose the top rated badge?", AS_OF).also_asked == []
    assert understand("does a $0 contract count in jss? can anyone answer please?", AS_OF).also_asked == []
    # "will it hurt my score?" read alone names nothing: the dispute rule answers it for this post
    disputed = (
        "client opened a dispute on my last milestone. will it hurt my score? and how long can he leave feedback?"
    )
    assert understand(disputed, AS_OF).also_asked == ["FB-14DAYS"]
    # "how much does one 4 star count against me?" is the post's first question, answered by the rule that leads
    # (F-PUBLIC-EMPHASIS); the private rating asked after it is answered on its own
    stars = "I keep getting 4 stars. How much does one 4 star count against me? Is the private rating still a thing?"
    post = understand(stars, AS_OF)
    assert post.rules[0] == "F-PUBLIC-EMPHASIS" and post.also_asked == ["T-FORM-CHANGE"]


def test_a_review_asked_to_go_is_answered_by_when_upwork_takes_one_down() -> None:
    """ "Can I get it removed?" beside a poor review names no rule read alone: when Upwork takes a review down
    (FB-REPORT) answers it, also inside the one asking sentence; a removal of something else (the private rating, a
    badge) is not a review's, nor is one from the score ("removed automatically?" beside a suspended client)."""
    zero = understand(
        "he ended the $0 contract and gave me 1 star saying I was unavailable. will this 1 star go in my score, and "
        "can I get it removed?",
        AS_OF,
    )
    assert zero.rules[0] == "X-ZERO-NEGATIVE" and zero.also_asked == ["FB-REPORT"]
    won = understand(
        "I won the arbitration and got paid, but he left 1 star. Does the dispute still count against me? And will "
        "his review come off since I was proven right?",
        AS_OF,
    )
    assert "FB-REPORT" in won.also_asked
    badge = understand("got 2 stars on a $300 job and my jss fell to 88. will they remove my top rated badge?", AS_OF)
    assert "FB-REPORT" not in badge.also_asked
    # leaving the score by itself is what the suspended client's rule answers, not the review's text coming down
    suspended = understand(
        "A client gave me 1 star on a $450 project, my JSS fell to 88, and now his account is suspended by Upwork. "
        "Will it be removed automatically, or do I need to open a ticket?",
        AS_OF,
    )
    assert suspended.rules[0] == "X-FLAGGED-CLIENT" and "FB-REPORT" not in suspended.also_asked
    private = understand(
        "I hire on Upwork. The end-contract form has no private score now. Did they get rid of the private rating "
        "for good? And does my note count toward her score?",
        AS_OF,
    )
    assert "FB-REPORT" not in private.also_asked


def test_feedback_given_during_the_contract_is_whether_it_counts_or_how_to_ask_for_it() -> None:
    """A rating left while the contract goes on does not count (X-MID-CONTRACT-FB), whatever badge or score fear is
    told beside it; asking for one, or finding the option greyed out, is how to request it (FB-MID)."""
    rated = understand(
        "Our retainer is still running, but my client filled in a mid-contract review with 3.5 stars and a remark "
        "about response times. I'm Top Rated at 91% and terrified. Does this go into my score right away?",
        AS_OF,
    )
    assert rated.rules[0] == "X-MID-CONTRACT-FB"
    during = understand(
        "upwork asked my client for feedback during the contract and he gave 4 stars. contract is active. will my "
        "jss drop now??",
        AS_OF,
    )
    assert during.rules[0] == "X-MID-CONTRACT-FB"
    requested = understand(
        "I wanted to get a mid-contract review from my first long client to show something on my profile, but the "
        "request link is greyed out. Is there a minimum?",
        AS_OF,
    )
    assert requested.rules[0] == "FB-MID"


def test_the_score_gone_after_a_break_told_by_its_last_date_is_inactivity() -> None:
    """No duration told, but the last work named a year or more ago beside a break: the score can go away with no
    completed job in the windows (W-INACTIVITY), not old work ageing out of the shorter windows (W-AGE-OUT). A
    recent date beside a break says nothing about its length."""
    back = understand(
        "I stopped taking work after my son was born; my last job closed in March 2024. Came back this month and "
        "there is no job success score on my profile any more. Why, and how do I get it back?",
        AS_OF,
    )
    assert back.rules[0] == "W-INACTIVITY"
    facts = extract_facts("I took a break after my last contract ended in January 2026", AS_OF)
    assert read_story(fold("I took a break after my last contract ended in January 2026"), facts).away is None
    assert extract_facts("I paid $2,020 in fees", AS_OF).months_since_latest is None


def test_a_movement_feared_is_not_one_told() -> None:
    """ "Is it gonna crash back down?" fears a drop, it tells none: a score higher than expected is which window is
    shown (W-WINDOWS / W-TRENDING), not why it fell."""
    asked = "my profile shows 96 but my own count says 90. why is it higher? is it gonna crash back down next month?"
    assert read_story(fold(asked), extract_facts(asked, AS_OF)).direction is None
    told = "it crashed from 96 to 88 yesterday, will it go down more?"
    assert read_story(fold(told), extract_facts(told, AS_OF)).direction == "down"


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


NEAR_DUPLICATE = 0.8
"""Share of shared words (Jaccard over folded word sets) at which a training question counts as a copy of an
evaluation question: a reworded copy would measure recall, not generalisation."""
BATCH_FLOORS = {
    "eval_batch_1.jsonl": (0.95, 0.97),
    "eval_batch_2.jsonl": (0.95, 0.97),
    "eval_batch_3.jsonl": (0.92, 0.97),
    "eval_batch_4.jsonl": (0.98, 0.98),
    "eval_batch_5.jsonl": (0.98, 0.98),
    "eval_batch_6.jsonl": (0.95, 0.97),
    "eval_batch_7.jsonl": (0.94, 0.98),
    "eval_batch_8.jsonl": (0.97, 0.97),
    "eval_batch_9.jsonl": (0.78, 0.96),
    "eval_batch_10.jsonl": (0.85, 0.95),
    "eval_batch_11.jsonl": (0.88, 0.96),
    "eval_batch_12.jsonl": (0.96, 1.00),
    "eval_batch_13.jsonl": (0.95, 1.00),
    "eval_batch_14.jsonl": (0.81, 0.99),
    "eval_batch_15.jsonl": (0.98, 1.00),
    "eval_batch_16.jsonl": (0.95, 1.00),
    "eval_batch_17.jsonl": (0.99, 0.99),
    "eval_batch_18.jsonl": (0.98, 1.00),
    "eval_batch_19.jsonl": (0.96, 0.98),
    "eval_batch_20.jsonl": (0.89, 0.94),
    "eval_batch_21.jsonl": (0.84, 0.96),
    "eval_batch_22.jsonl": (0.98, 0.99),
    "eval_batch_23.jsonl": (0.99, 0.99),
    "eval_batch_24.jsonl": (0.96, 0.99),
    "eval_batch_25.jsonl": (0.89, 0.98),
    "eval_batch_26.jsonl": (0.96, 0.99),
    "eval_batch_27.jsonl": (0.94, 0.98),
    "eval_batch_28.jsonl": (0.98, 0.99),
    "eval_batch_29.jsonl": (0.94, 0.99),
    "eval_batch_30.jsonl": (0.89, 0.98),
    "eval_batch_31.jsonl": (0.98, 0.99),
    "eval_batch_32.jsonl": (0.96, 0.99),
    "eval_batch_33.jsonl": (0.96, 0.98),
    "eval_batch_34.jsonl": (0.98, 0.99),
    "eval_batch_35.jsonl": (0.93, 0.99),
    "eval_batch_36.jsonl": (0.94, 0.96),
    "eval_batch_37.jsonl": (0.91, 0.99),
    "eval_batch_38.jsonl": (0.91, 0.99),
    "eval_batch_39.jsonl": (0.93, 0.99),
    "eval_batch_40.jsonl": (0.95, 0.99),
    "eval_batch_41.jsonl": (0.94, 0.97),
    "eval_batch_42.jsonl": (0.93, 0.98),
}
"""Top-1/top-3 floors per batch, slightly below what the shipped model reaches (regression guards). Batches 1-3
were tuned on after their first score and must meet the targets. Batch 4 (first seen 68 % / 92 %) and batch 5
(first seen 86 % / 98 %) were studied for issue 15's second round (98 % / 100 % and 94 % / 100 % after it:
long-story training questions, the suspended-contract and unrated-contract story facts, a myth asked about
keeping the first place). Batch 6 (64 questions by an author who never saw the training data, first seen
82.8 % / 96.9 %) was studied in the third round: negated words as features of their own, story facts that skip
what did not happen (no refund, an auto-release that was about to happen, a client who released the money
himself), the asking sentences scored on their own beside the whole question; 92.2 % / 98.4 % after it (batch 5
went 94 -> 92 %; the held-out set and batches 1-4 kept their figures). Batch 7 (58 questions, another author who
never saw the training data) was first seen at 74.1 % / 87.9 % with that model and studied in the fourth round:
story facts for the most common question (all five stars or steady work, a drop, no cue of time passing: the
private feedback; open contracts with nothing happening: the open inactive rule; old work or time passing told:
age-out; a $0 contract's private feedback: the $0 rules), the badge named first, a paid job closed by the asker
without a review; 86.2 % / 100 % after it (batch 4 100 % / 100 %, batch 6 93.8 % / 100 %, the others kept theirs).
Batch 8 (34 questions, a fourth independent author) was first seen at 67.6 % / 88.2 % after that round and studied
in the fifth round as patterns (a contract cancelled right after it started with nothing paid, several contracts to
cancel, fear of a client's review, feedback nobody sees yet, a client asking how poor stars and 100 % go together,
an account restriction, a short break): about 250 training questions paraphrased from real forum threads and class
weights softened from "balanced" to its square root (bot.qa.train.RULE_CLASS_WEIGHT_POWER); 94.1 % / 100 % after
it (batch 4 98 %, 5 92 %, 6 92.2 %, 7 89.7 % / 98.3 %). Batches 9 and 10 (a fifth independent author, 60 + 40
questions from real threads, the source URL kept per question) lost every question whose thread the fifth round had
trained on (32 and 19, listed in eval_batch_N.dropped.txt) and were then first seen at 64.3 % / 89.3 % (28) and
85.7 % / 100 % (21): 73.5 % / 93.9 % together. They were studied in the sixth round as patterns (an offer withdrawn
before it became a contract, a review contested rather than a payment, time away and for how long, Rising Talent
replaced by a first JSS, the feedback window over, the five-stars-then-a-drop label convention) and are tuned on since:
71.4 % / 100 % and 85.7 % / 95.2 % after it (first seen 64.3 % / 89.3 % and 85.7 % / 100 %, kept in
eval_batch_N.first_seen.txt); their floors are now slightly below those tuned-on figures. Batches 4-8 after the sixth
round: 96 %, 94 %, 92.2 %, 91.4 %, 97.1 % top-1, all 100 % top-3. Batch 11 (a sixth independent author, 55
questions from threads nobody had used, 3 dropped because the sixth round trained on their thread) was first seen
after the sixth round at 73.1 % / 88.5 % (52; 71.8 % / 87.2 % on the 39 whose thread the catalogue does not cite);
it was studied in the seventh round as patterns (no movement yet after new work: the recalculation; a badge told in
passing while the question asks about the score: not a badge rule; ending a contract before the work is done: the
freelancer may end it, whatever the contract's type words; a contract Upwork suspended: the flagged-client rule; Top
Rated Plus gone with the score unchanged: the badge's own requirements; a star average that moved with no JSS told:
how stars are shown) and is tuned on since: 86.5 % / 98.1 % after it (first seen 73.1 % / 88.5 %, kept in
eval_batch_11.first_seen.txt), its floor slightly below. Batches 4-10 after the seventh round: 96 %, 98 %, 92.2 %,
91.4 %, 97.1 %, 67.9 %, 85.7 % top-1 (batch 9 lost one question with the retraining: a client asking what Top Rated
is worth, now answered with B-TR before the long-term rule it is labelled with; its floor lowered to 0.67 for it).
Batch 12 (30 questions by a seventh independent author from threads no one had used and the catalogue does not
cite; none dropped) was first seen after the seventh round at 83.3 % / 90.0 %; its floor is that figure. Batch 13
(23 questions by an eighth independent author from the last unused threads; none dropped) was first seen with the
same model at 91.3 % / 100 %; its floor is that figure. Both were studied in the eighth round as patterns, their misses
traced to the features and story facts that decided them (the client ended the contract, "wants to terminate" included:
"end it yourself", dormancy and auto-release no longer apply; the asker is the client; a bad review feared is not one
received; days away are no time away; a refund beside a drop; time away while asking about the badge; the client paused
it; feedback used as a threat or revenge; "suspended by Upwork" is no ending; a friend's ending is not the client's) and
are tuned on since: 96.7 % / 100 % and 100 % / 100 % after it (first seen 83.3 % / 90.0 % and 91.3 % / 100 %, kept in
eval_batch_N.first_seen.txt), their floors slightly below; batch 5 went to 100 % and batch 9 to 75.0 % (floors raised
to 0.98 and 0.74), the other batches and the held-out set kept their figures. The ninth round (no batch left to write:
grouped cross-validation decided, bot.qa.crossval) made labels consistent (a client's "10/10" or a question about the
private rating: F-PRIVATE-FB; more than 14 days since the contract ended: FB-LATE), added story facts for both, for
steady work, an ending told without its subject and money the asker gives back, and wrote questions for thin rules;
batch 11 went to 88.5 % (floor raised to 0.88), the held-out set to 97.9 % / 100 % (96.8 % before), batches 1-10, 12 and
13 kept their figures. The tenth round (grouped cross-validation again) added story facts for the badge questions (Top
Rated awaited back once the score recovered: the eligible weeks; no badge named: not the Top Rated rules; Top Rated Plus
named after Top Rated), for a review about two years old, an unhappy client's ending and a bad review on a contract that
paid nothing; batch 4 went to 98 % (floor raised to 0.98), the other batches and the held-out set kept their figures.
Batch 14 (11 questions by a ninth independent author from the last unused pages the corpus holds: agencies, Rising
Talent, profile completeness, a $0 contract; none dropped) was first seen with the tenth round's model at
63.6 % / 81.8 %; its floor is that figure. Batch 15 (17 questions by a tenth independent author: forum threads with
generic titles but unused thread ids, a Reddit post, blog posts; none dropped) was first seen with the same model at
88.2 % / 100 %; its floor is that figure. The eleventh round (grouped cross-validation again, batches 14 and 15 not
read) wrote 68 questions for rules askers lead with whose recall was low and for misroutes seen on real questions (a
minimum to bill "for it to count", Upwork ending a contract, a client ending it with five stars), and added story facts
(money that paid nothing told in other words, a payment told in words keeps the $0 rules aside, an ended and rated
contract is not a no-feedback one, a lifted suspension is no flagged client, whether a review shows on a contract that
paid nothing); batch 6 went to 93.8 % (floor raised to 0.93), batches 1-5 and 7-13, the dev set and the held-out set
kept their figures. Batch 16 (22 questions by an eleventh independent author: forum threads, the Clients board, blog
posts, a Stack Exchange question; none dropped) was first seen with the tenth round's model at 81.8 % / 90.9 %. The
eleventh round's model, which never saw batches 14-16 either, scores them 72.7 % / 81.8 % (14: one more), 88.2 % /
100 % and 77.3 % / 90.9 % (16: one fewer, a first job's contract ended without a word now led by the re-sent offer rule
by a narrow margin of retrieval): 40 of 50 top-1 with both models. The twelfth round studied batches 14-16 as patterns
(bot.qa.crossval's round-12 table: "RT" read as Rising Talent, clients rating lower is no score drop, "now only 29 %" a
drop and feedback that "looks fine" good, a bare star figure received, the hiring client, a myth the classifier is sure
of while no intent is clear, one open contract asked whether it counts, an ending with five stars and no movement; 25
questions for thin rules, asking to hide a review) and they are tuned on since: 81.8 % / 100 %, 100 % / 100 % and 86.4 %
/ 90.9 % after it (first seen 63.6 % / 81.8 %, 88.2 % / 100 % and 81.8 % / 90.9 %, kept in eval_batch_N.first_seen.txt),
their floors slightly below; batch 7 went to 93.1 % and batch 8 to 100 % (floors raised to 0.92 and 0.97), the other
batches, the dev set and the held-out set kept their figures. Batch 17 (3 questions by a twelfth independent author,
the only unused pages found in ~104 searches) was first seen with the eleventh round's model at 66.7 % / 66.7 %, and
the twelfth round's, which never saw it either, scores the same; its floor is that figure. Batch 18 (60 questions by a
thirteenth independent author, written from what freelancers and clients post rather than paraphrased from stored
threads, which are exhausted; no sources) was first seen with the twelfth round's model at 86.7 % / 98.3 %. The
thirteenth round studied it as patterns (bot.qa.crossval's round-13 table: the client asking, "I'm a client" read in
folded words; Top Rated lost with the score at 90+; a threat told with only "what should I do?" asked; a review still
awaited after the ending; 32 training questions, 25 of them clients asking) and it is tuned on since: 100 % / 100 %
after it (first seen 86.7 % / 98.3 %, kept in eval_batch_18.first_seen.txt), its floor slightly below; batch 6 went to
95.3 % (top-3 98.4 %, one question whose third rule changed with the retraining), batch 7 to 94.8 % and batch 16 to 95.5
% / 100 % (floors raised to 0.95, 0.94 and 0.95 / 1.00), the other batches, the dev set and the held-out set kept their
figures. A later fix of fixed-price jobs rated 1-4 stars (bot.qa.crossval, after round 13) cost batch 18 one
question at a near tie (98.3 %, at its floor) while batch 9 rose to 78.6 % and batch 17's top-3 to 100 % (floors
raised). Batch 19 (60 questions by a fourteenth independent author, written like batch 18 from what freelancers and
clients post; no sources) was first seen with that model at 88.3 % / 96.7 %. The fourteenth round studied it as
patterns (bot.qa.crossval's round-14 table: a negated movement is none, "drop the bad one" is no drop, a score told
as two figures, a client asking whether to end a contract has not ended it, a supposed hold is none, Top Rated at
risk with the score unchanged, a poor rating after the money went back; 13 training questions for a 4-star review
that took points off, several old contracts with $0 ones to close, a good job listed as excluded, when the 2-jobs
rule came in) and it is tuned on since: 98.3 % / 100 % after it (first seen 88.3 % / 96.7 %, kept in
eval_batch_19.first_seen.txt), its floor slightly below; batch 17 went to 100 % (floor raised to 0.99), the other
batches kept their figures. Batch 20 (60 questions by a fifteenth independent author, written like batches 18-19, with
messier stories, clients and returning freelancers; no sources) was first seen with the thirteenth and fourteenth
rounds' models alike at 83.3 % / 91.7 %. The fifteenth round studied it as patterns (bot.qa.crossval's round-15 table:
years of experience read as the 48-month myth, a deadline quoted from a review read as the feedback window, the escrow
asked about as a contract goes dormant, proposals blocked after poor reviews, "TR" for Top Rated, the client asking in
other words; its training questions failed the real-thread gate and were dropped) and it is tuned on since: 90.0 % /
95.0 % after it (first seen 83.3 % / 91.7 %, kept in eval_batch_20.first_seen.txt), its floor slightly below; batch 18
went to 100 %, the other batches kept their figures. Batch 21 (a sixteenth author: posts for a friend or spouse,
support replies quoted, agencies, Fiverr switchers) was first seen at 81.7 % / 95.0 %; batches 22 (Reddit-style) and
23 (forum-style, with figures), by two more authors in session 11, at 96.7 % / 100 % each with the round-15 model. The
sixteenth round took only the patterns that recurred across them (feedback given while the contract goes on: three
batches; the score gone after a break told by its last date: two) and they are tuned on since: 85.0 % / 96.7 %,
98.3 % / 100 % and 100 % / 100 % after it (first seen kept in their .first_seen.txt), floors slightly below. Batches
24-31 (session 11 and 12 authors; first seen 95.0, 90.0, 95.0, 91.7, 95.0, 93.3, 90.0 and 98.3 % top-1) were studied
in rounds 17 and 18 (bot.qa.crossval): 96.7, 90.0, 96.7, 95.0, 98.3, 95.0, 90.0 and 98.3 % after them, floors slightly
below. Batch 42 (session 16's author: every asker's own figures, "my numbers, what happens?") was first seen at
95.0 % / 98.3 % with HEAD 56cd6dc; not tuned on, its floor just below. A batch not listed (a new one, still to be
scored first-seen) is not asserted here."""


def _batch_rows() -> list[tuple[str, int, dict[str, object]]]:
    """(file name, line number, row) of every evaluation batch, new ones included (the glob)."""
    return [
        (path.name, number, json.loads(line))
        for path in BATCHES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip()
    ]


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", fold(text)))


def test_eval_batches_are_separate_from_training() -> None:
    """No evaluation question, and no near-copy of one, is in the training data. Failures name the batch file
    and line, never the question: a batch still to be scored first-seen must not be read in a test log."""
    training = [_words(e.text) for e in load_training()]
    exact = {fold(e.text) for e in load_training()}
    rows = _batch_rows()
    assert len(BATCHES) >= 2 and len(rows) >= 80
    known = known_rule_ids()
    for name, number, row in rows:
        where = f"{name}:{number}"
        assert fold(str(row["q"])) not in exact, f"{where} is in bot/qa/training.toml"
        words = _words(str(row["q"]))
        copies = [t for t in training if len(words & t) >= NEAR_DUPLICATE * len(words | t)]
        assert not copies, f"{where} has a near-copy in the training data"
        assert set(row["rules"]) <= known, f"{where} cites an unknown rule"  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(BATCH_FLOORS))
def test_eval_batch_hit_rates(name: str) -> None:
    path = HERE / name
    bench = load_bench()
    result = bench.evaluate(bench.load_questions(path), rounds=1)
    top1, top3 = BATCH_FLOORS[name]
    assert result.top1 >= top1, f"{name}: top-1 {result.top1:.1%} (run bench/qa_eval.py --file for the misses)"
    assert result.top3 >= top3, f"{name}: top-3 {result.top3:.1%} (run bench/qa_eval.py --file for the misses)"


def test_bench_shows_a_batchs_first_seen_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    batch = tmp_path / "eval_batch_9.jsonl"
    batch.write_text(json.dumps({"q": "should I close the contract?", "rules": ["C-SELF-CLOSE-2MO"]}) + "\n")
    (tmp_path / "eval_batch_9.first_seen.txt").write_text("top-1 hit rate: 50.0%  (x)\ntop-3 hit rate: 75.0%  (x)\n")
    assert load_bench().main(["--file", str(batch), "--quiet", "--rounds", "1"]) == 0
    assert "first seen: top-1 hit rate: 50.0%, top-3 hit rate: 75.0%" in capsys.readouterr().out


# --- round 17: facts the posts told that the story missed ----------------------------------------------


def _story(question: str) -> Story:
    return read_story(fold(question), extract_facts(question, AS_OF))


def test_feedback_left_out_told_in_short_forms() -> None:
    assert _story("client closed the contract w/o leaving feedback. does that count as a bad one?").feedback == "none"
    assert _story("contract end 4 february, client not give feedback yet. until wich day?").feedback == "none"


def test_a_lower_price_is_no_score_movement() -> None:
    """'lower' tells a drop only of the score: not 'retainers at a lower total value' or 'lower my rate'."""
    assert _story("I could pitch retainers at a lower total value. Which does the JSS reward?").direction is None
    assert _story("should I lower my rate to get more jobs for my jss?").direction is None
    assert _story("my jss got lower after the last review, why?").direction == "down"


@pytest.mark.parametrize(
    "question",
    [
        "Got a notification that a client I worked with is no longer on Upwork. Does his 2 stars still count?",
        "the client's account was deleted after he left me 1 star, does it count?",
    ],
)
def test_a_client_gone_from_upwork_is_the_flagged_client_rule(question: str) -> None:
    assert _story(question).held
    assert understand(question, AS_OF).rules[0] == "X-FLAGGED-CLIENT"


def test_a_review_told_as_not_showing_on_a_zero_dollar_contract_is_the_public_minimum() -> None:
    """The post tells the review does not show and asks something else ('did I do something wrong?'): with no money
    paid, the public-feedback minimum ($1) is why."""
    question = (
        "Client side question. The writer declined payment, so the contract closed at $0. I left her 5 stars. The "
        "review isn't on her profile. Did I do something wrong?"
    )
    story = _story(question)
    assert story.money == "none" and story.visibility_asked
    assert "FB-PUBLIC-MIN" in understand(question, AS_OF).rules[:2]
    assert _story("Ended up fully refunding a $450 job, he left 5 stars").money == "refunded"


def test_a_client_without_an_article_is_a_client() -> None:
    assert _story("I am client from Germany. Milestone 4 is funded, can I keep it open until April?").asker_client


def test_an_auto_release_asked_about_is_no_release_told() -> None:
    assert _story("I submitted the milestone on February 10. when does it auto release?").money != "released"
    assert _story("the milestone auto released yesterday, does it count?").money == "released"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # the ending is still to come: its feedback cannot be told
        (
            "My friend ended contract with unresponsive client and his JSS go from 100 to 89. I have same situation"
            " now, $420 paid. If I end it, I will drop also like him?",
            None,
        ),
        # a rating heard of on Reddit has no stars to tell
        ("can a tiny 100 dollar job really tank jss 8 points? saw it on reddit, scared of small gigs", None),
        # a client submits no milestone
        (
            "I am client from Germany. My illustrator and me are on two-month break but milestone 4 is funded. Upwork"
            " keeps emailing that the contract will be closed for no activity. Can I keep clicking until April?",
            None,
        ),
    ],
)
def test_no_follow_up_about_what_cannot_be_told(question: str, fact: str | None) -> None:
    assert understand(question, AS_OF).follow_up_fact == fact


def test_a_claim_the_asker_asks_to_check_is_corrected_first() -> None:
    """'Is this correct strategy?' asks about the belief the post just told: its myth leads."""
    question = (
        "I think JSS only appears after you earn $1000, so my plan is to work cheap at $5/hr until I reach it,"
        " then raise my price. Is this correct strategy?"
    )
    assert understand(question, AS_OF).rules[0] == "E-NO-EARNINGS-MIN"


def test_a_past_ending_asked_why_keeps_its_feedback_question() -> None:
    """'Why did closing them make it so low?' asks about endings that happened: their feedback is still the fact the
    answer branches on (only an ending still to come, 'if I end it', has none to tell)."""
    question = "i only had 3 jobs. i end 2 of them and now my jss is 60, before it was 100. why closing make it low??"
    assert understand(question, AS_OF).follow_up_fact == "feedback"


@pytest.mark.parametrize(
    "question",
    [
        "Hourly contract, client hasn't logged anything since September and won't reply. Does Upwork ever "
        "auto-close these or will it just sit there forever?",
        "hourly contract idle since september. will upwork auto close it or does it just sit there forever",
    ],
)
def test_upwork_closing_it_by_itself_asked_is_what_happens_to_an_idle_contract(question: str) -> None:
    """Asked whether Upwork closes it, not told it did: no ending by Upwork, and the answer is what happens to a
    contract nobody ends (for an hourly one, none is known to close), not the advice to close it yourself."""
    story = _story(question)
    assert story.ended_by is None and story.auto_close_asked == "hourly"
    assert understand(question, AS_OF).rules[0] == "C-HOURLY-INACTIVE"
    assert _story("my contract auto-closed yesterday and now my jss dropped").ended_by == "upwork"


def test_stars_still_to_give_are_no_feedback_in_and_a_post_opening_client_is_a_client() -> None:
    """'All three deserve 5 stars, but the option is gone. Is it too late?': no rating is in, the window is past, and
    'Client, small e-commerce brand.' is the client asking."""
    question = (
        "Client, small e-commerce brand. I just noticed I never left feedback on these: a translator, $450, ended Dec"
        " 12; a VA, ended Jan 20. All three deserve 5 stars, but the option is gone. Is it too late?"
    )
    story = _story(question)
    assert story.asker_client and story.feedback == "none" and story.feedback_late
    assert _story("he wants to give me 5 stars now but the 14 days are gone, can he still?").feedback is None
    assert _story("she would like to leave 5 stars but the option is gone").feedback is None
    assert _story("client gave me 5 stars yesterday").feedback == "positive"


def test_a_removal_button_for_top_rated_is_the_perk_that_ended() -> None:
    question = (
        "Hello, I am Top Rated since 2022 and got one bad review last month. My friend who is also Top Rated removed"
        " one bad feedback in 2023 with a special button for Top Rated freelancers. I cannot find this option. Where"
        " is this button now? Or it is only for Top Rated Plus?"
    )
    assert _story(question).removal_perk_told
    assert understand(question, AS_OF).rules[0] == "X-REMOVAL-PERK"


def test_round_19_story_facts() -> None:
    """Facts the posts of batches 32-33 told that the story did not read (bot/qa/crossval.py, "Round 19"): a span of
    the asker's history is no 48-month rumour; the score told gone puts a badge told beside it aside; the feedback a
    freelancer leaves the client; a client that is an agency; the formula asked; a reply to another poster's drop."""
    agency = understand(
        "I run a small agency (6 devs). A client left 2 stars on a $3k job and the AGENCY JSS dropped from 97 to "
        "90, and my developers who are exclusive to the agency all show 90% too, even the ones without a bad review "
        "in 4 years. Is that really how it works?",
        AS_OF,
    )
    assert agency.rules[0] == "E-AGENCY" and agency.intent != "myth_check"
    gone = understand(
        "I came back after maternity leave and my JSS is just... GONE. It was 100% with a Top Rated badge. My last "
        "contract finished in January 2024. Did they delete my history? How do I get it back?",
        AS_OF,
    )
    assert gone.rules[0] == "W-INACTIVITY"
    own = understand(
        "Nightmare client, paid late twice. The contract ended today and I want to give him 1 star and warn others. "
        "First question: does the feedback I leave for HIM affect my own JSS in any way? Second: if I give him 1 star, "
        "will he retaliate before his feedback for me is posted?",
        AS_OF,
    )
    assert own.rules[0] == "FB-OWN-FEEDBACK"
    late = understand("i forget to leave feedback to client, contract end 20 january. still possible now?", AS_OF)
    assert late.rules[0] in ("FB-LATE", "FB-14DAYS")
    client = understand(
        "Two contracts closed, both 5 stars, both paid. Still no JSS. Both were from the same client, a marketing "
        "agency in Austin. What am I missing?",
        AS_OF,
    )
    assert client.rules[0] == "E-CURRENT"  # two clients needed: both jobs were for one client
    formula = understand(
        "9 five-star reviews, one 4 star, and I'm at 87%?? Where does that math come from? Show me the formula.", AS_OF
    )
    assert formula.rules[0] == "F-FORMULA"
    reply = understand(
        "To the guy who lost 5 points overnight: relax, mine bounced back within a month once two new jobs closed "
        "well. What I never understood is this 'trending' score the insights page mentions. How is it calculated, and "
        "is it what clients see?",
        AS_OF,
    )
    assert reply.rules[0] == "W-TRENDING" and reply.story.direction is None
    refunded = "he paid $40, then asked for it back, so the $40 was refunded. Why did Upwork hide his 5-star review?"
    assert understand(refunded, AS_OF).story.money == "refunded"


def test_round_20_story_facts() -> None:
    """Facts the posts of batches 34-35 told that the story did not read (bot/qa/crossval.py, "Round 20"): the 90-day
    feedback on an open contract, the feedback removal option, two jobs compared by what a poor rating would cost, and
    a period of work that is no window named beside the formula asked."""
    mid = understand(
        "Hourly retainer, 11 months and still open. On the 90-day feedback my client gave me 3 stars after a missed "
        "deadline. Does that rating already count in my JSS, or only when the contract ends?",
        AS_OF,
    )
    assert mid.story.mid_contract == "rated" and mid.rules[0] == "X-MID-CONTRACT-FB"
    perk = understand(
        "Top Rated since 2020. I used the review removal option in 2022 and now I have a nasty 1-star on a $700 job. "
        "I can't find the option anywhere. Can I still remove it?",
        AS_OF,
    )
    assert perk.story.removal_perk_told and perk.rules[0] == "X-REMOVAL-PERK"
    compared = understand(
        "Two unhappy clients this week: a $2,800 app fix where he hints at 3 stars, and a $60 banner where she says "
        "1 star. Which one would hurt my JSS more?",
        AS_OF,
    )
    assert compared.story.jobs_compared and compared.rules[0] == "WT-BAD-BIG"
    assert not _story("Which one hurts more, a 1 star or no feedback at all?").jobs_compared  # no jobs' pay told
    formula = understand(
        "Past 12 months from my history: $200 5.0, $900 4.5, $150 3.0, $1,200 5.0. JSS is 84%. What is the formula "
        "behind it?",
        AS_OF,
    )
    assert formula.story.formula_asked and formula.rules[0] == "F-FORMULA"
    assert not _story("Last 12 months about 88%, 6 months 92. What is the formula for the one shown?").formula_asked


def test_a_rule_of_before_november_2020_asked_whether_it_still_holds() -> None:
    """'Back in 2018 ... is that still how it works?' with a contract that ended without feedback: the rule's change
    (X-NO-FEEDBACK, T-2020-11-NOFB), not old work leaving the windows; no old year told, no such question."""
    question = (
        "In 2018 my score fell from 97 to 89 after a client closed the contract without feedback. Is that still how "
        "it works? Two of my clients never leave reviews."
    )
    u = understand(question, AS_OF)
    assert u.story.old_rule_asked and u.rules[0] in ("X-NO-FEEDBACK", "T-2020-11-NOFB")
    assert not _story("A client closed without feedback last month. Is that still how it works?").old_rule_asked


def test_round_21_story_facts() -> None:
    """Batches 36-37 (bot/qa/crossval.py, "Round 21"): Upwork closing a fixed-price contract is the dormant contract's
    auto-closure; a badge told as had before the score went is put aside."""
    closed = understand("upwork auto closed my fixed price contract last week, can the client still review me?", AS_OF)
    assert closed.story.fixed_auto_closed and closed.rules[0] == "C-FP-OPTOUT"
    assert not _story("upwork closed my hourly contract, can the client still review me?").fixed_auto_closed
    assert _story("used to be top rated, came back after a long break and my jss is gone from profile").badge_aside
