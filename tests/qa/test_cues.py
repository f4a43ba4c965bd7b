"""Answer cues (bot.qa.cues): what the asker told or asked that picks the words of the answer, read from the
question's own words and never from a rule's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.qa.cue_figures import window_scores
from bot.qa.cues import Cues, read_cues
from bot.qa.extract import Facts, extract_facts
from bot.qa.follow_up import follow_up
from bot.qa.normalize import fold
from bot.qa.story import Story

AS_OF = date(2026, 2, 15)


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("fixed price contract, client not responding and milestone is in escrow, what happens?", "escrow", "funded"),
        ("client funded the milestone and vanished", "escrow", "funded"),
        ("I submitted the milestone 10 days ago and he did not approve", "escrow", "submitted"),
        ("money in escrow, but I have not submitted the milestone yet", "escrow", "funded"),
        ("is there money in escrow?", "escrow", None),
        ("if I give a full refund, does the bad review still count?", "refund_part", "full"),
        ("the client asked me to refund half of it", "refund_part", "partial"),
        ("client wants the escrow back", "refund_part", None),
        ("jss went from 96 to 91 overnight, nothing changed", "nothing_new", True),
        ("no jobs ended this week and it still dropped", "nothing_new", True),
        ("my jss dropped from 96 to 91 today", "nothing_new", False),
        ("no money in escrow and the client is silent", "escrow", None),
        ("will my jss disappear if I don't work for a year?", "away_months", 12.0),
        ("I'm taking 6 months off for maternity leave, what happens to my JSS?", "away_months", 6.0),
        ("the contract ran for 6 months, will it count?", "away_months", None),
        ("should I keep a long term hourly contract open for occasional work?", "keep_open_asked", True),
        ("does a long running hourly contract help my jss?", "keep_open_asked", False),
        ("Better to open a new contract or keep the old one going for jss?", "keep_open_asked", True),
        ("JSS just went 100 -> 88. Nothing else happened that I know of", "nothing_new", True),
        ("they just don't answer my polite messages asking them to close the contract", "asked_to_close", True),
        ("they just don't answer my polite messages asking them to close the contract", "client_silent", True),
        ("the client replied and asked me to close the contract", "client_silent", False),
        ("in the end I refunded his money so we wouldn't have any problem", "refund_part", "full"),
        ("so I filed a dispute. What are my options?", "dispute_filed", True),
        ("i won the mediation, will the dispute still count against my jss?", "dispute_won", True),
        ("I lost the dispute, does it count against my jss?", "dispute_won", False),
        ("I made a 3D animation over 2+ weeks on a fixed price, no payment yet", "work_done", True),
        ("he wants to pay half the contract and that's totally fair", "amicable", True),
        ("he wants to pay half and refuses to talk", "amicable", False),
        ("a client hired me and never funded anything, $0 contract. should I close it?", "work_done", False),
        ("he sent an escrow refund request. I haven't answered yet.", "dispute_filed", False),
        ("i won the mediation, will the dispute still count against my jss?", "dispute_process_asked", False),
        ("my JSS went from 100 to 98 out of nowhere. nobody left me anything bad. why??", "nothing_new", True),
        ("my JSS went from 100 to 98 after a client ended my contract", "nothing_new", False),
        ("I'm scared of his feedback. Is there any way to avoid his feedback?", "avoid_feedback_asked", True),
        ("how do I stop a client from leaving a bad review?", "avoid_feedback_asked", True),
        ("the client ended it without feedback, does it count?", "avoid_feedback_asked", False),
        (
            "is it better to work on the same contract for 2 years or close it every few months?",
            "keep_open_asked",
            True,
        ),
        (
            "If this goes to arbitration can I win, and do I get the arbitration fee back?",
            "dispute_process_asked",
            True,
        ),
        # session 9: a badge feared for, the biggest contract named, a milestone never submitted, time off in words
        ("will I lose my top rated badge if I take 6 months off?", "badge_feared", True),
        ("one 3 star coming on a $300 job. should I expect to lose the badge?", "badge_feared", True),
        ("I lost top rated last week, will I lose rising talent too?", "badge_feared", False),
        ("my biggest single contract is $4,200, still no top rated plus", "largest_contract_usd", Decimal("4200")),
        ("$30k earned last year, my largest contract was $3,000", "largest_contract_usd", Decimal("3000")),
        ("I earned $12,000 this year, why no top rated plus?", "largest_contract_usd", None),
        ("$500 in escrow, I never clicked submit work, should I end it?", "escrow", "funded"),
        ("client did not pay so I submitted the milestone", "escrow", "submitted"),
        ("I plan to stop working for 6-8 months. I am Top Rated since almost 2 years", "away_months", 8.0),
        ("I'm taking 8 months off for my baby", "away_months", 8.0),
        ("going offline for about 3 months, what happens to my badge?", "away_months", 3.0),
        ("they just never closed them. I messaged all of them, one said sure", "asked_to_close", True),
        ("I messaged him about the bug yesterday", "asked_to_close", False),
        ("got an email from upwork saying my account may be closed in 30 days", "notice_received", True),
        ("got an email today that my account is closed for low satisfaction", "notice_received", False),
        ("can upwork close my account because of low jss?", "notice_received", False),
        ("the client paid me off-platform once, is that why rising talent is gone?", "off_platform", True),
        ("my rising talent badge disappeared, why?", "off_platform", False),
        ("I finish 2 jobs with 2 different client, still no JSS", "jobs_told", True),
        ("taking 8 months off. will my jss drop?", "drop_feared", True),
        ("the payment auto-releases in 2 days, what now?", "days_ahead", True),
        ("I submitted it 2 days ago, what now?", "days_ahead", False),
        ("is the number of jobs I do here dragging my score down?", "volume_asked", True),
        ("my jss dropped from 96 to 91, why?", "volume_asked", False),
        ("my jss dropped from 96 to 91, will it drop more?", "drop_feared", False),
        ("why did my jss go down?", "drop_feared", False),
        ("my score went 100% -> 60% after closing two jobs. Should I contact support?", "support_asked", True),
        ("jss crashed. can upwork recheck my score", "support_asked", True),
        ("How often do they recalculate the job success now?", "support_asked", False),
        ("client went silent, should I contact support?", "support_asked", False),
        ("Most are $300-$800 jobs. How far would one 3-star on a $180 job drop me?", "rated_job_usd", Decimal(180)),
        (
            "$18k over 14 months ended with 4 stars. Plus 10 small gigs of $100-200, all 5 stars.",
            "rated_job_usd",
            Decimal(18000),
        ),
        ("a $500 job ended with 5 stars", "rated_job_usd", None),
        ("I have 4 jobs, what if the next one is 2 stars?", "job_ahead", True),
        ("I have 4 jobs and one is 2 stars, how bad?", "job_ahead", False),
        ("I couldn't start because he never sent the photos. what happens to the escrow?", "work_not_started", True),
        ("I haven't done the work for milestone 2 yet", "work_not_started", True),
        ("I delivered everything, he never started to pay", "work_not_started", False),
        ("My Stats shows 11 of 16 eligible weeks", "weeks_told", 11),
        ("I completed 11 of 16 tasks", "weeks_told", None),
        ("earned around 14k last 12 month, why no TR plus?", "earned_usd", Decimal(14000)),
        ("I make way over 10k a year", "earned_usd", None),
        ("first two were with same client, he gave 5 star both times", "same_client", True),
        ("two jobs with two different clients", "same_client", False),
        ("he closed the contract without giving any feedback", "job_without_feedback", True),
        ("the client left 5 stars", "job_without_feedback", False),
        ("I haven't sent any proposals since November", "no_proposals", True),
        ("not applied to any job since October", "no_proposals", True),
        ("I sent 40 proposals and no hire", "no_proposals", False),
        ("my rising talent badge is gone. why?", "badge_gone_told", True),
        ("does the rising talent badge go away once I get a jss?", "badge_gone_told", False),
        ("my hourly client is rude, can I end it?", "contract_kind", "hourly"),
        ("fixed price, $600 in escrow", "contract_kind", "fixed"),
        ("hourly contract with a milestone bonus", "contract_kind", None),
        ("my hourly contract has 0 hours. will it go dormant like the fixed price ones do?", "contract_kind", "hourly"),
        ("banner says my account is on hold and something about doing a course", "course_told", True),
        ("I haven't done that part because he never sent the login", "work_not_started", True),
        ("refund me 50% or I leave a 1 star review, he wrote", "review_threat", True),
        ("he threatened a bad review if I don't do free work", "review_threat", True),
        ("the client left a 1 star review", "review_threat", False),
        ("I don't have any long-term clients, is that bad?", "long_term_lack_asked", True),
        ("my long-term client pays weekly", "long_term_lack_asked", False),
        ("he has been with us 8 months on an hourly contract, about $22k billed", "job_months", 8.0),
        ("it ended with 1 star. how long do I carry it?", "carry_asked", True),
        ("top rated but no plus badge, is that the reason", "plus_named", True),
        ("why no TRP yet?", "plus_named", True),
        ("I am top rated, will I lose it?", "plus_named", False),
        ("biggest single contract was 3200. is that the reason", "largest_contract_usd", Decimal(3200)),
        ("$30k earned, my largest contract was $3,000", "largest_contract_usd", Decimal(3000)),
        ("my biggest contract was in 2023 for $5,000", "largest_contract_usd", Decimal(5000)),
        ("when will that 2-star stop counting?", "carry_asked", True),
        ("how long does the hold last?", "carry_asked", False),  # the hold's length, not a review's
        ("can I reply to his review? until when?", "carry_asked", False),  # the reply's window
        # a contract or client told "since" a day, its pay in the same sentence: months to the day asked
        ("an hourly contract with one client since May 12, 2025, about $2,800 paid so far", "job_months", 9.17),
        ("working with this client since March 2025 ($4k billed)", "job_months", 11.53),
        ("on upwork since 2019, my $500 job got 1 star", "job_months", None),  # the asker's time, not the job's
        ("this client since May 2025 is great. I earned $500 elsewhere", "job_months", None),  # pay of another sentence
        ("I earned $9-10k from that client", "earned_usd", Decimal(10000)),
    ],
)
def test_answer_cues(question: str, field: str, value: object) -> None:
    assert getattr(read_cues(fold(question), extract_facts(question, AS_OF)), field) == value


def test_cues_are_not_story_facts() -> None:
    """A cue never feeds the classifier: the story (whose facts are features) and the cues share no field."""
    assert not set(Cues.model_fields) & set(Story.model_fields)


def test_feedback_awaited_is_not_asked_for() -> None:
    """ "The client ended it yesterday, I don't see any feedback yet": which feedback came cannot be told yet (both
    sides' feedback stays hidden until both submit or the window ends), so the follow-up does not ask for it."""
    ended = Story(ended_by="client")
    awaited = Story(ended_by="client", feedback_pending=True)  # the story reads it (a routing fact too)
    assert follow_up("ended_contract", "X-NO-FEEDBACK", ended, Cues(), Facts()) == "feedback"
    assert follow_up("ended_contract", "X-NO-FEEDBACK", awaited, Cues(), Facts()) is None


def test_a_window_comparison_is_not_asked_what_changed() -> None:
    """ "Insights say 100% for 6 months but my profile shows 91": no movement told, so no "did a contract end?"."""
    assert follow_up("score_drop", "W-AGE-OUT", Story(), Cues(), Facts()) == "recent_change"
    assert follow_up("score_drop", "W-WINDOWS", Story(), Cues(), Facts()) is None
    assert follow_up("score_drop", "W-WINDOWS", Story(direction="down"), Cues(), Facts()) == "recent_change"


def test_window_scores_told() -> None:
    assert window_scores(fold("24-month score 91%, 12-month 89%, 6-month 95%")) == ((24, 91.0), (12, 89.0), (6, 95.0))
    assert window_scores(fold("the 3-month is 100% and 6 month score is 93%")) == ((3, 100.0), (6, 93.0))
    assert window_scores(fold("I worked 6 months, 100% jss")) == ()
