"""A paragraph's sentences that restate what an answer already said are left out (bot/render/repeats.py)."""

from __future__ import annotations

from bot.render.repeats import repeats, unsaid

LONG_TERM_LEAD = (
    "A long-term contract paid at least every 90 days counts as a good outcome, and each 3 months with a payment "
    "adds weight, up to 8 jobs' worth. Keeping one open for occasional work is fine."
)
TIERS = (
    "A job paying $1-$250 counts as 1 job, $251-$1,000 as 1.25 and over $1,000 as 1.5. Every 3 months of a "
    "contract with a payment adds one more job's weight, up to 8 in total."
)


def test_a_sentence_saying_the_same_fact_in_other_words_is_left_out() -> None:
    assert (
        unsaid(TIERS, [LONG_TERM_LEAD])
        == "A job paying $1-$250 counts as 1 job, $251-$1,000 as 1.25 and over $1,000 as 1.5."
    )


def test_a_paragraph_saying_nothing_new_is_left_empty() -> None:
    said = [
        "Close several old idle contracts one at a time: a couple of weeks apart, oldest first, after contracts "
        "that end with good feedback."
    ]
    again = "With several such contracts, close them one at a time, oldest first, every couple of weeks."
    assert unsaid(again, said) == ""


def test_plural_and_singular_are_the_same_word() -> None:
    earlier = "Until 3 September 2024, Top Rated freelancers could take one contract out of their JSS."
    assert repeats(
        "On 3 September 2024 Upwork ended the Top Rated perk that let a freelancer take one contract's "
        "feedback out of their JSS.",
        [earlier],
    )


def test_a_short_sentence_sharing_only_common_words_is_kept() -> None:
    """ "client", "14 days" and "contract" are in most answers: sharing them restates nothing."""
    said = ["Either of you can leave feedback for 14 days after the contract ends; the client is asked first."]
    assert not repeats("The client has 14 days to answer; you can ask again after that.", said)
    assert (
        unsaid("Failed client billing also pauses contracts.", said) == "Failed client billing also pauses contracts."
    )


def test_a_sentence_adding_requirements_is_kept() -> None:
    """Most words in common, but new requirements: not a repeat (just under the share)."""
    lead = (
        "Top Rated needs a JSS of 90% or more now and in 13 of the last 16 weeks, $1,000 earned in 12 months, and "
        "a proposal, invite or earnings in the last 90 days."
    )
    full = (
        "Top Rated needs a JSS of 90%+ now and in 13 of the last 16 weeks (Rising Talent weeks count), $1,000+ "
        "earned in 12 months, a first contract over 90 days ago, a complete profile, current availability, no "
        "holds or violations in 3 months, and some activity in the last 90 days."
    )
    assert not repeats(full, [lead])


def test_a_sentence_with_a_date_or_figure_not_said_is_kept() -> None:
    """Asked "wasn't it 4 contracts? when did they change it to 2?", the lead says what is needed now; the rule after
    it says the same words plus when it changed and what it was: the date is the answer, so it is not a repeat. The
    same words with no new figure still are."""
    lead = "You get a JSS after 2 eligible jobs with 2 different clients within 24 months; no earnings minimum."
    dated = (
        "Since December 2023 you need only 2 projects with 2 different clients within 24 months to get a JSS (it was "
        "4 projects with 2 clients)."
    )
    assert not repeats(dated, [lead])
    assert repeats("You need 2 eligible jobs with 2 different clients within 24 months to get a JSS.", [lead])
