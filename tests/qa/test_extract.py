"""Extraction of durations, money, stars, percentages, counts and named contracts from questions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.qa.cue_figures import window_scores
from bot.qa.extract import (
    MIN_CONTRACT_CONFIDENCE,
    extract_amounts,
    extract_facts,
    match_contracts,
)
from bot.qa.normalize import MAX_QUESTION_CHARS, fold

AS_OF = date(2026, 2, 15)

LEDGER = [
    ("acme-site", "Acme website fixes", "Acme Ltd"),
    ("logo-2", "Logo redesign", "Globex Corp"),
    ("shop-1", "Shopify store redesign", "Initech"),
    ("w1", "Work", "Happy0"),
]


# --- durations ---------------------------------------------------------------------------------


def test_since_month_name_resolves_to_most_recent_past_month() -> None:
    facts = extract_facts("One client hasn't closed his contract since November.", AS_OF)
    [duration] = facts.durations
    assert duration.since == date(2025, 11, 1)
    assert duration.days == 106
    assert duration.months == pytest.approx(3.5, abs=0.05)


def test_since_current_month_is_this_month() -> None:
    [duration] = extract_facts("idle since November", date(2025, 11, 20)).durations
    assert duration.since == date(2025, 11, 1)
    assert duration.days == 19


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("no payment since Nov 2025", date(2025, 11, 1)),
        ("open since 2024-05-01", date(2024, 5, 1)),
        ("quiet since last March", date(2025, 3, 1)),
        ("nothing since March 3rd", date(2025, 3, 3)),
        ("waiting since 3 weeks ago", date(2026, 1, 25)),
    ],
)
def test_since_expressions(text: str, since: date) -> None:
    [duration] = extract_facts(text, AS_OF).durations
    assert duration.since == since
    assert duration.days == (AS_OF - since).days


def test_future_since_date_is_ignored() -> None:
    assert extract_facts("since 2027-01-01", AS_OF).durations == []


@pytest.mark.parametrize(
    ("text", "days", "months", "approximate"),
    [
        ("open for three months", 92, 3.0, False),
        ("idle 2 months now", 62, 2.0, False),
        ("no reply in 10 weeks", 70, 2.3, False),
        ("a year ago", 365, 12.0, False),
        ("for 45 days", 45, 1.48, False),
        ("half a year", 184, 6.0, False),
        ("a couple of weeks", 14, 0.46, True),
        ("twenty-one days", 21, 0.69, False),
        ("a month and a half", 46, 1.5, False),
    ],
)
def test_durations(text: str, days: int, months: float, approximate: bool) -> None:
    [duration] = extract_facts(text, AS_OF).durations
    assert duration.days == days
    assert duration.months == pytest.approx(months, abs=0.01)
    assert duration.approximate is approximate
    assert duration.since == date.fromordinal(AS_OF.toordinal() - days)


@pytest.mark.parametrize(
    ("text", "span", "since"),
    [
        ("bad review from 2 years and 1 month ago", "2 years and 1 month", date(2024, 1, 15)),
        ("worked there 1 year, 3 months", "1 year, 3 months", date(2024, 11, 15)),
        ("idle for 3 months and 2 weeks", "3 months and 2 weeks", date(2025, 11, 1)),
    ],
)
def test_a_span_in_parts_is_one_span(text: str, span: str, since: date) -> None:
    """A span told in parts ("2 years and 1 month ago") is one time back, not two spans (the answer had no date)."""
    [duration] = extract_facts(text, AS_OF).durations
    assert (duration.text, duration.since) == (span, since)


def test_parts_in_rising_order_or_vague_stay_apart() -> None:
    assert len(extract_facts("2 weeks and 3 months", AS_OF).durations) == 2
    assert len(extract_facts("6 months and a few weeks", AS_OF).durations) == 2


@pytest.mark.parametrize(
    ("text", "value"),
    [("why did I lose top rated when my jss is still 93?", 93.0), ("my JSS is currently at 88", 88.0)],
)
def test_a_score_told_without_a_percent_sign(text: str, value: float) -> None:
    assert extract_facts(text, AS_OF).percentages == [value]


def test_window_names_are_not_durations_of_the_asker() -> None:
    assert extract_facts("does the 6-month window matter?", AS_OF).durations == []


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("paid about $300", Decimal("300")),
        ("it was 300 dollars", Decimal("300")),
        ("earned $1,200.50 so far", Decimal("1200.50")),
        ("a 1.2k contract", Decimal("1200")),
        ("over $5k", Decimal("5000")),
        ("USD 40 bonus", Decimal("40")),
        ("a $0 contract", Decimal("0")),
        ("got 75 bucks", Decimal("75")),
    ],
)
def test_amounts_are_decimal(text: str, value: Decimal) -> None:
    [amount] = extract_facts(text, AS_OF).amounts
    assert isinstance(amount.value, Decimal)
    assert amount.value == value
    assert amount.value.as_tuple().exponent == -2  # quantised to cents


def test_stars_percentages_and_counts_are_not_money() -> None:
    facts = extract_facts("3 stars, 94%, 6 projects, 14 days", AS_OF)
    assert facts.amounts == []


# --- stars --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("I got 3 stars", 3.0),
        ("a 3★ review", 3.0),
        ("one 3.75-star rating", 3.75),
        ("a 4 star review", 4.0),
        ("a four-star review", 4.0),
        ("rated 4/5", 4.0),
        ("left ★★", 2.0),
    ],
)
def test_stars(text: str, value: float) -> None:
    [stars] = extract_facts(text, AS_OF).stars
    assert stars.value == value


def test_star_out_of_range_is_ignored() -> None:
    assert extract_facts("7 stars", AS_OF).stars == []


# --- percentages --------------------------------------------------------------------------------


def test_percent_sign() -> None:
    facts = extract_facts("I'm at 94% right now", AS_OF)
    assert facts.percentages == [94.0]


@pytest.mark.parametrize(
    ("text", "before", "after"),
    [
        ("my JSS went from 100 to 89", 100.0, 89.0),
        ("98% -> 91% overnight", 98.0, 91.0),
        ("it dropped from 96% to 92%", 96.0, 92.0),
        ("I had 100%, then 85% after one client, now 83%", 100.0, 83.0),
    ],
)
def test_jss_change(text: str, before: float, after: float) -> None:
    facts = extract_facts(text, AS_OF)
    assert (facts.jss_from, facts.jss_to) == (before, after)
    assert before in facts.percentages and after in facts.percentages


def test_dropped_to_without_sign() -> None:
    facts = extract_facts("score fell to 89 yesterday", AS_OF)
    assert facts.jss_to == 89.0
    assert facts.percentages == [89.0]


def test_small_numbers_after_to_are_not_scores() -> None:
    assert extract_facts("went down to 3 contracts", AS_OF).percentages == []


# --- counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n", "noun"),
    [
        ("I only have 6 projects", 6, "project"),
        ("finished 3 jobs", 3, "job"),
        ("ignored my two requests", 2, "request"),
        ("I asked twice", 2, "time"),
        ("a couple of contracts", 2, "contract"),
        ("five completed contracts", 5, "contract"),
        ("eleven old contracts", 11, "contract"),
        ("worked with 2 different clients", 2, "client"),
    ],
)
def test_counts(text: str, n: int, noun: str) -> None:
    counts = extract_facts(text, AS_OF).counts
    assert [(c.n, c.noun) for c in counts] == [(n, noun)]


def test_money_and_stars_are_not_counts() -> None:
    facts = extract_facts("3 stars on a $150 job", AS_OF)
    assert facts.counts == []


# --- contracts ----------------------------------------------------------------------------------


def test_exact_client_name() -> None:
    [match] = match_contracts("the Globex Corp contract is idle", LEDGER)
    assert (match.contract_id, match.field, match.confidence) == ("logo-2", "client", 1.0)


def test_exact_title_case_insensitive() -> None:
    [match] = match_contracts("what about the LOGO REDESIGN job?", LEDGER)
    assert (match.contract_id, match.field, match.confidence) == ("logo-2", "title", 1.0)


def test_contract_id_whole_word_and_spaced() -> None:
    assert match_contracts("close acme-site?", LEDGER)[0].confidence == 1.0
    assert match_contracts("close acme site?", LEDGER)[0].contract_id == "acme-site"
    assert all(m.field != "id" for m in match_contracts("close xacme-sitex?", LEDGER))


def test_fuzzy_typo_and_partial_title() -> None:
    [typo] = match_contracts("globx never closed it", LEDGER)
    assert typo.contract_id == "logo-2"
    assert MIN_CONTRACT_CONFIDENCE <= typo.confidence < 1.0
    partial, *others = match_contracts("the shopfy redesign client vanished", LEDGER)
    assert partial.contract_id == "shop-1"
    assert partial.confidence < 1.0
    assert all(other.confidence < partial.confidence for other in others)  # "Logo redesign" shares a word


def test_best_match_first_and_generic_titles_ignored() -> None:
    matches = match_contracts("Acme Ltd and the logo redesign for Globex", LEDGER)
    assert [m.contract_id for m in matches][:2] in (["acme-site", "logo-2"], ["logo-2", "acme-site"])
    assert all(m.confidence >= MIN_CONTRACT_CONFIDENCE for m in matches)
    assert match_contracts("the client never sent any work", LEDGER) == []


def test_no_match() -> None:
    assert match_contracts("what's the best pizza in Rome?", LEDGER) == []


# --- robustness ---------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_extraction_never_fails(text: str) -> None:
    facts = extract_facts(text, AS_OF)
    assert all(isinstance(a.value, Decimal) for a in facts.amounts)
    assert all(0 < s.value <= 5 for s in facts.stars)
    assert all(0 <= p <= 100 for p in facts.percentages)
    assert all(d.since <= AS_OF for d in facts.durations)
    match_contracts(text, LEDGER)


def test_long_input_is_truncated() -> None:
    text = "$5 " * 5000
    facts = extract_facts(text, AS_OF)
    assert len(facts.amounts) <= MAX_QUESTION_CHARS // 3 + 1


@pytest.mark.parametrize(
    ("text", "ended", "submitted"),
    [
        ("contract end 4 february, client not give feedback yet", date(2026, 2, 4), None),
        ("the contract ended on Jan 5. Am I too late?", date(2026, 1, 5), None),
        ("review yesterday (contract closed Feb 9), client went silent for 11 days", date(2026, 2, 9), None),
        ("client end contract yesterday. how many days", date(2026, 2, 14), None),
        ("I ended it 10 days ago", None, None),  # a span, answered in the asker's count (durations)
        ("my contract ended Dec 20, 2025", date(2025, 12, 20), None),
        ("I submitted the final milestone on February 10", None, date(2026, 2, 10)),
        ("the contract ended in January", None, None),  # a month names no day to count from
        ("I closed 3 contracts last week", None, None),
        ("catalog order marked complete feb 3, buyer hasnt reviewed yet", date(2026, 2, 3), None),
        ("my freelancer ended our contract herself on Feb 10", date(2026, 2, 10), None),
        ("submited final milestone feb 4, client ghosting me", None, date(2026, 2, 4)),
        ("the feedback window closed Jan 28 and he never left any", None, None),  # the window's end, not the contract's
    ],
)
def test_the_day_a_contract_ended_or_a_milestone_was_submitted(
    text: str, ended: date | None, submitted: date | None
) -> None:
    facts = extract_facts(text, AS_OF)
    assert (facts.ended_on, facts.submitted_on) == (ended, submitted)


def test_an_amount_followed_by_a_comma_is_one_amount() -> None:
    """'$2,000, 2 stars' (a history pasted as a list) is $2,000 rated 2 stars, not $2,000 and $2."""
    folded = fold("- Mar 2024: $2,000, 2★\n- Jun 2024: $650, 3★")
    assert [a.value for a in extract_amounts(folded)[0]] == [Decimal("2000"), Decimal("650")]


def test_the_day_a_refund_request_came_and_the_last_activity() -> None:
    """The escrow refund request's day starts its days to answer; the last activity told by its day is how long a
    contract has been idle (a month alone from its last day, the shortest it can have been)."""
    asked_on = date(2026, 2, 15)
    assert extract_facts("I got an escrow refund request for $350 on 10 February", asked_on).requested_on == date(
        2026, 2, 10
    )
    assert extract_facts("on Feb 3 he requested a refund", asked_on).requested_on == date(2026, 2, 3)
    escrow = "Client requested a refund through escrow on Jan 30 for my $400 fixed job"
    assert extract_facts("Client ended my fixed-price contract on Feb 11", asked_on).ended_on == date(2026, 2, 11)
    assert extract_facts(escrow, asked_on).requested_on == date(2026, 1, 30)
    assert extract_facts("the refund request came in January", asked_on).requested_on is None
    assert extract_facts("Last activity was Nov 30. Should I close it?", asked_on).idle_days == 77
    assert extract_facts("last payment in December 2025", asked_on).idle_days == 46


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Milestone 3 was due Nov 20. I haven't done that part", date(2025, 11, 20)),
        ("The milestone due date was November 20, 2025, and the client", date(2025, 11, 20)),
        ("Due date of milestone was 20 November. I finish maybe 70%", date(2025, 11, 20)),
        ("- M2 $800 funded, due Nov 20 2025; I delivered the files", date(2025, 11, 20)),
        ("the milestone is due in March", None),  # a month alone names no day to count from
        ("the second milestone is due on 3 March 2026", None),  # still ahead: not past due
    ],
)
def test_the_day_a_milestone_was_due(text: str, due: date | None) -> None:
    """A milestone's past due day starts an idle funded contract's days to dormancy (C-FP-DORMANT)."""
    assert extract_facts(text, date(2026, 2, 15)).due_on == due


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("last 12 months about 88, last 6 months around 92.", ((12, 88.0), (6, 92.0))),
        ("24-month 91%, 12-month 89%", ((24, 91.0), (12, 89.0))),
        ("in the last 6 months 12 contracts, in 24 months 60 of my jobs", ()),  # counts, not scores
        ("6 months 20 jobs, 12 months $1,200", ()),
    ],
)
def test_window_scores_told_with_or_without_percent(text: str, scores: tuple[tuple[int, float], ...]) -> None:
    """A window's score may be told without "%" ("last 12 months about 88"); a count or an amount after it is none."""
    assert window_scores(fold(text)) == scores


def test_a_count_told_with_a_plus_is_counted() -> None:
    """'40+ jobs' tells at least 40 jobs (a client reading a freelancer's record)."""
    counts = extract_facts("A candidate shows 85% Job Success with 40+ jobs.", date(2026, 2, 15)).counts
    assert [(c.n, c.noun) for c in counts] == [(40, "job")]


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("My last contract ended in December 2023. Is my JSS still there?", date(2023, 12, 1)),
        ("haven't worked since august 2024, will my jss disappear?", date(2024, 8, 1)),
        ("I have not worked on Upwork since March 2024", date(2024, 3, 1)),
        ("my last job was in May", None),  # no year: it may be another year's May
        ("My last 2 contracts ended January and March 2024", None),
    ],
)
def test_the_month_the_last_work_ended(text: str, ended: date | None) -> None:
    """The month the asker's last work ended, told with its year, dates when the 24 months run out (W-24MAX)."""
    assert extract_facts(text, date(2026, 2, 15)).last_work_on == ended
