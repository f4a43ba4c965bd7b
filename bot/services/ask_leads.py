"""Which words lead /ask's direct answer, and which rules they already say: an intent's lead or its variant for what
the asker told, a rule's own lead, a client's lead, a lead the story decides.

Why a module of its own: the service (`bot.services.questions`) runs the steps of an answer; choosing the lead
from the asker's story is one job with its tables (`LEAD_VARIANTS`, `RULE_LEADS`, `LEAD_COVERS`, `CLIENT_LEADS`). The
asker's figures that go into the words are worked out in `bot.services.ask_figures`; the words themselves are in
`ask.md.j2` and `ask_leads.j2`. Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from bot.qa.cue_figures import WINDOWS_LISTED
from bot.qa.day_counts import DAY_COUNTS
from bot.qa.normalize import fold
from bot.qa.story import asking_part
from scoring.catalogue import Catalogue

from .ask_figures import (
    BAD_STARS,
    REFUND_WORD_RE,
    bad_outcome_end,
    bad_outcome_start,
    compared_jobs,
    jobs_done,
    last_work,
    number,
    one_bad_ahead,
    one_weak_among_few,
    paid_on_zero,
    waited,
)

if TYPE_CHECKING:
    from bot.qa.understand import Understanding

LEAD_INTENTS = frozenset(
    {
        *("close_or_not", "score_drop", "rise_again", "away_inactive", "top_rated", "no_score_yet"),
        *("bad_feedback_impact", "stagger_closing", "dormant_fixed", "long_term_contract", "zero_dollar"),
        *("update_cadence", "refund", "dispute", "private_feedback", "remove_feedback", "no_feedback"),
        *("small_contract", "improve_score", "score_vanished", "ended_contract", "myth_check"),
    }
)
"""Intents with a lead sentence in ask.md.j2 (a test checks the template has one for each)."""
LEAD_VARIANTS: dict[str, tuple[str, ...]] = {
    "score_drop": (
        "score_rise",
        "score_rise_new_job",
        "score_drop_good_review",
        "score_drop_after_closing",
        "score_windows",
        "score_drop_nothing_new",
        "few_jobs_one_weak",
        "away_dated",
    ),
    "top_rated": (
        "top_rated_get",
        "top_rated_get_figures",
        "top_rated_plus",
        "top_rated_plus_earned",
        "top_rated_lost_high",
        "top_rated_away",
        "top_rated_inactive",
        "top_rated_close",
    ),
    "away_inactive": ("away_dated",),
    "long_term_contract": ("long_term_keep_open", "long_term_lack", "job_weighted"),
    "no_score_yet": ("no_score_yet_counted",),
    "dispute": ("dispute_process",),
    "update_cadence": ("update_cadence_review", "update_cadence_insights"),
    "ended_contract": ("ended_contract_client", "ended_contract_asker_client"),
    "close_or_not": ("close_or_not_waited", "close_or_not_asker_client"),
    "score_vanished": ("away_dated",),
    "refund": ("refund_full", "refund_partial", "refund_full_positive"),
    "zero_dollar": ("zero_dollar_billing", "zero_dollar_ended", "no_feedback", "zero_dollar_asker_client"),
    "rise_again": ("rise_again_dated", "rise_again_unmoved"),
    "dormant_fixed": ("dormant_fixed_unstarted", "hourly_idle", "dormant_fixed_closed"),
    "remove_feedback": ("remove_feedback_perk", "edit_private_asker_client"),
    "private_feedback": ("private_note",),
    "bad_feedback_impact": ("few_jobs_one_weak", "bad_feedback_sized", "bad_feedback_asker_client"),
    "small_contract": ("bad_feedback_sized", "job_weighted"),
}
"""Intents whose lead has variants for what the asker told (`lead_key`): a score that rose is not explained as a
drop, a drop right after five stars or after closing contracts is explained from that, Top Rated's loss is not
the answer to how to get it, a full refund is not answered with a partial one, billing a few minutes is answered when
asked, a $0 contract that already ended is not told it is safe to close, a bad review's cost is told with the job's
size when the asker gives it, a contract that ended without feedback and paid something is not answered with the $0
rules, time away asked beside a badge is answered with what still counts, a question comparing a window's score with
the one shown is not answered as a drop (a test checks each has words)."""
ANY_INTENT_VARIANTS = frozenset(
    {"jobs_compared", "last_work_dated", "one_bad_ahead", "rise_again_dated", "zero_dollar_paid", "edit_offered"}
)
"""Variants the story picks whatever the intent (`lead_key`): jobs told with their pay and compared ("which one hurts
more?") are weighed against each other under any intent the question reads as."""
LEAD_COVERS: dict[str, tuple[str, ...]] = {
    "close_or_not": ("X-NO-FEEDBACK", "C-SELF-CLOSE-2MO"),
    "score_drop": ("W-AGE-OUT",),
    "update_cadence": ("W-CADENCE-CURRENT", "W-CADENCE-LEGACY"),
    "rise_again": ("W-AGE-OUT",),
    "away_inactive": ("W-INACTIVITY",),
    "top_rated": ("B-TR-LOSS",),
    "refund": ("X-REFUND", "X-ZERO-NEGATIVE", "X-ZERO-POSITIVE"),
    "dispute": ("X-DISPUTE", "L-DISPUTE"),
    "no_score_yet": ("E-CURRENT", "E-RISING"),
    "dormant_fixed": ("C-FP-AUTO-RELEASE", "C-FP-DORMANT", "C-FP-OPTOUT"),
    "bad_feedback_impact": ("F-PUBLIC-EMPHASIS", "WT-BAD-BIG"),
    "private_feedback": ("F-PRIVATE-FB", "T-FORM-CHANGE", "WT-PRIVATE-VS-PUBLIC"),
    "long_term_contract": ("WT-LONG-TERM", "C-HOURLY-INACTIVE", "L-NEW-CONTRACT-PER-PROJECT"),
    "stagger_closing": ("L-STAGGER", "C-CLOSE-ADVICE"),
    "zero_dollar": ("X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "X-NO-FEEDBACK"),
    "zero_dollar_ended": ("X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "X-NO-FEEDBACK"),
    "remove_feedback": ("FB-REPORT", "X-REMOVAL-PERK", "FB-EDIT", "FB-RESPOND"),
    "no_feedback": ("X-NO-FEEDBACK", "FB-14DAYS", "FB-LATE"),
    "small_contract": ("WT-EARNINGS-TIERS", "WT-BAD-BIG"),
    "improve_score": ("F-POSITIVE", "W-WINDOWS"),
    "score_vanished": ("W-INACTIVITY",),
    "ended_contract": ("FB-WHO-ENDS", "FB-14DAYS", "X-NO-FEEDBACK"),
    "away_dated": ("W-INACTIVITY", "W-AGE-OUT", "W-24MAX"),
    "top_rated_away": ("B-TR", "B-TR-LOSS", "W-INACTIVITY", "W-AGE-OUT", "W-24MAX"),
    "bad_feedback_asker_client": ("F-NEGATIVE", "WT-BAD-BIG"),
    "bands_asker_client": ("F-BANDS", "L-NEWBIE-MATH"),
    "zero_dollar_asker_client": ("X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "X-NO-FEEDBACK"),
    "ended_contract_asker_client": ("FB-WHO-ENDS", "X-NO-FEEDBACK", "FB-14DAYS"),
    "close_or_not_asker_client": (
        "C-CLOSE-ADVICE",
        "X-NO-FEEDBACK",
        "L-NEW-CONTRACT-PER-PROJECT",
        "C-SELF-CLOSE-2MO",
        "C-FL-CAN-END",
    ),
    "score_windows": ("W-WINDOWS", "W-TRENDING"),
    "hourly_idle": ("C-HOURLY-INACTIVE", "C-OPEN-INACTIVE-JSS", "C-AUTO-CLOSE-LORE"),
    "long_term_lack": ("WT-LONG-TERM", "F-NEGATIVE"),
    "score_rise_new_job": ("W-WINDOWS", "W-TRENDING", "W-AGE-OUT"),
    "top_rated_inactive": ("B-TR",),
    "top_rated_close": ("B-TR", "X-NO-FEEDBACK", "L-STAGGER", "C-SELF-CLOSE-2MO"),
    "dormant_fixed_unstarted": ("C-FP-DORMANT", "C-FL-CAN-END", "X-NO-FEEDBACK"),
    "remove_feedback_perk": ("X-REMOVAL-PERK", "FB-REPORT", "FB-EDIT", "FB-RESPOND"),
    "refund_asker_client": ("X-REFUND", "X-ZERO-NEGATIVE", "X-ZERO-POSITIVE"),
    "dispute_asker_client": ("X-DISPUTE", "C-ESCROW-REFUND"),
    "improve_score_asker_client": ("C-CLOSE-ADVICE", "WT-LONG-TERM", "WT-EARNINGS-TIERS", "F-POSITIVE"),
    "stars_asker_client": ("F-PUBLIC-EMPHASIS", "WT-EARNINGS-TIERS"),
    "dormant_fixed_asker_client": ("C-FP-OPTOUT", "C-FP-DORMANT"),
    "edit_feedback_asker_client": ("FB-EDIT",),
    "edit_private_asker_client": ("FB-EDIT",),
    "private_note_asker_client": ("T-FORM-CHANGE", "F-PRIVATE-FB", "F-PUBLIC-EMPHASIS"),
    "few_jobs_one_weak": ("L-NEWBIE-MATH", "F-FORMULA", "L-ESTIMATOR"),
    "private_note": ("T-FORM-CHANGE", "F-PRIVATE-FB", "F-PUBLIC-EMPHASIS"),
    "job_weighted": ("WT-EARNINGS-TIERS", "WT-LONG-TERM"),
    "last_work_dated": ("W-24MAX", "W-INACTIVITY", "E-CURRENT"),
    "dormant_fixed_closed": ("C-FP-OPTOUT", "FB-14DAYS", "X-NO-FEEDBACK", "C-FP-DORMANT"),
    "refund_full_positive": ("X-REFUND", "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"),
    "jobs_compared": ("WT-EARNINGS-TIERS", "WT-BAD-BIG"),
    "one_bad_ahead": ("L-NEWBIE-MATH", "F-FORMULA", "L-ESTIMATOR", "L-ONE-BAD-15"),
    "edit_offered": ("FB-EDIT", "FB-14DAYS", "FB-LATE"),
    "zero_dollar_paid": ("FB-PUBLIC-MIN", "X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "WT-EARNINGS-TIERS"),
}
"""The rules each intent's lead in ask.md.j2 already puts into words, or a variant's beside them (a variant taken under
another intent, time away asked beside Top Rated, says its own): not said again as the answer to a further question
of the post (the 14-day window said twice, the dispute lead's forum report again). Still cited as sources."""
RULE_LEADS: dict[str, tuple[str, ...]] = {
    "FB-14DAYS": ("X-NO-FEEDBACK", "FB-LATE"),
    "FB-LATE": ("X-NO-FEEDBACK", "FB-14DAYS"),
    "FB-WHO-ENDS": ("FB-14DAYS",),
    "C-OPEN-INACTIVE-JSS": (),
    "C-FL-CAN-END": ("X-NO-FEEDBACK",),
    "C-ESCROW-REFUND": ("X-REFUND", "X-DISPUTE"),
    "C-PAUSED-JSS": (),
    "C-FP-AUTO-RELEASE": (),
    "B-TR-WEEKS": ("B-TR-LOSS",),
    "F-PUBLIC-EMPHASIS": (),
    "C-RESENT-OFFER": (),
    "FB-RESPOND": ("FB-REPORT",),
    "X-FLAGGED-CLIENT": ("C-STATUSES",),
    "X-PROPOSALS": (),
    "C-END-REASONS": ("X-NO-FEEDBACK",),
    "FB-HOLD": (),
    "B-RT-LOSS": (),
    "FB-STARS-DISPLAY": ("F-PUBLIC-EMPHASIS",),
    "FB-TOS-NOTICE": (),
    "E-RISING": (),
    "F-BANDS": (),
    "L-NEW-CONTRACT-PER-PROJECT": ("WT-LONG-TERM",),
    "X-UKRAINE-FLOOR": (),
    "X-MID-CONTRACT-FB": (),
    "FB-PUBLIC-MIN": ("X-ZERO-POSITIVE", "X-ZERO-NEGATIVE"),
}
"""Rules that answer a narrower question than their intent's lead does ("can the client still leave a review
after 10 days?" is a no-feedback question, but the 14-day window answers it): when one is cited first, its own
lead in ask.md.j2 (`rule_lead`, answer first, in the asker's terms) replaces the intent's; the rules it puts
into words are not said again for a further question (a test checks the template has a lead for each)."""
INTENT_LEADS_ALSO = {"close_or_not": frozenset({"L-STAGGER"})}
"""First rules, beyond those the intent's own questions cite first, whose posts the intent's lead still answers: "two
clients went quiet two months ago, will closing them tank my JSS? not both at once?" ranks the staggering tactic first,
but whether to close comes first in the answer (the lead says how to stagger when several are told)."""
OWN_WORDS_RULES = frozenset({"FB-EDIT", "X-ZERO-NEGATIVE"})
"""Rules whose own statement answers the question they are cited first for better than their intent's lead
("does a suspended client's review count?" is answered by the rule, not by the dispute lead)."""
PLAIN_LEAD_UNFIT = {"score_drop": frozenset({"L-NEWBIE-MATH"})}
"""First rules an intent's plain lead (no variant of it fits the story) does not answer: "one bad review did so much
damage with few jobs, is that normal?" cites the few-jobs rule first, and the drop lead's "your JSS can fall with no
new work" answers another question; the rule's own words lead then."""
CLIENT_LEADS = {
    "close_or_not": "close_or_not_asker_client",
    "ended_contract": "ended_contract_asker_client",
    "bad_feedback_impact": "bad_feedback_asker_client",
    "zero_dollar": "zero_dollar_asker_client",
    "refund": "refund_asker_client",
    "dispute": "dispute_asker_client",
    "improve_score": "improve_score_asker_client",
    "dormant_fixed": "dormant_fixed_asker_client",
    "no_feedback": "ended_contract_asker_client",
}
"""Leads in a client's terms: a client asking whether to end a freelancer's contract, what ending it does, or what the
rating they leave does is answered about the freelancer's score, not told about "your JSS"."""
CLIENT_RULE_LEADS = {
    "F-NEGATIVE": "bad_feedback_asker_client",
    "WT-BAD-BIG": "bad_feedback_asker_client",
    "FB-WHO-ENDS": "ended_contract_asker_client",
    "C-CLOSE-ADVICE": "close_or_not_asker_client",
    "C-SELF-CLOSE-2MO": "close_or_not_asker_client",
    "C-FL-CAN-END": "close_or_not_asker_client",
    "F-BANDS": "bands_asker_client",
    "L-SMALL-BAD": "bad_feedback_asker_client",
    "L-ONE-BAD-15": "bad_feedback_asker_client",
    "L-ESTIMATOR": "bad_feedback_asker_client",
    "WT-EARNINGS-TIERS": "bad_feedback_asker_client",
    "X-REFUND": "refund_asker_client",
    "X-DISPUTE": "dispute_asker_client",
    "F-POSITIVE": "improve_score_asker_client",
    "F-PUBLIC-EMPHASIS": "stars_asker_client",
    "C-FP-OPTOUT": "dormant_fixed_asker_client",
    "C-FP-DORMANT": "dormant_fixed_asker_client",
    "FB-EDIT": "edit_feedback_asker_client",
    "T-FORM-CHANGE": "private_note_asker_client",
    "F-PRIVATE-FB": "private_note_asker_client",
}
"""The same leads by the rule cited first, whatever the intent: the rule's own statement speaks to the freelancer."""


def client_lead(first: str | None, u: Understanding, statement: str = "") -> str | None:
    """The client's lead when the asker is the client: the first rule's (CLIENT_RULE_LEADS), else, when the first
    rule's `statement` speaks to the freelancer ("... left out of your JSS"), the question's intent's (CLIENT_LEADS:
    "is it better for her if I close it or keep it open?" cites X-NO-FEEDBACK first); a statement in neutral words
    ("Upwork emails the client after 30 days...") answers the client as it is. None for a freelancer."""
    if not u.story.asker_client:
        return None
    key = CLIENT_RULE_LEADS.get(first or "")
    if key is None and _TO_FREELANCER_RE.search(statement):
        key = CLIENT_LEADS.get(u.intent or "")
    if key == "bad_feedback_asker_client" and u.facts.amounts:
        return "bad_feedback_sized"  # "a 3 star on an 8-month, $22k contract: does it hit him harder?": its weight
    if key == "zero_dollar_asker_client" and u.story.money == "paid":
        return "ended_contract_asker_client"  # "paid her $85 ... if skipping feedback is neutral": not a $0 contract
    if key == "ended_contract_asker_client" and u.cues.keep_open_asked:
        return "close_or_not_asker_client"  # "does it matter to him if I just leave it open?"
    if key == "edit_feedback_asker_client" and _PRIVATE_RATING_RE.search(u.question) is not None:
        return "edit_private_asker_client"  # "she'll enable editing, so can I bump my private 8/10 to 10?": never
    return key


_PRIVATE_RATING_RE = re.compile(
    r"\bprivate(?:ly)?\s+(?:\S+\s+){0,2}?(?:\d{1,2}\s*/\s*10|\d{1,2}\s+out\s+of\s+10|rating|score|would\s+recommend)",
    re.IGNORECASE,
)
"""The client tells of the private 0-10 rating ("the private 8/10 'would recommend' I gave her"): editing cannot reach
it."""
_TO_FREELANCER_RE = re.compile(r"\byour?\b", re.IGNORECASE)
"""A rule statement written to the freelancer ("your JSS", "you can end it")."""


LAST_WORK_RULES = frozenset({"W-24MAX", "W-INACTIVITY", "E-CURRENT"})
"""Rules cited first for whether a score outlasts a break: the month the last work ended, told, dates it."""


def story_lead(first: str | None, u: Understanding, catalogue: Catalogue, as_of: date) -> str | None:
    """A lead the story decides whatever rule comes first: a milestone's money asked about by an asker who never did
    its work is not answered with "submit it" (C-FP-AUTO-RELEASE) but with what dormancy does
    (`dormant_fixed_unstarted`)."""
    if first in ("C-FP-AUTO-RELEASE", "C-FP-DORMANT") and u.cues.work_not_started and u.cues.escrow != "submitted":
        return None if u.story.asker_client else "dormant_fixed_unstarted"
    if first in ("C-FP-DORMANT", "C-FP-OPTOUT", "C-AUTO-CLOSE-LORE") and u.cues.contract_kind == "hourly":
        return None if u.story.asker_client else "hourly_idle"  # "will my hourly contract go dormant?": it does not
    if first in LAST_WORK_RULES and u.cues.away_months is None and last_work(catalogue, u, as_of) is not None:
        return "last_work_dated"  # "my last contract ended in December 2023, is my JSS still there?"
    # a poor rating told (or its threat) beside a count of jobs: "where will I land, and will I lose the badge?"
    poor = u.story.feedback in ("negative", "mixed") or any(s.value < BAD_STARS for s in u.facts.stars)
    if EDIT_OFFERED_RE.search(u.question) and not u.story.asker_client and first in EDIT_FIRST_RULES:
        return "edit_offered"  # "he says he's happy to change it to 5: is there a deadline, what do I do?"
    asking = asking_part(fold(u.question))
    # the score asked about, or the requirement asked with no badge named; not "am I eligible for the badge now?"
    score_asked = _JSS_ASKED_RE.search(asking) is not None or _BADGE_ASKED_RE.search(asking) is None
    if first in NO_SCORE_RULES and u.intent == "no_score_yet" and score_asked and jobs_done(u) is not None:
        return "no_score_yet_counted"  # "First contract ended Jan 12 ... Second with client B: will I have a JSS?"
    cost_asked = first in COST_RULES or (
        poor and u.intent in ("bad_feedback_impact", "top_rated") and first not in DAY_COUNTS
    )
    if cost_asked and one_bad_ahead(catalogue, u):
        return "one_bad_ahead"  # "how many points does one disputed milestone cost? im 98% with like 20 jobs"
    if first in ZERO_RULES and paid_on_zero(catalogue, u) is not None:
        return "zero_dollar_paid"  # "client sent a $25 bonus on my $0 test contract: will the review show now?"
    if first == "W-AGE-OUT" and _WHEN_ASKED_RE.search(asking_part(fold(u.question))) and bad_outcome_end(u, as_of):
        # "a 1-star on 28 August 2025: on what date does it fall out of the 6-month window?": its own stages, dated
        return "rise_again_dated"
    if first == "W-24MAX" and u.facts.dates and bad_outcome_start(u) is not None:
        # "does a bad review from jan 2024 still count? some1 said its 48 months": its own date against the 24 months
        # first; the rumour is still corrected under "Folklore check" (a span told is the rumour's own "48 months")
        return "rise_again_dated"
    return None


ZERO_RULES = frozenset({"X-ZERO-POSITIVE", "X-ZERO-NEGATIVE", "FB-PUBLIC-MIN", "L-10-MINUTES"})
"""Rules cited first for a $0 contract: money paid on it after all makes it a job like any other."""
_JSS_ASKED_RE = re.compile(r"\b(?:jss|score|job\s+success)\b")
"""The asking sentences name the score itself ("will I have a JSS after that?"), in the folded text."""
_BADGE_ASKED_RE = re.compile(r"\b(?:badges?|risingtalent|rt|toprated|tr)\b")
"""The asking sentences name a badge (folded: "Rising Talent" is "risingtalent")."""
EDIT_OFFERED_RE = re.compile(
    r"\b(?:happy|willing|agreed|agrees|offered|offers|promised|ready|wants|going|open)\s+to\s+"
    r"(?:change|update|edit|raise|revise|improve|bump|fix)\s+(?:it|that|the|his|her|their|my)\b"
    r"|\bchange\s+(?:it|that|the\s+(?:review|rating|feedback))\s+to\s+(?:[1-5]|five|four)\b",
    re.IGNORECASE,
)
"""The client offers to change the rating they left ("he says he's happy to change it to 5")."""
EDIT_FIRST_RULES = frozenset({"FB-14DAYS", "FB-LATE", "FB-EDIT", "X-NO-FEEDBACK", "FB-WHO-ENDS", "FB-REPORT"})
"""Rules cited first where an offered change of rating is answered by how editing works (FB-EDIT)."""
NO_SCORE_RULES = frozenset({"E-RISING", "E-CURRENT", "E-HISTORY", "B-RT"})
"""Rules cited first for when a first JSS appears: the jobs the asker counts, set against the 2 needed, lead."""
COST_RULES = frozenset(
    {"L-ESTIMATOR", "L-ONE-BAD-15", "L-SMALL-BAD", "L-DISPUTE", "L-NEWBIE-MATH", "F-FORMULA", "X-DISPUTE", "F-NEGATIVE"}
    | {"WT-BAD-BIG"}
)
"""Rules cited first for what one bad outcome costs: with the asker's jobs counted, the formula on them leads."""
_WHEN_ASKED_RE = re.compile(
    r"\b(?:when|what\s+(?:date|day|month)|which\s+(?:date|day|month)|how\s+long|until\s+when|by\s+when)\b"
)
"""The asking sentences ask for a time ("on what date exactly does it fall out?", "how long do I carry it?"), in the
folded text."""


REFUND_RULES = frozenset({"X-REFUND", "C-ESCROW-REFUND", "L-REFUND-3PCT", "X-ZERO-NEGATIVE"})
"""Rules cited first for what a refund does: a refund demanded under threat of a bad review is answered first as
the threat it is (`refund_threat`)."""


def refund_threat(first: str | None, u: Understanding) -> bool:
    """A refund demanded under threat of a bad review ("refund 100% or I leave 1 star"): not paying for a rating
    decides, before what a refund does (FB-REPORT); also when reporting is cited first ("Refund the full $600 or I
    leave 1 star ... Is this even allowed?"), where the report rule alone never said not to pay."""
    reported = first == "FB-REPORT" and REFUND_WORD_RE.search(u.question) is not None
    return u.cues.review_threat and (first in REFUND_RULES or reported)


_RATING_PROMISED_RE = re.compile(
    r"(?:\b(?:will|going\s+to|gonna|would|promised?|offer(?:ed|s)?)|'ll)\s+(?:to\s+)?(?:leave|give)\b|\bif\s+i\s+refund",
    re.IGNORECASE,
)
"""A rating promised, not given ("she said she'll leave 5 stars if I refund"): the refund's effect either way."""
_PRIVATE_NOTE_RE = re.compile(r"\bprivate\s+(?:note|comment)s?\b", re.IGNORECASE)
"""The new form's optional private note told ("added a private note saying he was a bit disappointed")."""


def lead_key(intent: str, u: Understanding, catalogue: Catalogue) -> str:
    """Which words of the intent's lead in ask.md.j2 answer this asker (LEAD_VARIANTS), from what their story tells."""
    story = u.story
    if story.asker_client and intent in CLIENT_LEADS:
        return CLIENT_LEADS[intent]
    if compared_jobs(catalogue, u) is not None:
        return "jobs_compared"  # "3 stars on a $180 job or 4 on a $1,500 one, which hurts less?": whatever the intent
    if intent == "score_drop":
        windows_told = len(u.cues.window_scores) >= 2  # "24-month 91%, 12-month 89%, 6-month 95%, profile 97?"
        windows_first = u.rules[:1] in (["W-WINDOWS"], ["W-TRENDING"])
        if (story.direction is None or windows_told) and (windows_first or len(u.cues.window_scores) >= WINDOWS_LISTED):
            # "insights say 100% for 6 months but my profile shows 91": which window is shown; and every window's
            # score listed ("3 months 100%, 6 months 90% ... none of those is 95"), whatever rule ranks first
            return "score_windows"
        if u.cues.drop_feared and u.cues.away_months is not None and story.direction != "up":
            return "away_dated"  # "pausing 8-10 months: will my 91 stay put, or can it drop with zero new contracts?"
        if story.direction == "up" and not u.cues.nothing_new and story.feedback == "positive":
            return "score_rise_new_job"  # "jumped from 86 to 93 overnight after ONE 5 star job?"
        if story.direction == "up":
            return "score_rise"
        if one_weak_among_few(catalogue, u) is not None:
            return "few_jobs_one_weak"  # "first JSS 62% after 4 jobs, one gave 3 stars": the formula on their jobs
        if story.ended_by == "me" and story.feedback in (None, "positive"):
            return "score_drop_after_closing"
        if story.feedback == "positive":
            return "score_drop_good_review"
        if u.cues.nothing_new and story.ended_by is None:
            return "score_drop_nothing_new"  # "no contract ended, no new feedback, nothing": time alone moved it
    if intent == "top_rated":
        plus = u.cues.plus_named and "B-TRP" in u.rules[:3]  # "top rated but no plus badge": the Plus is asked
        if story.badge == "top_rated_plus" or u.rules[:1] == ["B-TRP"] or plus:
            earned = u.cues.earned_usd
            threshold = number(catalogue, "B-TRP", "min_earnings_12mo_usd")
            told = earned is not None and earned != threshold and u.cues.largest_contract_usd is None
            if told and not (u.cues.badge_feared or story.badge_lost):
                return "top_rated_plus_earned"  # "earned around 14k last 12 month, why still no TR plus?"
            return "top_rated_plus"
        if u.cues.away_months is not None:
            return "top_rated_away"  # "will I lose Top Rated while I'm away 8 months?": the badge's activity days
        if u.cues.no_proposals and (story.badge_lost or u.cues.badge_feared or u.cues.notice_received):
            return "top_rated_inactive"  # "no proposals since November, today a notice that I might lose Top Rated"
        if u.cues.ending_asked and not story.badge_return and (u.cues.badge_feared or not story.badge_lost):
            # "Top Rated at 92, 4 ghosted contracts: close them myself? all at once? terrified of losing the badge"
            return "top_rated_close"
        score = u.facts.jss_now
        # "JSS 93% but still no Top Rated badge": never had it, so nothing removed it
        went = story.badge_lost and not u.cues.badge_not_yet
        lost = story.badge == "top_rated" and went and not story.score_appeared and not u.cues.badge_feared
        if lost and score is not None and score >= number(catalogue, "B-TR", "min_jss"):
            return "top_rated_lost_high"
        if not (went or story.badge_return or story.direction == "down"):
            # "JSS 100%, $870 earned, why no Top Rated?": their score and earnings against the badge's bars
            told = score is not None or u.cues.earned_usd is not None
            return "top_rated_get_figures" if told else "top_rated_get"
    if intent in ("away_inactive", "score_vanished") and u.cues.away_months is not None:
        return "away_dated"
    if intent == "ended_contract" and story.ended_by == "client":
        return "ended_contract_client"
    if intent == "update_cadence" and u.rules[:1] == ["T-2024-09-INSIGHTS"]:
        return "update_cadence_insights"
    if intent == "update_cadence" and u.cues.review_asked:
        return "update_cadence_review"
    if intent == "close_or_not" and waited(u, catalogue) is not None:
        return "close_or_not_waited"
    if intent == "dispute" and u.cues.dispute_process_asked and not story.contest_review:
        return "dispute_process"
    if intent == "no_score_yet" and jobs_done(u) is not None:
        return "no_score_yet_counted"
    if _job_weighted(intent, u):
        return "job_weighted"  # "hourly, 14 months, $9,000 in all: does it count like 1 job or like 5?"
    if intent == "long_term_contract" and u.cues.long_term_lack_asked and not story.asker_client:
        return "long_term_lack"  # "I have no long-term clients, is that holding my JSS at 88?"
    if intent == "long_term_contract" and (u.cues.keep_open_asked or u.rules[:1] == ["C-HOURLY-INACTIVE"]):
        return "long_term_keep_open"
    if intent == "rise_again" and story.unmoved:
        return "rise_again_unmoved"
    if intent == "rise_again" and bad_outcome_start(u) is not None:
        return "rise_again_dated"
    if intent == "bad_feedback_impact" and one_weak_among_few(catalogue, u) is not None:
        return "few_jobs_one_weak"
    if intent == "bad_feedback_impact" and u.facts.amounts:
        return "bad_feedback_sized"
    one_job = len(u.facts.amounts) == 1 or u.cues.job_months is not None  # "$40 or $3000, which matters more?": tiers
    if intent == "small_contract" and one_job and (story.feedback in ("negative", "mixed") or u.facts.stars):
        return "bad_feedback_sized"  # "an $18k contract ended with 4 stars: does it weigh more than my small ones?"
    if (
        intent == "zero_dollar"
        and story.money is None
        and story.feedback == "none"
        and u.rules[:1] == ["X-NO-FEEDBACK"]
    ):
        return "no_feedback"  # no $0 told, no feedback told: "the contract ended 12 days ago, if he never leaves any?"
    if intent == "zero_dollar" and u.rules[:1] == ["L-10-MINUTES"]:
        return "zero_dollar_billing"
    if intent == "zero_dollar" and (
        story.ended_by in ("client", "upwork")  # "should I close it?" reads as "me"
        # rated, and not asked whether to end it: it ended ("gave me 5 stars but never paid")
        or (story.money == "none" and story.feedback in ("positive", "negative", "mixed") and not u.cues.ending_asked)
    ):
        return "zero_dollar_ended"
    if intent == "dormant_fixed" and story.fixed_auto_closed:
        return "dormant_fixed_closed"  # "upwork closed my fp contract automatically, can the client still leave fb?"
    if intent == "dormant_fixed" and u.cues.work_not_started and u.cues.escrow != "submitted":
        return "dormant_fixed_unstarted"  # "I couldn't start, I just want to know what happens to his $850"
    if intent == "remove_feedback" and story.badge == "top_rated" and "X-REMOVAL-PERK" in u.rules[:3]:
        return "remove_feedback_perk"  # "where's the button to remove one feedback as top rated?"
    if intent == "private_feedback" and _PRIVATE_NOTE_RE.search(u.question) is not None:
        return "private_note"  # "5 stars publicly but added a private note ... does that note count against me?"
    promised = _RATING_PROMISED_RE.search(u.question) is not None  # "she'll leave 5 stars if I refund"
    if intent == "refund" and u.cues.refund_part == "full" and story.feedback == "positive" and not promised:
        return "refund_full_positive"  # "full refund, but she left 5 stars: success or fail?": neither
    if intent == "refund" and u.cues.refund_part is not None:
        return f"refund_{u.cues.refund_part}"
    return intent


def _job_weighted(intent: str, u: Understanding) -> bool:
    """One job told with its pay and its months of payments, asked how much it weighs, not what a bad review on it
    costs (`bad_feedback_sized`), whether to keep it open or whether lacking long-term work hurts: its weight worked
    out (WT-EARNINGS-TIERS' tiers and the weight each 3 paid months add)."""
    story, cues = u.story, u.cues
    return (
        intent in ("long_term_contract", "small_contract")
        and len(u.facts.amounts) == 1
        and cues.job_months is not None
        and story.feedback not in ("negative", "mixed")
        and not (story.asker_client or cues.keep_open_asked or cues.long_term_lack_asked)
    )


FIGURE_VARIANTS = frozenset(
    {
        "away_dated",
        "rise_again_dated",
        "bad_feedback_sized",
        "no_score_yet_counted",
        "top_rated_lost_high",
        "top_rated_get_figures",
        "top_rated_away",
        "few_jobs_one_weak",
        "job_weighted",
        "jobs_compared",
    }
)
"""Variants that put the asker's own figures into the answer (months away, the date of a bad review, a job's pay,
jobs done, a JSS told): worth taking even where the question's own intent does not lead (`figure_variant`)."""


def figure_variant(first_intents: frozenset[str], u: Understanding, catalogue: Catalogue) -> str | None:
    """The variant with the asker's figures that every intent of the first rule picks, when the question's own
    intent does not lead: "I don't visit Upwork for a year, what happens to my JSS?" ranks W-INACTIVITY first with no
    sure intent, and both of that rule's intents answer time away told with its length the same way (`away_dated`).
    None when they differ or none is a FIGURE_VARIANTS one (a rule's own statement answers better than an intent's
    plain lead)."""
    keys = {lead_key(intent, u, catalogue) for intent in first_intents}
    key = keys.pop() if len(keys) == 1 else None
    return key if key in FIGURE_VARIANTS else None
