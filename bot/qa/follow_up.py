"""The follow-up question: the one fact whose absence most changes the answer, asked when the asker left it out.

Why a module of its own: it reads both the story (bot.qa.story: who ended it, money, feedback) and the answer cues
(bot.qa.cues: nothing new happened, time away, money in escrow), after routing has chosen the first rule.
"""

from __future__ import annotations

from bot.qa.cue_figures import WINDOWS_LISTED
from bot.qa.cues import Cues
from bot.qa.extract import Facts
from bot.qa.story import Story

FOLLOW_UP_FACTS: frozenset[str] = frozenset(
    {"feedback", "money", "recent_change", "stars", "amount", "milestone", "who_ended"}
)
"""The facts a follow-up question can ask about; the questions themselves are in the `ask` template."""
WINDOW_RULES = frozenset({"W-WINDOWS", "W-TRENDING"})
"""Rules on which window's score is shown: cited first for a question that tells no drop, they answer it whole."""


def follow_up(intent: str | None, first_rule: str | None, story: Story, cues: Cues, facts: Facts) -> str | None:
    """The key of the one fact whose absence most changes the answer, or None when nothing is missing.

    Only asked when the answer really branches on it and the question did not settle it: an ending the asker
    tells is judged by its feedback, a drop is explained by what happened just before it, a bad review's cost
    by its stars and the job's size. Not asked of a general question ("does it matter who ends it?"), of a
    question about the feedback window itself ("can the client still leave a review?"), nor of an answer that
    is the same either way (the no-feedback answer holds "whoever ended it"; ending an open contract does not
    hurt whether or not it was paid; a star-mapping answer does not depend on the job's pay).
    """
    # "Should I close it?" reads as the asker ending it (the question's own words): no feedback to ask about
    # yet; a contract the client or Upwork ended, or one the asker ended before a drop, has its feedback to tell.
    ended = story.ended_by is not None and (
        intent == "score_drop" or (intent == "close_or_not" and story.ended_by != "me")
    )
    window_asked = first_rule in {"FB-14DAYS", "FB-LATE", "FB-WHO-ENDS", "C-STATUSES"}
    # "If I end it, will I drop like my friend did?": the asker asks about an ending still to come, whose feedback
    # cannot be told yet
    ending_ahead = story.ended_by == "me" and cues.ending_ahead
    if (intent in {"ended_contract", "no_feedback"} or ended) and not window_asked and not ending_ahead:
        if (
            story.feedback is None
            and story.money != "none"
            and not story.private_feedback
            and not story.feedback_pending
        ):
            return "feedback"  # feedback awaited within the window cannot be told yet
    if (
        intent == "score_drop"
        and story.feedback is None
        and story.ended_by is None
        and not (story.hearsay or cues.nothing_new or story.direction == "up" or cues.away_months is not None)
        and not ((story.direction is None or len(cues.window_scores) >= 2) and first_rule in WINDOW_RULES)
        and len(cues.window_scores) < WINDOWS_LISTED
    ):  # time away told is the change: work aged out of the windows while nothing new came; a question comparing
        # windows ("insights say 100% for 6 months, profile 91") tells of no movement to explain
        return "recent_change"
    star_mapping = first_rule in {"F-PUBLIC-EMPHASIS", "F-PRIVATE-FB", "WT-PRIVATE-VS-PUBLIC", "FB-STARS-DISPLAY"}
    # a rating heard of ("saw it on reddit") or still to come ("what if the next one is 2 stars?") has no stars to tell
    if intent == "bad_feedback_impact" and not star_mapping and not (story.hearsay or cues.job_ahead):
        if not facts.stars and story.feedback is None:
            return "stars"
        if not facts.amounts:
            return "amount"
    if first_rule == "C-FP-DORMANT" and story.money is None and cues.escrow is None and not story.asker_client:
        # money in escrow told: the dormancy answer covers a submitted milestone and one not yet submitted; a client
        # submits no milestone
        return "milestone"
    return None
