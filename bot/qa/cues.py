"""Answer cues: what the asker told or asked that picks the words of the answer, not the rule it cites.

Why apart from the story (bot.qa.story): the story's facts are classifier features and rank the rules, so a change
to them moves routing and needs the cross-validation of bot.qa.crossval; these cues are read after routing, by the
leads and paragraphs of the answer (bot.services.ask_leads, the ask templates) and by the choice of a follow-up
question (bot.qa.follow_up). Adding or sharpening one never changes which rule leads.

Regexes run on the folded text (bot.qa.normalize.fold), like the story's. Pure and linear in the question length.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.qa import cue_figures as figures
from bot.qa.extract import Facts
from bot.qa.story import (
    REVIEW_WORD_RE,
    SAME_CLIENT_RE,
    SENTENCE_RE,
    asking_part,
    asking_sentences,
    contract_kind,
    is_hearsay,
    telling_part,
)


class Cues(BaseModel):
    """What the asker told or asked, for the words of the answer; None or False = not said."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nothing_new: bool = False
    """The asker says nothing happened before the score moved ("nothing changed", "no new contracts", "no jobs ended
    this week"): asking whether a contract ended or feedback arrived would ask what they told."""
    refund_part: Literal["full", "partial"] | None = None
    """How much of the money a refund told gives back: all of it ("a full refund", "refunded everything") or part
    ("refunded half", "a partial refund"). Decides which refund answer fits."""
    escrow: Literal["funded", "submitted"] | None = None
    """What the asker tells of a fixed-price milestone: money is in escrow ("funded"), or the work was submitted
    for payment ("submitted", which implies the escrow). Told, the milestone follow-up is not asked (the dormancy
    answer covers both); a submitted milestone is answered with its auto-release."""
    amicable: bool = False
    """Client and freelancer agree on how to settle ("he wants to pay half and that's totally fair", "we agreed"):
    the escrow refund is approved, not contested."""
    work_done: bool = False
    """The asker tells of work they did on the contract ("I made a 3D animation over 2 weeks", "I delivered it"):
    a $0 contract is then not one that never started."""
    dispute_won: bool = False
    """The asker tells of winning a dispute, or asks whether winning one changes anything ("I won the mediation",
    "can I win?"): only then is it said that Upwork has not published whether winning does."""
    review_asked: bool = False
    """The asking sentences ask about a review or feedback ("when will my new review show in my JSS?")."""
    dispute_filed: bool = False
    """A dispute is already under way ("I filed a dispute", "we're in mediation", "it went to arbitration"): no
    pending refund request to answer."""
    client_silent: bool = False
    """The client went silent ("went quiet", "no reply", "does not answer", "can not reach him")."""
    asked_to_close: bool = False
    """The asker already asked the client to close or end the contract."""
    dispute_process_asked: bool = False
    """The asking sentences ask how a dispute goes on (who decides, its fees, can I win, what happens next, my
    options), not only what it does to the score."""
    required_counts: frozenset[str] = frozenset()
    """Counts the post tells as a requirement, in the words of `Facts.counts` ("4 completed contracts" in "you need 4
    completed contracts, right? I have 2 done"): not the asker's jobs."""
    jobs_told: bool = False
    """The asker tells of jobs they completed ("I have completed 3 jobs", "16 jobs done"), not a count in a rule
    ("you need 4 contracts"): a job count in the question is then theirs."""
    avoid_feedback_asked: bool = False
    """The asking sentences ask how to end a contract without the client's feedback, or how to avoid or stop it
    ("is there a way to end it without him being asked for feedback?"): the answer is no, and says so first."""
    claim_asked: bool = False
    """The asking sentences ask whether something heard is true ("is it true?", "legit or nah?", "true or cope"): a
    myth the post repeats is then its question, and its correction comes first."""
    score_fell: bool = False
    """The post tells its score as two figures, the later lower ("was 95% ... now I see 89%"), whatever words it
    uses: a drop told, when the story's movement words miss it."""
    still_asked: bool = False
    """The asking sentences ask whether a rule or protection still holds ("is this protection still working in 2026?",
    "was it cancelled?"): the answer says what is known of its end first."""
    ending_asked: bool = False
    """The asking sentences ask about ending, cancelling or pausing a contract ("should he pause it or cancel it?"):
    a $0 contract still open, whatever rating an earlier one got."""
    ending_ahead: bool = False
    """The asking sentences ask about an ending still to come ("If I end it, will I drop like him?", "should I close
    it?"), not why one that happened did something ("why closing finished jobs make it so low?")."""
    keep_open_asked: bool = False
    """The asking sentences ask whether to keep (or leave) a contract open, not only what it counts for: the
    long-term answer then starts from keeping it open."""
    away_months: float | None = None
    """How long the asker is, was or will be away from work, in months (the longest span told), when they tell of time
    away ("if I don't work for a year", "a 6-month break"): the answer counts what is left in the 24 months from it."""
    badge_feared: bool = False
    """The asking sentences ask whether a badge will (or could) be lost, and no sentence says it was ("will I lose
    Top Rated while I'm away?"): a badge not lost yet is not explained as one that went away."""
    badge_not_yet: bool = False
    """The asker tells of a badge they have not got yet ("JSS 93% but still no Top Rated badge", "never got TR"): a
    badge to earn, not one that went away."""
    plus_named: bool = False
    """The asker names Top Rated Plus, in any words ("top rated but no plus badge", "TRP", "the plus"): the badge
    asked about even where the story reads plain Top Rated."""
    largest_contract_usd: Decimal | None = None
    """The asker's biggest contract, when they name one with its amount ("my biggest single contract is $4,200"):
    Top Rated Plus needs a large one, and whether this one is large enough is the answer."""
    carry_asked: bool = False
    """The asking sentences ask how long a bad outcome keeps counting ("how long do I carry it?", "when will it stop
    counting?"): its age-out days answer that, whatever rule comes first."""
    job_months: float | None = None
    """How long the paid job told lasted ("$18k over 14 months hourly", "a 6-month $3,000 contract"): besides its pay,
    each 3 months with a payment adds weight to its outcome."""
    days_ahead: bool = False
    """The asker tells days still to come ("it auto-releases in 2 days", "5 days left"), not days that have passed:
    a count of days left is then not worked out from them."""
    volume_asked: bool = False
    """The asker asks whether the number of jobs matters ("does the number of jobs matter?", "is it because I do fewer
    jobs?"): how much one outcome weighs among few is the answer."""
    drop_feared: bool = False
    """The asker asks whether the score will drop and tells of no drop that happened ("will my jss drop while I'm
    away?"): nothing to record yet, so `/jss record` is not offered."""
    off_platform: bool = False
    """The asker tells of money paid or asked for outside Upwork ("the client paid me off-platform"): the rules on
    off-platform payments (they strip the badges) concern them."""
    notice_received: bool = False
    """The asker tells of a warning, notice or email from Upwork they received ("Got an email from Upwork saying my
    client satisfaction is below their standards"): the answer speaks of that notice, not of what an article says."""
    effect_asked: bool = False
    """The question asks what something does to the score ("will it affect my JSS?", "does it count?"): an answer
    then puts the JSS effect before the procedure. Read in the whole question, since a trailing question without a
    "?" is not among the asking sentences."""
    rated_job_usd: Decimal | None = None
    """The pay of the job whose rating is told, when a sentence gives both ("one 3-star on a $180 job", "$18k over 14
    months that ended with 4 stars"): the job a rating's weight is about, not the first amount of the post ("most of
    my jobs are $300-$800")."""
    work_not_started: bool = False
    """The asker tells that the work was never started or done ("I couldn't start because he never sent the photos",
    "I haven't done the work for milestone 2"): a milestone is then not to be submitted for its money."""
    weeks_told: int | None = None
    """Top Rated's eligible weeks the asker tells they have ("My Stats shows 11 of 16 eligible weeks"): the weeks
    still needed are worked out from them."""
    window_scores: tuple[tuple[int, float], ...] = ()
    """The window scores the asker tells, as (months, percent) in the order told ("24-month score 91%, 12-month 89%,
    6-month 95%"): which one is the best, and the trending one, are worked out from them."""
    earned_usd: Decimal | None = None
    """What the asker says they earned ("earned around 14k last 12 month"): set beside Top Rated Plus's earnings
    threshold."""
    same_client: bool = False
    """The asker tells of several jobs for one client ("first two were with the same client"): they count as one
    client toward the 2 a first score needs."""
    job_without_feedback: bool = False
    """The asker tells of a job that ended without feedback ("he closed the contract without giving any feedback"):
    it does not count toward a first score."""
    contract_kind: Literal["hourly", "fixed"] | None = None
    """The kind of contract the asker tells of ("hourly contract", "fixed price, $600 in escrow"); None when not told
    or both are: what ending it does to money differs (logged hours bill as usual; unreleased escrow goes back)."""
    no_proposals: bool = False
    """The asker tells they have not applied or sent proposals for a while ("I haven't sent any proposals since
    November", "not applied to any job since October"): the badges' activity days are then the likely cause."""
    badge_gone_told: bool = False
    """A sentence that tells (not asks) of a badge gone ("my rising talent badge is gone", "my badge disappeared last
    month"): "does it go away once I get a JSS?" asks, and is not answered as a loss that happened."""
    review_threat: bool = False
    """The asker tells of a client threatening a bad review to get something ("refund me or I leave 1 star", "he
    threatened a bad review"): a rating given that way is extortion, which Upwork removes when reported."""
    long_term_lack_asked: bool = False
    """The asker asks whether having no long-term clients counts against them ("I don't have any long-term
    clients, is that why my JSS is stuck?")."""
    other_platform: bool = False
    """The asker tells of work on another platform ("about 300 orders on Fiverr"): counts told are not Upwork jobs."""
    course_told: bool = False
    """The asker tells of a course named in a hold ("a banner saying my account is on hold and something about a
    course"): the hold is the version lifted by Upwork Academy's course."""
    job_ahead: bool = False
    """The asker asks about a job still to come ("I have 4 jobs, what if the next one is 2 stars?"): it adds to the
    jobs they count."""
    support_asked: bool = False
    """The asking sentences ask whether to turn to Upwork's support, or whether Upwork can recheck or fix the score
    ("should I contact support?", "can upwork recheck my score?"): a second question no rule's statement answers, so
    the answer says what support can and cannot do about a score."""
    by_itself_asked: bool = False
    """An asking sentence asks whether something happens by itself ("will it be removed automatically, or do I need
    to ask support?"): the answer says whether anything is to be requested."""


BY_ITSELF_RE = re.compile(r"\b(?:automatic(?:ally)?|by\s+itself|on\s+its\s+own|by\s+default)\b")
"""Asking whether something happens by itself (`Cues.by_itself_asked`; routing reads it per further question)."""
_SUPPORT_ASKED_RE = re.compile(
    r"\b(?:contact\w*|email\w*|messag\w*|writ\w*\s+to|reach\w*\s+out\s+to|ask\w*|complain\w*\s+to|escalat\w*\s+(?:it\s+)?to)\s+"
    r"(?:\w+\s+){0,2}?(?:upwork\s+)?(?:support|customer\s+(?:service|support)|help\s+desk|staff|moderators?|mods)\b"
    r"|\b(?:support|upwork|staff|a\s+moderator)\s+(?:\w+\s+){0,2}?(?:re-?check|re-?calculat\w*|re-?evaluat\w*|review|fix|"
    r"correct|restore|adjust|reset|look\s+(?:at|into))\s+(?:\w+\s+){0,2}?(?:score|jss|it|this)\b"
    r"|\b(?:open|file|raise|submit)\w*\s+(?:a\s+)?(?:support\s+)?tickets?\b"
)
"""Asking whether to turn to support about the score ("should I contact support?", "can upwork recheck my score?",
"can I open a ticket?"); not "how often do they recalculate the jss" (no support named) nor a client who can help."""
_NEG = (
    r"\b(?:haven'?t|have\s+not|hasn'?t|has\s+not|didn'?t|did\s+not|couldn'?t|could\s+not|never)\s+"
    r"(?:even\s+|yet\s+|actually\s+)?"
)
"""A negated verb's start ("haven't even", "could not", "never"), before the verb."""
_NOT_STARTED_RE = re.compile(
    rf"{_NEG}(?:start|started|begin|begun|began)\b(?!\s+(?:to\s+)?(?:pay|fund|respond|reply))"
    rf"|{_NEG}(?:do|done|did)\s+(?:(?:the|any)\s+(?:\w+\s+){{0,2}}?(?:work|task|job)|(?:that|this)\s+part)\b"
    r"|\bno\s+work\s+(?:was\s+|has\s+been\s+)?(?:done|started|delivered)\b|\bnothing\s+to\s+submit\b"
)


_WITHOUT_FEEDBACK_RE = re.compile(
    r"\bwithout\s+(?:giving\s+|leaving\s+|any\s+)*(?:feedback|review|rating)s?\b"
    r"|\b(?:no|not|never|didn'?t|did\s+not)\s+(?:\w+\s+){0,2}?(?:feedback|review|rating)s?\b(?!\s+yet)"
)


_NO_PROPOSALS_RE = re.compile(
    r"\b(?:haven'?t|have\s+not|didn'?t|did\s+not|not|never|stopped)\s+(?:\w+\s+){0,2}?"
    r"(?:sent|sending|send|submitted|submitting|applied|applying|apply|bid|bidding)\s+(?:any\s+|a\s+|new\s+)*"
    r"(?:proposals?|bids?|to\s+(?:any\s+|new\s+)*(?:jobs?|projects?|work))\b"
    r"|\bno\s+(?:new\s+)?proposals?\b"
)
_THREAT_RE = re.compile(
    r"\bthreat\w*\b[^.?!]{0,60}?\b(?:review|feedback|rating|stars?)\b"
    r"|\b(?:or|otherwise|else|if\s+not)\s+(?:else\s+)?(?:he|she|they|i)?\s*(?:will|would|gonna|going\s+to|ll)?\s*"
    r"(?:leave|give|post|write)\w*\s+(?:me\s+|you\s+)?(?:a\s+)?(?:1|one|2|two|bad|negative|low|poor)\b"
)
_NO_LONG_TERM_RE = re.compile(
    r"\b(?:no|without|lack\s+of|don'?t\s+have|do\s+not\s+have|not\s+having|never\s+had|few)\s+(?:any\s+)?"
    r"long[\s-]?term\b"
)
_OTHER_PLATFORM_RE = re.compile(r"\b(?:fiverr|freelancer\.com|peopleperhour|toptal|guru\.com|contra)\b")
_COURSE_RE = re.compile(r"\bcourse\b|\bacademy\b|\bre-?skilling\b")
_JOB_AHEAD_RE = re.compile(r"\b(?:next|another|new)\s+(?:one|job|contract|project|client)\b")
_QUESTION_START_RE = re.compile(r"\s*(?:and\s+|so\s+|or\s+)?(?:should|can|could|do|does|is|will|would|shall|must)\b")


def _support_asked(folded: str) -> bool:
    """Support asked about in a sentence that asks ("should I contact support?", "can upwork recheck my score"), not
    told ("was about to open a ticket but they reply with a copy-paste"), in a question about the score."""
    if _SCORE_WORD_RE.search(folded) is None:
        return False
    # sentences ending in "?" ("if yes, how long until it is taken out, or do I need to open a ticket?") and those
    # worded as a question without one; not a last sentence that tells ("was about to open a ticket but...")
    asking = [s for s in asking_sentences(folded) if s.rstrip().endswith("?")]
    return any(
        _SUPPORT_ASKED_RE.search(s) is not None
        for s in [*asking, *(s for s in SENTENCE_RE.findall(folded) if _QUESTION_START_RE.match(s) is not None)]
    )


_SCORE_WORD_RE = re.compile(r"\b(?:jss|score|job\s+success)\b")


_EFFECT_ASKED_RE = re.compile(r"\b(?:jss|score|affect\w*|hurt\w*|count\w*|impact\w*|harm\w*)\b")


_NOTHING_NEW_RE = re.compile(
    r"\bnothing\s+(?:else\s+)?(?:has\s+|had\s+)?(?:changed|happened|new|ended)\b"
    # "went from 100 to 98 out of nowhere", "nobody left me anything bad", "have not done any project since december"
    r"|\bout\s+of\s+nowhere\b|\bfor\s+no\s+(?:apparent\s+)?reason\b|\b(?:nobody|no\s+one)\s+(?:has\s+)?(?:left|gave|given)\b"
    r"|\bhave\s+not\s+(?:done|had|finished|completed|closed|ended)\s+any\s+(?:new\s+)?(?:projects?|jobs?|contracts?|work)\b"
    r"|\bno\s+(?:new\s+|recent\s+)(?:contracts?|jobs?|feedback|reviews?|ratings?|work|projects?)\b"
    r"|\bno\s+(?:contracts?|jobs?|projects?)\s+(?:have\s+|has\s+)?(?:ended|closed|finished)\b"
    r"|\bwithout\s+(?:any\s+)?(?:new\s+)(?:contracts?|jobs?|feedback|reviews?|work)\b"
)


_PARTIAL_REFUND_RE = re.compile(
    r"\bpartial(?:ly)?\s+(?:\w+\s+)?refund\w*|\brefund\w*\s+(?:\w+\s+)?(?:partial(?:ly)?|half|part\s+of|some\s+of|a\s+portion)\b"
    r"|\b(?:half|part)\s+(?:of\s+)?(?:the\s+|his\s+|her\s+|their\s+)?(?:money|payment|amount)\s+back\b"
)


_FULL_REFUND_RE = re.compile(
    r"\b(?:full|complete|whole|total)\s+refund\w*|\brefund\w*\s+(?:\w+\s+)?(?:in\s+full|fully|everything|all\s+of|the\s+(?:whole|full|entire))\b"
    r"|\b(?:all|everything)\s+(?:of\s+)?(?:the\s+|his\s+|her\s+|their\s+)?(?:money\s+)?back\b"
    # "I refunded his money", "refunded them their money": the money, not a part of it
    r"|\brefund\w*\s+(?:(?:him|her|them)\s+)?(?:his|her|their)\s+(?:money|payment)\b"
)


def _refund_part(folded: str) -> Literal["full", "partial"] | None:
    """Whether a refund told gives back all the money or part of it (see Cues.refund_part); None when not told or
    both are told (two refunds)."""
    partial = _PARTIAL_REFUND_RE.search(folded) is not None
    full = _FULL_REFUND_RE.search(folded) is not None
    if partial == full:
        return None
    return "partial" if partial else "full"


_NOT_BEFORE = r"(?<!not\s)(?<!never\s)(?<!yet\sto\s)"


_SUBMITTED_RE = re.compile(
    rf"{_NOT_BEFORE}\b(?:submitted|sent)\s+(?:\w+\s+){{0,3}}?(?:milestones?|work|deliverables?)\b"
    rf"|{_NOT_BEFORE}\brequested\s+(?:the\s+|a\s+)?(?:payment|release|approval)\b"
    r"|\bsubmitted\s+(?:\w+\s+){0,3}?for\s+(?:payment|approval|review)\b"
)


_FUNDED_RE = re.compile(
    r"(?<!no\s)(?<!not\s)(?<!nothing\s)\b(?:money|funds|payment|milestones?|it|\$?\d[\d,.]*)\s+(?:\w+\s+){0,2}?in\s+escrow\b"
    rf"|{_NOT_BEFORE}\bfunded\s+(?:the\s+|a\s+|my\s+)?(?:\w+\s+)?(?:milestones?|escrow)\b"
    r"|\b(?:milestones?|escrow)\s+(?:is\s+|was\s+|are\s+|were\s+|has\s+been\s+|already\s+)*funded\b"
)


def _escrow(folded: str) -> Literal["funded", "submitted"] | None:
    """What the asker tells of a milestone's money (see Cues.escrow): in sentences that tell, or that ask only after
    telling ("milestone is in escrow, what happens?"), not in a question about it ("is there money in escrow?")."""
    told = telling_part(folded)
    if _NOT_SUBMITTED_RE.search(folded) is not None:
        return "funded"  # "I never clicked submit": whatever else is told, the milestone waits in escrow
    if _SUBMITTED_RE.search(folded) is not None:
        return "submitted"
    return "funded" if _FUNDED_RE.search(told) is not None else None


_NOT_SUBMITTED_RE = re.compile(
    r"\b(?:never|not|didn'?t|didnt|haven'?t|havent|hasn'?t|hasnt)\s+(?:yet\s+|even\s+|actually\s+)?"
    r"(?:clicked\s+|hit\s+|pressed\s+)?(?:submit|submitted|requested\s+(?:the\s+)?payment)\b"
)
"""The asker says the work was not submitted for payment ("I never clicked submit work", "haven't submitted the
milestone yet"): the money is still in escrow and no auto-release clock runs."""


_CLAIM_ASKED_RE = re.compile(r"\b(?:true|legit|cope|myth|accurate|real\s+thing|still\s+a\s+thing)\b")
_STILL_ASKED_RE = re.compile(
    r"\b(?:still|any\s*more|finished|cancel\w*|stopped|ended|expired|valid|in\s+force|removed|over)\b"
)
_ENDING_ASKED_RE = re.compile(r"\b(?:close|closing|cancel\w*|end|ending|pause|pausing|terminat\w*)\b")
_ENDING_AHEAD_RE = re.compile(
    r"\b(?:if|should|shall|can|could|when|whether|do|must)\s+(?:i|we)\s+(?:\w+\s+)?(?:end|close|cancel|terminate)\b"
    r"|\b(?:will|would|could|does|can)\s+(?:ending|closing|cancel+ing)\b"
)
_KEEP_OPEN_RE = re.compile(
    r"\b(?:keep|keeping|leave|leaving|stay|stays|remain|left)\s+(?:\w+\s+){0,4}?open\b|\bopen\s+(?:or|vs\.?|versus)\s+clos"
    r"|\bclos\w*\s+(?:\w+\s+){0,3}?or\s+(?:keep|leave)\b|\bnew\s+contract\s+(?:for\s+)?(?:each|every)\b"
    # "open a new contract or keep the old one going?", "on the same contract or close it every few months?"
    r"|\b(?:new|separate)\s+contracts?\b[^.?!]{0,40}\b(?:or|vs\.?|versus)\b|\bsame\s+contract\b[^.?!]{0,60}\bor\b"
    r"|\bkeep\s+(?:\w+\s+){0,4}?going\b"
)


_AMICABLE_RE = re.compile(
    r"\b(?:totally\s+|completely\s+|perfectly\s+)?fair\b(?!\s+(?:share|chance))|\bwe\s+(?:both\s+)?(?:agreed|agree)\b"
    r"|\bgood\s+(?:relationship|terms)\b|\bamicabl\w*|\bmutual\w*\s+(?:agree\w*|decision)\b"
)


_WORK_DONE_RE = re.compile(
    r"\b(?:i|we)\s+(?:have\s+|had\s+|already\s+|just\s+)?(?:made|built|did|delivered|created|finished|completed|"
    r"designed|wrote|translated|submitted|sent|worked|spent)\b(?!\s+(?:nothing|no\b|not\b))"
    r"|\b(?:days?|weeks?|hours?|months?)\s+of\s+(?:my\s+)?work\b|\bwork\s+(?:is|was)\s+(?:done|delivered|finished|complete)\b"
)


_WON_RE = re.compile(r"\b(?:won|win|wins|winning)\b|\bin\s+my\s+favou?r\b|\b(?:sided|agreed)\s+with\s+me\b")


_DISPUTE_FILED_RE = re.compile(
    r"\b(?:filed|opened|started|raised|submitted|lodged)\s+(?:a\s+|the\s+)?dispute\b|\bi\s+(?:have\s+)?disputed\b"
    r"|\b(?:in|into|to|through)\s+(?:the\s+)?(?:mediation|arbitration)\b|\bdispute\s+(?:is|was)\s+(?:open|ongoing|under\s+way)\b"
)


_SILENT_RE = re.compile(
    r"\b(?:went|gone|go|goes|going)\s+(?:silent|quiet|mia|awol|dark)\b|\b(?:silent|unresponsive|unreachable|ghost\w*)\b"
    r"|\b(?:no|without\s+(?:a|any))\s+(?:reply|replies|response|answer)\b|\bcan\s*not\s+reach\b"
    r"|\b(?:not|never)\s+(?:\w+\s+)?(?:respond\w*|repl(?:y|ies|ied|ying)|answer\w*|react\w*|get\w*\s+back)\b"
)


_ASKED_CLOSE_RE = re.compile(
    # round 19: a parenthesis between ("asked the client twice (Dec 10 and Jan 15) to close")
    r"\b(?:asked|asking|requested|reminded|nudged|begged|messaged|told)\s+(?:\w+\s+|\([^)]{0,30}\)\s+){0,4}?(?:to\s+)?"
    r"(?:close|end)\b"
    r"|\bmessages?\s+asking\s+(?:\w+\s+){0,3}?to\b"
    # "they just never closed them. I messaged all of them": a message about the closing, told next to it
    r"|\b(?:clos|end)\w*\b[^?!]{0,40}?\b(?:messaged|asked|reminded|contacted|pinged|emailed|wrote\s+to)\b"
    r"|\b(?:messaged|reminded|contacted|pinged|emailed|wrote\s+to)\b[^?!]{0,40}?\b(?:clos|end)\w*\b"
)


_DISPUTE_PROCESS_RE = re.compile(
    r"\bwho\s+decides\b|\bcan\s+i\s+(?:still\s+|even\s+)?win\b|\bwhat\s+happens\s+(?:next|now|if|when|from\s+here)\b"
    r"|\bhow\s+(?:does|do|will|would|did)\s+(?:this\s+|the\s+|upwork\s+)?(?:mediation|arbitration|dispute|it)\s+"
    r"(?:\w+\s+){0,2}?(?:work|go|goes|end)\b|\bfees?\b|\bwhat\s+are\s+my\s+options\b|\bstart\s+(?:an?\s+)?arbitration\b"
    r"|\bthrough\s+(?:upwork\s+)?(?:arbitration|mediation)\b|\busually\s+win\b|\bworth\s+it\b"
)


_JOBS_DONE_RE = re.compile(
    r"\b(?:completed?|finish(?:ed)?|done|did|closed|ended|delivered)\b[^.?!]{0,30}?\b(?:jobs?|contracts?|projects?)\b"
    # round 19: "Two contracts closed, both 5 stars"
    r"|\b(?:jobs?|contracts?|projects?)\s+(?:\w+\s+){0,2}?(?:done|completed|finished|closed)\b"
)


_AVOID_FEEDBACK_RE = re.compile(
    r"\b(?:avoid|prevent|stop|block|escape|skip|dodge)\w*\s+(?:\w+\s+){0,6}?(?:feedback|review|rating)s?\b"
    r"|\bwithout\s+(?:\w+\s+){0,5}?(?:leav\w*|giv\w*|notif\w*|asked|able|chance)\s+(?:\w+\s+){0,3}?"
    r"(?:feedback|review|rating)s?\b"
    r"|\b(?:end|close|cancel)\w*\s+(?:\w+\s+){0,3}?without\s+(?:any\s+|a\s+)?(?:feedback|review|rating)s?\b"
)


HOW_LONG_COUNTS_RE = re.compile(
    r"\bhow\s+long\s+(?:[\w'-]+\s+){0,4}?(?:carry|count|stay|hurt|affect|remain|weigh|haunt|stick)"
    r"|\bwhen\s+(?:[\w'-]+\s+){0,4}?(?:stop\w*\s+count|fall\w*\s+(?:out|off)|drop\w*\s+(?:out|off)|go(?:es)?\s+away"
    r"|disappear|age\w*\s+out|expire|(?:be\s+)?gone)"
)
"""The asking sentences ask how long a bad outcome keeps counting ("how long do I carry it?", "when will it stop
counting?"), in the folded text: its age-out days answer that, whatever rule comes first."""


_PLUS_NAMED_RE = re.compile(r"\btrplus\b|\bplus\s+(?:badge|status)\b|\b(?:no|the|get|got)\s+plus\b")
"""Top Rated Plus named ("top rated but no plus badge", "why no TRP?": both words fold to "trplus")."""


def read_cues(folded: str, facts: Facts) -> Cues:
    """The answer cues of a folded question (see module docstring)."""
    asking = asking_part(folded)
    return Cues(
        nothing_new=_NOTHING_NEW_RE.search(folded) is not None,
        refund_part=_refund_part(folded),
        escrow=_escrow(folded),
        amicable=_AMICABLE_RE.search(folded) is not None,
        work_done=_WORK_DONE_RE.search(folded) is not None,
        dispute_won=_WON_RE.search(folded) is not None,
        review_asked=REVIEW_WORD_RE.search(asking) is not None,
        dispute_filed=_DISPUTE_FILED_RE.search(folded) is not None,
        client_silent=_SILENT_RE.search(folded) is not None,
        asked_to_close=_ASKED_CLOSE_RE.search(folded) is not None,
        dispute_process_asked=_DISPUTE_PROCESS_RE.search(asking) is not None,
        jobs_told=_JOBS_DONE_RE.search(folded) is not None,
        required_counts=figures.required_counts(folded),
        avoid_feedback_asked=_AVOID_FEEDBACK_RE.search(asking) is not None,
        keep_open_asked=_KEEP_OPEN_RE.search(asking) is not None,
        ending_asked=_ENDING_ASKED_RE.search(asking) is not None,
        ending_ahead=_ENDING_AHEAD_RE.search(asking) is not None,
        still_asked=_STILL_ASKED_RE.search(asking) is not None,
        # a trailing "true or cope" without a question mark asks too
        claim_asked=_CLAIM_ASKED_RE.search(asking) is not None or _CLAIM_ASKED_RE.search(folded[-40:]) is not None,
        score_fell=facts.jss_from is not None and facts.jss_to is not None and facts.jss_to < facts.jss_from,
        away_months=figures.away_months(folded, facts),
        badge_feared=(_BADGE_FEARED_RE.search(asking) is not None or _BADGE_DREAD_RE.search(folded) is not None)
        and _BADGE_GONE_RE.search(folded) is None,
        badge_not_yet=_BADGE_NOT_YET_RE.search(folded) is not None,
        largest_contract_usd=figures.largest_contract(folded),
        job_months=figures.job_months(folded, facts),
        days_ahead=_DAYS_AHEAD_RE.search(folded) is not None,
        volume_asked=_VOLUME_ASKED_RE.search(asking) is not None,
        drop_feared=_FUTURE_DROP_RE.search(asking) is not None and _DROPPED_RE.search(folded) is None,
        off_platform=_OFF_PLATFORM_RE.search(folded) is not None,
        notice_received=_NOTICE_RECEIVED_RE.search(folded) is not None and _ACCOUNT_CLOSED_RE.search(folded) is None,
        effect_asked=_EFFECT_ASKED_RE.search(folded) is not None,
        rated_job_usd=figures.rated_job(folded),
        work_not_started=_NOT_STARTED_RE.search(folded) is not None,
        weeks_told=figures.weeks_told(folded),
        plus_named=_PLUS_NAMED_RE.search(folded) is not None,
        carry_asked=HOW_LONG_COUNTS_RE.search(asking) is not None,
        window_scores=figures.window_scores(folded),
        earned_usd=figures.earned(folded),
        same_client=SAME_CLIENT_RE.search(folded) is not None,
        job_without_feedback=_WITHOUT_FEEDBACK_RE.search(folded) is not None,
        contract_kind=contract_kind(folded),
        no_proposals=_NO_PROPOSALS_RE.search(folded) is not None,
        badge_gone_told=_BADGE_GONE_RE.search(telling_part(folded)) is not None,
        review_threat=_THREAT_RE.search(folded) is not None,
        long_term_lack_asked=_NO_LONG_TERM_RE.search(folded) is not None,
        other_platform=_OTHER_PLATFORM_RE.search(folded) is not None,
        # told in the hold's message, not asked about ("can I lift it faster, like a course or an appeal?")
        # "someone in my city says there is a course to complete" relays a rumour, not what the hold's message names
        course_told=any(
            _COURSE_RE.search(s) is not None and not is_hearsay(s) for s in SENTENCE_RE.findall(telling_part(folded))
        ),
        job_ahead=_JOB_AHEAD_RE.search(asking) is not None,
        support_asked=_support_asked(folded),
        by_itself_asked=BY_ITSELF_RE.search(asking) is not None,
    )


_DAYS_AHEAD_RE = re.compile(
    r"\b(?:in|within)\s+(?:\d+|a|one|two|three|four|five|six|seven|few)\s*(?:more\s+)?days?\b(?!\s+ago)"
    r"|\b\d+\s*days?\s+(?:left|remaining|to\s+go)\b"
)
_VOLUME_ASKED_RE = re.compile(
    r"\b(?:number|amount|count|volume)\s+of\s+(?:jobs|contracts|projects)\b|\bhow\s+many\s+(?:jobs|contracts|projects)\b"
    r"|\b(?:fewer|less|more)\s+(?:jobs|contracts|projects)\b"
)
_FUTURE_DROP_RE = re.compile(
    r"\b(?:will|would|could|can|might|may|going\s+to|gonna)\s+(?:\w+\s+){0,3}?"
    r"(?:drop|fall|go\s+down|decrease|lower|tank|suffer)\w*"
)
_DROPPED_RE = re.compile(
    r"\b(?:dropped|fell|fallen|went\s+down|gone\s+down|decreased|lowered|tanked|plummeted|crashed|slid)\b"
    r"|\bfrom\s+\d+\s*%?\s*(?:to|->|-->)\s*\d+|\b\d+\s*%?\s*(?:->|-->|to)\s*\d+\s*%"
)
_OFF_PLATFORM_RE = re.compile(
    r"\boff[\s-]?(?:platform|upwork|site)\b|\boutside\s+(?:of\s+)?upwork\b|\b(?:paypal|payoneer|wise|crypto|bank\s+transfer)\b"
)
_ACCOUNT_CLOSED_RE = re.compile(
    r"\baccount\s+(?:is|was|has\s+been|got|had\s+been)\s+(?:\w+\s+)?(?:closed|banned|terminated)\b"
)
"""An account already closed: the warning the notice gives is past."""
_NOTICE_RECEIVED_RE = re.compile(
    r"\b(?:got|received|receive|get|sent\s+me|gave\s+me)\s+(?:an?\s+|the\s+|this\s+|that\s+)?(?:\w+\s+){0,2}?"
    r"(?:emails?|notices?|warnings?|notifications?|messages?|letters?)\b[^.?!]{0,60}?\b(?:upwork|account|satisfaction|"
    r"closed|suspend\w*|standards?|terms|tos|compliance)\b"
    r"|\b(?:emails?|notices?|warnings?|notifications?)\s+from\s+upwork\b"
)


_BADGE_NOT_YET_RE = re.compile(
    r"\b(?:still|yet)\s+(?:no|not)\b[^.?!]{0,25}?\b(?:toprated|trplus|badge)\b"
    r"|\b(?:not|never|haven't|havent|didn't|didnt)\s+(?:yet\s+)?(?:got|get|gotten|received|been\s+given|earned|had)\s+"
    r"(?:the\s+|my\s+|a\s+)?(?:toprated|trplus|badge)\b"
)
"""A badge the asker has not got yet ("still no Top Rated badge", "never got TR"; "Top Rated" folds to "toprated")."""
_BADGE_FEARED_RE = re.compile(
    r"\b(?:will|would|could|can|might|may|do|does)\s+(?:i|it|this|that|they|upwork)\s+(?:\w+\s+){0,2}?(?:lose|losing|remove)\b"
    r"|\b(?:going\s+to|gonna|about\s+to|afraid\s+(?:to|of)|scared\s+(?:to|of)|risk|worried\s+about)\s+(?:\w+\s+){0,2}?los(?:e|ing)\b"
    r"|\bi\s+(?:will|would|could|might|may)\s+(?:\w+\s+)?lose\b"
    # round 22: "should I expect to lose the badge?", "am I likely to lose Top Rated?"
    r"|\b(?:expect|likely|bound|set)\s+to\s+los(?:e|ing)\b"
)
_BADGE_DREAD_RE = re.compile(
    r"\b(?:terrified|scared|afraid|nervous|worried|anxious|fear\w*|panick\w*)\s+(?:of|about|that)\s+(?:\w+\s+){0,6}?los(?:e|ing)\b"
)
"""A loss dreaded, told anywhere in the post ("terrified of going under 90 and losing the badge"), not only asked."""
_BADGE_GONE_RE = re.compile(
    r"\b(?:lost|removed|took\s+away|taken\s+away|stripped)\b|\b(?:badge|toprated|status)\s+(?:is\s+|was\s+|has\s+)?(?:gone|disappeared)\b"
)
